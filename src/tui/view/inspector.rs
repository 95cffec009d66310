//! The inspector: the selected step seen through five tabs.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::layout;
use super::util::{put, truncate, width, wrap};
use crate::actors::clock::{EPOCH_UNIX_SECS, SimTime, duration_label};
use crate::sim::{Step, StepKind};
use crate::tui::app::{App, Pane, Tab};
use crate::tui::glossary::{self, Term};
use crate::tui::inspect::{self, Derived, TokenView};
use crate::tui::theme::theme;

type Lines = Vec<Line<'static>>;

/// Draws the inspector; returns the furthest it can scroll (`None` when too small to draw).
pub fn render(app: &App, area: Rect, tabs: Rect, buf: &mut Buffer) -> Option<u16> {
    let t = theme();
    let focused = app.focus == Pane::Inspector;
    let title = match app.step() {
        // An event is no message: it has no sender and receiver to show.
        Some(s) if s.kind == StepKind::Event => format!("Inspector · step {} · event", s.index),
        Some(s) => format!("Inspector · step {} · {} → {}", s.index, s.from, s.to),
        None => "Inspector".to_string(),
    };
    let block = super::util::pane_block(&title, focused)
        .title_bottom(Line::styled(" 1-5 tabs · ↑↓ PgUp PgDn scroll ", t.dim).right_aligned());
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height < 2 || inner.width < 4 {
        return None;
    }
    // Tab bar: `1 Raw` … with the selected one reversed and bracketed.
    let (spans, compact) = layout::tab_spans(tabs, app.tab);
    for (tab, x0, x1) in spans {
        let selected = tab == app.tab;
        let text = layout::tab_text(tab, selected, compact);
        let style = if selected { t.tab_selected } else { t.dim };
        put(buf, tabs, x0, tabs.y, &text, style);
        put(buf, tabs, x1, tabs.y, "│", t.border);
    }
    let content = Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1);
    let lines = tab_lines(app, content.width as usize);
    // Lines come pre-wrapped (with hanging indents), so scrolling is by screen line.
    // A scroll left over from a longer step (or an earlier run) stops at the last page.
    let max = max_scroll(lines.len(), content.height);
    Paragraph::new(lines)
        .scroll((app.inspector_scroll.min(max), 0))
        .render(content, buf);
    Some(max)
}

/// The largest scroll that still fills a page of `height` rows with `lines` lines.
fn max_scroll(lines: usize, height: u16) -> u16 {
    u16::try_from(lines.saturating_sub(height as usize)).unwrap_or(u16::MAX)
}

/// Cuts `s` into pieces of `first` columns, then `rest` columns.
fn chunks(s: &str, first: usize, rest: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut w = 0;
    let mut limit = first.max(1);
    for c in s.chars() {
        let cw = width(c.encode_utf8(&mut [0; 4]));
        if w + cw > limit && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
            w = 0;
            limit = rest.max(1);
        }
        cur.push(c);
        w += cw;
    }
    if !cur.is_empty() || out.is_empty() {
        out.push(cur);
    }
    out
}

/// `s` wrapped at spaces into a first line of `first` columns and further lines of
/// `rest`; a word longer than its line (a token, a URL) is cut.
fn words(s: &str, first: usize, rest: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let limit = |out: &Vec<String>| if out.is_empty() { first } else { rest }.max(1);
    for word in s.split(' ').filter(|w| !w.is_empty()) {
        let sep = usize::from(!cur.is_empty());
        if width(&cur) + sep + width(word) <= limit(&out) {
            if sep == 1 {
                cur.push(' ');
            }
            cur.push_str(word);
            continue;
        }
        if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        let mut pieces = chunks(word, limit(&out), rest);
        cur = pieces.pop().unwrap_or_default();
        out.extend(pieces);
    }
    if !cur.is_empty() || out.is_empty() {
        out.push(cur);
    }
    out
}

/// Lines wrapped to the pane's width, with hanging indents.
struct Doc {
    width: usize,
    lines: Lines,
}

impl Doc {
    fn new(width: usize) -> Self {
        Doc {
            width: width.max(8),
            lines: Lines::new(),
        }
    }

    fn blank(&mut self) {
        self.lines.push(Line::raw(""));
    }

    /// Word-wrapped text; continuation lines keep the indent.
    fn para(&mut self, indent: usize, text: &str, style: Style) {
        let pad = " ".repeat(indent);
        let avail = self.width.saturating_sub(indent).max(4);
        let wrapped = wrap(text, avail);
        if wrapped.is_empty() {
            self.blank();
        }
        for line in wrapped {
            self.lines.push(Line::styled(format!("{pad}{line}"), style));
        }
    }

