//! Windows over the panes: welcome, help, defense panel, attack picker, matrix, editor.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Widget, Wrap};

use super::util::{centered, paint, put, put_row, truncate, width, wrap};
use crate::actors::defenses::{DEFENSES, Profile};
use crate::tui::app::App;
use crate::tui::editor::Editor;
use crate::tui::help;
use crate::tui::theme::theme;

pub(crate) fn window(
    area: Rect,
    buf: &mut Buffer,
    w: u16,
    h: u16,
    title: &str,
    footer: &str,
) -> Rect {
    let t = theme();
    let r = centered(area, w, h);
    Clear.render(r, buf);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(t.bold)
        .title(Line::styled(format!(" {title} "), t.title));
    if !footer.is_empty() && (width(footer) as u16) + 4 < r.width {
        block = block.title_bottom(Line::styled(format!(" {footer} "), t.dim).right_aligned());
    }
    let inner = block.inner(r);
    block.render(r, buf);
    inner
}

pub fn welcome(area: Rect, buf: &mut Buffer) {
    let t = theme();
    let inner = window(
        area,
        buf,
        70,
        12,
        "Welcome to oauth-lab",
        "any key closes this and does its usual job (Space plays, q quits)",
    );
    let key = |k: &str, what: &str| {
        Line::from(vec![
            Span::styled(format!("  {k:<9}"), t.key),
            Span::raw(what.to_string()),
        ])
    };
    let lines = vec![
        Line::raw("Alice signs in to Photo Printer with as.example."),
        Line::raw("Every redirect and every server-to-server call is a real HTTP"),
        Line::raw("message: step through them and look inside."),
        Line::raw(""),
        key("→", "step through the flow (← goes back)"),
        key("Tab 1-5", "inspect: raw, params, tokens, PKCE, state"),
        key("d", "defenses: switch one off, watch what changes"),
        key("a", "attacks: launch one, see if it succeeds"),
        key("L", "lessons: a guided course — start with lesson 1"),
        key("?", "help: every key"),
    ];
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}

/// What the three arrows mean. Live, the `══▶` arrow also carries requests from curl and
/// the learner's own client, which no browser sends: it means "direct", not only
/// "server to server".
pub fn arrows_legend(live: bool) -> &'static str {
    if live {
        "Arrows: ──▶ through a browser · ══▶ direct, not through a browser: server to server, curl, your client · ··▶ a copy an attacker sees."
    } else {
        "Arrows: ──▶ front-channel (through the browser) · ══▶ back-channel (server to server) · ··▶ a copy an attacker sees."
    }
}

/// One key of the help: the key column, then its description wrapped to `room` columns
/// with continuation lines under the description, not back at the window's edge.
fn help_row(k: &str, what: &str, room: usize) -> Vec<Line<'static>> {
    let t = theme();
    let key_col = format!("  {k:<16}");
    let indent = width(&key_col);
    let avail = room.saturating_sub(indent);
    // Too narrow to keep a column: let the paragraph wrap it as it comes.
    let mut pieces = if avail < 12 {
        vec![what.to_string()]
    } else {
        wrap(what, avail)
    };
    if pieces.is_empty() {
        pieces.push(String::new());
    }
    let mut rows = Vec::new();
    for (i, piece) in pieces.into_iter().enumerate() {
        rows.push(if i == 0 {
            Line::from(vec![Span::styled(key_col.clone(), t.key), Span::raw(piece)])
        } else {
            Line::raw(format!("{}{piece}", " ".repeat(indent)))
        });
    }
    rows
}

/// The help window: live mode's keys when `live`, else the simulation's.
pub fn help(scroll: u16, live: bool, area: Rect, buf: &mut Buffer) {
    let t = theme();
    let inner = window(
        area,
        buf,
        96,
        area.height.saturating_sub(2),
        "Help — every key",
        "↑↓ scroll · Esc close",
    );
    let mut lines: Vec<Line<'static>> = Vec::new();
    for (heading, keys) in help::sections(live) {
        lines.push(Line::styled(heading.to_string(), t.title));
        for (k, what) in keys {
            lines.extend(help_row(k, what, inner.width as usize));
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(arrows_legend(live), t.dim));
    if !live {
        lines.push(Line::styled("Marks: ▶ current step · ⚠ attacker · ✎ you (edited or replayed) · Δ first step changed by your last toggle.", t.dim));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0))
        .render(inner, buf);
}

