//! A public native client (RFC 8252): "Photos" on Alice's phone. It opens the system
//! browser at the authorization endpoint (RFC 8252 §6) and receives the authorization
//! response on a private-use URI scheme (`com.example.photos:/cb`, §7.1) or a loopback
//! redirect (`http://127.0.0.1:PORT/cb`, §7.3). Being public, it has no secret: PKCE is
//! its only proof that it started the flow (RFC 7636 §1).
//!
//! Before its first sign-in it reads the AS's metadata (RFC 8414 §3) and, when the AS
//! requires pushed authorization requests or its own setting says so, pushes the
//! request first (RFC 9126, [`pushed`]).

mod pushed;

use std::collections::BTreeMap;

use http::{Method, StatusCode};

use super::defenses::PkceMethod;
use super::dpop::DpopHolder;
use super::rng::{random_32, random_token};
use super::well_known as wk;
use super::{Actor, ActorId, ActorKind, Ctx, Delivery, MsgId, StateSection, UserAction};
use crate::actors::contract::actor_identity;
use crate::protocol::dpop::DPOP_TOKEN_TYPE;
use crate::protocol::http_wire::{self, Request, Response};
use crate::protocol::metadata::ServerMetadata;
use crate::protocol::params::Params;
use crate::protocol::pkce::{self, ChallengeMethod};
use crate::protocol::requests::{AuthorizationRequest, ClientAuth, ResponseType, TokenRequest};
use crate::protocol::secret::{AuthorizationCode, CodeVerifier, RefreshToken, Secret, State};
use crate::protocol::token_response::TokenResponse;

/// The native app's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NativeAppConfig {
    pub id: String,
    pub name: String,
    pub client_id: String,
    /// The redirect URI it registers and sends (custom scheme or loopback).
    pub redirect_uri: String,
    /// The addresses the OS routes to this app.
    pub addresses: Vec<String>,
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    /// Where it reads the AS's metadata before its first sign-in (RFC 8414 §3).
    pub metadata_url: String,
    pub api_url: String,
    pub scope: String,
    /// The browser it opens.
    pub browser: String,
    /// An older app that implements only the `plain` PKCE method (RFC 7636 §4.2):
    /// whenever the `pkce` defense is not off, it sends `plain`.
    pub pkce_plain_only: bool,
    /// Push every authorization request (RFC 9126) when the AS has a PAR endpoint,
    /// even if the AS does not require it.
    pub push_authorization_requests: bool,
}

impl NativeAppConfig {
    /// The Photos app with the custom-scheme redirect `com.example.photos:/cb`.
    pub fn custom_scheme() -> Self {
        NativeAppConfig {
            id: wk::NATIVE_APP.to_string(),
            name: "Photos app".to_string(),
            client_id: wk::NATIVE_CLIENT_ID.to_string(),
            redirect_uri: wk::NATIVE_REDIRECT_URI.to_string(),
            addresses: vec!["com.example.photos:".to_string()],
            issuer: wk::AS_ISSUER.to_string(),
            authorization_endpoint: format!("{}/authorize", wk::AS_ISSUER),
            token_endpoint: format!("{}/token", wk::AS_ISSUER),
            metadata_url: format!("{}/.well-known/oauth-authorization-server", wk::AS_ISSUER),
            api_url: format!("{}/photos", wk::RS_ORIGIN),
            scope: "photos.read".to_string(),
            browser: wk::BROWSER.to_string(),
            pkce_plain_only: false,
            push_authorization_requests: false,
        }
    }

    /// The Photos app listening on a loopback port (RFC 8252 §7.3).
    pub fn loopback(port: u16) -> Self {
        NativeAppConfig {
            redirect_uri: format!("http://127.0.0.1:{port}/cb"),
            addresses: vec!["http://127.0.0.1".to_string()],
            ..Self::custom_scheme()
        }
    }
}

#[derive(Debug, Clone)]
enum Pending {
    Metadata,
    Pushed,
    Token,
    Api,
}

