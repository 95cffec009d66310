//! DPoP proofs (RFC 9449): a client proves, request by request, that it holds the
//! private key a token is bound to. A proof is a JWT in the `DPoP` header (§4.1) with
//! `typ: dpop+jwt`, the public key in its `jwk` header, and the claims `jti`, `htm`,
//! `htu`, `iat` — plus `ath` next to an access token (§4.2) and `nonce` when a server
//! asked for one (§8, §9).
//!
//! Keys here are Ed25519 (RFC 8037), whose signatures are deterministic (RFC 8032
//! §5.1.6), so a world's trace stays byte-identical for a seed; the verifier also takes
//! ES256 and RS256 proofs (the RFC's own examples are ES256). Signing and verifying go
//! through `jsonwebtoken` (backend `aws_lc_rs`).
//!
//! What is stateful — the `jti` replay cache and the `iat` window (§11.1) — belongs to
//! the servers, which read the simulated clock; [`check_proof`] checks the rest of
//! §4.3.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, DecodingKey, Header};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::ed25519_key::Ed25519Key;
use super::jwk_thumbprint::jwk_thumbprint;
use super::key_cache::KeyCache;

/// The `typ` header of a DPoP proof (RFC 9449 §4.2).
pub const DPOP_TYP: &str = "dpop+jwt";
/// The request header carrying the proof (RFC 9449 §4.1).
pub const DPOP_HEADER: &str = "dpop";
/// The response header carrying a server nonce (RFC 9449 §8.1).
pub const DPOP_NONCE_HEADER: &str = "dpop-nonce";
/// The token type of a DPoP-bound access token (RFC 9449 §5) and the
/// `Authorization` scheme it is sent with (§7.1).
pub const DPOP_TOKEN_TYPE: &str = "DPoP";
/// The signature algorithms the verifier accepts: asymmetric ones only, never `none`
/// or a MAC (RFC 9449 §4.3 item 5).
pub const PROOF_ALGORITHMS: &[&str] = &["EdDSA", "ES256", "RS256"];

/// The claims of a proof (RFC 9449 §4.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofClaims {
    /// A unique identifier, so the server can refuse a replay (§11.1).
    pub jti: String,
    /// The HTTP method of the request.
    pub htm: String,
    /// The HTTP target URI, without query and fragment.
    pub htu: String,
    /// When the proof was made (seconds since the epoch).
    pub iat: u64,
    /// base64url(SHA-256(access token)) when the request carries one (§4.2, §7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ath: Option<String>,
    /// The server nonce, when the server asked for one (§8, §9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
}

/// An Ed25519 key pair used for DPoP proofs, derived from 32 seed octets
/// ([`Ed25519Key`]), with the public JWK a proof carries.
#[derive(Clone)]
pub struct DpopKey {
    key: Ed25519Key,
    /// `kty`, `crv` and `x` only (RFC 8037 §2): what goes in the proof's `jwk` header.
    public: Jwk,
    public_jwk: Value,
    jkt: String,
}

impl std::fmt::Debug for DpopKey {
    /// The public thumbprint only; the private key never shows.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DpopKey(jkt {}, [redacted])", self.jkt)
    }
}

impl DpopKey {
    /// The key pair whose private key is `seed` (RFC 8032 §5.1.5), derived once per
    /// process ([`super::key_cache`]).
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        static DERIVED: KeyCache<[u8; 32], DpopKey> = KeyCache::new();
        DERIVED
            .get_or_try(*seed, || Ok::<_, ()>(Self::derive(seed)))
            .unwrap_or_else(|()| Self::derive(seed))
    }

    fn derive(seed: &[u8; 32]) -> Self {
        let key = Ed25519Key::from_seed(*seed);
        let mut public = key.jwk().clone();
        public.common = Default::default();
        let public_jwk = serde_json::to_value(&public).unwrap_or_default();
        let jkt = jwk_thumbprint(&public_jwk).unwrap_or_default();
        DpopKey {
            key,
            public,
            public_jwk,
            jkt,
        }
    }

    /// The public key as it goes in the proof's `jwk` header.
    pub fn public_jwk(&self) -> &Value {
        &self.public_jwk
    }

    /// The RFC 7638 thumbprint of the public key: the `jkt` tokens are bound to.
    pub fn jkt(&self) -> &str {
        &self.jkt
    }

    /// Signs a proof: header `{"typ":"dpop+jwt","alg":"EdDSA","jwk":{…}}` and `claims`.
    pub fn sign(&self, claims: &ProofClaims) -> String {
        let header = Header {
            typ: Some(DPOP_TYP.to_string()),
            jwk: Some(self.public.clone()),
            ..Header::new(Algorithm::EdDSA)
        };
        self.key.sign(header, claims)
    }
}

