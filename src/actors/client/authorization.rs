//! The front-channel half of the client: building the authorization request
//! (RFC 6749 §4.1.1, RFC 7636 §4.3, OIDC Core §3.1.2.1) and checking the authorization
//! response on the callback (RFC 6749 §4.1.2, §10.12; RFC 9207 §2.4).

use http::StatusCode;

use super::pages;
use super::pushed::WaitingLogin;
use super::session::PendingAuthorization;
use super::{Client, Pending};
use crate::actors::defenses::PkceMethod;
use crate::actors::rng::{random_32, random_token};
use crate::actors::{Ctx, ReplyTo};
use crate::protocol::http_wire::{self, Request, Response};
use crate::protocol::params::Params;
use crate::protocol::pkce::{self, ChallengeMethod};
use crate::protocol::requests::{AuthorizationRequest, ResponseType, TokenRequest};
use crate::protocol::secret::{AuthorizationCode, Nonce, Secret, State};

impl Client {
    /// `GET /`: a home page with the sign-in link.
    pub(super) fn home(&self, req: Request) -> Response {
        let who = self
            .session_of(&req)
            .and_then(|s| self.sessions.get(&s))
            .and_then(|s| s.user.clone())
            .map(|(sub, _)| {
                format!(
                    "<p>Signed in as {}.</p>",
                    crate::protocol::html::escape(&sub)
                )
            })
            .unwrap_or_default();
        let links: String = self
            .config
            .auth_servers
            .iter()
            .map(|a| {
                format!(
                    "<p><a href=\"/login?as={0}\">Sign in with {1}</a></p>",
                    a.issuer, a.display_name
                )
            })
            .collect();
        let embed = self
            .config
            .home_page_third_party
            .as_deref()
            .map(|src| {
                format!(
                    "<img src=\"{}\" alt=\"\">",
                    crate::protocol::html::escape(src)
                )
            })
            .unwrap_or_default();
        pages::page(
            StatusCode::OK,
            &self.config.name,
            &format!("<h1>{}</h1>{who}{links}{embed}", self.config.name),
            None,
        )
    }

