//! The native app's discovery and pushed authorization requests. Before its first
//! sign-in it reads the AS's metadata (RFC 8414 §3); it pushes the authorization request
//! to the PAR endpoint (RFC 9126 §2.1) when the metadata says the AS requires it
//! (`require_pushed_authorization_requests`, §5) or its own setting says so. Being a
//! public client it sends only its `client_id`, no client authentication (RFC 9126 §2.1,
//! RFC 8252 §8.5); with `dpop` on the push carries a DPoP proof (RFC 9449 §10.1). The
//! system browser then goes to `/authorize` with `client_id` and `request_uri` only
//! (RFC 9126 §4).

use http::Method;

use super::{NativeApp, Pending};
use crate::actors::Ctx;
use crate::protocol::errors::ErrorBody;
use crate::protocol::http_wire::{self, Response};
use crate::protocol::metadata::{MetadataRefusal, ServerMetadata};
use crate::protocol::requests::{AuthorizationRequest, PushedResponse};

impl NativeApp {
    /// Asks the AS for its metadata; the sign-in goes on when the answer comes.
    pub(super) fn discover(&mut self, ctx: &mut Ctx<'_>) {
        self.discovery_sent = true;
        let url = self.config.metadata_url.clone();
        let id = ctx.send(http_wire::request(Method::GET, &url));
        ctx.note(format!(
            "{}: reads the AS's metadata at {url} before opening the browser (RFC 8414 §3).",
            self.config.name
        ));
        self.pending.insert(id, Pending::Metadata);
    }

    /// Keeps the metadata if it is the AS's (RFC 8414 §3.3), then starts the sign-in;
    /// without it the app goes on with the endpoints it was built with.
    pub(super) fn on_metadata(&mut self, ctx: &mut Ctx<'_>, resp: &Response) {
        let name = &self.config.name;
        match ServerMetadata::read(resp, &self.config.issuer) {
            Ok(m) => {
                ctx.note(format!(
                    "{name}: metadata of {} loaded (issuer matches, RFC 8414 §3.3); pushed authorization requests {}.",
                    m.issuer,
                    if m.require_pushed_authorization_requests {
                        "required (RFC 9126 §5)"
                    } else {
                        "not required"
                    }
                ));
                self.metadata = Some(m);
            }
            Err(why) => {
                let why = match why {
                    MetadataRefusal::Status(s) => format!("the answer is {s}, not 200 OK"),
                    MetadataRefusal::Unreadable(e) => format!("it does not parse ({e})"),
                    MetadataRefusal::OtherIssuer(i) => {
                        format!("it names the issuer {i}, not {}", self.config.issuer)
                    }
                };
                ctx.note(format!(
                    "{name}: did not take the AS's metadata: {why} (RFC 8414 §3.2, §3.3); it goes on with the endpoints it was built with."
                ));
            }
        }
        self.start_login(ctx);
    }

    /// The PAR endpoint to push to, if the app pushes: the AS requires it, or the app's
    /// setting says so and the AS has one (RFC 9126 §5).
    pub(super) fn par_endpoint(&self) -> Option<String> {
        self.metadata
            .as_ref()?
            .push_endpoint(self.config.push_authorization_requests)
    }

    /// Pushes `request` to `endpoint` as a public client (RFC 9126 §2.1), with a DPoP
    /// proof when `dpop` is on (RFC 9449 §10.1).
    pub(super) fn push(
        &mut self,
        ctx: &mut Ctx<'_>,
        endpoint: &str,
        request: &AuthorizationRequest,
        pkce: &str,
    ) {
        let mut req = request.push_to(endpoint, &self.client_auth());
        self.prove(ctx, &mut req, "the pushed authorization request");
        ctx.note(format!(
            "{}: pushes its authorization request{pkce} to {endpoint} as a public client, client_id only (RFC 9126 §2.1); the browser opens when the request_uri comes.",
            self.config.name
        ));
        self.send_proved(ctx, req, Pending::Pushed);
    }

    /// The PAR endpoint's answer: the system browser opens at `/authorize` with
    /// `client_id` and `request_uri` only (RFC 9126 §4); a refusal ends the sign-in.
    pub(super) fn on_pushed(&mut self, ctx: &mut Ctx<'_>, resp: &Response) {
        let name = self.config.name.clone();
        let endpoint = self
            .metadata
            .as_ref()
            .map(|m| m.authorization_endpoint.clone())
            .unwrap_or_else(|| self.config.authorization_endpoint.clone());
        match PushedResponse::read(resp) {
            Some(p) => {
                ctx.note(format!(
                    "{name}: the AS stored the request as {} (good for {} s); opens the system browser at the authorization endpoint with only client_id and request_uri (RFC 9126 §4, RFC 8252 §6).",
                    p.request_uri, p.expires_in
                ));
                let url =
                    AuthorizationRequest::by_reference(&self.config.client_id, &p.request_uri)
                        .url(&endpoint);
                self.open_browser(ctx, url);
            }
            None => {
                let err = ErrorBody::describe(resp);
                ctx.note(format!(
                    "{name}: the AS refused the pushed authorization request ({err}); the sign-in cannot start."
                ));
                self.last_error = Some(format!("pushed authorization request refused: {err}"));
            }
        }
    }
}
