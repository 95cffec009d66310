//! Live mode's intercept as the trace shows it, in the live world and in the replay of
//! a recorded session (`serve --record`, then `run --scenario`): one event step per
//! request the intercept let go of, saying what became of it.
//!
//! A request one of the world's own parties sent (a back-channel call such as the
//! client's token request, RFC 6749 §4.1.3, or the RS's introspection, RFC 7662 §2.1)
//! is recorded twice: [`super::LearnerInput::HoldSent`] when it reached its party's
//! listener and waited there, [`super::LearnerInput::Intercepted`] when the learner
//! forwarded it (perhaps edited) or dropped it, or it timed out. The replay holds the
//! same request from the moment it was sent and releases it the same way; a dropped
//! or timed-out request gets the intercept's answer (RFC 9110 §15.6.3, §15.6.5) as its
//! sender got it live.

use super::{ActorId, Origin, SimTime, Step};

/// The event step of a request from `from` to `to` (`request`: its method and path)
/// that the intercept let go of; `what` says how (held how long, forwarded as it was
/// or edited, or answered 502 / 504).
pub fn intercept_event(
    now: SimTime,
    (from, to): (&ActorId, &ActorId),
    request: &str,
    what: &str,
) -> Step {
    Step::event(
        now,
        (from, to),
        Origin::Honest,
        format!("{request}: {what}"),
        format!("The intercept: {request} from {from} to {to}: {what}."),
    )
}
