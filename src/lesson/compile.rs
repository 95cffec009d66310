//! A lesson compiled from its file: worlds resolved, parts typed, checkpoints compiled.
//! [`load`] parses and compiles; [`super::validate::check`] then runs the worlds.

use std::ops::Range;
use std::path::Path;

use toml::Spanned;

use super::check::{self, At, Checkpoint, Eval, step_label};
use super::locate::{locate, locator_problems, response_of};
use super::model::{LessonFile, PartFile, StepRef, WorldFile};
use super::target::Target;
use super::world::{self, LessonWorld, MAIN_WORLD};
use crate::attacks::Verdict;
use crate::files::source::{Diagnostic, Report, Source, is_file_id};

/// What a prediction's right answer is computed from.
#[derive(Debug, Clone)]
pub enum Compute {
    /// `succeeds` or `blocked`: the attack's verdict.
    Verdict,
    /// The HTTP status of a step (or of the response to a request step): `303`.
    Status(At),
    /// The OAuth error code of a step (or its response), or `none`.
    Error(At),
    /// The request the attack was refused at, as `METHOD /path` (`POST /token`), or
    /// `not blocked`.
    BlockedAt,
    /// Who refused the attack: `as`, `client`, `rs`… or `nobody`.
    RefusedBy,
    /// `yes` if the checkpoint holds, else `no`.
    Check(Box<Checkpoint>),
    /// How many attacks of the catalog succeed under the world's defenses: `7`.
    Succeeding,
}

/// The `compute` names.
pub const COMPUTE_KINDS: &[&str] = &[
    "verdict",
    "status",
    "error",
    "blocked-at",
    "refused-by",
    "check",
    "succeeding",
];

impl Compute {
    /// The right answer, computed on a world that has run; or why it cannot be.
    pub fn answer(&self, ev: Eval<'_>) -> Result<String, String> {
        let trace = ev.sim.trace();
        let verdict = || -> Result<Verdict, String> {
            let a = ev
                .attack
                .ok_or("this prediction needs a world with an attack")?;
            Ok(crate::attacks::outcome::evaluate(a, ev.sim))
        };
        match self {
            Compute::Verdict => Ok(if verdict()?.succeeded() {
                "succeeds"
            } else {
                "blocked"
            }
            .into()),
            Compute::Status(at) => {
                let i = locate(trace, at.get_ref())?;
                let r = response_of(trace, i).ok_or(format!("step {i} has no response"))?;
                r.decoded
                    .status
                    .map(|s| s.to_string())
                    .ok_or(format!("step {} is not an HTTP response", r.index))
            }
            Compute::Error(at) => {
                let i = locate(trace, at.get_ref())?;
                let r = response_of(trace, i).ok_or(format!("step {i} has no response"))?;
                Ok(check::error_code(r).unwrap_or_else(|| "none".into()))
            }
            Compute::BlockedAt => Ok(match verdict()? {
                Verdict::Blocked { step: Some(i), .. } => step_label(trace, i),
                _ => "not blocked".into(),
            }),
            Compute::RefusedBy => Ok(match verdict()? {
                Verdict::Blocked { step: Some(i), .. } => {
                    let s = &trace.steps[i];
                    if s.kind == crate::sim::StepKind::Request {
                        s.to.0.clone()
                    } else {
                        s.from.0.clone()
                    }
                }
                _ => "nobody".into(),
            }),
            Compute::Check(c) => Ok(if c.evaluate(ev).passed { "yes" } else { "no" }.into()),
            Compute::Succeeding => Ok(check::succeeding_attacks(ev.sim.defenses(), ev.sim.seed())
                .len()
                .to_string()),
        }
    }
}

/// A quiz option.
#[derive(Debug, Clone)]
pub struct QuizOption {
    pub text: String,
    pub correct: bool,
    pub explain: String,
}

/// A learner input of a try's solution.
#[derive(Debug, Clone)]
pub struct SolutionInput {
    pub after: At,
    pub action: SolutionAction,
}

