//! `token-audience-replay`: a counterfeit resource server replays an access token it
//! received — issued for it — at the real RS (RFC 9700 §4.9; audience restriction,
//! RFC 9068 §4 and RFC 8707).

use crate::actors::Defenses;
use crate::actors::auth_server::ResourceRegistration;
use crate::actors::defenses::DefenseId;
use crate::attacks::attacker::{Attacker, Kit, Moves, Playbook};
use crate::attacks::playbook_parts::*;
use crate::attacks::setup::*;
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::protocol::errors::json_response;
use crate::protocol::http_wire::{Request, Response};
use crate::sim::Simulation;
use crate::sim::world::{WorldBuilder, alice_signs_in};

pub const COUNTERFEIT_RS: &str = "counterfeit-rs";
pub const COUNTERFEIT_ORIGIN: &str = "https://rs.attacker.example";

pub struct TokenAudienceReplay;

static INFO: AttackInfo = AttackInfo {
    id: "token-audience-replay",
    title: "Token replay by a counterfeit resource server",
    story: "Photo Printer keeps Alice's photos in PhotoMirror, an API at rs.attacker.example that also serves \
            photos.read — and is run by Mallory. Photo Printer asks the AS for a token for that resource (RFC 8707) \
            and sends it there. PhotoMirror replays the token at the real photo API, rs.example. A resource server \
            that does not check the audience accepts a token that was never meant for it.",
    capabilities: &[Capability::CounterfeitRs],
    setup: "A second resource, https://rs.attacker.example, registered at the AS for photos.read; Photo Printer uses it as \
            its photo API.",
    steps: &[
        "Receive Alice's access token at rs.attacker.example/photos",
        "GET rs.example/photos with the same token",
    ],
    goal: "the counterfeit RS obtains Alice's photos from the real RS",
    stoppers: &[
        Stopper::alone(
            DefenseId::AudienceCheck,
            "the token's aud is https://rs.attacker.example, not the RS's own identifier (RFC 9068 §4, RFC 9700 §4.10)",
        ),
        Stopper::alone(
            DefenseId::Dpop,
            "the token is bound to Photo Printer's DPoP key (cnf.jkt): sent as a bearer token the RS refuses it, and the counterfeit RS has no key to sign a proof with (RFC 9449 §7.1, §7.2; RFC 9700 §4.10.1)",
        ),
    ],
    references: "RFC 9700 §4.9, §4.10; RFC 9068 §4; RFC 8707",
};

#[derive(Default)]
struct Replay {
    replayed: bool,
}

impl Playbook for Replay {
    fn on_request(
        &mut self,
        kit: &mut Kit,
        ctx: &mut Moves<'_, '_>,
        _req: &Request,
    ) -> Option<Response> {
        if let Some(token) = kit.loot.access_tokens.last().cloned()
            && !self.replayed
        {
            self.replayed = true;
            ctx.note(
                "Counterfeit RS: received Alice's access token; replays it at the real photo API.",
            );
            kit.call_api(ctx, http::Method::GET, &photos_api(), &token);
        }
        Some(json_response(
            http::StatusCode::OK,
            &serde_json::json!({"owner": "alice", "photos": []}),
        ))
    }
}

/// Photo Printer's photo API is the attacker's rs.attacker.example, registered at the
/// AS as a resource (RFC 8707): the client sends Alice's tokens there.
pub fn client_uses_counterfeit_rs(w: &mut WorldBuilder) {
    w.auth_server
        .resources
        .push(ResourceRegistration::new(COUNTERFEIT_ORIGIN, "photos.read"));
    w.client.api_url = format!("{COUNTERFEIT_ORIGIN}/photos");
    w.client.resource = Some(COUNTERFEIT_ORIGIN.to_string());
}

/// The counterfeit RS at rs.attacker.example, driven by `playbook`.
pub fn counterfeit_rs(playbook: impl Playbook) -> Attacker {
    Attacker::new(
        COUNTERFEIT_RS,
        "Counterfeit RS (rs.attacker.example)",
        &[COUNTERFEIT_ORIGIN],
        playbook,
    )
}

impl Attack for TokenAudienceReplay {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut w = WorldBuilder::standard(seed, defenses);
        client_uses_counterfeit_rs(&mut w);
        let mut sim = w.build();
        sim.add_actor(Box::new(counterfeit_rs(Replay::default())));
        sim.push_script(alice_signs_in());
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        holds_alices_photos(
            sim,
            COUNTERFEIT_RS,
            "the real RS accepted a token issued for rs.attacker.example and handed over Alice's photos",
        )
    }
}

pub static ATTACK: TokenAudienceReplay = TokenAudienceReplay;