    /// `GET /login[?as=ISSUER]`: a fresh `state`, `nonce` and PKCE verifier, stored in
    /// the session, and a redirect to the AS's authorization endpoint.
    pub(super) fn start_login(
        &mut self,
        ctx: &mut Ctx<'_>,
        req: &Request,
        browser: ReplyTo,
    ) -> Option<Response> {
        let params = Params::from_query(req.uri());
        let as_index = params
            .first("as")
            .and_then(|iss| {
                self.config
                    .auth_servers
                    .iter()
                    .position(|a| a.issuer == iss)
            })
            .unwrap_or(0);
        let Some(endpoint) = self
            .known
            .get(as_index)
            .and_then(|k| k.metadata.as_ref())
            .map(|m| m.authorization_endpoint.clone())
        else {
            ctx.note("Client: has not discovered the AS's endpoints yet; answered 503.");
            return Some(pages::status_page(
                StatusCode::SERVICE_UNAVAILABLE,
                "Not ready",
                "The sign-in service is not ready.",
                None,
            ));
        };
        let reg = self.config.auth_servers[as_index].clone();
        let (session_id, set_cookie) = self.session_or_new(ctx, req);
        let d = ctx.defenses;
        let state = d.state.then(|| State::new(random_token(ctx.rng, 16)));
        let wants_openid = self.config.scope.split(' ').any(|s| s == "openid");
        let nonce = (d.nonce && wants_openid).then(|| Nonce::new(random_token(ctx.rng, 16)));
        let pkce_method = d.pkce;
        let verifier = (pkce_method != PkceMethod::Off)
            .then(|| pkce::verifier_from_bytes(&random_32(ctx.rng)));

        // The implicit flow (kept for contrast, RFC 9700 §2.1.2) asks for the tokens in
        // the fragment of a page of its own; with `openid` that is `id_token token`
        // (OIDC Core §3.2.2.1).
        let implicit = self.implicit_enabled(ctx) && params.first("flow") == Some("implicit");
        let response_type = match (implicit, wants_openid) {
            (false, _) => ResponseType::Code,
            (true, true) => ResponseType::IdTokenToken,
            (true, false) => ResponseType::Token,
        };
        let redirect_uri = if implicit {
            format!("{}/implicit-cb", self.config.origin)
        } else {
            reg.redirect_uri.clone()
        };
        let mut request = AuthorizationRequest::new(response_type, &reg.client_id, &redirect_uri)
            .scope(&self.config.scope)
            .resource(self.config.resource.as_deref())
            .state(state.as_ref())
            .nonce(nonce.as_ref())
            .max_age(self.config.max_age.filter(|_| wants_openid));
        let mut notes = vec![format!(
            "Client: new sign-in with {} for session {session_id}",
            reg.issuer
        )];
        if let Some(v) = &verifier {
            let method = if pkce_method == PkceMethod::Plain {
                ChallengeMethod::Plain
            } else {
                ChallengeMethod::S256
            };
            request = request.pkce_challenge(v, method);
            notes.push(format!(
                "a fresh PKCE verifier, sent as a {} challenge",
                method.as_str()
            ));
        } else {
            notes.push("no PKCE (defense off)".into());
        }
        notes.push(match &state {
            Some(_) => "a one-time state bound to the session".into(),
            None => "no state (defense off)".into(),
        });
        if nonce.is_some() {
            notes.push("a nonce for the ID token".into());
        }
        let par = self.par_endpoint(as_index);
        ctx.note(format!(
            "{}; {}.",
            notes.join(", "),
            if par.is_some() {
                "pushing the request to the AS first"
            } else {
                "redirecting the browser to the AS"
            }
        ));
        if let Some(s) = self.sessions.get_mut(&session_id) {
            s.pending = Some(PendingAuthorization {
                as_index,
                state,
                nonce,
                verifier,
                pkce: pkce_method,
                started_at: ctx.now,
            });
        }
        if let Some(par) = par {
            let waiting = WaitingLogin {
                browser,
                as_index,
                set_cookie,
            };
            self.push_authorization_request(ctx, &par, &request, waiting);
            return None;
        }
        let mut resp = http_wire::response(StatusCode::FOUND);
        http_wire::set_header(resp.headers_mut(), "location", &request.url(&endpoint));
        if let Some(c) = set_cookie {
            http_wire::set_header(resp.headers_mut(), "set-cookie", &c);
        }
        Some(resp)
    }

    /// The AS a pending sign-in's request went to (the first one when nothing is
    /// pending) and the issuer the response must come from (RFC 9207 §2.4).
    pub(super) fn pending_issuer(&self, pending: Option<&PendingAuthorization>) -> (usize, String) {
        let as_index = pending.map(|p| p.as_index).unwrap_or(0);
        let issuer = (self.config.auth_servers.get(as_index))
            .map(|a| a.issuer.clone())
            .unwrap_or_default();
        (as_index, issuer)
    }

