//! Who set a message in motion, read off the trace's causality (`cause`) and the actors'
//! marks in its header: what the attacker caused, and where its plan first acted.

use std::collections::BTreeSet;

use super::role::{Role, role};
use crate::actors::{MsgId, Origin};
use crate::sim::{Channel, Step, StepKind, Trace};

/// The messages the attacker set in motion: its own (and its actors'), and everything
/// an actor sent while handling one of them (e.g. the token request a client makes for
/// an injected callback). Indexed by message id.
pub fn attacker_caused(trace: &Trace) -> BTreeSet<MsgId> {
    taint(trace, |s| s.origin == Origin::Attacker)
}

/// The messages that carry something the attacker's plan made: what its own actors sent
/// with data in it, what an interceptor diverted or rewrote, a URL with parameters that
/// a browser it controls opened, and everything an honest actor sent while handling one
/// of those. Not: a copy an interceptor handed it (reading is not acting), a bare link
/// to a site's start page, and the honest code of the attacker's own browser following
/// an honest site's redirect (Mallory signing in like anyone else).
pub fn attacker_shaped(trace: &Trace) -> BTreeSet<MsgId> {
    taint(trace, |s| is_attack_move(trace, s))
}

/// The first step where the attacker's plan acted: a message of [`attacker_shaped`], or
/// an act of the attacker's own actor on an instruction of the script (e.g. it e-mails
/// Alice a link, which is no message on the network).
pub fn first_attack_move(trace: &Trace) -> Option<usize> {
    trace
        .steps
        .iter()
        .find(|s| (s.msg_id.is_some() && is_attack_move(trace, s)) || is_own_act(trace, s))
        .map(|s| s.index)
}

/// Whether `step` is an event of one of the attacker's own actors.
fn is_own_act(trace: &Trace, step: &Step) -> bool {
    step.kind == StepKind::Event
        && step.origin == Origin::Attacker
        && matches!(role(trace, &step.from), Role::Attacker)
}

fn taint(trace: &Trace, seed: impl Fn(&Step) -> bool) -> BTreeSet<MsgId> {
    let mut tainted = BTreeSet::new();
    for s in &trace.steps {
        let by_cause = s.cause.is_some_and(|c| tainted.contains(&c));
        if let Some(id) = s.msg_id
            && (by_cause || seed(s))
        {
            tainted.insert(id);
        }
    }
    tainted
}

/// Whether `step` is itself a move of the attacker's plan (not merely caused by one).
fn is_attack_move(trace: &Trace, step: &Step) -> bool {
    if step.channel == Channel::Observed || step.origin != Origin::Attacker {
        return false;
    }
    let sender = role(trace, &step.from);
    match sender {
        // The attacker's own actors: a move when the message carries data.
        Role::Attacker => carries_data(step),
        // An honest program the attacker drives (its own browser): a move when the
        // attacker typed a URL with parameters into it (no cause: an input).
        Role::Controlled => step.cause.is_none() && carries_data(step),
        // An honest actor's message marked as the attacker's: an interceptor diverted
        // or rewrote it.
        Role::Honest => true,
    }
}

/// Whether a message carries protocol data: parameters, a body, a token.
fn carries_data(step: &Step) -> bool {
    let d = &step.decoded;
    !d.query.is_empty()
        || !d.form.is_empty()
        || !d.location_query.is_empty()
        || d.json.is_some()
        || d.title.is_some()
        || !d.jwts.is_empty()
        || d.header("authorization").is_some()
}
