//! [`LessonRun`]: steps through a lesson's parts with a live [`Simulation`] per world,
//! scores answers against computed facts, and keeps the learner's progress. This is the
//! API the UI's lesson mode and the plain-terminal runner share.

use std::collections::BTreeMap;

use crate::sim::Simulation;
use crate::world::AttackId;

use super::check::{CheckResult, Eval};
use super::compile::{Lesson, Part, PartBody};
use super::locate::locate;
use super::progress::{AnswerRecord, Progress};
use super::runs::Runs;

/// What the learner is told after answering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    pub correct: bool,
    /// The index and text of the right choice.
    pub right: usize,
    pub right_text: String,
    /// For a quiz, the explanation of the chosen option; for a prediction, the
    /// explanation of the part.
    pub explanation: String,
    /// For a quiz, the explanation of the right option (when another was chosen).
    pub right_explanation: Option<String>,
    /// Whether this was the first answer (only the first one counts).
    pub first: bool,
    pub score: usize,
    pub max_score: usize,
}

/// Why an answer was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("part {0} is not a question")]
    NotAQuestion(usize),
    #[error("there is no choice {0}")]
    NoSuchChoice(usize),
    #[error("the answer cannot be computed: {0}")]
    Compute(String),
}

/// Whether a try is done in the learner's world.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TryStatus {
    pub done: bool,
    /// What the world still lacks (`pkce should be S256`, `launch the attack …`).
    pub missing: Vec<String>,
    /// The try's check, evaluated in the learner's world.
    pub check: Option<CheckResult>,
}

/// A lesson in progress.
pub struct LessonRun {
    lesson: Lesson,
    position: usize,
    live: BTreeMap<usize, Simulation>,
    runs: Runs,
    progress: Progress,
}

impl LessonRun {
    /// Starts (or resumes, at the first part not done) a lesson.
    pub fn new(lesson: Lesson, progress: Progress) -> Self {
        let position = progress.resume_at(lesson.parts.len());
        LessonRun {
            lesson,
            position,
            live: BTreeMap::new(),
            runs: Runs::default(),
            progress,
        }
    }

    pub fn lesson(&self) -> &Lesson {
        &self.lesson
    }

    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// The index of the current part.
    pub fn position(&self) -> usize {
        self.position
    }

    pub fn part(&self) -> Option<&Part> {
        self.lesson.parts.get(self.position)
    }

    pub fn is_finished(&self) -> bool {
        self.position >= self.lesson.parts.len()
    }

    /// Moves to a part (e.g. back to an earlier one).
    pub fn goto(&mut self, part: usize) {
        self.position = part.min(self.lesson.parts.len());
    }

    /// The live simulation of the current part's world, advanced to where the part
    /// stands (a narration's step, just before a prediction's step).
    pub fn enter(&mut self) -> Option<&Simulation> {
        let part = self.lesson.parts.get(self.position)?.clone();
        let len = self.stand(&part);
        let world = part.world;
        let sim = self
            .live
            .entry(world)
            .or_insert_with(|| self.lesson.worlds[world].build());
        if let Some(len) = len {
            if len == usize::MAX {
                sim.run_bounded(crate::attacks::outcome::MAX_ATTACK_STEPS);
            } else {
                sim.run_to_len(len);
            }
        }
        Some(sim)
    }

    /// The live simulation of the current part's world, if it has been entered.
    pub fn sim(&self) -> Option<&Simulation> {
        self.live.get(&self.part()?.world)
    }

    /// The live simulation, for the UI to step, toggle and edit in.
    pub fn sim_mut(&mut self) -> Option<&mut Simulation> {
        let w = self.part()?.world;
        self.live.get_mut(&w)
    }

    /// Replaces the live simulation of the current part's world (the UI rebuilt it
    /// after the learner toggled a defense or launched an attack).
    pub fn set_sim(&mut self, sim: Simulation) {
        if let Some(w) = self.part().map(|p| p.world) {
            self.live.insert(w, sim);
        }
    }

