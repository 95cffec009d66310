//! The authorization server (RFC 6749 §1.1): a sans-IO actor answering
//!
//! - `GET /.well-known/oauth-authorization-server`, `/.well-known/openid-configuration`
//!   (RFC 8414, OIDC Discovery) and `GET /jwks` — [`discovery`];
//! - `GET /authorize` (RFC 6749 §4.1.1) — [`authorize`];
//! - `POST /login`, `GET|POST /consent` — [`login_consent`];
//! - `POST /par` (RFC 9126) — [`par`];
//! - `POST /token` (RFC 6749 §4.1.3, §4.4, §6) — [`token`], [`client_credentials`];
//! - `POST /revoke` (RFC 7009) and `POST /introspect` (RFC 7662) — [`revoke_introspect`].
//!
//! State lives in [`registrar`] (clients), [`sessions`] (users, login sessions,
//! consents), [`authorizer`] (pending requests, codes) and [`issuer`] (tokens).
//! docs/PROTOCOL.md items 1–17 are the contract; each check reads `ctx.defenses` on every
//! request, so turning a defense off relaxes exactly that check.

use http::{Method, StatusCode};

use super::dpop::ProofGuard;
use super::well_known as wk;
use super::{Actor, ActorId, ActorKind, Ctx, Delivery, SimTime, StateSection};
use crate::protocol::html;
use crate::protocol::http_wire::{Request, Response, header, response, set_header};
use crate::protocol::jwt::SigningKey;
use crate::protocol::params::Params;

pub mod authorize;
pub mod authorizer;
pub mod client_assertion;
pub mod client_auth;
pub mod client_credentials;
pub mod discovery;
pub mod dpop_check;
pub mod frame_protection;
pub mod issuer;
pub mod login_consent;
pub mod pages;
pub mod par;
pub mod registrar;
pub mod registration;
pub mod revoke_introspect;
pub mod sessions;
pub mod snapshot;
pub mod token;

pub use authorizer::{
    GrantRequest, IssuedCode, PkceChallenge, RedirectTarget, ResponseType, Transaction,
};
pub use issuer::{AccessRecord, Family, Lifetimes, RefreshRecord, ResourceRegistration};
pub use registrar::{ClientRegistration, ClientType, GrantType, RegistrationError};
pub use sessions::{SESSION_COOKIE, Session, UserAccount};

use crate::actors::contract::actor_identity;
use authorizer::Authorizer;
use issuer::Issuer;
use registrar::Registrar;
use sessions::Sessions;

/// Largest form body the AS reads.
pub const MAX_BODY_BYTES: usize = 16 * 1024;
/// Largest query string `/authorize` reads.
pub const MAX_QUERY_BYTES: usize = 8 * 1024;
/// Largest parameter value.
pub const MAX_VALUE_BYTES: usize = 4 * 1024;
/// Most parameters in one request.
pub const MAX_PARAMS: usize = 64;

/// Everything an authorization server is made of.
#[derive(Debug, Clone)]
pub struct AuthServerConfig {
    /// The actor id (`as`).
    pub id: String,
    /// The issuer identifier and origin (RFC 8414 §2), e.g. `https://as.example`.
    pub issuer: String,
    pub signing_key: SigningKey,
    pub users: Vec<UserAccount>,
    pub clients: Vec<ClientRegistration>,
    pub resources: Vec<ResourceRegistration>,
    /// How long the tokens it issues live.
    pub lifetimes: Lifetimes,
    /// Whether the token endpoint demands its own nonce in DPoP proofs (RFC 9449 §8).
    pub require_dpop_nonce: bool,
    /// Whether `POST /register` takes dynamic client registrations (RFC 7591); off in
    /// the simulated worlds, on in live mode.
    pub dynamic_registration: bool,
}