pub fn defenses(app: &App, selected: usize, area: Rect, buf: &mut Buffer) {
    let t = theme();
    let spec = &app.timeline.spec;
    let h = (DEFENSES.len() as u16 + 9).min(area.height.saturating_sub(2));
    let inner = window(
        area,
        buf,
        100,
        h,
        "Defenses",
        "↑↓ choose · space on/off · ←→ value · p profile · Esc close",
    );
    if inner.height < 3 {
        return;
    }
    let mut listed = Profile::CLASSIC.to_vec();
    if !listed.contains(&spec.profile) {
        listed.push(spec.profile);
    }
    let profiles: Vec<String> = listed
        .iter()
        .map(|p| {
            if *p == spec.profile {
                format!("[{}]", p.name())
            } else {
                p.name().to_string()
            }
        })
        .collect();
    put_row(
        buf,
        inner,
        inner.y,
        &format!(
            "Profile {} — {}",
            profiles.join(" "),
            spec.profile.description()
        ),
        t.bold,
    );
    put_row(
        buf,
        inner,
        inner.y + 1,
        &format!("Now: {}", spec.defenses_label()),
        t.base,
    );
    let list_top = inner.y + 3;
    let detail_h = 3u16;
    let list_h = inner.height.saturating_sub(3 + detail_h + 1) as usize;
    let base = spec.profile.defenses();
    let first = selected.saturating_sub(list_h.saturating_sub(1));
    for (i, d) in DEFENSES.iter().enumerate().skip(first).take(list_h) {
        let y = list_top + (i - first) as u16;
        let on = spec.defenses.is_on(d.id);
        let value = spec.defenses.value_label(d.id);
        let box_ = if on { "[✔]" } else { "[ ]" };
        let differs = base.value_label(d.id) != value;
        let mark = if i == selected { "▶" } else { " " };
        let text = format!(
            "{mark} {box_} {:<34} {:<14} {:<11}{}",
            d.name,
            value,
            d.owner,
            if differs {
                " * changed from profile"
            } else {
                ""
            }
        );
        let style = if on { t.base } else { t.bad };
        put_row(buf, inner, y, &text, style);
        if i == selected {
            paint(buf, Rect::new(inner.x, y, inner.width, 1), t.current);
        }
    }
    if let Some(d) = DEFENSES.get(selected) {
        let y = inner.bottom().saturating_sub(detail_h);
        let text = format!(
            "{} — {}. {}. Settings (←→): {}.",
            d.name,
            d.explanation,
            d.rfc,
            crate::tui::defense_values::labels(d.id).join(" · ")
        );
        for (i, line) in wrap(&text, inner.width as usize)
            .iter()
            .take(detail_h as usize)
            .enumerate()
        {
            put(
                buf,
                inner,
                inner.x,
                y + i as u16,
                line,
                if i == 0 { t.bold } else { t.base },
            );
        }
    }
}

