//! The attacker capabilities (RFC 9700 §3) a run actually exercised, read off its trace:
//! what the interceptors handed an attacker (copies, captures, diversions) and which
//! attacker actors honest parties talked to. The catalog's declared capabilities must
//! cover these (checked over the whole catalog by the matrix test).

use std::collections::BTreeSet;

use super::Capability;
use super::role::{Role, role};
use crate::actors::Origin;
use crate::sim::{Channel, Step, StepKind, Trace};

/// Every capability the run's trace shows the attacker using.
pub fn used(trace: &Trace) -> BTreeSet<Capability> {
    let mut caps = BTreeSet::new();
    for s in &trace.steps {
        if s.kind == StepKind::Event {
            continue;
        }
        let from = role(trace, &s.from);
        let to = role(trace, &s.to);
        if from == Role::Controlled {
            // The attacker's own browser, with its own account (A1).
            caps.insert(Capability::WebAttacker);
        }
        let handed_over = s.channel == Channel::Observed
            || (s.origin == Origin::Attacker && from == Role::Honest);
        if handed_over && to == Role::Attacker && from == Role::Honest {
            caps.extend(what_was_read(s));
        }
        if s.origin == Origin::Honest && to == Role::Attacker && s.channel != Channel::Observed {
            caps.extend(who_was_asked(trace, s));
        }
    }
    caps
}

/// The capability a copy, capture or diversion of an honest message exercises.
fn what_was_read(step: &Step) -> Option<Capability> {
    let d = &step.decoded;
    let carries = |k: &str| d.param(k).is_some();
    // A copy keeps the message's wire text: a request has a method.
    if d.method.is_some() && carries("response_type") {
        // A4: reads authorization requests.
        Some(Capability::RequestReader)
    } else if d
        .json
        .as_ref()
        .is_some_and(|j| j.get("access_token").is_some())
    {
        // Reads what a client stores: the tokens it receives.
        Some(Capability::StorageReader)
    } else if d.method.is_some()
        && d.header("authorization")
            .is_some_and(|h| h.starts_with("Bearer ") || h.starts_with("DPoP "))
    {
        // A5: reads a request on its way to the RS, access token included.
        Some(Capability::AccessTokenReader)
    } else if carries("code") || carries("access_token") || carries("id_token") {
        // A3: reads authorization responses (a redirect, or the callback it leads to).
        Some(Capability::ResponseReader)
    } else {
        None
    }
}

/// The capability an honest party's request to an attacker actor shows: a browser
/// visiting the attacker's site (A1), a client or browser asking its AS (a malicious AS), or a
/// client presenting an access token to it (A5).
fn who_was_asked(trace: &Trace, step: &Step) -> Option<Capability> {
    if step.kind != StepKind::Request {
        return None;
    }
    let sender = trace.actors.iter().find(|a| a.id == step.from)?;
    if sender.kind == crate::actors::ActorKind::Browser {
        // A browser sent to the attacker's authorization endpoint meets a malicious
        // AS; any other page of the attacker's is its web site (A1).
        return Some(if step.decoded.param("response_type").is_some() {
            Capability::MaliciousAs
        } else {
            Capability::WebAttacker
        });
    }
    if step
        .decoded
        .header("authorization")
        .is_some_and(|h| h.starts_with("Bearer") || h.starts_with("DPoP"))
    {
        return Some(Capability::CounterfeitRs);
    }
    Some(Capability::MaliciousAs)
}
