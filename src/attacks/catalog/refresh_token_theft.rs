//! `refresh-token-theft`: a refresh token stolen from the Photos app's storage is used by
//! the attacker. With rotation, the app's next refresh presents the consumed token, the
//! AS detects the reuse and revokes the whole grant — the thief's tokens included
//! (RFC 9700 §4.14.2).

use crate::actors::Defenses;
use crate::actors::defenses::DefenseId;
use crate::actors::well_known as wk;
use crate::attacks::attacker::{Kit, Moves, Playbook};
use crate::attacks::playbook_parts::*;
use crate::attacks::setup::*;
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::protocol::requests::{ClientAuth, TokenRequest};
use crate::protocol::secret::RefreshToken;
use crate::protocol::secret::Secret;
use crate::protocol::token_response::TokenResponse;
use crate::sim::Simulation;

pub const THIEF: &str = "thief";

pub struct RefreshTokenTheft;

static INFO: AttackInfo = AttackInfo {
    id: "refresh-token-theft",
    title: "A stolen refresh token used by the attacker",
    story: "Malware on Alice's phone copies the Photos app's refresh token. The attacker uses it to get fresh access \
            tokens. Later the app refreshes too, with the same token. With rotation, that token was already \
            consumed by the thief's refresh: the AS sees it used twice, cannot tell who is legitimate, and revokes \
            the whole grant — and the thief's next API call fails.",
    capabilities: &[Capability::StorageReader],
    setup: "The Photos app (public client, so a refresh needs no secret); an interceptor copies the app's token responses \
            to the thief (the leaked storage).",
    steps: &[
        "Read the app's refresh token",
        "POST /token grant_type=refresh_token as photos-app",
        "After the app has refreshed too, GET rs.example/photos with the stolen grant's access token",
    ],
    goal: "at the end, the attacker holds an access token the RS accepts for Alice's photos",
    stoppers: &[
        Stopper::alone(DefenseId::RefreshRotation, "reuse of a consumed refresh token revokes the whole grant, the thief's tokens included (RFC 9700 §4.14.2) — which the RS learns by introspection (token-introspection, on in bcp)").needing(&[DefenseId::TokenIntrospection]),
        Stopper::alone(DefenseId::Dpop, "the Photos app is a public client, so its refresh token is bound to its DPoP key (RFC 9449 §5): without that key the thief cannot sign the proof the AS demands"),
    ],
    references: "RFC 9700 §4.14; RFC 6749 §10.4",
};

#[derive(Default)]
struct Thief {
    access_token: Option<String>,
}

impl Playbook for Thief {
    fn on_input(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, name: &str, _value: &str) {
        match name {
            "use-refresh-token" => {
                if let Some(rt) = kit.loot.refresh_tokens.first().cloned() {
                    ctx.note("Thief: uses the stolen refresh token as photos-app.");
                    let request = TokenRequest::refresh_token(&RefreshToken::new(rt))
                        .client_auth(&ClientAuth::public(wk::NATIVE_CLIENT_ID));
                    kit.request_tokens(ctx, &token_endpoint(), &request);
                }
            }
            "call-api" => {
                if let Some(at) = self.access_token.clone() {
                    ctx.note(
                        "Thief: calls the API with the access token it got from the stolen grant.",
                    );
                    kit.call_api(ctx, http::Method::GET, &photos_api(), &at);
                }
            }
            _ => {}
        }
    }

    fn on_tokens(&mut self, _kit: &mut Kit, _ctx: &mut Moves<'_, '_>, t: &TokenResponse) {
        self.access_token = Some(t.access_token.expose().to_string());
    }
}

impl Attack for RefreshTokenTheft {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut sim = storage_thief_world(seed, defenses, THIEF, Thief::default());
        sim.push_script(instruct(
            THIEF,
            "use-refresh-token",
            "The attacker uses the stolen refresh token.",
        ));
        sim.push_script(photos_app_refreshes_later());
        sim.push_script(instruct(
            THIEF,
            "call-api",
            "The attacker calls the photo API.",
        ));
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        holds_alices_photos(
            sim,
            THIEF,
            "the stolen refresh token kept working: the RS handed the thief Alice's photos",
        )
    }
}

pub static ATTACK: RefreshTokenTheft = RefreshTokenTheft;
