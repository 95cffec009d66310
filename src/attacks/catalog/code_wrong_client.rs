//! `code-wrong-client`: the attacker redeems Alice's stolen code with its own registered
//! client's credentials (RFC 6749 §4.1.3: the AS must ensure the code was issued to the
//! authenticated client).

use crate::actors::Defenses;
use crate::actors::defenses::DefenseId;
use crate::actors::well_known as wk;
use crate::attacks::attacker::{Attacker, Kit, Moves, Playbook};
use crate::attacks::playbook_parts::*;
use crate::attacks::setup::*;
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::protocol::requests::{ClientAuth, TokenRequest};
use crate::protocol::secret::AuthorizationCode;
use crate::sim::Simulation;
use crate::sim::world::alice_signs_in;

pub struct CodeWrongClient;

static INFO: AttackInfo = AttackInfo {
    id: "code-wrong-client",
    title: "A stolen code redeemed by the attacker's own client",
    story: "Mallory has registered her own client, Photo Frame, at as.example. She reads Alice's authorization \
            response and, before Photo Printer does, redeems Alice's code at the token endpoint — authenticated as \
            Photo Frame, with Photo Printer's redirect URI. An AS that does not check which client a code was issued \
            to hands her Alice's tokens.",
    capabilities: &[Capability::ResponseReader, Capability::WebAttacker],
    setup: "The attacker's client photo-frame is registered at the AS; an interceptor copies authorization responses to it.",
    steps: &[
        "Read Alice's authorization response",
        "POST /token as photo-frame (client_secret_basic) with Alice's code and redirect_uri",
        "GET rs.example/photos with the access token",
    ],
    goal: "the attacker holds an access token the RS accepts for Alice's photos",
    stoppers: &[
        Stopper::alone(
            DefenseId::CodeBoundToClient,
            "the code was issued to photo-printer, not photo-frame (RFC 6749 §4.1.3)",
        ),
        Stopper::alone(
            DefenseId::Pkce,
            "the attacker cannot bring the code_verifier (RFC 7636 §4.6)",
        ),
        NO_CODE_WITHOUT_PKCE,
    ],
    references: "RFC 6749 §4.1.3; RFC 9700 §4.5",
};

struct Redeem;

impl Playbook for Redeem {
    fn on_observed(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, wire: &str) {
        if let Some(loc) = location(wire)
            && let Some(code) = query(&loc).first("code")
        {
            ctx.note(
                "Attacker: read Alice's code; redeeming it with its own client's credentials.",
            );
            let request = TokenRequest::authorization_code(
                &AuthorizationCode::new(code),
                wk::CLIENT_REDIRECT_URI,
            )
            .client_auth(&ClientAuth::basic(
                ATTACKER_CLIENT_ID,
                ATTACKER_CLIENT_SECRET,
            ));
            kit.request_tokens(ctx, &token_endpoint(), &request);
        }
    }
}

impl Attack for CodeWrongClient {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut sim = world_with_attacker_client(seed, defenses);
        sim.add_actor(Box::new(
            Attacker::new(ATTACKER, "Attacker (Photo Frame)", &[], Redeem).fetching_photos(),
        ));
        read_alices_authorization_responses(&mut sim, ATTACKER);
        sim.push_script(alice_signs_in());
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        holds_alices_photos(
            sim,
            ATTACKER,
            "the attacker's own client redeemed Alice's code and the RS handed it Alice's photos",
        )
    }
}

pub static ATTACK: CodeWrongClient = CodeWrongClient;