    /// The step index a part points at, in its world's full run.
    pub fn focus_step(&mut self, part: usize) -> Option<usize> {
        let p = self.lesson.parts.get(part)?.clone();
        let r = match &p.body {
            PartBody::Narration { step, .. } | PartBody::Quiz { step, .. } => step.clone()?,
            PartBody::Predict { before, .. } => before.clone()?,
            _ => return None,
        };
        let run = self.runs.get(&self.lesson, p.world);
        locate(run.sim.trace(), r.get_ref()).ok()
    }

    /// How many steps of the live world a part needs: `None` = leave it alone,
    /// `usize::MAX` = to the end.
    fn stand(&mut self, part: &Part) -> Option<usize> {
        let run = self.runs.get(&self.lesson, part.world);
        let at = |r: &Option<super::check::At>| {
            r.as_ref()
                .and_then(|r| locate(run.sim.trace(), r.get_ref()).ok())
        };
        match &part.body {
            PartBody::Narration { step, until, .. } => at(until).or(at(step)).map(|i| i + 1),
            PartBody::Quiz { step, .. } => at(step).map(|i| i + 1),
            PartBody::Predict { before, .. } => Some(at(before).unwrap_or(0)),
            PartBody::Checkpoint { .. } => Some(usize::MAX),
            PartBody::Try { .. } => None,
        }
    }

