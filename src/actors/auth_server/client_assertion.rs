//! `private_key_jwt` at the AS (RFC 7523 §2.2, §3; OIDC Core §9): the client proves who
//! it is with a JWT it signed with its own key. The AS checks the signature against the
//! key registered for the client, `iss` = `sub` = the client, `exp`, that the `jti` was
//! never used before, and the audience (docs/PROTOCOL.md item 34).
//!
//! The audience is where `strict-assertion-audience` bites. With it on, `aud` must be
//! this AS's issuer identifier as one string and the assertion must be explicitly typed
//! `client-authentication+jwt` (draft-ietf-oauth-rfc7523bis, written after the 2025
//! audience-injection research). With it off, the AS accepts what RFC 7523 §3 item 3 and
//! OIDC Core §9 allowed: any value that identifies it — its issuer or any of its
//! endpoint URLs — alone or in an array.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::AuthServer;
use super::client_auth::invalid_client;
use super::registrar::ClientRegistration;
use crate::actors::Ctx;
use crate::protocol::ed25519_key::verify_eddsa;
use crate::protocol::errors::{ErrorCode, OAuthError};
use crate::protocol::jwt::decode_unverified;
use crate::protocol::params::Params;
use crate::protocol::requests::{
    CLIENT_AUTHENTICATION_TYP as ASSERTION_TYP, JWT_BEARER as ASSERTION_TYPE,
};

/// The paths of this AS whose URLs a lax audience check accepts.
const ENDPOINT_PATHS: [&str; 4] = ["/token", "/par", "/revoke", "/introspect"];

/// The claims RFC 7523 §3 requires of a client assertion.
#[derive(Debug, Clone, Deserialize)]
struct AssertionClaims {
    iss: String,
    sub: String,
    aud: serde_json::Value,
    jti: String,
    exp: u64,
}

/// The `jti`s of assertions already accepted, per client, with their `exp` (Unix
/// seconds): a second use within the lifetime is a replay (RFC 7523 §3 item 7).
#[derive(Debug, Clone, Default)]
pub struct SeenAssertions {
    seen: BTreeMap<(String, String), u64>,
}

impl SeenAssertions {
    /// Records the `jti`; `false` if it was already used and has not expired.
    fn first_use(&mut self, client_id: &str, jti: &str, exp: u64, now: u64) -> bool {
        self.seen.retain(|_, until| now < *until);
        self.seen
            .insert((client_id.to_string(), jti.to_string()), exp)
            .is_none()
    }
}

impl AuthServer {
    /// Authenticates a request that carries `client_assertion` (RFC 7523 §2.2, §3).
    /// `Err` is `invalid_request` for a malformed request, `invalid_client` for an
    /// assertion that does not authenticate.
    pub(crate) fn authenticate_assertion(
        &mut self,
        ctx: &mut Ctx<'_>,
        params: &Params,
    ) -> Result<ClientRegistration, OAuthError> {
        let kind = params.single("client_assertion_type").ok().flatten();
        if kind != Some(ASSERTION_TYPE) {
            return Err(OAuthError::new(
                ErrorCode::InvalidRequest,
                format!("client_assertion_type must be {ASSERTION_TYPE} (RFC 7523 §2.2)"),
            ));
        }
        let Ok(Some(assertion)) = params.single("client_assertion") else {
            return Err(OAuthError::new(
                ErrorCode::InvalidRequest,
                "client_assertion is missing or repeated (RFC 7521 §4.2)",
            ));
        };
        let (_, unverified) = decode_unverified(assertion)
            .map_err(|e| invalid_client(format!("the client assertion is unreadable: {e}")))?;
        let sub = unverified
            .get("sub")
            .and_then(|s| s.as_str())
            .unwrap_or("")
            .to_string();
        if let Ok(Some(named)) = params.single("client_id")
            && named != sub
        {
            return Err(invalid_client(format!(
                "client_id {named} is not the assertion's sub {sub} (RFC 7523 §3)"
            )));
        }
        let Some(client) = self.registrar.get(&sub).cloned() else {
            return Err(invalid_client(format!(
                "the assertion's sub names no known client ({sub})"
            )));
        };
        let Some(key) = &client.assertion_key else {
            return Err(invalid_client(format!(
                "no key is registered for {sub}, so it cannot use private_key_jwt"
            )));
        };
        let verified = verify_eddsa::<AssertionClaims>(assertion, key).map_err(|e| {
            invalid_client(format!(
                "the assertion does not verify with the key registered for {sub}: {e}"
            ))
        })?;
        let claims = verified.claims;
        if claims.iss != claims.sub {
            return Err(invalid_client(format!(
                "the assertion's iss {} is not its sub {} (RFC 7523 §3 item 1)",
                claims.iss, claims.sub
            )));
        }
        let now = ctx.now.unix_secs();
        if now >= claims.exp {
            return Err(invalid_client(
                "the assertion has expired (RFC 7523 §3 item 4)",
            ));
        }
        let typ = verified.header.get("typ").and_then(|t| t.as_str());
        let accepted =
            self.audience_accepted(ctx.defenses.strict_assertion_audience, &claims.aud, typ)?;
        if !self
            .seen_assertions
            .first_use(&sub, &claims.jti, claims.exp, now)
        {
            return Err(invalid_client(format!(
                "the assertion with jti {} was already used (RFC 7523 §3 item 7)",
                super::short(&claims.jti)
            )));
        }
        ctx.note(format!(
            "AS: client {sub} authenticated with private_key_jwt: the EdDSA signature verifies with its registered key, iss = sub = {sub}, {accepted}, jti used for the first time, exp in {} s (RFC 7523 §3).",
            claims.exp - now
        ));
        Ok(client)
    }

    /// Checks the assertion's audience; `Ok` says why it was accepted.
    fn audience_accepted(
        &self,
        strict: bool,
        aud: &serde_json::Value,
        typ: Option<&str>,
    ) -> Result<String, OAuthError> {
        let issuer = self.issuer_url.as_str();
        if strict {
            if typ != Some(ASSERTION_TYP) {
                return Err(invalid_client(format!(
                    "the assertion's typ is {}, not {ASSERTION_TYP} (strict-assertion-audience)",
                    typ.map(|t| format!("{t:?}"))
                        .unwrap_or_else(|| "missing".into())
                )));
            }
            return match aud.as_str() {
                Some(a) if a == issuer => Ok(format!(
                    "aud is exactly the issuer {issuer}, typ {ASSERTION_TYP}"
                )),
                _ => Err(invalid_client(format!(
                    "the assertion's aud is {aud}, and strict-assertion-audience accepts only the issuer {issuer} as a single string"
                ))),
            };
        }
        let mine: Vec<String> = std::iter::once(issuer.to_string())
            .chain(ENDPOINT_PATHS.iter().map(|p| self.url(p)))
            .collect();
        let values: Vec<&str> = match aud {
            serde_json::Value::String(s) => vec![s.as_str()],
            serde_json::Value::Array(items) => items.iter().filter_map(|v| v.as_str()).collect(),
            _ => Vec::new(),
        };
        match values.iter().find(|v| mine.iter().any(|m| m == *v)) {
            Some(hit) => Ok(format!(
                "aud {aud} names {hit}, one of its own URLs (strict-assertion-audience off: any endpoint URL or an array is accepted)"
            )),
            None => Err(invalid_client(format!(
                "the assertion's aud {aud} names none of this AS's identifiers (RFC 7523 §3 item 3)"
            ))),
        }
    }
}
