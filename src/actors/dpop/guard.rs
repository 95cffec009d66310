//! The server's side of DPoP (RFC 9449 §4.3, §8, §9, §11.1), shared by the AS and the
//! RS: it finds the proof of a request, checks it with `protocol::dpop::check_proof`,
//! and — while `dpop-proof-replay-check` is on — refuses a `jti` it has already seen
//! and an `iat` outside a short window. A server configured to require a nonce hands
//! one out (`DPoP-Nonce`) and accepts only proofs that carry it.

use std::collections::BTreeMap;

use crate::actors::Ctx;
use crate::actors::rng::random_token;
use crate::protocol::dpop::{DPOP_HEADER, Expected, OpenedProof, ProofRefusal, check_proof};
use crate::protocol::http_wire::{self, Request};

/// How far `iat` may be from the server's clock, either way (RFC 9449 §11.1: "a
/// relatively brief period", seconds to minutes).
pub const IAT_WINDOW_SECS: u64 = 60;

/// The `DPoP` header of a request: `Ok(None)` without one; more than one is refused
/// (RFC 9449 §4.3 item 1).
pub fn proof_header(req: &Request) -> Result<Option<&str>, ProofRefusal> {
    let mut values = req.headers().get_all(DPOP_HEADER).iter();
    let first = values.next();
    if values.next().is_some() {
        return Err(ProofRefusal::Invalid(
            "the request carries more than one DPoP header (RFC 9449 §4.3)".into(),
        ));
    }
    match first.map(|v| v.to_str()) {
        None => Ok(None),
        Some(Ok(v)) => Ok(Some(v.trim())),
        Some(Err(_)) => Err(ProofRefusal::Invalid(
            "the DPoP header is not printable text".into(),
        )),
    }
}

/// What one server remembers about the proofs it has seen.
#[derive(Debug, Clone, Default)]
pub struct ProofGuard {
    /// `jkt ‖ jti` of every proof accepted within the window, with its `iat`.
    seen: BTreeMap<String, u64>,
    /// Whether this server demands its own nonce in proofs (RFC 9449 §8, §9).
    require_nonce: bool,
    /// The nonce it hands out now.
    nonce: Option<String>,
}

impl ProofGuard {
    pub fn new(require_nonce: bool) -> Self {
        ProofGuard {
            require_nonce,
            ..Self::default()
        }
    }

    /// Whether this server demands a nonce.
    pub fn requires_nonce(&self) -> bool {
        self.require_nonce
    }

    /// The nonce to send in `DPoP-Nonce`, if this server demands one.
    pub fn nonce(&self) -> Option<&str> {
        self.nonce.as_deref()
    }

    /// How many proofs it remembers.
    pub fn remembered(&self) -> usize {
        self.seen.len()
    }

