//! The client assertion of `private_key_jwt` (RFC 7523 §2.2, §3; OIDC Core §9): a JWT
//! the client signs with its own key, whose `iss` and `sub` are its `client_id`, whose
//! `aud` names the authorization server, and whose `jti` makes it single-use.

use jsonwebtoken::Header;
use serde::Serialize;

use crate::protocol::ed25519_key::Ed25519Key;
use crate::protocol::secret::ClientAssertion;

/// `client_assertion_type` for a JWT (RFC 7523 §2.2).
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// The explicit type of a client assertion (draft-ietf-oauth-rfc7523bis).
pub const CLIENT_AUTHENTICATION_TYP: &str = "client-authentication+jwt";

/// The claims of a client assertion (RFC 7523 §3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssertionClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub jti: String,
    pub iat: u64,
    pub exp: u64,
}

impl AssertionClaims {
    /// The claims for `client_id` addressed to `aud`, issued at `iat` (seconds) and
    /// good for `lifetime` seconds.
    pub fn new(client_id: &str, aud: &str, jti: &str, iat: u64, lifetime: u64) -> Self {
        AssertionClaims {
            iss: client_id.to_string(),
            sub: client_id.to_string(),
            aud: aud.to_string(),
            jti: jti.to_string(),
            iat,
            exp: iat + lifetime,
        }
    }

    /// Signs the claims with EdDSA (`kid` = the key's thumbprint); `typed` sets `typ:
    /// client-authentication+jwt`, else the header carries the generic `typ: JWT`.
    pub fn sign(&self, key: &Ed25519Key, typed: bool) -> ClientAssertion {
        let mut header = Header {
            kid: Some(key.kid().to_string()),
            ..Header::default()
        };
        if typed {
            header.typ = Some(CLIENT_AUTHENTICATION_TYP.to_string());
        }
        ClientAssertion::new(key.sign(header, self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::ed25519_key::verify_eddsa;
    use crate::protocol::jwt::decode_unverified;

    #[test]
    fn an_assertion_carries_the_rfc_7523_claims_and_verifies_with_the_key() {
        let key = Ed25519Key::demo("photo-printer");
        let claims = AssertionClaims::new("photo-printer", "https://as.example", "j-1", 100, 60);
        let signed = claims.sign(&key, true);
        use crate::protocol::secret::Secret;
        let (header, body) = decode_unverified(signed.expose()).unwrap();
        assert_eq!(header["typ"], CLIENT_AUTHENTICATION_TYP);
        assert_eq!(header["alg"], "EdDSA");
        assert_eq!(header["kid"], key.kid());
        assert_eq!(body["iss"], "photo-printer");
        assert_eq!(body["sub"], "photo-printer");
        assert_eq!(body["aud"], "https://as.example");
        assert_eq!(body["exp"], 160);
        verify_eddsa::<serde_json::Value>(signed.expose(), key.jwk()).unwrap();
        let (untyped, _) = decode_unverified(claims.sign(&key, false).expose()).unwrap();
        assert_eq!(untyped["typ"], "JWT");
        assert!(!format!("{signed:?}").contains('.'));
    }
}