/// `ath`: base64url(SHA-256(ASCII of the access token)) (RFC 9449 §4.2).
pub fn access_token_hash(access_token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(access_token.as_bytes()))
}

/// The `htu` for a request to `url`: the URL without query and fragment
/// (RFC 9449 §4.2), normalized as RFC 3986 §6.2.2 and §6.2.3 say (lower-case scheme
/// and host, no default port).
pub fn htu_of(url: &str) -> Option<String> {
    let mut u = url::Url::parse(url).ok()?;
    u.set_query(None);
    u.set_fragment(None);
    Some(u.to_string())
}

/// A proof whose signature verifies with the key in its own header.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenedProof {
    pub header: Value,
    pub claims: ProofClaims,
    pub alg: String,
    /// The `jwk` header.
    pub jwk: Value,
    /// Its RFC 7638 thumbprint.
    pub jkt: String,
}

fn decode_part(part: &str) -> Result<Value, String> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| "a part is not base64url".to_string())?;
    serde_json::from_slice(&bytes).map_err(|_| "a part is not JSON".to_string())
}

/// The verification key and RFC 7638 thumbprint of a proof's `jwk` header, parsed once
/// per process for each distinct key ([`super::key_cache`]): a client proves every
/// request with the same key.
fn proof_key(jwk_value: &Value) -> Result<(DecodingKey, String), String> {
    static PARSED: KeyCache<String, (DecodingKey, String)> = KeyCache::new();
    PARSED.get_or_try(jwk_value.to_string(), || {
        let jwk: Jwk = serde_json::from_value(jwk_value.clone())
            .map_err(|_| "the jwk header is not a JWK".to_string())?;
        let key = DecodingKey::from_jwk(&jwk).map_err(|_| "the jwk header is not a usable key")?;
        Ok((key, jwk_thumbprint(jwk_value)?))
    })
}

/// Reads a proof and verifies its signature with its own `jwk` (RFC 9449 §4.3 items
/// 2–7): a JWT of three parts, `typ` `dpop+jwt`, an asymmetric `alg`, a public key
/// only, the required claims, a signature that verifies. `Err` says what failed.
pub fn open_proof(proof: &str) -> Result<OpenedProof, String> {
    let mut parts = proof.split('.');
    let (Some(h), Some(c), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("the proof is not a JWT (three base64url parts)".into());
    };
    let header = decode_part(h)?;
    let claims_value = decode_part(c)?;
    let typ = header.get("typ").and_then(Value::as_str).unwrap_or("");
    if typ != DPOP_TYP {
        return Err(format!(
            "typ is {:?}, not dpop+jwt (RFC 9449 §4.3)",
            typ.chars().take(30).collect::<String>()
        ));
    }
    let alg = header
        .get("alg")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let alg = alg.as_str();
    if !PROOF_ALGORITHMS.contains(&alg) {
        return Err(format!(
            "alg {:?} is not an asymmetric algorithm this server accepts (RFC 9449 §4.3)",
            alg.chars().take(20).collect::<String>()
        ));
    }
    let jwk_value = header
        .get("jwk")
        .cloned()
        .ok_or("the header carries no jwk (RFC 9449 §4.2)")?;
    if ["d", "p", "q", "dp", "dq", "qi", "k"]
        .iter()
        .any(|m| jwk_value.get(m).is_some())
    {
        return Err("the jwk header holds a private key (RFC 9449 §4.3)".into());
    }
    let claims: ProofClaims = serde_json::from_value(claims_value).map_err(|_| {
        "the claims lack jti, htm, htu or iat, or one has the wrong type (RFC 9449 §4.2)"
            .to_string()
    })?;
    let (key, jkt) = proof_key(&jwk_value)?;
    let algorithm: Algorithm = alg.parse().map_err(|_| "unknown alg")?;
    super::jwt::count_verify();
    let message = format!("{h}.{c}");
    let verified =
        jsonwebtoken::crypto::verify(sig, message.as_bytes(), &key, algorithm).unwrap_or(false);
    if !verified {
        return Err("the signature does not verify with the proof's own jwk".into());
    }
    Ok(OpenedProof {
        header,
        claims,
        alg: alg.to_string(),
        jwk: jwk_value,
        jkt,
    })
}