/// The native app actor.
pub struct NativeApp {
    id: ActorId,
    config: NativeAppConfig,
    state: Option<State>,
    verifier: Option<CodeVerifier>,
    pending: BTreeMap<MsgId, Pending>,
    /// The access token it holds, if any.
    pub access_token: Option<String>,
    pub refresh_token: Option<String>,
    /// Photos it fetched, and whose they were.
    pub photos: Vec<String>,
    pub photos_owner: Option<String>,
    /// The last error it met.
    pub last_error: Option<String>,
    /// Its DPoP key, made when it first signs a proof (RFC 9449).
    dpop: Option<DpopHolder>,
    /// Whether its access token is bound to that key (`token_type` `DPoP`).
    dpop_bound: bool,
    /// The AS's metadata, once read (RFC 8414 §3).
    metadata: Option<ServerMetadata>,
    /// Whether it asked for the metadata already (it asks once, whatever the answer).
    discovery_sent: bool,
}

impl NativeApp {
    pub fn new(config: NativeAppConfig) -> Self {
        NativeApp {
            id: ActorId::new(&config.id),
            config,
            state: None,
            verifier: None,
            pending: BTreeMap::new(),
            access_token: None,
            refresh_token: None,
            photos: Vec::new(),
            photos_owner: None,
            last_error: None,
            dpop: None,
            dpop_bound: false,
            metadata: None,
            discovery_sent: false,
        }
    }

    /// The thumbprint of its DPoP key, once it has one.
    pub fn dpop_jkt(&self) -> Option<&str> {
        self.dpop.as_ref().map(DpopHolder::jkt)
    }

    /// Sends `req`, remembering it when it carries a proof (RFC 9449 §8).
    fn send_proved(&mut self, ctx: &mut Ctx<'_>, req: Request, kind: Pending) {
        let id = ctx.send(req.clone());
        if let Some(h) = self.dpop.as_mut() {
            h.remember(id, req);
        }
        self.pending.insert(id, kind);
    }

    /// Adds a DPoP proof to a token request when `dpop` is on (RFC 9449 §5): a public
    /// client's refresh token is then bound to its key too.
    fn prove_token_request(&mut self, ctx: &mut Ctx<'_>, req: &mut Request) {
        self.prove(ctx, req, "the token request");
    }

    /// Adds a DPoP proof for `what` to `req` when `dpop` is on (RFC 9449 §4).
    fn prove(&mut self, ctx: &mut Ctx<'_>, req: &mut Request, what: &str) {
        if ctx.defenses.dpop {
            let now = ctx.now;
            let holder = DpopHolder::in_slot(&mut self.dpop, ctx.rng);
            holder.attach(now, req, None);
            ctx.note(format!(
                "{}: signs a DPoP proof for {what} with the key it keeps (jkt {}).",
                self.config.name,
                holder.jkt()
            ));
        }
    }

    pub fn config(&self) -> &NativeAppConfig {
        &self.config
    }

    /// A public client: its `client_id` in the body and no secret (RFC 6749 §4.1.3, RFC 8252 §8.5).
    fn client_auth(&self) -> ClientAuth {
        ClientAuth::public(&self.config.client_id)
    }

    fn start_login(&mut self, ctx: &mut Ctx<'_>) {
        if !self.discovery_sent {
            self.discover(ctx);
            return;
        }
        let d = ctx.defenses;
        self.state = d.state.then(|| State::new(random_token(ctx.rng, 16)));
        self.verifier =
            (d.pkce != PkceMethod::Off).then(|| pkce::verifier_from_bytes(&random_32(ctx.rng)));
        let mut request = AuthorizationRequest::new(
            ResponseType::Code,
            &self.config.client_id,
            &self.config.redirect_uri,
        )
        .scope(&self.config.scope)
        .state(self.state.as_ref());
        if let Some(v) = &self.verifier {
            let method = if d.pkce == PkceMethod::Plain || self.config.pkce_plain_only {
                ChallengeMethod::Plain
            } else {
                ChallengeMethod::S256
            };
            request = request.pkce_challenge(v, method);
        }
        let pkce = if self.verifier.is_some() {
            " with a PKCE challenge"
        } else {
            " without PKCE"
        };
        if let Some(endpoint) = self.par_endpoint() {
            self.push(ctx, &endpoint, &request, pkce);
            return;
        }
        let url = request.url(&self.config.authorization_endpoint);
        ctx.note(format!(
            "{}: opens the system browser at the AS (RFC 8252 §6){pkce}.",
            self.config.name,
        ));
        self.open_browser(ctx, url);
    }

