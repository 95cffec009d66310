//! Workshop worlds: a position under some defenses, the learner's moves made from
//! templates at the step the loot allows, and the goal watch over the run.

use std::collections::BTreeMap;

use crate::actors::Defenses;
use crate::attacks::Attack;
use crate::sim::{LearnerInput, Simulation};
use crate::workshop::{GoalHit, Loot, Position, Quirk, Setting, Template, run_watching};
use crate::world::{MAX_STEPS, WorldSpec};

/// A workshop world: `position` under `defenses` with `quirks`, no moves yet.
pub fn workshop_world(position: Position, defenses: Defenses, quirks: &[Quirk]) -> WorldSpec {
    let mut w = WorldSpec::happy_path(
        crate::sim::world::DEFAULT_SEED,
        crate::actors::defenses::Profile::Naive,
    );
    w.defenses = defenses;
    w.workshop = Some(Setting {
        position,
        quirks: quirks.to_vec(),
    });
    w
}

/// The world run to `len` steps, with its loot.
pub fn loot_at(spec: &WorldSpec, len: usize) -> (Simulation, Loot) {
    let sim = spec.run_to(len);
    let loot = Loot::of(sim.trace(), sim.trace().steps.len());
    (sim, loot)
}

/// Template fields from pairs.
pub fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Adds the move a template makes (by the position's mover) after `at` steps.
pub fn add_move(spec: &mut WorldSpec, at: usize, template: Template, pairs: &[(&str, &str)]) {
    let by = spec
        .workshop
        .as_ref()
        .expect("a workshop world")
        .position
        .actor();
    let m = template
        .render(by, &fields(pairs))
        .expect("the template renders");
    spec.inputs
        .push((at, m.to_input().expect("the move is valid")));
}

/// Runs the world to its end watching `goals`: the world and the first goal hit.
pub fn play(spec: &WorldSpec, goals: &[&str]) -> (Simulation, Option<GoalHit>) {
    let goals: Vec<&'static dyn Attack> = goals
        .iter()
        .map(|g| crate::attacks::find(g).expect("a catalog goal"))
        .collect();
    let inputs: Vec<(usize, LearnerInput)> = spec.inputs.clone();
    let w = run_watching(spec.build(), &inputs, MAX_STEPS, goals);
    (w.sim, w.hit)
}

/// A learner at work on a workshop world: each move is made after the world has run as
/// far as it goes (or right after a given step), with values picked from the loot.
pub struct Player {
    pub spec: WorldSpec,
}

impl Player {
    pub fn new(spec: WorldSpec) -> Self {
        Player { spec }
    }

    /// The world run to its end, and its loot.
    pub fn run(&self) -> (Simulation, Loot) {
        loot_at(&self.spec, MAX_STEPS)
    }

    /// The number of steps of the run so far (where a move "now" goes).
    pub fn end(&self) -> usize {
        self.run().0.trace().steps.len()
    }

    /// The first artifact of `kind` whose value satisfies `pred`.
    pub fn find(
        &self,
        kind: crate::workshop::ArtifactKind,
        pred: impl Fn(&str) -> bool,
    ) -> crate::workshop::Artifact {
        let (_, loot) = self.run();
        loot.of_kind(kind)
            .find(|a| pred(&a.value))
            .cloned()
            .unwrap_or_else(|| panic!("no {kind:?} as wanted in the loot: {:#?}", loot.artifacts))
    }

    /// The last artifact of `kind`.
    pub fn last(&self, kind: crate::workshop::ArtifactKind) -> crate::workshop::Artifact {
        let (_, loot) = self.run();
        loot.of_kind(kind)
            .last()
            .cloned()
            .unwrap_or_else(|| panic!("no {kind:?} in the loot: {:#?}", loot.artifacts))
    }

    /// A move made by `by` after `at` steps.
    pub fn play_at(&mut self, at: usize, template: Template, by: &str, pairs: &[(&str, &str)]) {
        let m = template
            .render(by, &fields(pairs))
            .expect("the template renders");
        self.spec
            .inputs
            .push((at, m.to_input().expect("the move is valid")));
    }

    /// A move made by `by` once the world has run as far as it goes.
    pub fn play(&mut self, template: Template, by: &str, pairs: &[(&str, &str)]) {
        let at = self.end();
        self.play_at(at, template, by, pairs);
    }
}
