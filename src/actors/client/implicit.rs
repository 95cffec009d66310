//! The implicit flow's front end, kept for contrast (RFC 6749 §4.2; RFC 9700 §2.1.2
//! says not to use it): a page at `/implicit-cb` whose script posts the URL fragment
//! to `/implicit-token`, where the client takes the access token and ID token as they
//! come. It exists only while the `no-implicit-grant` defense is off and the client is
//! configured with it.

use http::StatusCode;

use super::session::{HeldAccessToken, Tokens};
use super::{Client, pages};
use crate::actors::{Ctx, ReplyTo};
use crate::protocol::http_wire::{self, Request, Response};
use crate::protocol::params::Params;
use crate::protocol::secret::{AccessToken, IdToken};

impl Client {
    /// Whether the implicit handler is live.
    pub(super) fn implicit_enabled(&self, ctx: &Ctx<'_>) -> bool {
        self.config.implicit_handler && !ctx.defenses.no_implicit_grant
    }

    fn code_flow_only(ctx: &mut Ctx<'_>) -> Response {
        ctx.note("Client: uses the authorization code flow only; there is no implicit-flow page (no-implicit-grant, RFC 9700 §2.1.2).");
        pages::status_page(
            StatusCode::NOT_FOUND,
            "Not found",
            "This client uses the authorization code flow only.",
            None,
        )
    }

    /// `GET /implicit-cb`: the page whose script posts the fragment.
    pub(super) fn implicit_page(&self, ctx: &mut Ctx<'_>) -> Response {
        if !self.implicit_enabled(ctx) {
            return Self::code_flow_only(ctx);
        }
        ctx.note(
            "Client: serves the implicit-flow page; its script will post the URL fragment back.",
        );
        pages::page(
            StatusCode::OK,
            "Signing in…",
            r#"<p>Signing in…</p><form id="fragment-handler" method="post" action="/implicit-token"></form>"#,
            Some("no-referrer"),
        )
    }

    /// `POST /implicit-token`: tokens from the front channel. The client cannot tell
    /// whom an access token was issued to — only `state` and the ID token's `nonce`
    /// tie the response to this session (RFC 9700 §4.3, OIDC Core §15.5.2).
    pub(super) fn implicit_token(
        &mut self,
        ctx: &mut Ctx<'_>,
        req: &Request,
        browser: ReplyTo,
    ) -> Option<Response> {
        if !self.implicit_enabled(ctx) {
            return Some(Self::code_flow_only(ctx));
        }
        let form = Params::parse(&http_wire::body_text(req.body()));
        let (session_id, set_cookie) = self.session_or_new(ctx, req);
        let pending = self
            .sessions
            .get(&session_id)
            .and_then(|s| s.pending.clone());
        if let Err(why) =
            self.consume_state(ctx, &session_id, pending.as_ref(), form.first("state"))
        {
            return Some(pages::error_page("state mismatch", why));
        }
        let (as_index, issuer) = self.pending_issuer(pending.as_ref());
        let mut user = None;
        if let Some(id_token) = form.first("id_token") {
            let nonce = pending
                .as_ref()
                .and_then(|p| p.nonce.as_ref())
                .map(|n| crate::protocol::secret::Secret::expose(n).to_string());
            match self.validate_id_token(ctx, as_index, id_token, nonce.as_deref()) {
                Ok(sub) => user = Some(sub),
                Err(why) => {
                    ctx.note(format!("Client: rejected the ID token: {why}."));
                    return Some(pages::error_page("invalid ID token", &why));
                }
            }
        }
        let token_type = form.first("token_type").unwrap_or("");
        let access = match form.first("access_token").map(AccessToken::new) {
            Some(at) => match super::back_channel::usable_token_type(token_type, false) {
                Ok(()) => Some(at),
                Err(why) => {
                    ctx.note(format!(
                        "Client: {why}; it does not use the access token from the fragment."
                    ));
                    None
                }
            },
            None => None,
        };
        if let Some(s) = self.sessions.get_mut(&session_id) {
            if let Some(u) = &user {
                s.user = Some((u.clone(), issuer));
            }
            if let Some(at) = access.clone() {
                s.tokens = Some(Tokens {
                    as_index,
                    access: HeldAccessToken {
                        token: at,
                        expires_at: form
                            .first("expires_in")
                            .and_then(|e| e.parse().ok())
                            .map(|e| ctx.now.plus_secs(e)),
                        dpop_bound: false,
                    },
                    refresh_token: None,
                    id_token: form.first("id_token").map(IdToken::new),
                    scope: form.first("scope").map(str::to_string),
                });
            }
        }
        if access.is_some() {
            ctx.note("Client: took the access token from the fragment as it came (it cannot tell whom it was issued to); calling the API.");
            self.call_api(ctx, &session_id, browser, set_cookie);
            return None;
        }
        let who = user.unwrap_or_else(|| "nobody".into());
        ctx.note(format!(
            "Client: signed the session in as {who} on the strength of the ID token."
        ));
        let mut page = pages::status_page(
            StatusCode::OK,
            "Signed in",
            &format!("Signed in as {who}."),
            Some("no-referrer"),
        );
        if let Some(c) = &set_cookie {
            http_wire::set_header(page.headers_mut(), "set-cookie", c);
        }
        Some(page)
    }
}