    /// Opens the system browser at `url` (RFC 8252 §6).
    fn open_browser(&mut self, ctx: &mut Ctx<'_>, url: String) {
        ctx.input(
            ActorId::new(&self.config.browser),
            UserAction::Navigate { url },
            "The app opened the system browser.",
        );
    }

    /// Uses the refresh token (RFC 6749 §6; a public client sends only its client_id).
    fn refresh(&mut self, ctx: &mut Ctx<'_>) {
        let Some(rt) = self.refresh_token.clone() else {
            ctx.note(format!("{}: has no refresh token.", self.config.name));
            return;
        };
        let mut req = TokenRequest::refresh_token(&RefreshToken::new(rt))
            .client_auth(&self.client_auth())
            .to_request(&self.config.token_endpoint);
        self.prove_token_request(ctx, &mut req);
        self.send_proved(ctx, req, Pending::Token);
        ctx.note(format!(
            "{}: refreshes its access token with its refresh token.",
            self.config.name
        ));
    }

    fn on_callback(&mut self, ctx: &mut Ctx<'_>, req: &Request) -> Result<(), String> {
        let p = Params::from_query(req.uri());
        if let Some(e) = p.first("error") {
            return Err(format!("the AS answered error={e}"));
        }
        if ctx.defenses.state {
            let ok = matches!((&self.state, p.first("state")), (Some(e), Some(s)) if e.ct_eq(s));
            if !ok {
                return Err("state does not match (RFC 6749 §10.12)".into());
            }
            self.state = None;
        }
        if ctx.defenses.iss_parameter && p.first("iss") != Some(self.config.issuer.as_str()) {
            return Err("iss is missing or wrong (RFC 9207 §2.4)".into());
        }
        let code = p.first("code").ok_or("no code in the response")?;
        let req = TokenRequest::authorization_code(
            &AuthorizationCode::new(code),
            &self.config.redirect_uri,
        )
        .client_auth(&self.client_auth())
        .code_verifier(self.verifier.as_ref())
        .to_request(&self.config.token_endpoint);
        let mut req = req;
        self.prove_token_request(ctx, &mut req);
        self.send_proved(ctx, req, Pending::Token);
        ctx.note(format!(
            "{}: got the code; redeeming it as a public client{}.",
            self.config.name,
            if self.verifier.is_some() {
                " with its code_verifier"
            } else {
                " (no PKCE, so nothing proves it started the flow)"
            }
        ));
        Ok(())
    }
}

impl Actor for NativeApp {
    actor_identity!(
        kind: ActorKind::NativeApp,
        label: |app| format!("Native app ({})", app.config.name),
        addresses: |app| app.config.addresses.clone(),
    );

    fn on_input(&mut self, ctx: &mut Ctx<'_>, action: &UserAction) {
        match action {
            UserAction::StartLogin => self.start_login(ctx),
            UserAction::Custom { name, .. } if name == "refresh" => self.refresh(ctx),
            _ => {}
        }
    }

