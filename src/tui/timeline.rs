//! The world behind the screen: a [`Simulation`] stepped as the learner steps, with
//! every actor's state cached after each step so that stepping back is instant.
//!
//! A run is fully described by its [`WorldSpec`] (seed, defenses, scenario) and the
//! learner's recorded inputs (DESIGN.md rule 3). Anything that changes the past —
//! toggling a defense, advancing the clock at an earlier step — rebuilds the world from
//! that description and runs it to the step the learner was on.

use std::collections::VecDeque;
use std::rc::Rc;

use jsonwebtoken::jwk::JwkSet;

use crate::actors::StateSection;
use crate::actors::auth_server::AuthServer;
use crate::actors::defenses::{Defenses, Profile};
use crate::actors::well_known as wk;
use crate::sim::simulation::InputError;
use crate::sim::world::default_flow;
use crate::sim::{ActorId, LearnerInput, SimTime, Simulation, Trace};

/// Most steps a run may take before the UI stops it (a safety net, never reached by
/// the shipped scenarios).
pub const MAX_STEPS: usize = 2_000;

/// What world to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorldSpec {
    pub seed: u64,
    pub defenses: Defenses,
    /// The profile the defenses started from (for labels).
    pub profile: Profile,
    /// An attack from the catalog, or `None` for the happy path.
    pub attack: Option<String>,
}

impl WorldSpec {
    pub fn happy_path(seed: u64, profile: Profile) -> Self {
        WorldSpec {
            seed,
            defenses: profile.defenses(),
            profile,
            attack: None,
        }
    }

    /// `bcp`, or `bcp, pkce off, state off`.
    pub fn defenses_label(&self) -> String {
        let base = self.profile.defenses();
        let diffs: Vec<String> = base
            .differences(&self.defenses)
            .into_iter()
            .map(|n| format!("{n} {}", self.defenses.value_label(n)))
            .collect();
        if diffs.is_empty() {
            self.profile.name().to_string()
        } else if diffs.len() <= 2 {
            format!("{}, {}", self.profile.name(), diffs.join(", "))
        } else {
            format!("{} +{} changes", self.profile.name(), diffs.len())
        }
    }

    /// Builds the simulation this spec describes, with its scenario queued.
    pub fn build(&self) -> Simulation {
        if let Some(id) = &self.attack
            && let Some(sim) = super::attacks::build(id, self.seed, &self.defenses)
        {
            return sim;
        }
        default_flow(self.seed, self.defenses.clone())
    }
}

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

/// Where a rebuilt run first differs from the one before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub index: usize,
    pub what: DiffKind,
    /// The step's label before and after (empty when the step does not exist).
    pub before: String,
    pub after: String,
    /// When the first difference is only in handling: the first step whose message
    /// differs, with its labels before and after.
    pub message: Option<(usize, String, String)>,
    /// What changed in the first differing message, in words (`without code_challenge`).
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffKind {
    /// The message (sender, receiver or wire text) differs.
    Message,
    /// Same message, but the receiver handled it differently.
    Handling,
    /// One run ends here, the other goes on.
    Length,
}

fn label(t: &Trace, i: usize) -> String {
    t.steps
        .get(i)
        .map(|s| format!("{} → {}: {}", s.from, s.to, s.summary))
        .unwrap_or_default()
}

/// The first step whose message differs (or where one run ends), and how.
fn first_diff(before: &Trace, after: &Trace, messages_only: bool) -> Option<(usize, DiffKind)> {
    let common = before.steps.len().min(after.steps.len());
    for i in 0..common {
        let (a, b) = (&before.steps[i], &after.steps[i]);
        if a.from != b.from || a.to != b.to || a.kind != b.kind || a.wire != b.wire {
            return Some((i, DiffKind::Message));
        }
        if !messages_only && a.annotation != b.annotation {
            return Some((i, DiffKind::Handling));
        }
    }
    (before.steps.len() != after.steps.len()).then_some((common, DiffKind::Length))
}

