//! The headline of a step that is not simply an honest actor's message: who really
//! sent it and, when it reached someone other than its addressee, by which capability
//! (RFC 9700 §3).

use crate::actors::Origin;
use crate::sim::{Step, StepKind, Trace};

use super::cast::{is_attacker, who, who_cap};
use super::request::custom_scheme;

/// Whether an observed copy is all that was recorded of its message: the attacker took
/// it, and no step delivers the original.
pub fn was_captured(trace: &Trace, step: &Step) -> bool {
    step.kind == StepKind::Observed
        && !trace
            .steps
            .iter()
            .any(|s| s.kind != StepKind::Observed && s.from == step.from && s.wire == step.wire)
}

/// `⚠ …` for an attacker's step, `✎ …` for a learner's, nothing for an honest one.
pub fn headline(trace: &Trace, step: &Step) -> Option<String> {
    match step.origin {
        Origin::Honest => None,
        Origin::Learner => Some("✎ You sent or edited this message.".into()),
        Origin::Attacker => Some(format!("⚠ {}", attacker_headline(trace, step))),
    }
}

fn attacker_headline(trace: &Trace, step: &Step) -> String {
    let from = step.from.as_str();
    let to = step.to.as_str();
    match step.kind {
        StepKind::Event => "The attacker's move, not a message.".to_string(),
        // The sentence that follows names the actor; the headline says whose it is.
        StepKind::Observed if was_captured(trace, step) => {
            "Captured by the attacker, not delivered:".to_string()
        }
        StepKind::Observed => "Read by the attacker:".to_string(),
        _ if is_attacker(trace, from) => "Sent by the attacker:".to_string(),
        _ if is_attacker(trace, to) => match custom_scheme(step) {
            Some(scheme) => format!(
                "Diverted: {} sent it; the OS handed it to {}, which claims the {scheme}: scheme too (RFC 8252 §8.1).",
                who_cap(trace, from),
                who(trace, to)
            ),
            None => format!(
                "Diverted: {} sent this, and an attacker's interception delivered it to {}:",
                who_cap(trace, from),
                who(trace, to)
            ),
        },
        _ => format!(
            "Altered in transit: the attacker rewrote what {} sent:",
            who(trace, from)
        ),
    }
}
