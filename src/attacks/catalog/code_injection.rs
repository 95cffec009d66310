//! `code-injection`: the attacker reads Alice's authorization response and injects her
//! code into its own session at the confidential client (RFC 9700 §4.5).

use crate::actors::Defenses;
use crate::actors::defenses::DefenseId;
use crate::attacks::attacker::{Attacker, Kit, Moves, Playbook};
use crate::attacks::playbook_parts::*;
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
        Stopper::alone(
            DefenseId::Pkce,
            "the client sends the attacker session's verifier, which does not match Alice's challenge (RFC 9700 §4.5.3.1)",
        ),
        NO_CODE_WITHOUT_PKCE,
        Stopper::alone(
            DefenseId::Nonce,
            "the ID token carries Alice's nonce, not the attacker session's (RFC 9700 §4.5.3.2)",
        ),
    ],
    references: "RFC 9700 §4.5; RFC 6749 §4.1.2 (one-time codes do not help here: the attacker redeems first)",
};

#[derive(Default)]
struct Inject {
    own: OwnSession,
}

impl Playbook for Inject {
    fn on_observed(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, wire: &str) {
        if !self.own.remember_captured(ctx, wire, "now waits") {
            let why = "Attacker: read Alice's authorization response; injecting her code into its own session.";
            self.own.inject_from_response(kit, ctx, wire, why);
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
        stop_own_printer_sign_in(&mut sim, ATTACKER);
        read_alices_authorization_responses(&mut sim, ATTACKER);
        sim.push_script(alice_signs_in());
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        attacker_session_shows_alice(sim)
    }
}

pub static ATTACK: CodeInjection = CodeInjection;
