//! The client's side of DPoP (RFC 9449 §4, §7.1): an Ed25519 key pair derived from the
//! actor's seeded RNG, and a proof for each request it sends. The key is derived from
//! the RNG's seed, not drawn from its stream, so holding a key changes none of the
//! actor's other random values (state, PKCE verifiers).

use std::collections::BTreeMap;

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use sha2::{Digest, Sha256};

use crate::actors::rng::random_token;
use crate::actors::{MsgId, SimTime};
use crate::protocol::dpop::{
    DPOP_HEADER, DPOP_NONCE_HEADER, DPOP_TOKEN_TYPE, DpopKey, ProofClaims, access_token_hash,
    htu_of,
};
use crate::protocol::errors::ErrorBody;
use crate::protocol::http_wire::{self, Request, Response};

/// A client's DPoP key and what it remembers for its proofs.
pub struct DpopHolder {
    key: DpopKey,
    /// Where proof `jti`s come from (RFC 9449 §4.2: unique per proof).
    jti_rng: ChaCha20Rng,
    /// The nonce each server origin last gave (RFC 9449 §8.1, §9).
    nonces: BTreeMap<String, String>,
    /// Requests sent with a proof and not answered yet, by message id: one may have to
    /// be sent again with a nonce.
    sent: BTreeMap<MsgId, Request>,
    proofs: u64,
}

impl std::fmt::Debug for DpopHolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DpopHolder")
            .field("key", &self.key)
            .field("proofs", &self.proofs)
            .finish_non_exhaustive()
    }
}

fn derive(seed: &[u8; 32], label: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(seed);
    h.update(label.as_bytes());
    h.finalize().into()
}

/// The origin of a URL (the key of the nonce memory).
fn origin_of(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default()
}

impl DpopHolder {
    /// The key of the actor whose RNG is `rng`: SHA-256(its seed ‖ "dpop-key").
    pub fn for_actor(rng: &ChaCha20Rng) -> Self {
        let seed = rng.get_seed();
        DpopHolder {
            key: DpopKey::from_seed(&derive(&seed, "dpop-key")),
            jti_rng: ChaCha20Rng::from_seed(derive(&seed, "dpop-jti")),
            nonces: BTreeMap::new(),
            sent: BTreeMap::new(),
            proofs: 0,
        }
    }