#[derive(Debug, Clone)]
pub enum SolutionAction {
    Replay(At),
    AdvanceClock(u64),
}

/// What a part is.
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum PartBody {
    Narration {
        step: Option<At>,
        until: Option<At>,
        text: String,
    },
    Predict {
        /// The question waits before this step (none: before the world runs).
        before: Option<At>,
        question: String,
        compute: Compute,
        choices: Vec<String>,
        explanation: Option<String>,
        /// Where the choices are written (for `lessons check`).
        choices_span: Range<usize>,
    },
    Quiz {
        step: Option<At>,
        question: String,
        options: Vec<QuizOption>,
    },
    Checkpoint {
        text: Option<String>,
        check: Checkpoint,
    },
    Try {
        instruction: String,
        target: Target,
        check: Option<Checkpoint>,
        hint: Option<String>,
        solution: Vec<SolutionInput>,
    },
}

impl PartBody {
    pub fn kind(&self) -> &'static str {
        match self {
            PartBody::Narration { .. } => "narration",
            PartBody::Predict { .. } => "predict",
            PartBody::Quiz { .. } => "quiz",
            PartBody::Checkpoint { .. } => "checkpoint",
            PartBody::Try { .. } => "try",
        }
    }

    /// Whether the part asks a question that is scored.
    pub fn is_question(&self) -> bool {
        matches!(self, PartBody::Predict { .. } | PartBody::Quiz { .. })
    }
}

/// One part of a lesson.
#[derive(Debug, Clone)]
pub struct Part {
    /// Index into [`Lesson::worlds`].
    pub world: usize,
    pub body: PartBody,
    pub span: Range<usize>,
}

/// A lesson, ready to run.
#[derive(Debug, Clone)]
pub struct Lesson {
    pub source: Source,
    pub id: String,
    pub number: Option<u32>,
    pub title: String,
    pub level: String,
    pub duration: String,
    pub summary: String,
    pub goals: Vec<String>,
    pub references: Vec<String>,
    /// `worlds[0]` is the main world.
    pub worlds: Vec<LessonWorld>,
    pub parts: Vec<Part>,
}

impl Lesson {
    /// The number of scored questions.
    pub fn max_score(&self) -> usize {
        self.parts.iter().filter(|p| p.body.is_question()).count()
    }

    /// `4 · PKCE and code interception` or the id.
    pub fn label(&self) -> String {
        match self.number {
            Some(n) => format!("{n:>2} · {}", self.title),
            None => format!("{} · {}", self.id, self.title),
        }
    }

    /// Whether `key` names this lesson: its id or its number.
    pub fn matches(&self, key: &str) -> bool {
        self.id == key || self.number.is_some_and(|n| key.parse::<u32>() == Ok(n))
    }

    pub fn world_of(&self, part: usize) -> &LessonWorld {
        &self.worlds[self.parts[part].world]
    }
}

/// The levels a lesson may have.
pub const LEVELS: &[&str] = &["beginner", "intermediate", "advanced"];

/// Parses a lesson file's TOML into its schema, with the position of a syntax or
/// schema error (unknown key, wrong type, missing field).
pub fn parse(source: &Source) -> Result<LessonFile, Diagnostic> {
    toml::from_str::<LessonFile>(&source.text).map_err(|e| {
        let message = e.message().trim().replace('\n', " ");
        source.diagnostic(e.span(), message)
    })
}

/// Parses and compiles a lesson; every problem found is reported.
pub fn load(source: Source) -> Result<Lesson, Vec<Diagnostic>> {
    let file = parse(&source).map_err(|d| vec![d])?;
    let mut report = Report::new(&source);
    let lesson = compile(&file, &source, &mut report);
    let diags = report.diagnostics;
    match lesson {
        Some(l) if diags.is_empty() => Ok(l),
        _ => Err(diags),
    }
}

