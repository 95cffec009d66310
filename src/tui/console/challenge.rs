//! Challenge mode (`oauth-lab challenge start ID`): the world is the challenge's
//! undisclosed deployment with the learner at the challenge's position. The defense
//! panel, the profiles, the attack picker, the matrix and the lessons are locked; the
//! briefing (`B`) and the hints (`H`, each costs points: asked first) are a key away.
//! The moment one of the challenge's goals holds it is solved: the debrief opens, and
//! from it the same moves replayed against the deployment with the debrief's fix.
//! Nothing shows the deployment or the debrief before that.

use crate::actors::defenses::Defenses;
use crate::attacks::{self, Attack};
use crate::tui::action::Action;
use crate::tui::app::{App, Level, Overlay, Task};
use crate::tui::nav::select;
use crate::tui::timeline::{MAX_STEPS, Timeline};
use crate::tui::world_changes::load;
use crate::workshop::run_watching;
use crate::world::WorldSpec;

use super::{ConsoleAction, GoalBanner, Window};

/// One hint and what it costs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub text: String,
    pub cost: u32,
}

/// What the challenge says once it is solved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Debrief {
    /// What was wrong.
    pub text: String,
    /// The fix, in words (defense changes), and the RFC sections.
    pub fix_words: String,
    pub references: String,
    /// The deployment's defenses with the fix applied.
    pub fixed: Defenses,
}

/// Where the learner's moves went against the fixed deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedRun {
    /// The goal still reached (the fix did not stop these moves), if it was.
    pub goal: Option<GoalBanner>,
    /// The steps of the run.
    pub steps: usize,
}

/// The challenge being played.
#[derive(Debug, Clone, PartialEq)]
pub struct ChallengeMode {
    pub id: String,
    pub title: String,
    /// What the learner is told: the story, the position, the goal in plain words.
    pub briefing: Vec<String>,
    /// The goals (catalog attack ids) any of which solves it.
    pub goals: Vec<String>,
    pub hints: Vec<Hint>,
    /// The points a solution earns before hints are paid for.
    pub max_score: u32,
    /// How many hints the learner has seen (in order).
    pub hints_shown: usize,
    /// Kept back until solved.
    debrief: Debrief,
    /// The goal reached, when solved.
    pub solved: Option<GoalBanner>,
    /// The world of the deployment, as the challenge started it (to go back to).
    pub world: WorldSpec,
    /// The moves against the fixed deployment, once shown.
    pub fixed: Option<FixedRun>,
}

impl ChallengeMode {
    /// A challenge to play in `world` (its deployment and the learner's position),
    /// with `hints_shown` hints already seen.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: &str,
        title: &str,
        briefing: Vec<String>,
        goals: Vec<String>,
        hints: Vec<Hint>,
        max_score: u32,
        debrief: Debrief,
        world: WorldSpec,
    ) -> Self {
        ChallengeMode {
            id: id.to_string(),
            title: title.to_string(),
            briefing,
            goals,
            hints,
            max_score,
            hints_shown: 0,
            debrief,
            solved: None,
            world,
            fixed: None,
        }
    }

    /// The goal predicates that solve it.
    pub fn goals(&self) -> Vec<&'static dyn Attack> {
        self.goals.iter().filter_map(|g| attacks::find(g)).collect()
    }

    /// The points the learner would get now: the maximum less the hints seen.
    pub fn score(&self) -> u32 {
        let paid: u32 = self
            .hints
            .iter()
            .take(self.hints_shown)
            .map(|h| h.cost)
            .sum();
        self.max_score.saturating_sub(paid)
    }

    /// The debrief, once solved.
    pub fn debrief(&self) -> Option<&Debrief> {
        self.solved.as_ref().map(|_| &self.debrief)
    }
}

/// The notice for an action a challenge locks.
pub const LOCKED: &str = "In a challenge the deployment is undisclosed: the defense panel, profiles, attacks, matrix and lessons are locked. B shows the briefing, H a hint.";

