//! Live mode's UI state: the simulation UI's [`App`] (its timeline showing the live
//! trace), the hub it reads, and what the intercept holds.

use std::sync::Arc;

use crate::actors::well_known as wk;
use crate::live::hold::HeldView;
use crate::live::{Hub, LiveUrls};
use crate::tui::app::{App, Level, MIN_HEIGHT};
use crate::tui::timeline::{Timeline, WorldSpec};

/// Rows the held-request pane takes at most.
const HELD_PANE_MAX: u16 = 10;

/// Rows of the held requests drawn over the narration on the smallest screens: the
/// border, the keys, the chosen request, the border.
const HELD_OVERLAY_ROWS: u16 = 4;

/// The live UI's whole state.
pub struct LiveApp {
    /// The panes' state; its timeline shows the live trace.
    pub app: App,
    pub hub: Arc<Hub>,
    pub urls: LiveUrls,
    /// The requests held at the intercept, as of the last refresh (oldest first).
    pub held: Vec<HeldView>,
    /// The held request the keys act on.
    pub held_selected: usize,
    /// Whether the selection moves to each new step as it arrives.
    pub follow: bool,
    /// The whole screen; the panes get what the held-request pane leaves.
    pub size: (u16, u16),
}

impl LiveApp {
    /// The live UI over `hub`'s trace so far, in `spec`'s world (seed, profile,
    /// defenses), the newest step selected.
    pub fn new(hub: Arc<Hub>, urls: LiveUrls, mut spec: WorldSpec) -> Self {
        spec.defenses = hub.defenses();
        let jwks = hub
            .with_actor::<crate::actors::auth_server::AuthServer, _>(wk::AS, |a| a.jwks().clone());
        let mut app = App::new(spec.clone());
        app.timeline = Timeline::live(spec, hub.trace(), jwks);
        app.overlay = None;
        app.cursor = app.timeline.len().saturating_sub(1);
        app.notify(
            Level::Info,
            format!(
                "Live: open {}/ in a browser and sign in as {} (password {}), or call the servers with curl or your own client; every message appears here as it arrives.",
                urls.client,
                wk::ALICE,
                wk::ALICE_PASSWORD
            ),
        );
        LiveApp {
            app,
            hub,
            urls,
            held: Vec::new(),
            held_selected: 0,
            follow: true,
            size: (120, 40),
        }
    }

    /// Whether the intercept holds arriving requests.
    pub fn intercepting(&self) -> bool {
        self.hub.holds().is_on()
    }

    /// The held request the keys act on.
    pub fn selected_held(&self) -> Option<&HeldView> {
        self.held
            .get(self.held_selected.min(self.held.len().saturating_sub(1)))
    }

    /// Rows of the held-request pane at the bottom: none while intercept is off and
    /// nothing is held, or when the screen has no room beside the panes (then the
    /// held requests are drawn over the narration: [`LiveApp::held_overlay_height`]).
    pub fn held_pane_height(&self) -> u16 {
        if !self.intercepting() && self.held.is_empty() {
            return 0;
        }
        let room = self.size.1.saturating_sub(MIN_HEIGHT);
        let want = (3 + self.held.len().max(1) as u16).min(HELD_PANE_MAX);
        if room < 4 { 0 } else { want.min(room) }
    }

    /// Rows of the held requests drawn over the bottom of the narration when the
    /// screen has no room for their pane (the smallest screens): whatever is held, the
    /// chosen request stays in sight with its countdown and the keys that act on it.
    pub fn held_overlay_height(&self) -> u16 {
        if self.held.is_empty() || self.held_pane_height() > 0 {
            return 0;
        }
        HELD_OVERLAY_ROWS
    }
}
