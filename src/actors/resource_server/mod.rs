//! The resource server: the protected photo API at `https://rs.example`.
//!
//! - `GET /photos` and `GET /photos/{id}` need a bearer token (RFC 6750 §2.1) with the
//!   scope `photos.read`; the answer is `{"owner": sub, "photos": [...]}` (for one
//!   photo, a list of that one).
//! - `DELETE /photos/{id}` needs the scope `photos.write`; it removes that photo of the
//!   token's `sub` and answers 204 (404 if the user has no such photo). Every deletion
//!   is logged ([`ResourceServer::deleted`]). The scope per route is in [`routes`].
//! - JWT access tokens are checked locally (RFC 9068 §4, [`checks`]) against the
//!   issuer's JWKS, fetched at start; requests that arrive before the keys are parked.
//! - With `token_introspection` on, the RS then asks the AS whether the token is still
//!   active (RFC 7662), parking the request until the answer comes.
//! - Errors are RFC 6750 §3 challenges ([`bearer`]).
//!
//! Defenses owned here: `alg_pinning`, `audience_check`, `token_introspection`.

pub mod bearer;
pub mod checks;
pub mod config;
pub mod dpop_check;
pub mod routes;

use std::collections::BTreeMap;

use http::{Method, StatusCode};
use jsonwebtoken::jwk::JwkSet;
use serde::{Deserialize, Serialize};

pub use checks::{AcceptedToken, CheckSettings, has_scope, typ_is_access_token};
pub use config::{Photo, RsConfig};
pub use routes::{Route, RouteError};

use super::dpop::ProofGuard;
use super::{
    Actor, ActorId, ActorKind, Ctx, Delivery, MsgId, ReplyTo, SimTime, StateSection, UserAction,
};
use crate::actors::contract::actor_identity;
use crate::protocol::errors::{ErrorCode, OAuthError, json_response};
use crate::protocol::http_wire::{self, Request, Response};
use crate::protocol::params::Params;
use crate::protocol::requests::basic_authorization;
use crate::protocol::secret::Secret;
use crate::protocol::token_response::IntrospectionResponse;
use bearer::Presented;

/// Decisions kept for the State view.
const RECENT: usize = 8;
/// Characters of a request's text (path, scope, jti) quoted in a note.
const NOTE_CHARS: usize = 60;

/// Request text shortened for a note (hostile requests can be huge).
fn short(s: &str) -> String {
    if s.chars().count() > NOTE_CHARS {
        format!("{}…", s.chars().take(NOTE_CHARS).collect::<String>())
    } else {
        s.to_string()
    }
}

/// What happened to one request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum RequestOutcome {
    /// The token passed every check in force.
    Accepted(AcceptedToken),
    /// Refused: the status, the RFC 6750 error code (none for "no token", 404, 405…)
    /// and why.
    Rejected {
        status: u16,
        error: Option<String>,
        reason: String,
    },
}

/// One request and its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub at: SimTime,
    pub request: MsgId,
    pub from: ActorId,
    pub method: String,
    pub path: String,
    pub outcome: RequestOutcome,
}

impl Decision {
    pub fn accepted(&self) -> Option<&AcceptedToken> {
        match &self.outcome {
            RequestOutcome::Accepted(t) => Some(t),
            RequestOutcome::Rejected { .. } => None,
        }
    }

    fn describe(&self) -> String {
        match &self.outcome {
            RequestOutcome::Accepted(t) => format!(
                "accepted: {} via {} (jti {})",
                t.sub,
                t.client_id,
                if t.jti.is_empty() { "-" } else { &t.jti }
            ),
            RequestOutcome::Rejected {
                status,
                error,
                reason,
            } => match error {
                Some(e) => format!("{status} {e}: {reason}"),
                None => format!("{status}: {reason}"),
            },
        }
    }
}

/// A photo the RS deleted, and on whose authority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deletion {
    pub at: SimTime,
    /// The `DELETE` request.
    pub request: MsgId,
    /// Whose photo it was (the token's `sub`).
    pub sub: String,
    pub photo_id: String,
    pub title: String,
    /// The client the token was issued to.
    pub client_id: String,
    /// The token's `jti` (empty if it had none).
    pub jti: String,
}