/// Every parameter of a message, by name (query, redirect, form, JSON).
fn params_of(step: &crate::sim::Step) -> std::collections::BTreeMap<String, String> {
    let d = &step.decoded;
    let mut out: std::collections::BTreeMap<String, String> = d
        .query
        .iter()
        .chain(&d.location_query)
        .chain(&d.form)
        .cloned()
        .collect();
    if let Some(serde_json::Value::Object(map)) = &d.json {
        for (k, v) in map {
            out.insert(k.clone(), v.to_string());
        }
    }
    out
}

/// What differs between two versions of one message, in words.
pub fn message_change(a: &crate::sim::Step, b: &crate::sim::Step) -> String {
    if a.from != b.from || a.to != b.to {
        return format!("now {} → {} (was {} → {})", b.from, b.to, a.from, a.to);
    }
    if a.decoded.status != b.decoded.status || a.decoded.method != b.decoded.method {
        return format!("now “{}” (was “{}”)", b.summary, a.summary);
    }
    let (pa, pb) = (params_of(a), params_of(b));
    let removed: Vec<&str> = pa
        .keys()
        .filter(|k| !pb.contains_key(*k))
        .map(String::as_str)
        .collect();
    let added: Vec<&str> = pb
        .keys()
        .filter(|k| !pa.contains_key(*k))
        .map(String::as_str)
        .collect();
    let changed: Vec<&str> = pa
        .iter()
        .filter(|(k, v)| pb.get(*k).is_some_and(|w| w != *v))
        .map(|(k, _)| k.as_str())
        .collect();
    let mut parts = Vec::new();
    if !removed.is_empty() {
        parts.push(format!("no longer carries {}", removed.join(", ")));
    }
    if !added.is_empty() {
        parts.push(format!("now carries {}", added.join(", ")));
    }
    if !changed.is_empty() && changed.len() <= 3 {
        parts.push(format!("different {}", changed.join(", ")));
    } else if !changed.is_empty() {
        parts.push(format!("{} values differ", changed.len()));
    }
    if parts.is_empty() {
        if a.summary != b.summary {
            format!("now “{}” (was “{}”)", b.summary, a.summary)
        } else {
            "its raw text differs (headers or body)".to_string()
        }
    } else {
        parts.join("; ")
    }
}

/// The first step at which two traces differ, if any.
pub fn first_difference(before: &Trace, after: &Trace) -> Option<Difference> {
    let (index, what) = first_diff(before, after, false)?;
    let message = if what == DiffKind::Handling {
        first_diff(before, after, true).map(|(i, _)| (i, label(before, i), label(after, i)))
    } else {
        None
    };
    let msg_index = match (what, &message) {
        (DiffKind::Message, _) => Some(index),
        (_, Some((i, _, _))) => Some(*i),
        _ => None,
    };
    let detail = msg_index
        .and_then(|i| Some((before.steps.get(i)?, after.steps.get(i)?)))
        .map(|(a, b)| message_change(a, b))
        .unwrap_or_default();
    Some(Difference {
        index,
        what,
        before: label(before, index),
        after: label(after, index),
        message,
        detail,
    })
}

/// A world being stepped, with its cache.
pub struct Timeline {
    pub spec: WorldSpec,
    sim: Simulation,
    states: Vec<Rc<StepState>>,
    jwks: Option<JwkSet>,
    /// How many steps the run has when left alone from here (no further inputs).
    expected_len: usize,
    /// Bumped whenever the world is rebuilt, so derived caches know to refresh.
    pub generation: u64,
}

impl Timeline {
    /// A fresh world, stepped once (the learner starts at step 0).
    pub fn new(spec: WorldSpec) -> Self {
        Self::replay(spec, &[], 1, 0)
    }

