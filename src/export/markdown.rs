//! The run as a Markdown handout (GitHub-flavoured): title, world, the Mermaid diagram,
//! then every step with its arrow, narration, HTTP message (long tokens shortened, the
//! full values in a `<details>`), decoded JWT claims; the verdict and the RFC sections
//! cited at the end.

use super::details::{self, Claim};
use super::diagram::{Diagram, LEGEND, RowKind};
use super::escape::{fence_for, markdown as esc};
use crate::sim::{Channel, Trace};

fn lane_name(d: &Diagram, i: usize) -> String {
    d.lanes.get(i).map(|l| l.id.clone()).unwrap_or_default()
}

fn claims_table(out: &mut String, claims: &[Claim]) {
    out.push_str("| claim | value | meaning |\n|---|---|---|\n");
    for c in claims {
        let meaning = c
            .term
            .map(|t| format!("{} ({})", t.meaning, t.rfc))
            .unwrap_or_default();
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            c.name.replace('`', "'"),
            esc(&details::shorten(&c.value)),
            esc(&meaning)
        ));
    }
    out.push('\n');
}

fn code_block(out: &mut String, lang: &str, body: &str) {
    let fence = fence_for(body);
    out.push_str(&format!("{fence}{lang}\n{}", body));
    if !body.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&format!("{fence}\n\n"));
}

fn step_section(out: &mut String, d: &Diagram, trace: &Trace, i: usize) {
    let row = &d.rows[i];
    let step = &trace.steps[i];
    let arrow = match row.kind {
        RowKind::Message { from, to, .. } => format!(
            "{} → {} · {}",
            lane_name(d, from),
            lane_name(d, to),
            match step.channel {
                Channel::BackChannel => "back channel",
                Channel::Observed => "observed copy",
                Channel::FrontChannel => "front channel",
            }
        ),
        RowKind::Event { .. } => "event".to_string(),
    };
    out.push_str(&format!("### {}\n\n", esc(&row.title())));
    out.push_str(&format!("*{}*\n\n", esc(&arrow)));
    if !step.annotation.trim().is_empty() {
        out.push_str(&format!("{}\n\n", esc(step.annotation.trim())));
    }
    if !step.wire.is_empty() {
        let (short, full) = details::shorten_wire(&step.wire);
        code_block(out, "http", &short);
        if !full.is_empty() {
            out.push_str("<details><summary>Full values of the shortened tokens</summary>\n\n");
            code_block(out, "text", &full.join("\n"));
            out.push_str("</details>\n\n");
        }
    }
    for t in details::tokens(step) {
        out.push_str(&format!(
            "Decoded JWT in `{}` (not verified here):\n\n",
            t.found_in.replace('`', "'")
        ));
        claims_table(out, &t.claims);
    }
    let pkce = details::pkce_lines(trace, step);
    if !pkce.is_empty() {
        out.push_str("PKCE:\n\n");
        for line in pkce {
            out.push_str(&format!("- {}\n", esc(&line)));
        }
        out.push('\n');
    }
    if let Some(v) = d.verdict_after(row.step) {
        out.push_str(&format!(
            "> **{}** — {}\n\n",
            esc(&v.headline),
            esc(&v.detail)
        ));
    }
}

/// The Markdown handout. `mermaid` is the diagram's Mermaid source.
pub fn render(d: &Diagram, trace: &Trace, mermaid: &str) -> String {
    let mut out = format!("# {}\n\n", esc(&d.title));
    out.push_str("## World\n\n");
    out.push_str(&format!(
        "- Profile: `{}`\n",
        d.world.profile.replace('`', "'")
    ));
    if d.world.differences.is_empty() {
        out.push_str("- Defenses: as in the profile\n");
    } else {
        for diff in &d.world.differences {
            out.push_str(&format!("- Changed: {}\n", esc(diff)));
        }
    }
    out.push_str(&format!("- Seed: {}\n", d.world.seed));
    if let Some((id, title, goal)) = &d.world.attack {
        out.push_str(&format!(
            "- Attack: `{}` — {}\n- Goal: {}\n",
            id.replace('`', "'"),
            esc(title),
            esc(goal)
        ));
    }
    out.push_str("\n## Sequence\n\n");
    code_block(&mut out, "mermaid", mermaid);
    out.push_str("Legend:\n\n");
    for (_, text) in LEGEND {
        out.push_str(&format!("- {}\n", esc(text)));
    }
    out.push_str("\n## Steps\n\n");
    for i in 0..d.rows.len().min(trace.steps.len()) {
        step_section(&mut out, d, trace, i);
    }
    out.push_str("## Verdict\n\n");
    match &d.verdict {
        Some(v) => out.push_str(&format!(
            "**{}** — {}\n\n",
            esc(&v.headline),
            esc(&v.detail)
        )),
        None => out.push_str(&format!("{}\n\n", d.no_attack_words())),
    }
    out.push_str("## RFC sections cited\n\n");
    for cite in details::citations(trace) {
        out.push_str(&format!("- {}\n", esc(&cite)));
    }
    out
}
