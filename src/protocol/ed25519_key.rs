//! Ed25519 key pairs (RFC 8032 §5.1) for JWTs signed with `EdDSA` (RFC 8037 §3.1):
//! client assertions (RFC 7523 §2.2) and other proofs a party signs with a key of its
//! own. Ed25519 signatures are deterministic (RFC 8032 §5.1.6), so a key derived from
//! fixed seed octets signs the same bytes in every run (docs/ARCHITECTURE.md rule 3).
//! Signing and verifying go through `jsonwebtoken` with its `aws_lc_rs` backend.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{
    AlgorithmParameters, CommonParameters, EllipticCurve, Jwk, KeyAlgorithm,
    OctetKeyPairParameters, OctetKeyPairType, PublicKeyUse, ThumbprintHash,
};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use super::jwt::{JwtError, KeyPair, Verified, count_sign, count_verify, decode_unverified};

/// The PKCS#8 v1 prefix of an Ed25519 private key (RFC 8410 §7): the 32 seed octets
/// follow it.
const PKCS8_ED25519_PREFIX: [u8; 16] = [
    0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
];

/// An Ed25519 key pair with its public JWK (`kty` `OKP`, RFC 8037 §2) and a `kid` that
/// is the key's RFC 7638 thumbprint. `Debug` shows only the `kid`.
#[derive(Clone)]
pub struct Ed25519Key {
    pair: KeyPair,
}

impl std::fmt::Debug for Ed25519Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.pair.fmt_redacted("Ed25519Key", f)
    }
}

impl PartialEq for Ed25519Key {
    /// Two keys are the same key when their public halves are.
    fn eq(&self, other: &Self) -> bool {
        self.pair.jwk == other.pair.jwk
    }
}

impl Eq for Ed25519Key {}

impl Ed25519Key {
    /// The key whose private half is these 32 seed octets (RFC 8032 §5.1.5).
    pub fn from_seed(seed: [u8; 32]) -> Self {
        let pair = aws_lc_rs::signature::Ed25519KeyPair::from_seed_unchecked(&seed)
            .expect("any 32 octets are an Ed25519 seed");
        let public = aws_lc_rs::signature::KeyPair::public_key(&pair);
        let mut der = PKCS8_ED25519_PREFIX.to_vec();
        der.extend_from_slice(&seed);
        let mut jwk = Jwk {
            common: CommonParameters {
                public_key_use: Some(PublicKeyUse::Signature),
                key_algorithm: Some(KeyAlgorithm::EdDSA),
                ..Default::default()
            },
            algorithm: AlgorithmParameters::OctetKeyPair(OctetKeyPairParameters {
                key_type: OctetKeyPairType::OctetKeyPair,
                curve: EllipticCurve::Ed25519,
                x: URL_SAFE_NO_PAD.encode(public.as_ref()),
            }),
        };
        let kid = thumbprint(&jwk).unwrap_or_default();
        jwk.common.key_id = Some(kid.clone());
        Ed25519Key {
            pair: KeyPair {
                kid,
                encoding: EncodingKey::from_ed_der(&der),
                jwk,
            },
        }
    }

    /// A key drawn from a party's seeded RNG (the same seed, the same key).
    pub fn from_rng(rng: &mut impl rand::RngCore) -> Self {
        let mut seed = [0u8; 32];
        rng.fill_bytes(&mut seed);
        Self::from_seed(seed)
    }

    /// A fixed demo key named by `label`: its seed is SHA-256 of the label, so every
    /// world has the same key for the same party, and a registration made before the
    /// world starts can hold its public half. Demo only, like the keys in `assets/`.
    pub fn demo(label: &str) -> Self {
        let seed: [u8; 32] = Sha256::digest(format!("oauth-lab demo Ed25519 key: {label}")).into();
        Self::from_seed(seed)
    }

    /// The key id: the RFC 7638 thumbprint of the public JWK.
    pub fn kid(&self) -> &str {
        &self.pair.kid
    }

    /// The public key as a JWK (RFC 8037 §2), `kid` and `alg` included.
    pub fn jwk(&self) -> &Jwk {
        &self.pair.jwk
    }

