//! The client's half of pushed authorization requests (RFC 9126): it pushes when the
//! AS's metadata requires it, or when its own setting says so and the AS has a PAR
//! endpoint (§5), authenticated as at the token endpoint (§2.1); the browser then goes
//! to `/authorize` with only `client_id` and the `request_uri` (§4).

use super::{Client, Pending, pages};
use crate::actors::{Ctx, ReplyTo};
use crate::protocol::errors::ErrorBody;
use crate::protocol::http_wire::{self, Response};
use crate::protocol::requests::{AuthorizationRequest, PushedResponse};

/// What the browser's `/login` waits for while the request is pushed.
#[derive(Debug, Clone)]
pub(super) struct WaitingLogin {
    pub browser: ReplyTo,
    pub as_index: usize,
    pub set_cookie: Option<String>,
}

impl Client {
    /// The PAR endpoint to push to at the AS at `as_index`, if the client pushes there.
    pub(super) fn par_endpoint(&self, as_index: usize) -> Option<String> {
        let meta = self.known.get(as_index)?.metadata.as_ref()?;
        meta.push_endpoint(self.config.push_authorization_requests)
    }

    /// Pushes `request` to `endpoint`; the browser's `/login` waits for the answer.
    pub(super) fn push_authorization_request(
        &mut self,
        ctx: &mut Ctx<'_>,
        endpoint: &str,
        request: &AuthorizationRequest,
        waiting: WaitingLogin,
    ) {
        let auth = self.client_auth(ctx, waiting.as_index);
        let id = ctx.send(request.push_to(endpoint, &auth));
        ctx.note(format!(
            "Client: pushes the authorization request to {endpoint} with {} (RFC 9126 §2.1); the browser waits for the request_uri.",
            auth.method_name()
        ));
        self.pending.insert(id, Pending::Pushed(waiting));
    }

    /// The PAR endpoint's answer: a redirect of the browser to `/authorize` with
    /// `client_id` and `request_uri` (RFC 9126 §4), or an error page.
    pub(super) fn on_pushed(&mut self, ctx: &mut Ctx<'_>, waiting: WaitingLogin, resp: &Response) {
        let reg = &self.config.auth_servers[waiting.as_index];
        let endpoint = self.known[waiting.as_index]
            .metadata
            .as_ref()
            .map(|m| m.authorization_endpoint.clone());
        let mut answer = match (PushedResponse::read(resp), endpoint) {
            (Some(p), Some(endpoint)) => {
                ctx.note(format!(
                    "Client: the AS stored the request as {} (good for {} s); redirecting the browser to the authorization endpoint with only client_id and request_uri (RFC 9126 §4).",
                    p.request_uri, p.expires_in
                ));
                let url = AuthorizationRequest::by_reference(&reg.client_id, &p.request_uri)
                    .url(&endpoint);
                let mut r = http_wire::response(http::StatusCode::FOUND);
                http_wire::set_header(r.headers_mut(), "location", &url);
                r
            }
            _ => {
                let err = ErrorBody::describe(resp);
                ctx.note(format!(
                    "Client: the AS refused the pushed authorization request ({err}); the sign-in cannot start."
                ));
                pages::error_page("sign-in refused", &err)
            }
        };
        if let Some(c) = &waiting.set_cookie {
            http_wire::set_header(answer.headers_mut(), "set-cookie", c);
        }
        ctx.reply(waiting.browser, answer);
    }
}
