//! `GET /authorize`: the authorization endpoint (RFC 6749 §3.1, §4.1.1), and the
//! authorization response every path ends in (RFC 6749 §4.1.2, §4.1.2.1; RFC 9207).

use http::StatusCode;

use super::authorizer::{
    GrantRequest, RedirectTarget, ResponseType, Transaction, pkce_at_authorize,
};
use super::registrar::{GrantType, Registrar};
use super::{AuthServer, error_page_response, html_response, pages, query_params, redirect};
use crate::actors::Ctx;
use crate::actors::rng::random_token;
use crate::protocol::errors::{ErrorCode, OAuthError};
use crate::protocol::http_wire::{Request, Response};
use crate::protocol::params::{Params, append_query};
use crate::protocol::secret::{Nonce, State};

/// What an approved authorization request hands the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Granted {
    /// An authorization code (RFC 6749 §4.1.2).
    Code(String),
    /// An access token, in the fragment (the implicit grant, RFC 6749 §4.2.2).
    Token {
        access_token: String,
        expires_in: u64,
        scope: String,
    },
}

/// The outcome of an authorization request: a grant, or an error for the client.
pub(crate) type Outcome = Result<Granted, OAuthError>;

impl AuthServer {
    /// The redirect URI with the response parameters: `code` (RFC 6749 §4.1.2), or
    /// `access_token` + `token_type` + `expires_in` + `scope` (§4.2.2), or `error` +
    /// `error_description` (§4.1.2.1, §4.2.2.1); `state` exactly as received (only if
    /// it was sent, docs/PROTOCOL.md item 2), and `iss` when the defense is on (RFC 9207 §2).
    /// The parameters go in the query, or in the fragment when `fragment` is set (the
    /// implicit grant, §4.2.2).
    pub(crate) fn response_url(
        &self,
        redirect_uri: &str,
        state: Option<&str>,
        outcome: &Outcome,
        iss: bool,
        fragment: bool,
    ) -> String {
        let mut p = Params::default();
        match outcome {
            Ok(Granted::Code(code)) => p.push("code", code),
            Ok(Granted::Token {
                access_token,
                expires_in,
                scope,
            }) => {
                p.push("access_token", access_token);
                p.push("token_type", "Bearer");
                p.push("expires_in", &expires_in.to_string());
                p.push("scope", scope);
            }
            Err(e) => {
                p.push("error", e.code.as_str());
                p.push("error_description", &e.description);
            }
        }
        if let Some(state) = state {
            p.push("state", state);
        }
        if iss {
            p.push("iss", &self.issuer_url);
        }
        if fragment {
            format!("{redirect_uri}#{}", p.encode())
        } else {
            append_query(redirect_uri, &p)
        }
    }

    /// Issues a code (or, for the implicit grant, an access token) for an approved
    /// transaction and returns the response URL.
    pub(crate) fn approve(
        &mut self,
        ctx: &mut Ctx<'_>,
        txn: &Transaction,
        user: &str,
        auth_time: u64,
    ) -> String {
        if txn.response_type == ResponseType::Token {
            return self.approve_implicit(ctx, txn, user);
        }
        let code = random_token(ctx.rng, 32);
        let lifetime = ctx.defenses.code_lifetime_secs;
        self.authorizer
            .issue_code(code.clone(), txn, user, auth_time, ctx.now, lifetime);
        let binding = match &txn.request.pkce {
            Some(p) => format!(
                "its {} code_challenge {}",
                p.method.as_str(),
                super::short(&p.challenge)
            ),
            None => "no PKCE challenge".to_string(),
        };
        let resource = match &txn.request.resource {
            Some(r) => format!(", resource {r}"),
            None => String::new(),
        };
        let life = match lifetime {
            Some(s) => format!("it expires in {s} s"),
            None => "it never expires (code-lifetime off)".to_string(),
        };
        ctx.note(format!(
            "AS: issued code {} for {user}, bound to client {}, redirect_uri {}{resource} and {binding}; {life}.",
            super::short(&code),
            txn.request.client_id,
            txn.request.redirect.uri
        ));
        let iss = ctx.defenses.iss_parameter;
        if iss {
            ctx.note(format!(
                "AS: the response carries iss={} so the client can tell which AS answered (RFC 9207).",
                self.issuer_url
            ));
        }
        self.response_url(
            &txn.request.redirect.uri,
            txn.state_value(),
            &Ok(Granted::Code(code)),
            iss,
            false,
        )
    }