    /// RFC 6749 §10.12: the state must match the one bound to this browser session, and
    /// is good for one response only. The pending sign-in is consumed either way.
    pub(super) fn consume_state(
        &mut self,
        ctx: &mut Ctx<'_>,
        session_id: &str,
        pending: Option<&PendingAuthorization>,
        sent: Option<&str>,
    ) -> Result<(), &'static str> {
        if ctx.defenses.state {
            let expected = pending.and_then(|p| p.state.as_ref());
            let ok = matches!((expected, sent), (Some(e), Some(s)) if e.ct_eq(s));
            if !ok {
                let why = match (expected, sent) {
                    (None, _) => "this browser session has no sign-in in progress",
                    (Some(_), None) => "the response carries no state",
                    _ => "the state does not match the one stored in this browser session",
                };
                ctx.note(format!("Client: rejected the response before any back-channel call: {why} (RFC 6749 §10.12)."));
                return Err(why);
            }
            ctx.note("Client: state matches the one bound to this session (now consumed).");
        }
        if let Some(s) = self.sessions.get_mut(session_id) {
            s.pending = None;
        }
        Ok(())
    }

    /// `GET|POST /cb`: the authorization response. Returns `None` when the browser's
    /// request is parked while the client calls the token endpoint.
    pub(super) fn callback(
        &mut self,
        ctx: &mut Ctx<'_>,
        req: &Request,
        browser: ReplyTo,
    ) -> Option<Response> {
        if req.method() == http::Method::POST && !req.body().is_empty() {
            let body = http_wire::body_text(req.body());
            if Params::parse(&body).contains("password") {
                ctx.note("Client: the callback arrived as a POST whose body has a `password` parameter — what a 307 re-post of a login form delivers (RFC 9700 §4.12).");
            }
            self.callback_bodies.push(body);
        }
        let params = Params::from_query(req.uri());
        let (session_id, set_cookie) = self.session_or_new(ctx, req);
        let with_cookie = |mut r: Response| {
            if let Some(c) = &set_cookie {
                http_wire::set_header(r.headers_mut(), "set-cookie", c);
            }
            r
        };
        let pending = self
            .sessions
            .get(&session_id)
            .and_then(|s| s.pending.clone());
        if let Some(s) = self.sessions.get_mut(&session_id) {
            s.awaiting_nonce = pending.as_ref().and_then(|p| p.nonce.clone());
        }
        let d = ctx.defenses.clone();

        if let Err(why) =
            self.consume_state(ctx, &session_id, pending.as_ref(), params.first("state"))
        {
            return Some(with_cookie(pages::error_page("state mismatch", why)));
        }

        let (as_index, issuer) = self.pending_issuer(pending.as_ref());

        // RFC 9207 §2.4: an `iss` in the response must equal the issuer the request was
        // sent to; and an AS that advertises the parameter must send it.
        let advertised = self
            .known
            .get(as_index)
            .and_then(|k| k.metadata.as_ref())
            .is_some_and(|m| m.authorization_response_iss_parameter_supported);
        if d.iss_parameter {
            match params.first("iss") {
                Some(iss) if iss == issuer => ctx.note(format!(
                    "Client: iss is {iss}, the AS it sent the user to (RFC 9207)."
                )),
                None if !advertised => ctx.note(format!(
                    "Client: no iss, and {issuer} does not advertise it (RFC 9207 §2.4)."
                )),
                other => {
                    let why = match other {
                        None => format!("the response has no iss, but {issuer} advertises it"),
                        Some(iss) => {
                            format!("iss is {iss}, but the request went to {issuer} (mix-up)")
                        }
                    };
                    ctx.note(format!(
                        "Client: rejected the callback: {why} (RFC 9207 §2.4)."
                    ));
                    return Some(with_cookie(pages::error_page("issuer mismatch", &why)));
                }
            }
        }

        if let Some(err) = params.first("error") {
            let desc = params.first("error_description").unwrap_or("");
            ctx.note(format!(
                "Client: the AS answered with error={err}; nothing to redeem."
            ));
            return Some(with_cookie(pages::error_page(err, desc)));
        }
        let Some(code) = params.first("code").map(str::to_string) else {
            ctx.note("Client: the callback carries neither code nor error; answered 400.");
            return Some(with_cookie(pages::error_page(
                "invalid_request",
                "no authorization code",
            )));
        };
        let verifier = pending.as_ref().and_then(|p| p.verifier.clone());
        let Some(reg) = self.config.auth_servers.get(as_index).cloned() else {
            return Some(with_cookie(pages::error_page("server_error", "unknown AS")));
        };
        let Some(token_endpoint) = self
            .known
            .get(as_index)
            .and_then(|k| k.metadata.as_ref())
            .map(|m| m.token_endpoint.clone())
        else {
            return Some(with_cookie(pages::error_page(
                "server_error",
                "the AS has not been discovered",
            )));
        };
        let auth = self.client_auth(ctx, as_index);
        let req =
            TokenRequest::authorization_code(&AuthorizationCode::new(code), &reg.redirect_uri)
                .client_auth(&auth)
                .resource(self.config.resource.as_deref())
                .code_verifier(verifier.as_ref())
                .to_request(&token_endpoint);
        ctx.note(format!(
            "Client: redeeming the code at {token_endpoint} with {}{}; the browser waits.",
            auth.method_name(),
            if verifier.is_some() {
                " and the session's code_verifier"
            } else {
                ""
            }
        ));
        let req = self.prove_token_request(ctx, req);
        let id = self.send_proved(ctx, req);
        self.pending.insert(
            id,
            Pending::Token {
                session: session_id,
                browser,
                as_index,
                set_cookie,
            },
        );
        None
    }
}
