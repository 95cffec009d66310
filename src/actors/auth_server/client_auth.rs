//! Client authentication at the token, PAR, revocation and introspection endpoints
//! (RFC 6749 §2.3.1, §3.2.1): `client_secret_basic`, `client_secret_post`,
//! `private_key_jwt` (in [`super::client_assertion`]), or just a `client_id` for a
//! public client. Secrets are compared in constant time.

use base64::Engine;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use super::AuthServer;
use super::registrar::ClientRegistration;
use crate::actors::Ctx;
use crate::protocol::errors::{ErrorCode, OAuthError};
use crate::protocol::http_wire::Request;
use crate::protocol::params::Params;

/// Standard base64, padding optional (RFC 7617 §2 uses padded base64; some clients
/// drop the padding).
const BASE64_LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// How the client authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    /// RFC 6749 §2.3.1, HTTP Basic.
    ClientSecretBasic,
    /// RFC 6749 §2.3.1, credentials in the body.
    ClientSecretPost,
    /// A public client identified by `client_id` only (RFC 6749 §3.2.1).
    None,
    /// A JWT signed with the client's key (RFC 7523 §2.2, OIDC Core §9).
    PrivateKeyJwt,
}

impl AuthMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMethod::ClientSecretBasic => "client_secret_basic",
            AuthMethod::ClientSecretPost => "client_secret_post",
            AuthMethod::None => "none (public client)",
            AuthMethod::PrivateKeyJwt => "private_key_jwt",
        }
    }
}

/// Decodes one `application/x-www-form-urlencoded` component (RFC 6749 §2.3.1 says the
/// id and secret are form-encoded before Basic encoding). `None` if malformed.
pub fn form_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes.get(i).copied() {
            Some(b'+') => {
                out.push(b' ');
                i += 1;
            }
            Some(b'%') => {
                let hex = s.get(i + 1..i + 3)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            Some(b) => {
                out.push(b);
                i += 1;
            }
            None => break,
        }
    }
    String::from_utf8(out).ok()
}

/// Parses an `Authorization: Basic …` value into (client_id, client_secret)
/// (RFC 7617 §2, RFC 6749 §2.3.1). `Err` says why it is broken.
pub fn parse_basic(value: &str) -> Result<(String, String), String> {
    let value = value.trim();
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(format!(
            "the Authorization scheme must be Basic, not {}",
            scheme.chars().take(20).collect::<String>()
        ));
    }
    let decoded = BASE64_LENIENT
        .decode(rest.trim())
        .map_err(|_| "the Basic credentials are not valid base64".to_string())?;
    let text = String::from_utf8(decoded)
        .map_err(|_| "the Basic credentials are not UTF-8".to_string())?;
    let (id, secret) = text
        .split_once(':')
        .ok_or_else(|| "the Basic credentials have no ':' between id and secret".to_string())?;
    let id =
        form_decode(id).ok_or_else(|| "the client_id in Basic is badly encoded".to_string())?;
    let secret = form_decode(secret)
        .ok_or_else(|| "the client_secret in Basic is badly encoded".to_string())?;
    if id.is_empty() {
        return Err("the Basic credentials have an empty client_id".into());
    }
    Ok((id, secret))
}

pub(super) fn invalid_client(why: impl Into<String>) -> OAuthError {
    OAuthError::new(ErrorCode::InvalidClient, why)
}

