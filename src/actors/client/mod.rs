//! The confidential web client, "Photo Printer" at `https://client.example`
//! (RFC 6749 §2.1): it starts the authorization request, handles the callback,
//! redeems the code with `client_secret_basic`, validates the ID token, calls the RS,
//! and refreshes the access token when it has expired.

mod assertion;
mod authorization;
mod back_channel;
pub mod config;
mod dpop;
mod id_token;
mod implicit;
mod pages;
mod pushed;
pub mod session;

use std::collections::BTreeMap;

use jsonwebtoken::jwk::JwkSet;

pub use config::{AsRegistration, ClientConfig};
pub use session::{PendingAuthorization, Session, Tokens};

use super::{Actor, ActorId, ActorKind, Ctx, Delivery, MsgId, ReplyTo, StateSection};
use crate::actors::contract::actor_identity;
use crate::protocol::http_wire::{self, Request, Response};
use crate::protocol::metadata::ServerMetadata;
use crate::protocol::secret::{Secret, exposed_or_none};

/// What the client learned about one AS at start-up.
#[derive(Debug, Clone, Default)]
pub struct AsKnowledge {
    pub metadata: Option<ServerMetadata>,
    pub jwks: Option<JwkSet>,
}

/// A back-channel call waiting for its response.
#[derive(Debug, Clone)]
enum Pending {
    Metadata {
        as_index: usize,
    },
    Jwks {
        as_index: usize,
    },
    Token {
        session: String,
        browser: ReplyTo,
        as_index: usize,
        set_cookie: Option<String>,
    },
    Refresh {
        session: String,
        browser: ReplyTo,
        as_index: usize,
    },
    Api {
        session: String,
        browser: ReplyTo,
        set_cookie: Option<String>,
    },
    /// A pushed authorization request (RFC 9126); the browser's `/login` waits.
    Pushed(pushed::WaitingLogin),
}

/// The web client actor.
pub struct Client {
    id: ActorId,
    config: ClientConfig,
    known: Vec<AsKnowledge>,
    sessions: BTreeMap<String, Session>,
    pending: BTreeMap<MsgId, Pending>,
    /// Every form body that reached the callback (a 307 re-post carries the login form).
    pub callback_bodies: Vec<String>,
    /// Its DPoP key, made when it first signs a proof (RFC 9449).
    dpop: Option<crate::actors::dpop::DpopHolder>,
}

impl Client {
    pub fn new(config: ClientConfig) -> Self {
        Client {
            id: ActorId::new(&config.id),
            known: vec![AsKnowledge::default(); config.auth_servers.len()],
            config,
            sessions: BTreeMap::new(),
            pending: BTreeMap::new(),
            callback_bodies: Vec::new(),
            dpop: None,
        }
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Every session, by cookie value.
    pub fn sessions(&self) -> impl Iterator<Item = &Session> {
        self.sessions.values()
    }

    /// The session with this cookie value.
    pub fn session(&self, cookie: &str) -> Option<&Session> {
        self.sessions.get(cookie)
    }

    /// What the client knows of the AS at `index`.
    pub fn knowledge(&self, index: usize) -> Option<&AsKnowledge> {
        self.known.get(index)
    }

    /// The session cookie value a request carries, if it names a known session.
    fn session_of(&self, req: &Request) -> Option<String> {
        let cookies = http_wire::header(req, "cookie")?;
        cookies
            .split(';')
            .filter_map(|c| c.trim().split_once('='))
            .find(|(k, v)| *k == session::SESSION_COOKIE && self.sessions.contains_key(*v))
            .map(|(_, v)| v.to_string())
    }

    /// The request's session, creating one (and a `Set-Cookie`) if it has none.
    fn session_or_new(&mut self, ctx: &mut Ctx<'_>, req: &Request) -> (String, Option<String>) {
        if let Some(s) = self.session_of(req) {
            return (s, None);
        }
        let id = crate::actors::rng::random_token(ctx.rng, 16);
        self.sessions.insert(
            id.clone(),
            Session::new(crate::protocol::secret::SessionId::new(&id)),
        );
        let cookie = format!(
            "{}={id}; Path=/; Secure; HttpOnly; SameSite=Lax",
            session::SESSION_COOKIE
        );
        (id, Some(cookie))
    }
}

impl Actor for Client {
    actor_identity!(
        kind: ActorKind::Client,
        label: |c| format!("Client ({})", c.config.name),
        addresses: |c| vec![c.config.origin.clone()],
    );

    fn start(&mut self, ctx: &mut Ctx<'_>) {
        for i in 0..self.config.auth_servers.len() {
            self.fetch_metadata(ctx, i);
        }
    }

