//! `redirect-307-credentials`: the AS answers the login form POST with 307; the browser
//! re-POSTs the form — Alice's password included — to the redirect URI of the client,
//! which the attacker controls (RFC 9700 §4.12).

use crate::actors::Defenses;
use crate::actors::auth_server::AuthServer;
use crate::actors::defenses::DefenseId;
use crate::actors::well_known as wk;
use crate::attacks::attacker::{Attacker, Loot, Passive};
use crate::attacks::playbook_parts::*;
use crate::attacks::setup::*;
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::sim::Simulation;

pub struct Redirect307;

static INFO: AttackInfo = AttackInfo {
    id: "redirect-307-credentials",
    title: "307 redirect re-posts Alice's password to the client",
    story: "Alice once approved Photo Frame — Mallory's app — to read her photos. Photo Frame sends her to as.example \
            to sign in. Because she approved it before, the AS answers her login POST with a redirect straight to \
            Photo Frame's redirect URI. With 307 instead of 303, her browser re-sends the same POST body — \
            username and password — to attacker.example.",
    capabilities: &[Capability::WebAttacker],
    setup: "The attacker's client photo-frame is registered at the AS, and Alice has approved it before.",
    steps: &[
        "Send Alice to as.example/authorize for photo-frame",
        "Wait at https://attacker.example/cb for the redirect after her login",
    ],
    goal: "the attacker's server receives Alice's password",
    stoppers: &[Stopper::alone(
        DefenseId::Login303,
        "303 See Other turns the redirect into a GET without the form body (RFC 9700 §4.12)",
    )],
    references: "RFC 9700 §4.12; RFC 9110 §15.4.4, §15.4.8",
};

/// What Photo Frame asks for, and what Alice approved for it before.
const SCOPE: &str = "openid photos.read";

/// Alice approved Photo Frame at `auth_server` before: the AS does not ask her again.
pub(crate) fn approved_before(auth_server: &mut AuthServer) {
    auth_server.remember_consent(wk::ALICE, ATTACKER_CLIENT_ID, SCOPE);
}

/// Photo Frame's site at `at.site`, labelled `label`: `/` sends Alice to the AS, and
/// whatever reaches its callback is kept.
pub(crate) fn attacker_site(label: &str, at: &FramePlaces) -> Attacker {
    frame_site_at(at, label, Passive, SCOPE, "frame-state-1")
}

/// The goal on what Photo Frame's server holds: Alice's password.
pub(crate) fn goal_of(loot: &Loot) -> Option<String> {
    has_alices_password(loot).then(|| {
        "the browser re-posted Alice's username and password to attacker.example".to_string()
    })
}

impl Attack for Redirect307 {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut sim = world_with_attacker_client(seed, defenses);
        if let Some(a) = sim.actor_mut::<AuthServer>(wk::AS) {
            approved_before(a);
        }
        sim.add_actor(Box::new(attacker_site(
            "Attacker (Photo Frame at attacker.example)",
            &FramePlaces::simulated(),
        )));
        sim.push_script(navigate(
            wk::BROWSER,
            &format!("{ATTACKER_ORIGIN}/"),
            "Alice opens Photo Frame and clicks \"Connect to as.example\".",
        ));
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        goal_of(sim.actor::<Attacker>(ATTACKER)?.loot())
    }
}

pub static ATTACK: Redirect307 = Redirect307;
