//! The narration pane: the latest notice, what the step is in plain words, and what
//! the receiver did and why (the step's annotation).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::tui::app::{App, Level};
use crate::tui::narrate;
use crate::tui::theme::theme;

use super::util::wrap;

/// How many lines the narration takes at `width` columns.
pub fn height_needed(app: &App, width: u16) -> u16 {
    let w = width.max(1) as usize;
    content(app)
        .iter()
        .map(|l| {
            let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            wrap(&text, w).len().max(1)
        })
        .sum::<usize>()
        .min(u16::MAX as usize) as u16
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let t = theme();
    let w = if app.presenter {
        area.width.saturating_sub(6)
    } else {
        area.width.saturating_sub(2)
    };
    let room = if app.presenter {
        area.height.saturating_sub(3)
    } else {
        area.height.saturating_sub(2)
    };
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border)
        .title(Line::styled(" What happened ", t.title));
    if height_needed(app, w) > room {
        block = block.title_bottom(
            Line::styled(" ↓ cut off — a taller window shows the rest ", t.dim).right_aligned(),
        );
    }
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.is_empty() {
        return;
    }
    let para = Paragraph::new(content(app)).wrap(Wrap { trim: true });
    if app.presenter && inner.width > 8 {
        // More air on a projector.
        let padded = Rect::new(
            inner.x + 2,
            inner.y + 1.min(inner.height / 4),
            inner.width - 4,
            inner.height.saturating_sub(1),
        );
        para.render(padded, buf);
    } else {
        para.render(inner, buf);
    }
}

/// The notice, the step's sentence and its notes.
fn content(app: &App) -> Vec<Line<'static>> {
    let t = theme();
    let mut lines: Vec<Line<'static>> = Vec::new();
    if let Some(n) = &app.notice {
        let (mark, style) = match n.level {
            Level::Info => ("ℹ ", t.bold),
            Level::Changed => ("Δ ", t.changed),
            Level::Problem => ("✘ ", t.bad),
        };
        lines.push(Line::styled(format!("{mark}{}", n.text), style));
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
                step.channel.label()
            )
        };
        let sentence_style = if app.presenter {
            t.bold
        } else {
            t.bold.remove_modifier(Modifier::DIM)
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{head}: "), t.dim),
            Span::styled(sentence, sentence_style),
        ]));
        if app.presenter {
            lines.push(Line::raw(""));
        }
        if !step.annotation.is_empty() {
            lines.push(Line::raw(step.annotation.clone()));
        }
    }
    lines
}