    /// The holder kept in `slot`, made from the actor's RNG on first use.
    pub fn in_slot<'a>(slot: &'a mut Option<DpopHolder>, rng: &ChaCha20Rng) -> &'a mut Self {
        slot.get_or_insert_with(|| Self::for_actor(rng))
    }

    pub fn key(&self) -> &DpopKey {
        &self.key
    }

    /// The thumbprint tokens are bound to.
    pub fn jkt(&self) -> &str {
        self.key.jkt()
    }

    /// How many proofs it made.
    pub fn proofs_made(&self) -> u64 {
        self.proofs
    }

    /// A fresh proof for `method url` at `now`, with `ath` for `access_token` and the
    /// server's nonce if it gave one (RFC 9449 §4.2).
    pub fn proof(
        &mut self,
        now: SimTime,
        method: &str,
        url: &str,
        access_token: Option<&str>,
    ) -> String {
        self.proofs += 1;
        let claims = ProofClaims {
            jti: random_token(&mut self.jti_rng, 12),
            htm: method.to_string(),
            htu: htu_of(url).unwrap_or_else(|| url.to_string()),
            iat: now.unix_secs(),
            ath: access_token.map(access_token_hash),
            nonce: self.nonces.get(&origin_of(url)).cloned(),
        };
        self.key.sign(&claims)
    }

    /// Adds a proof to `req` (the `DPoP` header, RFC 9449 §4.1); with an access token,
    /// also `Authorization: DPoP <token>` (§7.1).
    pub fn attach(&mut self, now: SimTime, req: &mut Request, access_token: Option<&str>) {
        let url = http_wire::url_string(req.uri());
        let proof = self.proof(now, req.method().as_str(), &url, access_token);
        // A request sent again gets a new proof in place of the old one.
        req.headers_mut().remove(DPOP_HEADER);
        http_wire::set_header(req.headers_mut(), DPOP_HEADER, &proof);
        if let Some(token) = access_token {
            req.headers_mut().remove("authorization");
            http_wire::set_header(
                req.headers_mut(),
                "authorization",
                &format!("{DPOP_TOKEN_TYPE} {token}"),
            );
        }
    }

    /// Remembers a request sent as `id` with a proof, until its answer comes.
    pub fn remember(&mut self, id: MsgId, req: Request) {
        if req.headers().contains_key(DPOP_HEADER) {
            self.sent.insert(id, req);
        }
    }

    /// Reads the answer to request `id`: when the server refused the proof for lack of
    /// its nonce, the same request with a fresh proof carrying the nonce, to send again
    /// (RFC 9449 §8.2, §9.2). Each request is retried once per new nonce.
    pub fn retry_with_nonce(
        &mut self,
        now: SimTime,
        id: MsgId,
        resp: &Response,
    ) -> Option<Request> {
        let req = self.sent.remove(&id)?;
        let url = http_wire::url_string(req.uri());
        if !self.wants_retry_with_nonce(&url, resp) {
            return None;
        }
        let token = http_wire::header(&req, "authorization")
            .and_then(|a| a.strip_prefix(&format!("{DPOP_TOKEN_TYPE} ")))
            .map(|t| t.trim().to_string());
        let mut again = req.clone();
        self.attach(now, &mut again, token.as_deref());
        Some(again)
    }

    /// Reads a response to a request sent to `url`: remembers a `DPoP-Nonce` it carries
    /// (RFC 9449 §8.2) and says whether the server refused the proof for lack of it
    /// (`use_dpop_nonce`, §8, §9), in which case the request should be sent again with
    /// a new proof.
    pub fn wants_retry_with_nonce(&mut self, url: &str, resp: &Response) -> bool {
        let Some(nonce) = http_wire::response_header(resp, DPOP_NONCE_HEADER) else {
            return false;
        };
        let origin = origin_of(url);
        let fresh = self.nonces.get(&origin).map(String::as_str) != Some(nonce);
        self.nonces.insert(origin, nonce.to_string());
        let in_body = serde_json::from_slice::<ErrorBody>(resp.body())
            .is_ok_and(|e| e.error == "use_dpop_nonce");
        let in_challenge = http_wire::response_header(resp, "www-authenticate")
            .is_some_and(|c| c.contains("use_dpop_nonce"));
        fresh && (in_body || in_challenge)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::rng::RngTree;
    use crate::protocol::dpop::{Expected, check_proof, open_proof};
    use http::Method;

    /// The claims of a proof this holder made.
    fn claims_of(proof: &str) -> ProofClaims {
        open_proof(proof).unwrap().claims
    }

    #[test]
    fn the_key_comes_from_the_actor_seed_and_leaves_its_stream_alone() {
        let tree = RngTree::new(42);
        let mut rng = tree.child("client");
        let before = random_token(&mut tree.child("client"), 16);
        let a = DpopHolder::for_actor(&rng);
        assert_eq!(
            random_token(&mut rng, 16),
            before,
            "the stream is untouched"
        );
        // The seed, not the stream position, decides the key.
        assert_eq!(DpopHolder::for_actor(&rng).jkt(), a.jkt());
        assert_ne!(
            DpopHolder::for_actor(&tree.child("photos-app")).jkt(),
            a.jkt()
        );
    }

    #[test]
    fn attach_signs_a_proof_for_the_request_and_a_nonce_is_used_after_it_is_asked_for() {
        let mut h = DpopHolder::for_actor(&RngTree::new(1).child("client"));
        let mut req = http_wire::request(Method::GET, "https://rs.example/photos?x=1");
        h.attach(SimTime::ZERO, &mut req, Some("tok"));
        assert_eq!(http_wire::header(&req, "authorization"), Some("DPoP tok"));
        let proof = http_wire::header(&req, "dpop").unwrap().to_string();
        let expect = Expected {
            method: "GET",
            url: "https://rs.example/photos",
            access_token: Some("tok"),
            nonce: None,
        };
        let opened = check_proof(&proof, &expect).unwrap();
        assert_eq!(opened.jkt, h.jkt());
        assert_eq!(opened.claims.htu, "https://rs.example/photos");
        // Each proof has its own jti.
        let second = h.proof(SimTime::ZERO, "GET", "https://rs.example/photos", None);
        assert_ne!(claims_of(&second).jti, opened.claims.jti);
        // The RS asks for a nonce: the next proof to that origin carries it.
        let resp = super::super::nonce_challenge("n-1");
        assert!(h.wants_retry_with_nonce("https://rs.example/photos", &resp));
        assert!(
            !h.wants_retry_with_nonce("https://rs.example/photos", &resp),
            "the same nonce twice is not retried again"
        );
        let with_nonce = h.proof(SimTime::ZERO, "GET", "https://rs.example/photos", None);
        let expect = Expected {
            access_token: None,
            nonce: Some("n-1"),
            ..expect
        };
        assert!(check_proof(&with_nonce, &expect).is_ok());
        let to_as = h.proof(SimTime::ZERO, "POST", "https://as.example/token", None);
        assert_eq!(claims_of(&to_as).nonce, None);
    }
}
