//! Running an attack and reading its verdict off the final world and the trace.

use serde::Serialize;

use super::Attack;
use super::causality::{attacker_caused, attacker_shaped, first_attack_move};
use crate::actors::{Defenses, Origin};
use crate::sim::{Simulation, Step, StepKind, Trace};

/// The most steps an attack may take (a guard against loops; no attack needs many).
pub const MAX_ATTACK_STEPS: usize = 2_000;

/// How an attack ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "kebab-case")]
pub enum Verdict {
    /// The goal predicate holds on the final world.
    Succeeded { goal: String },
    /// The goal was not reached. `step` is the request that was refused (if one was),
    /// `by` who refused it and with which error.
    Blocked { step: Option<usize>, by: String },
    /// The honest flow the attack needs was refused before the attacker's plan made its
    /// first move, so the attack never began: `step` is the refused request, `by` who
    /// refused it and why. Neither a success nor a defense stopping the attacker.
    #[serde(rename = "flow-failed-before-the-attack")]
    FlowFailed { step: usize, by: String },
}

impl Verdict {
    pub fn succeeded(&self) -> bool {
        matches!(self, Verdict::Succeeded { .. })
    }

    /// Whether the honest flow failed before the attack began.
    pub fn flow_failed(&self) -> bool {
        matches!(self, Verdict::FlowFailed { .. })
    }

    /// `SUCCEEDED — …`, `BLOCKED at step N — …` or
    /// `FLOW FAILED BEFORE THE ATTACK at step N — …`.
    pub fn banner(&self) -> String {
        match self {
            Verdict::Succeeded { goal } => format!("SUCCEEDED — {goal}"),
            Verdict::Blocked { step: Some(n), by } => format!("BLOCKED at step {n} — {by}"),
            Verdict::Blocked { step: None, by } => format!("BLOCKED — {by}"),
            Verdict::FlowFailed { step, by } => {
                format!("FLOW FAILED BEFORE THE ATTACK at step {step} — {by}")
            }
        }
    }

    /// A short cell for the matrix: `SUCCEEDS`, `blocked@N`, `no-flow@N`.
    pub fn cell(&self) -> String {
        match self {
            Verdict::Succeeded { .. } => "SUCCEEDS".into(),
            Verdict::Blocked { step: Some(n), .. } => format!("blocked@{n}"),
            Verdict::Blocked { step: None, .. } => "blocked".into(),
            Verdict::FlowFailed { step, .. } => format!("no-flow@{step}"),
        }
    }
}

/// A finished attack run.
pub struct AttackRun {
    pub sim: Simulation,
    pub verdict: Verdict,
}

/// Builds the attack's world, runs it to the end, and evaluates the goal.
pub fn run_attack(attack: &dyn Attack, seed: u64, defenses: Defenses) -> AttackRun {
    let mut sim = attack.build(seed, defenses);
    sim.run_bounded(MAX_ATTACK_STEPS);
    let verdict = evaluate(attack, &sim);
    AttackRun { sim, verdict }
}

/// The verdict of a world that has run (or is running).
pub fn evaluate(attack: &dyn Attack, sim: &Simulation) -> Verdict {
    if let Some(goal) = attack.goal(sim) {
        return Verdict::Succeeded { goal };
    }
    if let Some((step, by)) = flow_failure(sim.trace()) {
        return Verdict::FlowFailed { step, by };
    }
    match blocking_step(sim.trace()) {
        Some((step, by)) => Verdict::Blocked {
            step: Some(step),
            by,
        },
        None => Verdict::Blocked {
            step: None,
            by: "the attacker's goal was not reached".into(),
        },
    }
}

/// Whether a response step is a refusal: an error status, or a redirect carrying an
/// OAuth `error` (RFC 6749 §4.1.2.1).
fn is_refusal(step: &Step) -> bool {
    if step.kind != StepKind::Response {
        return false;
    }
    let status = step.decoded.status.unwrap_or(0);
    status >= 400
        || step
            .decoded
            .location_query
            .iter()
            .any(|(k, _)| k == "error")
}

/// Why the refusing actor refused: the first of its notes, from the refused request to
/// its refusal, that says it rejected or refused something (the decision may come when
/// a back-channel answer arrives, e.g. an ID token that fails validation).
fn refusal_reason<'a>(trace: &'a Trace, request: &'a Step, refusal: &'a Step) -> Option<&'a str> {
    trace.steps[request.index..=refusal.index.min(trace.steps.len().saturating_sub(1))]
        .iter()
        .filter(|s| s.to == refusal.from)
        .flat_map(|s| s.annotation.split(". "))
        .find(|sentence| sentence.contains("reject") || sentence.contains("refus"))
}

/// Describes a refusal: who refused what, with which error.
fn describe(trace: &Trace, refusal: &Step) -> (usize, String) {
    let request = refusal
        .in_reply_to
        .and_then(|id| trace.steps.iter().find(|s| s.msg_id == Some(id)));
    let status = refusal.decoded.status.unwrap_or(0);
    let error = refusal.decoded.param("error").or_else(|| {
        refusal
            .decoded
            .header("www-authenticate")
            .map(str::to_string)
    });
    let description = refusal.decoded.param("error_description");
    let mut by = format!("{} answered {status}", refusal.from);
    if let Some(e) = error {
        by.push_str(&format!(" {e}"));
    }
    if let Some(d) = description {
        by.push_str(&format!(": {d}"));
    } else if let Some(why) = request.and_then(|req| refusal_reason(trace, req, refusal)) {
        by.push_str(&format!(" — {}", why.trim_end_matches('.')));
    }
    match request {
        Some(req) => (req.index, format!("{by} (to {} {})", req.from, req.summary)),
        None => (refusal.index, by),
    }
}

/// The refusal that ended the honest flow before the attacker's plan acted: the first
/// refusal in the trace, when it answers a request nothing of the attacker's shaped and
/// comes before the attacker's first move (e.g. every sign-in fails because the client
/// sends no PKCE challenge to an AS that requires one).
pub fn flow_failure(trace: &Trace) -> Option<(usize, String)> {
    let refusal = trace.steps.iter().find(|s| is_refusal(s))?;
    let shaped = attacker_shaped(trace);
    let honest_request = refusal.in_reply_to.is_some_and(|id| !shaped.contains(&id));
    let before_attack = first_attack_move(trace).is_none_or(|m| refusal.index < m);
    (honest_request && before_attack).then(|| describe(trace, refusal))
}

/// The step where the attack was stopped: the first refusal of a request the attacker
/// set in motion; else the first refusal after the attacker's first move; else (the
/// honest flow already failed before it) the first refusal.
pub fn blocking_step(trace: &Trace) -> Option<(usize, String)> {
    let tainted = attacker_caused(trace);
    let first_attack = trace
        .steps
        .iter()
        .position(|s| s.origin == Origin::Attacker)
        .unwrap_or(0);
    let refusal = trace
        .steps
        .iter()
        .find(|s| is_refusal(s) && s.in_reply_to.is_some_and(|id| tainted.contains(&id)))
        .or_else(|| {
            trace
                .steps
                .iter()
                .skip(first_attack)
                .find(|s| is_refusal(s))
        })
        .or_else(|| trace.steps.iter().find(|s| is_refusal(s)))?;
    Some(describe(trace, refusal))
}
