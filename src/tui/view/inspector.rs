//! The inspector: the selected step seen through five tabs.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Widget, Wrap};

use super::layout;
use super::util::{put, truncate};
use crate::actors::clock::{EPOCH_UNIX_SECS, SimTime, duration_label};
use crate::sim::{Step, StepKind};
use crate::tui::app::{App, Pane, Tab};
use crate::tui::glossary::{self, Term};
use crate::tui::inspect::{self, Derived, TokenView};
use crate::tui::theme::{Theme, theme};

type Lines = Vec<Line<'static>>;

pub fn render(app: &App, area: Rect, tabs: Rect, buf: &mut Buffer) {
    let t = theme();
    let focused = app.focus == Pane::Inspector;
    let title = match app.step() {
        Some(s) => format!(
            "{}Inspector · step {} · {} → {} ",
            if focused { " ● " } else { " " },
            s.index,
            s.from,
            s.to
        ),
        None => " Inspector ".to_string(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(if focused { BorderType::Thick } else { BorderType::Plain })
        .border_style(if focused { t.border_focused } else { t.border })
        .title(Line::styled(title, t.title))
        .title_bottom(Line::styled(" 1-5 tabs · ↑↓ PgUp PgDn scroll ", t.dim).right_aligned());
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height < 2 || inner.width < 4 {
        return;
    }
    // Tab bar: `1 Raw` … with the selected one reversed and bracketed.
    for (tab, x0, x1) in layout::tab_spans(tabs) {
        let selected = tab == app.tab;
        let text = if selected {
            format!("[{} {}]", tab.index() + 1, tab.title())
        } else {
            format!(" {} {} ", tab.index() + 1, tab.title())
        };
        let style = if selected { t.tab_selected } else { t.dim };
        let end = put(buf, tabs, x0, tabs.y, &text, style);
        let _ = x1;
        put(buf, tabs, end, tabs.y, "│", t.border);
    }
    let content = Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1);
    let lines = tab_lines(app, content.width as usize);
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((app.inspector_scroll, 0))
        .render(content, buf);
}

/// The lines of the selected tab (also used by tests and the benchmark).
pub fn tab_lines(app: &App, width: usize) -> Lines {
    let t = theme();
    let Some(step) = app.step() else {
        return vec![Line::raw("No step yet: press → to start.")];
    };
    match app.tab {
        Tab::Raw => raw(t, step),
        Tab::Params => params(t, step),
        Tab::Tokens => tokens(t, app, step),
        Tab::Pkce => pkce(t, app),
        Tab::State => state(t, app, width),
    }
}

fn not_a_message(t: &Theme, step: &Step) -> Lines {
    vec![
        Line::styled("This step is not a message.", t.bold),
        Line::raw(""),
        Line::raw(format!(
            "{}: {}",
            step.from,
            step.summary.replace('⏱', "⧗")
        )),
        Line::raw(""),
        Line::styled(
            "Events are things that happen in the world — a person acting, time passing — that start the next exchange.",
            t.dim,
        ),
    ]
}

fn raw(t: &Theme, step: &Step) -> Lines {
    if step.wire.is_empty() {
        return not_a_message(t, step);
    }
    let mut out = Lines::new();
    let text = step.wire.replace("\r\n", "\n");
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    for (i, line) in head.lines().enumerate() {
        if i == 0 {
            out.push(Line::styled(line.to_string(), t.bold));
        } else if let Some((name, value)) = line.split_once(':') {
            out.push(Line::from(vec![
                Span::styled(name.to_string(), t.header_name),
                Span::raw(":"),
                Span::raw(value.to_string()),
            ]));
        } else {
            out.push(Line::raw(line.to_string()));
        }
    }
    out.push(Line::raw(""));
    if !body.is_empty() {
        for line in body.lines() {
            out.push(Line::raw(line.to_string()));
        }
        if let Some(json) = &step.decoded.json
            && let Ok(pretty) = serde_json::to_string_pretty(json)
        {
            out.push(Line::raw(""));
            out.push(Line::styled("── the same body, formatted ──", t.dim));
            for line in pretty.lines() {
                out.push(Line::raw(line.to_string()));
            }
        }
    }
    out
}

fn term_line(t: &Theme, term: Option<&Term>) -> Line<'static> {
    match term {
        Some(term) => Line::from(vec![
            Span::raw("    "),
            Span::raw(term.meaning),
            Span::styled(format!(" — {}", term.rfc), t.dim),
        ]),
        None => Line::styled("    (not an OAuth parameter)", t.dim),
    }
}

fn value_text(v: &str) -> String {
    truncate(v, 400)
}

