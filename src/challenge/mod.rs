//! Challenges: exercises whose answer is not printed anywhere. Each is a file in
//! `challenges/` (format in docs/challenges.md): a briefing (story, attacker position,
//! goal in plain words), an undisclosed deployment (defenses and quirks), the goals (the
//! catalog's goal predicates), hints that cost points, and a debrief (what was wrong,
//! the fix as defense changes, RFC sections).
//!
//! - [`read::load`] reads and checks a file (`file:line:column` problems);
//!   [`bundled`] holds the built-in ones.
//! - [`Challenge`] keeps the deployment and the debrief private:
//!   [`Challenge::world`] is what a front end plays in (without showing its
//!   defenses), [`Challenge::debrief_when_solved`] gives the debrief only when solved.
//! - [`grade::grade`] replays a solution's moves (a scenario file's inputs) and the goal
//!   watch decides; [`grade::grade_fixed`] replays them against the fixed deployment.
//! - [`ChallengeProgress`] is saved in the lesson store
//!   (`ProgressStore::load_record` / `save_record`).

pub mod bundled;
pub mod file;
pub mod grade;
pub mod model;
pub mod progress;
pub mod read;

pub use model::{Challenge, Debrief, Hint};
pub use progress::ChallengeProgress;
