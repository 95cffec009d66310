//! `POST /login` and `GET|POST /consent`: the AS authenticates the resource owner and
//! obtains the authorization decision (RFC 6749 §4.1.1 step B; how is out of scope of
//! OAuth). Redirects answering a form POST are 303, or 307 with `login_303` off
//! (RFC 9700 §4.12).

use http::StatusCode;

use super::authorize::Outcome;
use super::authorizer::ResponseType;
use super::sessions::set_cookie_value;
use super::{
    AuthServer, Transaction, error_page_response, form_body, html_response, pages,
    post_redirect_status, query_params, redirect,
};
use crate::actors::Ctx;
use crate::actors::rng::random_token;
use crate::protocol::errors::{ErrorCode, OAuthError};
use crate::protocol::http_wire::{Request, Response, set_header};
use crate::protocol::params::Params;

impl AuthServer {
    /// The parameters of a login or consent request (`what` names it in the note) and
    /// the pending transaction its `txn` names, or the error page to show.
    fn pending(
        &self,
        ctx: &mut Ctx<'_>,
        params: Result<Params, String>,
        what: &str,
    ) -> Result<(Params, Transaction), Box<Response>> {
        let params = params.map_err(|e| {
            ctx.note(format!("AS: unreadable {what}: {e}."));
            Box::new(error_page_response("Invalid request", &e))
        })?;
        let id = match params.single("txn") {
            Ok(Some(t)) => t,
            Ok(None) => {
                ctx.note("AS: the form has no txn; nothing to continue.");
                return Err(Box::new(error_page_response(
                    "Invalid request",
                    "The form does not name an authorization request (txn).",
                )));
            }
            Err(_) => {
                ctx.note("AS: txn is repeated; refused.");
                return Err(Box::new(error_page_response(
                    "Invalid request",
                    "txn is repeated.",
                )));
            }
        };
        match self.authorizer.transaction(id, ctx.now).cloned() {
            Some(t) => Ok((params, t)),
            None => {
                ctx.note("AS: no pending authorization request has this txn (unknown, finished or timed out).");
                Err(Box::new(error_page_response(
                    "Authorization request not found",
                    "This authorization request is unknown, already finished, or timed out. Start again from the application.",
                )))
            }
        }
    }

