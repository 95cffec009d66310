//! DPoP at the resource server (RFC 9449 §7): with `dpop` on, the RS reads
//! `Authorization: DPoP <token>` as well as `Bearer`, and a token bound to a key
//! (`cnf.jkt`, §6.1) is accepted only with a proof that verifies, names this request
//! (`htm`, `htu`), hashes this token (`ath`), and is signed by the bound key. A bound
//! token sent as a bearer token is refused (§7.2). Refusals carry a `DPoP` challenge
//! (§7.1) and, when this RS requires one, its `DPoP-Nonce` (§9).

use http::StatusCode;

use super::bearer::Presented;
use super::{AcceptedToken, RequestInfo, RequestOutcome, ResourceServer};
use crate::actors::Ctx;
use crate::actors::dpop::guard::proof_header;
use crate::protocol::dpop::{DPOP_NONCE_HEADER, DPOP_TOKEN_TYPE, PROOF_ALGORITHMS, ProofRefusal};
use crate::protocol::errors::json_response;
use crate::protocol::http_wire::{self, Request};

/// Why the RS refused a request on DPoP grounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DpopRefusal {
    /// The token is used with the wrong scheme for its binding: `invalid_token`.
    Token(String),
    /// The proof is missing, invalid, replayed, by another key, or lacks the nonce.
    Proof(ProofRefusal),
}

impl DpopRefusal {
    fn code(&self) -> &'static str {
        match self {
            DpopRefusal::Token(_) => "invalid_token",
            DpopRefusal::Proof(p) => p.code(),
        }
    }

    fn description(&self) -> &str {
        match self {
            DpopRefusal::Token(d) => d,
            DpopRefusal::Proof(p) => p.description(),
        }
    }
}

/// The token of `Authorization: DPoP <token>` (RFC 9449 §7.1), if that is the scheme.
pub fn presented_dpop_token(req: &Request) -> Option<Presented> {
    let mut values = req.headers().get_all("authorization").iter();
    let first = values.next()?.to_str().ok()?.trim();
    let (scheme, rest) = first.split_once(' ').unwrap_or((first, ""));
    if !scheme.eq_ignore_ascii_case(DPOP_TOKEN_TYPE) {
        return None;
    }
    if values.next().is_some() {
        return Some(Presented::Malformed(
            "more than one Authorization header".into(),
        ));
    }
    let token = rest.trim();
    Some(if token.is_empty() {
        Presented::Malformed("the DPoP credentials are empty".into())
    } else {
        Presented::Token(token.to_string())
    })
}

impl ResourceServer {
    /// Checks the binding of an accepted token (RFC 9449 §7.1, §7.2); `dpop_scheme`
    /// says whether it came as `Authorization: DPoP`.
    pub(super) fn check_dpop(
        &mut self,
        ctx: &mut Ctx<'_>,
        req: &Request,
        token: &str,
        accepted: &AcceptedToken,
        dpop_scheme: bool,
    ) -> Result<(), DpopRefusal> {
        if !ctx.defenses.dpop {
            if accepted.jkt.is_some() {
                ctx.note("RS: the token is bound to a DPoP key (cnf.jkt), but dpop is off: the RS accepts it like a bearer token, from anyone.");
            }
            return Ok(());
        }
        let bound = match (&accepted.jkt, dpop_scheme) {
            (None, false) => return Ok(()),
            (None, true) => {
                return Err(DpopRefusal::Token(
                    "the token is not bound to a key (no cnf.jkt) but came with the DPoP scheme (RFC 9449 section 7.1)".into(),
                ));
            }
            (Some(_), false) => {
                return Err(DpopRefusal::Token(
                    "a DPoP-bound token (cnf.jkt) was sent as a bearer token; it is only good with a proof by its key (RFC 9449 section 7.2)".into(),
                ));
            }
            (Some(jkt), true) => jkt.clone(),
        };
        let proof = proof_header(req)
            .map_err(DpopRefusal::Proof)?
            .ok_or_else(|| {
                DpopRefusal::Proof(ProofRefusal::Invalid(
                    "no DPoP proof came with the DPoP-bound token (RFC 9449 section 7.1)".into(),
                ))
            })?;
        let opened = self
            .dpop
            .check(ctx, "RS", req, proof, Some(token))
            .map_err(DpopRefusal::Proof)?;
        if opened.jkt != bound {
            return Err(DpopRefusal::Proof(ProofRefusal::Invalid(format!(
                "the proof is signed by key {}, but the token is bound to key {bound} (RFC 9449 section 7.1)",
                opened.jkt
            ))));
        }
        ctx.note(format!(
            "RS: the proof's key thumbprint {bound} equals the token's cnf.jkt: the caller holds the private key the token was issued to (RFC 9449 §7.1)."
        ));
        Ok(())
    }

    /// Answers a refusal with 401 and a `DPoP` challenge (RFC 9449 §7.1), plus this
    /// RS's nonce when it requires one (§9).
    pub(super) fn reject_dpop(&mut self, ctx: &mut Ctx<'_>, info: &RequestInfo, why: DpopRefusal) {
        ctx.note(format!(
            "RS: answers 401 {} with a DPoP challenge: {}.",
            why.code(),
            why.description()
        ));
        let mut resp = json_response(
            StatusCode::UNAUTHORIZED,
            &serde_json::json!({"error": why.code(), "error_description": why.description()}),
        );
        let challenge = format!(
            "{DPOP_TOKEN_TYPE} algs=\"{}\", error=\"{}\", error_description=\"{}\"",
            PROOF_ALGORITHMS.join(" "),
            why.code(),
            why.description().replace(['"', '\\'], "'")
        );
        http_wire::set_header(resp.headers_mut(), "www-authenticate", &challenge);
        if let Some(n) = self.dpop.nonce() {
            http_wire::set_header(resp.headers_mut(), DPOP_NONCE_HEADER, n);
        }
        ctx.reply(info.reply.clone(), resp);
        self.log(
            ctx,
            info,
            RequestOutcome::Rejected {
                status: 401,
                error: Some(why.code().to_string()),
                reason: why.description().to_string(),
            },
        );
    }
}
