//! Lesson mode's state: the lesson being followed, where its current part stands, and
//! small pure helpers the handlers and the views share.

use std::cell::Cell;
use std::collections::BTreeMap;

use crate::lesson::world::LessonWorld;
use crate::lesson::{CheckResult, Feedback, Lesson, LessonRun, TryStatus};
use crate::tui::timeline::WorldSpec;

/// Where the current part stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// The lesson's first screen: its summary and goals, before part 1 (whose own
    /// phase follows on Enter).
    Intro(Box<Phase>),
    /// A narration: read, look, Enter.
    Read,
    /// A prediction or quiz waiting for an answer.
    Ask,
    /// Answered: right or wrong, the right answer and the explanations.
    Answered { choice: usize, feedback: Feedback },
    /// A checkpoint, evaluated on the world run to its end.
    Checked(CheckResult),
    /// A try: the learner acts on the world; `None` until first evaluated.
    Try(Option<TryStatus>),
    /// After the last part: the summary.
    Finished,
}

/// The lesson being followed.
pub struct LessonMode {
    pub run: LessonRun,
    pub phase: Phase,
    /// The steps the part is about (first, last), highlighted in the diagram.
    pub focus: Option<(usize, usize)>,
    /// While a prediction waits: how many steps the learner may see.
    pub gate: Option<usize>,
    /// Scroll of the lesson pane. The view clamps it to the text it draws and writes
    /// the clamped value back.
    pub scroll: Cell<u16>,
    /// Whether the try's hint is shown.
    pub hint: bool,
    /// The world the try status was computed for.
    pub(crate) try_key: Option<(u64, WorldSpec, usize, usize)>,
    /// The learner's own world in each try part left so far (the world and the
    /// selected step), given back when the learner returns to that part.
    pub tried: BTreeMap<usize, (WorldSpec, usize)>,
}

impl LessonMode {
    pub fn lesson(&self) -> &Lesson {
        self.run.lesson()
    }

    pub fn is_asking(&self) -> bool {
        self.phase == Phase::Ask
    }

    pub fn is_trying(&self) -> bool {
        matches!(self.phase, Phase::Try(_))
    }

    /// Whether the lesson's first screen (summary and goals) is up.
    pub fn is_intro(&self) -> bool {
        matches!(self.phase, Phase::Intro(_))
    }

    /// Whether a prediction holds the world back (the screen must not hint at what
    /// comes after, e.g. with the run's step total).
    pub fn holds_back(&self) -> bool {
        self.is_asking() || self.gate.is_some()
    }

    /// How many choices the current question has.
    pub fn choice_count(&self) -> usize {
        self.run.choices(self.run.position()).len()
    }

    pub fn score(&self) -> (usize, usize) {
        (self.run.progress().score(), self.lesson().max_score())
    }
}

/// The UI's world spec for a lesson world.
pub fn ui_spec(w: &LessonWorld) -> WorldSpec {
    w.spec.clone()
}

/// `a`, `b`, … for choice 0, 1, …
pub fn letter(i: usize) -> char {
    (b'a' + (i.min(25)) as u8) as char
}

/// What a try still lacks, in words.
pub fn try_missing(s: &TryStatus) -> String {
    let mut parts = s.missing.clone();
    if let Some(o) = &s.check
        && !o.passed
    {
        parts.push(format!("for now, {}", o.detail));
    }
    if parts.is_empty() {
        "run it to the end".into()
    } else {
        parts.join("; ")
    }
}
