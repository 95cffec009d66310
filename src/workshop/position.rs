//! Where the learner's attacker sits: the RFC 9700 §3 positions the catalog models, each
//! installed with the catalog's own actors and taps, and no script — the learner moves.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::orders::{Learner, Stop, StopAt};
use super::quirk::Quirk;
use crate::actors::native_app::NativeAppConfig;
use crate::actors::well_known as wk;
use crate::actors::{ActorId, Defenses, UserAction};
use crate::attacks::Capability;
use crate::attacks::attacker::{Attacker, Passive};
use crate::attacks::catalog::code_interception::EVIL_APP;
use crate::attacks::catalog::mix_up::{EVIL_AS, EvilAs, attacker_as, client_trusts_attacker_as};
use crate::attacks::catalog::refresh_token_theft::THIEF;
use crate::attacks::catalog::token_audience_replay::{
    COUNTERFEIT_RS, client_uses_counterfeit_rs, counterfeit_rs,
};
use crate::attacks::interceptors::{Tap, TapAction, is_request, is_token_response};
use crate::attacks::setup::{
    ATTACKER, ATTACKER_BROWSER, ATTACKER_ORIGIN, attacker_browser, attacker_client, frame_site,
    read_authorization_responses, scheme_squatter,
};
use crate::sim::world::{WorldBuilder, alice_signs_in};
use crate::sim::{ScriptEvent, Simulation};

/// An attacker position (RFC 9700 §3). Every position on the web client's world is a
/// web attacker too (its own site attacker.example, Mallory's browser, its own client
/// Photo Frame at the AS), since the stronger attackers of §3 have A1's abilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Position {
    /// A1: own site attacker.example, own browser as Mallory, own client registration;
    /// can send Alice links and pages.
    WebAttacker,
    /// A3 on the web client: reads Alice's authorization responses (a leaked proxy log).
    ResponseReader,
    /// A3 on the phone: a malicious app claiming the Photos app's custom scheme
    /// (RFC 8252 §8.1) receives its authorization responses.
    SchemeSquatter,
    /// A4 on the phone: reads the authorization requests the Photos app starts
    /// (a malicious app reading the system browser's history).
    RequestReader,
    /// A5: Photo Printer's photo API is the attacker's rs.attacker.example.
    CounterfeitRs,
    /// Photo Printer also trusts the attacker's AS, as.attacker.example (mix-up,
    /// RFC 9700 §4.4).
    MaliciousAs,
    /// Reads what the Photos app stores (malware on the phone): its token responses.
    StorageReader,
}

impl Position {
    /// Every position, in the order above.
    pub const ALL: [Position; 7] = [
        Position::WebAttacker,
        Position::ResponseReader,
        Position::SchemeSquatter,
        Position::RequestReader,
        Position::CounterfeitRs,
        Position::MaliciousAs,
        Position::StorageReader,
    ];

