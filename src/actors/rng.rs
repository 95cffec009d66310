//! One seed, a child RNG per actor (determinism: same seed, same numbers): the child's
//! seed is SHA-256(seed ‖ label), so adding an actor never changes another actor's
//! numbers. A named world (an attack) mixes its name in: SHA-256(seed ‖ SHA-256(world) ‖
//! label), so Mallory's code in one attack is not Alice's code in the plain flow.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use sha2::{Digest, Sha256};

/// The root of the RNG tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RngTree {
    seed: u64,
    /// SHA-256 of the world's name; `None` for the plain flow.
    world: Option<[u8; 32]>,
}

impl RngTree {
    pub fn new(seed: u64) -> Self {
        RngTree { seed, world: None }
    }

    /// The same tree in the world called `world` (an attack id).
    pub fn in_world(self, world: &str) -> Self {
        RngTree {
            world: Some(Sha256::digest(world.as_bytes()).into()),
            ..self
        }
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The RNG of the actor (or purpose) called `label`.
    pub fn child(&self, label: &str) -> ChaCha20Rng {
        let mut h = Sha256::new();
        h.update(self.seed.to_be_bytes());
        if let Some(w) = &self.world {
            h.update(w);
        }
        h.update(label.as_bytes());
        ChaCha20Rng::from_seed(h.finalize().into())
    }
}

/// `n` random octets, base64url without padding: a code, token, state or verifier.
pub fn random_token(rng: &mut ChaCha20Rng, n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// 32 random octets (for a PKCE verifier, RFC 7636 §4.1).
pub fn random_32(rng: &mut ChaCha20Rng) -> [u8; 32] {
    let mut bytes = [0u8; 32];
    rng.fill_bytes(&mut bytes);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn children_are_independent_and_reproducible() {
        let t = RngTree::new(7);
        let a1 = random_token(&mut t.child("as"), 16);
        let a2 = random_token(&mut t.child("as"), 16);
        let c = random_token(&mut t.child("client"), 16);
        let other = random_token(&mut RngTree::new(8).child("as"), 16);
        assert_eq!(a1, a2);
        assert_ne!(a1, c);
        assert_ne!(a1, other);
    }

    #[test]
    fn a_named_world_changes_every_child_and_the_plain_tree_does_not_move() {
        let plain = RngTree::new(7);
        let csrf = plain.in_world("csrf-login");
        let mut expected = Sha256::new();
        expected.update(7u64.to_be_bytes());
        expected.update(b"as");
        let mut by_hand = ChaCha20Rng::from_seed(expected.finalize().into());
        assert_eq!(
            random_token(&mut plain.child("as"), 16),
            random_token(&mut by_hand, 16),
            "the plain flow keeps its numbers"
        );
        assert_ne!(
            random_token(&mut plain.child("as"), 16),
            random_token(&mut csrf.child("as"), 16)
        );
        assert_ne!(
            random_token(&mut csrf.child("as"), 16),
            random_token(&mut plain.in_world("mix-up").child("as"), 16)
        );
    }
}