/// Facts about a request kept while it is parked.
#[derive(Debug, Clone)]
struct RequestInfo {
    reply: ReplyTo,
    id: MsgId,
    from: ActorId,
    method: String,
    path: String,
    /// `None` for a request that matched no route.
    route: Option<Route>,
}

/// The state of the JWKS cache.
#[derive(Debug, Clone)]
enum Keys {
    NotFetched,
    Loading(MsgId),
    Loaded(JwkSet),
    Failed(String),
}

/// The resource server.
pub struct ResourceServer {
    id: ActorId,
    config: RsConfig,
    keys: Keys,
    /// Requests waiting for the JWKS, in arrival order.
    awaiting_keys: Vec<(Request, Delivery)>,
    /// Requests waiting for introspection, by the id of the introspection request.
    awaiting_introspection: BTreeMap<MsgId, (RequestInfo, AcceptedToken)>,
    decisions: Vec<Decision>,
    /// The photos now, per user (starts as `config.photos`).
    photos: BTreeMap<String, Vec<Photo>>,
    deleted: Vec<Deletion>,
    /// The DPoP proofs it has seen, and its nonce (RFC 9449 §9, §11.1).
    dpop: ProofGuard,
}

impl ResourceServer {
    pub fn new(config: RsConfig) -> Self {
        ResourceServer {
            id: ActorId::new(super::well_known::RS),
            photos: config.photos.clone(),
            deleted: Vec::new(),
            keys: Keys::NotFetched,
            awaiting_keys: Vec::new(),
            awaiting_introspection: BTreeMap::new(),
            decisions: Vec::new(),
            dpop: ProofGuard::new(config.require_dpop_nonce),
            config,
        }
    }

    /// The standard RS (`RsConfig::standard()`), id `rs`.
    pub fn standard() -> Self {
        Self::new(RsConfig::standard())
    }

    /// The same RS under another actor id.
    pub fn with_id(mut self, id: &str) -> Self {
        self.id = ActorId::new(id);
        self
    }

    pub fn config(&self) -> &RsConfig {
        &self.config
    }

    /// Every request and its outcome, in order.
    pub fn decisions(&self) -> &[Decision] {
        &self.decisions
    }

    /// Every token the RS accepted, in order.
    pub fn accepted(&self) -> impl Iterator<Item = &AcceptedToken> {
        self.decisions.iter().filter_map(Decision::accepted)
    }

    /// Whether the RS accepted a token for `sub` issued to `client_id`.
    pub fn accepted_for(&self, sub: &str, client_id: &str) -> bool {
        self.accepted()
            .any(|t| t.sub == sub && t.client_id == client_id)
    }

