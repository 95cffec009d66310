//! Live mode's UI (`oauth-lab serve` on a terminal): the same sequence diagram,
//! inspector, narration and notes as the simulation's UI, over the live hub's growing
//! trace, with the outside parties (a real browser, curl, the learner's client) as their
//! own lanes. Defense toggles apply to the next request; intercept holds real requests
//! (`live::hold`) with a countdown to their 504.
//!
//! Layers as in the rest of the UI: [`state::LiveApp`] (state), [`handlers`] (keys and
//! actions; they reuse the simulation UI's handlers for what means the same live),
//! [`view`] (the live header, status and held-request pane over the shared panes) and
//! [`run`] (the event loop on the live server's runtime).

pub mod handlers;
pub mod run;
pub mod state;
pub mod view;

pub use state::LiveApp;

use ratatui::crossterm::event::KeyEvent;

/// Feeds a key to the live UI as the event loop does.
pub fn press(live: &mut LiveApp, key: KeyEvent) {
    handlers::key(live, key);
}

/// Renders the live UI into an in-memory terminal of `width` × `height` and returns the
/// screen as text.
pub fn render_to_text(live: &LiveApp, width: u16, height: u16) -> String {
    super::widget_to_text(live, width, height)
}