fn params(t: &Theme, step: &Step) -> Lines {
    if step.wire.is_empty() {
        return not_a_message(t, step);
    }
    let d = &step.decoded;
    let mut out = Lines::new();
    let section = |out: &mut Lines, title: &str, pairs: &[(String, String)], lookup: fn(&str) -> Option<&'static Term>| {
        if pairs.is_empty() {
            return;
        }
        out.push(Line::styled(title.to_string(), t.title));
        for (k, v) in pairs {
            out.push(Line::from(vec![
                Span::raw("  "),
                Span::styled(k.clone(), t.key),
                Span::raw(" = "),
                Span::raw(value_text(v)),
            ]));
            out.push(term_line(t, lookup(k)));
        }
        out.push(Line::raw(""));
    };
    section(&mut out, "URL query parameters", &d.query, glossary::param);
    section(&mut out, "Redirect target (Location) parameters", &d.location_query, glossary::param);
    section(&mut out, "Form body parameters", &d.form, glossary::param);
    if let Some(serde_json::Value::Object(map)) = &d.json {
        let pairs: Vec<(String, String)> = map
            .iter()
            .map(|(k, v)| {
                let s = match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.clone(), s)
            })
            .collect();
        section(&mut out, "JSON body fields", &pairs, glossary::param);
    }
    section(&mut out, "Headers", &d.headers, glossary::header);
    if out.is_empty() {
        out.push(Line::raw("No parameters in this message."));
    }
    out
}

fn time_note(step_ms: u64, unix: i64, key: &str) -> String {
    let now = (EPOCH_UNIX_SECS + step_ms / 1000) as i64;
    let at = if unix >= EPOCH_UNIX_SECS as i64 {
        SimTime((unix as u64 - EPOCH_UNIX_SECS) * 1000).clock_label()[..8].to_string()
    } else {
        format!("unix {unix}")
    };
    let delta = unix - now;
    let rel = if delta > 0 {
        format!("in {}", duration_label(delta as u64))
    } else if delta == 0 {
        "now".to_string()
    } else {
        format!("{} ago", duration_label((-delta) as u64))
    };
    let verdict = if key == "exp" {
        if delta > 0 { " — not expired" } else { " — EXPIRED" }
    } else {
        ""
    };
    format!("{at} ({rel}){verdict}")
}

fn json_fields(t: &Theme, out: &mut Lines, v: &serde_json::Value, step_ms: u64) {
    let Some(map) = v.as_object() else {
        out.push(Line::raw(format!("  {v}")));
        return;
    };
    for (k, v) in map {
        let value = match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let mut spans = vec![
            Span::raw("  "),
            Span::styled(k.clone(), t.key),
            Span::raw(" = "),
            Span::raw(value_text(&value)),
        ];
        if matches!(k.as_str(), "exp" | "iat" | "auth_time" | "nbf")
            && let Some(n) = v.as_i64()
        {
            let note = time_note(step_ms, n, k);
            let style = if note.contains("EXPIRED") { t.bad } else { t.dim };
            spans.push(Span::styled(format!("  {note}"), style));
        }
        out.push(Line::from(spans));
        out.push(term_line(t, glossary::claim(k)));
    }
}

fn derived(app: &App) -> Vec<TokenView> {
    let generation = app.timeline.generation;
    let mut cache = app.derived.borrow_mut();
    if let Some(d) = cache.as_ref()
        && d.generation == generation
        && d.cursor == app.cursor
    {
        return d.tokens.clone();
    }
    let tokens = app
        .step()
        .map(|s| inspect::tokens(s, app.timeline.jwks()))
        .unwrap_or_default();
    *cache = Some(Derived {
        generation,
        cursor: app.cursor,
        tokens: tokens.clone(),
    });
    tokens
}

fn tokens(t: &Theme, app: &App, step: &Step) -> Lines {
    let mut out = Lines::new();
    let views = derived(app);
    for v in &views {
        out.push(Line::styled(format!("{} — a JWT", v.found_in), t.title));
        match &v.signature {
            Ok(s) => out.push(Line::styled(format!("  ✔ signature {s}"), t.ok)),
            Err(e) => out.push(Line::styled(format!("  ✘ signature check failed: {e}"), t.bad)),
        }
        out.push(Line::styled("  Header", t.bold));
        json_fields(t, &mut out, &v.header, step.time_ms);
        out.push(Line::styled("  Claims", t.bold));
        json_fields(t, &mut out, &v.claims, step.time_ms);
        out.push(Line::raw(""));
    }
    for name in ["refresh_token", "code"] {
        if let Some(value) = step.decoded.param(name)
            && !views.iter().any(|v| v.found_in == name)
        {
            out.push(Line::styled(format!("{name} — opaque"), t.title));
            out.push(Line::raw(format!("  {}", value_text(&value))));
            out.push(Line::styled(
                "  A random string with no meaning of its own: only the AS can look it up.",
                t.dim,
            ));
            out.push(Line::raw(""));
        }
    }
    if out.is_empty() {
        out.push(Line::raw("No token in this message."));
        let steps = &app.timeline.trace().steps;
        let near = steps[app.cursor..]
            .iter()
            .chain(steps[..app.cursor].iter().rev())
            .find(|s| !s.decoded.jwts.is_empty());
        if let Some(s) = near {
            out.push(Line::styled(
                format!("Step {} carries one ({}): select it to see it decoded.", s.index, s.summary),
                t.dim,
            ));
        } else {
            out.push(Line::styled(
                "Tokens appear once the client redeems the code at the token endpoint.",
                t.dim,
            ));
        }
    }
    if step.kind == StepKind::Event {
        out.insert(0, Line::raw(""));
        out.insert(0, Line::styled("(An event, not a message.)", t.dim));
    }
    out
}

