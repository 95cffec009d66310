//! DPoP in tests (RFC 9449): a probe's own key, proofs made by hand (any claims, any
//! time), and the proofs a step carries, opened and checked.

use crate::actors::SimTime;
use crate::protocol::dpop::{DpopKey, OpenedProof, ProofClaims, access_token_hash, open_proof};
use crate::protocol::http_wire::{self, Request};
use crate::sim::Step;

/// A DPoP key that is not any actor's: `seed` picks which.
pub fn probe_key(seed: u8) -> DpopKey {
    DpopKey::from_seed(&[seed; 32])
}

/// Claims of a proof for `method url` at `at`, with `ath` for `token` and jti `jti`.
pub fn proof_claims(
    method: &str,
    url: &str,
    token: Option<&str>,
    at: SimTime,
    jti: &str,
) -> ProofClaims {
    ProofClaims {
        jti: jti.to_string(),
        htm: method.to_string(),
        htu: url.to_string(),
        iat: at.unix_secs(),
        ath: token.map(access_token_hash),
        nonce: None,
    }
}

/// `req` with `proof` in its `DPoP` header and, given a token, `Authorization: DPoP`.
pub fn with_dpop(mut req: Request, proof: &str, token: Option<&str>) -> Request {
    http_wire::set_header(req.headers_mut(), "dpop", proof);
    if let Some(t) = token {
        http_wire::set_header(req.headers_mut(), "authorization", &format!("DPoP {t}"));
    }
    req
}

/// The DPoP proof a step carries, opened (signature checked with its own `jwk`).
pub fn proof_of(step: &Step) -> OpenedProof {
    let proof = step.decoded.header("dpop").unwrap_or_else(|| {
        panic!(
            "step {} ({}) carries no DPoP proof",
            step.index, step.summary
        )
    });
    open_proof(proof).unwrap_or_else(|e| panic!("step {}: {e}", step.index))
}