    /// The name in files and on the command line (`web-attacker`, …).
    pub fn name(self) -> &'static str {
        match self {
            Position::WebAttacker => "web-attacker",
            Position::ResponseReader => "response-reader",
            Position::SchemeSquatter => "scheme-squatter",
            Position::RequestReader => "request-reader",
            Position::CounterfeitRs => "counterfeit-rs",
            Position::MaliciousAs => "malicious-as",
            Position::StorageReader => "storage-reader",
        }
    }

    /// The position with this name.
    pub fn parse(name: &str) -> Option<Position> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The RFC 9700 §3 capability the catalog names for it.
    pub fn capability(self) -> Capability {
        match self {
            Position::WebAttacker => Capability::WebAttacker,
            Position::ResponseReader | Position::SchemeSquatter => Capability::ResponseReader,
            Position::RequestReader => Capability::RequestReader,
            Position::CounterfeitRs => Capability::CounterfeitRs,
            Position::MaliciousAs => Capability::MaliciousAs,
            Position::StorageReader => Capability::StorageReader,
        }
    }

    /// What the position gives, in plain words (shown in briefings).
    pub fn describe(self) -> &'static str {
        match self {
            Position::WebAttacker => {
                "a web attacker: your own site https://attacker.example, your own browser signed in as \
                 mallory, your own client Photo Frame registered at as.example; you can send Alice links and pages"
            }
            Position::ResponseReader => {
                "a web attacker who also reads Alice's authorization responses (a leaked proxy log)"
            }
            Position::SchemeSquatter => {
                "a malicious app on Alice's phone that claims the Photos app's scheme com.example.photos:"
            }
            Position::RequestReader => {
                "a malicious app on Alice's phone that reads the authorization requests the Photos app starts"
            }
            Position::CounterfeitRs => {
                "a web attacker whose rs.attacker.example is the photo API Photo Printer calls"
            }
            Position::MaliciousAs => {
                "a web attacker who runs as.attacker.example, an AS Photo Printer also trusts"
            }
            Position::StorageReader => {
                "malware on Alice's phone that reads what the Photos app stores"
            }
        }
    }

    /// Whether the world is the phone (the Photos app, no web client).
    pub fn on_the_phone(self) -> bool {
        matches!(
            self,
            Position::SchemeSquatter | Position::RequestReader | Position::StorageReader
        )
    }

    /// The attacker's actor that carries out the learner's moves (`AttackerMove::by`).
    pub fn actor(self) -> &'static str {
        match self {
            Position::WebAttacker | Position::ResponseReader => ATTACKER,
            Position::SchemeSquatter | Position::RequestReader => EVIL_APP,
            Position::CounterfeitRs => COUNTERFEIT_RS,
            Position::MaliciousAs => EVIL_AS,
            Position::StorageReader => THIEF,
        }
    }

    /// Every actor the attacker controls in this position, the mover first.
    pub fn actors(self) -> Vec<&'static str> {
        let mut v = vec![self.actor()];
        if !self.on_the_phone() {
            if self.actor() != ATTACKER {
                v.push(ATTACKER);
            }
            v.push(ATTACKER_BROWSER);
        }
        v
    }

    /// The world of this position under `defenses` with the deployment's `quirks`:
    /// the honest parties, the attacker's actors and taps, and what the honest people do
    /// (Alice signs in once — except for the malicious AS, whose learner sends her there;
    /// on the phone she signs in to the Photos app, and with the storage reader the app
    /// refreshes its token an hour later). Not yet run.
    pub fn build(self, seed: u64, defenses: Defenses, quirks: &[Quirk]) -> Simulation {
        let mut sim = if self.on_the_phone() {
            self.phone_world(seed, defenses, quirks)
        } else {
            self.web_world(seed, defenses, quirks)
        };
        for q in quirks {
            q.install(&mut sim, self);
        }
        sim.set_rng_world(&format!("workshop-{}", self.name()));
        sim
    }

    fn web_world(self, seed: u64, defenses: Defenses, quirks: &[Quirk]) -> Simulation {
        let mut w = WorldBuilder::standard(seed, defenses);
        w.auth_server.clients.push(attacker_client());
        match self {
            Position::CounterfeitRs => client_uses_counterfeit_rs(&mut w),
            Position::MaliciousAs => client_trusts_attacker_as(&mut w),
            _ => {}
        }
        for q in quirks {
            q.configure(&mut w);
        }
        let mut sim = w.build();
        let stop: StopAt = Arc::default();
        let site = Learner::new(Box::new(Passive), Some(ATTACKER_ORIGIN), Some(stop.clone()));
        sim.add_actor(Box::new(frame_site(
            site,
            "openid photos.read",
            "frame-state-1",
        )));
        sim.add_attacker_actor(Box::new(attacker_browser()));
        stop_own_sign_in(&mut sim, stop);
        match self {
            Position::ResponseReader => read_authorization_responses(
                &mut sim,
                ATTACKER,
                "authorization-response reader (A3, a leaked proxy log)",
            ),
            Position::CounterfeitRs => sim.add_actor(Box::new(counterfeit_rs(Learner::new(
                Box::new(Passive),
                Some(crate::attacks::catalog::token_audience_replay::COUNTERFEIT_ORIGIN),
                None,
            )))),
            Position::MaliciousAs => sim.add_actor(Box::new(attacker_as(Learner::new(
                Box::new(EvilAs),
                Some(crate::attacks::catalog::mix_up::EVIL_ISSUER),
                None,
            )))),
            _ => {}
        }
        if self != Position::MaliciousAs {
            sim.push_script(alice_signs_in());
        }
        sim
    }

    fn phone_world(self, seed: u64, defenses: Defenses, quirks: &[Quirk]) -> Simulation {
        let mut app = NativeAppConfig::custom_scheme();
        for q in quirks {
            q.configure_app(&mut app);
        }
        let mut sim = crate::attacks::setup::native_app_world(seed, defenses, app);
        let label = match self {
            Position::StorageReader => "Attacker (malware)",
            _ => "Malicious app",
        };
        let mover = Attacker::new(
            self.actor(),
            label,
            &[],
            Learner::new(Box::new(Passive), None, None),
        );
        sim.add_actor(Box::new(mover));
        match self {
            Position::SchemeSquatter => scheme_squatter(&mut sim, EVIL_APP),
            Position::RequestReader => sim.add_interceptor(Box::new(Tap::new(
                "authorization-request reader (A4)",
                |env| is_request(env, wk::BROWSER, wk::AS, "/authorize"),
                TapAction::CopyTo(ActorId::new(EVIL_APP)),
            ))),
            _ => sim.add_interceptor(Box::new(
                Tap::new(
                    "malware reading the app's storage",
                    |env| is_token_response(env, wk::NATIVE_APP),
                    TapAction::CopyTo(ActorId::new(THIEF)),
                )
                .times(1),
            )),
        }
        if self != Position::StorageReader {
            return sim;
        }
        sim.push_script(ScriptEvent::AdvanceClock {
            secs: 3600,
            narration: "An hour passes: longer than an access token lives (10 minutes).".into(),
        });
        sim.push_script(ScriptEvent::Input {
            to: ActorId::new(wk::NATIVE_APP),
            action: UserAction::Custom {
                name: "refresh".into(),
                value: String::new(),
            },
            narration: "The Photos app refreshes its access token.".into(),
        });
        sim
    }
}

