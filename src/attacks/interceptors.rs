//! Attacker capabilities as bus interceptors (RFC 9700 §3): each sees every message as
//! it is sent and, when its matcher fires, copies, captures, diverts or rewrites it.

use crate::actors::ActorId;
use crate::protocol::http_wire;
use crate::sim::{Decision, Envelope, Interceptor};

/// What a tap does with a matching message.
pub enum TapAction {
    /// Deliver it, and a copy to this reader (A3/A4-style reading).
    CopyTo(ActorId),
    /// Do not deliver it; the attacker takes it (its own browser, stopping).
    Capture(ActorId),
    /// Deliver it to this actor instead (the OS picks the malicious app, RFC 8252 §8.1).
    Reroute(ActorId),
    /// Replace its wire text (a network attacker changing a request).
    Rewrite(Box<dyn Fn(&str) -> String>),
}

/// A matcher on an envelope.
pub type Matcher = Box<dyn Fn(&Envelope) -> bool>;

/// An interceptor: a name (shown in the trace), a matcher and an action.
pub struct Tap {
    name: String,
    matcher: Matcher,
    action: TapAction,
    /// Fire at most this many times (`None`: always).
    remaining: Option<usize>,
}

impl Tap {
    pub fn new(
        name: &str,
        matcher: impl Fn(&Envelope) -> bool + 'static,
        action: TapAction,
    ) -> Self {
        Tap {
            name: name.to_string(),
            matcher: Box::new(matcher),
            action,
            remaining: None,
        }
    }

    /// Fires only on the first `n` matching messages.
    pub fn times(mut self, n: usize) -> Self {
        self.remaining = Some(n);
        self
    }
}

impl Interceptor for Tap {
    fn name(&self) -> &str {
        &self.name
    }

    fn on_send(&mut self, env: &Envelope) -> Decision {
        if self.remaining == Some(0) || !(self.matcher)(env) {
            return Decision::Pass;
        }
        if let Some(n) = self.remaining.as_mut() {
            *n -= 1;
        }
        match &self.action {
            TapAction::CopyTo(a) => Decision::CopyTo(a.clone()),
            TapAction::Capture(a) => Decision::Capture(a.clone()),
            TapAction::Reroute(a) => Decision::Reroute(a.clone()),
            TapAction::Rewrite(f) => Decision::Replace(f(&env.wire)),
        }
    }
}

/// The request line's target (`/cb?code=…` or an absolute URL), if the envelope is a request.
pub fn request_target(env: &Envelope) -> Option<&str> {
    if env.is_response() {
        return None;
    }
    env.wire.lines().next()?.split(' ').nth(1)
}

/// Whether the envelope is a request from `from` to `to` whose path starts with `path`.
pub fn is_request(env: &Envelope, from: &str, to: &str, path: &str) -> bool {
    env.from.as_str() == from
        && env.to.as_str() == to
        && http_wire::parse_request(&env.wire).is_ok_and(|r| r.uri().path().starts_with(path))
}

/// Whether the envelope is a response from `from` to `to` whose `Location` carries a
/// `code` or `error` (an authorization response, RFC 6749 §4.1.2).
pub fn is_authorization_response(env: &Envelope, from: &str, to: &str) -> bool {
    env.from.as_str() == from
        && env.to.as_str() == to
        && http_wire::parse_response(&env.wire).is_ok_and(|r| {
            http_wire::response_header(&r, "location")
                .is_some_and(|l| l.contains("code=") || l.contains("access_token="))
        })
}

/// Whether the envelope is a token endpoint response (JSON with `access_token`) to `to`.
pub fn is_token_response(env: &Envelope, to: &str) -> bool {
    env.to.as_str() == to && env.is_response() && env.wire.contains("\"access_token\"")
}
