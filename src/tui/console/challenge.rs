//! Challenge mode (`oauth-lab challenge start ID`): the world is the challenge's
//! undisclosed deployment ([`Challenge::world`]) with the learner at the challenge's
//! position. The defense panel, the profiles, the attack picker, the matrix and the
//! lessons are locked; the briefing (`B`) and the hints (`H`, each costs points: asked
//! first) are a key away. The moment one of the challenge's goals holds it is solved:
//! the debrief opens, and from it the same moves replayed against the deployment with
//! the debrief's fix ([`crate::challenge::grade::grade_fixed`]). Nothing shows the
//! deployment or the debrief before that.
//!
//! This is the state; [`super::challenge_handlers`] changes it and `view::console_*`
//! draws it.

use crate::challenge::{Challenge, ChallengeProgress, Debrief};
use crate::world::WorldSpec;

use super::state::GoalBanner;

/// Where the learner's moves went against the fixed deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedRun {
    /// What the grading says, in words: the goal still reached, or where the moves were
    /// stopped.
    pub words: String,
    /// The learner's own world, to go back to.
    pub mine: WorldSpec,
    /// The cursor in it.
    pub cursor: usize,
}

/// The challenge being played.
#[derive(Debug, Clone)]
pub struct ChallengeMode {
    pub challenge: Challenge,
    /// Hints used and the solution, as saved (loaded when the challenge started).
    pub progress: ChallengeProgress,
    /// The goal reached in this session, when it has been.
    pub solved: Option<GoalBanner>,
    /// While the fixed deployment is on screen: how it went and the way back.
    pub fixed: Option<FixedRun>,
}

impl ChallengeMode {
    pub fn new(challenge: Challenge, progress: ChallengeProgress) -> Self {
        ChallengeMode {
            challenge,
            progress,
            solved: None,
            fixed: None,
        }
    }

    /// Whether it is solved (in this session or an earlier one).
    pub fn is_solved(&self) -> bool {
        self.solved.is_some() || self.progress.solved
    }

    /// The score a solution earns now (the points less the hints used), or the score
    /// saved with the solution.
    pub fn score(&self) -> u32 {
        match self.progress.score {
            Some(s) if self.progress.solved => s,
            _ => self.challenge.score(self.progress.hints_used),
        }
    }

    /// The debrief, once solved.
    pub fn debrief(&self) -> Option<&Debrief> {
        self.challenge.debrief_when_solved(self.is_solved())
    }
}
