//! The checks a resource server makes on a JWT access token (RFC 9068 §4), each one
//! explained in a note. The defenses `alg_pinning` and `audience_check` relax exactly
//! the check they name.

use jsonwebtoken::jwk::JwkSet;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::config::RsConfig;
use crate::protocol::errors::{ErrorCode, OAuthError};
use crate::protocol::http_wire;
use crate::protocol::jwt::{self, ACCESS_TOKEN_TYP, JwtError};

/// What the RS learned from a token it accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptedToken {
    pub sub: String,
    pub client_id: String,
    pub jti: String,
    pub iss: String,
    pub aud: Vec<String>,
    pub scope: String,
    pub exp: u64,
    /// The `alg` of the token's header (`RS256`, or `none`/`HS256` when forged).
    pub alg: String,
    /// The DPoP key thumbprint the token is bound to (`cnf.jkt`, RFC 9449 §6.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jkt: Option<String>,
}

/// Which settings the checks run under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckSettings {
    pub alg_pinning: bool,
    pub audience_check: bool,
    pub now_unix: u64,
}

/// `typ` must be `at+jwt` or `application/at+jwt`, compared case-insensitively
/// (RFC 9068 §4, RFC 7515 §4.1.9).
pub fn typ_is_access_token(typ: &str) -> bool {
    let t = typ.trim().to_ascii_lowercase();
    t.strip_prefix("application/").unwrap_or(&t) == ACCESS_TOKEN_TYP
}

fn invalid(description: impl Into<String>) -> OAuthError {
    OAuthError::new(ErrorCode::InvalidToken, description)
}

fn short(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}

