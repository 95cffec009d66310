//! The narration pane: the latest notice, what the step is in plain words, and what
//! the receiver did and why (the step's annotation). Its text is wrapped at word
//! boundaries; when it is longer than the pane, the pane scrolls (Tab to it, then
//! ↑↓ PgUp PgDn, or the mouse wheel over it).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use crate::tui::app::{App, Level, Pane};
use crate::tui::narrate;
use crate::tui::theme::theme;

use super::util::{pane_block, wrap_styled};

/// One line of the narration before wrapping: styled pieces.
type Pieces = Vec<(String, Style)>;

/// The narration's lines wrapped to `width` columns.
pub fn lines(app: &App, width: u16) -> Vec<Line<'static>> {
    wrapped(content(app, true), width)
}

/// The step's sentence and notes without the notice, wrapped to `width` columns (for
/// the lesson pane, which shows the notice itself).
pub fn step_lines(app: &App, width: u16) -> Vec<Line<'static>> {
    wrapped(content(app, false), width)
}

fn wrapped(content: Vec<Pieces>, width: u16) -> Vec<Line<'static>> {
    let w = width.max(1) as usize;
    content
        .iter()
        .flat_map(|p| {
            if p.is_empty() {
                vec![Line::raw("")]
            } else {
                wrap_styled(p, w, 0)
            }
        })
        .collect()
}

/// How many lines the narration takes at `width` columns.
pub fn height_needed(app: &App, width: u16) -> u16 {
    lines(app, width).len().min(u16::MAX as usize) as u16
}

/// Draws the pane, scrolled as far as the app asks but no further than its last
/// page; returns that last page's scroll (for the scroll handler).
pub fn render(app: &App, area: Rect, buf: &mut Buffer) -> u16 {
    let t = theme();
    let focused = app.focus == Pane::Narration;
    let inner = Block::default().borders(Borders::ALL).inner(area);
    // More air on a projector.
    let text = if app.presenter && inner.width > 8 && inner.height > 1 {
        Rect::new(inner.x + 2, inner.y + 1, inner.width - 4, inner.height - 1)
    } else {
        inner
    };
    let lines = lines(app, text.width);
    let max_scroll = (lines.len() as u16).saturating_sub(text.height);
    let scroll = app.narration_scroll.min(max_scroll);
    let how = if focused {
        "↑↓ PgUp PgDn scroll"
    } else {
        "Tab here to scroll"
    };
    let more = match (scroll > 0, scroll < max_scroll) {
        (true, true) => format!(" ↑↓ more · {how} "),
        (false, true) => format!(" ↓ more · {how} "),
        (true, false) => format!(" ↑ more · {how} "),
        (false, false) => String::new(),
    };
    let mut block = pane_block("What happened", focused);
    if !more.is_empty() {
        block = block.title_bottom(Line::styled(more, t.dim).right_aligned());
    }
    block.render(area, buf);
    if !text.is_empty() {
        Paragraph::new(lines).scroll((scroll, 0)).render(text, buf);
    }
    max_scroll
}

/// The notice, the step's sentence and its notes, as unwrapped lines.
fn content(app: &App, with_notice: bool) -> Vec<Pieces> {
    let t = theme();
    let mut lines: Vec<Pieces> = Vec::new();
    if with_notice && let Some(n) = &app.notice {
        let (mark, style) = match n.level {
            Level::Info => ("ℹ ", t.bold),
            Level::Changed => ("Δ ", t.changed),
            Level::Problem => ("✘ ", t.bad),
        };
        lines.push(vec![(format!("{mark}{}", n.text), style)]);
    }
    if let Some(step) = app.step() {
        let sentence = narrate::narrate(app.timeline.trace(), step);
        let head = if step.kind == crate::sim::StepKind::Event {
            format!("Step {} · event", step.index)
        } else {
            format!(
                "Step {} · {} → {} · {}",
                step.index,
                step.from,
                step.to,
                channel_name(app, step.channel)
            )
        };
        let sentence_style = if app.presenter {
            t.bold
        } else {
            t.bold.remove_modifier(Modifier::DIM)
        };
        lines.push(vec![
            (format!("{head}:"), t.dim),
            (sentence, sentence_style),
        ]);
        if app.presenter {
            lines.push(Vec::new());
        }
        if !step.annotation.is_empty() {
            lines.push(vec![(step.annotation.clone(), t.base)]);
        }
    }
    lines
}

/// The step's channel as the header names it. Live, a `══▶` step may come from curl or the
/// learner's own client, so it is "direct (not through a browser)", not "back-channel".
fn channel_name(app: &App, channel: crate::sim::Channel) -> &'static str {
    match channel {
        crate::sim::Channel::BackChannel if app.timeline.is_live() => {
            "direct (not through a browser)"
        }
        other => other.label(),
    }
}
