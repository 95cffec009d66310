//! Pushed authorization requests (RFC 9126): `POST /par` takes an authenticated client's
//! authorization request and answers `201` with a one-time `request_uri`; `GET
//! /authorize` then carries only `client_id` and that `request_uri` (docs/PROTOCOL.md
//! item 32). With `par-required` the AS takes no other kind of authorization request
//! (RFC 9126 §5), so nobody but the client itself can start a flow in its name.

use http::StatusCode;

use super::registrar::Registrar;
use super::{AuthServer, error_page_response, form_body, repeated_param, short};
use crate::actors::rng::random_token;
use crate::actors::{Ctx, SimTime};
use crate::protocol::errors::{ErrorCode, OAuthError, json_response};
use crate::protocol::http_wire::{Request, Response};
use crate::protocol::params::Params;

/// The prefix of every `request_uri` this AS hands out (RFC 9126 §2.2).
pub const REQUEST_URI_PREFIX: &str = "urn:ietf:params:oauth:request_uri:";
/// How long a pushed request may wait for its `/authorize` (RFC 9126 §2.2 suggests
/// 5 to 600 seconds; short, because it is one use only).
pub const PUSHED_REQUEST_LIFETIME_SECS: u64 = 60;

/// The parameters of client authentication, which are not part of the stored request.
const CLIENT_AUTH_PARAMS: [&str; 3] =
    ["client_secret", "client_assertion", "client_assertion_type"];

/// One pushed request, waiting for its `/authorize`.
#[derive(Clone)]
pub struct PushedRequest {
    pub request_uri: String,
    pub client_id: String,
    /// The authorization request's parameters, as the client pushed them.
    pub params: Params,
    pub expires_at: SimTime,
    pub used: bool,
}

impl std::fmt::Debug for PushedRequest {
    /// The parameters hold `state` and the PKCE challenge: only their names are shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushedRequest")
            .field("client_id", &self.client_id)
            .field(
                "params",
                &self.params.iter().map(|(k, _)| k).collect::<Vec<_>>(),
            )
            .field("expires_at", &self.expires_at)
            .field("used", &self.used)
            .finish_non_exhaustive()
    }
}

/// Every pushed request the AS holds.
#[derive(Debug, Clone, Default)]
pub struct PushedRequests {
    list: Vec<PushedRequest>,
}

impl PushedRequests {
    /// Every pushed request, in the order they arrived.
    pub fn iter(&self) -> impl Iterator<Item = &PushedRequest> {
        self.list.iter()
    }
}

impl AuthServer {
    /// `POST /par` (RFC 9126 §2).
    pub(crate) fn handle_par(&mut self, ctx: &mut Ctx<'_>, req: &Request) -> Response {
        match self.push_request(ctx, req) {
            Ok(resp) => resp,
            Err(e) => {
                ctx.note(format!(
                    "AS: pushed authorization request refused: {} — {} (RFC 9126 §2.3).",
                    e.code, e.description
                ));
                let mut resp = e.token_response_in_realm(Some(self.host()));
                if e.code == ErrorCode::UseDpopNonce {
                    self.with_dpop_nonce(&mut resp);
                }
                resp
            }
        }
    }