    /// Text cut at the width, character by character (for wire text and secrets).
    fn hard(&mut self, text: &str, style: Style) {
        for piece in chunks(text, self.width, self.width) {
            self.lines.push(Line::styled(piece, style));
        }
    }

    /// `key = value`, the value cut to fit and continued under an indent; an optional
    /// note follows the value.
    fn kv(
        &mut self,
        indent: usize,
        key: &str,
        sep: &str,
        value: &str,
        note: Option<(String, Style)>,
    ) {
        self.kv_split(indent, (key, sep), value, note, chunks);
    }

    /// As [`Doc::kv`], the value wrapped at spaces instead (a word longer than its line,
    /// such as a token, is still cut).
    fn kv_words(&mut self, indent: usize, key: &str, sep: &str, value: &str) {
        self.kv_split(indent, (key, sep), value, None, words);
    }

    /// `key = value` with the value split into lines by `split(value, first, rest)`.
    fn kv_split(
        &mut self,
        indent: usize,
        (key, sep): (&str, &str),
        value: &str,
        note: Option<(String, Style)>,
        split: fn(&str, usize, usize) -> Vec<String>,
    ) {
        let t = theme();
        let pad = " ".repeat(indent);
        let head = width(key) + width(sep) + indent;
        // Continuation lines line up under the value when it starts early enough.
        let cont = if head <= self.width / 2 {
            head
        } else {
            indent + 4
        };
        let first_w = self.width.saturating_sub(head).max(8);
        let rest_w = self.width.saturating_sub(cont).max(8);
        let pieces = split(value, first_w, rest_w);
        let mut last_used = 0;
        for (i, piece) in pieces.into_iter().enumerate() {
            last_used = if i == 0 { head } else { cont } + width(&piece);
            let spans = if i == 0 {
                vec![
                    Span::raw(pad.clone()),
                    Span::styled(key.to_string(), t.key),
                    Span::raw(sep.to_string()),
                    Span::raw(piece),
                ]
            } else {
                vec![Span::raw(" ".repeat(cont)), Span::raw(piece)]
            };
            self.lines.push(Line::from(spans));
        }
        if let Some((note, style)) = note {
            if last_used + 2 + width(&note) <= self.width {
                if let Some(line) = self.lines.last_mut() {
                    line.spans.push(Span::styled(format!("  {note}"), style));
                }
            } else {
                self.para(cont, &note, style);
            }
        }
    }

    /// A parameter: `key = value`, the value wrapped at spaces (a long word is cut)
    /// and continued four columns in from the key, whatever the key's length (the
    /// Params tab lists keys of every length); an empty value says so.
    fn param(&mut self, indent: usize, key: &str, value: &str) {
        let sep = " = ";
        let t = theme();
        let pad = " ".repeat(indent);
        let head = width(key) + width(sep) + indent;
        let cont = indent + 4;
        let first_w = self.width.saturating_sub(head).max(8);
        let rest_w = self.width.saturating_sub(cont).max(8);
        let (value, value_style) = if value.is_empty() {
            ("(empty)", t.dim)
        } else {
            (value, Style::default())
        };
        for (i, piece) in words(value, first_w, rest_w).into_iter().enumerate() {
            let spans = if i == 0 {
                vec![
                    Span::raw(pad.clone()),
                    Span::styled(key.to_string(), t.key),
                    Span::raw(sep.to_string()),
                    Span::styled(piece, value_style),
                ]
            } else {
                vec![Span::raw(" ".repeat(cont)), Span::raw(piece)]
            };
            self.lines.push(Line::from(spans));
        }
    }

    /// The meaning of a parameter and its RFC section, under it.
    fn term(&mut self, indent: usize, term: Option<&Term>) {
        let t = theme();
        match term {
            // A field no RFC defines (the photo API's own) has its meaning alone.
            Some(term) if matches!(term.rfc.trim(), "" | "—") => {
                self.para(indent, term.meaning, t.dim)
            }
            Some(term) => {
                let text = format!("{} — {}", term.meaning, term.rfc);
                self.para(indent, &text, t.dim);
            }
            None => self.para(indent, "(not an OAuth parameter)", t.dim),
        }
    }
}

