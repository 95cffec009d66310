//! The authorization request (RFC 6749 §4.1.1), with PKCE (RFC 7636 §4.3), an OpenID
//! Connect nonce (OIDC Core §3.1.2.1) and a resource indicator (RFC 8707 §2).

use http::Method;

use super::RawParams;
use crate::protocol::http_wire::{self, Request};
use crate::protocol::params::{Params, append_query};
use crate::protocol::pkce::{self, ChallengeMethod};
use crate::protocol::secret::{CodeVerifier, Nonce, Secret, State};

/// The `response_type` of an authorization request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseType {
    /// The authorization code grant (RFC 6749 §4.1.1).
    Code,
    /// The implicit grant (RFC 6749 §4.2.1).
    Token,
    /// The OpenID Connect implicit flow returning an ID token and an access token
    /// (OIDC Core §3.2.2.1).
    IdTokenToken,
}

impl ResponseType {
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseType::Code => "code",
            ResponseType::Token => "token",
            ResponseType::IdTokenToken => "id_token token",
        }
    }
}

/// An authorization request under construction. Parameters appear in the order they
/// are added; `Debug` shows their names only.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthorizationRequest {
    query: Params,
}

impl AuthorizationRequest {
    /// `response_type`, `client_id` and `redirect_uri` (RFC 6749 §4.1.1, §3.1.2).
    pub fn new(response_type: ResponseType, client_id: &str, redirect_uri: &str) -> Self {
        let mut query = Params::default();
        query.push("response_type", response_type.as_str());
        query.push("client_id", client_id);
        query.push("redirect_uri", redirect_uri);
        AuthorizationRequest { query }
    }

    /// Starts from raw parameters, e.g. a captured request to rewrite.
    pub fn from_params(query: Params) -> Self {
        AuthorizationRequest { query }
    }

    /// `scope`: space-delimited scope values (RFC 6749 §3.3).
    pub fn scope(self, scope: &str) -> Self {
        self.param("scope", scope)
    }

    /// `resource`: the protected resource the token is meant for (RFC 8707 §2);
    /// `None` adds nothing.
    pub fn resource<'a>(self, resource: impl Into<Option<&'a str>>) -> Self {
        match resource.into() {
            Some(r) => self.param("resource", r),
            None => self,
        }
    }

    /// `state`, binding the response to the user agent's session (RFC 6749 §4.1.1,
    /// §10.12); `None` adds nothing.
    pub fn state<'a>(self, state: impl Into<Option<&'a State>>) -> Self {
        match state.into() {
            Some(s) => self.param("state", s.expose()),
            None => self,
        }
    }

    /// `nonce`, binding the ID token to this request (OIDC Core §3.1.2.1); `None` adds
    /// nothing.
    pub fn nonce<'a>(self, nonce: impl Into<Option<&'a Nonce>>) -> Self {
        match nonce.into() {
            Some(n) => self.param("nonce", n.expose()),
            None => self,
        }
    }

    /// `max_age`: the longest time in seconds since the user last authenticated that the
    /// client accepts (OIDC Core §3.1.2.1); `None` adds nothing.
    pub fn max_age(self, max_age: impl Into<Option<u64>>) -> Self {
        match max_age.into() {
            Some(m) => self.param("max_age", &m.to_string()),
            None => self,
        }
    }

    /// `code_challenge` derived from `verifier` with `method`, and
    /// `code_challenge_method` (RFC 7636 §4.2, §4.3).
    pub fn pkce_challenge(self, verifier: &CodeVerifier, method: ChallengeMethod) -> Self {
        self.param("code_challenge", &pkce::challenge(verifier, method))
            .param("code_challenge_method", method.as_str())
    }

    /// The parameters as they stand.
    pub fn query(&self) -> &Params {
        &self.query
    }

    /// The authorization endpoint URL with the request in its query; a query already in
    /// `endpoint` is kept (RFC 6749 §3.1).
    pub fn url(&self, endpoint: &str) -> String {
        append_query(endpoint, &self.query)
    }

    /// The request a user agent sends when it opens [`Self::url`].
    pub fn to_request(&self, endpoint: &str) -> Request {
        http_wire::request(Method::GET, &self.url(endpoint))
    }
}

