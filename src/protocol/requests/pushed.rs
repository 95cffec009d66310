//! Pushed authorization requests (RFC 9126): the authorization request sent on the back
//! channel to the PAR endpoint, authenticated like a token request (§2.1), and the short
//! front-channel request that names it by `request_uri` (§4).

use http::{Method, StatusCode};
use serde::Deserialize;

use super::{AuthorizationRequest, ClientAuth, RawParams};
use crate::protocol::http_wire::{self, Request};
use crate::protocol::params::Params;

/// The success answer of a PAR endpoint (RFC 9126 §2.2).
#[derive(Debug, Deserialize)]
pub struct PushedResponse {
    pub request_uri: String,
    pub expires_in: u64,
}

impl PushedResponse {
    /// The answer read from `resp`: `None` unless it is a `201 Created` whose body holds
    /// `request_uri` and `expires_in` (RFC 9126 §2.2).
    pub fn read(resp: &http_wire::Response) -> Option<Self> {
        (resp.status() == StatusCode::CREATED)
            .then(|| serde_json::from_slice(resp.body()).ok())
            .flatten()
    }
}

impl AuthorizationRequest {
    /// `POST endpoint` with the request's parameters as a form body, plus the client's
    /// authentication (RFC 9126 §2.1).
    pub fn push_to(&self, endpoint: &str, auth: &ClientAuth) -> Request {
        let mut form = self.query().clone();
        auth.push_body_params(&mut form);
        form.0.retain({
            let mut seen_id = false;
            move |(k, _)| {
                // `ClientAuth::None` and `Body` add client_id; the request already has it.
                let repeat = k == "client_id" && seen_id;
                seen_id |= k == "client_id";
                !repeat
            }
        });
        let mut req = http_wire::request(Method::POST, endpoint);
        auth.set_headers(&mut req);
        http_wire::set_form_body(&mut req, &form);
        req
    }

    /// The authorization request that names a pushed one: `client_id` and
    /// `request_uri` only (RFC 9126 §4).
    pub fn by_reference(client_id: &str, request_uri: &str) -> Self {
        Self::from_params(Params::default())
            .param("client_id", client_id)
            .param("request_uri", request_uri)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::requests::ResponseType;

    #[test]
    fn a_pushed_request_is_the_query_as_a_form_with_client_authentication() {
        // RFC 9126 §2.1's example, with Basic authentication.
        let req = AuthorizationRequest::new(
            ResponseType::Code,
            "s6BhdRkqt3",
            "https://client.example.org/cb",
        )
        .scope("ais")
        .push_to(
            "https://as.example.com/as/par",
            &ClientAuth::basic("s6BhdRkqt3", "7Fjfp0ZBr1KtDRbnfVdmIw"),
        );
        let wire = http_wire::render_request(&req);
        assert!(wire.starts_with("POST /as/par HTTP/1.1\r\n"), "{wire}");
        assert!(
            wire.contains("Authorization: Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3\r\n"),
            "{wire}"
        );
        assert!(wire.ends_with(
            "\r\n\r\nresponse_type=code&client_id=s6BhdRkqt3&redirect_uri=https%3A%2F%2Fclient.example.org%2Fcb&scope=ais"
        ), "{wire}");
        let public = AuthorizationRequest::new(ResponseType::Code, "app", "https://a.example/cb")
            .push_to("https://as.example/par", &ClientAuth::public("app"));
        let body = http_wire::body_text(public.body());
        assert_eq!(body.matches("client_id=").count(), 1, "{body}");
    }

    #[test]
    fn the_front_channel_request_names_only_client_and_request_uri() {
        // RFC 9126 §4's example.
        let url = AuthorizationRequest::by_reference(
            "s6BhdRkqt3",
            "urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c",
        )
        .url("https://as.example.com/authorize");
        assert_eq!(
            url,
            "https://as.example.com/authorize?client_id=s6BhdRkqt3&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3A6esc_11ACC5bwc014ltc14eY22c"
        );
    }
}
