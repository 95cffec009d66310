//! DPoP at the token endpoint (RFC 9449 §5): with `dpop` on, a token request that
//! carries a valid proof gets tokens bound to the proof's key — the access token's
//! `cnf.jkt` (§6.1), the refresh token of a public client (§5) — and `token_type`
//! `DPoP`; a refresh token bound to a key is honoured only with a proof by that key.
//! A request without a proof still gets bearer tokens (the AS does not demand DPoP).
//! Errors are `invalid_dpop_proof` and `use_dpop_nonce`, with `DPoP-Nonce` when this
//! AS requires a nonce (§8).

use super::AuthServer;
use super::registrar::ClientRegistration;
use crate::actors::Ctx;
use crate::actors::dpop::guard::proof_header;
use crate::protocol::dpop::{DPOP_NONCE_HEADER, ProofRefusal};
use crate::protocol::errors::{ErrorCode, OAuthError};
use crate::protocol::http_wire::{self, Request, Response};

/// The error a refused proof gets at the token endpoint (RFC 9449 §5, §8).
fn refusal_error(r: &ProofRefusal) -> OAuthError {
    let code = match r {
        ProofRefusal::Invalid(_) => ErrorCode::InvalidDpopProof,
        ProofRefusal::NonceNeeded(_) => ErrorCode::UseDpopNonce,
    };
    OAuthError::new(code, r.description())
}

/// The key a token request proved possession of, and what it binds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Binding {
    /// The thumbprint of the proof key.
    pub jkt: String,
    /// Whether the refresh token is bound too (public clients, RFC 9449 §5).
    pub refresh_bound: bool,
}

impl AuthServer {
    /// Checks the DPoP proof of a token request from `client` (RFC 9449 §4.3, §5).
    /// `Ok(None)`: no binding (no proof, or `dpop` off).
    pub(crate) fn dpop_at_token(
        &mut self,
        ctx: &mut Ctx<'_>,
        req: &Request,
        client: &ClientRegistration,
    ) -> Result<Option<Binding>, OAuthError> {
        let proof = proof_header(req).map_err(|r| refusal_error(&r))?;
        if !ctx.defenses.dpop {
            if proof.is_some() {
                ctx.note("AS: the request carries a DPoP proof, but dpop is off: the AS ignores it and issues bearer tokens.");
            }
            return Ok(None);
        }
        let Some(proof) = proof else {
            ctx.note("AS: no DPoP proof with this token request, so the tokens it issues are bearer tokens, usable by whoever holds them.");
            return Ok(None);
        };
        let opened = self
            .dpop
            .check(ctx, "AS", req, proof, None)
            .map_err(|r| refusal_error(&r))?;
        Ok(Some(Binding {
            jkt: opened.jkt,
            refresh_bound: !client.is_confidential(),
        }))
    }

    /// Checks the DPoP proof a pushed authorization request carries, when `dpop` is on
    /// (RFC 9449 §10.1, the proof checked as in §4.3; a refusal is `invalid_dpop_proof`
    /// or `use_dpop_nonce`). A push without one is taken as it is; the tokens are bound
    /// by the proof at the token endpoint.
    pub(crate) fn dpop_at_par(
        &mut self,
        ctx: &mut Ctx<'_>,
        req: &Request,
    ) -> Result<(), OAuthError> {
        let proof = proof_header(req).map_err(|r| refusal_error(&r))?;
        let (Some(proof), true) = (proof, ctx.defenses.dpop) else {
            return Ok(());
        };
        self.dpop
            .check(ctx, "AS", req, proof, None)
            .map_err(|r| refusal_error(&r))?;
        Ok(())
    }

    /// A refresh token bound to a key needs a proof by that key (RFC 9449 §5).
    pub(crate) fn dpop_refresh_binding(
        ctx: &mut Ctx<'_>,
        bound: Option<&str>,
        binding: Option<&Binding>,
    ) -> Result<(), OAuthError> {
        let Some(bound) = bound else {
            return Ok(());
        };
        if !ctx.defenses.dpop {
            ctx.note("AS: this refresh token is bound to a DPoP key, but dpop is off: the AS does not ask for a proof.");
            return Ok(());
        }
        match binding {
            Some(b) if b.jkt == bound => {
                ctx.note(format!(
                    "AS: the refresh token is bound to DPoP key {bound}, and the proof is signed by that key (RFC 9449 §5)."
                ));
                Ok(())
            }
            Some(b) => Err(OAuthError::new(
                ErrorCode::InvalidDpopProof,
                format!(
                    "the refresh token is bound to DPoP key {bound}, but the proof is signed by key {} (RFC 9449 section 5)",
                    b.jkt
                ),
            )),
            None => Err(OAuthError::new(
                ErrorCode::InvalidDpopProof,
                format!(
                    "the refresh token is bound to DPoP key {bound}: a proof by that key is required (RFC 9449 section 5)"
                ),
            )),
        }
    }

    /// Adds this AS's current `DPoP-Nonce` to a token endpoint response (RFC 9449 §8.1).
    pub(crate) fn with_dpop_nonce(&self, resp: &mut Response) {
        if let Some(n) = self.dpop.nonce() {
            http_wire::set_header(resp.headers_mut(), DPOP_NONCE_HEADER, n);
        }
    }
}
