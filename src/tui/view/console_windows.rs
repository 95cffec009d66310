//! The attacker console's windows: the position picker, the compose window (fields,
//! raw HTTP in the editor, the loot picker), and a challenge's briefing, hint question
//! and debrief.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::console_challenge;
use super::overlays::{editor_text, window};
use super::util::{paint, put, put_row, wrap};
use crate::terminal_text::{one_line, printable};
use crate::tui::app::App;
use crate::tui::console::Window;
use crate::tui::console::compose::{self, Compose};
use crate::tui::theme::theme;
use crate::workshop::Position;

pub fn render(app: &App, w: &Window, area: Rect, buf: &mut Buffer) {
    match w {
        Window::Positions { selected } => positions(*selected, area, buf),
        Window::Compose(c) => compose(c, area, buf),
        Window::Briefing { scroll } => text_window(
            area,
            buf,
            "Briefing",
            "↑↓ scroll · H hint · Esc close",
            console_challenge::briefing_lines(app),
            *scroll,
        ),
        Window::HintAsk => hint_ask(app, area, buf),
        Window::Debrief { scroll } => text_window(
            area,
            buf,
            "Solved — debrief",
            "f your moves against the fixed deployment · Esc close",
            console_challenge::debrief_lines(app),
            *scroll,
        ),
    }
}

fn positions(selected: usize, area: Rect, buf: &mut Buffer) {
    let t = theme();
    let h = (Position::ALL.len() as u16 * 2 + 8).min(area.height.saturating_sub(2));
    let inner = window(
        area,
        buf,
        100,
        h,
        "Attacker console — choose your position (RFC 9700 §3)",
        "↑↓ choose · Enter take it · Esc close",
    );
    if inner.height < 4 {
        return;
    }
    let w = inner.width as usize;
    put_row(
        buf,
        inner,
        inner.y,
        "The world is built again, same seed and defenses, with this attacker's actors and taps. No script: you move.",
        t.dim,
    );
    let detail_h = 3u16;
    let list_top = inner.y + 2;
    let list_h = inner.bottom().saturating_sub(list_top + detail_h + 1) as usize;
    let first = selected.saturating_sub(list_h.saturating_sub(1));
    for (i, p) in Position::ALL.iter().enumerate().skip(first).take(list_h) {
        let y = list_top + (i - first) as u16;
        let mark = if i == selected { "▶ " } else { "  " };
        let text = format!("{mark}{:<17} {}", p.name(), p.capability().label());
        put_row(buf, inner, y, &text, t.base);
        if i == selected {
            paint(buf, Rect::new(inner.x, y, inner.width, 1), t.current);
        }
    }
    if let Some(p) = Position::ALL.get(selected) {
        let y = inner.bottom() - detail_h;
        let text = format!("You would be {}.", p.describe());
        for (i, line) in wrap(&text, w).iter().take(detail_h as usize).enumerate() {
            put(buf, inner, inner.x, y + i as u16, line, t.bold);
        }
    }
}

fn compose(c: &Compose, area: Rect, buf: &mut Buffer) {
    let t = theme();
    // Fields, their heading and help, the text's heading, the text and its error.
    let wanted = c.template.fields().len() + c.editor.lines.len() + 9;
    let inner = window(
        area,
        buf,
        area.width.saturating_sub(4).min(120),
        (wanted as u16).clamp(18, area.height.saturating_sub(2).max(1)),
        &format!(
            "Compose · {} — {}",
            c.template.name(),
            compose::title(c.template)
        ),
        "Ctrl-S send · Tab field · Ctrl-F pick · Ctrl-E type · Esc cancel",
    );
    if inner.height < 6 || inner.width < 20 {
        return;
    }
    put_row(
        buf,
        inner,
        inner.y,
        "Fields — Tab selects one; Ctrl-F fills it from loot, Ctrl-E types it (the text is then written again):",
        t.dim,
    );
    let fields = c.template.fields();
    for (i, f) in fields.iter().enumerate() {
        let y = inner.y + 1 + i as u16;
        let typing = c.typing.as_ref().filter(|_| i == c.field);
        let (value, style) = match (typing, c.values.get(f.name)) {
            (Some(v), _) => (
                format!("{}▏ (Enter sets it, Esc cancels)", one_line(v)),
                t.bold,
            ),
            (None, Some((v, Some(step)))) => (format!("from step {step}: {}", one_line(v)), t.ok),
            (None, Some((v, None))) => (format!("{} (typed)", one_line(v)), t.ok),
            (None, None) => match f.default {
                Some(d) => (format!("{d} (default)"), t.base),
                None if f.required => ("— empty: pick it from loot".to_string(), t.bad),
                None => ("— (optional)".to_string(), t.dim),
            },
        };
        let mark = if i == c.field { "▶" } else { " " };
        let text = format!("{mark} {:<15} {value}", f.name);
        put_row(buf, inner, y, &text, style);
        if i == c.field {
            paint(buf, Rect::new(inner.x, y, inner.width, 1), t.current);
        }
    }
    let top = inner.y + 1 + fields.len() as u16;
    let help = fields.get(c.field).map_or("", |f| f.help);
    put_row(
        buf,
        inner,
        top,
        &format!("  {}: {help}", c.field_name()),
        t.dim,
    );
    put_row(
        buf,
        inner,
        top + 1,
        &format!("Raw HTTP — {} (edit freely):", compose::kind_words(c.kind)),
        t.title,
    );
    let text = Rect::new(
        inner.x,
        top + 2,
        inner.width,
        inner.bottom().saturating_sub(top + 2),
    );
    editor_text(
        &c.editor,
        text,
        buf,
        "It stays here; fix it, or Esc.",
        "The receiver parses exactly this text. Ctrl-L sets Content-Length.",
    );
    if c.picker.is_some() {
        picker(c, area, buf);
    }
}

