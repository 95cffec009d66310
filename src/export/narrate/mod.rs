//! One plain-words sentence per step, derived from the step it describes: its kind,
//! endpoints, URL, parameters and body, and the trace's list of actors (a browser is
//! named by its person, an attacker's actor says so). A headline in front says who
//! really sent an attacker's or learner's message. The receiver's own annotation
//! follows it wherever the narration is shown (the TUI pane, export notes).

mod cast;
mod headline;
mod request;
mod response;

pub use cast::{capital, is_attacker, person, who};
pub use headline::headline;

use crate::sim::{Channel, Step, StepKind, Trace};

/// The channel in words.
pub fn channel_words(c: Channel) -> &'static str {
    match c {
        Channel::FrontChannel => "front-channel: through the browser, visible in URLs and history",
        Channel::BackChannel => "back-channel: server to server, never seen by the browser",
        Channel::Observed => "observed: a copy an attacker sees",
    }
}

/// What the step is, in plain words, without the headline.
pub fn sentence(trace: &Trace, step: &Step) -> String {
    match step.kind {
        StepKind::Event if step.from.as_str() == "world" => {
            "Time passes. Anything with a lifetime — codes, tokens, sessions — may now have expired.".to_string()
        }
        StepKind::Event => format!(
            "{} acts: {}.",
            cast::who_cap(trace, step.from.as_str()),
            step.summary.trim_end_matches('.')
        ),
        StepKind::Observed if headline::was_captured(trace, step) => format!(
            "{} takes a message {} sent; it is never delivered, and whatever it carries is now theirs.",
            cast::who_cap(trace, step.to.as_str()),
            who(trace, step.from.as_str())
        ),
        StepKind::Observed => format!(
            "{} sees a copy of a message {} sent to someone else — whatever it carries is now theirs.",
            cast::who_cap(trace, step.to.as_str()),
            who(trace, step.from.as_str())
        ),
        StepKind::Request => request::sentence(trace, step),
        StepKind::Response => response::sentence(trace, step),
    }
}

/// The headline (if any) and the sentence: the narration of one step.
pub fn narrate(trace: &Trace, step: &Step) -> String {
    let base = sentence(trace, step);
    match headline(trace, step) {
        Some(h) => format!("{h} {base}"),
        None => base,
    }
}
