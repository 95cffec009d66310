//! `audience-injection`: Photo Printer signs client assertions (`private_key_jwt`,
//! RFC 7523) with one key for two ASes. The attacker's AS publishes metadata whose
//! `token_endpoint` is the honest AS's; a client that builds an assertion's `aud` from
//! that URL (OIDC Core §9) signs, for the attacker's PAR endpoint, an assertion the
//! honest AS accepts — and the attacker uses it to authenticate as Photo Printer at
//! as.example (the 2025 audience-injection research behind draft-ietf-oauth-rfc7523bis).
//! `strict-assertion-audience` makes the client address every assertion to the issuer
//! it is talking to, and the honest AS accept only its own issuer.

use http::StatusCode;

use crate::actors::Defenses;
use crate::actors::auth_server::{AccessRecord, AuthServer, GrantType};
use crate::actors::client::config::photo_printer_key;
use crate::actors::defenses::DefenseId;
use crate::actors::well_known as wk;
use crate::attacks::attacker::{Attacker, Kit, Moves, Playbook};
use crate::attacks::setup::*;
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::protocol::errors::json_response;
use crate::protocol::http_wire::{self, Request, Response};
use crate::protocol::jwt::decode_unverified;
use crate::protocol::params::Params;
use crate::protocol::requests::{ClientAuth, TokenRequest};
use crate::protocol::secret::{ClientAssertion, Secret};
use crate::sim::Simulation;
use crate::sim::world::WorldBuilder;

use super::mix_up::{
    EVIL_AS, EVIL_ISSUER, alice_signs_in_with_attacker_as, attacker_as, client_trusts_attacker_as,
};

pub struct AudienceInjection;

static INFO: AttackInfo = AttackInfo {
    id: "audience-injection",
    title: "Audience injection: a client assertion signed for one AS used at another",
    story: "Photo Printer lets users sign in with as.example or with as.attacker.example, and authenticates at both \
            with private_key_jwt and the same key. The attacker's AS publishes metadata whose token_endpoint is \
            as.example's. Alice picks as.attacker.example; Photo Printer pushes its authorization request there, \
            signing a client assertion whose aud is the token endpoint that metadata names — as.example's. The \
            attacker's AS sends that assertion to as.example with grant_type=client_credentials, and as.example \
            issues it a token as Photo Printer.",
    capabilities: &[Capability::WebAttacker, Capability::MaliciousAs],
    setup: "Photo Printer also trusts as.attacker.example and uses one assertion key for both ASes; as.example \
            lets Photo Printer use client_credentials.",
    steps: &[
        "Serve metadata with token_endpoint https://as.example/token and a PAR endpoint at as.attacker.example",
        "Collect the client assertion Photo Printer sends with its pushed request",
        "POST it to as.example/token with grant_type=client_credentials",
    ],
    goal: "the attacker holds an access token the honest AS issued to Photo Printer",
    stoppers: &[Stopper::alone(
        DefenseId::StrictAssertionAudience,
        "the client addresses the assertion to as.attacker.example, its issuer, and as.example accepts only its own issuer as aud (draft-ietf-oauth-rfc7523bis)",
    )],
    references: "RFC 7523 §3; OIDC Core §9; draft-ietf-oauth-rfc7523bis",
};

/// The attacker's AS: metadata pointing at the honest token endpoint, a PAR endpoint
/// that keeps the assertion, and the replay at as.example.
#[derive(Default)]
struct InjectingAs {
    used: bool,
}

impl InjectingAs {
    fn metadata() -> serde_json::Value {
        serde_json::json!({
            "issuer": EVIL_ISSUER,
            "authorization_endpoint": format!("{EVIL_ISSUER}/authorize"),
            "token_endpoint": token_endpoint(),
            "jwks_uri": format!("{EVIL_ISSUER}/jwks"),
            "response_types_supported": ["code"],
            "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            "pushed_authorization_request_endpoint": format!("{EVIL_ISSUER}/par"),
            "require_pushed_authorization_requests": true,
        })
    }
}

impl Playbook for InjectingAs {
    fn on_request(
        &mut self,
        kit: &mut Kit,
        ctx: &mut Moves<'_, '_>,
        req: &Request,
    ) -> Option<Response> {
        match req.uri().path() {
            "/.well-known/openid-configuration" | "/.well-known/oauth-authorization-server" => {
                ctx.note(format!(
                    "Attacker AS: serves metadata whose token_endpoint is {}, the honest AS's.",
                    token_endpoint()
                ));
                Some(json_response(StatusCode::OK, &Self::metadata()))
            }
            "/jwks" => Some(json_response(
                StatusCode::OK,
                &serde_json::json!({"keys": []}),
            )),
            "/par" => {
                let form = Params::parse(&http_wire::body_text(req.body()));
                if let Some(assertion) = form.first("client_assertion")
                    && !std::mem::replace(&mut self.used, true)
                {
                    let aud = decode_unverified(assertion)
                        .map(|(_, c)| c["aud"].to_string())
                        .unwrap_or_default();
                    ctx.note(format!(
                        "Attacker AS: keeps the client assertion Photo Printer signed for it (aud {aud}) and sends it to the honest token endpoint with grant_type=client_credentials."
                    ));
                    let auth = ClientAuth::PrivateKeyJwt {
                        id: wk::CLIENT_ID.to_string(),
                        assertion: ClientAssertion::new(assertion),
                    };
                    let request = TokenRequest::from_params(Params::from_pairs([
                        ("grant_type", "client_credentials"),
                        ("scope", wk::SCOPE_PHOTOS_READ),
                    ]))
                    .client_auth(&auth);
                    kit.request_tokens(ctx, &token_endpoint(), &request);
                }
                Some(json_response(
                    StatusCode::CREATED,
                    &serde_json::json!({
                        "request_uri": "urn:ietf:params:oauth:request_uri:attacker",
                        "expires_in": 60,
                    }),
                ))
            }
            _ => None,
        }
    }
}

/// The access token of `record` if the attacker holds it.
fn held_by_attacker(sim: &Simulation, record: &AccessRecord) -> bool {
    sim.actor::<Attacker>(EVIL_AS).is_some_and(|a| {
        a.loot()
            .tokens
            .iter()
            .any(|t| t.access_token.expose() == record.token.expose())
    })
}

impl Attack for AudienceInjection {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut w = WorldBuilder::standard(seed, defenses);
        for c in &mut w.auth_server.clients {
            if c.client_id == wk::CLIENT_ID {
                c.grant_types.push(GrantType::ClientCredentials);
            }
        }
        client_trusts_attacker_as(&mut w);
        // One key for both ASes, and private_key_jwt at both.
        for reg in &mut w.client.auth_servers {
            reg.assertion_key = Some(photo_printer_key());
            reg.prefers_private_key_jwt = true;
        }
        let mut sim = w.build();
        sim.add_actor(Box::new(attacker_as(InjectingAs::default())));
        sim.push_script(alice_signs_in_with_attacker_as());
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        let honest = sim.actor::<AuthServer>(wk::AS)?;
        honest
            .access_tokens()
            .iter()
            .filter(|a| {
                honest
                    .family(&a.family)
                    .is_some_and(|f| f.client_id == wk::CLIENT_ID)
            })
            .any(|a| held_by_attacker(sim, a))
            .then(|| {
                "the attacker holds an access token as.example issued to Photo Printer, obtained with an assertion Photo Printer signed for the attacker's AS"
                    .to_string()
            })
    }
}

pub static ATTACK: AudienceInjection = AudienceInjection;
