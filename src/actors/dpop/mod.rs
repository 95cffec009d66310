//! DPoP in the actors (RFC 9449): the key a client holds and the proofs it makes
//! ([`holder`]), and what a server (AS or RS) keeps to check them — the `jti` cache,
//! the `iat` window and its nonce ([`guard`]). The stateless rules of a proof are in
//! `protocol::dpop`.

pub mod guard;
pub mod holder;

pub use guard::{IAT_WINDOW_SECS, ProofGuard};
pub use holder::DpopHolder;

/// A 401 asking for a DPoP nonce, as a server answers a proof without its nonce
/// (RFC 9449 §8, §9).
#[cfg(test)]
fn nonce_challenge(nonce: &str) -> crate::protocol::http_wire::Response {
    use crate::protocol::http_wire;
    let mut resp = http_wire::response(http::StatusCode::UNAUTHORIZED);
    http_wire::set_header(resp.headers_mut(), "dpop-nonce", nonce);
    http_wire::set_header(
        resp.headers_mut(),
        "www-authenticate",
        "DPoP error=\"use_dpop_nonce\"",
    );
    resp
}
