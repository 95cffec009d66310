//! The back-channel half of the client: discovery (RFC 8414 §3), the JWKS, the token
//! request with `client_secret_basic` (RFC 6749 §2.3.1, §4.1.3), refresh (RFC 6749 §6)
//! and the API call with a bearer token (RFC 6750 §2.1).

use http::{Method, StatusCode};
use jsonwebtoken::jwk::JwkSet;

use super::session::{HeldAccessToken, Tokens};
use super::{Client, Pending, pages};
use crate::actors::{Ctx, MsgId, ReplyTo};
use crate::protocol::errors::ErrorBody;
use crate::protocol::http_wire::{self, Request, Response, WireError};
use crate::protocol::metadata::{MetadataRefusal, ServerMetadata};
use crate::protocol::requests::TokenRequest;
use crate::protocol::secret::Secret;
use crate::protocol::token_response::TokenResponse;

/// Whether the client understands the token response's `token_type`: `Bearer`
/// (RFC 6750 §4), compared case-insensitively, and `DPoP` (RFC 9449 §5) when it asked
/// for DPoP-bound tokens (`dpop`). A client must not use an access token whose type it
/// does not understand (RFC 6749 §7.1, §5.1).
pub(super) fn usable_token_type(token_type: &str, dpop: bool) -> Result<(), String> {
    if token_type.eq_ignore_ascii_case("bearer") || (dpop && super::dpop::is_dpop_type(token_type))
    {
        Ok(())
    } else {
        Err(format!(
            "the token_type is {token_type:?}, which this client does not understand (it knows Bearer; RFC 6749 §7.1)"
        ))
    }
}

impl Client {
    /// Whether the client's authorization requests ask for `openid` (OIDC Core §3.1.2.1).
    fn asks_for_openid(&self) -> bool {
        self.config.scope.split(' ').any(|s| s == "openid")
    }

    /// A response to one of the client's calls arrived mis-framed (RFC 9112 §6.3): the
    /// client cannot read it, so it gives up on that call and, if a browser request is
    /// waiting on it, answers that request with an error page saying why.
    pub(super) fn on_unreadable(&mut self, ctx: &mut Ctx<'_>, error: &WireError, id: MsgId) {
        let Some(pending) = self.pending.remove(&id) else {
            ctx.note(format!(
                "Client: an unreadable response ({error}) to no request it is waiting for; ignored."
            ));
            return;
        };
        let (what, browser, set_cookie) = match pending {
            Pending::Metadata { as_index } | Pending::Jwks { as_index } => {
                ctx.note(format!(
                    "Client: the discovery answer from {} cannot be read ({error}); the AS stays undiscovered.",
                    self.config.auth_servers[as_index].issuer
                ));
                return;
            }
            Pending::Token {
                browser,
                set_cookie,
                ..
            } => ("token response", browser, set_cookie),
            Pending::Refresh { browser, .. } => ("refresh response", browser, None),
            Pending::Pushed(w) => ("pushed authorization response", w.browser, w.set_cookie),
            Pending::Api {
                browser,
                set_cookie,
                ..
            } => ("photo service's answer", browser, set_cookie),
        };
        ctx.note(format!(
            "Client: the {what} cannot be read ({error}); it gives up and tells the user."
        ));
        let mut page = pages::error_page(&format!("unreadable {what}"), &error.to_string());
        if let Some(c) = &set_cookie {
            http_wire::set_header(page.headers_mut(), "set-cookie", c);
        }
        ctx.reply(browser, page);
    }

    pub(super) fn fetch_metadata(&mut self, ctx: &mut Ctx<'_>, as_index: usize) {
        let url = self.config.auth_servers[as_index].metadata_url.clone();
        let id = ctx.send(http_wire::request(Method::GET, &url));
        ctx.note(format!("Client: discovering the AS at {url} (RFC 8414)."));
        self.pending.insert(id, Pending::Metadata { as_index });
    }

    pub(super) fn on_metadata(&mut self, ctx: &mut Ctx<'_>, as_index: usize, resp: &Response) {
        let expected = self.config.auth_servers[as_index].issuer.clone();
        match ServerMetadata::read(resp, &expected) {
            Ok(m) => {
                ctx.note(format!(
                    "Client: metadata for {expected} loaded (issuer matches, RFC 8414 §3.3); iss parameter supported: {}.",
                    m.authorization_response_iss_parameter_supported
                ));
                let id = ctx.send(http_wire::request(Method::GET, &m.jwks_uri));
                self.pending.insert(id, Pending::Jwks { as_index });
                self.known[as_index].metadata = Some(m);
            }
            Err(MetadataRefusal::Status(status)) => ctx.note(format!(
                "Client: the metadata request for {expected} got {status} instead of 200 OK (RFC 8414 §3.2); the AS stays undiscovered."
            )),
            Err(MetadataRefusal::OtherIssuer(issuer)) => ctx.note(format!(
                "Client: refused metadata whose issuer {issuer} is not {expected} (RFC 8414 §3.3)."
            )),
            Err(MetadataRefusal::Unreadable(e)) => {
                ctx.note(format!("Client: the metadata does not parse ({e})."))
            }
        }
    }

