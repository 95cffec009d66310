//! The goal watch: the catalog's goal predicates (the same functions the matrix uses)
//! evaluated on the world after every step; the first that holds, and at which step.

use serde::Serialize;

use super::loot::{ArtifactKind, Loot, artifacts_in, url_artifacts};
use crate::actors::UserAction;
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

/// A move that was not made: it carries a secret the attacker never obtained in this
/// run (a code or token from another run, where the world went otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unfounded {
    /// The step count it was due at.
    pub at: usize,
    pub kind: ArtifactKind,
}

/// The secret (code or token) `input` carries that the attacker does not hold in
/// `sim`'s run so far, if any. Only attacker moves are judged.
pub fn unknown_secret(sim: &Simulation, input: &LearnerInput) -> Option<ArtifactKind> {
    let carried = match input {
        LearnerInput::AttackerMove { text, .. } => artifacts_in(text),
        LearnerInput::Act {
            to,
            action: UserAction::Navigate { url },
        } if sim.is_attacker(to) => {
            let mut v = Vec::new();
            url_artifacts(url, &mut v);
            v
        }
        _ => return None,
    };
    let loot = Loot::of(sim.trace(), sim.trace().steps.len());
    carried
        .into_iter()
        .find(|(kind, value)| kind.is_secret() && !loot.holds(*kind, value))
        .map(|(kind, _)| kind)
}

/// A run watched for goals.
pub struct Watched {
    pub sim: Simulation,
    pub hit: Option<GoalHit>,
    pub unfounded: Vec<Unfounded>,
}

/// Runs `sim` with `inputs` (to `len` steps or its end), watching `goals` after every
/// step. An attacker's move that carries a code or token the attacker has not obtained
/// in this run is not made (RFC 9700 §3: an attacker uses only what its position
/// yields) — so a solution replayed on a world where the leak is closed is stopped where
/// the leak was, not helped by values from another run.
pub fn run_watching(
    mut sim: Simulation,
    inputs: &[(usize, LearnerInput)],
    len: usize,
    goals: Vec<&'static dyn Attack>,
) -> Watched {
    let mut watch = GoalWatch::new(goals);
    let mut unfounded = Vec::new();
    sim.replay_inputs_where(
        inputs,
        len,
        |s, input| match unknown_secret(s, input) {
            Some(kind) => {
                unfounded.push(Unfounded {
                    at: s.trace().steps.len(),
                    kind,
                });
                false
            }
            None => true,
        },
        |s| {
            watch.observe(s);
        },
    );
    Watched {
        hit: watch.hit().cloned(),
        sim,
        unfounded,
    }
}