    /// The photos a user has now (after any deletions).
    pub fn photos_of(&self, sub: &str) -> &[Photo] {
        self.photos.get(sub).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every photo deleted, in order, with the token that deleted it.
    pub fn deleted(&self) -> &[Deletion] {
        &self.deleted
    }

    /// Whether any photo of `sub` was deleted (by anyone).
    pub fn deleted_photo_of(&self, sub: &str) -> bool {
        self.deleted.iter().any(|d| d.sub == sub)
    }

    /// Whether the JWKS is loaded.
    pub fn keys_loaded(&self) -> bool {
        matches!(self.keys, Keys::Loaded(_))
    }

    /// The key ids in the JWKS cache.
    pub fn cached_kids(&self) -> Vec<String> {
        match &self.keys {
            Keys::Loaded(set) => set
                .keys
                .iter()
                .map(|k| k.common.key_id.clone().unwrap_or_else(|| "(no kid)".into()))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Requests parked (waiting for the JWKS or for introspection).
    pub fn parked(&self) -> usize {
        self.awaiting_keys.len() + self.awaiting_introspection.len()
    }

    fn fetch_keys(&mut self, ctx: &mut Ctx<'_>) {
        let mut req = http_wire::request(Method::GET, &self.config.jwks_uri);
        http_wire::set_header(req.headers_mut(), "accept", "application/json");
        let id = ctx.send(req);
        self.keys = Keys::Loading(id);
        ctx.note(format!(
            "RS: fetches the issuer's signing keys from {} so it can verify JWT access tokens itself (RFC 9068 §4, RFC 7517).",
            self.config.jwks_uri
        ));
    }

    fn log(&mut self, ctx: &Ctx<'_>, info: &RequestInfo, outcome: RequestOutcome) {
        self.decisions.push(Decision {
            at: ctx.now,
            request: info.id,
            from: info.from.clone(),
            method: info.method.clone(),
            path: info.path.clone(),
            outcome,
        });
    }

    fn reject(&mut self, ctx: &mut Ctx<'_>, info: &RequestInfo, error: OAuthError) {
        let needed = info.route.as_ref().map(Route::required_scope);
        let resp = bearer::error_response(&self.config.realm, &error, needed);
        let status = resp.status().as_u16();
        ctx.reply(info.reply.clone(), resp);
        self.log(
            ctx,
            info,
            RequestOutcome::Rejected {
                status,
                error: Some(error.code.as_str().to_string()),
                reason: error.description,
            },
        );
    }

    fn plain_error(
        &mut self,
        ctx: &mut Ctx<'_>,
        info: &RequestInfo,
        status: StatusCode,
        error: &str,
        reason: &str,
    ) -> Response {
        let resp = json_response(
            status,
            &serde_json::json!({"error": error, "error_description": reason}),
        );
        self.log(
            ctx,
            info,
            RequestOutcome::Rejected {
                status: status.as_u16(),
                error: None,
                reason: reason.to_string(),
            },
        );
        resp
    }

    /// Answers the request with [`ResourceServer::plain_error`] of
    /// `(status, error, reason)`.
    fn reply_error(
        &mut self,
        ctx: &mut Ctx<'_>,
        info: &RequestInfo,
        refusal: (StatusCode, &str, &str),
    ) {
        let (status, error, reason) = refusal;
        let resp = self.plain_error(ctx, info, status, error, reason);
        ctx.reply(info.reply.clone(), resp);
    }

    /// Handles an API request from the start (also when it leaves the JWKS queue).
    fn handle(&mut self, ctx: &mut Ctx<'_>, req: Request, meta: &Delivery) {
        let path = req.uri().path().to_string();
        let resolved = Route::resolve(req.method(), &path);
        let mut info = RequestInfo {
            reply: meta.reply_handle(),
            id: meta.id,
            from: meta.from.clone(),
            method: req.method().to_string(),
            path: path.clone(),
            route: None,
        };
        let route = match resolved {
            Ok(route) => route,
            Err(RouteError::NotFound) => {
                ctx.note(format!("RS: there is nothing at {}; 404.", short(&path)));
                self.reply_error(
                    ctx,
                    &info,
                    (StatusCode::NOT_FOUND, "not_found", "no such resource"),
                );
                return;
            }
            Err(RouteError::MethodNotAllowed { allow }) => {
                ctx.note(format!(
                    "RS: {} answers {allow} only, not {}; 405.",
                    short(&path),
                    short(req.method().as_str())
                ));
                let mut resp = self.plain_error(
                    ctx,
                    &info,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "method_not_allowed",
                    &format!("use {allow}"),
                );
                http_wire::set_header(resp.headers_mut(), "allow", allow);
                ctx.reply(info.reply.clone(), resp);
                return;
            }
        };
        let needed = route.required_scope();
        info.route = Some(route);
        let dpop_scheme = ctx
            .defenses
            .dpop
            .then(|| dpop_check::presented_dpop_token(&req))
            .flatten();
        let came_as_dpop = dpop_scheme.is_some();
        let token = match dpop_scheme.unwrap_or_else(|| bearer::presented_token(&req)) {
            Presented::None => {
                if bearer::token_in_query(&req) {
                    ctx.note("RS: ignores the access_token in the URL query: tokens in URLs leak (RFC 6750 §2.3, RFC 9700 §4.3.2).");
                }
                ctx.note("RS: no bearer token in the request; 401 with a plain challenge (realm only, no error: RFC 6750 §3.1) telling the caller to get one.");
                ctx.reply(info.reply.clone(), bearer::no_token(&self.config.realm));
                self.log(
                    ctx,
                    &info,
                    RequestOutcome::Rejected {
                        status: 401,
                        error: None,
                        reason: "no token".into(),
                    },
                );
                return;
            }
            Presented::Malformed(why) => {
                ctx.note(format!(
                    "RS: cannot read a token from the request ({why}); 400 invalid_request (RFC 6750 §3.1)."
                ));
                self.reject(ctx, &info, OAuthError::new(ErrorCode::InvalidRequest, why));
                return;
            }
            Presented::Token(t) => t,
        };
        let jwks = match &self.keys {
            Keys::Loaded(set) => set.clone(),
            Keys::Loading(_) => {
                ctx.note("RS: the issuer's keys have not arrived yet; the request waits for them.");
                self.awaiting_keys.push((req, meta.clone()));
                return;
            }
            Keys::NotFetched | Keys::Failed(_) => {
                self.awaiting_keys.push((req, meta.clone()));
                ctx.note(
                    "RS: holds no keys of the issuer yet; the request waits while it fetches them.",
                );
                self.fetch_keys(ctx);
                return;
            }
        };
        let settings = CheckSettings {
            alg_pinning: ctx.defenses.alg_pinning,
            audience_check: ctx.defenses.audience_check,
            now_unix: ctx.now.unix_secs(),
        };
        let mut notes = Vec::new();
        let checked = checks::check_token(&token, &jwks, &self.config, settings, &mut notes);
        for n in notes {
            ctx.note(n);
        }
        let accepted = match checked {
            Ok(t) => t,
            Err(e) => {
                ctx.note(format!(
                    "RS: answers 401 invalid_token (RFC 6750 §3.1): {}.",
                    e.description
                ));
                self.reject(ctx, &info, e);
                return;
            }
        };
        if let Err(why) = self.check_dpop(ctx, &req, &token, &accepted, came_as_dpop) {
            self.reject_dpop(ctx, &info, why);
            return;
        }
        if !has_scope(&accepted.scope, needed) {
            ctx.note(format!(
                "RS: the token's scope is {:?}, which lacks {needed} (what {} needs); 403 insufficient_scope (RFC 6750 §3.1).",
                short(&accepted.scope),
                info.route.as_ref().map(Route::pattern).unwrap_or("")
            ));
            let e = OAuthError::new(
                ErrorCode::InsufficientScope,
                format!("this resource needs the scope {needed}"),
            );
            self.reject(ctx, &info, e);
            return;
        }
        ctx.note(format!(
            "RS: scope {:?} includes {needed}.",
            short(&accepted.scope)
        ));
        if ctx.defenses.token_introspection {
            self.introspect(ctx, &token, info, accepted);
        } else {
            ctx.note("RS: token introspection is off, so it does not ask the AS whether the token was revoked.");
            self.serve(ctx, info, accepted);
        }
    }

    fn introspect(
        &mut self,
        ctx: &mut Ctx<'_>,
        token: &str,
        info: RequestInfo,
        accepted: AcceptedToken,
    ) {
        let mut req = http_wire::request(Method::POST, &self.config.introspection_endpoint);
        // The RS authenticates to the introspection endpoint like a client (RFC 7662 §2.1).
        let basic = basic_authorization(
            &self.config.introspection_client_id,
            self.config.introspection_client_secret.expose(),
        );
        http_wire::set_header(req.headers_mut(), "authorization", &basic);
        http_wire::set_form_body(
            &mut req,
            &Params::from_pairs([("token", token), ("token_type_hint", "access_token")]),
        );
        http_wire::set_header(req.headers_mut(), "accept", "application/json");
        let id = ctx.send(req);
        ctx.note(format!(
            "RS: asks the AS at {} whether the token is still active (RFC 7662), and answers the API request when it knows.",
            self.config.introspection_endpoint
        ));
        self.awaiting_introspection.insert(id, (info, accepted));
    }

    fn serve(&mut self, ctx: &mut Ctx<'_>, info: RequestInfo, token: AcceptedToken) {
        let Some(route) = info.route.clone() else {
            return;
        };
        let all = self.photos_of(&token.sub).to_vec();
        let not_found = |ctx: &mut Ctx<'_>, id: &str| {
            ctx.note(format!(
                "RS: {} has no photo {:?}; 404 (whether someone else has one is not said).",
                token.sub,
                short(id)
            ));
            json_response(
                StatusCode::NOT_FOUND,
                &serde_json::json!({"error": "not_found", "error_description": "no such photo"}),
            )
        };
        let resp = match &route {
            Route::ListPhotos => {
                ctx.note(format!(
                    "RS: serves {}'s {} photos to {} (200).",
                    token.sub,
                    all.len(),
                    token.client_id
                ));
                json_response(
                    StatusCode::OK,
                    &serde_json::json!({"owner": token.sub, "photos": all}),
                )
            }
            Route::GetPhoto(id) => match all.iter().find(|p| &p.id == id) {
                Some(p) => {
                    ctx.note(format!(
                        "RS: serves {}'s photo {id} to {} (200).",
                        token.sub, token.client_id
                    ));
                    json_response(
                        StatusCode::OK,
                        &serde_json::json!({"owner": token.sub, "photos": [p]}),
                    )
                }
                None => not_found(ctx, id),
            },
            Route::DeletePhoto(id) => match all.iter().position(|p| &p.id == id) {
                Some(i) => {
                    let photo = self
                        .photos
                        .get_mut(&token.sub)
                        .map(|list| list.remove(i))
                        .unwrap_or_else(|| all[i].clone());
                    ctx.note(format!(
                        "RS: deletes {}'s photo {id} (“{}”) at the request of {}, on the authority of token {} (204).",
                        token.sub,
                        photo.title,
                        token.client_id,
                        if token.jti.is_empty() {
                            "without a jti".to_string()
                        } else {
                            short(&token.jti)
                        }
                    ));
                    self.deleted.push(Deletion {
                        at: ctx.now,
                        request: info.id,
                        sub: token.sub.clone(),
                        photo_id: photo.id,
                        title: photo.title,
                        client_id: token.client_id.clone(),
                        jti: token.jti.clone(),
                    });
                    http_wire::response(StatusCode::NO_CONTENT)
                }
                None => not_found(ctx, id),
            },
        };
        ctx.reply(info.reply.clone(), resp);
        self.log(ctx, &info, RequestOutcome::Accepted(token));
    }

    fn on_keys(&mut self, ctx: &mut Ctx<'_>, response: &Response) {
        let parsed = if response.status() == StatusCode::OK {
            serde_json::from_slice::<JwkSet>(response.body())
                .map_err(|e| format!("the JWKS does not parse ({e})"))
        } else {
            Err(format!(
                "the JWKS request got {}",
                response.status().as_u16()
            ))
        };
        match parsed {
            Ok(set) => {
                self.keys = Keys::Loaded(set);
                let kids = self.cached_kids();
                ctx.note(format!(
                    "RS: caches the issuer's JWKS: {} key(s), kid {}.",
                    kids.len(),
                    if kids.is_empty() {
                        "(none)".to_string()
                    } else {
                        kids.join(", ")
                    }
                ));
                let parked = std::mem::take(&mut self.awaiting_keys);
                if !parked.is_empty() {
                    ctx.note(format!(
                        "RS: now handles the {} request(s) that waited for the keys.",
                        parked.len()
                    ));
                }
                for (req, meta) in parked {
                    self.handle(ctx, req, &meta);
                }
            }
            Err(why) => self.keys_failed(ctx, why),
        }
    }

    /// The JWKS could not be had: requests waiting for it get 503.
    fn keys_failed(&mut self, ctx: &mut Ctx<'_>, why: String) {
        ctx.note(format!(
            "RS: {why}; without keys it cannot verify any token, so waiting requests get 503 and the next one triggers a new fetch."
        ));
        self.keys = Keys::Failed(why);
        for (req, meta) in std::mem::take(&mut self.awaiting_keys) {
            let path = req.uri().path().to_string();
            let info = RequestInfo {
                reply: meta.reply_handle(),
                id: meta.id,
                from: meta.from.clone(),
                method: req.method().to_string(),
                route: Route::resolve(req.method(), &path).ok(),
                path,
            };
            self.reply_error(
                ctx,
                &info,
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "temporarily_unavailable",
                    "the issuer's keys are unavailable",
                ),
            );
        }
    }

    /// The AS's answer to an introspection request is mis-framed (RFC 9112 §6.3): the
    /// RS cannot confirm the token, so the API request waiting on it gets 502 Bad
    /// Gateway (RFC 9110 §15.6.3), never an unconfirmed success.
    fn introspection_unreadable(
        &mut self,
        ctx: &mut Ctx<'_>,
        error: &http_wire::WireError,
        info: RequestInfo,
    ) {
        ctx.note(format!(
            "RS: the AS's introspection answer cannot be read ({error}); it answers the waiting API request 502 rather than serve an unconfirmed token."
        ));
        self.reply_error(
            ctx,
            &info,
            (
                StatusCode::BAD_GATEWAY,
                "temporarily_unavailable",
                "the authorization server's introspection answer could not be read",
            ),
        );
    }

    fn on_introspection(
        &mut self,
        ctx: &mut Ctx<'_>,
        response: &Response,
        info: RequestInfo,
        token: AcceptedToken,
    ) {
        let parsed = (response.status() == StatusCode::OK)
            .then(|| serde_json::from_slice::<IntrospectionResponse>(response.body()).ok())
            .flatten();
        match parsed {
            Some(r) if r.active => {
                ctx.note("RS: the AS says the token is active.");
                self.serve(ctx, info, token);
            }
            Some(_) => {
                ctx.note(
                    "RS: the AS says the token is not active (revoked or expired at the AS); 401 invalid_token.",
                );
                self.reject(
                    ctx,
                    &info,
                    OAuthError::new(ErrorCode::InvalidToken, "the token is revoked or inactive"),
                );
            }
            None => {
                ctx.note(format!(
                    "RS: the introspection answer ({}) is unusable; it fails closed with 503 rather than serve an unconfirmed token.",
                    response.status().as_u16()
                ));
                self.reply_error(
                    ctx,
                    &info,
                    (
                        StatusCode::SERVICE_UNAVAILABLE,
                        "temporarily_unavailable",
                        "could not confirm the token is active",
                    ),
                );
            }
        }
    }
}

impl Actor for ResourceServer {
    actor_identity!(
        kind: ActorKind::ResourceServer,
        label: |_| "Resource server (rs.example)".to_string(),
        addresses: |rs| vec![rs.config.identifier.clone()],
    );