    /// The choices of a question part.
    pub fn choices(&self, part: usize) -> Vec<String> {
        match self.lesson.parts.get(part).map(|p| &p.body) {
            Some(PartBody::Predict { choices, .. }) => choices.clone(),
            Some(PartBody::Quiz { options, .. }) => {
                options.iter().map(|o| o.text.clone()).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The right answer of a prediction, computed by running its world.
    pub fn computed_answer(&mut self, part: usize) -> Result<String, String> {
        let p = self.lesson.parts.get(part).ok_or("no such part")?.clone();
        let PartBody::Predict { compute, .. } = &p.body else {
            return Err(format!("part {part} is not a prediction"));
        };
        let attack = self.lesson.worlds[p.world].attack.map(AttackId::attack);
        let run = self.runs.get(&self.lesson, p.world);
        compute.answer(Eval {
            sim: &run.sim,
            attack,
        })
    }

    /// Grades `choice` for question `part`: the index of the right choice, the
    /// explanation to show, and (for a quiz answered wrong) the right option's.
    fn grade(
        &mut self,
        part: usize,
        choice: usize,
    ) -> Result<(usize, String, Option<String>), AnswerError> {
        let p = self
            .lesson
            .parts
            .get(part)
            .ok_or(AnswerError::NotAQuestion(part))?
            .clone();
        if choice >= self.choices(part).len() {
            return Err(AnswerError::NoSuchChoice(choice));
        }
        Ok(match &p.body {
            PartBody::Predict {
                choices,
                explanation,
                ..
            } => {
                let answer = self.computed_answer(part).map_err(AnswerError::Compute)?;
                let right = choices.iter().position(|c| *c == answer).ok_or_else(|| {
                    AnswerError::Compute(format!("the computed answer `{answer}` is not a choice"))
                })?;
                (right, explanation.clone().unwrap_or_default(), None)
            }
            PartBody::Quiz { options, .. } => {
                let right = options.iter().position(|o| o.correct).unwrap_or(0);
                let other = (right != choice).then(|| options[right].explain.clone());
                (right, options[choice].explain.clone(), other)
            }
            _ => return Err(AnswerError::NotAQuestion(part)),
        })
    }

    /// The learner's recorded answer to question `part`, graded again (for going back
    /// to a question already answered): the choice and what the learner was told.
    pub fn recall(&mut self, part: usize) -> Option<(usize, Feedback)> {
        let record = self.progress.answers.get(&part)?.clone();
        let (right, explanation, right_explanation) = self.grade(part, record.choice).ok()?;
        let choices = self.choices(part);
        Some((
            record.choice,
            Feedback {
                correct: right == record.choice,
                right,
                right_text: choices.get(right)?.clone(),
                explanation,
                right_explanation,
                first: true,
                score: self.progress.score(),
                max_score: self.lesson.max_score(),
            },
        ))
    }

    /// Answers a prediction or quiz with the 0-based `choice`. The first answer to
    /// each question is scored and saved in the progress.
    pub fn answer(&mut self, part: usize, choice: usize) -> Result<Feedback, AnswerError> {
        let (right, explanation, right_explanation) = self.grade(part, choice)?;
        let p = self.lesson.parts[part].clone();
        let choices = self.choices(part);
        let correct = right == choice;
        let first = !self.progress.answers.contains_key(&part);
        if first {
            self.progress.answers.insert(
                part,
                AnswerRecord {
                    choice,
                    text: choices[choice].clone(),
                    correct,
                },
            );
        }
        self.progress.parts_done.insert(part);
        if matches!(p.body, PartBody::Predict { .. }) {
            // The world goes on past the step the question waited for.
            let sim = self
                .live
                .entry(p.world)
                .or_insert_with(|| self.lesson.worlds[p.world].build());
            sim.run_bounded(crate::attacks::outcome::MAX_ATTACK_STEPS);
        }
        Ok(Feedback {
            correct,
            right,
            right_text: choices[right].clone(),
            explanation,
            right_explanation,
            first,
            score: self.progress.score(),
            max_score: self.lesson.max_score(),
        })
    }

    /// Evaluates a checkpoint part against its world's live simulation (run to its end).
    pub fn evaluate_checkpoint(&mut self, part: usize) -> Option<CheckResult> {
        let p = self.lesson.parts.get(part)?.clone();
        let PartBody::Checkpoint { check, .. } = &p.body else {
            return None;
        };
        let attack = self.lesson.worlds[p.world].attack.map(AttackId::attack);
        let sim = self
            .live
            .entry(p.world)
            .or_insert_with(|| self.lesson.worlds[p.world].build());
        sim.run_bounded(crate::attacks::outcome::MAX_ATTACK_STEPS);
        Some(check.evaluate(Eval { sim, attack }))
    }

    /// Evaluates a checkpoint (or a try's check, or a `compute = "check"` prediction's
    /// check) of `part` against any simulation, e.g. the one the UI shows.
    pub fn check_against(&self, part: usize, world: Eval<'_>) -> Option<CheckResult> {
        let check = match &self.lesson.parts.get(part)?.body {
            PartBody::Checkpoint { check, .. } => check,
            PartBody::Try { check: Some(c), .. } => c,
            PartBody::Predict {
                compute: super::compile::Compute::Check(c),
                ..
            } => c,
            _ => return None,
        };
        Some(check.evaluate(world))
    }

    /// Whether the learner's world does what a try asks.
    pub fn try_status(&self, part: usize, world: Eval<'_>) -> Option<TryStatus> {
        let PartBody::Try { target, check, .. } = &self.lesson.parts.get(part)?.body else {
            return None;
        };
        let Eval { sim, attack } = world;
        let missing = target.missing(sim.defenses(), attack.map(|a| a.info().id), sim.inputs());
        let check = check.as_ref().map(|c| c.evaluate(world));
        let done = missing.is_empty() && check.as_ref().is_none_or(|o| o.passed);
        Some(TryStatus {
            done,
            missing,
            check,
        })
    }

    /// Marks the current part done and moves to the next one; at the end, the lesson
    /// is complete.
    pub fn complete_part(&mut self) {
        if self.position < self.lesson.parts.len() {
            self.progress.parts_done.insert(self.position);
            self.position += 1;
        }
        if self.position >= self.lesson.parts.len() {
            self.progress.completed = true;
        }
    }

    /// The full run of a world (cached): what the finished simulation shows.
    pub fn world_run(&mut self, world: usize) -> &super::world::WorldRun {
        self.runs.get(&self.lesson, world)
    }
}
