//! The kinds of steps a trace holds, bytes aside: who sent what to whom at which
//! endpoint, and with which status it was answered. A live trace and a simulated one
//! of the same flow differ in every token and timestamp, but not in these.

use std::collections::BTreeSet;

use crate::actors::well_known as wk;
use crate::actors::{ActorId, Profile};
use crate::sim::world::{WorldBuilder, alice_signs_in};
use crate::sim::{Simulation, Step, StepKind, Trace};

/// One kind of message: `browser → as GET /authorize`, `as → browser 303 /login`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct StepShape {
    pub from: String,
    pub to: String,
    /// `GET`, `POST`… for a request; the status code for a response.
    pub what: String,
    /// The path of the request (a response: of the request it answers).
    pub path: String,
}

impl std::fmt::Display for StepShape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} → {} {} {}", self.from, self.to, self.what, self.path)
    }
}

/// The kinds of request and response steps in `trace`; `browser` names the party that
/// plays Alice's browser (a real browser's lane is drawn as `browser` too).
pub fn step_shapes(trace: &Trace, browser: &ActorId) -> BTreeSet<StepShape> {
    let role = |id: &ActorId| {
        if id == browser {
            wk::BROWSER.to_string()
        } else {
            id.to_string()
        }
    };
    trace
        .steps
        .iter()
        .filter_map(|s| {
            let (what, path) = match s.kind {
                StepKind::Request => (first_word(s).to_string(), request_path(s)),
                StepKind::Response => {
                    let request = trace
                        .steps
                        .iter()
                        .find(|r| r.kind == StepKind::Request && r.msg_id == s.in_reply_to)?;
                    (status_word(s).to_string(), request_path(request))
                }
                _ => return None,
            };
            Some(StepShape {
                from: role(&s.from),
                to: role(&s.to),
                what,
                path,
            })
        })
        .collect()
}

/// The in-process world under `profile` in which Alice signs in at Photo Printer and
/// sees her photos, run until idle.
pub fn signed_in_sim(seed: u64, profile: Profile) -> Simulation {
    let mut sim = WorldBuilder::standard(seed, profile.defenses()).build();
    sim.push_script(alice_signs_in());
    sim.run_until_idle();
    sim
}

fn first_word(s: &Step) -> &str {
    s.wire.split(' ').next().unwrap_or("")
}

fn status_word(s: &Step) -> &str {
    s.wire.split(' ').nth(1).unwrap_or("")
}

/// The path of a request's target, without its query (origin-form or absolute-form).
fn request_path(s: &Step) -> String {
    let target = s.wire.split(' ').nth(1).unwrap_or("");
    let target = target.split('?').next().unwrap_or("");
    match target.split_once("://") {
        Some((_, rest)) if !target.starts_with('/') => rest.find('/').map_or("/", |i| &rest[i..]),
        _ => target,
    }
    .to_string()
}
