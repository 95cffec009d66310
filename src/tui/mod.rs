//! The terminal UI (ratatui + crossterm, a tokio event loop at the edge).
//!
//! Three layers, each importing only the ones below it:
//!
//! - state: [`app::App`] holds the whole state ([`panes`], [`lesson::state`],
//!   [`lesson::library`], [`screen`], [`editor`], ...); [`timeline::Timeline`] is the
//!   world behind the screen: a simulation stepped as the learner steps, replayed from
//!   seed + defenses + inputs when the past changes;
//! - handlers: [`action::map_key`] turns a key into an [`action::Action`];
//!   [`update::update`] applies it, one at a time, through [`nav`],
//!   [`world_changes`], [`mouse`] and [`lesson::handlers`] (no I/O, no threads: tests
//!   drive it directly; work for the event loop is queued as [`app::Task`]s);
//! - views: [`view`] draws the state (`impl Widget for &App`), in small files, one per
//!   pane, clamping what it draws and remembering where it drew it ([`screen`]).
//!
//! Above them, [`run`] owns the terminal (raw mode, mouse, the panic hook) and the
//! event loop, and [`tasks`] carries out the queued tasks.

pub mod action;
pub mod app;
pub mod attacks;
pub mod console;
pub mod defense_values;
pub mod editor;
pub mod glossary;
pub mod help;
pub mod inspect;
pub mod lesson;
pub mod live;
pub mod mouse;
pub mod narrate;
pub mod nav;
pub mod panes;
pub mod run;
pub mod run_to;
pub mod screen;
pub mod tasks;
pub mod theme;
pub mod timeline;
pub mod update;
pub mod view;
pub mod world_changes;

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
    widget_to_text(app, width, height)
}

/// Renders a widget into an in-memory terminal of `width` × `height` and returns the
/// screen as text.
pub fn widget_to_text(widget: impl ratatui::widgets::Widget, width: u16, height: u16) -> String {
    let mut terminal = match Terminal::new(TestBackend::new(width, height)) {
        Ok(t) => t,
        Err(e) => return format!("cannot create a test terminal: {e}"),
    };
    if let Err(e) = terminal.draw(|f| f.render_widget(widget, f.area())) {
        return format!("draw failed: {e}");
    }
    view::buffer_text(terminal.backend().buffer())
}
