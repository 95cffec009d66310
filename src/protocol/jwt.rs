//! JSON Web Tokens: RFC 9068 access tokens and OpenID Connect ID tokens, signed and
//! verified with `jsonwebtoken` (RS256, backend `aws_lc_rs`).
//!
//! Besides the correct verifier ([`verify_pinned`]) this module holds the careless one
//! a learner can switch to ([`verify_trusting_header`]): it lets the token's own header
//! choose the algorithm, the mistake RFC 8725 §2.1 and §3.1 warn about.

use super::deferred_sign;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, JwkSet, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicU64, Ordering};

/// How many signatures were made and verified in this process, so that a benchmark can
/// compute the crypto floor of a flow. Counting changes no outcome.
static SIGNS: AtomicU64 = AtomicU64::new(0);
static VERIFIES: AtomicU64 = AtomicU64::new(0);
static EDDSA_SIGNS: AtomicU64 = AtomicU64::new(0);
static EDDSA_VERIFIES: AtomicU64 = AtomicU64::new(0);

/// Counts of signature operations: RSA (and HMAC) ones, and EdDSA ones, which cost
/// differently and are timed apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CryptoCounts {
    pub signs: u64,
    pub verifies: u64,
    pub eddsa_signs: u64,
    pub eddsa_verifies: u64,
}

impl CryptoCounts {
    /// The operations made since `earlier`.
    pub fn since(&self, earlier: &CryptoCounts) -> CryptoCounts {
        CryptoCounts {
            signs: self.signs - earlier.signs,
            verifies: self.verifies - earlier.verifies,
            eddsa_signs: self.eddsa_signs - earlier.eddsa_signs,
            eddsa_verifies: self.eddsa_verifies - earlier.eddsa_verifies,
        }
    }
}

/// Counts one EdDSA signature, made outside this module (, `protocol::ed25519_key`; DPoP
/// proofs, `protocol::dpop`).
pub(crate) fn count_sign() {
    EDDSA_SIGNS.fetch_add(1, Ordering::Relaxed);
}

/// Counts one EdDSA verification, made outside this module (, `protocol::ed25519_key`;
/// DPoP proofs, `protocol::dpop`).
pub(crate) fn count_verify() {
    EDDSA_VERIFIES.fetch_add(1, Ordering::Relaxed);
}

/// The signature operations made so far in this process (RS256, HS256 and EdDSA).
pub fn crypto_counts() -> CryptoCounts {
    CryptoCounts {
        signs: SIGNS.load(Ordering::Relaxed),
        verifies: VERIFIES.load(Ordering::Relaxed),
        eddsa_signs: EDDSA_SIGNS.load(Ordering::Relaxed),
        eddsa_verifies: EDDSA_VERIFIES.load(Ordering::Relaxed),
    }
}

/// Signatures already made, keyed by (kid, typ, claims), for reuse within one batch of
/// runs. RS256 (RSASSA-PKCS1-v1_5, RFC 8017 §8.2) is deterministic: the same key, header
/// and claims always give the same bytes, so a reused signature changes no byte of any
/// trace. The attack matrix owns one for the duration of its runs (hundreds of worlds
/// from one seed sign the same claims again and again); single runs never use one.
#[derive(Default)]
pub struct SignatureCache {
    entries: std::sync::Mutex<std::collections::BTreeMap<String, String>>,
    hits: AtomicU64,
}

impl std::fmt::Debug for SignatureCache {
    /// The entries are tokens: only their number is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignatureCache")
            .field(
                "entries",
                &self.entries.lock().map(|m| m.len()).unwrap_or(0),
            )
            .field("hits", &self.hits())
            .finish()
    }
}

impl SignatureCache {
    /// At most this many signatures are kept; a full cache starts over.
    pub const CAPACITY: usize = 4096;

    pub fn new() -> std::sync::Arc<Self> {
        std::sync::Arc::new(Self::default())
    }

    /// How many signatures were served from the cache instead of being made.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    fn get_or_sign(&self, key: String, sign: impl FnOnce() -> String) -> String {
        if let Some(hit) = self.entries.lock().ok().and_then(|m| m.get(&key).cloned()) {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return hit;
        }
        let token = sign();
        if let Ok(mut m) = self.entries.lock() {
            if m.len() >= Self::CAPACITY {
                m.clear();
            }
            m.insert(key, token.clone());
        }
        token
    }
}

thread_local! {
    /// The cache signatures made on this thread go through (see [`with_signature_cache`]).
    static ACTIVE_CACHE: std::cell::RefCell<Option<std::sync::Arc<SignatureCache>>> =
        const { std::cell::RefCell::new(None) };
}

