//! How the web client authenticates at an AS's back-channel endpoints: its secret
//! (`client_secret_basic`), or, with `private-key-jwt` on or its own setting, a client
//! assertion it signs with its key (RFC 7523 §2.2; OIDC Core §9; docs/PROTOCOL.md
//! item 34).
//!
//! The assertion's audience is where the 2025 audience-injection research found the
//! gap. With `strict-assertion-audience` the client addresses every assertion to the
//! issuer of the AS it is talking to, as one string, and types it
//! `client-authentication+jwt`; without it the client does what OIDC Core §9 suggests
//! and puts in `aud` the token endpoint URL that AS's metadata names — a URL the AS
//! itself chose, which may be another AS's.

use super::Client;
use crate::actors::Ctx;
use crate::actors::rng::random_token;
use crate::protocol::requests::{AssertionClaims, ClientAuth};

/// How long a client assertion is good for (RFC 7523 §3 item 4: "limit the time
/// window").
pub const ASSERTION_LIFETIME_SECS: u64 = 60;

impl Client {
    /// The client's authentication at the AS at `as_index`, for one request.
    pub(super) fn client_auth(&self, ctx: &mut Ctx<'_>, as_index: usize) -> ClientAuth {
        let reg = &self.config.auth_servers[as_index];
        let key = match &reg.assertion_key {
            Some(k) if ctx.defenses.private_key_jwt || reg.prefers_private_key_jwt => k,
            _ => return reg.secret_auth(),
        };
        let strict = ctx.defenses.strict_assertion_audience;
        let token_endpoint = self.known[as_index]
            .metadata
            .as_ref()
            .map(|m| m.token_endpoint.clone());
        let (aud, why) = match (strict, token_endpoint) {
            (false, Some(endpoint)) => (
                endpoint,
                "the token endpoint URL in its metadata (OIDC Core §9; strict-assertion-audience off)",
            ),
            _ => (
                reg.issuer.clone(),
                "exactly its issuer, typed client-authentication+jwt (strict-assertion-audience)",
            ),
        };
        let jti = random_token(ctx.rng, 16);
        let claims = AssertionClaims::new(
            &reg.client_id,
            &aud,
            &jti,
            ctx.now.unix_secs(),
            ASSERTION_LIFETIME_SECS,
        );
        ctx.note(format!(
            "Client: signs a client assertion for {} with its Ed25519 key (iss = sub = {}, jti {jti}, exp in {ASSERTION_LIFETIME_SECS} s); aud {aud} — {why}.",
            reg.issuer, reg.client_id
        ));
        ClientAuth::PrivateKeyJwt {
            id: reg.client_id.clone(),
            assertion: claims.sign(key, strict),
        }
    }
}
