//! JWK thumbprints (RFC 7638): the SHA-256 of a key's required members, as JSON with
//! the members in lexicographic order and no whitespace (§3), base64url-encoded. DPoP
//! binds tokens to the thumbprint of the proof key (`cnf.jkt`, RFC 9449 §6.1).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The members RFC 7638 §3.2 requires for each key type, already in lexicographic
/// order (RFC 7518 §6.2.1 for EC, §6.3.1 for RSA, §6.4.1 for oct; RFC 8037 §2 for OKP).
fn required_members(kty: &str) -> Option<&'static [&'static str]> {
    match kty {
        "EC" => Some(&["crv", "kty", "x", "y"]),
        "RSA" => Some(&["e", "kty", "n"]),
        "OKP" => Some(&["crv", "kty", "x"]),
        "oct" => Some(&["k", "kty"]),
        _ => None,
    }
}

/// The JSON the thumbprint hashes (RFC 7638 §3.1): the required members only, in
/// lexicographic order, no whitespace. `Err` says why there is none.
pub fn thumbprint_input(jwk: &Value) -> Result<String, String> {
    let kty = jwk
        .get("kty")
        .and_then(Value::as_str)
        .ok_or("the JWK has no kty")?;
    let members = required_members(kty).ok_or_else(|| {
        format!(
            "the key type {:?} is not one RFC 7638 §3.2 lists",
            kty.chars().take(20).collect::<String>()
        )
    })?;
    let mut parts = Vec::with_capacity(members.len());
    for m in members {
        let value = jwk
            .get(*m)
            .and_then(Value::as_str)
            .ok_or_else(|| format!("the {kty} JWK has no {m}"))?;
        // serde_json writes a string with the escaping RFC 7638 §3.3 asks for.
        let quoted = serde_json::to_string(value).map_err(|e| e.to_string())?;
        parts.push(format!("\"{m}\":{quoted}"));
    }
    Ok(format!("{{{}}}", parts.join(",")))
}

/// The RFC 7638 SHA-256 thumbprint of a public JWK, base64url without padding.
pub fn jwk_thumbprint(jwk: &Value) -> Result<String, String> {
    let input = thumbprint_input(jwk)?;
    Ok(URL_SAFE_NO_PAD.encode(Sha256::digest(input.as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7638 §3.1: the example RSA key, its hash input and its thumbprint.
    #[test]
    fn the_rfc_7638_example_key_has_the_rfc_thumbprint() {
        let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        let jwk = serde_json::json!({
            "kty": "RSA", "n": n, "e": "AQAB", "alg": "RS256", "kid": "2011-04-29"
        });
        assert_eq!(
            thumbprint_input(&jwk).unwrap(),
            format!("{{\"e\":\"AQAB\",\"kty\":\"RSA\",\"n\":\"{n}\"}}")
        );
        assert_eq!(
            jwk_thumbprint(&jwk).unwrap(),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    /// RFC 9449 §6.1: the `jkt` of the example proof key of §4.1 (a P-256 key whose
    /// members are written in another order — the thumbprint sorts them).
    #[test]
    fn the_rfc_9449_example_key_has_the_rfc_jkt() {
        let jwk = serde_json::json!({
            "kty": "EC",
            "x": "l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs",
            "y": "9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA",
            "crv": "P-256"
        });
        assert_eq!(
            jwk_thumbprint(&jwk).unwrap(),
            "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"
        );
    }

    #[test]
    fn optional_members_do_not_change_it_and_missing_ones_are_refused() {
        let okp = serde_json::json!({"kty": "OKP", "crv": "Ed25519", "x": "abc"});
        let with_extras =
            serde_json::json!({"x": "abc", "use": "sig", "kty": "OKP", "crv": "Ed25519"});
        assert_eq!(
            jwk_thumbprint(&okp).unwrap(),
            jwk_thumbprint(&with_extras).unwrap()
        );
        assert_eq!(
            thumbprint_input(&okp).unwrap(),
            "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"abc\"}"
        );
        for bad in [
            serde_json::json!({"kty": "OKP", "crv": "Ed25519"}),
            serde_json::json!({"kty": "XYZ"}),
            serde_json::json!({"x": "abc"}),
            serde_json::json!([1]),
        ] {
            assert!(jwk_thumbprint(&bad).is_err(), "{bad}");
        }
    }
}