/// Runs `f` with every RS256 signature made on this thread served from, or added to,
/// `cache`. The cache's owner decides how long reuse lasts; when `f` returns, this
/// thread signs afresh again.
pub fn with_signature_cache<R>(cache: &std::sync::Arc<SignatureCache>, f: impl FnOnce() -> R) -> R {
    let before = ACTIVE_CACHE.with(|c| c.replace(Some(cache.clone())));
    let r = f();
    ACTIVE_CACHE.with(|c| c.replace(before));
    r
}

/// The `typ` header of a JWT access token (RFC 9068 §2.1).
pub const ACCESS_TOKEN_TYP: &str = "at+jwt";

/// Claims of a JWT access token (RFC 9068 §2.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessTokenClaims {
    pub iss: String,
    pub sub: String,
    /// The resource server(s) the token is meant for (RFC 9068 §3, RFC 8707).
    pub aud: String,
    pub exp: u64,
    pub iat: u64,
    pub jti: String,
    pub client_id: String,
    pub scope: String,
    /// The key the token is bound to (RFC 9449 §6.1, RFC 7800 §3.1); absent for a
    /// bearer token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cnf: Option<Confirmation>,
}

/// The `cnf` claim of a DPoP-bound token: the RFC 7638 thumbprint of the client's
/// DPoP key (RFC 9449 §6.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    pub jkt: String,
}

/// Claims of an OpenID Connect ID token (OpenID Connect Core §2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdTokenClaims {
    pub iss: String,
    pub sub: String,
    /// The client the ID token was issued to.
    pub aud: String,
    pub exp: u64,
    pub iat: u64,
    pub auth_time: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Why a JWT was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    #[error("not a JWT (expected three base64url parts)")]
    Malformed,
    #[error("the header names algorithm {0:?}, not the pinned RS256")]
    AlgorithmNotAllowed(String),
    #[error("the header names algorithm {0:?}, not the pinned EdDSA")]
    NotEdDsa(String),
    #[error("no key in the JWKS matches kid {0:?}")]
    UnknownKey(String),
    #[error("signature does not verify")]
    BadSignature,
    #[error("claims do not parse: {0}")]
    BadClaims(String),
}

/// A private JWS key with its key id and public JWK (RFC 7517 §4.5): what the RS256
/// [`SigningKey`] and the EdDSA `Ed25519Key` are made of.
#[derive(Clone)]
pub(crate) struct KeyPair {
    pub(crate) kid: String,
    pub(crate) encoding: EncodingKey,
    /// The public half, `kid` included.
    pub(crate) jwk: Jwk,
}

impl KeyPair {
    /// `Debug` for a key: its type and `kid`; the private key never shows.
    pub(crate) fn fmt_redacted(
        &self,
        name: &str,
        f: &mut std::fmt::Formatter<'_>,
    ) -> std::fmt::Result {
        write!(f, "{name}({}, [redacted])", self.kid)
    }

    /// Signs `claims` under `header`: a JWS in compact serialization (RFC 7515 §7.1).
    pub(crate) fn sign<T: Serialize>(&self, header: &Header, claims: &T) -> String {
        jsonwebtoken::encode(header, claims, &self.encoding)
            .expect("signing with a valid key succeeds")
    }
}

/// An RSA signing key with its key id and public JWK.
#[derive(Clone)]
pub struct SigningKey {
    pair: KeyPair,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.pair.fmt_redacted("SigningKey", f)
    }
}

/// The demo key of the honest AS (`assets/demo-as-signing-key.pem`; demo only).
const DEMO_AS_KEY: &str = include_str!("../../assets/demo-as-signing-key.pem");
/// The demo key of a second AS (`assets/demo-second-as-signing-key.pem`; demo only).
const DEMO_SECOND_AS_KEY: &str = include_str!("../../assets/demo-second-as-signing-key.pem");

impl SigningKey {
    /// Loads an RSA private key in PEM and derives its public JWK.
    pub fn from_pem(kid: &str, pem: &str) -> Result<Self, jsonwebtoken::errors::Error> {
        let encoding = EncodingKey::from_rsa_pem(pem.as_bytes())?;
        let mut jwk = Jwk::from_encoding_key(&encoding, Algorithm::RS256)?;
        jwk.common.key_id = Some(kid.to_string());
        jwk.common.public_key_use = Some(PublicKeyUse::Signature);
        jwk.common.key_algorithm = Some(KeyAlgorithm::RS256);
        Ok(SigningKey {
            pair: KeyPair {
                kid: kid.to_string(),
                encoding,
                jwk,
            },
        })
    }