    fn start(&mut self, ctx: &mut Ctx<'_>) {
        self.fetch_keys(ctx);
    }

    fn on_request(&mut self, ctx: &mut Ctx<'_>, request: Request, meta: &Delivery) {
        self.handle(ctx, request, meta);
    }

    fn on_response(&mut self, ctx: &mut Ctx<'_>, response: Response, meta: &Delivery) {
        let Some(id) = meta.in_reply_to else {
            return;
        };
        if matches!(self.keys, Keys::Loading(k) if k == id) {
            self.on_keys(ctx, &response);
        } else if let Some((info, token)) = self.awaiting_introspection.remove(&id) {
            self.on_introspection(ctx, &response, info, token);
        } else {
            ctx.note("RS: a response to nothing it is waiting for; ignored.");
        }
    }

    fn on_unreadable_response(
        &mut self,
        ctx: &mut Ctx<'_>,
        error: &http_wire::WireError,
        meta: &Delivery,
    ) {
        let Some(id) = meta.in_reply_to else {
            ctx.note(format!(
                "RS: could not parse a response that answers nothing ({error}); ignored."
            ));
            return;
        };
        if matches!(self.keys, Keys::Loading(k) if k == id) {
            self.keys_failed(ctx, format!("the JWKS answer cannot be read ({error})"));
        } else if let Some((info, _)) = self.awaiting_introspection.remove(&id) {
            self.introspection_unreadable(ctx, error, info);
        } else {
            ctx.note(format!(
                "RS: an unreadable response ({error}) to nothing it is waiting for; ignored."
            ));
        }
    }