impl AuthServerConfig {
    /// The AS of the standard world (`well_known.rs`): users alice and mallory; the web
    /// client `photo-printer`, the native app `photos-app`, the RS's introspection
    /// credentials `rs.example`; the resource `https://rs.example`.
    pub fn standard() -> Self {
        let code_and_refresh = [GrantType::AuthorizationCode, GrantType::RefreshToken];
        AuthServerConfig {
            id: wk::AS.to_string(),
            issuer: wk::AS_ISSUER.to_string(),
            signing_key: SigningKey::demo_as(),
            users: vec![
                UserAccount::new(wk::ALICE, wk::ALICE_PASSWORD, "Alice"),
                UserAccount::new(wk::MALLORY, wk::MALLORY_PASSWORD, "Mallory"),
            ],
            clients: vec![
                ClientRegistration::confidential(wk::CLIENT_ID, "Photo Printer", wk::CLIENT_SECRET)
                    .with_assertion_key(crate::actors::client::config::photo_printer_key().jwk())
                    .with_redirect_uri(wk::CLIENT_REDIRECT_URI)
                    .with_scopes(wk::CLIENT_SCOPE)
                    .with_grants(&code_and_refresh),
                ClientRegistration::public(wk::NATIVE_CLIENT_ID, "Photos app")
                    .with_redirect_uri(wk::NATIVE_REDIRECT_URI)
                    .with_redirect_uri(wk::NATIVE_LOOPBACK_REDIRECT_URI)
                    .with_scopes(&format!("openid {}", wk::SCOPE_PHOTOS_READ))
                    .with_grants(&code_and_refresh),
                ClientRegistration::confidential(
                    wk::RS_CLIENT_ID,
                    "Photo API (resource server)",
                    wk::RS_CLIENT_SECRET,
                )
                .introspector(),
            ],
            resources: vec![ResourceRegistration::new(
                wk::RS_ORIGIN,
                &format!("{} {}", wk::SCOPE_PHOTOS_READ, wk::SCOPE_PHOTOS_WRITE),
            )],
            lifetimes: Lifetimes::standard(),
            require_dpop_nonce: false,
            dynamic_registration: false,
        }
    }

    /// A second AS, e.g. an attacker's (`https://as.attacker.example`, RFC 9700 §4.4
    /// mix-up), with the same users, clients and resources as the standard one unless
    /// changed.
    pub fn second(id: &str, issuer: &str) -> Self {
        AuthServerConfig {
            id: id.to_string(),
            issuer: issuer.to_string(),
            signing_key: SigningKey::demo_second_as(),
            ..Self::standard()
        }
    }
}

/// The authorization server actor.
#[derive(Debug, Clone)]
pub struct AuthServer {
    id: ActorId,
    issuer_url: String,
    registrar: Registrar,
    sessions: Sessions,
    authorizer: Authorizer,
    tokens: Issuer,
    /// Pushed authorization requests (RFC 9126).
    pushed: par::PushedRequests,
    /// Client assertions already used, until they expire (RFC 7523 §3 item 7).
    seen_assertions: client_assertion::SeenAssertions,
    /// The DPoP proofs it has seen, and its nonce (RFC 9449 §8, §11.1).
    dpop: ProofGuard,
    /// The time of the last message handled (for the inspector's "expires in").
    last_now: SimTime,
    /// Whether `POST /register` is served (RFC 7591).
    dynamic_registration: bool,
}

impl AuthServer {
    /// Builds the AS, registering every client and user of the config.
    pub fn new(config: AuthServerConfig) -> Result<Self, RegistrationError> {
        let issuer_url = config.issuer.trim_end_matches('/').to_string();
        let mut server = AuthServer {
            id: ActorId::new(&config.id),
            tokens: Issuer::new(
                &issuer_url,
                config.signing_key,
                config.resources,
                config.lifetimes,
            ),
            issuer_url,
            registrar: Registrar::default(),
            sessions: Sessions::default(),
            authorizer: Authorizer::default(),
            pushed: par::PushedRequests::default(),
            seen_assertions: client_assertion::SeenAssertions::default(),
            dpop: ProofGuard::new(config.require_dpop_nonce),
            last_now: SimTime::ZERO,
            dynamic_registration: config.dynamic_registration,
        };
        for user in config.users {
            if server.sessions.has_user(&user.username) {
                return Err(RegistrationError::DuplicateUser(user.username));
            }
            server.sessions.add_user(user);
        }
        for client in config.clients {
            server.register_client(client)?;
        }
        Ok(server)
    }

