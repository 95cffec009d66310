//! `public-client-refresh-theft`: malware copies the Photos app's refresh token and
//! uses it at once — before the app refreshes — then calls the API. Rotation detects
//! the reuse only when the app refreshes later (RFC 9700 §4.14.2): by then the thief
//! has the photos, so rotation alone loses the race. A refresh token bound to the app's
//! DPoP key (RFC 9449 §5: public clients) cannot be used without that key.

use crate::actors::Defenses;
use crate::actors::defenses::DefenseId;
use crate::actors::dpop::DpopHolder;
use crate::actors::well_known as wk;
use crate::attacks::attacker::{Kit, Moves, Playbook};
use crate::attacks::playbook_parts::*;
use crate::attacks::setup::*;
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::protocol::dpop::DPOP_TOKEN_TYPE;
use crate::protocol::http_wire;
use crate::protocol::requests::{ClientAuth, TokenRequest};
use crate::protocol::secret::{RefreshToken, Secret};
use crate::protocol::token_response::TokenResponse;
use crate::sim::Simulation;

pub const THIEF: &str = "thief";

pub struct PublicClientRefreshTheft;

static INFO: AttackInfo = AttackInfo {
    id: "public-client-refresh-theft",
    title: "A public client's refresh token stolen and used first",
    story: "Malware on Alice's phone copies the Photos app's refresh token and uses it straight away, before the \
            app does, then fetches Alice's photos. When the app refreshes later, rotation shows the token was used \
            twice and the AS revokes the grant — after the photos are gone. The Photos app is a public client: no \
            secret proves the caller is the app. A refresh token bound to the app's DPoP key does: the malware has \
            the token but not the key.",
    capabilities: &[Capability::StorageReader],
    setup: "The Photos app (public client); an interceptor copies the app's token response to the thief (the leaked \
            storage).",
    steps: &[
        "Read the app's refresh token",
        "POST /token grant_type=refresh_token as photos-app (with a DPoP proof of its own key)",
        "GET rs.example/photos with the new access token, before the app refreshes",
    ],
    goal: "the thief obtains Alice's photos with tokens from the stolen refresh token",
    stoppers: &[Stopper::alone(
        DefenseId::Dpop,
        "the refresh token of a public client is bound to its DPoP key (RFC 9449 §5): the AS refuses it with a proof by any other key; rotation (RFC 9700 §4.14.2) would notice the theft only when the app refreshes, after the thief's call",
    )],
    references: "RFC 9449 §5; RFC 9700 §2.2.2, §4.14.2",
};

#[derive(Default)]
struct Thief {
    key: Option<DpopHolder>,
    tokens: Option<TokenResponse>,
}

impl Playbook for Thief {
    fn on_input(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, name: &str, _value: &str) {
        let now = ctx.now();
        let holder = DpopHolder::in_slot(&mut self.key, ctx.rng());
        match name {
            "use-refresh-token" => {
                let Some(rt) = kit.loot.refresh_tokens.first().cloned() else {
                    return;
                };
                let mut req = TokenRequest::refresh_token(&RefreshToken::new(rt))
                    .client_auth(&ClientAuth::public(wk::NATIVE_CLIENT_ID))
                    .to_request(&token_endpoint());
                holder.attach(now, &mut req, None);
                ctx.note(format!(
                    "Thief: uses the stolen refresh token as photos-app at once, with a DPoP proof of its own key (jkt {}) — the app's key never left the app.",
                    holder.jkt()
                ));
                kit.send(ctx, req, "token");
            }
            "call-api" => {
                let Some(t) = self.tokens.clone() else { return };
                let token = t.access_token.expose();
                let mut req = http_wire::request(http::Method::GET, &photos_api());
                if t.token_type.eq_ignore_ascii_case(DPOP_TOKEN_TYPE) {
                    holder.attach(now, &mut req, Some(token));
                } else {
                    http_wire::set_header(
                        req.headers_mut(),
                        "authorization",
                        &format!("Bearer {token}"),
                    );
                }
                ctx.note(
                    "Thief: calls the API with the new access token before the app refreshes.",
                );
                kit.send(ctx, req, "api");
            }
            _ => {}
        }
    }

    fn on_tokens(&mut self, _kit: &mut Kit, _ctx: &mut Moves<'_, '_>, t: &TokenResponse) {
        self.tokens = Some(t.clone());
    }
}

impl Attack for PublicClientRefreshTheft {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut sim = storage_thief_world(seed, defenses, THIEF, Thief::default());
        sim.push_script(instruct(
            THIEF,
            "use-refresh-token",
            "The thief uses the stolen refresh token before the app does.",
        ));
        sim.push_script(instruct(
            THIEF,
            "call-api",
            "The thief calls the photo API at once.",
        ));
        sim.push_script(photos_app_refreshes_later());
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        holds_alices_photos(
            sim,
            THIEF,
            "the thief's refresh came first: the RS handed it Alice's photos before rotation could notice",
        )
    }
}

pub static ATTACK: PublicClientRefreshTheft = PublicClientRefreshTheft;