    /// The honest AS's demo key (shipped in `assets/`, labelled as a demo key). Parsed
    /// once per process: every world uses the same fixed key.
    pub fn demo_as() -> Self {
        static KEY: std::sync::OnceLock<SigningKey> = std::sync::OnceLock::new();
        KEY.get_or_init(|| {
            Self::from_pem("as-demo-2026", DEMO_AS_KEY).expect("the shipped demo key is valid")
        })
        .clone()
    }

    /// A second AS's demo key.
    pub fn demo_second_as() -> Self {
        static KEY: std::sync::OnceLock<SigningKey> = std::sync::OnceLock::new();
        KEY.get_or_init(|| {
            Self::from_pem("second-as-demo-2026", DEMO_SECOND_AS_KEY)
                .expect("the shipped demo key is valid")
        })
        .clone()
    }

    pub fn kid(&self) -> &str {
        &self.pair.kid
    }

    /// The public key as a JWK (RFC 7517).
    pub fn jwk(&self) -> &Jwk {
        &self.pair.jwk
    }

    /// Signs claims with RS256 and the given `typ` header.
    pub fn sign<T: Serialize>(&self, typ: &str, claims: &T) -> String {
        if deferred_sign::is_deferring()
            && let Some(token) = self.promise(&self.header(typ), claims)
        {
            return token;
        }
        match ACTIVE_CACHE.with(|c| c.borrow().clone()) {
            Some(cache) => {
                let key = format!(
                    "{}\u{0}{typ}\u{0}{}",
                    self.pair.kid,
                    serde_json::to_string(claims).unwrap_or_default()
                );
                cache.get_or_sign(key, || self.sign_now(typ, claims))
            }
            None => self.sign_now(typ, claims),
        }
    }

    /// The JOSE header of this key's tokens (RFC 7515 §4.1: alg, typ, kid).
    fn header(&self, typ: &str) -> Header {
        let mut header = Header::new(Algorithm::RS256);
        header.typ = Some(typ.to_string());
        header.kid = Some(self.pair.kid.clone());
        header
    }

    fn sign_now<T: Serialize>(&self, typ: &str, claims: &T) -> String {
        SIGNS.fetch_add(1, Ordering::Relaxed);
        self.pair.sign(&self.header(typ), claims)
    }

    /// Inside [`deferred_sign::deferring`]: the token with a placeholder for its
    /// signature, the signature promised. The signing input is built as RFC 7515 §5.1
    /// says and as `jsonwebtoken::encode` builds it, so the kept promise gives the
    /// same token byte for byte.
    fn promise<T: Serialize>(&self, header: &Header, claims: &T) -> Option<String> {
        let part =
            |json: serde_json::Result<Vec<u8>>| URL_SAFE_NO_PAD.encode(json.unwrap_or_default());
        let message = format!(
            "{}.{}",
            part(serde_json::to_vec(header)),
            part(serde_json::to_vec(claims))
        );
        let (key, input) = (self.clone(), message.clone());
        let sign = Box::new(move || key.sign_message(&input));
        let placeholder = deferred_sign::promise(sign, self.signature_len())?;
        Some(format!("{message}.{placeholder}"))
    }

    /// How long this key's signature is in base64url: as many bytes as the modulus
    /// (RFC 8017 §8.2.1), so exactly as long as the JWK's `n`, the modulus in unpadded
    /// base64url without leading zeros (RFC 7518 §6.3.1.1).
    fn signature_len(&self) -> usize {
        match &self.pair.jwk.algorithm {
            AlgorithmParameters::RSA(rsa) => rsa.n.len(),
            _ => 342,
        }
    }

    /// Signs a JWS signing input `BASE64URL(header).BASE64URL(claims)` with RS256 and
    /// returns the base64url signature (RFC 7515 §5.1 step 5).
    pub(crate) fn sign_message(&self, message: &str) -> String {
        SIGNS.fetch_add(1, Ordering::Relaxed);
        jsonwebtoken::crypto::sign(message.as_bytes(), &self.pair.encoding, Algorithm::RS256)
            .expect("signing with a valid key succeeds")
    }
}

/// A verified token: its header and claims.
#[derive(Debug, Clone)]
pub struct Verified<T> {
    pub header: serde_json::Value,
    pub claims: T,
}

/// A `Validation` that checks only the signature: `exp`, `aud` and `iss` are checked by
/// the caller against the simulated clock and its own identifiers.
fn signature_only(alg: Algorithm) -> Validation {
    let mut v = Validation::new(alg);
    v.validate_exp = false;
    v.validate_nbf = false;
    v.validate_aud = false;
    v.required_spec_claims.clear();
    v
}

