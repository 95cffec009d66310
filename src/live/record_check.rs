//! Whether a recorded live session replays faithfully (`serve --record`, then
//! `run --scenario`): the replay is run once when the recording ends and its messages
//! are compared with the live trace's, so that a session the scenario cannot reproduce
//! says so instead of diverging silently.
//!
//! Compared: every message step (events are narration: a listener's refusal, for one,
//! is a step of the live trace only), as sender, receiver, kind and first line with the
//! target as path and query (a party's request line is in absolute form on the bus and
//! in origin form over TCP, RFC 9112 §3.2); and every answer's whole text. The start-up
//! messages (before the first input from outside) are compared as a set: their order
//! over real sockets is the network's.

use crate::sim::{LearnerInput, Step, StepKind, Trace};
use crate::world::WorldSpec;

/// One message as compared: sender, receiver, kind, first line.
pub type Exchange = (String, String, StepKind, String);

/// `step` as compared between a live session and its replay.
pub fn exchange(step: &Step) -> Exchange {
    let first = step.wire.lines().next().unwrap_or("");
    let line = match first.split(' ').collect::<Vec<_>>()[..] {
        [method, target, _] if !first.starts_with("HTTP/") => {
            let origin_form = match target.split_once("://") {
                Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
                None => target,
            };
            format!("{method} {origin_form}")
        }
        _ => first.to_string(),
    };
    (step.from.to_string(), step.to.to_string(), step.kind, line)
}

/// The trace's length when the first input from outside arrived (the clock's notes
/// aside): the steps before it are the parties' start-up.
pub fn start_up_len(world: &WorldSpec) -> usize {
    (world.inputs.iter())
        .find(|(_, i)| !matches!(i, LearnerInput::ClockAt { .. }))
        .map_or(usize::MAX, |(at, _)| *at)
}

/// How the replay of `world` differs from the `live` trace it was recorded from, in
/// one sentence; `None` when it has the same messages and the same answers.
pub fn divergence(world: &WorldSpec, live: &Trace) -> Option<String> {
    let replay = world.run().sim.into_trace();
    let first = start_up_len(world);
    let (live_start, live_rest) = split(live, first);
    let (replay_start, replay_rest) = split(&replay, first);
    if live_start != replay_start {
        return Some(format!(
            "its start-up differs ({} messages live, {} in the replay)",
            live_start.len(),
            replay_start.len()
        ));
    }
    let n = live_rest.len().max(replay_rest.len());
    for i in 0..n {
        let (a, b) = (live_rest.get(i).copied(), replay_rest.get(i).copied());
        match (a, b) {
            (Some(a), Some(b)) if exchange(a) == exchange(b) => {
                if a.kind == StepKind::Response && a.wire != b.wire {
                    return Some(format!(
                        "after start-up, the text of answer {} (message {}) differs",
                        describe(Some(a)),
                        i + 1
                    ));
                }
            }
            _ => {
                return Some(format!(
                    "after start-up, message {} differs: live {}, replay {}",
                    i + 1,
                    describe(a),
                    describe(b)
                ));
            }
        }
    }
    None
}

/// The trace's message steps before `first` (sorted) and from it on (in order).
fn split(trace: &Trace, first: usize) -> (Vec<Exchange>, Vec<&Step>) {
    fn messages(steps: &[Step]) -> Vec<&Step> {
        steps.iter().filter(|s| s.kind != StepKind::Event).collect()
    }
    let (start, rest) = trace.steps.split_at(first.min(trace.steps.len()));
    let mut start: Vec<Exchange> = messages(start).into_iter().map(exchange).collect();
    start.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    (start, messages(rest))
}

/// A message in a few words: who to whom, and its method and path (never its query,
/// where codes travel) or its status line.
fn describe(step: Option<&Step>) -> String {
    match step {
        None => "none".to_string(),
        Some(s) => {
            let (from, to, _, line) = exchange(s);
            let what = match s.kind {
                StepKind::Response => line,
                _ => super::hold::request_line(&line),
            };
            let text = format!("{from} → {to} `{what}`");
            crate::terminal_text::one_line(&text).into_owned()
        }
    }
}
