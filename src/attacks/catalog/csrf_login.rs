//! `csrf-login`: the attacker completes a sign-in with its own account up to the
//! callback, then makes Alice's browser deliver that callback: Alice's session at the
//! client ends up signed in as the attacker (RFC 6749 §10.12, RFC 9700 §4.7).

use crate::actors::defenses::DefenseId;
use crate::actors::well_known as wk;
use crate::actors::{ActorId, Defenses};
use crate::attacks::attacker::{Attacker, Kit, Moves, Playbook};
use crate::attacks::interceptors::{Tap, TapAction, is_request};
use crate::attacks::playbook_parts::*;
use crate::attacks::setup::*;
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::sim::Simulation;
use crate::sim::world::WorldBuilder;

pub struct CsrfLogin;

static INFO: AttackInfo = AttackInfo {
    id: "csrf-login",
    title: "Login CSRF: the attacker's code planted in Alice's browser",
    story: "Mallory signs in to Photo Printer with her own account but stops before the callback, keeping the URL \
            https://client.example/cb?code=…&state=…. She then lures Alice to her page, which redirects Alice's browser \
            to that URL. Photo Printer redeems Mallory's code in Alice's session: Alice now uploads and prints into \
            Mallory's account (forced login, account linking).",
    capabilities: &[Capability::WebAttacker],
    setup: "The attacker's own browser with Mallory's account at the AS, and the attacker's site.",
    steps: &[
        "Sign in to Photo Printer as Mallory; keep the callback URL instead of opening it",
        "Serve a page that redirects visitors to that callback URL",
        "Alice visits the page; her browser delivers Mallory's code to Photo Printer",
    ],
    goal: "Alice's session at Photo Printer is signed in as Mallory",
    stoppers: &[
        Stopper::alone(
            DefenseId::State,
            "Alice's session has no sign-in with that state (RFC 6749 §10.12)",
        ),
        Stopper::alone(
            DefenseId::Pkce,
            "Alice's session holds no verifier for Mallory's code's challenge (RFC 9700 §4.7.1)",
        ),
        NO_CODE_WITHOUT_PKCE,
        Stopper::alone(
            DefenseId::Nonce,
            "the ID token's nonce is Mallory's, not one Alice's session sent (OIDC Core §15.5.2)",
        ),
    ],
    references: "RFC 6749 §10.12; RFC 9700 §4.7; OIDC Core §15.5.2",
};

struct Plant;

impl Playbook for Plant {
    fn on_observed(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, wire: &str) {
        if let Some(url) = request_url(wire) {
            let q = query(&url);
            let carried: Vec<&str> = ["code", "state", "iss"]
                .into_iter()
                .filter(|p| q.first(p).is_some())
                .collect();
            ctx.note(format!(
                "Attacker: kept its own callback URL (with {}) instead of opening it; its page now redirects visitors there.",
                if carried.is_empty() {
                    "no code".to_string()
                } else {
                    carried.join(" and ")
                }
            ));
            kit.redirects.insert("/".into(), url);
        }
    }
}

/// The attacker's site at `site` (its origin), labelled `label`: it keeps the
/// callback URL its own browser stopped at and redirects its visitors there.
pub(crate) fn attacker_site(label: &str, site: &str) -> Attacker {
    Attacker::new(ATTACKER, label, &[site], Plant)
}

/// Where the attacker stops its own browser: its request to the client's callback.
pub(crate) const OWN_BROWSER_STOPS_AT: &str = "/cb";

/// The goal on who the client believes is signed in, in the session of Alice's browser.
pub(crate) fn goal_of(user: Option<&str>) -> Option<String> {
    (user? == wk::MALLORY)
        .then(|| "Alice's browser is signed in to Photo Printer as mallory".to_string())
}

impl Attack for CsrfLogin {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut sim = WorldBuilder::standard(seed, defenses).build();
        sim.add_actor(Box::new(attacker_site(
            "Attacker (attacker.example)",
            ATTACKER_ORIGIN,
        )));
        sim.add_attacker_actor(Box::new(attacker_browser()));
        sim.add_interceptor(Box::new(Tap::new(
            "the attacker stops its own browser at the callback",
            |env| is_request(env, ATTACKER_BROWSER, wk::CLIENT, OWN_BROWSER_STOPS_AT),
            TapAction::Capture(ActorId::new(ATTACKER)),
        )));
        sim.push_script(navigate(
            ATTACKER_BROWSER,
            &sign_in_url(wk::CLIENT_ORIGIN),
            "Mallory starts signing in to Photo Printer with her own account.",
        ));
        sim.push_script(alice_opens_the_attackers_page());
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        goal_of(client_user_of(sim, wk::BROWSER).as_deref())
    }
}

pub static ATTACK: CsrfLogin = CsrfLogin;
