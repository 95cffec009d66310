//! `pkce-downgrade`: the attacker strips the PKCE challenge from an authorization request
//! it makes Alice's browser send, then injects the resulting code into its own session:
//! an AS that ignores a `code_verifier` when no challenge was stored accepts it
//! (RFC 9700 §4.8.2).

use crate::actors::Defenses;
use crate::actors::defenses::DefenseId;
use crate::attacks::attacker::{Kit, Moves, Playbook};
use crate::attacks::playbook_parts::*;
use crate::attacks::setup::*;
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::protocol::requests::{AuthorizationRequest, RawParams};
use crate::sim::Simulation;
use crate::sim::world::WorldBuilder;

pub struct PkceDowngrade;

static INFO: AttackInfo = AttackInfo {
    id: "pkce-downgrade",
    title: "PKCE downgrade: the challenge stripped from the request",
    story: "Mallory starts a sign-in at Photo Printer and stops at the AS: her session holds a state, a nonce and a \
            PKCE verifier. She copies the authorization URL without code_challenge and lures Alice to it. Alice \
            signs in; the code carries no PKCE binding. Mallory reads the response and injects the code into her \
            own session. The client sends her session's code_verifier — and an AS that ignores a verifier when no \
            challenge was stored accepts it.",
    capabilities: &[Capability::WebAttacker, Capability::ResponseReader],
    setup: "The attacker's own browser and site; an interceptor that copies authorization responses to the attacker.",
    steps: &[
        "Start a sign-in at Photo Printer; stop at the AS and keep the authorization URL",
        "Remove code_challenge and code_challenge_method; send Alice to that URL",
        "Read Alice's authorization response; open the callback with her code in the attacker's browser",
    ],
    goal: "the attacker's session at Photo Printer shows Alice's photos",
    stoppers: &[
        Stopper::alone(
            DefenseId::RejectVerifierWithoutChallenge,
            "a code_verifier for a code that had no challenge is refused (RFC 9700 §4.8.2)",
        )
        .needing(&[DefenseId::Pkce]),
        Stopper::alone(
            DefenseId::PkceRequired,
            "a request without code_challenge gets no code (RFC 9700 §2.1.1)",
        ),
    ],
    references: "RFC 9700 §4.8.2",
};

#[derive(Default)]
struct Downgrade {
    own: OwnSession,
}

impl Playbook for Downgrade {
    fn on_observed(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, wire: &str) {
        if let Some(url) = request_url(wire) {
            let q = query(&url);
            self.own.remember(&url);
            let base = url.split('?').next().unwrap_or(&url).to_string();
            let stripped = AuthorizationRequest::from_params(q)
                .without("code_challenge")
                .without("code_challenge_method");
            kit.redirects.insert("/".into(), stripped.url(&base));
            ctx.note("Attacker: took its own authorization URL, removed code_challenge and code_challenge_method, and made its page redirect there.");
        } else {
            let why = "Attacker: read the response to the downgraded request; injecting the code into its own session.";
            self.own.inject_from_response(kit, ctx, wire, why);
        }
    }
}

impl Attack for PkceDowngrade {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut sim = WorldBuilder::standard(seed, defenses).build();
        add_attacker_site(&mut sim, Downgrade::default());
        stop_own_printer_sign_in(&mut sim, ATTACKER);
        read_alices_authorization_responses(&mut sim, ATTACKER);
        sim.push_script(alice_opens_the_attackers_page());
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        attacker_session_shows_alice(sim)
    }
}

pub static ATTACK: PkceDowngrade = PkceDowngrade;
