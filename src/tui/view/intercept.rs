//! The held-messages pane of intercept mode.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{BorderType, Widget};

use super::util::{focus_block, paint, put, put_row, wrap};
use crate::sim::decode::summary;
use crate::tui::app::{App, Pane};
use crate::tui::theme::theme;

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let t = theme();
    let focused = app.focus == Pane::Intercept;
    let held = app.timeline.sim().held();
    let only = match app.timeline.sim().holding_only_to() {
        Some(actor) => format!("(only to {actor}) "),
        None => String::new(),
    };
    let title = format!(
        "{}Intercept · {} held {only}",
        if focused { " ● " } else { " " },
        held.len()
    );
    let block = focus_block(focused, BorderType::Plain, t.warn)
        .title(Line::styled(title, t.warn))
        .title_bottom(Line::styled(" f fwd · x drop · e edit · r replay ", t.dim));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.is_empty() {
        return;
    }
    let w = inner.width as usize;
    if held.is_empty() {
        let text = if app.is_intercepting() {
            "Nothing held yet. Press → : the next message anyone sends stops here, before delivery."
        } else {
            "Intercept is off."
        };
        for (i, line) in wrap(text, w).iter().take(inner.height as usize).enumerate() {
            put(buf, inner, inner.x, inner.y + i as u16, line, t.dim);
        }
        return;
    }
    let sel = app.held_selected.min(held.len() - 1);
    let first = sel.saturating_sub(inner.height.saturating_sub(1) as usize);
    for (row, env) in held
        .iter()
        .enumerate()
        .skip(first)
        .take(inner.height as usize)
    {
        let y = inner.y + (row - first) as u16;
        let mark = if row == sel { "▶ " } else { "  " };
        let text = format!("{mark}{} → {}: {}", env.from, env.to, summary(&env.wire));
        put_row(buf, inner, y, &text, t.base);
        if row == sel {
            paint(buf, Rect::new(inner.x, y, inner.width, 1), t.current);
        }
    }
}