/// Decodes header and claims without verifying anything (for the inspector and for
/// attackers; `jsonwebtoken::dangerous` would refuse `alg: none`).
pub fn decode_unverified(token: &str) -> Result<(serde_json::Value, serde_json::Value), JwtError> {
    let mut parts = token.split('.');
    let (Some(h), Some(c), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed);
    };
    let part = |s: &str| -> Result<serde_json::Value, JwtError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(s.trim_end_matches('='))
            .map_err(|_| JwtError::Malformed)?;
        serde_json::from_slice(&bytes).map_err(|_| JwtError::Malformed)
    };
    Ok((part(h)?, part(c)?))
}

fn key_for<'a>(jwks: &'a JwkSet, header_kid: Option<&str>) -> Result<&'a Jwk, JwtError> {
    match header_kid {
        Some(kid) => jwks
            .find(kid)
            .ok_or_else(|| JwtError::UnknownKey(kid.to_string())),
        None => jwks
            .keys
            .first()
            .ok_or_else(|| JwtError::UnknownKey(String::new())),
    }
}

fn claims_from<T: DeserializeOwned>(claims: serde_json::Value) -> Result<T, JwtError> {
    serde_json::from_value(claims).map_err(|e| JwtError::BadClaims(e.to_string()))
}

/// The correct verifier: RS256 only, whatever the header says (RFC 8725 §3.1), with
/// the key from the JWKS named by `kid`.
pub fn verify_pinned<T: DeserializeOwned>(
    token: &str,
    jwks: &JwkSet,
) -> Result<Verified<T>, JwtError> {
    let (header, _) = decode_unverified(token)?;
    let alg = header.get("alg").and_then(|a| a.as_str()).unwrap_or("");
    if alg != "RS256" {
        return Err(JwtError::AlgorithmNotAllowed(alg.to_string()));
    }
    let jwk = key_for(jwks, header.get("kid").and_then(|k| k.as_str()))?;
    let key = DecodingKey::from_jwk(jwk).map_err(|_| JwtError::BadSignature)?;
    VERIFIES.fetch_add(1, Ordering::Relaxed);
    let data =
        jsonwebtoken::decode::<serde_json::Value>(token, &key, &signature_only(Algorithm::RS256))
            .map_err(|_| JwtError::BadSignature)?;
    Ok(Verified {
        header,
        claims: claims_from(data.claims)?,
    })
}

/// What a careless verifier uses as "the key" whatever the algorithm: the JWK turned
/// into the PEM text of its public key (SubjectPublicKeyInfo, as a JWK-to-PEM converter
/// prints it), the string vulnerable libraries then took as an HMAC secret when the
/// token said HS256 (RFC 8725 §2.1). Public, since the JWKS is.
pub fn public_key_bytes(jwk: &Jwk) -> Vec<u8> {
    match &jwk.algorithm {
        AlgorithmParameters::RSA(rsa) => {
            let (Ok(n), Ok(e)) = (
                URL_SAFE_NO_PAD.decode(&rsa.n),
                URL_SAFE_NO_PAD.decode(&rsa.e),
            ) else {
                return Vec::new();
            };
            super::pem::pem("PUBLIC KEY", &super::pem::rsa_spki_der(&n, &e)).into_bytes()
        }
        _ => Vec::new(),
    }
}

/// The careless verifier: the token's header picks the algorithm (RFC 8725 §2.1).
/// `none` is accepted unsigned; `HS256` is checked with the RSA public key's PEM text as
/// the HMAC secret (algorithm confusion, [`public_key_bytes`]); `RS256` is verified
/// properly.
pub fn verify_trusting_header<T: DeserializeOwned>(
    token: &str,
    jwks: &JwkSet,
) -> Result<Verified<T>, JwtError> {
    let (header, claims) = decode_unverified(token)?;
    let alg = header
        .get("alg")
        .and_then(|a| a.as_str())
        .unwrap_or("")
        .to_string();
    match alg.as_str() {
        "none" => Ok(Verified {
            header,
            claims: claims_from(claims)?,
        }),
        "HS256" => {
            let jwk = key_for(jwks, header.get("kid").and_then(|k| k.as_str()))?;
            let key = DecodingKey::from_secret(&public_key_bytes(jwk));
            VERIFIES.fetch_add(1, Ordering::Relaxed);
            jsonwebtoken::decode::<serde_json::Value>(
                token,
                &key,
                &signature_only(Algorithm::HS256),
            )
            .map_err(|_| JwtError::BadSignature)?;
            Ok(Verified {
                header,
                claims: claims_from(claims)?,
            })
        }
        "RS256" => verify_pinned(token, jwks),
        other => Err(JwtError::AlgorithmNotAllowed(other.to_string())),
    }
}

