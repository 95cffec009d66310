//! The terminal UI (ratatui + crossterm, a tokio event loop at the edge).
//!
//! - [`app::App`] holds the whole state; [`update::update`] is the only function that
//!   changes it, one [`action::Action`] at a time (no I/O, no threads: tests drive it
//!   directly);
//! - [`view`] draws it (`impl Widget for &App`), in small files, one per pane;
//! - [`timeline::Timeline`] is the world behind the screen: a simulation stepped as the
//!   learner steps, replayed from seed + defenses + inputs when the past changes;
//! - [`run`] owns the terminal: raw mode, mouse, the panic hook, and the event loop.

pub mod action;
pub mod app;
pub mod attacks;
pub mod editor;
pub mod glossary;
pub mod inspect;
pub mod lesson;
pub mod narrate;
pub mod run;
pub mod theme;
pub mod timeline;
pub mod update;
pub mod view;

pub use action::{Action, map_key};
pub use app::App;
pub use update::update;

use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// Feeds a key to the app as the event loop would: key → action → update.
pub fn press(app: &mut App, key: ratatui::crossterm::event::KeyEvent) {
    if let Some(action) = map_key(app, key) {
        update(app, action);
    }
}

/// Renders the app into an in-memory terminal of `width` × `height` and returns the
/// screen as text (for snapshots, the README and the benchmark).
pub fn render_to_text(app: &App, width: u16, height: u16) -> String {
    let mut terminal = match Terminal::new(TestBackend::new(width, height)) {
        Ok(t) => t,
        Err(e) => return format!("cannot create a test terminal: {e}"),
    };
    if let Err(e) = terminal.draw(|f| f.render_widget(app, f.area())) {
        return format!("draw failed: {e}");
    }
    view::buffer_text(terminal.backend().buffer())
}
