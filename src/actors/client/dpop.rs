//! The web client's DPoP (RFC 9449): with `dpop` on it proves possession of its key on
//! every token request (§5) and, with a `DPoP` access token, on every API call
//! (`Authorization: DPoP`, §7.1). The key comes from the client's seeded RNG
//! ([`DpopHolder::for_actor`]).

use super::Client;
use crate::actors::dpop::DpopHolder;
use crate::actors::{Ctx, MsgId};
use crate::protocol::dpop::DPOP_TOKEN_TYPE;
use crate::protocol::http_wire::{Request, Response};

/// Whether a token response's `token_type` says the token is bound to the client's
/// key (RFC 9449 §5; token types compare case-insensitively, RFC 6749 §5.1).
pub(super) fn is_dpop_type(token_type: &str) -> bool {
    token_type.eq_ignore_ascii_case(DPOP_TOKEN_TYPE)
}

impl Client {
    /// Sends `req`, remembering it when it carries a proof (RFC 9449 §8: the server
    /// may answer with a nonce to use).
    pub(super) fn send_proved(&mut self, ctx: &mut Ctx<'_>, req: Request) -> MsgId {
        let id = ctx.send(req.clone());
        if let Some(h) = self.dpop.as_mut() {
            h.remember(id, req);
        }
        id
    }

    /// When the answer to `id` asks for a DPoP nonce, sends the request again with a
    /// proof carrying it and returns the new request's id (RFC 9449 §8.2, §9.2).
    pub(super) fn resend_with_nonce(
        &mut self,
        ctx: &mut Ctx<'_>,
        id: MsgId,
        resp: &Response,
    ) -> Option<MsgId> {
        let again = self.dpop.as_mut()?.retry_with_nonce(ctx.now, id, resp)?;
        ctx.note("Client: the server wants its DPoP nonce in the proof (use_dpop_nonce); sends the same request again with a fresh proof that carries it (RFC 9449 §8, §9).");
        Some(self.send_proved(ctx, again))
    }

    /// The client's DPoP key holder, made on first use.
    fn dpop_holder(&mut self, ctx: &Ctx<'_>) -> &mut DpopHolder {
        DpopHolder::in_slot(&mut self.dpop, ctx.rng)
    }

    /// Adds a DPoP proof to a token request when `dpop` is on (RFC 9449 §5).
    pub(super) fn prove_token_request(&mut self, ctx: &mut Ctx<'_>, mut req: Request) -> Request {
        if ctx.defenses.dpop {
            let now = ctx.now;
            let holder = self.dpop_holder(ctx);
            holder.attach(now, &mut req, None);
            let jkt = holder.jkt().to_string();
            ctx.note(format!(
                "Client: signs a DPoP proof for this token request with its own key (jkt {jkt}), asking for tokens bound to that key (RFC 9449 §5)."
            ));
        }
        req
    }

    /// Sends the access token of an API call: with a `DPoP` token (and `dpop` on) as
    /// `Authorization: DPoP` with a proof for this request and token (RFC 9449 §7.1),
    /// else as a bearer token (RFC 6750 §2.1).
    pub(super) fn authorize_api_call(
        &mut self,
        ctx: &mut Ctx<'_>,
        req: &mut Request,
        token: &str,
        dpop_bound: bool,
    ) {
        if dpop_bound && ctx.defenses.dpop {
            let now = ctx.now;
            self.dpop_holder(ctx).attach(now, req, Some(token));
            ctx.note("Client: calls the API with Authorization: DPoP and a fresh proof for this request, its ath the hash of the access token (RFC 9449 §7.1).");
        } else {
            crate::protocol::http_wire::set_header(
                req.headers_mut(),
                "authorization",
                &format!("Bearer {token}"),
            );
        }
    }
}