fn picker(c: &Compose, area: Rect, buf: &mut Buffer) {
    let t = theme();
    let fit = c.pickables.iter().filter(|p| p.fits).count();
    let h = (c.pickables.len() as u16 + 4).clamp(6, area.height.saturating_sub(6).max(6));
    let inner = window(
        area,
        buf,
        area.width.saturating_sub(10).min(100),
        h,
        &format!("Pick the {} — {fit} fit", c.field_name()),
        "↑↓ choose · Enter fill · Esc back",
    );
    let w = inner.width as usize;
    if c.pickables.is_empty() {
        let text = "Nothing in loot yet: step on with → until your position receives something.";
        for (i, line) in wrap(text, w).iter().enumerate() {
            put(buf, inner, inner.x, inner.y + i as u16, line, t.dim);
        }
        return;
    }
    let sel = c.picker.unwrap_or(0).min(c.pickables.len() - 1);
    let list_h = inner.height as usize;
    let first = sel.saturating_sub(list_h.saturating_sub(1));
    for (i, p) in c.pickables.iter().enumerate().skip(first).take(list_h) {
        let y = inner.y + (i - first) as u16;
        let mark = if i == sel { "▶" } else { " " };
        let first_line = p.value.lines().next().unwrap_or("");
        let text = format!(
            "{mark} {:<13} step {:>3}  {}",
            p.kind,
            p.step,
            one_line(first_line)
        );
        let style = if p.fits { t.base } else { t.dim };
        put_row(buf, inner, y, &text, style);
        if i == sel {
            paint(buf, Rect::new(inner.x, y, inner.width, 1), t.current);
        }
    }
}

fn text_window(
    area: Rect,
    buf: &mut Buffer,
    title: &str,
    footer: &str,
    lines: Vec<(String, bool)>,
    scroll: u16,
) {
    let t = theme();
    let inner = window(
        area,
        buf,
        area.width.saturating_sub(6).min(96),
        area.height.saturating_sub(2),
        title,
        footer,
    );
    let lines: Vec<Line<'static>> = (lines.into_iter())
        .map(|(text, heading)| {
            // A file's paragraph keeps no line breaks of its own: the window wraps it.
            let indent = text.len() - text.trim_start().len();
            let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
            let text = format!("{}{}", " ".repeat(indent), printable(&words));
            if heading {
                Line::styled(text, t.title)
            } else {
                Line::from(Span::raw(text))
            }
        })
        .collect();
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0))
        .render(inner, buf);
}

fn hint_ask(app: &App, area: Rect, buf: &mut Buffer) {
    let t = theme();
    let question = console_challenge::hint_question(app);
    let h = wrap(&question, 62).len() as u16 + 2;
    let inner = window(area, buf, 64, h, "Hint", "y show it · any other key: no");
    for (i, line) in wrap(&question, inner.width as usize)
        .iter()
        .take(inner.height as usize)
        .enumerate()
    {
        put(buf, inner, inner.x, inner.y + i as u16, line, t.bold);
    }
}