    /// Builds `spec`, re-applies the learner's `inputs` where they were made, and runs
    /// to `len` steps (or until the run stops).
    pub fn replay(
        spec: WorldSpec,
        inputs: &[(usize, LearnerInput)],
        len: usize,
        generation: u64,
    ) -> Self {
        let sim = spec.build();
        let jwks = sim.actor::<AuthServer>(wk::AS).map(|a| a.jwks().clone());
        let mut t = Timeline {
            spec,
            sim,
            states: Vec::new(),
            jwks,
            expected_len: 0,
            generation,
        };
        t.drive(inputs, len.min(MAX_STEPS));
        t.expected_len = t.compute_expected_len();
        t
    }

    /// Runs the recorded inputs like [`Simulation::replay_inputs`], capturing the
    /// state after every step.
    fn drive(&mut self, inputs: &[(usize, LearnerInput)], len: usize) {
        let mut pending: VecDeque<&(usize, LearnerInput)> = inputs.iter().collect();
        loop {
            while let Some((at, input)) = pending.front().copied() {
                if *at > self.sim.trace().steps.len() {
                    break;
                }
                pending.pop_front();
                let _ = self.sim.apply(input.clone());
            }
            if self.sim.trace().steps.len() >= len {
                break;
            }
            if self.sim.step().is_some() {
                self.states.push(capture(&self.sim));
            } else {
                match pending.pop_front() {
                    Some((_, input)) => {
                        let _ = self.sim.apply(input.clone());
                    }
                    None => break,
                }
            }
        }
    }

    /// The length of this run if it is left alone: a throwaway copy run to the end.
    fn compute_expected_len(&self) -> usize {
        let mut copy = self.spec.build();
        copy.replay_inputs(self.sim.inputs(), MAX_STEPS);
        copy.trace().steps.len().max(self.len())
    }

    pub fn sim(&self) -> &Simulation {
        &self.sim
    }

    pub fn trace(&self) -> &Trace {
        self.sim.trace()
    }

    /// Steps taken so far.
    pub fn len(&self) -> usize {
        self.sim.trace().steps.len()
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

    /// Takes one more step; false when nothing moves.
    pub fn advance(&mut self) -> bool {
        if self.len() >= MAX_STEPS {
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
        let new = Timeline::replay(spec, self.sim.inputs(), self.len(), self.generation + 1);
        let mut diff = first_difference(self.trace(), new.trace());
        if diff.is_none() {
            // Nothing differs yet: look further ahead, on throwaway copies.
            let run = |spec: &WorldSpec| {
                let mut sim = spec.build();
                sim.replay_inputs(self.sim.inputs(), MAX_STEPS);
                sim.into_trace()
            };
            diff = first_difference(&run(&self.spec), &run(&new.spec));
        }
        (new, diff)
    }

    /// Applies a learner input after step `at_len - 1`: if the run is already further
    /// along, it is cut back to that point first (a branch).
    pub fn apply_at(&mut self, at_len: usize, input: LearnerInput) -> Result<(), InputError> {
        if at_len < self.len() {
            let inputs: Vec<_> = self
                .sim
                .inputs()
                .iter()
                .filter(|(at, _)| *at <= at_len)
                .cloned()
                .collect();
            *self = Timeline::replay(self.spec.clone(), &inputs, at_len, self.generation + 1);
        }
        self.apply(input)
    }

    /// Applies a learner input now, at the end of the run so far.
    pub fn apply(&mut self, input: LearnerInput) -> Result<(), InputError> {
        self.sim.apply(input)?;
        self.generation += 1;
        self.expected_len = self.compute_expected_len();
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
        let again = Timeline::replay(t.spec.clone(), &t.inputs(), 11, 0);
        assert_eq!(again.trace(), t.trace());
        assert_eq!(t.expected_len(), {
            let mut full = t.spec.build();
            full.run_until_idle();
            full.trace().steps.len()
        });
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
    }
}