    pub(super) fn on_jwks(&mut self, ctx: &mut Ctx<'_>, as_index: usize, resp: &Response) {
        match serde_json::from_slice::<JwkSet>(resp.body()) {
            Ok(set) => {
                let kids: Vec<String> = set
                    .keys
                    .iter()
                    .filter_map(|k| k.common.key_id.clone())
                    .collect();
                ctx.note(format!(
                    "Client: JWKS loaded (keys: {}); it will verify ID tokens with it.",
                    kids.join(", ")
                ));
                self.known[as_index].jwks = Some(set);
            }
            Err(e) => ctx.note(format!("Client: the JWKS does not parse ({e}).")),
        }
    }

    pub(super) fn on_token(
        &mut self,
        ctx: &mut Ctx<'_>,
        session: &str,
        browser: ReplyTo,
        as_index: usize,
        set_cookie: Option<String>,
        resp: &Response,
    ) {
        let finish = |ctx: &mut Ctx<'_>, mut page: Response| {
            if let Some(c) = &set_cookie {
                http_wire::set_header(page.headers_mut(), "set-cookie", c);
            }
            ctx.reply(browser.clone(), page);
        };
        if !resp.status().is_success() {
            let err = ErrorBody::describe(resp);
            ctx.note(format!(
                "Client: the AS refused the code: {err}. Sign-in failed."
            ));
            finish(ctx, pages::error_page("the AS refused the code", &err));
            return;
        }
        let Ok(tr) = serde_json::from_slice::<TokenResponse>(resp.body()) else {
            ctx.note("Client: the token response does not parse.");
            finish(
                ctx,
                pages::error_page(
                    "unreadable token response",
                    "the token endpoint answered something that is not a token response",
                ),
            );
            return;
        };
        if let Err(why) = usable_token_type(&tr.token_type, ctx.defenses.dpop) {
            ctx.note(format!(
                "Client: {why}; it does not use the access token. Sign-in failed."
            ));
            finish(ctx, pages::error_page("unusable token type", &why));
            return;
        }
        let expected_nonce = self
            .sessions
            .get(session)
            .and_then(|s| s.awaiting_nonce.clone());
        let user = match &tr.id_token {
            Some(id_token) => match self.validate_id_token(
                ctx,
                as_index,
                id_token.expose(),
                expected_nonce.as_ref().map(|n| n.expose()),
            ) {
                Ok(sub) => Some(sub),
                Err(why) => {
                    ctx.note(format!(
                        "Client: rejected the ID token: {why}. Sign-in failed."
                    ));
                    finish(ctx, pages::error_page("invalid ID token", &why));
                    return;
                }
            },
            None if self.asks_for_openid() => {
                let why = "the client asked for the scope openid, but the token response carries no id_token (OIDC Core §3.1.3.3), so it cannot know who signed in";
                ctx.note(format!("Client: {why}; nobody is signed in."));
                finish(ctx, pages::error_page("no ID token", why));
                return;
            }
            None => None,
        };
        let issuer = self.config.auth_servers[as_index].issuer.clone();
        let tokens = Tokens {
            as_index,
            access: HeldAccessToken::from_response(&tr, ctx.now),
            refresh_token: tr.refresh_token.clone(),
            id_token: tr.id_token.clone(),
            scope: tr.scope.clone(),
        };
        if let Some(s) = self.sessions.get_mut(session) {
            s.tokens = Some(tokens);
            s.user = user.clone().map(|sub| (sub, issuer));
            s.awaiting_nonce = None;
        }
        ctx.note(format!(
            "Client: tokens received{}; calling the API with the access token.",
            user.map(|u| format!(" — signed in as {u}"))
                .unwrap_or_default()
        ));
        self.call_api(ctx, session, browser.clone(), set_cookie.clone());
    }

    /// Calls the RS with the session's access token; the browser's request stays parked.
    pub(super) fn call_api(
        &mut self,
        ctx: &mut Ctx<'_>,
        session: &str,
        browser: ReplyTo,
        set_cookie: Option<String>,
    ) {
        let Some((token, dpop_bound)) = self
            .sessions
            .get(session)
            .and_then(|s| s.tokens.as_ref())
            .map(|t| (t.access.token.clone(), t.access.dpop_bound))
        else {
            ctx.reply(
                browser,
                pages::error_page("not signed in", "no access token"),
            );
            return;
        };
        let mut req = http_wire::request(Method::GET, &self.config.api_url);
        self.authorize_api_call(ctx, &mut req, token.expose(), dpop_bound);
        let id = self.send_proved(ctx, req);
        self.pending.insert(
            id,
            Pending::Api {
                session: session.to_string(),
                browser,
                set_cookie,
            },
        );
    }

    pub(super) fn on_api(
        &mut self,
        ctx: &mut Ctx<'_>,
        session: &str,
        browser: ReplyTo,
        set_cookie: Option<String>,
        resp: &Response,
    ) {
        let mut page = if resp.status() == StatusCode::OK {
            let list = crate::protocol::photos_api::PhotoList::parse(resp.body());
            let owner = if list.owner.is_empty() {
                "?".to_string()
            } else {
                list.owner.clone()
            };
            let photos = list.titles();
            ctx.note(format!(
                "Client: the RS returned {} photos of {owner}; showing them.",
                photos.len()
            ));
            let user = self
                .sessions
                .get(session)
                .and_then(|s| s.user.clone())
                .map(|(u, _)| u);
            if let Some(s) = self.sessions.get_mut(session) {
                s.photos = photos.clone();
                s.photos_owner = Some(owner.clone());
            }
            let third_party = self.config.callback_page_third_party.clone();
            pages::photos_page(
                user.as_deref(),
                &owner,
                &photos,
                third_party.as_deref(),
                ctx.defenses.referrer_policy,
            )
        } else {
            let why = http_wire::response_header(resp, "www-authenticate")
                .unwrap_or("")
                .to_string();
            ctx.note(format!(
                "Client: the RS refused the access token ({} {why}).",
                resp.status().as_u16()
            ));
            pages::error_page("the photo service refused the token", &why)
        };
        if let Some(c) = &set_cookie {
            http_wire::set_header(page.headers_mut(), "set-cookie", c);
        }
        ctx.reply(browser, page);
    }

    /// `GET /photos`: show the photos, refreshing the access token first if it expired.
    pub(super) fn photos(
        &mut self,
        ctx: &mut Ctx<'_>,
        req: &Request,
        browser: ReplyTo,
    ) -> Option<Response> {
        let Some(session) = self.session_of(req) else {
            ctx.note("Client: no session; the user must sign in first.");
            return Some(pages::error_page("not signed in", "sign in first"));
        };
        let Some(tokens) = self.sessions.get(&session).and_then(|s| s.tokens.clone()) else {
            ctx.note("Client: this session holds no tokens; the user must sign in first.");
            return Some(pages::error_page("not signed in", "sign in first"));
        };
        let expired = tokens.access.expired(ctx.now);
        if !expired {
            ctx.note("Client: the access token is still valid; calling the API.");
            self.call_api(ctx, &session, browser, None);
            return None;
        }
        let Some(rt) = tokens.refresh_token.clone() else {
            ctx.note(
                "Client: the access token expired and there is no refresh token; sign in again.",
            );
            return Some(pages::error_page("session expired", "sign in again"));
        };
        let Some(endpoint) = self.known[tokens.as_index]
            .metadata
            .as_ref()
            .map(|m| m.token_endpoint.clone())
        else {
            return Some(pages::error_page(
                "server_error",
                "the AS has not been discovered",
            ));
        };
        let req = TokenRequest::refresh_token(&rt)
            .client_auth(&self.client_auth(ctx, tokens.as_index))
            .resource(self.config.resource.as_deref())
            .to_request(&endpoint);
        ctx.note("Client: the access token has expired; using the refresh token (RFC 6749 §6).");
        let req = self.prove_token_request(ctx, req);
        let id = self.send_proved(ctx, req);
        self.pending.insert(
            id,
            Pending::Refresh {
                session,
                browser,
                as_index: tokens.as_index,
            },
        );
        None
    }

    pub(super) fn on_refresh(
        &mut self,
        ctx: &mut Ctx<'_>,
        session: &str,
        browser: ReplyTo,
        _as_index: usize,
        resp: &Response,
    ) {
        let parsed = resp
            .status()
            .is_success()
            .then(|| serde_json::from_slice::<TokenResponse>(resp.body()).ok())
            .flatten();
        let failure = match &parsed {
            None => {
                let err = ErrorBody::describe(resp);
                Some((format!("refresh refused: {err}"), "session expired", err))
            }
            Some(tr) => usable_token_type(&tr.token_type, ctx.defenses.dpop)
                .err()
                .map(|why| {
                    (
                        format!("{why}; it does not use the new access token"),
                        "unusable token type",
                        why,
                    )
                }),
        };
        if let Some((what, title, detail)) = failure {
            ctx.note(format!("Client: {what}; the session must sign in again."));
            if let Some(s) = self.sessions.get_mut(session) {
                s.tokens = None;
            }
            ctx.reply(browser, pages::error_page(title, &detail));
            return;
        }
        let Some(tr) = parsed else { return };
        if let Some(t) = self
            .sessions
            .get_mut(session)
            .and_then(|s| s.tokens.as_mut())
        {
            t.access = HeldAccessToken::from_response(&tr, ctx.now);
            if let Some(new_rt) = &tr.refresh_token {
                // A new refresh token replaces the old one (RFC 6749 §6; RFC 9700 §4.14.2).
                t.refresh_token = Some(new_rt.clone());
                ctx.note("Client: new access token and a new refresh token (the old one is dropped); calling the API.");
            } else {
                ctx.note("Client: new access token (same refresh token kept); calling the API.");
            }
        }
        self.call_api(ctx, session, browser, None);
    }
}
