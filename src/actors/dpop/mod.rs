//! DPoP in the actors (RFC 9449): the key a client holds and the proofs it makes
//! ([`holder`]), and what a server (AS or RS) keeps to check them — the `jti` cache,
//! the `iat` window and its nonce ([`guard`]). The stateless rules of a proof are in
//! `protocol::dpop`.

pub mod guard;
pub mod holder;

pub use guard::{IAT_WINDOW_SECS, ProofGuard};
pub use holder::DpopHolder;
