//! `lessons check`: runs a lesson's worlds and checks every step reference, checkpoint,
//! computed prediction and try against what the simulation actually does.

use super::check::{CheckResult, Checkpoint, Eval};
use super::compile::{Lesson, PartBody, SolutionAction};
use super::locate::locate;
use super::runs::Runs;
use super::world::WorldRun;
use crate::files::source::{Diagnostic, Report};
use crate::sim::LearnerInput;
use crate::world::{AttackId, WorldSpec};

/// Builds `world` and runs it to its end with the solution's inputs applied.
pub fn run_with_solution(
    world: &WorldSpec,
    solution: &[super::compile::SolutionInput],
) -> Result<WorldRun, (String, std::ops::Range<usize>)> {
    if solution.is_empty() {
        return Ok(world.run());
    }
    let baseline = world.run();
    let trace = baseline.sim.trace();
    let mut inputs = Vec::new();
    for s in solution {
        let after = locate(trace, s.after.get_ref()).map_err(|e| (e, s.after.span()))?;
        let input = match &s.action {
            SolutionAction::Replay(r) => LearnerInput::Replay {
                step: locate(trace, r.get_ref()).map_err(|e| (e, r.span()))?,
            },
            SolutionAction::AdvanceClock(secs) => LearnerInput::AdvanceClock { secs: *secs },
        };
        inputs.push((after + 1, input));
    }
    Ok(WorldSpec {
        inputs,
        ..world.clone()
    }
    .run())
}

/// Reports `check` (`what`: a checkpoint, a try's check) when its result `o` in world
/// `world` did not pass: at the locator that found nothing, else at the check.
fn fail_unless_passed(
    report: &mut Report,
    check: &Checkpoint,
    o: &CheckResult,
    what: &str,
    world: &str,
) {
    if o.passed {
        return;
    }
    match &o.unresolved {
        Some(span) => report.error(
            Some(span.clone()),
            format!("{} (in world `{world}`)", o.detail),
        ),
        None => report.error(
            Some(check.span.clone()),
            format!(
                "{what} `{}` fails in world `{world}`: found {}",
                check.words(),
                o.detail
            ),
        ),
    }
}

/// Checks a compiled lesson against the simulation.
pub fn check(lesson: &Lesson) -> Vec<Diagnostic> {
    let mut report = Report::new(&lesson.source);
    let mut runs = Runs::default();
    for part in &lesson.parts {
        let wname = lesson.worlds[part.world].name.clone();
        let run = runs.get(lesson, part.world);
        let ev = Eval {
            sim: &run.sim,
            attack: lesson.worlds[part.world].attack.map(AttackId::attack),
        };
        let trace = run.sim.trace();
        let resolve = |r: &Option<super::check::At>, report: &mut Report| -> Option<usize> {
            let r = r.as_ref()?;
            match locate(trace, r.get_ref()) {
                Ok(i) => Some(i),
                Err(e) => {
                    report.error(Some(r.span()), format!("{e} (in world `{wname}`)"));
                    None
                }
            }
        };
        match &part.body {
            PartBody::Narration { step, until, .. } => {
                let a = resolve(step, &mut report);
                let b = resolve(until, &mut report);
                if let (Some(a), Some(b), Some(u)) = (a, b, until)
                    && b < a
                {
                    report.error(
                        Some(u.span()),
                        format!("the range ends (step {b}) before it starts (step {a})"),
                    );
                }
            }
            PartBody::Quiz { step, .. } => {
                resolve(step, &mut report);
            }
            PartBody::Predict {
                before,
                compute,
                choices,
                choices_span,
                ..
            } => {
                resolve(before, &mut report);
                match compute.answer(ev) {
                    Ok(answer) => {
                        if !choices.contains(&answer) {
                            report.error(
                                Some(choices_span.clone()),
                                format!("the computed answer `{answer}` (in world `{wname}`) is not among the choices: {}", choices.join(", ")),
                            );
                        }
                    }
                    Err(e) => report.error(
                        Some(part.span.clone()),
                        format!("the answer cannot be computed in world `{wname}`: {e}"),
                    ),
                }
            }
            PartBody::Checkpoint { check, .. } => {
                let o = check.evaluate(ev);
                fail_unless_passed(&mut report, check, &o, "checkpoint", &wname);
            }
            PartBody::Try {
                target,
                check,
                solution,
                ..
            } => {
                let here = &lesson.worlds[part.world];
                // Not done before the learner acts.
                let missing = target.missing(&here.defenses, here.attack_id(), run.sim.inputs());
                let already = check.as_ref().is_none_or(|c| c.evaluate(ev).passed);
                if missing.is_empty() && already {
                    report.error(
                        Some(part.span.clone()),
                        format!(
                            "this try is already done in world `{wname}` before the learner acts"
                        ),
                    );
                }
                // Done in the target world.
                let goal = target.apply(here);
                let solved = match run_with_solution(&goal, solution) {
                    Ok(r) => r,
                    Err((e, span)) => {
                        report.error(Some(span), format!("{e} (in the try's target world)"));
                        continue;
                    }
                };
                let left = target.missing(
                    &solved.sim.defenses().clone(),
                    goal.attack_id(),
                    solved.sim.inputs(),
                );
                let needs_ui = left.iter().any(|m| m.starts_with("apply a learner input"));
                if !left.is_empty() && !needs_ui {
                    report.error(
                        Some(part.span.clone()),
                        format!(
                            "the target world does not meet the target: {}",
                            left.join("; ")
                        ),
                    );
                }
                if let Some(c) = check
                    && !needs_ui
                {
                    let o = c.evaluate(Eval {
                        sim: &solved.sim,
                        attack: goal.attack.map(AttackId::attack),
                    });
                    let world = format!("{wname}, as the target changes it");
                    fail_unless_passed(&mut report, c, &o, "the try's check", &world);
                }
            }
        }
    }
    super::spoilers::check(lesson, &mut runs, &mut report);
    report.diagnostics
}