    /// The implicit grant (RFC 6749 §4.2.2): the access token goes straight into the
    /// redirect URI's fragment — no code, no client authentication, no PKCE, no
    /// refresh token. RFC 9700 §2.1.2 says not to: the token passes through the
    /// browser, its history and every script on the page.
    fn approve_implicit(&mut self, ctx: &mut Ctx<'_>, txn: &Transaction, user: &str) -> String {
        let iss = ctx.defenses.iss_parameter;
        let family = self.tokens.new_family(
            &txn.request.client_id,
            user,
            &txn.request.scope,
            None,
            txn.request.resource.as_deref(),
            ctx.now,
        );
        let Some((access_token, jti)) =
            self.tokens
                .issue_access_token(ctx.rng, ctx.now, &family, &txn.request.scope)
        else {
            let err = OAuthError::new(ErrorCode::ServerError, "the grant vanished");
            return self.response_url(
                &txn.request.redirect.uri,
                txn.state_value(),
                &Err(err),
                iss,
                true,
            );
        };
        let aud = self
            .tokens
            .access_record(&jti)
            .map(|a| a.claims.aud.clone())
            .unwrap_or_default();
        let expires_in = self.tokens.lifetimes().access_token_secs;
        ctx.note(format!(
            "AS: implicit grant (no-implicit-grant off): issued an access token for {user} (jti {jti}, aud {aud}, scope {}) in grant {family} and put it in the redirect URI's fragment (RFC 6749 §4.2.2) — no code, no client authentication, no PKCE, no refresh token. It now travels through the browser, its history and any script on the client's page (RFC 9700 §2.1.2).",
            txn.request.scope_string()
        ));
        if iss {
            ctx.note(format!(
                "AS: the fragment carries iss={} (RFC 9207).",
                self.issuer_url
            ));
        }
        let granted = Granted::Token {
            access_token,
            expires_in,
            scope: txn.request.scope_string(),
        };
        self.response_url(
            &txn.request.redirect.uri,
            txn.state_value(),
            &Ok(granted),
            iss,
            true,
        )
    }

    /// `GET /authorize` (docs/PROTOCOL.md items 1–3, 5, 6).
    pub(crate) fn handle_authorize(&mut self, ctx: &mut Ctx<'_>, req: &Request) -> Response {
        let params = match query_params(req) {
            Ok(p) => p,
            Err(e) => {
                ctx.note(format!(
                    "AS: refused the authorization request: {e}; error page, no redirect."
                ));
                return error_page_response("Invalid authorization request", &e);
            }
        };
        // A pushed request replaces the query; with par-required nothing else is taken
        // (docs/PROTOCOL.md item 32).
        let params = match self.authorization_params(ctx, params) {
            Ok(p) => p,
            Err(page) => return *page,
        };

        // Step 1: client_id and redirect_uri, before anything else (RFC 6749 §4.1.2.1,
        // RFC 9700 §4.1.3): if either is wrong the AS must not redirect anywhere.
        let target = self.validate_client_and_redirect(ctx, &params);
        let (client_id, redirect_uri) = match target {
            Ok(t) => t,
            Err(reason) => return self.invalid_target(ctx, &params, &reason),
        };
        let redirect_param = params
            .single("redirect_uri")
            .ok()
            .flatten()
            .map(str::to_string);

        // Step 2: every other error goes back to the (now trusted) redirect URI — in
        // the fragment for an implicit request the AS serves (RFC 6749 §4.2.2.1).
        let state = params.single("state").ok().flatten().map(str::to_string);
        let iss = ctx.defenses.iss_parameter;
        let implicit_allowed = !ctx.defenses.no_implicit_grant;
        let fragment = implicit_allowed && params.single("response_type") == Ok(Some("token"));
        let fail = |this: &Self, ctx: &mut Ctx<'_>, code: ErrorCode, why: &str| -> Response {
            let registered = this
                .registrar
                .get(&client_id)
                .is_some_and(|c| c.redirect_uris.contains(&redirect_uri));
            let target = if registered {
                "the registered redirect URI".to_string()
            } else {
                format!(
                    "{redirect_uri}, which {:?} matching accepted",
                    ctx.defenses.redirect_matching
                )
            };
            ctx.note(format!(
                "AS: {why}; the error goes back to {target} as {} ({}), with no {}.",
                code.as_str(),
                if fragment {
                    "in the fragment, RFC 6749 §4.2.2.1"
                } else {
                    "RFC 6749 §4.1.2.1"
                },
                if fragment { "token" } else { "code" }
            ));
            let url = this.response_url(
                &redirect_uri,
                state.as_deref(),
                &Err(OAuthError::new(code, why)),
                iss,
                fragment,
            );
            redirect(StatusCode::FOUND, &url)
        };