pub fn attacks(app: &App, selected: usize, area: Rect, buf: &mut Buffer) {
    let t = theme();
    let h = (app.catalog.len() as u16 * 2 + 6).min(area.height.saturating_sub(2));
    let inner = window(
        area,
        buf,
        100,
        h,
        "Attacks",
        "↑↓ choose · Enter launch · h happy path · Esc close",
    );
    let mut y = inner.y;
    put(
        buf,
        inner,
        inner.x,
        y,
        "Each attack runs in this world under the current defenses; its verdict shows at the end.",
        t.dim,
    );
    y += 2;
    let per = 2u16;
    let list_h = (inner.bottom().saturating_sub(y) / per) as usize;
    let first = selected.saturating_sub(list_h.saturating_sub(1));
    for (i, a) in app.catalog.iter().enumerate().skip(first).take(list_h) {
        let mark = if i == selected { "▶ " } else { "  " };
        put_row(
            buf,
            inner,
            y,
            &format!("{mark}{} — {}", a.id, a.title),
            t.bold,
        );
        put(
            buf,
            inner,
            inner.x + 4,
            y + 1,
            &truncate(&a.description, inner.width.saturating_sub(4) as usize),
            t.base,
        );
        if i == selected {
            paint(buf, Rect::new(inner.x, y, inner.width, 1), t.current);
        }
        y += per;
    }
}

pub fn editor(ed: &Editor, area: Rect, buf: &mut Buffer) {
    let h = (ed.lines.len() as u16 + 6).clamp(12, area.height.saturating_sub(2).max(1));
    let inner = window(
        area,
        buf,
        area.width.saturating_sub(4).min(120),
        h,
        &format!("Edit held message #{}", ed.msg.0),
        "Ctrl-S send · Ctrl-L fix Content-Length · Esc cancel",
    );
    editor_text(
        ed,
        inner,
        buf,
        "The message is still held; fix it or press Esc.",
        "The receiver will parse exactly this text. Lines end with CRLF on the wire.",
    );
}

/// The editor's lines in `inner` (line numbers, the cursor, the line an error points
/// at), with the error (followed by `error_tail`) or `hint` on the last lines.
pub(crate) fn editor_text(
    ed: &Editor,
    inner: Rect,
    buf: &mut Buffer,
    error_tail: &str,
    hint: &str,
) {
    let t = theme();
    if inner.height < 3 || inner.width < 8 {
        return;
    }
    let err_h: u16 = if ed.error.is_some() { 2 } else { 1 };
    let text_h = inner.height.saturating_sub(err_h);
    let gutter = 4u16;
    let mut top = ed.top;
    let h = text_h as usize;
    if ed.row < top {
        top = ed.row;
    } else if ed.row >= top + h.max(1) {
        top = ed.row + 1 - h.max(1);
    }
    for (i, line) in ed.lines.iter().enumerate().skip(top).take(h) {
        let y = inner.y + (i - top) as u16;
        let bad = ed.error_line == Some(i) && ed.error.is_some();
        put(
            buf,
            inner,
            inner.x,
            y,
            &format!("{:>3}", i + 1),
            if bad { t.bad } else { t.dim },
        );
        if bad {
            put(buf, inner, inner.x + 3, y, "✘", t.bad);
        }
        // Horizontal scroll so the cursor column stays visible.
        let avail = inner.width.saturating_sub(gutter) as usize;
        let skip = if i == ed.row && ed.col >= avail {
            ed.col + 1 - avail
        } else {
            0
        };
        let shown: String = line.chars().skip(skip).collect();
        put(buf, inner, inner.x + gutter, y, &shown, t.base);
        // A line longer than the window says so at its edges (→ and End reach the rest).
        if width(&shown) > avail && avail > 1 {
            put(buf, inner, inner.right() - 1, y, "›", t.warn);
        }
        if skip > 0 {
            put(buf, inner, inner.x + gutter, y, "‹", t.warn);
        }
        if i == ed.row {
            let cx = inner.x + gutter + (ed.col - skip) as u16;
            if cx < inner.right() {
                paint(buf, Rect::new(cx, y, 1, 1), t.current);
            }
        }
    }
    let y = inner.bottom() - err_h;
    match &ed.error {
        Some(e) => {
            let msg = format!("✘ not sent — {e}. {error_tail}");
            for (i, line) in wrap(&msg, inner.width as usize)
                .iter()
                .take(err_h as usize)
                .enumerate()
            {
                put(buf, inner, inner.x, y + i as u16, line, t.bad);
            }
        }
        None => {
            put_row(buf, inner, y, hint, t.dim);
        }
    }
}
