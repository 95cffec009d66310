//! OAuth 2.0 error codes and error responses.
//!
//! Authorization endpoint errors: RFC 6749 §4.1.2.1. Token endpoint errors: RFC 6749
//! §5.2. Bearer token errors at the resource server: RFC 6750 §3.1.

use http::StatusCode;
use serde::{Deserialize, Serialize};

use super::http_wire::{Response, response, set_header};

/// An OAuth 2.0 `error` code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// RFC 6749 §4.1.2.1 and §5.2: a required parameter is missing, repeated or malformed.
    InvalidRequest,
    /// RFC 6749 §5.2: client authentication failed.
    InvalidClient,
    /// RFC 6749 §5.2: the code or refresh token is invalid, expired, revoked, or does
    /// not match the redirect URI or the client.
    InvalidGrant,
    /// RFC 6749 §4.1.2.1 and §5.2: the client may not use this grant or response type.
    UnauthorizedClient,
    /// RFC 6749 §5.2: the grant type is not supported.
    UnsupportedGrantType,
    /// RFC 6749 §4.1.2.1: the response type is not supported.
    UnsupportedResponseType,
    /// RFC 6749 §4.1.2.1 and §5.2: the scope is invalid, unknown, or exceeds the grant.
    InvalidScope,
    /// RFC 6749 §4.1.2.1: the resource owner or the AS denied the request.
    AccessDenied,
    /// RFC 6749 §4.1.2.1: an unexpected condition.
    ServerError,
    /// RFC 6749 §4.1.2.1: temporarily unavailable.
    TemporarilyUnavailable,
    /// RFC 6750 §3.1: the access token is expired, revoked, malformed or invalid.
    InvalidToken,
    /// RFC 6750 §3.1: the token lacks the scope the request needs.
    InsufficientScope,
    /// RFC 7009 §2.2.1: the AS does not support revoking this token type.
    UnsupportedTokenType,
    /// RFC 8707 §2: the requested resource is invalid, unknown, or malformed.
    InvalidTarget,
    /// RFC 9449 §5, §7.1: the DPoP proof is missing, invalid, replayed, or made with
    /// another key than the token is bound to.
    InvalidDpopProof,
    /// RFC 9449 §8, §9: the server wants its nonce in the DPoP proof.
    UseDpopNonce,
}

impl ErrorCode {
    /// The code as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::InvalidClient => "invalid_client",
            ErrorCode::InvalidGrant => "invalid_grant",
            ErrorCode::UnauthorizedClient => "unauthorized_client",
            ErrorCode::UnsupportedGrantType => "unsupported_grant_type",
            ErrorCode::UnsupportedResponseType => "unsupported_response_type",
            ErrorCode::InvalidScope => "invalid_scope",
            ErrorCode::AccessDenied => "access_denied",
            ErrorCode::ServerError => "server_error",
            ErrorCode::TemporarilyUnavailable => "temporarily_unavailable",
            ErrorCode::InvalidToken => "invalid_token",
            ErrorCode::InsufficientScope => "insufficient_scope",
            ErrorCode::UnsupportedTokenType => "unsupported_token_type",
            ErrorCode::InvalidTarget => "invalid_target",
            ErrorCode::InvalidDpopProof => "invalid_dpop_proof",
            ErrorCode::UseDpopNonce => "use_dpop_nonce",
        }
    }

    /// Parses a wire code.
    pub fn parse(s: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error with its human-readable description (ASCII, RFC 6749 §5.2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {description}")]
pub struct OAuthError {
    pub code: ErrorCode,
    pub description: String,
}

impl OAuthError {
    pub fn new(code: ErrorCode, description: impl Into<String>) -> Self {
        let description: String = description.into().replace('§', "section ");
        // RFC 6749 §5.2: error_description is limited to %x20-21 / %x23-5B / %x5D-7E.
        let description = description
            .chars()
            .map(|c| {
                if c.is_ascii() && !c.is_ascii_control() && c != '"' && c != '\\' {
                    c
                } else {
                    '\''
                }
            })
            .collect();
        OAuthError { code, description }
    }

    /// The token endpoint's JSON error response (RFC 6749 §5.2): 400, or 401 for
    /// `invalid_client`, which carries `WWW-Authenticate: Basic` when the client tried
    /// Basic authentication.
    pub fn token_response(&self, basic_attempted: bool) -> Response {
        self.token_response_in_realm(basic_attempted.then_some("as.example"))
    }

    /// Like [`OAuthError::token_response`], with the realm of the challenge named by the
    /// caller: for `invalid_client` and `Some(realm)`, the 401 carries
    /// `WWW-Authenticate: Basic realm="{realm}"` (RFC 6749 §5.2, RFC 7617 §2).
    pub fn token_response_in_realm(&self, realm: Option<&str>) -> Response {
        let status = if self.code == ErrorCode::InvalidClient {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::BAD_REQUEST
        };
        let body = serde_json::json!({
            "error": self.code.as_str(),
            "error_description": self.description,
        });
        let mut resp = json_response(status, &body);
        if self.code == ErrorCode::InvalidClient
            && let Some(realm) = realm
        {
            let realm: String = realm
                .chars()
                .filter(|c| c.is_ascii_graphic() && *c != '"' && *c != '\\')
                .collect();
            set_header(
                resp.headers_mut(),
                "www-authenticate",
                &format!("Basic realm=\"{realm}\""),
            );
        }
        resp
    }
}

/// A JSON response with `Cache-Control: no-store` (RFC 6749 §5.1).
pub fn json_response(status: StatusCode, body: &serde_json::Value) -> Response {
    let mut resp = response(status);
    set_header(resp.headers_mut(), "content-type", "application/json");
    set_header(resp.headers_mut(), "cache-control", "no-store");
    *resp.body_mut() = serde_json::to_vec_pretty(body).unwrap_or_default();
    resp
}

/// The JSON error object a client reads from a token endpoint response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
}

impl ErrorBody {
    /// A short description of an error response, for notes and pages: `error
    /// (error_description)` from an RFC 6749 §5.2 body, else the HTTP status.
    pub fn describe(resp: &Response) -> String {
        match serde_json::from_slice::<ErrorBody>(resp.body()) {
            Ok(e) => match e.error_description {
                Some(d) => format!("{} ({d})", e.error),
                None => e.error,
            },
            Err(_) => format!("HTTP {}", resp.status().as_u16()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for code in [
            ErrorCode::InvalidGrant,
            ErrorCode::UnsupportedResponseType,
            ErrorCode::InsufficientScope,
        ] {
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
        }
        assert_eq!(ErrorCode::parse("nope"), None);
    }

    #[test]
    fn invalid_client_is_401_with_basic_challenge() {
        let r = OAuthError::new(ErrorCode::InvalidClient, "bad secret").token_response(true);
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert!(
            r.headers()
                .get("www-authenticate")
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("Basic")
        );
        let r = OAuthError::new(ErrorCode::InvalidGrant, "used \"twice\" é").token_response(false);
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let body: ErrorBody = serde_json::from_slice(r.body()).unwrap();
        assert_eq!(body.error_description.unwrap(), "used 'twice' '");
    }
}