/// The lines of the selected tab, wrapped to `width` (also used by tests and the benchmark).
pub fn tab_lines(app: &App, width: usize) -> Lines {
    let t = theme();
    let mut doc = Doc::new(width);
    match app.step() {
        None => doc.para(0, "No step yet: press → to start.", t.base),
        Some(step) => match app.tab {
            Tab::Raw => raw(&mut doc, step),
            Tab::Params => params(&mut doc, step),
            Tab::Tokens => tokens(&mut doc, app, step),
            Tab::Pkce => pkce(&mut doc, app),
            Tab::State => state(&mut doc, app),
        },
    }
    doc.lines
}

fn not_a_message(doc: &mut Doc, step: &Step) {
    let t = theme();
    doc.para(0, "This step is not a message.", t.bold);
    doc.blank();
    doc.para(
        0,
        &format!("{}: {}", step.from, step.summary.replace('⏱', "⧗")),
        t.base,
    );
    doc.blank();
    doc.para(
        0,
        "Events are things that happen in the world — a person acting, time passing — that start the next exchange.",
        t.dim,
    );
}

fn raw(doc: &mut Doc, step: &Step) {
    let t = theme();
    if step.wire.is_empty() {
        return not_a_message(doc, step);
    }
    let text = step.wire.replace("\r\n", "\n");
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    for (i, line) in head.lines().enumerate() {
        if i == 0 {
            doc.hard(line, t.bold);
        } else if let Some((name, value)) = line.split_once(':') {
            let pieces = chunks(line, doc.width, doc.width);
            if pieces.len() == 1 {
                doc.lines.push(Line::from(vec![
                    Span::styled(name.to_string(), t.header_name),
                    Span::raw(format!(":{value}")),
                ]));
            } else {
                doc.hard(line, t.base);
            }
        } else {
            doc.hard(line, t.base);
        }
    }
    doc.blank();
    if !body.is_empty() {
        for line in body.lines() {
            doc.hard(line, t.base);
        }
        // A one-line JSON body is hard to read: show it formatted too.
        if let Some(json) = &step.decoded.json
            && !body.trim_end().contains('\n')
            && let Ok(pretty) = serde_json::to_string_pretty(json)
        {
            doc.blank();
            doc.para(0, "── the same body, formatted ──", t.dim);
            for line in pretty.lines() {
                doc.hard(line, t.base);
            }
        }
    }
}

fn value_text(v: &str) -> String {
    truncate(v, 600)
}

fn params(doc: &mut Doc, step: &Step) {
    let t = theme();
    if step.wire.is_empty() {
        return not_a_message(doc, step);
    }
    let d = &step.decoded;
    let section = |doc: &mut Doc,
                   title: &str,
                   pairs: &[(String, String)],
                   lookup: fn(&str) -> Option<&'static Term>| {
        if pairs.is_empty() {
            return;
        }
        doc.para(0, title, t.title);
        for (k, v) in pairs {
            doc.param(2, k, &value_text(v));
            doc.term(6, lookup(k));
        }
        doc.blank();
    };
    section(doc, "URL query parameters", &d.query, glossary::param);
    section(
        doc,
        "Redirect target (Location) parameters",
        &d.location_query,
        glossary::param,
    );
    section(doc, "Form body parameters", &d.form, glossary::param);
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
        section(doc, "JSON body fields", &pairs, glossary::param);
    }
    section(doc, "Headers", &d.headers, glossary::header);
    if doc.lines.is_empty() {
        doc.para(0, "No parameters in this message.", t.base);
    }
}

fn time_note(step_ms: u64, unix: i64, key: &str) -> String {
    let now = (EPOCH_UNIX_SECS + step_ms / 1000) as i64;
    let at = if unix >= EPOCH_UNIX_SECS as i64 {
        super::clock::label_secs(SimTime((unix as u64 - EPOCH_UNIX_SECS) * 1000))
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
        if delta > 0 {
            " — not expired"
        } else {
            " — EXPIRED"
        }
    } else {
        ""
    };
    format!("{at} ({rel}){verdict}")
}