fn compile(f: &LessonFile, source: &Source, report: &mut Report) -> Option<Lesson> {
    let id = f.id.get_ref();
    if !is_file_id(id) {
        report.error(
            Some(f.id.span()),
            format!("lesson id `{id}` should use only a-z, 0-9 and -"),
        );
    }
    if !LEVELS.contains(&f.level.get_ref().as_str()) {
        report.error(
            Some(f.level.span()),
            format!(
                "unknown level `{}`; valid levels: {}",
                f.level.get_ref(),
                LEVELS.join(", ")
            ),
        );
    }
    if f.references.is_empty() {
        report.error(
            None,
            "a lesson needs at least one reference (an RFC section)",
        );
    }
    let main = resolve_world(MAIN_WORLD, &f.world, None, source, report);
    let mut worlds = vec![main.clone()];
    for (name, w) in &f.worlds {
        if name == MAIN_WORLD {
            report.error(
                None,
                "`main` is the name of the lesson's `[world]`; choose another name",
            );
        }
        worlds.push(resolve_world(name, w, Some(&main), source, report));
    }
    if f.parts.is_empty() {
        report.error(None, "a lesson needs at least one `[[part]]`");
    }
    let mut parts = Vec::new();
    for p in &f.parts {
        if let Some(part) = compile_part(p, &worlds, report) {
            parts.push(part);
        }
    }
    Some(Lesson {
        source: source.clone(),
        id: id.clone(),
        number: f.number.as_ref().map(|n| *n.get_ref()),
        title: f.title.clone(),
        level: f.level.get_ref().clone(),
        duration: f.duration.clone(),
        summary: f.summary.trim().to_string(),
        goals: f.goals.clone(),
        references: f.references.clone(),
        worlds,
        parts,
    })
}

/// A world of the lesson: the scenario file its `scenario` names (a path relative to
/// the lesson file; its world and inputs, whole), or its profile and changes.
fn resolve_world(
    name: &str,
    w: &WorldFile,
    base: Option<&LessonWorld>,
    source: &Source,
    report: &mut Report,
) -> LessonWorld {
    let Some(path) = &w.scenario else {
        return world::resolve(name, w, base, report);
    };
    let changes = !(w.enable.is_empty() && w.disable.is_empty() && w.set.is_empty());
    if w.profile.is_some() || changes || w.attack.is_some() || w.seed.is_some() {
        report.error(
            Some(path.span()),
            "a world with `scenario` takes its whole world from the file: leave out profile, enable, disable, set, attack and seed",
        );
    }
    let dir = Path::new(&source.name).parent().unwrap_or(Path::new(""));
    match crate::scenario::load_file(&dir.join(path.get_ref())) {
        Ok(s) => LessonWorld {
            name: name.to_string(),
            spec: s.world,
        },
        Err(e) => {
            for d in e.0 {
                report.error(Some(path.span()), format!("in scenario {d}"));
            }
            world::resolve(name, &WorldFile::default(), base, report)
        }
    }
}

fn text(s: &Option<Spanned<String>>) -> Option<String> {
    s.as_ref().map(|s| crate::lesson::reflow(s.get_ref()))
}

fn check_ref(r: &Option<At>, report: &mut Report) {
    if let Some(r) = r
        && let StepRef::Locate(l) = r.get_ref()
    {
        for p in locator_problems(l) {
            report.error(Some(r.span()), p);
        }
    }
}