    /// The standard AS (`AuthServerConfig::standard()`).
    pub fn standard() -> Self {
        match Self::new(AuthServerConfig::standard()) {
            Ok(s) => s,
            Err(e) => unreachable!("the standard registrations are valid: {e}"),
        }
    }

    /// Registers one more client (redirect URIs checked per docs/PROTOCOL.md item 4).
    pub fn register_client(&mut self, reg: ClientRegistration) -> Result<(), RegistrationError> {
        self.registrar.register(reg)
    }

    /// Records that `user` already approved `scope` for `client_id` (attack setups:
    /// a returning user is not asked again).
    pub fn remember_consent(&mut self, user: &str, client_id: &str, scope: &str) {
        self.sessions.remember_consent(user, client_id, scope);
    }

    /// The issuer identifier (RFC 8414 §2).
    pub fn issuer(&self) -> &str {
        &self.issuer_url
    }

    pub fn signing_key(&self) -> &SigningKey {
        self.tokens.key()
    }

    /// The JWKS the AS publishes at `/jwks`.
    pub fn jwks(&self) -> &jsonwebtoken::jwk::JwkSet {
        self.tokens.jwks()
    }

    pub fn client(&self, client_id: &str) -> Option<&ClientRegistration> {
        self.registrar.get(client_id)
    }

    pub fn clients(&self) -> impl Iterator<Item = &ClientRegistration> {
        self.registrar.clients()
    }

    /// Every code issued, in order.
    pub fn codes(&self) -> &[IssuedCode] {
        self.authorizer.codes()
    }

    /// The code with this value, if the AS issued it.
    pub fn code(&self, code: &str) -> Option<&IssuedCode> {
        self.authorizer
            .find(code)
            .and_then(|i| self.authorizer.code_at(i))
    }

    /// Whether the code was redeemed successfully at least once.
    pub fn code_redeemed(&self, code: &str) -> bool {
        self.code(code).is_some_and(|c| c.redemptions > 0)
    }

    /// Pushed authorization requests (RFC 9126), used or not.
    pub fn pushed_requests(&self) -> impl Iterator<Item = &par::PushedRequest> {
        self.pushed.iter()
    }

    /// Pending authorization requests.
    pub fn pending_transactions(&self) -> impl Iterator<Item = &Transaction> {
        self.authorizer.transactions()
    }

    /// Login sessions.
    pub fn sessions(&self) -> impl Iterator<Item = &Session> {
        self.sessions.sessions()
    }

    /// Whether `user` approved every scope of `scope` for `client_id`.
    pub fn consent_remembered(&self, user: &str, client_id: &str, scope: &str) -> bool {
        let scopes: Vec<String> = scope.split_whitespace().map(str::to_string).collect();
        self.sessions.consent_covers(user, client_id, &scopes)
    }

    /// Token families (one per grant).
    pub fn families(&self) -> &[Family] {
        self.tokens.families()
    }

    pub fn family(&self, id: &str) -> Option<&Family> {
        self.tokens.family(id)
    }

    /// Every access token issued.
    pub fn access_tokens(&self) -> &[AccessRecord] {
        self.tokens.access_tokens()
    }

    /// Every refresh token issued.
    pub fn refresh_tokens(&self) -> &[RefreshRecord] {
        self.tokens.refresh_tokens()
    }

    /// Whether the access token with this `jti` is unrevoked and unexpired at `now`.
    pub fn access_token_active(&self, jti: &str, now: SimTime) -> bool {
        self.tokens.access_active(jti, now)
    }

    /// Whether the access token (the JWT itself) is one of ours and active at `now`.
    pub fn access_token_jwt_active(&self, token: &str, now: SimTime) -> bool {
        self.tokens
            .verify_access_token(token)
            .is_some_and(|c| self.tokens.access_active(&c.jti, now))
    }