/// Whether the action is locked in the challenge being played (before and after it is
/// solved: the deployment stays what it was).
pub fn locks(app: &App, action: &Action) -> bool {
    app.challenge.is_some()
        && matches!(
            action,
            Action::OpenDefenses
                | Action::ToggleDefense(_)
                | Action::CycleProfile
                | Action::OpenAttacks
                | Action::LaunchAttack(_)
                | Action::HappyPath
                | Action::OpenMatrix
                | Action::OpenLessons
                | Action::StartLesson(_)
                | Action::Console(ConsoleAction::ChoosePosition)
        )
}

/// The app opened in a challenge: its world at step 0, the console open, the briefing
/// shown.
pub fn start(app: &mut App, mode: ChallengeMode) {
    load(app, mode.world.clone());
    app.lesson = None;
    app.challenge = Some(mode);
    app.console = super::Console {
        open: true,
        ..Default::default()
    };
    app.presenter = false;
    app.overlay = Some(Overlay::Console(Window::Briefing { scroll: 0 }));
}

/// `H`: asks before showing the next hint (it costs points).
pub fn ask_hint(app: &mut App) {
    let Some(c) = &app.challenge else { return };
    if c.hints_shown >= c.hints.len() {
        app.notify(
            Level::Info,
            format!(
                "No more hints: all {} are in the briefing (B).",
                c.hints.len()
            ),
        );
        return;
    }
    app.overlay = Some(Overlay::Console(Window::HintAsk));
}

/// The question before a hint.
pub fn hint_question(app: &App) -> String {
    let Some(c) = &app.challenge else {
        return String::new();
    };
    match c.hints.get(c.hints_shown) {
        Some(h) => format!(
            "Hint {} of {} costs {} point(s): your score for this challenge would go from {} to {}. Show it? (y / n)",
            c.hints_shown + 1,
            c.hints.len(),
            h.cost,
            c.score(),
            c.score().saturating_sub(h.cost)
        ),
        None => "No more hints.".to_string(),
    }
}

/// `y` to the question: the next hint, in the briefing window (and saved).
pub fn show_hint(app: &mut App) {
    let Some(c) = &mut app.challenge else { return };
    if c.hints_shown < c.hints.len() {
        c.hints_shown += 1;
    }
    let n = c.hints_shown;
    app.tasks.push(progress_task(c));
    app.overlay = Some(Overlay::Console(Window::Briefing { scroll: 0 }));
    app.notify(
        Level::Info,
        format!("Hint {n} is at the end of the briefing."),
    );
}

/// The briefing window's lines: (text, is a heading).
pub fn briefing_lines(app: &App) -> Vec<(String, bool)> {
    let Some(c) = &app.challenge else {
        return Vec::new();
    };
    let mut out = vec![(format!("Challenge {} — {}", c.id, c.title), true)];
    out.extend(c.briefing.iter().map(|p| (p.clone(), false)));
    out.push((String::new(), false));
    out.push((
        format!(
            "Score: {} of {} (hints used: {} of {}). The deployment is undisclosed: find what it lets through.",
            c.score(),
            c.max_score,
            c.hints_shown,
            c.hints.len()
        ),
        false,
    ));
    for (i, h) in c.hints.iter().take(c.hints_shown).enumerate() {
        out.push((String::new(), false));
        out.push((format!("Hint {} (−{})", i + 1, h.cost), true));
        out.push((h.text.clone(), false));
    }
    if c.hints_shown < c.hints.len() {
        out.push((String::new(), false));
        out.push((
            format!(
                "H asks for hint {} (it costs {} point(s)).",
                c.hints_shown + 1,
                c.hints[c.hints_shown].cost
            ),
            false,
        ));
    }
    if let Some(g) = &c.solved {
        out.push((String::new(), false));
        out.push((
            format!(
                "SOLVED at step {}: {}. D opens the debrief.",
                g.step, g.what
            ),
            true,
        ));
    }
    out
}

