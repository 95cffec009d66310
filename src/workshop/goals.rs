//! The goal watch: the catalog's goal predicates (the same functions the matrix uses)
//! evaluated on the world after every step; the first that holds, and at which step.

use serde::Serialize;

use crate::attacks::Attack;
use crate::sim::{LearnerInput, Simulation};

/// A goal that holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoalHit {
    /// The catalog attack whose goal it is.
    pub goal: &'static str,
    /// What the attacker achieved, in the predicate's words.
    pub what: String,
    /// The step after which it first held.
    pub step: usize,
}

/// Watches a set of goals over a run.
pub struct GoalWatch {
    goals: Vec<&'static dyn Attack>,
    hit: Option<GoalHit>,
}

impl GoalWatch {
    pub fn new(goals: Vec<&'static dyn Attack>) -> Self {
        GoalWatch { goals, hit: None }
    }

    /// The first goal that holds on `sim` now, in the order given.
    pub fn holding(&self, sim: &Simulation) -> Option<(&'static str, String)> {
        self.goals
            .iter()
            .find_map(|g| g.goal(sim).map(|what| (g.info().id, what)))
    }

    /// Looks at the world after its last step; the first hit is kept.
    pub fn observe(&mut self, sim: &Simulation) -> Option<&GoalHit> {
        if self.hit.is_none()
            && let Some((goal, what)) = self.holding(sim)
        {
            self.hit = Some(GoalHit {
                goal,
                what,
                step: sim.trace().steps.len().saturating_sub(1),
            });
        }
        self.hit.as_ref()
    }

    pub fn hit(&self) -> Option<&GoalHit> {
        self.hit.as_ref()
    }
}

/// Runs `sim` with `inputs` (to `len` steps or its end), watching `goals` after every
/// step: the world and the first goal that held.
pub fn run_watching(
    mut sim: Simulation,
    inputs: &[(usize, LearnerInput)],
    len: usize,
    goals: Vec<&'static dyn Attack>,
) -> (Simulation, Option<GoalHit>) {
    let mut watch = GoalWatch::new(goals);
    sim.replay_inputs_with(inputs, len, |s| {
        watch.observe(s);
    });
    let hit = watch.hit().cloned();
    (sim, hit)
}