    /// Signs `claims` with EdDSA under `header` (its `alg` is set to `EdDSA`).
    pub fn sign<T: Serialize>(&self, mut header: Header, claims: &T) -> String {
        header.alg = Algorithm::EdDSA;
        count_sign();
        self.pair.sign(&header, claims)
    }
}

/// The RFC 7638 §3 thumbprint of a JWK (SHA-256 over its required members in
/// lexicographic order), base64url; `None` for a key type it does not cover.
pub fn thumbprint(jwk: &Jwk) -> Option<String> {
    jwk.thumbprint(ThumbprintHash::SHA256).ok()
}

/// Verifies an EdDSA-signed JWT with `jwk`: the header must say `EdDSA` (the algorithm
/// is pinned, never taken from the token, RFC 8725 §3.1) and the key must be an
/// Ed25519 `OKP` key. `exp`, `aud` and the rest are the caller's to check.
pub fn verify_eddsa<T: DeserializeOwned>(token: &str, jwk: &Jwk) -> Result<Verified<T>, JwtError> {
    let (header, claims) = decode_unverified(token)?;
    let alg = header.get("alg").and_then(|a| a.as_str()).unwrap_or("");
    if alg != "EdDSA" {
        return Err(JwtError::NotEdDsa(alg.to_string()));
    }
    let AlgorithmParameters::OctetKeyPair(okp) = &jwk.algorithm else {
        return Err(JwtError::BadSignature);
    };
    if okp.curve != EllipticCurve::Ed25519 {
        return Err(JwtError::BadSignature);
    }
    let key = DecodingKey::from_ed_components(&okp.x).map_err(|_| JwtError::BadSignature)?;
    let mut validation = jsonwebtoken::Validation::new(Algorithm::EdDSA);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    count_verify();
    jsonwebtoken::decode::<serde_json::Value>(token, &key, &validation)
        .map_err(|_| JwtError::BadSignature)?;
    let claims = serde_json::from_value(claims).map_err(|e| JwtError::BadClaims(e.to_string()))?;
    Ok(Verified { header, claims })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 8032 §7.1, TEST 1: the seed, its public key, and the signature of the
    /// empty message — Ed25519 is deterministic, so these bytes are fixed.
    #[test]
    fn rfc_8032_test_1_public_key() {
        let seed: [u8; 32] =
            hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
                .try_into()
                .unwrap();
        let key = Ed25519Key::from_seed(seed);
        let AlgorithmParameters::OctetKeyPair(okp) = &key.jwk().algorithm else {
            panic!("an OKP key");
        };
        assert_eq!(
            URL_SAFE_NO_PAD.decode(&okp.x).unwrap(),
            hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        );
    }

    /// RFC 8037 Appendix A.3: the thumbprint of the example Ed25519 key.
    #[test]
    fn rfc_8037_a3_thumbprint() {
        let jwk: Jwk = serde_json::from_str(
            r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#,
        )
        .unwrap();
        assert_eq!(
            thumbprint(&jwk).as_deref(),
            Some("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
        );
    }

    #[test]
    fn signatures_are_deterministic_and_verify_with_the_public_jwk_only() {
        let key = Ed25519Key::demo("test");
        let claims = serde_json::json!({"iss": "a", "n": 1});
        let t1 = key.sign(Header::default(), &claims);
        let t2 = Ed25519Key::demo("test").sign(Header::default(), &claims);
        assert_eq!(t1, t2);
        let v: Verified<serde_json::Value> = verify_eddsa(&t1, key.jwk()).unwrap();
        assert_eq!(v.claims["n"], 1);
        assert_eq!(v.header["alg"], "EdDSA");
        let other = Ed25519Key::demo("other");
        assert!(verify_eddsa::<serde_json::Value>(&t1, other.jwk()).is_err());
        let mut tampered = t1.clone();
        tampered.push('A');
        assert!(verify_eddsa::<serde_json::Value>(&tampered, key.jwk()).is_err());
        assert!(!format!("{key:?}").contains(&URL_SAFE_NO_PAD.encode([0u8; 4])));
        assert_eq!(thumbprint(key.jwk()).as_deref(), Some(key.kid()));
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }
}