    /// Whether the access token with this `jti` was revoked (alone or with its grant).
    pub fn access_token_revoked(&self, jti: &str) -> bool {
        self.tokens
            .access_record(jti)
            .is_some_and(|a| a.revoked || self.tokens.family_revoked(&a.family))
    }

    /// Whether a refresh token is known, unconsumed, unrevoked and unexpired at `now`.
    pub fn refresh_token_active(&self, token: &str, now: SimTime) -> bool {
        self.tokens.refresh_active(token, now)
    }

    /// Whether the grant a refresh token belongs to was revoked.
    pub fn refresh_token_revoked(&self, token: &str) -> bool {
        self.tokens
            .find_refresh(token)
            .and_then(|i| self.tokens.refresh_at(i))
            .is_some_and(|r| self.tokens.family_revoked(&r.family))
    }

    /// The host (and port) of the issuer URL: the realm of the AS's `Basic` challenges
    /// (RFC 7617 §2) and the name in its lane label.
    pub fn host(&self) -> &str {
        let rest = self
            .issuer_url
            .split_once("://")
            .map(|(_, h)| h)
            .unwrap_or(&self.issuer_url);
        rest.split(['/', '?', '#']).next().unwrap_or(rest)
    }

    /// `{issuer}{path}`.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.issuer_url)
    }

    fn route(&mut self, ctx: &mut Ctx<'_>, req: &Request) -> Response {
        let path = req.uri().path().to_string();
        let method = req.method().clone();
        let allowed: &[Method] = match path.as_str() {
            "/.well-known/oauth-authorization-server"
            | "/.well-known/openid-configuration"
            | "/jwks"
            | "/authorize" => &[Method::GET],
            "/consent" => &[Method::GET, Method::POST],
            "/login" | "/token" | "/revoke" | "/introspect" | "/par" => &[Method::POST],
            "/register" if self.dynamic_registration => &[Method::POST],
            _ => {
                ctx.note(format!("AS: nothing is served at {path}; 404."));
                return html_response(
                    StatusCode::NOT_FOUND,
                    &pages::error_page("Not found", &format!("Nothing is served at {path}.")),
                );
            }
        };
        if !allowed.contains(&method) {
            ctx.note(format!("AS: {path} does not accept {method}; 405."));
            let why = format!("{path} does not accept {method}.");
            let mut resp = if matches!(path.as_str(), "/token" | "/revoke" | "/introspect" | "/par")
            {
                // The JSON endpoints answer in JSON, with the RFC 6749 §5.2 shape.
                let err = crate::protocol::errors::OAuthError::new(
                    crate::protocol::errors::ErrorCode::InvalidRequest,
                    format!("{why} Use POST (RFC 6749 §3.2)."),
                );
                let mut resp = err.token_response_in_realm(None);
                *resp.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
                resp
            } else {
                html_response(
                    StatusCode::METHOD_NOT_ALLOWED,
                    &pages::error_page("Method not allowed", &why),
                )
            };
            let allow: Vec<&str> = allowed.iter().map(Method::as_str).collect();
            set_header(resp.headers_mut(), "allow", &allow.join(", "));
            return resp;
        }
        match (path.as_str(), method == Method::GET) {
            ("/.well-known/oauth-authorization-server", _)
            | ("/.well-known/openid-configuration", _) => self.handle_metadata(ctx, &path),
            ("/jwks", _) => self.handle_jwks(ctx),
            ("/authorize", _) => self.handle_authorize(ctx, req),
            ("/login", _) => self.handle_login(ctx, req),
            ("/consent", true) => self.handle_consent_get(ctx, req),
            ("/consent", false) => self.handle_consent_post(ctx, req),
            ("/token", _) => self.handle_token(ctx, req),
            ("/revoke", _) => self.handle_revoke(ctx, req),
            ("/par", _) => self.handle_par(ctx, req),
            ("/register", _) => self.handle_register(ctx, req),
            _ => self.handle_introspect(ctx, req),
        }
    }
}