/// The debrief window's lines (nothing before the challenge is solved).
pub fn debrief_lines(app: &App) -> Vec<(String, bool)> {
    let Some(c) = &app.challenge else {
        return Vec::new();
    };
    let (Some(g), Some(d)) = (&c.solved, c.debrief()) else {
        return Vec::new();
    };
    let mut out = vec![
        (format!("SOLVED — {} (score {})", c.title, c.score()), true),
        (
            format!("Goal reached at step {}: {} — {}", g.step, g.title, g.what),
            false,
        ),
        (String::new(), false),
        ("What was wrong".to_string(), true),
        (d.text.clone(), false),
        (String::new(), false),
        ("The fix".to_string(), true),
        (d.fix_words.clone(), false),
        (d.references.clone(), false),
        (String::new(), false),
    ];
    match &c.fixed {
        None => out.push((
            "f replays your moves against the same deployment with the fix applied.".to_string(),
            false,
        )),
        Some(f) => out.push((fixed_words(f), true)),
    }
    out
}

fn fixed_words(f: &FixedRun) -> String {
    match &f.goal {
        Some(g) => format!(
            "With the fix, your moves still reach the goal at step {}: {}",
            g.step, g.what
        ),
        None => format!(
            "With the fix, your moves no longer reach the goal: the run ends after {} steps without it. The diagram shows where they were stopped.",
            f.steps
        ),
    }
}

/// `D`: the debrief, only once solved.
pub fn open_debrief(app: &mut App) {
    match &app.challenge {
        Some(c) if c.solved.is_some() => {
            app.overlay = Some(Overlay::Console(Window::Debrief { scroll: 0 }));
        }
        Some(_) => app.notify(
            Level::Info,
            "The debrief opens once the challenge is solved: reach the goal first (B: briefing).",
        ),
        None => {}
    }
}

/// `f` in the debrief: the same moves, replayed against the deployment with the fix.
pub fn show_fixed(app: &mut App) {
    let Some(c) = &app.challenge else { return };
    let Some(d) = c.debrief() else { return };
    let spec = WorldSpec {
        defenses: d.fixed.clone(),
        inputs: app.timeline.spec.inputs.clone(),
        ..c.world.clone()
    };
    let (sim, hit) = run_watching(spec.build(), &spec.inputs, MAX_STEPS, c.goals());
    let steps = sim.trace().steps.len();
    let run = FixedRun {
        goal: hit.map(Into::into),
        steps,
    };
    let t = Timeline::replay(spec, steps, app.timeline.generation + 1);
    crate::tui::nav::show_world(app, t);
    select(app, steps.saturating_sub(1));
    let words = fixed_words(&run);
    if let Some(c) = &mut app.challenge {
        c.fixed = Some(run);
    }
    app.overlay = Some(Overlay::Console(Window::Debrief { scroll: 0 }));
    app.notify(Level::Changed, words);
}

/// After every action: the challenge is solved the moment one of its goals holds.
pub fn refresh(app: &mut App) {
    let goal = app.console.goal.clone();
    let Some(c) = &mut app.challenge else { return };
    if c.solved.is_some() || c.fixed.is_some() {
        return;
    }
    let Some(g) = goal.filter(|g| c.goals.contains(&g.goal)) else {
        return;
    };
    if g.step > app.cursor {
        return;
    }
    c.solved = Some(g);
    let task = progress_task(c);
    app.tasks.push(task);
    app.overlay = Some(Overlay::Console(Window::Debrief { scroll: 0 }));
}

/// The challenge's progress to save.
fn progress_task(c: &ChallengeMode) -> Task {
    Task::SaveChallenge {
        id: c.id.clone(),
        solved: c.solved.is_some(),
        hints_used: c.hints_shown,
        score: if c.solved.is_some() { c.score() } else { 0 },
    }
}

/// The title bar's words in a challenge.
pub fn title_words(app: &App) -> String {
    match &app.challenge {
        Some(c) if c.solved.is_some() => format!("challenge {} · {} · SOLVED", c.id, c.title),
        Some(c) => format!("challenge {} · {}", c.id, c.title),
        None => String::new(),
    }
}
