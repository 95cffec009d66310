//! Grading: a solution's moves replayed on the challenge's deployment (and on the
//! deployment with the debrief's fix), the goal watch deciding whether it is solved,
//! and where the moves went — every request the attacker sent, with its answer, and the
//! first refusal by an honest party after the first move.

use super::model::Challenge;
use crate::protocol::http_wire;
use crate::sim::{LearnerInput, StepKind, Trace};
use crate::workshop::{GoalHit, Unfounded, run_watching};
use crate::world::{MAX_STEPS, WorldSpec};

/// One request the attacker sent, and what came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoveReport {
    pub step: usize,
    pub from: String,
    pub to: String,
    /// Its request line.
    pub line: String,
    /// The answer's step and status line, if one came.
    pub answer: Option<(usize, String)>,
}

/// Where an honest party first refused, after the first move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The step of the refused request.
    pub step: usize,
    pub to: String,
    /// The status line of the answer.
    pub status: String,
    /// What the party noted when it refused (its own words, from the trace).
    pub why: String,
}

/// A solution replayed on a world.
pub struct Graded {
    pub hit: Option<GoalHit>,
    /// Moves not made: they carry a code or token not obtained in this run.
    pub unfounded: Vec<Unfounded>,
    pub trace: Trace,
    pub moves: Vec<MoveReport>,
    pub refusal: Option<Refusal>,
}

/// Replays `inputs` on the challenge's deployment.
pub fn grade(c: &Challenge, inputs: &[(usize, LearnerInput)]) -> Graded {
    grade_on(c, c.world(), inputs)
}

/// Replays `inputs` on the deployment with the debrief's fix applied.
pub fn grade_fixed(c: &Challenge, inputs: &[(usize, LearnerInput)]) -> Graded {
    grade_on(c, &c.fixed_world(), inputs)
}

fn grade_on(c: &Challenge, world: &WorldSpec, inputs: &[(usize, LearnerInput)]) -> Graded {
    let w = run_watching(world.build(), inputs, MAX_STEPS, c.goals.clone());
    let (hit, unfounded) = (w.hit, w.unfounded);
    let trace = w.sim.into_trace();
    let first_move = inputs.first().map_or(usize::MAX, |(at, _)| *at);
    Graded {
        moves: moves_of(&trace),
        refusal: first_refusal(&trace, first_move),
        hit,
        unfounded,
        trace,
    }
}

fn attacker_ids(trace: &Trace) -> Vec<&str> {
    (trace.actors.iter())
        .filter(|a| a.attacker || a.kind.is_attacker())
        .map(|a| a.id.as_str())
        .collect()
}

/// Every request an attacker's actor sent to an honest party, with its answer.
fn moves_of(trace: &Trace) -> Vec<MoveReport> {
    let attacker = attacker_ids(trace);
    (trace.steps.iter())
        .filter(|s| {
            s.kind == StepKind::Request
                && attacker.contains(&s.from.as_str())
                && !attacker.contains(&s.to.as_str())
        })
        .map(|s| MoveReport {
            step: s.index,
            from: s.from.to_string(),
            to: s.to.to_string(),
            line: first_line(&s.wire),
            answer: (s.msg_id.and_then(|id| trace.response_to(id)))
                .map(|r| (r.index, first_line(&r.wire))),
        })
        .collect()
}

fn first_line(wire: &str) -> String {
    wire.lines().next().unwrap_or_default().to_string()
}

/// Whether an answer refuses: an error status, or a redirect carrying an OAuth `error`
/// (RFC 6749 §4.1.2.1).
fn refuses(wire: &str) -> bool {
    let Ok(resp) = http_wire::parse_response(wire) else {
        return false;
    };
    resp.status().as_u16() >= 400
        || http_wire::response_header(&resp, "location").is_some_and(|l| l.contains("error="))
}

/// The first request at or after `from` that an honest party refused.
fn first_refusal(trace: &Trace, from: usize) -> Option<Refusal> {
    let attacker = attacker_ids(trace);
    trace.steps.iter().skip(from).find_map(|s| {
        if s.kind != StepKind::Request || attacker.contains(&s.to.as_str()) {
            return None;
        }
        let answer = trace.response_to(s.msg_id?)?;
        refuses(&answer.wire).then(|| Refusal {
            step: s.index,
            to: s.to.to_string(),
            status: first_line(&answer.wire),
            why: s.annotation.clone(),
        })
    })
}