        if let Some(name) = super::repeated_param(&params) {
            let why = format!("parameter {name} is repeated (RFC 6749 §3.1)");
            return fail(self, ctx, ErrorCode::InvalidRequest, &why);
        }
        let Some(client) = self.registrar.get(&client_id).cloned() else {
            return fail(self, ctx, ErrorCode::ServerError, "the client disappeared");
        };
        let response_type = match params.single("response_type") {
            Ok(Some("code")) => ResponseType::Code,
            Ok(Some("token")) if implicit_allowed => ResponseType::Token,
            Ok(Some("token")) => {
                let why = "response_type=token (the implicit grant) is not supported; only response_type=code (RFC 9700 §2.1.2)";
                return fail(self, ctx, ErrorCode::UnsupportedResponseType, why);
            }
            Ok(None) => {
                return fail(
                    self,
                    ctx,
                    ErrorCode::InvalidRequest,
                    "response_type is missing",
                );
            }
            _ => {
                let why = if implicit_allowed {
                    "only response_type=code or token is supported (RFC 6749 §4.1.1, §4.2.1)"
                } else {
                    "only response_type=code is supported (RFC 6749 §4.1.1)"
                };
                return fail(self, ctx, ErrorCode::UnsupportedResponseType, why);
            }
        };
        let grant = match response_type {
            ResponseType::Code => GrantType::AuthorizationCode,
            ResponseType::Token => GrantType::Implicit,
        };
        if !client.allows_grant(grant) {
            let why = match grant {
                GrantType::Implicit => {
                    format!("client {client_id} is not registered for the implicit grant")
                }
                _ => {
                    format!("client {client_id} is not registered for the authorization code grant")
                }
            };
            return fail(self, ctx, ErrorCode::UnauthorizedClient, &why);
        }
        let scope: Vec<String> = match params.single("scope") {
            Ok(Some(s)) => super::scope_list(s),
            _ => Vec::new(),
        };
        if scope.is_empty() {
            let why = "scope is missing and this AS has no default scope (RFC 6749 §3.3)";
            return fail(self, ctx, ErrorCode::InvalidScope, why);
        }
        if let Some(bad) = scope.iter().find(|s| !client.allows_scope(s)) {
            let why =
                format!("scope {bad} is not registered for client {client_id} (RFC 6749 §3.3)");
            return fail(self, ctx, ErrorCode::InvalidScope, &why);
        }
        let resource = match super::resource_param(&params) {
            Ok(None) => None,
            Ok(Some(r)) => match self.tokens.check_resource(r, &scope) {
                Ok(r) => Some(r),
                Err(why) => return fail(self, ctx, ErrorCode::InvalidTarget, &why),
            },
            Err(why) => return fail(self, ctx, ErrorCode::InvalidTarget, &why),
        };
        if let Some(r) = &resource {
            ctx.note(format!(
                "AS: resource {r} is registered and serves part of the scope; tokens of this grant will have aud {r} (RFC 8707 §2)."
            ));
        }
        let pkce = if response_type == ResponseType::Token {
            ctx.note(
                "AS: implicit request: there is no code to bind, so PKCE does not apply (RFC 7636 §1).",
            );
            None
        } else {
            let challenge = params.single("code_challenge").ok().flatten();
            let method = params.single("code_challenge_method").ok().flatten();
            let pkce = match pkce_at_authorize(challenge, method, ctx.defenses) {
                Ok(p) => p,
                Err(why) => return fail(self, ctx, ErrorCode::InvalidRequest, &why),
            };
            match &pkce {
                Some(p) => ctx.note(format!(
                    "AS: stored the {} code_challenge {}; the token request must bring the matching code_verifier (RFC 7636 §4.4).",
                    p.method.as_str(),
                    super::short(&p.challenge)
                )),
                None => ctx.note(
                    "AS: no code_challenge, and PKCE is not required (pkce-required off): this code will not be bound to a verifier.",
                ),
            }
            pkce
        };

        let txn = Transaction {
            id: random_token(ctx.rng, 16),
            request: GrantRequest {
                client_id: client_id.clone(),
                redirect: RedirectTarget {
                    uri: redirect_uri,
                    sent: redirect_param,
                },
                scope,
                pkce,
                nonce: params.single("nonce").ok().flatten().map(Nonce::new),
                resource,
            },
            state: state.as_deref().map(State::new),
            response_type,
            created: ctx.now,
        };
        self.authorizer.add_transaction(txn.clone());

