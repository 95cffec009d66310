//! Proof Key for Code Exchange (RFC 7636).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::secret::{CodeVerifier, Secret};

/// A `code_challenge_method` (RFC 7636 §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChallengeMethod {
    /// `code_challenge = code_verifier`.
    #[serde(rename = "plain")]
    Plain,
    /// `code_challenge = BASE64URL(SHA256(ASCII(code_verifier)))`.
    #[serde(rename = "S256")]
    S256,
}

impl ChallengeMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            ChallengeMethod::Plain => "plain",
            ChallengeMethod::S256 => "S256",
        }
    }

    /// Parses a method name; RFC 7636 §4.3: absent means `plain`.
    pub fn parse(s: Option<&str>) -> Option<Self> {
        match s {
            None | Some("plain") => Some(ChallengeMethod::Plain),
            Some("S256") => Some(ChallengeMethod::S256),
            Some(_) => None,
        }
    }
}

/// Derives the challenge for a verifier (RFC 7636 §4.2).
pub fn challenge(verifier: &CodeVerifier, method: ChallengeMethod) -> String {
    match method {
        ChallengeMethod::Plain => verifier.expose().to_string(),
        ChallengeMethod::S256 => s256(verifier.expose()),
    }
}

/// `BASE64URL-ENCODE(SHA256(ASCII(input)))` (RFC 7636 §4.2).
pub fn s256(input: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(input.as_bytes()))
}

/// The SHA-256 digest of the verifier as lower-case hex, for the inspector's
/// step-by-step view.
pub fn sha256_hex(input: &str) -> String {
    Sha256::digest(input.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Builds a verifier from 32 random octets, base64url-encoded to 43 characters
/// (RFC 7636 §4.1).
pub fn verifier_from_bytes(bytes: &[u8; 32]) -> CodeVerifier {
    CodeVerifier::new(URL_SAFE_NO_PAD.encode(bytes))
}

/// Whether a verifier has the syntax of RFC 7636 §4.1: 43–128 characters of
/// `[A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"`.
pub fn verifier_is_well_formed(v: &str) -> bool {
    (43..=128).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// The AS's check at the token endpoint (RFC 7636 §4.6): recompute the challenge from
/// the verifier and compare it with the stored one, in constant time.
pub fn verify(verifier: &str, stored_challenge: &str, method: ChallengeMethod) -> bool {
    let computed = match method {
        ChallengeMethod::Plain => verifier.to_string(),
        ChallengeMethod::S256 => s256(verifier),
    };
    CodeVerifier::new(computed).ct_eq(stored_challenge)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7636 Appendix B.
    #[test]
    fn rfc7636_appendix_b_vector() {
        let bytes: [u8; 32] = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212,
            37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        let verifier = verifier_from_bytes(&bytes);
        assert_eq!(
            verifier.expose(),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
        assert_eq!(
            challenge(&verifier, ChallengeMethod::S256),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert!(verify(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            ChallengeMethod::S256
        ));
        assert!(!verify(
            "wrong",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            ChallengeMethod::S256
        ));
    }

    #[test]
    fn method_parsing_follows_rfc7636_4_3() {
        assert_eq!(ChallengeMethod::parse(None), Some(ChallengeMethod::Plain));
        assert_eq!(
            ChallengeMethod::parse(Some("S256")),
            Some(ChallengeMethod::S256)
        );
        assert_eq!(ChallengeMethod::parse(Some("s256")), None);
        assert!(verifier_is_well_formed(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        ));
        assert!(!verifier_is_well_formed("short"));
    }
}
