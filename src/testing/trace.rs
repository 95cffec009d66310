//! Finding steps in a world's trace: requests to an actor, the response to a request,
//! the client's token calls, and a readable transcript for failure messages.

use crate::actors::well_known as wk;
use crate::sim::{Simulation, Step, StepKind};

/// Steps from index `from` on.
pub fn steps_from(sim: &Simulation, from: usize) -> &[Step] {
    &sim.trace().steps[from.min(sim.trace().steps.len())..]
}

/// Requests delivered to `to` whose request line contains `needle`, from index `from`.
pub fn requests_to<'a>(
    sim: &'a Simulation,
    from: usize,
    to: &'a str,
    needle: &'a str,
) -> Vec<&'a Step> {
    steps_from(sim, from)
        .iter()
        .filter(|s| {
            s.kind == StepKind::Request
                && s.to.as_str() == to
                && s.wire.lines().next().unwrap_or("").contains(needle)
        })
        .collect()
}

/// The response step answering the request step `req`.
pub fn response_step<'a>(sim: &'a Simulation, req: &Step) -> &'a Step {
    let id = req.msg_id.expect("a request has an id");
    sim.trace()
        .response_to(id)
        .unwrap_or_else(|| panic!("no response to step {}", req.index))
}

/// The response step answering `req`, checked to have `status`; a failure shows the
/// transcript from index `mark` on.
pub fn response_with_status<'a>(
    sim: &'a Simulation,
    req: &Step,
    status: u16,
    mark: usize,
) -> &'a Step {
    let answer = response_step(sim, req);
    assert_eq!(
        answer.decoded.status,
        Some(status),
        "{}",
        transcript(sim, mark)
    );
    answer
}

/// Every `POST /token` the client sent, from index `from`.
pub fn token_calls(sim: &Simulation, from: usize) -> Vec<&Step> {
    steps_from(sim, from)
        .iter()
        .filter(|s| {
            s.kind == StepKind::Request
                && s.from.as_str() == wk::CLIENT
                && s.to.as_str() == wk::AS
                && s.wire.starts_with("POST /token ")
        })
        .collect()
}

/// The JSON bodies of every 200 token response in the trace, in order.
pub fn token_responses(sim: &Simulation) -> Vec<serde_json::Value> {
    sim.trace()
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Response && s.decoded.status == Some(200))
        .filter_map(|s| s.decoded.json.clone())
        .filter(|j| j.get("access_token").is_some())
        .collect()
}

/// Every step's annotation (the world's notes), one a line.
pub fn notes_of(sim: &Simulation) -> String {
    sim.trace()
        .steps
        .iter()
        .map(|s| s.annotation.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A readable transcript of the steps from `from` on (for failure messages).
pub fn transcript(sim: &Simulation, from: usize) -> String {
    steps_from(sim, from)
        .iter()
        .map(|s| {
            format!(
                "{:3} {} -> {} {}\n      {}",
                s.index, s.from, s.to, s.summary, s.annotation
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `Location` of a response step.
pub fn location(step: &Step) -> Option<String> {
    step.decoded.header("location").map(str::to_string)
}

/// Whether a response step is a redirect (RFC 9110 §15.4).
pub fn is_redirect(step: &Step) -> bool {
    matches!(step.decoded.status, Some(301 | 302 | 303 | 307 | 308))
}

/// The first step of `sim`'s trace that `pick` picks; panics naming `what` when none does.
pub fn first_step<'a>(sim: &'a Simulation, what: &str, pick: impl Fn(&Step) -> bool) -> &'a Step {
    let found = sim.trace().steps.iter().find(|s| pick(s));
    found.unwrap_or_else(|| panic!("no {what} in the trace"))
}