    fn on_request(&mut self, ctx: &mut Ctx<'_>, req: Request, meta: &Delivery) {
        let reply = meta.reply_handle();
        let path = req.uri().path().to_string();
        let method = req.method().clone();
        let response = match (method.as_str(), path.as_str()) {
            ("GET" | "POST", "/") => Some(self.home(req)),
            ("GET", "/login") => self.start_login(ctx, &req, reply.clone()),
            ("GET" | "POST", "/cb") => self.callback(ctx, &req, reply.clone()),
            ("GET", "/photos") => self.photos(ctx, &req, reply.clone()),
            ("GET", "/implicit-cb") => Some(self.implicit_page(ctx)),
            ("POST", "/implicit-token") => self.implicit_token(ctx, &req, reply.clone()),
            (_, "/" | "/login" | "/cb" | "/photos" | "/implicit-cb" | "/implicit-token") => {
                ctx.note(format!(
                    "Client: {method} is not allowed on {path}; answered 405."
                ));
                Some(pages::status_page(
                    http::StatusCode::METHOD_NOT_ALLOWED,
                    "Method not allowed",
                    "",
                    None,
                ))
            }
            _ => {
                ctx.note(format!("Client: no page at {path}; answered 404."));
                Some(pages::status_page(
                    http::StatusCode::NOT_FOUND,
                    "Not found",
                    "",
                    None,
                ))
            }
        };
        if let Some(resp) = response {
            ctx.reply(reply, resp);
        }
    }

    fn on_response(&mut self, ctx: &mut Ctx<'_>, resp: Response, meta: &Delivery) {
        let Some(id) = meta.in_reply_to else { return };
        let Some(pending) = self.pending.remove(&id) else {
            ctx.note("Client: a response to no request it is waiting for; ignored.");
            return;
        };
        if let Some(again) = self.resend_with_nonce(ctx, id, &resp) {
            self.pending.insert(again, pending);
            return;
        }
        match pending {
            Pending::Metadata { as_index } => self.on_metadata(ctx, as_index, &resp),
            Pending::Jwks { as_index } => self.on_jwks(ctx, as_index, &resp),
            Pending::Token {
                session,
                browser,
                as_index,
                set_cookie,
            } => self.on_token(ctx, &session, browser, as_index, set_cookie, &resp),
            Pending::Refresh {
                session,
                browser,
                as_index,
            } => self.on_refresh(ctx, &session, browser, as_index, &resp),
            Pending::Api {
                session,
                browser,
                set_cookie,
            } => self.on_api(ctx, &session, browser, set_cookie, &resp),
            Pending::Pushed(waiting) => self.on_pushed(ctx, waiting, &resp),
        }
    }

    fn on_unreadable_response(
        &mut self,
        ctx: &mut Ctx<'_>,
        error: &http_wire::WireError,
        meta: &Delivery,
    ) {
        match meta.in_reply_to {
            Some(id) => self.on_unreadable(ctx, error, id),
            None => ctx.note(format!(
                "Client: could not parse a response that answers nothing ({error}); ignored."
            )),
        }
    }

    fn snapshot(&self) -> Vec<StateSection> {
        let mut out = Vec::new();
        let mut known = StateSection::new("Authorization servers");
        for (reg, k) in self.config.auth_servers.iter().zip(&self.known) {
            let status = match (&k.metadata, &k.jwks) {
                (Some(m), Some(_)) => format!(
                    "metadata + JWKS loaded; iss parameter supported: {}",
                    m.authorization_response_iss_parameter_supported
                ),
                (Some(_), None) => "metadata loaded".to_string(),
                _ => "not discovered yet".to_string(),
            };
            known.push(&reg.issuer, status);
        }
        out.push(known);
        for s in self.sessions.values() {
            let mut sec = StateSection::new(&format!("Session {}", s.id.expose()));
            if let Some(p) = &s.pending {
                sec.push(
                    "pending: AS",
                    self.config
                        .auth_servers
                        .get(p.as_index)
                        .map(|a| a.issuer.clone())
                        .unwrap_or_default(),
                );
                sec.push("pending: state", exposed_or_none(p.state.as_ref()));
                sec.push("pending: nonce", exposed_or_none(p.nonce.as_ref()));
                sec.push(
                    "pending: code_verifier",
                    exposed_or_none(p.verifier.as_ref()),
                );
            }
            sec.push(
                "signed in as",
                s.user
                    .as_ref()
                    .map(|(sub, iss)| format!("{sub} (from {iss})"))
                    .unwrap_or("nobody".into()),
            );
            if let Some(t) = &s.tokens {
                sec.push("access_token", t.access.token.expose().to_string());
                sec.push(
                    "access token expires",
                    t.access
                        .expires_at
                        .map(|e| e.clock_label())
                        .unwrap_or("(unknown)".into()),
                );
                sec.push("refresh_token", exposed_or_none(t.refresh_token.as_ref()));
            }
            if let Some(owner) = &s.photos_owner {
                sec.push(
                    "photos shown",
                    format!("{} of {owner}: {}", s.photos.len(), s.photos.join(", ")),
                );
            }
            out.push(sec);
        }
        out
    }
}
