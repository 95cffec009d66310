//! The back-channel half of the client: discovery (RFC 8414 §3), the JWKS, the token
//! request with `client_secret_basic` (RFC 6749 §2.3.1, §4.1.3), refresh (RFC 6749 §6)
//! and the API call with a bearer token (RFC 6750 §2.1).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http::{Method, StatusCode};
use jsonwebtoken::jwk::JwkSet;

use super::config::AsRegistration;
use super::session::Tokens;
use super::{Client, Pending, pages};
use crate::actors::{Ctx, ReplyTo};
use crate::protocol::errors::ErrorBody;
use crate::protocol::http_wire::{self, Request, Response};
use crate::protocol::metadata::ServerMetadata;
use crate::protocol::params::Params;
use crate::protocol::secret::{AccessToken, IdToken, RefreshToken, Secret};
use crate::protocol::token_response::TokenResponse;

/// `Authorization: Basic` for a client: id and secret are form-urlencoded, joined by
/// a colon and base64-encoded (RFC 6749 §2.3.1).
pub fn basic_auth(client_id: &str, secret: &str) -> String {
    let enc = |s: &str| form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", enc(client_id), enc(secret)))
    )
}

/// A short description of an error response body, for notes and pages.
fn error_of(resp: &Response) -> String {
    match serde_json::from_slice::<ErrorBody>(resp.body()) {
        Ok(e) => match e.error_description {
            Some(d) => format!("{} ({d})", e.error),
            None => e.error,
        },
        Err(_) => format!("HTTP {}", resp.status().as_u16()),
    }
}

impl Client {
    pub(super) fn fetch_metadata(&mut self, ctx: &mut Ctx<'_>, as_index: usize) {
        let url = self.config.auth_servers[as_index].metadata_url.clone();
        let id = ctx.send(http_wire::request(Method::GET, &url));
        ctx.note(format!("Client: discovering the AS at {url} (RFC 8414)."));
        self.pending.insert(id, Pending::Metadata { as_index });
    }

    pub(super) fn on_metadata(&mut self, ctx: &mut Ctx<'_>, as_index: usize, resp: &Response) {
        let expected = self.config.auth_servers[as_index].issuer.clone();
        match serde_json::from_slice::<ServerMetadata>(resp.body()) {
            Ok(m) if m.issuer == expected => {
                ctx.note(format!(
                    "Client: metadata for {expected} loaded (issuer matches, RFC 8414 §3.3); iss parameter supported: {}.",
                    m.authorization_response_iss_parameter_supported
                ));
                let id = ctx.send(http_wire::request(Method::GET, &m.jwks_uri));
                self.pending.insert(id, Pending::Jwks { as_index });
                self.known[as_index].metadata = Some(m);
            }
            Ok(m) => ctx.note(format!(
                "Client: refused metadata whose issuer {} is not {expected} (RFC 8414 §3.3).",
                m.issuer
            )),
            Err(e) => ctx.note(format!("Client: the metadata does not parse ({e}).")),
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

    /// A token request to `endpoint` authenticated with `client_secret_basic`.
    pub(super) fn token_request(
        &self,
        endpoint: &str,
        reg: &AsRegistration,
        form: &Params,
    ) -> Request {
        let mut req = http_wire::request(Method::POST, endpoint);
        http_wire::set_header(
            req.headers_mut(),
            "authorization",
            &basic_auth(&reg.client_id, &reg.client_secret),
        );
        http_wire::set_header(
            req.headers_mut(),
            "content-type",
            "application/x-www-form-urlencoded",
        );
        *req.body_mut() = form.encode().into_bytes();
        req
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
            let err = error_of(resp);
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
        let expected_nonce = self
            .sessions
            .get(session)
            .and_then(|s| s.awaiting_nonce.clone());
        let user = match &tr.id_token {
            Some(id_token) => match self.validate_id_token(
                ctx,
                as_index,
                id_token,
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
            None => None,
        };
        let issuer = self.config.auth_servers[as_index].issuer.clone();
        let tokens = Tokens {
            as_index,
            access_token: AccessToken::new(&tr.access_token),
            access_expires_at: tr.expires_in.map(|s| ctx.now.plus_secs(s)),
            refresh_token: tr.refresh_token.as_deref().map(RefreshToken::new),
            id_token: tr.id_token.as_deref().map(IdToken::new),
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
        let Some(token) = self
            .sessions
            .get(session)
            .and_then(|s| s.tokens.as_ref())
            .map(|t| t.access_token.clone())
        else {
            ctx.reply(
                browser,
                pages::error_page("not signed in", "no access token"),
            );
            return;
        };
        let mut req = http_wire::request(Method::GET, &self.config.api_url);
        http_wire::set_header(
            req.headers_mut(),
            "authorization",
            &format!("Bearer {}", token.expose()),
        );
        let id = ctx.send(req);
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
        let expired = tokens.access_expires_at.is_some_and(|e| ctx.now >= e);
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
        let reg = self.config.auth_servers[tokens.as_index].clone();
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
        let mut form = Params::default();
        form.push("grant_type", "refresh_token");
        form.push("refresh_token", rt.expose());
        if let Some(r) = &self.config.resource {
            form.push("resource", r);
        }
        let id = ctx.send(self.token_request(&endpoint, &reg, &form));
        ctx.note("Client: the access token has expired; using the refresh token (RFC 6749 §6).");
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
        let Some(tr) = parsed else {
            let err = error_of(resp);
            ctx.note(format!(
                "Client: refresh refused: {err}; the session must sign in again."
            ));
            if let Some(s) = self.sessions.get_mut(session) {
                s.tokens = None;
            }
            ctx.reply(browser, pages::error_page("session expired", &err));
            return;
        };
        if let Some(t) = self
            .sessions
            .get_mut(session)
            .and_then(|s| s.tokens.as_mut())
        {
            t.access_token = AccessToken::new(&tr.access_token);
            t.access_expires_at = tr.expires_in.map(|s| ctx.now.plus_secs(s));
            if let Some(new_rt) = &tr.refresh_token {
                // PROTOCOL.md 24: drop the old refresh token when a new one arrives.
                t.refresh_token = Some(RefreshToken::new(new_rt));
                ctx.note("Client: new access token and a new refresh token (the old one is dropped); calling the API.");
            } else {
                ctx.note("Client: new access token (same refresh token kept); calling the API.");
            }
        }
        self.call_api(ctx, session, browser, None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_auth_encodes_per_rfc6749_2_3_1() {
        assert_eq!(
            basic_auth("photo-printer", "s3cret"),
            format!("Basic {}", STANDARD.encode("photo-printer:s3cret"))
        );
        // Reserved characters are form-urlencoded before base64.
        assert_eq!(
            basic_auth("a:b", "c d"),
            format!("Basic {}", STANDARD.encode("a%3Ab:c+d"))
        );
    }
}