fn pkce(t: &Theme, app: &App) -> Lines {
    let s = inspect::pkce_story(app.timeline.trace(), app.cursor);
    let mut out: Lines = vec![
        Line::styled("PKCE — Proof Key for Code Exchange (RFC 7636)", t.title),
        Line::styled(
            "Whoever redeems the code must prove they started the request: the client keeps a secret verifier and sends only its hash.",
            t.dim,
        ),
        Line::raw(""),
    ];
    let Some(auth) = s.authorize_step else {
        out.push(Line::raw(
            "No authorization request yet. Step on: the client's redirect to /authorize will carry the code_challenge.",
        ));
        return out;
    };
    let row = |k: &str, v: String| {
        Line::from(vec![
            Span::styled(format!("  {k:<18}"), t.key),
            Span::raw(v),
        ])
    };
    out.push(Line::styled(format!("1. Authorization request (step {auth})"), t.bold));
    match (&s.challenge, &s.method) {
        (Some(c), m) => {
            out.push(row("code_challenge", c.clone()));
            out.push(row(
                "method",
                m.clone().unwrap_or_else(|| "(absent: means plain, RFC 7636 §4.3)".into()),
            ));
        }
        (None, _) => {
            out.push(Line::styled(
                "  No code_challenge: this code is not bound to anything — whoever gets it can redeem it.",
                t.bad,
            ));
        }
    }
    out.push(Line::raw(""));
    let Some(tok) = s.token_step else {
        out.push(Line::raw(
            "2. The verifier is still secret inside the client; it travels only in the token request, over the back channel.",
        ));
        return out;
    };
    out.push(Line::styled(format!("2. Token request (step {tok})"), t.bold));
    match &s.verifier {
        Some(v) => {
            out.push(row("code_verifier", v.clone()));
            if let Some(h) = &s.sha256_hex {
                out.push(row("SHA-256 (hex)", h.clone()));
            }
            if let Some(c) = &s.computed {
                let how = if s.method.as_deref() == Some("plain") {
                    "= verifier (plain)"
                } else {
                    "base64url, no padding"
                };
                out.push(row("→ challenge", format!("{c}   ({how})")));
            }
            out.push(Line::raw(""));
            out.push(Line::styled("3. The AS compares (RFC 7636 §4.6)", t.bold));
            out.push(row("computed", s.computed.clone().unwrap_or_default()));
            out.push(row("stored", s.challenge.clone().unwrap_or_else(|| "(none)".into())));
            let same = s.computed.is_some() && s.computed == s.challenge;
            out.push(if same {
                Line::styled("  ✔ equal: the redeemer is the client that started the flow", t.ok)
            } else if s.challenge.is_none() {
                Line::styled("  ✘ nothing stored to compare with", t.bad)
            } else {
                Line::styled("  ✘ different: the AS must refuse the code (invalid_grant)", t.bad)
            });
        }
        None => out.push(Line::styled(
            "  No code_verifier sent: nothing proves who is redeeming this code.",
            t.bad,
        )),
    }
    if let (Some(i), Some(a)) = (s.answer_step, &s.answer) {
        out.push(Line::raw(""));
        out.push(Line::styled(format!("4. The AS answered (step {i}): {a}"), t.bold));
    }
    out
}

fn state(t: &Theme, app: &App, _width: usize) -> Lines {
    let Some(st) = app.timeline.state_at(app.cursor) else {
        return vec![Line::raw("No state yet.")];
    };
    let mut out: Lines = vec![
        Line::from(vec![
            Span::styled("After this step", t.title),
            Span::styled(
                format!(" · simulated time {}", st.now.clock_label()),
                t.dim,
            ),
        ]),
        Line::raw(""),
    ];
    for a in &st.actors {
        out.push(Line::styled(a.label.clone(), t.title));
        if a.sections.is_empty() {
            out.push(Line::styled("  (nothing held)", t.dim));
        }
        for s in &a.sections {
            out.push(Line::styled(format!("  {}", s.title), t.bold));
            if s.rows.is_empty() {
                out.push(Line::styled("    (empty)", t.dim));
            }
            for (k, v) in &s.rows {
                out.push(Line::from(vec![
                    Span::raw("    "),
                    Span::styled(k.clone(), t.key),
                    Span::raw(": "),
                    Span::styled(v.clone(), Style::new()),
                ]));
            }
        }
        out.push(Line::raw(""));
    }
    out
}
