//! Authorization server metadata (RFC 8414 §2) and the OpenID Provider configuration
//! (OpenID Connect Discovery §3), served at `/.well-known/oauth-authorization-server`
//! and `/.well-known/openid-configuration`.

use serde::{Deserialize, Serialize};

/// RFC 8414 §2 metadata, with the RFC 9207 §3 flag and the OIDC fields the client uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerMetadata {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation_endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introspection_endpoint: Option<String>,
    /// The dynamic client registration endpoint (RFC 7591 §3, RFC 8414 §2), if offered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registration_endpoint: Option<String>,
    #[serde(default)]
    pub scopes_supported: Vec<String>,
    pub response_types_supported: Vec<String>,
    #[serde(default)]
    pub grant_types_supported: Vec<String>,
    #[serde(default)]
    pub token_endpoint_auth_methods_supported: Vec<String>,
    #[serde(default)]
    pub code_challenge_methods_supported: Vec<String>,
    /// RFC 9207 §3: the AS sends `iss` in authorization responses.
    #[serde(default)]
    pub authorization_response_iss_parameter_supported: bool,
    #[serde(default)]
    pub subject_types_supported: Vec<String>,
    #[serde(default)]
    pub id_token_signing_alg_values_supported: Vec<String>,
    /// RFC 9126 §5: where the client pushes its authorization requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pushed_authorization_request_endpoint: Option<String>,
    /// RFC 9126 §5: the AS takes authorization requests only through that endpoint.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub require_pushed_authorization_requests: bool,
    /// RFC 9449 §5.1: the algorithms the AS accepts for DPoP proofs; present only when
    /// the AS takes DPoP proofs at all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dpop_signing_alg_values_supported: Vec<String>,
}

/// Why a metadata response was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetadataRefusal {
    /// The status was not `200 OK` (RFC 8414 §3.2).
    Status(u16),
    /// The body is not a metadata document.
    Unreadable(String),
    /// The document names another issuer (RFC 8414 §3.3).
    OtherIssuer(String),
}

impl ServerMetadata {
    /// The PAR endpoint a client pushes to: when the AS requires pushing, or when the
    /// client's own setting (`client_pushes`) asks for it and the AS has one (RFC 9126 §5).
    pub fn push_endpoint(&self, client_pushes: bool) -> Option<String> {
        let endpoint = self.pushed_authorization_request_endpoint.clone()?;
        (self.require_pushed_authorization_requests || client_pushes).then_some(endpoint)
    }

    /// The metadata in `resp`, taken only from a `200 OK` whose `issuer` is
    /// `expected_issuer` (RFC 8414 §3.2, §3.3).
    pub fn read(
        resp: &crate::protocol::http_wire::Response,
        expected_issuer: &str,
    ) -> Result<ServerMetadata, MetadataRefusal> {
        if resp.status() != http::StatusCode::OK {
            return Err(MetadataRefusal::Status(resp.status().as_u16()));
        }
        match serde_json::from_slice::<ServerMetadata>(resp.body()) {
            Ok(m) if m.issuer == expected_issuer => Ok(m),
            Ok(m) => Err(MetadataRefusal::OtherIssuer(m.issuer)),
            Err(e) => Err(MetadataRefusal::Unreadable(e.to_string())),
        }
    }
}
