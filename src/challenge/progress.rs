//! A challenge's progress in the lesson store ([`crate::lesson::progress::Record`]): the
//! same file guarantees (atomic writes, damaged files set aside, sessions merged), in
//! its own folder (`challenges/ID.json`).

use serde::{Deserialize, Serialize};

use crate::lesson::progress::{Record, earliest};

/// The version of a challenge progress file.
pub const CHALLENGE_PROGRESS_VERSION: u32 = 1;

/// Progress through one challenge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeProgress {
    pub version: u32,
    pub challenge: String,
    /// How many hints were shown (in order); each costs its points.
    pub hints_used: usize,
    pub solved: bool,
    /// The score earned when it was solved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<u32>,
    /// The goal reached and the step it held at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<usize>,
    /// When it was first solved (Unix seconds; stamped by the store).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solved_at: Option<u64>,
}

/// The largest number of hints a file may say were used (a challenge has a few).
pub const MAX_HINTS: usize = 1000;

impl ChallengeProgress {
    /// Records a solution: the goal, its step and the score with the hints used so far.
    /// A challenge solved before keeps its first solution.
    pub fn solve(&mut self, goal: &str, step: usize, score: u32) {
        if self.solved {
            return;
        }
        self.solved = true;
        self.goal = Some(goal.to_string());
        self.step = Some(step);
        self.score = Some(score);
    }
}

impl Record for ChallengeProgress {
    const FOLDER: &'static str = "challenges";
    const NOUN: &'static str = "challenge";
    const VERSION: u32 = CHALLENGE_PROGRESS_VERSION;

    fn fresh(id: &str) -> Self {
        ChallengeProgress {
            version: CHALLENGE_PROGRESS_VERSION,
            challenge: id.to_string(),
            hints_used: 0,
            solved: false,
            score: None,
            goal: None,
            step: None,
            solved_at: None,
        }
    }

    fn id(&self) -> &str {
        &self.challenge
    }

    fn version(&self) -> u32 {
        self.version
    }

    /// Hints seen in either session count; a solution in either counts, and the one
    /// solved first (the saved one, else this session's) keeps its goal and score.
    fn merge(saved: &Self, mine: &Self) -> Self {
        let first = if saved.solved { saved } else { mine };
        ChallengeProgress {
            hints_used: saved.hints_used.max(mine.hints_used),
            solved_at: earliest(saved.solved_at, mine.solved_at),
            ..first.clone()
        }
    }

    fn damage(&self) -> Option<String> {
        if self.hints_used > MAX_HINTS {
            return Some(format!(
                "is damaged ({} hints used; no challenge has more than {MAX_HINTS})",
                self.hints_used
            ));
        }
        (self.solved != self.score.is_some())
            .then(|| "is damaged (solved and score disagree)".to_string())
    }

    fn completion_unstamped(&self) -> bool {
        self.solved && self.solved_at.is_none()
    }

    fn stamp(&mut self, unix_secs: u64) {
        self.solved_at = Some(unix_secs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_keeps_the_first_solution_and_every_hint() {
        let mut saved = ChallengeProgress::fresh("x");
        saved.hints_used = 1;
        saved.solve("code-injection", 30, 90);
        saved.solved_at = Some(100);
        let mut mine = ChallengeProgress::fresh("x");
        mine.hints_used = 2;
        let m = ChallengeProgress::merge(&saved, &mine);
        assert_eq!(
            (m.solved, m.score, m.hints_used, m.solved_at),
            (true, Some(90), 2, Some(100))
        );
        let m = ChallengeProgress::merge(&mine, &saved);
        assert_eq!((m.solved, m.score, m.hints_used), (true, Some(90), 2));
    }
}