    /// Checks `proof`, sent with `req` (and `access_token`, at an RS), for the server
    /// `who` ("AS", "RS"); notes each check. `Ok` is the opened proof.
    pub fn check(
        &mut self,
        ctx: &mut Ctx<'_>,
        who: &str,
        req: &Request,
        proof: &str,
        access_token: Option<&str>,
    ) -> Result<OpenedProof, ProofRefusal> {
        if self.require_nonce && self.nonce.is_none() {
            self.nonce = Some(random_token(ctx.rng, 16));
        }
        let url = http_wire::url_string(req.uri());
        let expected = Expected {
            method: req.method().as_str(),
            url: &url,
            access_token,
            nonce: self.nonce.as_deref(),
        };
        let opened = check_proof(proof, &expected)?;
        let c = &opened.claims;
        ctx.note(format!(
            "{who}: the DPoP proof's signature verifies with the key in its own jwk header (jkt {}); htm {} and htu {} match this request{}{}.",
            opened.jkt,
            c.htm,
            c.htu,
            if access_token.is_some() {
                ", and ath is the hash of the access token it comes with"
            } else {
                ""
            },
            if expected.nonce.is_some() {
                ", and it carries this server's nonce"
            } else {
                ""
            }
        ));
        if !ctx.defenses.dpop_proof_replay_check {
            ctx.note(format!(
                "{who}: dpop-proof-replay-check is off, so it neither remembers the proof's jti nor looks at how old its iat is."
            ));
            return Ok(opened);
        }
        let now = ctx.now.unix_secs();
        let age = now.abs_diff(c.iat);
        if age > IAT_WINDOW_SECS {
            return Err(ProofRefusal::Invalid(format!(
                "the proof's iat is {age} s away from now, outside the {IAT_WINDOW_SECS} s window (RFC 9449 §11.1)"
            )));
        }
        // Entries older than the window can no longer pass the iat check: forget them.
        self.seen
            .retain(|_, iat| now.abs_diff(*iat) <= IAT_WINDOW_SECS);
        let key = format!("{}\u{0}{}", opened.jkt, c.jti);
        if self.seen.contains_key(&key) {
            return Err(ProofRefusal::Invalid(format!(
                "the proof's jti {} was already used: a replayed proof (RFC 9449 §11.1)",
                c.jti.chars().take(40).collect::<String>()
            )));
        }
        self.seen.insert(key, c.iat);
        ctx.note(format!(
            "{who}: the proof is {age} s old (within {IAT_WINDOW_SECS} s) and its jti is new; remembered so a replay is refused (RFC 9449 §11.1)."
        ));
        Ok(opened)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::dpop::DpopHolder;
    use crate::actors::rng::RngTree;
    use crate::actors::{ActorId, Defenses, SimTime};
    use http::Method;

    fn run(
        guard: &mut ProofGuard,
        defenses: &Defenses,
        now: SimTime,
        req: &Request,
    ) -> Result<OpenedProof, ProofRefusal> {
        let mut rng = RngTree::new(1).child("rs");
        let mut next = 0;
        let mut ctx = Ctx::new(now, defenses, &mut rng, ActorId::new("rs"), &mut next);
        let proof = proof_header(req)?.unwrap_or_default().to_string();
        guard.check(&mut ctx, "RS", req, &proof, Some("tok"))
    }

    fn signed(holder: &mut DpopHolder, at: SimTime) -> Request {
        let mut req = http_wire::request(Method::GET, "https://rs.example/photos");
        holder.attach(at, &mut req, Some("tok"));
        req
    }

    #[test]
    fn a_replayed_or_stale_proof_is_refused_only_while_the_check_is_on() {
        let mut holder = DpopHolder::for_actor(&RngTree::new(1).child("client"));
        let t0 = SimTime::ZERO.plus_secs(1000);
        let req = signed(&mut holder, t0);
        let on = Defenses::bcp();
        let mut guard = ProofGuard::new(false);
        assert!(run(&mut guard, &on, t0, &req).is_ok());
        let again = run(&mut guard, &on, t0.plus_secs(1), &req).unwrap_err();
        assert!(again.description().contains("already used"), "{again:?}");
        let stale = run(&mut ProofGuard::new(false), &on, t0.plus_secs(61), &req).unwrap_err();
        assert!(stale.description().contains("window"), "{stale:?}");
        let mut off = Defenses::bcp();
        off.dpop_proof_replay_check = false;
        let mut lax = ProofGuard::new(false);
        for later in [0, 1, 3600] {
            assert!(run(&mut lax, &off, t0.plus_secs(later), &req).is_ok());
        }
        assert_eq!(lax.remembered(), 0);
        // A new proof for the same request is fine.
        assert!(
            run(
                &mut guard,
                &on,
                t0.plus_secs(2),
                &signed(&mut holder, t0.plus_secs(2))
            )
            .is_ok()
        );
    }

    #[test]
    fn a_server_that_requires_a_nonce_hands_one_out_and_then_accepts_it() {
        let mut holder = DpopHolder::for_actor(&RngTree::new(1).child("client"));
        let mut guard = ProofGuard::new(true);
        let on = Defenses::bcp();
        let e = run(
            &mut guard,
            &on,
            SimTime::ZERO,
            &signed(&mut holder, SimTime::ZERO),
        )
        .unwrap_err();
        assert_eq!(e.code(), "use_dpop_nonce");
        let nonce = guard.nonce().unwrap().to_string();
        let resp = super::super::nonce_challenge(&nonce);
        assert!(holder.wants_retry_with_nonce("https://rs.example/photos", &resp));
        assert!(
            run(
                &mut guard,
                &on,
                SimTime::ZERO,
                &signed(&mut holder, SimTime::ZERO)
            )
            .is_ok()
        );
    }

    #[test]
    fn two_dpop_headers_are_refused() {
        let mut req = http_wire::request(Method::GET, "https://rs.example/photos");
        req.headers_mut()
            .append("dpop", http::HeaderValue::from_static("a"));
        req.headers_mut()
            .append("dpop", http::HeaderValue::from_static("b"));
        assert!(proof_header(&req).is_err());
        let none = http_wire::request(Method::GET, "https://rs.example/photos");
        assert_eq!(proof_header(&none), Ok(None));
    }
}
