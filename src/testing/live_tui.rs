//! Live mode's UI in tests: the UI over a live world's hub at a given size, key
//! sequences, bounded waits for the trace to grow, and the screen as text.

use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::KeyEvent;

use super::live::LIVE_WAIT;
use crate::actors::Profile;
use crate::live::LiveServer;
use crate::tui::Action;
use crate::tui::live::handlers::{apply, refresh_held, refresh_state, refresh_trace};
use crate::tui::live::{LiveApp, press, render_to_text};
use crate::tui::timeline::WorldSpec;

/// The live UI over `server` (started under `profile`) at `w` × `h`, as `serve` opens
/// it.
pub fn live_ui_at(server: &LiveServer, profile: Profile, w: u16, h: u16) -> LiveApp {
    let spec = WorldSpec::happy_path(crate::sim::world::DEFAULT_SEED, profile);
    let mut live = LiveApp::new(Arc::clone(server.hub()), server.urls().clone(), spec);
    apply(&mut live, Action::Resize(w, h));
    live_ui_refresh(&mut live);
    live
}

/// The live UI of a `bcp` server at `w`×`h` with its help open: the app and the screen.
pub fn live_help_at(server: &LiveServer, w: u16, h: u16) -> (LiveApp, String) {
    let mut live = live_ui_at(server, Profile::Bcp, w, h);
    live_keys(&mut live, &[crate::testing::ch('?')]);
    let screen = live_screen(&live);
    assert!(screen.contains("Help — every key"), "{screen}");
    (live, screen)
}

/// Takes in what the hub recorded and holds now, as the event loop does.
pub fn live_ui_refresh(live: &mut LiveApp) {
    refresh_trace(live);
    refresh_held(live);
    refresh_state(live);
}

/// Presses each key in turn.
pub fn live_keys(live: &mut LiveApp, seq: &[KeyEvent]) {
    for &k in seq {
        press(live, k);
    }
}

/// The live UI's screen as text, at its size.
pub fn live_screen(live: &LiveApp) -> String {
    render_to_text(live, live.size.0, live.size.1)
}

/// Refreshes until `done` holds for the screen (at most [`LIVE_WAIT`]); returns it.
pub fn live_screen_until(live: &mut LiveApp, done: impl Fn(&str) -> bool) -> String {
    let until = Instant::now() + LIVE_WAIT;
    loop {
        live_ui_refresh(live);
        let screen = live_screen(live);
        if done(&screen) {
            return screen;
        }
        assert!(
            Instant::now() < until,
            "the live UI shows what was expected within {LIVE_WAIT:?}; it shows:\n{screen}"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}