    fn on_request(&mut self, ctx: &mut Ctx<'_>, req: Request, meta: &Delivery) {
        let result = if req.uri().path() == "/cb" {
            self.on_callback(ctx, &req)
        } else {
            Err(format!("nothing at {}", req.uri().path()))
        };
        if let Err(why) = &result {
            ctx.note(format!(
                "{}: rejected the callback: {why}.",
                self.config.name
            ));
            self.last_error = Some(why.clone());
        }
        // A loopback redirect is a real HTTP request and gets a page; a custom-scheme
        // URL handed over by the OS gets no response.
        if req.uri().scheme_str() == Some("http") {
            let (status, text) = match result {
                Ok(()) => (StatusCode::OK, "Signed in. You can close this window."),
                Err(_) => (StatusCode::BAD_REQUEST, "Sign-in failed."),
            };
            let mut resp = http_wire::response(status);
            http_wire::set_header(
                resp.headers_mut(),
                "content-type",
                "text/html; charset=utf-8",
            );
            *resp.body_mut() = crate::protocol::html::page(&self.config.name, text).into_bytes();
            ctx.reply(meta.reply_handle(), resp);
        }
    }

    fn on_response(&mut self, ctx: &mut Ctx<'_>, resp: Response, meta: &Delivery) {
        let Some(id) = meta.in_reply_to else { return };
        let Some(kind) = self.pending.remove(&id) else {
            return;
        };
        let now = ctx.now;
        if let Some(again) = self
            .dpop
            .as_mut()
            .and_then(|h| h.retry_with_nonce(now, id, &resp))
        {
            ctx.note(format!(
                "{}: the server wants its DPoP nonce in the proof; sends the request again with a proof that carries it (RFC 9449 §8, §9).",
                self.config.name
            ));
            self.send_proved(ctx, again, kind);
            return;
        }
        match kind {
            Pending::Metadata => self.on_metadata(ctx, &resp),
            Pending::Pushed => self.on_pushed(ctx, &resp),
            Pending::Token => match serde_json::from_slice::<TokenResponse>(resp.body()) {
                Ok(tr) if resp.status().is_success() => {
                    let mut api = http_wire::request(Method::GET, &self.config.api_url);
                    self.dpop_bound = tr.token_type.eq_ignore_ascii_case(DPOP_TOKEN_TYPE);
                    if self.dpop_bound && ctx.defenses.dpop {
                        let now = ctx.now;
                        DpopHolder::in_slot(&mut self.dpop, ctx.rng).attach(
                            now,
                            &mut api,
                            Some(tr.access_token.expose()),
                        );
                    } else {
                        http_wire::set_header(
                            api.headers_mut(),
                            "authorization",
                            &format!("Bearer {}", tr.access_token.expose()),
                        );
                    }
                    self.access_token = Some(tr.access_token.expose().to_string());
                    if let Some(rt) = tr.refresh_token {
                        // docs/PROTOCOL.md 24: a new refresh token replaces the old one.
                        self.refresh_token = Some(rt.expose().to_string());
                    }
                    self.send_proved(ctx, api, Pending::Api);
                    ctx.note(format!(
                        "{}: tokens received; fetching photos.",
                        self.config.name
                    ));
                }
                _ => {
                    let err = String::from_utf8_lossy(resp.body())
                        .chars()
                        .take(200)
                        .collect::<String>();
                    ctx.note(format!(
                        "{}: the AS refused the token request ({}).",
                        self.config.name,
                        resp.status().as_u16()
                    ));
                    self.last_error = Some(err);
                }
            },
            Pending::Api => {
                let list = crate::protocol::photos_api::PhotoList::parse(resp.body());
                self.photos_owner = Some(list.owner.clone()).filter(|o| !o.is_empty());
                self.photos = list.titles();
                ctx.note(format!(
                    "{}: shows {} photos.",
                    self.config.name,
                    self.photos.len()
                ));
            }
        }
    }

    fn snapshot(&self) -> Vec<StateSection> {
        let show = |v: Option<&str>| v.unwrap_or("(none)").to_string();
        vec![
            StateSection::new(&self.config.name)
                .row("redirect_uri", &self.config.redirect_uri)
                .row("state", show(self.state.as_ref().map(|s| s.expose())))
                .row(
                    "code_verifier",
                    show(self.verifier.as_ref().map(|v| v.expose())),
                )
                .row("access_token", show(self.access_token.as_deref()))
                .row(
                    "photos",
                    format!(
                        "{} of {}",
                        self.photos.len(),
                        show(self.photos_owner.as_deref())
                    ),
                ),
        ]
    }
}