impl Actor for AuthServer {
    actor_identity!(
        kind: ActorKind::AuthorizationServer,
        label: |s| format!("Authorization server ({})", s.host()),
        addresses: |s| vec![s.issuer_url.clone()],
    );

    fn on_request(&mut self, ctx: &mut Ctx<'_>, request: Request, meta: &Delivery) {
        self.last_now = ctx.now;
        let mut resp = self.route(ctx, &request);
        frame_protection::protect_pages(ctx, request.uri().path(), &mut resp);
        ctx.reply(meta.reply_handle(), resp);
    }

    fn keep_promises(&mut self, signed: &crate::protocol::deferred_sign::Signatures) {
        self.tokens.keep_promises(signed);
    }

    fn snapshot(&self) -> Vec<StateSection> {
        self.state_sections()
    }
}

/// An HTML response (`no-store`: login and consent pages carry transaction ids).
pub(crate) fn html_response(status: StatusCode, body: &str) -> Response {
    let mut resp = response(status);
    set_header(
        resp.headers_mut(),
        "content-type",
        "text/html; charset=utf-8",
    );
    set_header(resp.headers_mut(), "cache-control", "no-store");
    *resp.body_mut() = body.as_bytes().to_vec();
    resp
}

/// The 400 error page the authorization endpoint shows instead of redirecting
/// (RFC 6749 §4.1.2.1).
pub(crate) fn error_page_response(title: &str, message: &str) -> Response {
    html_response(StatusCode::BAD_REQUEST, &pages::error_page(title, message))
}

/// A redirect to `location`.
pub(crate) fn redirect(status: StatusCode, location: &str) -> Response {
    let mut resp = response(status);
    set_header(resp.headers_mut(), "location", location);
    set_header(resp.headers_mut(), "cache-control", "no-store");
    resp
}

/// The status of a redirect answering a form POST: 303 with `login_303`, 307 without
/// (RFC 9700 §4.12: a 307 makes the browser re-POST the form, password included).
pub(crate) fn post_redirect_status(login_303: bool) -> StatusCode {
    if login_303 {
        StatusCode::SEE_OTHER
    } else {
        StatusCode::TEMPORARY_REDIRECT
    }
}

/// Checks the size limits on decoded parameters; `Err` describes the violation.
pub(crate) fn check_limits(params: &Params) -> Result<(), String> {
    if params.0.len() > MAX_PARAMS {
        return Err(format!("too many parameters (more than {MAX_PARAMS})"));
    }
    match params
        .iter()
        .find(|(k, v)| k.len() > MAX_VALUE_BYTES || v.len() > MAX_VALUE_BYTES)
    {
        Some((k, _)) => Err(format!(
            "parameter `{}` is too long (more than {MAX_VALUE_BYTES} bytes)",
            k.chars().take(40).collect::<String>()
        )),
        None => Ok(()),
    }
}

/// The first parameter name that appears more than once (RFC 6749 §3.1: "Request and
/// response parameters MUST NOT be included more than once"). `resource` is not
/// counted: RFC 8707 §2 lets it repeat, and [`resource_param`] answers that with
/// `invalid_target`.
pub(crate) fn repeated_param(params: &Params) -> Option<&str> {
    params
        .0
        .iter()
        .enumerate()
        .filter(|(_, (k, _))| k != "resource")
        .find(|(i, (k, _))| params.0.iter().skip(i + 1).any(|(k2, _)| k2 == k))
        .map(|(_, (k, _))| k.as_str())
}

/// The single `resource` parameter (RFC 8707 §2), `None` when absent or empty. This AS
/// issues a token for one resource at a time, so several are an `invalid_target`
/// (`Err` is its description).
pub(crate) fn resource_param(params: &Params) -> Result<Option<&str>, String> {
    params.single("resource").map_err(|_| {
        "this AS issues each access token for one resource; send one resource parameter (RFC 8707 §2)"
            .to_string()
    })
}