    fn push_request(&mut self, ctx: &mut Ctx<'_>, req: &Request) -> Result<Response, OAuthError> {
        let invalid = |why: String| OAuthError::new(ErrorCode::InvalidRequest, why);
        let params = form_body(req).map_err(invalid)?;
        if let Some(name) = repeated_param(&params) {
            return Err(invalid(format!(
                "parameter {name} is repeated (RFC 6749 §3.1)"
            )));
        }
        if params.contains("request_uri") {
            return Err(invalid(
                "a pushed request cannot itself name a request_uri (RFC 9126 §2.1)".into(),
            ));
        }
        let (client, method) = self.authenticate_client(ctx, req, &params)?;
        self.dpop_at_par(ctx, req)?;
        if let Ok(Some(named)) = params.single("client_id")
            && named != client.client_id
        {
            return Err(invalid(format!(
                "client_id {named} is not the client that authenticated, {} (RFC 9126 §2.1)",
                client.client_id
            )));
        }
        // RFC 9126 §2.1: the AS validates the request as it would at /authorize; the
        // redirect URI first, since an error about it can be answered only here.
        let requested = params.single("redirect_uri").ok().flatten();
        Registrar::resolve_redirect(&client, requested, ctx.defenses.redirect_matching)
            .map_err(invalid)?;
        let mut stored = Params::default();
        for (k, v) in params.iter() {
            if !CLIENT_AUTH_PARAMS.contains(&k) {
                stored.push(k, v);
            }
        }
        if !stored.contains("client_id") {
            stored.push("client_id", &client.client_id);
        }
        let request_uri = format!("{REQUEST_URI_PREFIX}{}", random_token(ctx.rng, 24));
        ctx.note(format!(
            "AS: {} pushed its authorization request ({}); stored as request_uri {}, good for one use within {PUSHED_REQUEST_LIFETIME_SECS} s (RFC 9126 §2.2).",
            client.client_id,
            method.as_str(),
            short(&request_uri[REQUEST_URI_PREFIX.len()..])
        ));
        self.pushed.list.push(PushedRequest {
            request_uri: request_uri.clone(),
            client_id: client.client_id.clone(),
            params: stored,
            expires_at: ctx.now.plus_secs(PUSHED_REQUEST_LIFETIME_SECS),
            used: false,
        });
        Ok(json_response(
            StatusCode::CREATED,
            &serde_json::json!({
                "request_uri": request_uri,
                "expires_in": PUSHED_REQUEST_LIFETIME_SECS,
            }),
        ))
    }

    /// The parameters `/authorize` works on: those of the pushed request a
    /// `request_uri` names (RFC 9126 §4), or the query itself. `Err` is the error page:
    /// an unknown, used, expired or foreign `request_uri`, or — with `par-required` — a
    /// request that was not pushed (RFC 9126 §5). Neither redirects anywhere, since the
    /// redirect URI is not known to be the client's.
    pub(crate) fn authorization_params(
        &mut self,
        ctx: &mut Ctx<'_>,
        query: Params,
    ) -> Result<Params, Box<Response>> {
        let refuse = |ctx: &mut Ctx<'_>, why: String| {
            ctx.note(format!(
                "AS: {why}; showing an error page, no redirect (RFC 9126 §4)."
            ));
            Box::new(error_page_response("Invalid authorization request", &why))
        };
        let request_uri = match query.single("request_uri") {
            Ok(Some(uri)) => uri.to_string(),
            Ok(None) if ctx.defenses.par_required => {
                let why = "this AS takes authorization requests only through its pushed authorization request endpoint (par-required, RFC 9126 §5), and this one came straight to /authorize";
                return Err(refuse(ctx, why.into()));
            }
            Ok(None) => return Ok(query),
            Err(_) => return Err(refuse(ctx, "request_uri is repeated".into())),
        };
        let client_id = query.single("client_id").ok().flatten().unwrap_or("");
        let now = ctx.now;
        let Some(pushed) = self
            .pushed
            .list
            .iter_mut()
            .find(|p| p.request_uri == request_uri)
        else {
            return Err(refuse(ctx, "request_uri names no pushed request".into()));
        };
        let why = if pushed.used {
            Some("the pushed request was already used (one use only, RFC 9126 §4)".to_string())
        } else if now >= pushed.expires_at {
            Some("the pushed request has expired (RFC 9126 §2.2)".to_string())
        } else if pushed.client_id != client_id {
            Some(format!(
                "the pushed request belongs to {}, not to client_id {client_id} (RFC 9126 §4)",
                pushed.client_id
            ))
        } else {
            None
        };
        if let Some(why) = why {
            return Err(refuse(ctx, why));
        }
        pushed.used = true;
        ctx.note(format!(
            "AS: /authorize names the pushed request {} of {client_id}: the AS uses the parameters the client pushed and authenticated, and nothing else from the URL (RFC 9126 §4).",
            short(&request_uri[REQUEST_URI_PREFIX.len()..])
        ));
        Ok(pushed.params.clone())
    }
}
