//! The world behind the screen: a [`Simulation`] stepped as the learner steps, with
//! every actor's state cached after each step so that stepping back is instant.
//!
//! A run is fully described by its [`WorldSpec`] (seed, defenses, attack and the
//! learner's recorded inputs). Anything that changes the past — toggling a defense,
//! advancing the clock at an earlier step — rebuilds the world from that description
//! and runs it to the step the learner was on.

use std::rc::Rc;

use jsonwebtoken::jwk::JwkSet;

use crate::actors::StateSection;
use crate::actors::auth_server::AuthServer;
use crate::actors::defenses::{Defenses, Profile};
use crate::actors::well_known as wk;
use crate::sim::simulation::InputError;
use crate::sim::trace_diff::first_difference;
use crate::sim::{ActorId, LearnerInput, SimTime, Simulation, Trace};

pub use crate::sim::trace_diff::{DiffKind, Difference};
pub use crate::world::{MAX_STEPS, WorldSpec};

/// One actor's state after a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorState {
    pub id: ActorId,
    pub label: String,
    pub sections: Vec<StateSection>,
}

/// Everything the inspector needs about the world after one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepState {
    pub now: SimTime,
    pub actors: Vec<ActorState>,
}

fn capture(sim: &Simulation) -> Rc<StepState> {
    Rc::new(StepState {
        now: sim.now(),
        actors: sim
            .actors()
            .map(|a| ActorState {
                id: a.id().clone(),
                label: a.label(),
                sections: a.snapshot(),
            })
            .collect(),
    })
}

/// A world being stepped, with its cache.
pub struct Timeline {
    /// The world, with the inputs applied so far (kept equal to the simulation's log).
    pub spec: WorldSpec,
    sim: Simulation,
    states: Vec<Rc<StepState>>,
    jwks: Option<JwkSet>,
    /// How many steps the run has when left alone from here (no further inputs).
    expected_len: usize,
    /// Bumped whenever the world is rebuilt, so derived caches know to refresh.
    pub generation: u64,
    /// Live mode: the trace of real traffic, shown instead of the simulation's (which
    /// then stays at its start, never stepped).
    live: Option<Trace>,
    /// Live mode: the step after which the parties' state in `states` was taken (the
    /// state now, not the state after each step).
    live_state_after: Option<usize>,
}

impl Timeline {
    /// A fresh world, stepped once (the learner starts at step 0).
    pub fn new(spec: WorldSpec) -> Self {
        Self::replay(spec, 1, 0)
    }

    /// Builds `spec`, re-applies its inputs where they were made, and runs to `len`
    /// steps (or until the run stops), keeping the state after every step. Inputs that
    /// no longer apply are dropped from the spec.
    pub fn replay(spec: WorldSpec, len: usize, generation: u64) -> Self {
        let mut sim = spec.build();
        let jwks = sim.actor::<AuthServer>(wk::AS).map(|a| a.jwks().clone());
        let mut states = Vec::new();
        sim.replay_inputs_with(&spec.inputs, len.min(MAX_STEPS), |sim| {
            states.push(capture(sim))
        });
        let mut t = Timeline {
            spec,
            sim,
            states,
            jwks,
            expected_len: 0,
            generation,
            live: None,
            live_state_after: None,
        };
        t.inputs_changed();
        t
    }

    /// Live mode's timeline: `trace` (real traffic so far) in `spec`'s world, whose
    /// tokens are checked against `jwks` (the live AS's keys).
    pub fn live(spec: WorldSpec, trace: Trace, jwks: Option<JwkSet>) -> Self {
        Timeline {
            sim: spec.build(),
            spec,
            states: Vec::new(),
            jwks,
            expected_len: 0,
            generation: 0,
            live: Some(trace),
            live_state_after: None,
        }
    }

    /// Whether this is live mode's timeline.
    pub fn is_live(&self) -> bool {
        self.live.is_some()
    }

    /// Live mode: the trace as it has grown (steps are only ever appended).
    pub fn set_live_trace(&mut self, trace: Trace) {
        self.live = Some(trace);
    }

    /// Live mode: the parties' state now, taken after step `after`; the State tab shows
    /// it whichever step is selected, and says so.
    pub fn set_live_state(&mut self, after: usize, state: StepState) {
        self.states = vec![Rc::new(state)];
        self.live_state_after = Some(after);
    }

    /// Live mode: the step after which the state shown was taken, once taken.
    pub fn live_state_after(&self) -> Option<usize> {
        self.live_state_after
    }

    /// Keeps the spec's inputs equal to the simulation's log, and the expected length
    /// up to date.
    fn inputs_changed(&mut self) {
        self.spec.inputs = self.sim.inputs().to_vec();
        self.expected_len = self.compute_expected_len();
    }

    /// The length of this run if it is left alone: a throwaway copy run to the end.
    fn compute_expected_len(&self) -> usize {
        let copy = self.spec.run_to(MAX_STEPS);
        copy.trace().steps.len().max(self.len())
    }

    pub fn sim(&self) -> &Simulation {
        &self.sim
    }