/// A space-delimited `scope` value as a list, empty items and duplicates dropped
/// (RFC 6749 §3.3).
pub(crate) fn scope_list(scope: &str) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for item in scope.split(' ').filter(|x| !x.is_empty()) {
        if !v.iter().any(|x| x == item) {
            v.push(item.to_string());
        }
    }
    v
}

/// Decodes an `application/x-www-form-urlencoded` body (RFC 6749 Appendix B), within
/// the size limits. `Err` is the `error_description` of an `invalid_request`.
pub(crate) fn form_body(req: &Request) -> Result<Params, String> {
    if let Some(ct) = header(req, "content-type") {
        let media = ct.split(';').next().unwrap_or("").trim();
        if !media.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
            return Err(format!(
                "the body must be application/x-www-form-urlencoded, not {}",
                media.chars().take(60).collect::<String>()
            ));
        }
    } else if req.headers().contains_key("content-type") {
        return Err("unreadable Content-Type header".into());
    }
    if req.body().len() > MAX_BODY_BYTES {
        return Err(format!("the body is larger than {MAX_BODY_BYTES} bytes"));
    }
    let text = std::str::from_utf8(req.body()).map_err(|_| "the body is not UTF-8".to_string())?;
    let params = Params::parse(text);
    check_limits(&params)?;
    Ok(params)
}

/// Query parameters within the size limits.
pub(crate) fn query_params(req: &Request) -> Result<Params, String> {
    let query = req.uri().query().unwrap_or("");
    if query.len() > MAX_QUERY_BYTES {
        return Err(format!("the query is longer than {MAX_QUERY_BYTES} bytes"));
    }
    let params = Params::parse(query);
    check_limits(&params)?;
    Ok(params)
}

/// Shortens a secret-looking value for notes: `abcdef…`.
pub(crate) fn short(value: &str) -> String {
    let mut s: String = value.chars().take(10).collect();
    if value.chars().count() > 10 {
        s.push('…');
    }
    s
}

/// Escapes for HTML (re-exported for the page builders).
pub(crate) fn esc(s: &str) -> String {
    html::escape(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_config_registers() {
        let s = AuthServer::standard();
        assert_eq!(s.clients().count(), 3);
        assert!(s.client(wk::RS_CLIENT_ID).unwrap().may_introspect);
        assert_eq!(s.addresses(), vec!["https://as.example".to_string()]);
        let second = AuthServer::new(AuthServerConfig::second(
            "attacker-as",
            "https://as.attacker.example",
        ))
        .unwrap();
        assert_eq!(second.issuer(), "https://as.attacker.example");
        assert_ne!(second.signing_key().kid(), s.signing_key().kid());
    }

    #[test]
    fn repeated_and_oversized_parameters_are_found() {
        let p = Params::parse("a=1&b=2&a=3");
        assert_eq!(repeated_param(&p), Some("a"));
        assert_eq!(repeated_param(&Params::parse("a=1&b=2")), None);
        let huge = format!("a={}", "x".repeat(MAX_VALUE_BYTES + 1));
        assert!(check_limits(&Params::parse(&huge)).is_err());
        // `resource` may repeat (RFC 8707 §2); the reader refuses it as invalid_target.
        let two = Params::parse("resource=https%3A%2F%2Fa&resource=https%3A%2F%2Fb");
        assert_eq!(repeated_param(&two), None);
        assert!(resource_param(&two).is_err());
        assert_eq!(resource_param(&Params::parse("resource=")), Ok(None));
    }

    #[test]
    fn scope_lists_drop_empties_and_duplicates() {
        assert_eq!(scope_list(" a  b a "), vec!["a", "b"]);
        assert!(scope_list("").is_empty());
    }

    #[test]
    fn the_realm_is_the_issuer_host() {
        assert_eq!(AuthServer::standard().host(), "as.example");
        let other = AuthServer::new(AuthServerConfig::second(
            "as2",
            "https://login.other.example:8443/tenant",
        ))
        .unwrap();
        assert_eq!(other.host(), "login.other.example:8443");
    }
}