fn compile_part(
    sp: &Spanned<PartFile>,
    worlds: &[LessonWorld],
    report: &mut Report,
) -> Option<Part> {
    let p = sp.get_ref();
    let span = sp.span();
    let kind = p.kind.get_ref().as_str();
    // Which optional fields each kind accepts.
    let allowed: &[&str] = match kind {
        "narration" => &["world", "step", "until", "text"],
        "predict" => &[
            "world",
            "step",
            "before",
            "question",
            "compute",
            "choices",
            "explanation",
            "check",
        ],
        "quiz" => &["world", "step", "question", "options"],
        "checkpoint" => &["world", "text", "check"],
        "try" => &[
            "world",
            "text",
            "instruction",
            "target",
            "check",
            "hint",
            "solution",
        ],
        other => {
            report.error(Some(p.kind.span()), format!("unknown part kind `{other}`; valid kinds: narration, predict, quiz, checkpoint, try"));
            return None;
        }
    };
    let present: Vec<(&str, Option<Range<usize>>)> = [
        ("world", span_of(&p.world)),
        ("step", span_of(&p.step)),
        ("until", span_of(&p.until)),
        ("before", span_of(&p.before)),
        ("text", span_of(&p.text)),
        ("question", span_of(&p.question)),
        ("compute", span_of(&p.compute)),
        ("choices", first_span_of(&p.choices, &span)),
        ("explanation", span_of(&p.explanation)),
        ("options", first_span_of(&p.options, &span)),
        ("check", span_of(&p.check)),
        ("instruction", span_of(&p.instruction)),
        ("target", span_of(&p.target)),
        ("hint", span_of(&p.hint)),
        ("solution", first_span_of(&p.solution, &span)),
    ]
    .into_iter()
    .filter_map(|(n, s)| s.map(|s| (n, Some(s))))
    .collect();
    for (name, s) in &present {
        if !allowed.contains(name) {
            report.error(
                s.clone(),
                format!(
                    "`{name}` is not a field of a `{kind}` part; it may have: kind, {}",
                    allowed.join(", ")
                ),
            );
        }
    }
    let world = match &p.world {
        None => 0,
        Some(w) => match worlds.iter().position(|x| &x.name == w.get_ref()) {
            Some(i) => i,
            None => {
                let names: Vec<&str> = worlds.iter().map(|w| w.name.as_str()).collect();
                report.error(
                    Some(w.span()),
                    format!(
                        "unknown world `{}`; this lesson has: {}",
                        w.get_ref(),
                        names.join(", ")
                    ),
                );
                0
            }
        },
    };
    check_ref(&p.step, report);
    check_ref(&p.until, report);
    check_ref(&p.before, report);
    let mut missing = |field: &str, what: bool| {
        if !what {
            report.error(
                Some(span.clone()),
                format!("a `{kind}` part needs `{field}`"),
            );
        }
    };
    let body = match kind {
        "narration" => {
            missing("text", p.text.is_some());
            if p.until.is_some() && p.step.is_none() {
                report.error(
                    p.until.as_ref().map(|u| u.span()),
                    "`until` ends a range that `step` starts; give `step` too",
                );
            }
            PartBody::Narration {
                step: p.step.clone(),
                until: p.until.clone(),
                text: text(&p.text)?,
            }
        }
        "predict" => {
            missing("question", p.question.is_some());
            missing("compute", p.compute.is_some());
            missing("choices", p.choices.is_some());
            let c = p.compute.as_ref()?;
            let needs_step = |report: &mut Report| -> Option<At> {
                if p.step.is_none() {
                    report.error(
                        Some(c.span()),
                        format!("`compute = \"{}\"` needs a `step`", c.get_ref()),
                    );
                }
                p.step.clone()
            };
            let compute = match c.get_ref().as_str() {
                "verdict" => Compute::Verdict,
                "status" => Compute::Status(needs_step(report)?),
                "error" => Compute::Error(needs_step(report)?),
                "blocked-at" => Compute::BlockedAt,
                "refused-by" => Compute::RefusedBy,
                "succeeding" => Compute::Succeeding,
                "check" => match &p.check {
                    Some(chk) => Compute::Check(Box::new(check::compile(chk, report)?)),
                    None => {
                        report.error(
                            Some(c.span()),
                            "`compute = \"check\"` needs a `check` table",
                        );
                        return None;
                    }
                },
                other => {
                    report.error(
                        Some(c.span()),
                        format!(
                            "unknown compute `{other}`; valid: {}",
                            COMPUTE_KINDS.join(", ")
                        ),
                    );
                    return None;
                }
            };
            if p.check.is_some() && !matches!(compute, Compute::Check(_)) {
                report.error(
                    p.check.as_ref().map(|c| c.span()),
                    "`check` belongs to `compute = \"check\"`",
                );
            }
            let choices: Vec<String> = p
                .choices
                .iter()
                .flatten()
                .map(|c| c.get_ref().clone())
                .collect();
            if choices.len() < 2 {
                report.error(
                    Some(span.clone()),
                    "a prediction offers at least two choices",
                );
            }
            PartBody::Predict {
                before: p.before.clone().or_else(|| p.step.clone()),
                question: text(&p.question)?,
                compute,
                choices,
                explanation: text(&p.explanation),
                choices_span: p
                    .choices
                    .as_ref()
                    .and_then(|c| c.first())
                    .map_or(span.clone(), |c| c.span()),
            }
        }
        "quiz" => {
            missing("question", p.question.is_some());
            missing("options", p.options.is_some());
            let mut options = Vec::new();
            for o in p.options.iter().flatten() {
                let v = o.get_ref();
                if v.explain.as_deref().is_none_or(|e| e.trim().is_empty()) {
                    report.error(Some(o.span()), "every quiz option needs an `explain`");
                }
                options.push(QuizOption {
                    text: crate::lesson::reflow(&v.text),
                    correct: v.correct,
                    explain: crate::lesson::reflow(v.explain.as_deref().unwrap_or("")),
                });
            }
            if options.len() < 2 {
                report.error(Some(span.clone()), "a quiz offers at least two options");
            }
            if options.iter().filter(|o| o.correct).count() != 1 {
                report.error(
                    Some(span.clone()),
                    "exactly one quiz option should have `correct = true`",
                );
            }
            PartBody::Quiz {
                step: p.step.clone(),
                question: text(&p.question)?,
                options,
            }
        }
        "checkpoint" => {
            missing("check", p.check.is_some());
            PartBody::Checkpoint {
                text: text(&p.text),
                check: check::compile(p.check.as_ref()?, report)?,
            }
        }
        "try" => {
            missing("instruction", p.instruction.is_some());
            if p.target.is_none() && p.check.is_none() {
                report.error(
                    Some(span.clone()),
                    "a `try` part needs a `target`, a `check`, or both",
                );
            }
            let target = p
                .target
                .as_ref()
                .map(|t| Target::resolve(t.get_ref(), report))
                .unwrap_or_default();
            let check = match &p.check {
                Some(c) => Some(check::compile(c, report)?),
                None => None,
            };
            let mut solution = Vec::new();
            for s in p.solution.iter().flatten() {
                let v = s.get_ref();
                check_ref(&Some(v.after.clone()), report);
                let action = match (&v.replay, v.advance_clock) {
                    (Some(r), None) => {
                        check_ref(&Some(r.clone()), report);
                        SolutionAction::Replay(r.clone())
                    }
                    (None, Some(secs)) => SolutionAction::AdvanceClock(secs),
                    _ => {
                        report.error(
                            Some(s.span()),
                            "a solution input has exactly one of `replay`, `advance_clock`",
                        );
                        continue;
                    }
                };
                solution.push(SolutionInput {
                    after: v.after.clone(),
                    action,
                });
            }
            PartBody::Try {
                instruction: text(&p.instruction)?,
                target,
                check,
                hint: text(&p.hint),
                solution,
            }
        }
        _ => return None,
    };
    Some(Part { world, body, span })
}

/// Where an optional field of a file stands, if it is there.
fn span_of<T>(field: &Option<Spanned<T>>) -> Option<Range<usize>> {
    field.as_ref().map(|s| s.span())
}

/// Where an optional list field of a file stands, if it is there: at its first item, or
/// at `empty` (the enclosing table's place) when it has none.
fn first_span_of<T>(list: &Option<Vec<Spanned<T>>>, empty: &Range<usize>) -> Option<Range<usize>> {
    list.as_ref()
        .map(|l| l.first().map_or(empty.clone(), |s| s.span()))
}
