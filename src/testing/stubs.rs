//! Stand-ins for the parties a test does not exercise: a web site with fixed routes, a
//! fake authorization server (the demo JWKS and introspection, healthy or broken), and
//! an app that claims a custom URL scheme.

use std::collections::BTreeMap;

use http::StatusCode;

use crate::actors::well_known as wk;
use crate::actors::{Actor, ActorId, ActorKind, Ctx, Delivery, StateSection};
use crate::protocol::errors::json_response;
use crate::protocol::http_wire::{self, Request, Response};
use crate::protocol::jwt::{self, SigningKey, jwks_of};
use crate::protocol::params::Params;
use crate::sim::Simulation;
use crate::sim::script::ScriptEvent;

/// A world of `browser` and `sites` only (seed 7, `bcp` defenses), not started.
pub fn browser_among(browser: crate::actors::browser::Browser, sites: Vec<Site>) -> Simulation {
    let mut sim = Simulation::new(7, crate::actors::Defenses::bcp());
    sim.add_actor(Box::new(browser));
    for s in sites {
        sim.add_actor(Box::new(s));
    }
    sim
}

/// Scripts the browser's navigation to `url` (run by the next run of the world).
pub fn script_navigation(sim: &mut Simulation, url: &str) {
    sim.push_script(ScriptEvent::Input {
        to: ActorId::new(wk::BROWSER),
        action: crate::actors::UserAction::Navigate {
            url: url.to_string(),
        },
        narration: String::new(),
    });
}

/// Scripts the browser's navigation to `url` and runs the world until idle.
pub fn browser_opens(sim: &mut Simulation, url: &str) {
    script_navigation(sim, url);
    sim.run_until_idle();
}

/// The site `id` of the world.
pub fn site_in<'a>(sim: &'a Simulation, id: &str) -> &'a Site {
    sim.actor::<Site>(id)
        .unwrap_or_else(|| panic!("no site {id} in the world"))
}

type Handler = Box<dyn Fn(&Request) -> Response>;

/// A party with fixed routes (`METHOD /path`) that records every request it gets.
/// Unknown routes are 404; a site made [`Site::silent`] never answers.
pub struct Site {
    id: ActorId,
    kind: ActorKind,
    addresses: Vec<String>,
    routes: BTreeMap<String, Handler>,
    answers: bool,
    /// Every request received, in order.
    pub requests: Vec<Request>,
}

impl Site {
    /// A web site `id` at `address` (an origin or a URL scheme such as `com.example:`).
    pub fn new(id: &str, address: &str) -> Self {
        Site {
            id: ActorId::new(id),
            kind: ActorKind::Site,
            addresses: vec![address.to_string()],
            routes: BTreeMap::new(),
            answers: true,
            requests: Vec::new(),
        }
    }

    /// The same, as another kind of party.
    pub fn of_kind(mut self, kind: ActorKind) -> Self {
        self.kind = kind;
        self
    }

    /// Answers `key` (`METHOD /path`) with `f`.
    pub fn route(mut self, key: &str, f: impl Fn(&Request) -> Response + 'static) -> Self {
        self.routes.insert(key.to_string(), Box::new(f));
        self
    }

    /// Never answers (an app handed a URL by the OS does not reply).
    pub fn silent(mut self) -> Self {
        self.answers = false;
        self
    }

    /// The requests received for `path`.
    pub fn got(&self, path: &str) -> Vec<&Request> {
        self.requests
            .iter()
            .filter(|r| r.uri().path() == path)
            .collect()
    }

    /// The one request received for `path`; fails if there were none or several.
    pub fn got_one(&self, path: &str) -> &Request {
        let got = self.got(path);
        assert_eq!(got.len(), 1, "requests for {path}");
        got[0]
    }

    /// The URLs of every request received.
    pub fn urls(&self) -> Vec<String> {
        self.requests
            .iter()
            .map(|r| http_wire::url_string(r.uri()))
            .collect()
    }
}

impl Actor for Site {
    fn kind(&self) -> ActorKind {
        self.kind
    }
    fn addresses(&self) -> Vec<String> {
        self.addresses.clone()
    }
    fn id(&self) -> &ActorId {
        &self.id
    }
    fn label(&self) -> String {
        self.id.to_string()
    }
    fn on_request(&mut self, ctx: &mut Ctx<'_>, request: Request, meta: &Delivery) {
        let key = format!("{} {}", request.method(), request.uri().path());
        let resp = match self.routes.get(&key) {
            Some(f) => f(&request),
            None => http_wire::response(StatusCode::NOT_FOUND),
        };
        self.requests.push(request);
        if self.answers {
            ctx.reply(meta.reply_handle(), resp);
        }
    }
    fn snapshot(&self) -> Vec<StateSection> {
        Vec::new()
    }
}

/// An app (`app`) that claims the `com.example.photos:` scheme and records what it is
/// handed (RFC 8252 §7.1).
pub fn photos_app() -> Site {
    Site::new("app", "com.example.photos:")
        .of_kind(ActorKind::NativeApp)
        .silent()
}

/// How the [`fake_as`] behaves. Every mode but `Healthy` is "the AS is unreachable or
/// broken" as far as a resource server can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsMode {
    Healthy,
    /// `/jwks` answers 502 (a gateway in front of a dead AS).
    JwksDown,
    /// `/jwks` answers 200 with something that is not a JWKS.
    JwksGarbage,
    /// `/introspect` answers 503.
    IntrospectionDown,
    /// `/introspect` answers 200 with JSON lacking `active`.
    IntrospectionGarbage,
}

/// A fake AS (`as` at the demo issuer): serves the demo JWKS (RFC 7517) and answers
/// introspection (RFC 7662 §2.2) `active` unless the token's `jti` is in `revoked`;
/// broken as `mode` says. Its requests are in [`Site::got`] (`/jwks`, `/introspect`).
pub fn fake_as(mode: AsMode, revoked: &[&str]) -> Site {
    fake_as_at(wk::AS_ISSUER, mode, revoked)
}

/// Like [`fake_as`], at another origin (an issuer other than as.example).
pub fn fake_as_at(origin: &str, mode: AsMode, revoked: &[&str]) -> Site {
    let revoked: Vec<String> = revoked.iter().map(|s| s.to_string()).collect();
    Site::new(wk::AS, origin)
        .of_kind(ActorKind::AuthorizationServer)
        .route("GET /jwks", move |_| match mode {
            AsMode::JwksDown => http_wire::response(StatusCode::BAD_GATEWAY),
            AsMode::JwksGarbage => {
                json_response(StatusCode::OK, &serde_json::json!({"keys": "no"}))
            }
            _ => json_response(
                StatusCode::OK,
                &serde_json::to_value(jwks_of(&SigningKey::demo_as())).expect("a JWKS"),
            ),
        })
        .route("POST /introspect", move |request| match mode {
            AsMode::IntrospectionDown => http_wire::response(StatusCode::SERVICE_UNAVAILABLE),
            AsMode::IntrospectionGarbage => {
                json_response(StatusCode::OK, &serde_json::json!({"scope": "x"}))
            }
            _ => {
                let form = Params::parse(&String::from_utf8_lossy(request.body()));
                let jti = form
                    .first("token")
                    .and_then(|t| jwt::decode_unverified(t).ok())
                    .and_then(|(_, c)| c["jti"].as_str().map(str::to_string))
                    .unwrap_or_default();
                let active = !revoked.contains(&jti);
                json_response(StatusCode::OK, &serde_json::json!({ "active": active }))
            }
        })
}
