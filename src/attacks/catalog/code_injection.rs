//! `code-injection`: the attacker reads Alice's authorization response and injects her
//! code into its own session at the confidential client (RFC 9700 §4.5).

use crate::actors::Defenses;
use crate::actors::defenses::DefenseId;
use crate::actors::well_known as wk;
use crate::attacks::attacker::{Attacker, Kit, Moves, Playbook};
use crate::attacks::setup::*;
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::sim::Simulation;
use crate::sim::world::{WorldBuilder, alice_signs_in};

pub struct CodeInjection;

static INFO: AttackInfo = AttackInfo {
    id: "code-injection",
    title: "Authorization code injection into the attacker's session",
    story: "Mallory starts a sign-in at Photo Printer in her own browser and stops at the AS, holding a session with \
            its own state. She can read authorization responses (a leaky proxy log). When Alice signs in, Mallory \
            takes Alice's code and opens the callback in her own browser with her own state: Photo Printer redeems \
            Alice's code for Mallory's session.",
    capabilities: &[Capability::ResponseReader, Capability::WebAttacker],
    setup: "The attacker's own browser; an interceptor that copies authorization responses to the attacker.",
    steps: &[
        "Start a sign-in at Photo Printer; stop at the AS (keep the session and its state)",
        "Read Alice's authorization response; take her code",
        "Open client.example/cb?code=<Alice's code>&state=<own state> in the attacker's browser",
    ],
    goal: "the attacker's session at Photo Printer shows Alice's photos",
    stoppers: &[
        Stopper {
            defense: DefenseId::Pkce,
            why: "the client sends the attacker session's verifier, which does not match Alice's challenge (RFC 9700 §4.5.3.1)",
            needs: &[],
            with_rest_of_bcp: false,
            fails_the_flow: false,
        },
        Stopper {
            defense: DefenseId::PkceRequired,
            why: "without PKCE at the client the AS grants no code at all",
            needs: &[],
            with_rest_of_bcp: false,
            fails_the_flow: true,
        },
        Stopper {
            defense: DefenseId::Nonce,
            why: "the ID token carries Alice's nonce, not the attacker session's (RFC 9700 §4.5.3.2)",
            needs: &[],
            with_rest_of_bcp: false,
            fails_the_flow: false,
        },
    ],
    references: "RFC 9700 §4.5; RFC 6749 §4.1.2 (one-time codes do not help here: the attacker redeems first)",
};

#[derive(Default)]
struct Inject {
    own: OwnSession,
}

impl Playbook for Inject {
    fn on_observed(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, wire: &str) {
        if let Some(url) = request_url(wire) {
            self.own.remember(&url);
            ctx.note(format!("Attacker: stopped its own sign-in at the AS; its session at the client now waits with {}.", own_values_in(&url)));
        } else if let Some(loc) = location(wire)
            && let Some(code) = query(&loc).first("code")
        {
            ctx.note("Attacker: read Alice's authorization response; injecting her code into its own session.");
            self.own.inject(kit, ctx, code, query(&loc).first("iss"));
        }
    }
}

impl Attack for CodeInjection {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut sim = WorldBuilder::standard(seed, defenses).build();
        sim.add_actor(Box::new(Attacker::new(
            ATTACKER,
            "Attacker (log reader)",
            &[],
            Inject::default(),
        )));
        stop_own_sign_in_at_as(&mut sim, ATTACKER, &format!("{}/login", wk::CLIENT_ORIGIN));
        read_authorization_responses(&mut sim, ATTACKER, "authorization-response reader (A3)");
        sim.push_script(alice_signs_in());
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        attacker_session_shows_alice(sim)
    }
}

pub static ATTACK: CodeInjection = CodeInjection;
