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
use crate::world::WorldSpec;

use super::state::GoalBanner;

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