    fn client_name(&self, client_id: &str) -> String {
        self.registrar
            .get(client_id)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| client_id.to_string())
    }

    fn login_form(&self, txn: &Transaction, message: Option<&str>) -> Response {
        html_response(
            StatusCode::OK,
            &pages::login_page(
                &self.issuer_url,
                &txn.id,
                &self.client_name(&txn.request.client_id),
                message,
            ),
        )
    }

    fn consent_form(&self, txn: &Transaction, user: &str) -> Response {
        html_response(
            StatusCode::OK,
            &pages::consent_page(
                &txn.id,
                user,
                &self.client_name(&txn.request.client_id),
                &txn.request.client_id,
                &txn.request.scope,
            ),
        )
    }

    /// `POST /login` (form: txn, username, password).
    pub(crate) fn handle_login(&mut self, ctx: &mut Ctx<'_>, req: &Request) -> Response {
        let (params, txn) = match self.pending(ctx, form_body(req), "login form") {
            Ok(found) => found,
            Err(page) => return *page,
        };
        let username = params.single("username").ok().flatten();
        let password = params.single("password").ok().flatten();
        let (Some(username), Some(password)) = (username, password) else {
            ctx.note("AS: username or password missing; showing the login form again.");
            return self.login_form(&txn, Some("Enter your username and password."));
        };
        let Some(user) = self
            .sessions
            .check_password(username, password)
            .map(|u| u.username.clone())
        else {
            ctx.note(format!(
                "AS: wrong username or password for {username:?} (compared in constant time); showing the login form again."
            ));
            return self.login_form(&txn, Some("Wrong username or password."));
        };
        let sid = random_token(ctx.rng, 32);
        let auth_time = self.sessions.create(sid.clone(), &user, ctx.now).auth_time;
        ctx.note(format!(
            "AS: password for {user} is correct; started AS session {} (cookie as_session, Secure, HttpOnly, SameSite=Lax).",
            super::short(&sid)
        ));
        let status = post_redirect_status(ctx.defenses.login_303);
        let location =
            if self
                .sessions
                .consent_covers(&user, &txn.request.client_id, &txn.request.scope)
            {
                ctx.note(format!(
                    "AS: {user} already approved {} for {}; no consent page.",
                    txn.request.scope_string(),
                    txn.request.client_id
                ));
                self.authorizer.take_transaction(&txn.id);
                self.approve(ctx, &txn, &user, auth_time)
            } else {
                self.url(&format!(
                    "/consent?{}",
                    Params::from_pairs([("txn", txn.id.as_str())]).encode()
                ))
            };
        self.note_post_redirect(ctx, status, true);
        let mut resp = redirect(status, &location);
        set_header(resp.headers_mut(), "set-cookie", &set_cookie_value(&sid));
        resp
    }

    /// Notes how the AS answers a form POST; `carries_password`: whether the body it
    /// answers has a password in it (the login form, or the login form re-posted).
    fn note_post_redirect(&self, ctx: &mut Ctx<'_>, status: StatusCode, carries_password: bool) {
        if status == StatusCode::SEE_OTHER {
            ctx.note("AS: answering the form POST with 303 See Other, so the browser follows with a GET and drops the form body (RFC 9700 §4.12).");
        } else if carries_password {
            ctx.note("AS: answering the form POST with 307 (login-303 off): a 307 keeps the method and body, so a browser following it to a web page re-POSTs the form body, password included (RFC 9700 §4.12).");
        } else {
            ctx.note("AS: answering the form POST with 307 (login-303 off): a 307 keeps the method and body, so a browser following it re-POSTs this form's body (which carries no password) to the next page (RFC 9700 §4.12).");
        }
    }

    /// `GET /consent?txn=…`: the consent page (or the login form without a session).
    pub(crate) fn handle_consent_get(&mut self, ctx: &mut Ctx<'_>, req: &Request) -> Response {
        let (_, txn) = match self.pending(ctx, query_params(req), "consent request") {
            Ok(found) => found,
            Err(page) => return *page,
        };
        match self.sessions.from_request(req).map(|s| s.user.clone()) {
            Some(user) => {
                ctx.note(format!(
                    "AS: asking {user} whether {} may have {}.",
                    txn.request.client_id,
                    txn.request.scope_string()
                ));
                self.consent_form(&txn, &user)
            }
            None => {
                ctx.note("AS: no AS session cookie; showing the login form first.");
                self.login_form(&txn, None)
            }
        }
    }

    /// `POST /consent` (form: txn, decision).
    pub(crate) fn handle_consent_post(&mut self, ctx: &mut Ctx<'_>, req: &Request) -> Response {
        let (params, txn) = match self.pending(ctx, form_body(req), "consent form") {
            Ok(found) => found,
            Err(page) => return *page,
        };
        let Some(session) = self.sessions.from_request(req).cloned() else {
            ctx.note("AS: consent posted without an AS session; showing the login form.");
            return self.login_form(&txn, None);
        };
        let decision = match params.single("decision") {
            Ok(d) => d,
            Err(_) => {
                ctx.note("AS: decision is repeated; refused.");
                return error_page_response("Invalid request", "decision is repeated.");
            }
        };
        let status = post_redirect_status(ctx.defenses.login_303);
        match decision {
            None => {
                if params.contains("password") {
                    ctx.note("AS: this POST carries the login form again — username and password included — because the login answer was a 307 (RFC 9700 §4.12). Showing the consent page.");
                } else {
                    ctx.note("AS: no decision yet; showing the consent page.");
                }
                self.consent_form(&txn, &session.user)
            }
            Some("approve") => {
                ctx.note(format!(
                    "AS: {} approved {} for {}; consent remembered.",
                    session.user,
                    txn.request.scope_string(),
                    txn.request.client_id
                ));
                self.sessions.remember_consent(
                    &session.user,
                    &txn.request.client_id,
                    &txn.request.scope_string(),
                );
                self.authorizer.take_transaction(&txn.id);
                let url = self.approve(ctx, &txn, &session.user, session.auth_time);
                self.note_post_redirect(ctx, status, params.contains("password"));
                redirect(status, &url)
            }
            Some("deny") => {
                self.authorizer.take_transaction(&txn.id);
                let (section, withheld) = match txn.response_type {
                    ResponseType::Code => ("§4.1.2.1", "no code"),
                    ResponseType::Token => ("§4.2.2.1", "no access token"),
                };
                ctx.note(format!(
                    "AS: {} denied the request; telling the client access_denied (RFC 6749 {section}), {withheld}.",
                    session.user
                ));
                let outcome: Outcome = Err(OAuthError::new(
                    ErrorCode::AccessDenied,
                    "the user denied the request",
                ));
                let url = self.response_url(
                    &txn.request.redirect.uri,
                    txn.state_value(),
                    &outcome,
                    ctx.defenses.iss_parameter,
                    txn.response_type.in_fragment(),
                );
                self.note_post_redirect(ctx, status, params.contains("password"));
                redirect(status, &url)
            }
            Some(other) => {
                ctx.note(format!("AS: unknown decision {other:?}; refused."));
                error_page_response("Invalid request", "decision must be approve or deny.")
            }
        }
    }
}