/// What a server expects of a proof on one request.
#[derive(Debug, Clone, Copy)]
pub struct Expected<'a> {
    /// The request's method.
    pub method: &'a str,
    /// The request's absolute URL.
    pub url: &'a str,
    /// The access token the request carries, if any: `ath` must be its hash.
    pub access_token: Option<&'a str>,
    /// The nonce the server requires, if it requires one now.
    pub nonce: Option<&'a str>,
}

/// Why a proof was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProofRefusal {
    /// `invalid_dpop_proof` (RFC 9449 §5, §7.1), with why.
    Invalid(String),
    /// `use_dpop_nonce`: the server wants its nonce in the proof (§8, §9).
    NonceNeeded(String),
}

impl ProofRefusal {
    /// The error code (RFC 9449 §12.2).
    pub fn code(&self) -> &'static str {
        match self {
            ProofRefusal::Invalid(_) => "invalid_dpop_proof",
            ProofRefusal::NonceNeeded(_) => "use_dpop_nonce",
        }
    }

    pub fn description(&self) -> &str {
        match self {
            ProofRefusal::Invalid(d) | ProofRefusal::NonceNeeded(d) => d,
        }
    }
}

/// Checks a proof against one request (RFC 9449 §4.3 items 2–10 and 12): what
/// [`open_proof`] checks, then `htm`, `htu` (ignoring query and fragment), the nonce
/// if the server requires one, and `ath` if the request carries an access token.
pub fn check_proof(proof: &str, expected: &Expected<'_>) -> Result<OpenedProof, ProofRefusal> {
    let opened = open_proof(proof).map_err(ProofRefusal::Invalid)?;
    let c = &opened.claims;
    if c.htm != expected.method {
        return Err(ProofRefusal::Invalid(format!(
            "htm is {:?}, but the request is a {} (RFC 9449 §4.3)",
            c.htm.chars().take(20).collect::<String>(),
            expected.method
        )));
    }
    let want = htu_of(expected.url).unwrap_or_default();
    if htu_of(&c.htu).as_deref() != Some(want.as_str()) {
        return Err(ProofRefusal::Invalid(format!(
            "htu is {:?}, but the request went to {want} (RFC 9449 §4.3)",
            c.htu.chars().take(80).collect::<String>()
        )));
    }
    if let Some(nonce) = expected.nonce
        && c.nonce.as_deref() != Some(nonce)
    {
        return Err(ProofRefusal::NonceNeeded(
            "the proof must carry the server's current DPoP nonce (RFC 9449 §8, §9)".into(),
        ));
    }
    if let Some(token) = expected.access_token {
        let ath = access_token_hash(token);
        if c.ath.as_deref() != Some(ath.as_str()) {
            return Err(ProofRefusal::Invalid(match &c.ath {
                None => "the proof has no ath for the access token it comes with (RFC 9449 §7)"
                    .to_string(),
                Some(_) => {
                    "ath is not the hash of the access token this request carries (RFC 9449 §7)"
                        .to_string()
                }
            }));
        }
    }
    Ok(opened)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The claims of a proof for `htm htu` made at `iat`, with no `ath` and no nonce.
    fn claims(jti: &str, htm: &str, htu: &str, iat: u64) -> ProofClaims {
        ProofClaims {
            jti: jti.into(),
            htm: htm.into(),
            htu: htu.into(),
            iat,
            ath: None,
            nonce: None,
        }
    }

    /// RFC 9449 §4.1 (Figure 4): the example proof of a token request, ES256.
    const RFC_TOKEN_PROOF: &str = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjYyNjE2fQ.2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg";
    /// RFC 9449 §7.1 (Figure 13): the example proof of a resource request, with `ath`.
    const RFC_RESOURCE_PROOF: &str = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19.eyJqdGkiOiJlMWozVl9iS2ljOC1MQUVCIiwiaHRtIjoiR0VUIiwiaHR1IjoiaHR0cHM6Ly9yZXNvdXJjZS5leGFtcGxlLm9yZy9wcm90ZWN0ZWRyZXNvdXJjZSIsImlhdCI6MTU2MjI2MjYxOCwiYXRoIjoiZlVIeU8ycjJaM0RaNTNFc05yV0JiMHhXWG9hTnk1OUlpS0NBcWtzbVFFbyJ9.2oW9RP35yRqzhrtNP86L-Ey71EOptxRimPPToA1plemAgR6pxHF8y6-yqyVnmcw6Fy1dqd-jfxSYoMxhAJpLjA";
    /// RFC 9449 §7.1: the access token of that request.
    const RFC_ACCESS_TOKEN: &str = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";
    const RFC_JKT: &str = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";

    #[test]
    fn the_rfc_9449_example_proofs_verify_and_bind_to_the_rfc_jkt() {
        let token = check_proof(
            RFC_TOKEN_PROOF,
            &Expected {
                method: "POST",
                url: "https://server.example.com/token",
                access_token: None,
                nonce: None,
            },
        )
        .unwrap();
        assert_eq!(token.claims.jti, "-BwC3ESc6acc2lTc");
        assert_eq!(token.claims.iat, 1562262616);
        assert_eq!(token.alg, "ES256");
        assert_eq!(token.jkt, RFC_JKT);
        let resource = check_proof(
            RFC_RESOURCE_PROOF,
            &Expected {
                method: "GET",
                url: "https://resource.example.org/protectedresource",
                access_token: Some(RFC_ACCESS_TOKEN),
                nonce: None,
            },
        )
        .unwrap();
        assert_eq!(resource.jkt, RFC_JKT);
        // RFC 9449 §7.1: the `ath` of the example access token.
        assert_eq!(
            access_token_hash(RFC_ACCESS_TOKEN),
            "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"
        );
        assert_eq!(
            resource.claims.ath.as_deref(),
            Some("fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo")
        );
    }

    #[test]
    fn an_ed25519_proof_is_deterministic_and_verifies_with_its_own_jwk() {
        let key = DpopKey::from_seed(&[7u8; 32]);
        let claims = claims("j1", "POST", "https://as.example/token", 1000);
        let a = key.sign(&claims);
        assert_eq!(a, DpopKey::from_seed(&[7u8; 32]).sign(&claims));
        let opened = open_proof(&a).unwrap();
        assert_eq!(opened.alg, "EdDSA");
        assert_eq!(opened.jkt, key.jkt());
        assert_eq!(&opened.jwk, key.public_jwk());
        assert_eq!(opened.header["typ"], DPOP_TYP);
        assert_ne!(DpopKey::from_seed(&[8u8; 32]).jkt(), key.jkt());
        // The same thumbprint as jsonwebtoken's, which the key's kid is.
        assert_eq!(
            crate::protocol::ed25519_key::thumbprint(
                &serde_json::from_value(key.public_jwk().clone()).unwrap()
            )
            .as_deref(),
            Some(key.jkt())
        );
        assert_eq!(
            opened
                .header
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            ["typ", "alg", "jwk"]
        );
        // jsonwebtoken's own decoder accepts it too, with the key from the header.
        let jwk: Jwk = serde_json::from_value(key.public_jwk().clone()).unwrap();
        let mut v = jsonwebtoken::Validation::new(Algorithm::EdDSA);
        v.required_spec_claims.clear();
        v.validate_exp = false;
        let data =
            jsonwebtoken::decode::<ProofClaims>(&a, &DecodingKey::from_jwk(&jwk).unwrap(), &v)
                .unwrap();
        assert_eq!(data.claims, claims);
        assert!(!format!("{key:?}").contains("seed"));
    }

    #[test]
    fn htm_htu_ath_and_nonce_are_checked() {
        let key = DpopKey::from_seed(&[1u8; 32]);
        let base = ProofClaims {
            ath: Some(access_token_hash("tok")),
            nonce: Some("n1".into()),
            ..claims("j", "GET", "https://rs.example/photos", 5)
        };
        let expect = Expected {
            method: "GET",
            url: "https://rs.example/photos?page=2#top",
            access_token: Some("tok"),
            nonce: Some("n1"),
        };
        // htu ignores query and fragment (RFC 9449 §4.3) and normalizes case and port.
        assert!(check_proof(&key.sign(&base), &expect).is_ok());
        let upper = ProofClaims {
            htu: "HTTPS://RS.EXAMPLE:443/photos".into(),
            ..base.clone()
        };
        assert!(check_proof(&key.sign(&upper), &expect).is_ok());
        let wrong = |c: ProofClaims| check_proof(&key.sign(&c), &expect).unwrap_err();
        let e = wrong(ProofClaims {
            htm: "POST".into(),
            ..base.clone()
        });
        assert!(e.description().contains("htm"), "{e:?}");
        let e = wrong(ProofClaims {
            htu: "https://rs.example/photos/1".into(),
            ..base.clone()
        });
        assert!(e.description().contains("htu"), "{e:?}");
        let e = wrong(ProofClaims {
            ath: Some(access_token_hash("other")),
            ..base.clone()
        });
        assert!(e.description().contains("ath"), "{e:?}");
        let e = wrong(ProofClaims {
            ath: None,
            ..base.clone()
        });
        assert_eq!(e.code(), "invalid_dpop_proof");
        let e = wrong(ProofClaims {
            nonce: None,
            ..base.clone()
        });
        assert_eq!(e.code(), "use_dpop_nonce");
    }

    #[test]
    fn forged_and_malformed_proofs_are_refused() {
        let key = DpopKey::from_seed(&[2u8; 32]);
        let claims = ProofClaims {
            jti: "j".into(),
            htm: "POST".into(),
            htu: "https://as.example/token".into(),
            iat: 1,
            ath: None,
            nonce: None,
        };
        let good = key.sign(&claims);
        let parts: Vec<&str> = good.split('.').collect();
        // Another key's jwk in the header: the signature no longer verifies.
        let other = DpopKey::from_seed(&[3u8; 32]);
        let swapped_header =
            serde_json::json!({"typ": DPOP_TYP, "alg": "EdDSA", "jwk": other.public_jwk()});
        let swapped = format!(
            "{}.{}.{}",
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&swapped_header).unwrap()),
            parts[1],
            parts[2]
        );
        assert!(open_proof(&swapped).unwrap_err().contains("signature"));
        let with = |header: Value| {
            format!(
                "{}.{}.{}",
                URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).unwrap()),
                parts[1],
                parts[2]
            )
        };
        let jwk = key.public_jwk().clone();
        for (header, why) in [
            (
                serde_json::json!({"typ": "JWT", "alg": "EdDSA", "jwk": jwk}),
                "typ",
            ),
            (
                serde_json::json!({"typ": DPOP_TYP, "alg": "none", "jwk": jwk}),
                "alg",
            ),
            (
                serde_json::json!({"typ": DPOP_TYP, "alg": "HS256", "jwk": jwk}),
                "alg",
            ),
            (serde_json::json!({"typ": DPOP_TYP, "alg": "EdDSA"}), "jwk"),
            (
                serde_json::json!({"typ": DPOP_TYP, "alg": "EdDSA", "jwk": {"kty": "OKP", "crv": "Ed25519", "x": jwk["x"], "d": "AAAA"}}),
                "private",
            ),
        ] {
            let e = open_proof(&with(header)).unwrap_err();
            assert!(e.contains(why), "{why}: {e}");
        }
        for garbage in ["", "a.b", "a.b.c", "!!.??.x", "a.b.c.d"] {
            assert!(open_proof(garbage).is_err(), "{garbage}");
        }
    }
}
