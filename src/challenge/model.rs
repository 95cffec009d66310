//! A challenge, read and checked: what the learner is told, the undisclosed deployment
//! as a world, the goals, the hints and the debrief.

use crate::actors::defenses::Defenses;
use crate::attacks::Attack;
use crate::workshop::{Position, Quirk};
use crate::world::WorldSpec;

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
    pub what: String,
    /// The fix as defense changes (`enable pkce`, `set redirect-matching=exact`).
    pub fix_words: Vec<String>,
    /// The RFC sections.
    pub references: Vec<String>,
}

/// A challenge.
#[derive(Clone)]
pub struct Challenge {
    pub id: String,
    pub title: String,
    pub difficulty: u32,
    /// What a solution earns before hints are paid for.
    pub points: u32,
    /// The story the learner is told.
    pub story: String,
    pub position: Position,
    /// The goal, in plain words.
    pub goal_words: String,
    /// The goal predicates (catalog attacks) any of which solves it.
    pub goals: Vec<&'static dyn Attack>,
    pub hints: Vec<Hint>,
    /// The deployment: seed, defenses, position and quirks (undisclosed).
    pub(super) world: WorldSpec,
    /// The deployment's defenses with the debrief's fix applied.
    pub(super) fixed: Defenses,
    pub(super) debrief: Debrief,
    /// The file it was read from.
    pub file: String,
}

impl std::fmt::Debug for Challenge {
    /// The deployment and the debrief stay out of debug output too.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Challenge")
            .field("id", &self.id)
            .field("title", &self.title)
            .finish_non_exhaustive()
    }
}

impl Challenge {
    /// The world the learner plays in (the deployment, undisclosed: a front end must not
    /// show its defenses or quirks before the challenge is solved).
    pub fn world(&self) -> &WorldSpec {
        &self.world
    }

    /// The same world with the debrief's fix applied.
    pub fn fixed_world(&self) -> WorldSpec {
        WorldSpec {
            defenses: self.fixed.clone(),
            ..self.world.clone()
        }
    }

    /// The deployment's quirks (undisclosed until solved).
    pub fn quirks(&self) -> &[Quirk] {
        self.world.workshop.as_ref().map_or(&[], |s| &s.quirks)
    }

    /// The debrief: only for a front end that has established the challenge is solved.
    pub fn debrief_when_solved(&self, solved: bool) -> Option<&Debrief> {
        solved.then_some(&self.debrief)
    }

    /// The goal ids, as the catalog names them.
    pub fn goal_ids(&self) -> Vec<&'static str> {
        self.goals.iter().map(|g| g.info().id).collect()
    }

    /// The score of a solution with the first `hints_used` hints taken.
    pub fn score(&self, hints_used: usize) -> u32 {
        let paid: u32 = self.hints.iter().take(hints_used).map(|h| h.cost).sum();
        self.points.saturating_sub(paid)
    }

    /// The briefing as lines: the story, the position, the goal.
    pub fn briefing(&self) -> Vec<String> {
        vec![
            self.story.clone(),
            format!("You are {}.", self.position.describe()),
            format!("Goal: {}", self.goal_words),
        ]
    }
}