/// Builds an unsigned token (`alg: none`, empty signature) — what an attacker forges.
pub fn forge_unsigned<T: Serialize>(typ: &str, claims: &T) -> String {
    let header = serde_json::json!({"alg": "none", "typ": typ});
    let enc =
        |v: &serde_json::Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap_or_default());
    let claims = serde_json::to_value(claims).unwrap_or_default();
    format!("{}.{}.", enc(&header), enc(&claims))
}

/// Signs claims with HS256 under `secret` (the attacker's half of algorithm confusion).
pub fn sign_hs256<T: Serialize>(typ: &str, kid: Option<&str>, secret: &[u8], claims: &T) -> String {
    let mut header = Header::new(Algorithm::HS256);
    header.typ = Some(typ.to_string());
    header.kid = kid.map(str::to_string);
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_secret(secret))
        .expect("HMAC signing cannot fail")
}

/// A JWKS holding one key.
pub fn jwks_of(key: &SigningKey) -> JwkSet {
    JwkSet {
        keys: vec![key.jwk().clone()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> AccessTokenClaims {
        AccessTokenClaims {
            iss: "https://as.example".into(),
            sub: "alice".into(),
            aud: "https://rs.example".into(),
            exp: 2000,
            iat: 1000,
            jti: "j1".into(),
            client_id: "photo-printer".into(),
            scope: "photos.read".into(),
            cnf: None,
        }
    }

    #[test]
    fn rs256_round_trip_with_the_demo_key() {
        let key = SigningKey::demo_as();
        let token = key.sign(ACCESS_TOKEN_TYP, &claims());
        let v: Verified<AccessTokenClaims> = verify_pinned(&token, &jwks_of(&key)).unwrap();
        assert_eq!(v.claims, claims());
        assert_eq!(v.header["typ"], "at+jwt");
        let other = jwks_of(&SigningKey::demo_second_as());
        assert!(verify_pinned::<AccessTokenClaims>(&token, &other).is_err());
    }

    #[test]
    fn pinned_verifier_refuses_none_and_hs256_but_careless_one_accepts() {
        let key = SigningKey::demo_as();
        let jwks = jwks_of(&key);
        let none = forge_unsigned(ACCESS_TOKEN_TYP, &claims());
        let hs = sign_hs256(
            ACCESS_TOKEN_TYP,
            Some(key.kid()),
            &public_key_bytes(key.jwk()),
            &claims(),
        );
        for forged in [&none, &hs] {
            assert!(matches!(
                verify_pinned::<AccessTokenClaims>(forged, &jwks),
                Err(JwtError::AlgorithmNotAllowed(_))
            ));
            assert_eq!(
                verify_trusting_header::<AccessTokenClaims>(forged, &jwks)
                    .unwrap()
                    .claims,
                claims()
            );
        }
        let wrong_secret = sign_hs256(ACCESS_TOKEN_TYP, Some(key.kid()), b"guess", &claims());
        assert!(verify_trusting_header::<AccessTokenClaims>(&wrong_secret, &jwks).is_err());
    }

    #[test]
    fn a_cached_signature_is_the_signature_made_afresh() {
        let key = SigningKey::demo_as();
        let fresh = key.sign(ACCESS_TOKEN_TYP, &claims());
        let cache = SignatureCache::new();
        let (first, second) = with_signature_cache(&cache, || {
            (
                key.sign(ACCESS_TOKEN_TYP, &claims()),
                key.sign(ACCESS_TOKEN_TYP, &claims()),
            )
        });
        // The first is made and stored, the second served from the cache.
        assert_eq!(cache.hits(), 1);
        assert_eq!(first, fresh);
        assert_eq!(second, fresh);
        // Other claims are not served from the cache.
        let mut other = claims();
        other.sub = "mallory".into();
        let signed_other = with_signature_cache(&cache, || key.sign(ACCESS_TOKEN_TYP, &other));
        assert_eq!(cache.hits(), 1);
        assert_ne!(signed_other, fresh);
        // Outside the scope nothing is reused.
        key.sign(ACCESS_TOKEN_TYP, &claims());
        assert_eq!(cache.hits(), 1);
        assert!(!format!("{cache:?}").contains(&fresh));
    }

    #[test]
    fn garbage_is_malformed() {
        for t in ["", "a", "a.b", "a.b.c.d", "!!.??.x"] {
            assert!(decode_unverified(t).is_err());
        }
    }
}
