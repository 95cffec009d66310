//! The run as one self-contained offline HTML page: inline CSS and JS, the SVG diagram
//! inline, nothing fetched (a Content-Security-Policy forbids it). ← / → or a click on an
//! arrow select a step; the diagram highlights it and the side panel shows its raw HTTP,
//! parameters with their meanings and RFC sections, decoded tokens, the PKCE derivation
//! and the narration. Printed, the page is a handout with every step.

use super::details::{self, Claim, Param};
use super::diagram::{Diagram, RowKind};
use super::escape::xml;
use super::svg::{self, Theme};
use crate::sim::{Channel, Trace};

const STYLE: &str = include_str!("html_page.css");
const SCRIPT: &str = include_str!("html_page.js");

fn channel_words(c: Channel) -> &'static str {
    match c {
        Channel::FrontChannel => "front channel: through the browser, visible in URLs and history",
        Channel::BackChannel => "back channel: server to server, never seen by the browser",
        Channel::Observed => "observed: a copy an attacker's interceptor saw",
    }
}

fn params_table(out: &mut String, params: &[Param]) {
    out.push_str("<table class=\"params\"><thead><tr><th>where</th><th>name</th><th>value</th><th>meaning</th><th>defined in</th></tr></thead><tbody>\n");
    for p in params {
        let (meaning, rfc) = p.term.map(|t| (t.meaning, t.rfc)).unwrap_or(("", ""));
        out.push_str(&format!(
            "<tr><td>{}</td><td><code>{}</code></td><td><code class=\"value\">{}</code></td><td>{}</td><td>{}</td></tr>\n",
            p.place,
            xml(&p.name),
            xml(&p.value),
            xml(meaning),
            xml(rfc)
        ));
    }
    out.push_str("</tbody></table>\n");
}

fn claims_table(out: &mut String, caption: &str, claims: &[Claim]) {
    out.push_str(&format!(
        "<table class=\"claims\"><caption>{}</caption><tbody>\n",
        xml(caption)
    ));
    for c in claims {
        let (meaning, rfc) = c.term.map(|t| (t.meaning, t.rfc)).unwrap_or(("", ""));
        out.push_str(&format!(
            "<tr><td><code>{}</code></td><td><code class=\"value\">{}</code></td><td>{} <span class=\"rfc\">{}</span></td></tr>\n",
            xml(&c.name),
            xml(&c.value),
            xml(meaning),
            xml(rfc)
        ));
    }
    out.push_str("</tbody></table>\n");
}

fn step_section(out: &mut String, d: &Diagram, trace: &Trace, i: usize) {
    let row = &d.rows[i];
    let step = &trace.steps[i];
    let lane = |k: usize| d.lanes.get(k).map(|l| l.label.as_str()).unwrap_or("");
    let heading = match row.kind {
        RowKind::Message { from, to, .. } => format!("{} → {}", lane(from), lane(to)),
        RowKind::Event { .. } => "event".to_string(),
    };
    out.push_str(&format!(
        "<section class=\"step\" id=\"step-{0}\" data-step=\"{0}\">\n<h2>Step {0} · {1}</h2>\n<p class=\"label mark-{2}\">{3}</p>\n",
        row.step,
        xml(&heading),
        format!("{:?}", row.mark).to_lowercase(),
        xml(&row.title())
    ));
    if !step.wire.is_empty() {
        out.push_str(&format!(
            "<p class=\"channel\">{}</p>\n",
            xml(channel_words(step.channel))
        ));
    }
    if !step.annotation.trim().is_empty() {
        out.push_str(&format!(
            "<h3>Narration</h3>\n<p class=\"narration\">{}</p>\n",
            xml(step.annotation.trim())
        ));
    }
    if let Some(v) = d.verdict_after(row.step) {
        out.push_str(&format!(
            "<p class=\"verdict-box {}\"><strong>{}</strong> — {}</p>\n",
            format!("{:?}", v.outcome).to_lowercase(),
            xml(&v.headline),
            xml(&v.detail)
        ));
    }
    if !step.wire.is_empty() {
        out.push_str(&format!(
            "<h3>Raw HTTP</h3>\n<pre class=\"wire\">{}</pre>\n",
            xml(&step.wire.replace("\r\n", "\n"))
        ));
    }
    let params = details::params(step);
    if !params.is_empty() {
        out.push_str("<h3>Parameters</h3>\n");
        params_table(out, &params);
    }
    let tokens = details::tokens(step);
    if !tokens.is_empty() {
        out.push_str("<h3>Decoded tokens</h3>\n");
        for t in tokens {
            claims_table(out, &format!("{} — header", t.found_in), &t.header);
            claims_table(out, &format!("{} — claims", t.found_in), &t.claims);
        }
    }
    let pkce = details::pkce_lines(trace, step);
    if !pkce.is_empty() {
        out.push_str("<h3>PKCE derivation</h3>\n<ul class=\"pkce\">\n");
        for line in pkce {
            out.push_str(&format!("<li>{}</li>\n", xml(&line)));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</section>\n");
}

/// The HTML page.
pub fn render(d: &Diagram, trace: &Trace, theme: Theme) -> String {
    let svg = svg::render(d, theme);
    let svg = svg.split_once("?>\n").map(|(_, rest)| rest).unwrap_or(&svg);
    let theme_class = match theme {
        Theme::Light => "light",
        Theme::Dark => "dark",
    };
    let mut out =
        String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n", xml(&d.title)));
    out.push_str(&format!("<style>\n{STYLE}</style>\n</head>\n"));
    out.push_str(&format!("<body class=\"{theme_class}\">\n<header>\n"));
    out.push_str(&format!("<h1>{}</h1>\n", xml(&d.title)));
    out.push_str(&format!(
        "<p class=\"world\">{}</p>\n",
        xml(&d.world.line())
    ));
    if let Some((id, title, goal)) = &d.world.attack {
        out.push_str(&format!(
            "<p class=\"attack\">Attack <code>{}</code> — {}. Goal: {}</p>\n",
            xml(id),
            xml(title),
            xml(goal)
        ));
    }
    match &d.verdict {
        Some(v) => out.push_str(&format!(
            "<p class=\"verdict-box {}\"><strong>{}</strong> — {}</p>\n",
            format!("{:?}", v.outcome).to_lowercase(),
            xml(&v.headline),
            xml(&v.detail)
        )),
        None => out.push_str(&format!("<p class=\"world\">{}</p>\n", d.no_attack_words())),
    }
    out.push_str("<nav><button type=\"button\" id=\"prev\">← previous</button> <span id=\"pos\"></span> <button type=\"button\" id=\"next\">next →</button> <span class=\"hint\">keys ← / →, or click an arrow</span></nav>\n</header>\n<main>\n<div id=\"diagram\">\n");
    out.push_str(svg);
    out.push_str("</div>\n<div id=\"steps\">\n");
    for i in 0..d.rows.len().min(trace.steps.len()) {
        step_section(&mut out, d, trace, i);
    }
    out.push_str("<section class=\"citations\"><h2>RFC sections cited</h2>\n<ul>\n");
    for cite in details::citations(trace) {
        out.push_str(&format!("<li>{}</li>\n", xml(&cite)));
    }
    out.push_str("</ul></section>\n</div>\n</main>\n");
    out.push_str(&format!("<script>\n{SCRIPT}</script>\n</body>\n</html>\n"));
    out
}
