//! The goal banner: the moment a watched goal predicate holds, which one, from which
//! step, and what the attacker achieved (in the predicate's own words).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::util::{paint, put, truncate, wrap};
use crate::terminal_text::one_line;
use crate::tui::app::App;
use crate::tui::console::goal;
use crate::tui::theme::theme;

/// Whether there is a goal banner to draw at the selected step.
pub fn wanted(app: &App) -> bool {
    goal::shown(app).is_some()
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let t = theme();
    let Some(g) = goal::shown(app) else { return };
    let style = t.banner_bad;
    paint(buf, area, style);
    let w = area.width.saturating_sub(2) as usize;
    let solved = app.challenge.as_ref().is_some_and(|c| c.solved.is_some());
    let headline = if solved {
        format!(
            "⚠ GOAL REACHED at step {} · {} — challenge SOLVED (D: debrief)",
            g.step, g.title
        )
    } else {
        format!("⚠ GOAL REACHED at step {} · {}", g.step, g.title)
    };
    let mut lines = vec![truncate(&headline, w)];
    let what = one_line(&g.what).into_owned();
    lines.extend(
        wrap(&what, w.saturating_sub(2))
            .into_iter()
            .map(|l| format!("  {l}")),
    );
    for (i, line) in lines.iter().take(area.height as usize).enumerate() {
        put(buf, area, area.x + 1, area.y + i as u16, line, style);
    }
}