raw_params_builder!(AuthorizationRequest, query);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_the_shape_of_the_rfc_6749_4_1_1_example() {
        // RFC 6749 §4.1.1: GET /authorize?response_type=code&client_id=s6BhdRkqt3
        // &state=xyz&redirect_uri=https%3A%2F%2Fclient%2Eexample%2Ecom%2Fcb
        let req = AuthorizationRequest::new(
            ResponseType::Code,
            "s6BhdRkqt3",
            "https://client.example.com/cb",
        )
        .state(&State::new("xyz"));
        assert_eq!(
            req.url("https://server.example.com/authorize"),
            "https://server.example.com/authorize?response_type=code&client_id=s6BhdRkqt3\
             &redirect_uri=https%3A%2F%2Fclient.example.com%2Fcb&state=xyz"
        );
        let wire =
            http_wire::render_request(&req.to_request("https://server.example.com/authorize"));
        assert!(
            wire.starts_with("GET /authorize?response_type=code&client_id=s6BhdRkqt3&")
                && wire.contains("\r\nHost: server.example.com\r\n"),
            "{wire}"
        );
    }

    #[test]
    fn carries_pkce_nonce_max_age_resource_and_scope_in_call_order() {
        // RFC 7636 Appendix B: this verifier has this S256 challenge.
        let verifier = CodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        let req = AuthorizationRequest::new(ResponseType::Code, "c", "https://c.example/cb")
            .scope("openid photos.read")
            .resource("https://rs.example/")
            .state(None)
            .nonce(&Nonce::new("n-0S6"))
            .max_age(600)
            .max_age(None)
            .pkce_challenge(&verifier, ChallengeMethod::S256);
        let names: Vec<&str> = req.query().iter().map(|(k, _)| k).collect();
        assert_eq!(
            names,
            [
                "response_type",
                "client_id",
                "redirect_uri",
                "scope",
                "resource",
                "nonce",
                "max_age",
                "code_challenge",
                "code_challenge_method"
            ]
        );
        let q = req.query();
        assert_eq!(q.first("scope"), Some("openid photos.read"));
        assert_eq!(q.first("max_age"), Some("600"));
        assert_eq!(
            q.first("code_challenge"),
            Some("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
        );
        assert_eq!(q.first("code_challenge_method"), Some("S256"));
        let plain = AuthorizationRequest::new(ResponseType::Code, "c", "https://c.example/cb")
            .pkce_challenge(&verifier, ChallengeMethod::Plain);
        assert_eq!(
            plain.query().first("code_challenge"),
            Some(verifier.expose())
        );
    }

    #[test]
    fn implicit_response_types_and_an_existing_query_are_kept() {
        let req = AuthorizationRequest::new(ResponseType::IdTokenToken, "c", "https://c.example/i");
        assert_eq!(
            req.url("https://as.example/authorize?tenant=1"),
            "https://as.example/authorize?tenant=1&response_type=id_token+token&client_id=c\
             &redirect_uri=https%3A%2F%2Fc.example%2Fi"
        );
        assert_eq!(ResponseType::Token.as_str(), "token");
    }

    #[test]
    fn raw_params_make_malformed_requests_possible() {
        let verifier = CodeVerifier::new("v".repeat(43));
        let req = AuthorizationRequest::new(ResponseType::Code, "c", "https://c.example/cb")
            .pkce_challenge(&verifier, ChallengeMethod::S256)
            .state(&State::new("s"))
            .without("code_challenge")
            .without("code_challenge_method")
            .replace("redirect_uri", "https://c.example/cb/../evil")
            .param("client_id", "twice");
        assert_eq!(
            req.query().encode(),
            "response_type=code&client_id=c&redirect_uri=https%3A%2F%2Fc.example%2Fcb%2F..%2Fevil\
             &state=s&client_id=twice"
        );
        let rebuilt = AuthorizationRequest::from_params(Params::parse("a=1")).replace("b", "2");
        assert_eq!(rebuilt.query().encode(), "a=1&b=2");
    }

    #[test]
    fn debug_shows_names_but_not_values() {
        let req = AuthorizationRequest::new(ResponseType::Code, "c", "https://c.example/cb")
            .state(&State::new("secret-state"));
        let shown = format!("{req:?}");
        assert!(shown.contains("\"state\""), "{shown}");
        assert!(!shown.contains("secret-state"), "{shown}");
    }
}
