//! `GET /.well-known/oauth-authorization-server` (RFC 8414 §3),
//! `GET /.well-known/openid-configuration` (OIDC Discovery §4) and `GET /jwks`
//! (RFC 7517 §5).

use http::StatusCode;

use super::AuthServer;
use crate::actors::Ctx;
use crate::protocol::dpop::PROOF_ALGORITHMS;
use crate::protocol::errors::json_response;
use crate::protocol::http_wire::Response;
use crate::protocol::metadata::ServerMetadata;

impl AuthServer {
    /// The metadata document under the current defenses: `plain` is listed in
    /// `code_challenge_methods_supported` only when the AS accepts it, and
    /// `authorization_response_iss_parameter_supported` mirrors `iss_parameter`
    /// (RFC 9207 §3); `token` and `implicit` are listed only with `no-implicit-grant`
    /// off (RFC 8414 §2); `dpop_signing_alg_values_supported` is there only with
    /// `dpop` on (RFC 9449 §5.1).
    pub fn metadata(&self, defenses: &crate::actors::Defenses) -> ServerMetadata {
        let mut scopes: Vec<String> = vec!["openid".into(), "profile".into()];
        for s in self.tokens.resource_scopes() {
            if !scopes.iter().any(|x| x == s) {
                scopes.push(s.to_string());
            }
        }
        let mut methods = vec!["S256".to_string()];
        if !defenses.reject_pkce_plain {
            methods.push("plain".into());
        }
        ServerMetadata {
            issuer: self.issuer_url.clone(),
            authorization_endpoint: self.url("/authorize"),
            token_endpoint: self.url("/token"),
            jwks_uri: self.url("/jwks"),
            revocation_endpoint: Some(self.url("/revoke")),
            introspection_endpoint: Some(self.url("/introspect")),
            registration_endpoint: self.dynamic_registration.then(|| self.url("/register")),
            scopes_supported: scopes,
            response_types_supported: names(if defenses.no_implicit_grant {
                &["code"]
            } else {
                &["code", "token"]
            }),
            grant_types_supported: names(if defenses.no_implicit_grant {
                &["authorization_code", "refresh_token"]
            } else {
                &["authorization_code", "refresh_token", "implicit"]
            }),
            token_endpoint_auth_methods_supported: names(if defenses.private_key_jwt {
                &["private_key_jwt", "none"]
            } else {
                &["client_secret_basic", "client_secret_post", "none"]
            }),
            code_challenge_methods_supported: methods,
            authorization_response_iss_parameter_supported: defenses.iss_parameter,
            subject_types_supported: vec!["public".into()],
            id_token_signing_alg_values_supported: vec!["RS256".into()],
            pushed_authorization_request_endpoint: defenses.par_required.then(|| self.url("/par")),
            require_pushed_authorization_requests: defenses.par_required,
            dpop_signing_alg_values_supported: if defenses.dpop {
                PROOF_ALGORITHMS.iter().map(|a| a.to_string()).collect()
            } else {
                Vec::new()
            },
        }
    }

    pub(crate) fn handle_metadata(&mut self, ctx: &mut Ctx<'_>, path: &str) -> Response {
        let meta = self.metadata(ctx.defenses);
        ctx.note(format!(
            "AS: served its metadata at {path} (RFC 8414): issuer {}, endpoints, PKCE methods {}, iss parameter {}.",
            meta.issuer,
            meta.code_challenge_methods_supported.join(", "),
            if meta.authorization_response_iss_parameter_supported {
                "supported (RFC 9207)"
            } else {
                "not sent"
            }
        ));
        json_response(
            StatusCode::OK,
            &serde_json::to_value(meta).unwrap_or_default(),
        )
    }

    pub(crate) fn handle_jwks(&mut self, ctx: &mut Ctx<'_>) -> Response {
        ctx.note(format!(
            "AS: served its public signing key (JWKS, kid {}); resource servers and clients verify RS256 signatures with it.",
            self.tokens.key().kid()
        ));
        json_response(
            StatusCode::OK,
            &serde_json::to_value(self.tokens.jwks()).unwrap_or_default(),
        )
    }
}

/// A metadata list of names (RFC 8414 §2).
fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|n| n.to_string()).collect()
}
