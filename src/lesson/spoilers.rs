//! `lessons check`: the no-spoiler rule. While a prediction waits, nothing an earlier
//! part showed may give its answer away:
//!
//! - a prediction in a world an earlier part already ran names its `before` step (the
//!   lesson UI holds the world there while the question waits);
//! - no earlier part in the same world shows the step the prediction asks about, or a
//!   later one (a narration's range, a quiz's step, a checkpoint's steps, an earlier
//!   prediction's step);
//! - no earlier part's text (a narration, a checkpoint, the explanation of a
//!   prediction or of a quiz option) contains the
//!   computed answer of a later prediction about a status or an error;
//! - a `status` or `error` prediction's question does not contain its answer;
//! - each prediction's explanation names the answer it explains, so that a change of
//!   the computed answer fails the check instead of showing a contradicting text.

use std::ops::Range;

use super::check::{At, Eval};
use super::compile::{Compute, Lesson, Part, PartBody};
use super::locate::locate;
use super::runs::Runs;
use crate::files::source::Report;
use crate::world::AttackId;

/// Checks the no-spoiler rule for every prediction of `lesson`.
pub fn check(lesson: &Lesson, runs: &mut Runs, report: &mut Report) {
    for (k, part) in lesson.parts.iter().enumerate() {
        let PartBody::Predict {
            before,
            question,
            compute,
            explanation,
            ..
        } = &part.body
        else {
            continue;
        };
        let wname = &lesson.worlds[part.world].name;
        let run = runs.get(lesson, part.world);
        let trace = run.sim.trace();
        let find = |r: &At| locate(trace, r.get_ref()).ok();
        if before.is_none()
            && let Some(j) = lesson.parts[..k]
                .iter()
                .rposition(|p| p.world == part.world)
        {
            report.error(
                Some(part.span.clone()),
                format!(
                    "this prediction has no `before` step, but part {} already ran world `{wname}`: while it waits, the screen would show all that part left on it",
                    j + 1
                ),
            );
        }
        let asked = asked_step(before, compute, &find);
        if let Some((asked, span)) = asked {
            let span = span.unwrap_or_else(|| part.span.clone());
            for (j, earlier) in lesson.parts[..k].iter().enumerate() {
                if earlier.world != part.world {
                    continue;
                }
                if let Some(shown) = shown_steps(earlier).into_iter().filter_map(find).max()
                    && shown >= asked
                {
                    report.error(
                        Some(span.clone()),
                        format!(
                            "this prediction asks about step {asked} (in world `{wname}`), but part {} already shows step {shown}",
                            j + 1
                        ),
                    );
                }
            }
        }
        let ev = Eval {
            sim: &run.sim,
            attack: lesson.worlds[part.world].attack.map(AttackId::attack),
        };
        let Ok(answer) = compute.answer(ev) else {
            continue;
        };
        let value = matches!(compute, Compute::Status(_) | Compute::Error(_));
        if value && names(question, &answer) {
            report.error(
                Some(part.span.clone()),
                format!(
                    "the question itself contains the computed answer `{answer}` (in world `{wname}`)"
                ),
            );
        }
        if let Some(text) = explanation
            && !names(text, &answer)
        {
            report.error(
                Some(part.span.clone()),
                format!(
                    "the explanation does not name the computed answer `{answer}` (in world `{wname}`)"
                ),
            );
        }
        if !value {
            continue;
        }
        for earlier in &lesson.parts[..k] {
            if shown_texts(earlier).iter().any(|t| names(t, &answer)) {
                report.error(
                    Some(earlier.span.clone()),
                    format!(
                        "this part's text gives away `{answer}`, the computed answer of part {} (in world `{wname}`)",
                        k + 1
                    ),
                );
            }
        }
    }
}

/// The step a prediction asks about, and where that is written: its `before` step,
/// or else the request whose response it asks about (that request's notes already
/// tell the answer).
fn asked_step(
    before: &Option<At>,
    compute: &Compute,
    find: &dyn Fn(&At) -> Option<usize>,
) -> Option<(usize, Option<Range<usize>>)> {
    let about = match compute {
        Compute::Status(at) | Compute::Error(at) => find(at).map(|i| (i, at.span())),
        Compute::Check(c) => c
            .assertion
            .steps(true)
            .into_iter()
            .filter_map(|at| find(at).map(|i| (i, at.span())))
            .min_by_key(|(i, _)| *i),
        _ => None,
    };
    let gate = before.as_ref().and_then(|b| find(b).map(|i| (i, b.span())));
    match (gate, about) {
        (Some(g), Some(a)) if a.0 < g.0 => Some((a.0, Some(a.1))),
        (Some(g), _) => Some((g.0, Some(g.1))),
        (None, Some(a)) => Some((a.0, Some(a.1))),
        (None, None) => None,
    }
}

/// The steps a part puts on screen (and talks about).
fn shown_steps(part: &Part) -> Vec<&At> {
    match &part.body {
        PartBody::Narration { step, until, .. } => step.iter().chain(until).collect(),
        PartBody::Quiz { step, .. } => step.iter().collect(),
        PartBody::Checkpoint { check, .. } => check.assertion.steps(true),
        // While it waits a prediction holds its `before` step back; what its
        // explanation then talks about is the step it computes its answer from.
        PartBody::Predict { compute, .. } => match compute {
            Compute::Status(at) | Compute::Error(at) => vec![at],
            Compute::Check(c) => c.assertion.steps(true),
            _ => Vec::new(),
        },
        PartBody::Try { .. } => Vec::new(),
    }
}

/// The texts a part shows: a narration, a checkpoint's words, the explanations of a
/// prediction or of a quiz's options.
fn shown_texts(part: &Part) -> Vec<String> {
    match &part.body {
        PartBody::Narration { text, .. } => vec![text.clone()],
        PartBody::Checkpoint { text, check } => {
            text.iter().cloned().chain([check.words()]).collect()
        }
        PartBody::Predict { explanation, .. } => explanation.iter().cloned().collect(),
        PartBody::Quiz { options, .. } => options.iter().map(|o| o.explain.clone()).collect(),
        PartBody::Try { .. } => Vec::new(),
    }
}

/// Whether `text` contains `answer` as a whole word (case-insensitive).
pub fn names(text: &str, answer: &str) -> bool {
    let text = text.to_lowercase();
    let answer = answer.to_lowercase();
    if answer.is_empty() {
        return false;
    }
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    text.match_indices(&answer).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + answer.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

#[cfg(test)]
mod tests {
    use super::names;

    #[test]
    fn names_matches_whole_words_only() {
        assert!(names("A 303 See Other", "303"));
        assert!(names("No: it uses the refresh token", "no"));
        assert!(names("refused with `invalid_grant`.", "invalid_grant"));
        assert!(!names("not 1303", "303"));
        assert!(!names("nothing", "no"));
        assert!(!names("invalid_grant_type", "invalid_grant"));
    }
}
