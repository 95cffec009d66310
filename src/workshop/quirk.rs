//! Quirks of a deployment: something a party does that no defense names, chosen by a
//! challenge (each is how a catalog attack's world differs from the standard one).

use serde::{Deserialize, Serialize};

use super::Position;
use crate::actors::ActorId;
use crate::actors::native_app::NativeAppConfig;
use crate::actors::well_known as wk;
use crate::attacks::interceptors::{Tap, TapAction, is_request};
use crate::attacks::setup::{ATTACKER, ATTACKER_ORIGIN, alice_uses_a_legacy_browser};
use crate::sim::Simulation;
use crate::sim::world::WorldBuilder;

/// A quirk of one party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Quirk {
    /// Alice's browser sends full URLs in `Referer` to other https sites
    /// (`no-referrer-when-downgrade`, RFC 9700 §4.2.4).
    LegacyReferrer,
    /// Photo Printer's callback page loads an image from attacker.example (an ad).
    CallbackPageEmbedsAttacker,
    /// Photo Printer's home page loads an image from attacker.example (an ad).
    HomePageEmbedsAttacker,
    /// Photo Printer logs the callback URLs it receives, and the log leaks to the
    /// attacker (RFC 9700 §4.2.3 names logs as a place codes leak).
    CallbackLog,
    /// The Photos app only sends `plain` PKCE challenges (RFC 7636 §4.2).
    PlainPkceApp,
    /// The authorization requests Alice's browser sends are readable by the attacker
    /// (a browser history other apps may read, a proxy log): RFC 9700 §3 A4.
    AuthorizationRequestLog,
}

impl Quirk {
    /// Every quirk.
    pub const ALL: [Quirk; 6] = [
        Quirk::LegacyReferrer,
        Quirk::CallbackPageEmbedsAttacker,
        Quirk::HomePageEmbedsAttacker,
        Quirk::CallbackLog,
        Quirk::PlainPkceApp,
        Quirk::AuthorizationRequestLog,
    ];

    /// The name in files (`legacy-referrer`, …).
    pub fn name(self) -> &'static str {
        match self {
            Quirk::LegacyReferrer => "legacy-referrer",
            Quirk::CallbackPageEmbedsAttacker => "callback-page-embeds-attacker",
            Quirk::HomePageEmbedsAttacker => "home-page-embeds-attacker",
            Quirk::CallbackLog => "callback-log",
            Quirk::PlainPkceApp => "plain-pkce-app",
            Quirk::AuthorizationRequestLog => "authorization-request-log",
        }
    }

    /// The quirk with this name.
    pub fn parse(name: &str) -> Option<Quirk> {
        Self::ALL.into_iter().find(|q| q.name() == name)
    }

    /// Whether the party it changes is in the world of `position` (the Photos app is
    /// only on the phone, Photo Printer only on the web).
    pub fn fits(self, position: Position) -> bool {
        match self {
            Quirk::PlainPkceApp => position.on_the_phone(),
            Quirk::CallbackLog
            | Quirk::CallbackPageEmbedsAttacker
            | Quirk::HomePageEmbedsAttacker => !position.on_the_phone(),
            Quirk::LegacyReferrer | Quirk::AuthorizationRequestLog => true,
        }
    }

    /// Changes to the web world's configuration, before it is built.
    pub(super) fn configure(self, w: &mut WorldBuilder) {
        match self {
            Quirk::CallbackPageEmbedsAttacker => {
                w.client.callback_page_third_party = Some(format!("{ATTACKER_ORIGIN}/pixel.gif"))
            }
            Quirk::HomePageEmbedsAttacker => {
                w.client.home_page_third_party = Some(format!("{ATTACKER_ORIGIN}/ad.gif"))
            }
            _ => {}
        }
    }

    /// Changes to the Photos app, before the phone's world is built.
    pub(super) fn configure_app(self, app: &mut NativeAppConfig) {
        if self == Quirk::PlainPkceApp {
            app.pkce_plain_only = true;
        }
    }

    /// Changes to the built world (what leaks goes to the position's mover).
    pub(super) fn install(self, sim: &mut Simulation, position: Position) {
        match self {
            Quirk::AuthorizationRequestLog => sim.add_interceptor(Box::new(Tap::new(
                "a log of Alice's authorization requests, read by the attacker (A4)",
                |env| is_request(env, wk::BROWSER, wk::AS, "/authorize"),
                TapAction::CopyTo(ActorId::new(position.actor())),
            ))),
            Quirk::LegacyReferrer => alice_uses_a_legacy_browser(sim),
            Quirk::CallbackLog => sim.add_interceptor(Box::new(Tap::new(
                "Photo Printer's log of callback URLs, leaked to the attacker",
                |env| is_request(env, wk::BROWSER, wk::CLIENT, "/cb"),
                TapAction::CopyTo(ActorId::new(ATTACKER)),
            ))),
            _ => {}
        }
    }
}