    pub fn trace(&self) -> &Trace {
        self.live.as_ref().unwrap_or_else(|| self.sim.trace())
    }

    /// Steps taken so far.
    pub fn len(&self) -> usize {
        self.trace().steps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of steps this run will have if nothing more is done.
    pub fn expected_len(&self) -> usize {
        self.expected_len.max(self.len())
    }

    pub fn jwks(&self) -> Option<&JwkSet> {
        self.jwks.as_ref()
    }

    pub fn inputs(&self) -> Vec<(usize, LearnerInput)> {
        self.sim.inputs().to_vec()
    }

    /// The world's state after step `i` (clamped to the last step taken).
    pub fn state_at(&self, i: usize) -> Option<&StepState> {
        let last = self.states.len().checked_sub(1)?;
        self.states.get(i.min(last)).map(|s| s.as_ref())
    }

    /// Whether the run has nothing more to do (it may still be waiting on held messages).
    pub fn is_finished(&self) -> bool {
        self.sim.is_idle() || self.len() >= MAX_STEPS
    }

    /// Takes one more step; false when nothing moves (always, live: steps arrive).
    pub fn advance(&mut self) -> bool {
        if self.is_live() || self.len() >= MAX_STEPS {
            return false;
        }
        if self.sim.step().is_some() {
            self.states.push(capture(&self.sim));
            true
        } else {
            false
        }
    }

    /// Steps until the run stops (or waits on held messages).
    pub fn run_to_end(&mut self) {
        while self.advance() {}
    }

    /// Rebuilds the world with other defenses (same seed, same inputs), run to the same
    /// length; returns the first difference from the run before.
    pub fn with_defenses(
        &self,
        defenses: Defenses,
        profile: Profile,
    ) -> (Timeline, Option<Difference>) {
        let spec = WorldSpec {
            defenses,
            profile,
            ..self.spec.clone()
        };
        let new = Timeline::replay(spec.clone(), self.len(), self.generation + 1);
        let mut diff = first_difference(self.trace(), new.trace());
        if diff.is_none() {
            // Nothing differs yet: look further ahead, on throwaway copies.
            let to_end = |spec: &WorldSpec| spec.run_to(MAX_STEPS).into_trace();
            diff = first_difference(&to_end(&self.spec), &to_end(&spec));
        }
        (new, diff)
    }

    /// Applies a learner input after step `at_len - 1`: if the run is already further
    /// along, it is cut back to that point first (a branch).
    pub fn apply_at(&mut self, at_len: usize, input: LearnerInput) -> Result<(), InputError> {
        if at_len < self.len() {
            let mut spec = self.spec.clone();
            spec.inputs.retain(|(at, _)| *at <= at_len);
            *self = Timeline::replay(spec, at_len, self.generation + 1);
        }
        self.apply(input)
    }

    /// Applies a learner input now, at the end of the run so far.
    pub fn apply(&mut self, input: LearnerInput) -> Result<(), InputError> {
        self.sim.apply(input)?;
        self.generation += 1;
        self.inputs_changed();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stepping_captures_state_and_replay_matches() {
        let mut t = Timeline::new(WorldSpec::happy_path(7, Profile::Bcp));
        assert_eq!(t.len(), 1);
        for _ in 0..10 {
            assert!(t.advance());
        }
        assert_eq!(t.len(), 11);
        assert!(t.state_at(10).is_some());
        let again = Timeline::replay(t.spec.clone(), 11, 0);
        assert_eq!(again.trace(), t.trace());
        assert_eq!(t.expected_len(), {
            let mut full = t.spec.build();
            full.run_until_idle();
            full.trace().steps.len()
        });
        assert!(t.spec.inputs.is_empty());
    }

    #[test]
    fn toggling_pkce_changes_the_authorization_redirect() {
        let mut t = Timeline::new(WorldSpec::happy_path(7, Profile::Bcp));
        t.run_to_end();
        let mut d = t.spec.defenses.clone();
        d.toggle(crate::actors::DefenseId::Pkce);
        let (new, diff) = t.with_defenses(d, Profile::Bcp);
        let diff = diff.expect("a difference");
        // The client handles the sign-in differently first, then sends other messages.
        assert_eq!(diff.what, DiffKind::Handling);
        let (i, _, after) = diff.message.expect("a message differs too");
        assert!(i > diff.index && after.contains("authorize"), "{after}");
        assert!(new.trace().steps[i].wire != t.trace().steps[i].wire);
    }

    #[test]
    fn branching_cuts_the_future() {
        let mut t = Timeline::new(WorldSpec::happy_path(7, Profile::Bcp));
        t.run_to_end();
        let full = t.len();
        t.apply_at(5, LearnerInput::AdvanceClock { secs: 60 })
            .unwrap();
        assert_eq!(t.len(), 5);
        assert!(t.advance());
        assert!(t.trace().steps[5].summary.contains("1 min"));
        assert!(full > 5);
        assert_eq!(t.spec.inputs, t.inputs());
        assert_eq!(t.spec.run_to(6).trace(), t.trace());
    }
}
