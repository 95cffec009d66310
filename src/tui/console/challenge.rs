//! Challenge mode (`oauth-lab challenge start ID`): the world is the challenge's
//! undisclosed deployment with the learner at the challenge's position. The defense
//! panel, the profiles, the attack picker, the matrix and the lessons are locked; the
//! briefing (`B`) and the hints (`H`, each costs points: asked first) are a key away.
//! The moment one of the challenge's goals holds it is solved: the debrief opens, and
//! from it the same moves replayed against the deployment with the debrief's fix.
//! Nothing shows the deployment or the debrief before that.
//!
//! This is the state and what the views read; [`super::challenge_handlers`] changes it.

use crate::actors::defenses::Defenses;
use crate::attacks::{self, Attack};
use crate::tui::app::App;
use crate::world::WorldSpec;

use super::GoalBanner;

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

pub fn fixed_words(f: &FixedRun) -> String {
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

/// The title bar's words in a challenge.
pub fn title_words(app: &App) -> String {
    match &app.challenge {
        Some(c) if c.solved.is_some() => format!("challenge {} · {} · SOLVED", c.id, c.title),
        Some(c) => format!("challenge {} · {}", c.id, c.title),
        None => String::new(),
    }
}