/// The fields of `v`, each explained as the JWT found in `found_in` uses it.
fn json_fields(doc: &mut Doc, v: &serde_json::Value, step_ms: u64, found_in: &str) {
    let t = theme();
    let Some(map) = v.as_object() else {
        doc.para(4, &v.to_string(), t.base);
        return;
    };
    for (k, v) in map {
        let value = match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let note = if matches!(k.as_str(), "exp" | "iat" | "auth_time" | "nbf")
            && let Some(n) = v.as_i64()
        {
            let note = time_note(step_ms, n, k);
            let style = if note.contains("EXPIRED") {
                t.bad
            } else {
                t.dim
            };
            Some((note, style))
        } else {
            None
        };
        doc.kv(4, k, " = ", &value_text(&value), note);
        doc.term(8, glossary::claim_of(found_in, k));
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

fn tokens(doc: &mut Doc, app: &App, step: &Step) {
    let t = theme();
    if step.kind == StepKind::Event {
        doc.para(0, "(An event, not a message.)", t.dim);
        doc.blank();
    }
    let views = derived(app);
    let before = doc.lines.len();
    for v in &views {
        doc.para(0, &format!("{} — a JWT", v.found_in), t.title);
        match &v.signature {
            Ok(s) => doc.para(2, &format!("✔ signature {s}"), t.ok),
            Err(e) => doc.para(2, &format!("✘ signature check failed: {e}"), t.bad),
        }
        doc.para(2, "Header", t.bold);
        json_fields(doc, &v.header, step.time_ms, &v.found_in);
        doc.para(2, "Claims", t.bold);
        json_fields(doc, &v.claims, step.time_ms, &v.found_in);
        doc.blank();
    }
    for name in ["refresh_token", "code"] {
        if let Some(value) = step.decoded.param(name)
            && !views.iter().any(|v| v.found_in == name)
        {
            doc.para(0, &format!("{name} — opaque"), t.title);
            doc.kv(2, "value", " = ", &value_text(&value), None);
            doc.para(
                2,
                "A random string with no meaning of its own: only the AS can look it up.",
                t.dim,
            );
            doc.blank();
        }
    }
    if doc.lines.len() == before {
        doc.para(0, "No token in this message.", t.base);
        let steps = &app.timeline.trace().steps;
        let near = steps[app.cursor..]
            .iter()
            .chain(steps[..app.cursor].iter().rev())
            .find(|s| !s.decoded.jwts.is_empty());
        match near {
            Some(s) => doc.para(
                0,
                &format!(
                    "Step {} carries one ({}): select it to see it decoded.",
                    s.index, s.summary
                ),
                t.dim,
            ),
            None => doc.para(
                0,
                "Tokens appear once the client redeems the code at the token endpoint.",
                t.dim,
            ),
        }
    }
}

fn pkce(doc: &mut Doc, app: &App) {
    let t = theme();
    let s = inspect::pkce_story(app.timeline.trace(), app.cursor);
    doc.para(0, "PKCE — Proof Key for Code Exchange (RFC 7636)", t.title);
    doc.para(
        0,
        "Whoever redeems the code must prove they started the request: the client keeps a secret verifier and sends only its hash.",
        t.dim,
    );
    doc.blank();
    let Some(auth) = s.authorize_step else {
        doc.para(
            0,
            "No authorization request yet. Step on: the client's redirect to /authorize will carry the code_challenge.",
            t.base,
        );
        return;
    };
    doc.para(
        0,
        &format!("1. Authorization request (step {auth})"),
        t.bold,
    );
    match &s.challenge {
        Some(c) => {
            doc.kv(3, "code_challenge", "  ", c, None);
            let m = s
                .method
                .clone()
                .unwrap_or_else(|| "(absent: means plain, RFC 7636 §4.3)".into());
            doc.kv(3, "method", "          ", &m, None);
        }
        None => doc.para(
            3,
            "No code_challenge: this code is bound to nothing — whoever gets it can redeem it.",
            t.bad,
        ),
    }
    doc.blank();
    let Some(tok) = s.token_step else {
        doc.para(
            0,
            "2. The verifier is still secret inside the client; it travels only in the token request, over the back channel.",
            t.base,
        );
        return;
    };
    doc.para(0, &format!("2. Token request (step {tok})"), t.bold);
    match &s.verifier {
        Some(v) => {
            doc.kv(3, "code_verifier", "   ", v, None);
            if let Some(h) = &s.sha256_hex {
                doc.kv(3, "SHA-256 (hex)", "   ", h, None);
            }
            if let Some(c) = &s.computed {
                let how = if s.method.as_deref() == Some("plain") {
                    "(= the verifier: plain)"
                } else {
                    "(base64url of the 32 bytes, no padding)"
                };
                doc.kv(3, "→ challenge", "     ", c, Some((how.to_string(), t.dim)));
            }
            doc.blank();
            doc.para(0, "3. The AS compares (RFC 7636 §4.6)", t.bold);
            doc.kv(
                3,
                "computed",
                "  ",
                &s.computed.clone().unwrap_or_default(),
                None,
            );
            doc.kv(
                3,
                "stored  ",
                "  ",
                &s.challenge.clone().unwrap_or_else(|| "(none)".into()),
                None,
            );
            let same = s.computed.is_some() && s.computed == s.challenge;
            if same {
                doc.para(
                    3,
                    "✔ equal: the redeemer is the client that started the flow",
                    t.ok,
                );
            } else if s.challenge.is_none() {
                doc.para(3, "✘ nothing stored to compare with", t.bad);
            } else {
                doc.para(
                    3,
                    "✘ different: the AS must refuse the code (invalid_grant)",
                    t.bad,
                );
            }
        }
        None => doc.para(
            3,
            "No code_verifier sent: nothing proves who is redeeming this code.",
            t.bad,
        ),
    }
    if let (Some(i), Some(a)) = (s.answer_step, &s.answer) {
        doc.blank();
        doc.para(0, &format!("4. The AS answered (step {i}): {a}"), t.bold);
    }
}

fn state(doc: &mut Doc, app: &App) {
    let t = theme();
    let Some(st) = app.timeline.state_at(app.cursor) else {
        doc.para(0, "No state yet.", t.base);
        return;
    };
    match app.timeline.live_state_after() {
        Some(after) => live_state_heading(doc, app.cursor, after, st.now),
        None => doc.lines.push(Line::from(vec![
            Span::styled("After this step", t.title),
            Span::styled(
                format!(" · simulated time {}", super::clock::label(st.now)),
                t.dim,
            ),
        ])),
    }
    doc.blank();
    for a in &st.actors {
        doc.para(0, &a.label, t.title);
        if a.sections.is_empty() {
            doc.para(2, "(nothing held)", t.dim);
        }
        for s in &a.sections {
            doc.para(2, &s.title, t.bold);
            if s.rows.is_empty() {
                doc.para(4, "(empty)", t.dim);
            }
            for (k, v) in &s.rows {
                if v.is_empty() {
                    // A bare entry such as `(none)` or `(blank)`: no `key:` to show.
                    doc.para(4, k, t.dim);
                } else {
                    doc.kv_words(4, k, ": ", v);
                }
            }
        }
        doc.blank();
    }
}

/// Live mode's State heading: the state is the one now, taken after step `after`.
fn live_state_heading(doc: &mut Doc, cursor: usize, after: usize, now: SimTime) {
    let t = theme();
    doc.lines.push(Line::from(vec![
        Span::styled(format!("State now, after step {after}"), t.title),
        Span::styled(format!(" · live clock {}", super::clock::label(now)), t.dim),
    ]));
    if cursor != after {
        let text = format!(
            "You are on step {cursor}: this is every party's state now, not after that step (live mode does not keep the state step by step)."
        );
        doc.para(0, &text, t.dim);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(doc: &Doc) -> Vec<String> {
        doc.lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn values_wrap_at_spaces_under_a_stable_indent() {
        assert_eq!(
            words("openid profile photos.read", 12, 20),
            ["openid", "profile photos.read"]
        );
        // A word longer than its line is cut, not dropped.
        assert_eq!(words("abcdefghij", 4, 6), ["abcd", "efghij"]);
        let mut doc = Doc::new(36);
        doc.param(2, "scope", "openid profile photos.read extra");
        doc.param(2, "code_challenge_method", "S256 or plain here");
        // Continuation lines start 4 columns in from the key, whatever its length.
        assert_eq!(
            texts(&doc),
            [
                "  scope = openid profile photos.read",
                "      extra",
                "  code_challenge_method = S256 or",
                "      plain here",
            ]
        );
    }

    #[test]
    fn a_state_value_wraps_at_word_boundaries_and_only_a_long_token_is_cut() {
        let mut doc = Doc::new(31);
        doc.kv_words(4, "consent", ": ", "photo-printer for photos.read openid");
        doc.kv_words(4, "code", ": ", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assert_eq!(
            texts(&doc),
            [
                "    consent: photo-printer for",
                "             photos.read openid",
                "    code: AAAAAAAAAAAAAAAAAAAAA",
                "          AAAAAAAAAAAAAAA",
            ]
        );
    }

    #[test]
    fn an_empty_value_says_so_and_an_api_field_has_no_dangling_dash() {
        let mut doc = Doc::new(40);
        doc.param(2, "state", "");
        doc.term(6, glossary::param("owner"));
        let lines = texts(&doc);
        assert_eq!(lines[0], "  state = (empty)");
        assert!(!lines[1].contains('—'), "{lines:?}");
        assert!(lines[1].contains("whose photos"), "{lines:?}");
    }
}