impl AuthServer {
    /// Authenticates the client of a back-channel request (docs/PROTOCOL.md item 15).
    /// `Err` is `invalid_client` (401) or `invalid_request` (400).
    pub(crate) fn authenticate_client(
        &mut self,
        ctx: &mut Ctx<'_>,
        req: &Request,
        params: &Params,
    ) -> Result<(ClientRegistration, AuthMethod), OAuthError> {
        let body_id = params.single("client_id").ok().flatten();
        let body_secret = params.single("client_secret").ok().flatten();
        let authz: Vec<_> = req.headers().get_all("authorization").iter().collect();
        if params.contains("client_assertion") || params.contains("client_assertion_type") {
            if !authz.is_empty() || body_secret.is_some() {
                return Err(OAuthError::new(
                    ErrorCode::InvalidRequest,
                    "use one client authentication method, not a client assertion and a secret together (RFC 6749 §2.3)",
                ));
            }
            let client = self.authenticate_assertion(ctx, params)?;
            return Ok((client, AuthMethod::PrivateKeyJwt));
        }
        if authz.len() > 1 {
            return Err(OAuthError::new(
                ErrorCode::InvalidRequest,
                "more than one Authorization header",
            ));
        }
        let (client_id, secret, method) = if let Some(value) = authz.first() {
            let value = value
                .to_str()
                .map_err(|_| invalid_client("the Authorization header is not readable text"))?;
            let (id, secret) = parse_basic(value).map_err(invalid_client)?;
            if body_secret.is_some() {
                return Err(OAuthError::new(
                    ErrorCode::InvalidRequest,
                    "use one client authentication method, not Basic and client_secret together (RFC 6749 §2.3)",
                ));
            }
            if body_id.is_some_and(|b| b != id) {
                return Err(OAuthError::new(
                    ErrorCode::InvalidRequest,
                    "client_id in the body differs from the Basic credentials",
                ));
            }
            (id, Some(secret), AuthMethod::ClientSecretBasic)
        } else {
            let Some(id) = body_id else {
                return Err(invalid_client(
                    "no client authentication: send Basic credentials or client_id (RFC 6749 §3.2.1)",
                ));
            };
            match body_secret {
                Some(s) => (
                    id.to_string(),
                    Some(s.to_string()),
                    AuthMethod::ClientSecretPost,
                ),
                None => (id.to_string(), None, AuthMethod::None),
            }
        };
        let Some(client) = self.registrar.get(&client_id) else {
            return Err(invalid_client(format!("unknown client {client_id}")));
        };
        match (&secret, client.is_confidential()) {
            (Some(_), true) if ctx.defenses.private_key_jwt && client.assertion_key.is_some() => {
                return Err(invalid_client(format!(
                    "{client_id} authenticates with private_key_jwt; its secret is not accepted (private-key-jwt)"
                )));
            }
            (Some(s), true) => {
                if !client.secret_matches(s) {
                    return Err(invalid_client(format!(
                        "wrong client secret for {client_id}"
                    )));
                }
                ctx.note(format!(
                    "AS: client {client_id} authenticated with {} (secret compared in constant time).",
                    method.as_str()
                ));
            }
            (None, true) => {
                return Err(invalid_client(format!(
                    "{client_id} is a confidential client and must authenticate (RFC 6749 §3.2.1)"
                )));
            }
            (Some(_), false) => {
                return Err(invalid_client(format!(
                    "{client_id} is a public client and has no secret"
                )));
            }
            (None, false) => {
                ctx.note(format!(
                    "AS: {client_id} is a public client: identified by client_id only, not authenticated (RFC 6749 §2.1)."
                ));
            }
        }
        Ok((client.clone(), method))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_base64_then_form_decoded() {
        // "my id:s%3Acret" → id "my id", secret "s:cret"
        let v = format!("Basic {}", BASE64_LENIENT.encode("my+id:s%3Acret"));
        assert_eq!(
            parse_basic(&v),
            Ok(("my id".to_string(), "s:cret".to_string()))
        );
        let unpadded = format!(
            "basic {}",
            base64::engine::general_purpose::STANDARD_NO_PAD.encode("a:b")
        );
        assert_eq!(parse_basic(&unpadded), Ok(("a".into(), "b".into())));
        for bad in [
            "Basic",
            "Basic !!!",
            "Bearer abc",
            "Basic YWJj",     // "abc": no colon
            "Basic OmI=",     // ":b": empty id
            "Basic YSUyOmI=", // "a%2:b": bad percent
            "",
        ] {
            assert!(parse_basic(bad).is_err(), "{bad}");
        }
        assert_eq!(form_decode("%zz"), None);
        assert_eq!(form_decode("%e2%82%ac").as_deref(), Some("€"));
        assert_eq!(form_decode("%ff"), None);
    }
}