        // Step 3: who is the user? A valid AS session skips the login form.
        if let Some(session) = self.sessions.from_request(req).cloned() {
            ctx.note(format!(
                "AS: the browser already has an AS session (cookie as_session) for {}; no login needed.",
                session.user
            ));
            if self
                .sessions
                .consent_covers(&session.user, &client_id, &txn.request.scope)
            {
                ctx.note(format!(
                    "AS: {} already approved {} for {client_id}; answering at once.",
                    session.user,
                    txn.request.scope_string()
                ));
                self.authorizer.take_transaction(&txn.id);
                let url = self.approve(ctx, &txn, &session.user, session.auth_time);
                return redirect(StatusCode::FOUND, &url);
            }
            ctx.note("AS: asking the user to approve the request.");
            return html_response(
                StatusCode::OK,
                &pages::consent_page(
                    &txn.id,
                    &session.user,
                    &client.name,
                    &client_id,
                    &txn.request.scope,
                ),
            );
        }
        ctx.note(format!(
            "AS: the request from {client_id} is valid; showing the login form (transaction {}).",
            super::short(&txn.id)
        ));
        html_response(
            StatusCode::OK,
            &pages::login_page(&self.issuer_url, &txn.id, &client.name, None),
        )
    }

    /// Checks `client_id` and `redirect_uri` (docs/PROTOCOL.md item 3). `Ok` holds the client
    /// id and the redirect URI to answer to; `Err` a description for the error page.
    fn validate_client_and_redirect(
        &self,
        ctx: &mut Ctx<'_>,
        params: &Params,
    ) -> Result<(String, String), String> {
        let client_id = match params.single("client_id") {
            Ok(Some(c)) => c,
            Ok(None) => return Err("client_id is missing".into()),
            Err(_) => return Err("client_id is repeated".into()),
        };
        let Some(client) = self.registrar.get(client_id) else {
            return Err(format!("unknown client_id {client_id}"));
        };
        let requested = match params.single("redirect_uri") {
            Ok(r) => r,
            Err(_) => return Err("redirect_uri is repeated".into()),
        };
        let mode = ctx.defenses.redirect_matching;
        let uri = Registrar::resolve_redirect(client, requested, mode)?;
        if let Some(r) = requested {
            if client.redirect_uris.iter().any(|x| x == r) {
                ctx.note(format!(
                    "AS: redirect_uri {r} is exactly a URI registered for {client_id}."
                ));
            } else {
                ctx.note(format!(
                    "AS: redirect_uri {r} is not registered verbatim for {client_id}, but {mode:?} matching accepts it{}.",
                    if mode == crate::actors::RedirectMatching::Exact {
                        " (loopback port, RFC 8252 §7.3)"
                    } else {
                        " (redirect-matching relaxed; RFC 9700 §4.1.1 shows why this is dangerous)"
                    }
                ));
            }
        }
        Ok((client_id.to_string(), uri))
    }

    /// The answer to a request whose client or redirect URI is wrong: a 400 page
    /// (RFC 6749 §4.1.2.1) — or, with `no_redirect_on_invalid_uri` off, a redirect of
    /// the error to whatever redirect_uri the request named: the open redirector of
    /// RFC 9700 §4.11.2.
    fn invalid_target(&self, ctx: &mut Ctx<'_>, params: &Params, reason: &str) -> Response {
        if !ctx.defenses.no_redirect_on_invalid_uri
            && let Some(target) = params.first("redirect_uri")
            && !target.contains('#')
            && url::Url::parse(target).is_ok()
        {
            ctx.note(format!(
                "AS: {reason}; yet, with no-redirect-on-invalid-uri off, the AS redirects the error to the unvalidated {target} — an open redirector (RFC 9700 §4.11.2)."
            ));
            let state = params.first("state");
            let err = OAuthError::new(ErrorCode::InvalidRequest, reason);
            let fragment =
                !ctx.defenses.no_implicit_grant && params.first("response_type") == Some("token");
            let url = self.response_url(
                target,
                state,
                &Err(err),
                ctx.defenses.iss_parameter,
                fragment,
            );
            return redirect(StatusCode::FOUND, &url);
        }
        ctx.note(format!(
            "AS: {reason}; showing an error page and never redirecting, since the redirect URI cannot be trusted (RFC 6749 §4.1.2.1, RFC 9700 §4.1.3)."
        ));
        error_page_response("Invalid authorization request", reason)
    }
}