    fn on_input(&mut self, ctx: &mut Ctx<'_>, action: &UserAction) {
        if matches!(action, UserAction::Custom { name, .. } if name == "refresh_keys") {
            self.fetch_keys(ctx);
        }
    }

    fn snapshot(&self) -> Vec<StateSection> {
        let mut keys = StateSection::new("JWKS cache");
        match &self.keys {
            Keys::NotFetched => keys.push("state", "not fetched"),
            Keys::Loading(_) => keys.push("state", "loading"),
            Keys::Failed(why) => keys.push("state", format!("failed: {why}")),
            Keys::Loaded(_) => {
                for kid in self.cached_kids() {
                    keys.push("kid", kid);
                }
            }
        }
        keys.push("from", self.config.jwks_uri.clone());
        let mut recent = StateSection::new("Recent decisions");
        let skip = self.decisions.len().saturating_sub(RECENT);
        for d in self.decisions.iter().skip(skip) {
            recent.push(
                format!("#{} {} {}", d.request.0, d.method, d.path),
                d.describe(),
            );
        }
        if recent.rows.is_empty() {
            recent.push("(none yet)", "");
        }
        let mut config = StateSection::new("Configuration")
            .row("identifier (aud)", self.config.identifier.clone())
            .row("trusted issuer", self.config.trusted_issuer.clone());
        for (pattern, scope) in Route::table() {
            config.push(format!("scope for {pattern}"), scope);
        }
        let config = config
            .row("waiting for keys", self.awaiting_keys.len().to_string())
            .row(
                "waiting for introspection",
                self.awaiting_introspection.len().to_string(),
            );
        let mut deleted = StateSection::new("Deleted photos");
        for d in &self.deleted {
            deleted.push(
                format!("{}/{}", d.sub, d.photo_id),
                format!(
                    "by {} (jti {}) at request #{}",
                    d.client_id,
                    if d.jti.is_empty() { "-" } else { &d.jti },
                    d.request.0
                ),
            );
        }
        if deleted.rows.is_empty() {
            deleted.push("(none)", "");
        }
        vec![keys, recent, config, deleted]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::{Defenses, Outgoing};
    use crate::testing::{OneActor, delivery};

    #[test]
    fn start_fetches_the_jwks_and_no_token_is_answered_at_once() {
        let mut rs = OneActor::new(ResourceServer::standard(), Defenses::bcp(), 1);
        rs.next_id = 100;
        assert_eq!(rs.actor.addresses(), ["https://rs.example"]);
        let out = rs.start();
        let [Outgoing::Request { request, .. }] = out.as_slice() else {
            panic!("{out:?}");
        };
        assert_eq!(request.uri().to_string(), "https://as.example/jwks");
        let meta = delivery(7, "client", "rs");
        let req = http_wire::request(Method::GET, "https://rs.example/photos");
        let out = rs.deliver(req, &meta);
        let [Outgoing::Response { reply, response }] = out.as_slice() else {
            panic!("{out:?}");
        };
        assert_eq!(reply.request, MsgId(7));
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(rs.actor.decisions().len(), 1);
        // A token before the keys arrive is parked, not answered.
        let mut req = http_wire::request(Method::GET, "https://rs.example/photos");
        http_wire::set_header(req.headers_mut(), "authorization", "Bearer a.b.c");
        let out = rs.deliver(req, &meta);
        assert!(out.is_empty());
        assert_eq!(rs.actor.parked(), 1);
        assert_eq!(
            rs.actor.snapshot()[0].rows[0],
            ("state".into(), "loading".into())
        );
    }
}