fn audiences(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

fn numeric_date(v: Option<&Value>) -> Option<u64> {
    let v = v?;
    v.as_u64()
        .or_else(|| v.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
}

/// Runs every check on `token`; pushes a sentence per check to `notes`.
pub fn check_token(
    token: &str,
    jwks: &JwkSet,
    config: &RsConfig,
    settings: CheckSettings,
    notes: &mut Vec<String>,
) -> Result<AcceptedToken, OAuthError> {
    let Ok((header, _)) = jwt::decode_unverified(token) else {
        notes.push("RS: the token is not a JWT (three base64url parts of JSON); rejected.".into());
        return Err(invalid("the access token is malformed"));
    };
    let alg = text_member(&header, "alg").to_string();
    let kid = header.get("kid").and_then(Value::as_str).map(short);
    // Whose keys these are: the issuer the RS trusts, by its host (`as.example`).
    let issuer = http_wire::parse_url(&config.trusted_issuer)
        .and_then(|u| u.host().map(str::to_string))
        .unwrap_or_else(|| config.trusted_issuer.clone());
    // 1. Signature.
    let verified = if settings.alg_pinning {
        jwt::verify_pinned::<Value>(token, jwks)
    } else {
        jwt::verify_trusting_header::<Value>(token, jwks)
    };
    let claims = match verified {
        Ok(v) => v.claims,
        Err(e) => {
            notes.push(match &e {
                JwtError::AlgorithmNotAllowed(a) if settings.alg_pinning => format!(
                    "RS: the header says alg {:?}, but the RS accepts RS256 only (alg pinning, RFC 8725 §3.1); rejected.",
                    short(a)
                ),
                JwtError::AlgorithmNotAllowed(a) | JwtError::NotEdDsa(a) => format!(
                    "RS: the header says alg {:?}, which this verifier does not know; rejected.",
                    short(a)
                ),
                JwtError::UnknownKey(k) => format!(
                    "RS: no key in {issuer}'s JWKS has kid {:?}; rejected.",
                    short(k)
                ),
                JwtError::BadSignature => format!(
                    "RS: the {} signature does not verify against {issuer}'s keys; rejected.",
                    short(&alg)
                ),
                JwtError::BadClaims(_) | JwtError::Malformed => {
                    "RS: the token's claims are not a JSON object; rejected.".to_string()
                }
            });
            return Err(invalid(match e {
                JwtError::AlgorithmNotAllowed(_) => {
                    "the token is not signed with RS256".to_string()
                }
                JwtError::UnknownKey(_) => "no key matches the token's kid".to_string(),
                JwtError::BadSignature => "the signature does not verify".to_string(),
                _ => "the access token is malformed".to_string(),
            }));
        }
    };
    let key = kid.clone().unwrap_or_else(|| "(no kid)".into());
    notes.push(match (alg.as_str(), settings.alg_pinning) {
        ("RS256", true) => {
            format!("RS: signature verifies against {issuer}'s key {key} (RS256 pinned).")
        }
        ("RS256", false) => format!(
            "RS: signature verifies against {issuer}'s key {key} (RS256, the header's choice: alg pinning is off)."
        ),
        ("none", _) => "RS: the header says alg none and, with alg pinning off, the RS lets the header choose: it checks no signature at all (RFC 8725 §2.1).".to_string(),
        ("HS256", _) => format!(
            "RS: the header says HS256 and, with alg pinning off, the RS checks an HMAC keyed with the bytes of {issuer}'s PUBLIC key {key} — which anyone can compute (algorithm confusion, RFC 8725 §2.1)."
        ),
        (other, _) => format!("RS: the {} signature verifies.", short(other)),
    });
    // 2. typ.
    let typ = text_member(&header, "typ");
    if !typ_is_access_token(typ) {
        notes.push(format!(
            "RS: typ is {:?}, not at+jwt: this is not an access token (an ID token, perhaps); rejected (RFC 9068 §4).",
            short(typ)
        ));
        return Err(invalid("the token is not a JWT access token (typ)"));
    }
    notes.push("RS: typ is at+jwt.".into());
    // 3. iss.
    let iss = text_member(&claims, "iss");
    if iss != config.trusted_issuer {
        notes.push(format!(
            "RS: iss is {:?}, not the issuer it trusts ({}); rejected.",
            short(iss),
            config.trusted_issuer
        ));
        return Err(invalid("the token is not from a trusted issuer"));
    }
    notes.push(format!("RS: iss is {iss} — trusted."));
    // 4. aud.
    let aud = audiences(claims.get("aud"));
    let mine = aud.iter().any(|a| a == &config.identifier);
    let aud_text = if aud.is_empty() {
        "(none)".to_string()
    } else {
        short(&aud.join(" "))
    };
    if mine {
        notes.push(format!("RS: aud is {aud_text} — mine."));
    } else if settings.audience_check {
        notes.push(format!(
            "RS: aud is {aud_text}, not {} — the token was issued for another resource server; rejected (RFC 9068 §4, RFC 9700 §4.10).",
            config.identifier
        ));
        return Err(invalid("the token is meant for another audience"));
    } else {
        notes.push(format!(
            "RS: aud is {aud_text}, not {}, but audience checking is off, so it does not look.",
            config.identifier
        ));
    }
    // 5. exp, against simulated time.
    let Some(exp) = numeric_date(claims.get("exp")) else {
        notes.push("RS: the token has no exp; rejected (RFC 9068 §2.2).".into());
        return Err(invalid("the token has no expiry"));
    };
    if settings.now_unix >= exp {
        notes.push(format!(
            "RS: exp {exp} has passed (now {}): the token expired {} s ago; rejected.",
            settings.now_unix,
            settings.now_unix - exp
        ));
        return Err(invalid("the access token expired"));
    }
    notes.push(format!(
        "RS: exp is {} s from now — not expired.",
        exp - settings.now_unix
    ));
    // Subject and client.
    let (sub, client_id) = (
        text_member(&claims, "sub"),
        text_member(&claims, "client_id"),
    );
    if sub.is_empty() || client_id.is_empty() {
        notes.push("RS: the token names no sub or no client_id; rejected (RFC 9068 §2.2).".into());
        return Err(invalid("the token lacks sub or client_id"));
    }
    let scope = text_member(&claims, "scope").to_string();
    Ok(AcceptedToken {
        sub: sub.to_string(),
        client_id: client_id.to_string(),
        jti: text_member(&claims, "jti").to_string(),
        iss: iss.to_string(),
        aud,
        scope,
        exp,
        alg,
        jkt: claims
            .get("cnf")
            .and_then(|c| c.get("jkt"))
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}

/// A string member of a JOSE header or claims set, or `""` when it is absent or not a
/// string.
fn text_member<'v>(object: &'v Value, name: &str) -> &'v str {
    object.get(name).and_then(Value::as_str).unwrap_or("")
}

/// Whether a space-separated scope string grants `needed` (RFC 6749 §3.3).
pub fn has_scope(scope: &str, needed: &str) -> bool {
    scope.split_ascii_whitespace().any(|s| s == needed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::jwt::{AccessTokenClaims, SigningKey};

    const NOW: u64 = 1_767_258_000;

    fn claims() -> AccessTokenClaims {
        AccessTokenClaims {
            iss: "https://as.example".into(),
            sub: "alice".into(),
            aud: "https://rs.example".into(),
            exp: NOW + 600,
            iat: NOW,
            jti: "j1".into(),
            client_id: "photo-printer".into(),
            scope: "openid photos.read".into(),
            cnf: None,
        }
    }

    fn run(token: &str, pin: bool, aud: bool) -> Result<AcceptedToken, OAuthError> {
        let jwks = jwt::jwks_of(&SigningKey::demo_as());
        let mut notes = Vec::new();
        let settings = CheckSettings {
            alg_pinning: pin,
            audience_check: aud,
            now_unix: NOW,
        };
        check_token(token, &jwks, &RsConfig::standard(), settings, &mut notes)
    }

    #[test]
    fn typ_variants() {
        for ok in [
            "at+jwt",
            "AT+JWT",
            "application/at+jwt",
            "Application/At+Jwt",
        ] {
            assert!(typ_is_access_token(ok), "{ok}");
        }
        for bad in ["JWT", "", "application/jwt", "at+jwt2"] {
            assert!(!typ_is_access_token(bad), "{bad}");
        }
    }

    #[test]
    fn a_good_token_passes_and_an_id_token_typ_does_not() {
        let key = SigningKey::demo_as();
        let t = run(&key.sign(ACCESS_TOKEN_TYP, &claims()), true, true).unwrap();
        assert_eq!(
            (t.sub.as_str(), t.client_id.as_str()),
            ("alice", "photo-printer")
        );
        assert!(has_scope(&t.scope, "photos.read"));
        assert!(run(&key.sign("JWT", &claims()), true, true).is_err());
        let mut c = claims();
        c.iss = "https://evil.example".into();
        assert!(run(&key.sign(ACCESS_TOKEN_TYP, &c), true, true).is_err());
    }

    #[test]
    fn garbage_never_panics() {
        for t in [
            "",
            ".",
            "..",
            "a.b.c",
            "eyJhbGciOiJub25lIn0.e30.",
            "eyJ9.eyJ9.x",
            "\u{0}.\u{1}.\u{2}",
        ] {
            for pin in [true, false] {
                assert!(run(t, pin, true).is_err(), "{t}");
            }
        }
        // alg none with pinning off but claims missing: rejected, not a panic.
        let t = jwt::forge_unsigned(ACCESS_TOKEN_TYP, &serde_json::json!({"iss": 5, "exp": "x"}));
        assert!(run(&t, false, false).is_err());
        let t = jwt::forge_unsigned(ACCESS_TOKEN_TYP, &serde_json::json!([1, 2]));
        assert!(run(&t, false, false).is_err());
    }
}
