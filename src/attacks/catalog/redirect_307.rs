//! `redirect-307-credentials`: the AS answers the login form POST with 307; the browser
//! re-POSTs the form — Alice's password included — to the redirect URI of the client,
//! which the attacker controls (RFC 9700 §4.12).

use crate::actors::Defenses;
use crate::actors::defenses::DefenseId;
use crate::actors::well_known as wk;
use crate::attacks::attacker::Passive;
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

impl Attack for Redirect307 {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut sim = world_with_attacker_client(seed, defenses);
        if let Some(a) = sim.actor_mut::<crate::actors::auth_server::AuthServer>(wk::AS) {
            a.remember_consent(wk::ALICE, ATTACKER_CLIENT_ID, "openid photos.read");
        }
        sim.add_actor(Box::new(frame_site(
            Passive,
            "openid photos.read",
            "frame-state-1",
        )));
        sim.push_script(navigate(
            wk::BROWSER,
            &format!("{ATTACKER_ORIGIN}/"),
            "Alice opens Photo Frame and clicks \"Connect to as.example\".",
        ));
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        holds_alices_password(
            sim,
            ATTACKER,
            "the browser re-posted Alice's username and password to attacker.example",
        )
    }
}

pub static ATTACK: Redirect307 = Redirect307;