/// The taps that stop Mallory's own sign-in where the learner asked (once per order):
/// her request to the AS, or her request back to Photo Printer's callback. What is
/// stopped goes to the attacker, with its state, code and URL.
fn stop_own_sign_in(sim: &mut Simulation, stop: StopAt) {
    let armed = |stop: &StopAt, at: Stop| {
        let stop = stop.clone();
        move |fired: bool| -> bool {
            let mut next = stop.lock().unwrap_or_else(|p| p.into_inner());
            if fired && *next == Some(at) {
                *next = None;
                return true;
            }
            false
        }
    };
    let at_as = armed(&stop, Stop::Authorize);
    sim.add_interceptor(Box::new(Tap::new(
        "the attacker stops its own browser at the AS",
        move |env| at_as(is_request(env, ATTACKER_BROWSER, wk::AS, "/authorize")),
        TapAction::Capture(ActorId::new(ATTACKER)),
    )));
    let at_cb = armed(&stop, Stop::Callback);
    sim.add_interceptor(Box::new(Tap::new(
        "the attacker stops its own browser at the callback",
        move |env| at_cb(is_request(env, ATTACKER_BROWSER, wk::CLIENT, "/cb")),
        TapAction::Capture(ActorId::new(ATTACKER)),
    )));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back() {
        for p in Position::ALL {
            assert_eq!(Position::parse(p.name()), Some(p));
        }
        assert_eq!(Position::parse("wizard"), None);
    }
}
