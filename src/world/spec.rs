//! [`WorldSpec`]: everything that decides a run — seed, defenses, attack and the
//! learner's inputs — and the simulations built from it: the same description always
//! gives the same trace.

use super::attack_id::AttackId;
use super::changes::{parse_profile, resolve_defenses};
use super::error::WorldError;
use super::live_site::LiveSite;
use crate::actors::defenses::{Defenses, Profile};
use crate::attacks::{Verdict, outcome};
use crate::sim::world::default_flow;
use crate::sim::{LearnerInput, Simulation};
use crate::workshop::Setting;

/// Most steps a run takes before it is stopped (a guard against loops, never reached
/// by the shipped worlds).
pub const MAX_STEPS: usize = outcome::MAX_ATTACK_STEPS;

/// A world: seed, defenses (a profile and its differences), the attack from the catalog
/// it runs (or the plain flow), and the learner's inputs, each with the number of steps
/// the run had when it was made.
/// It reads and writes itself in the file form of [`super::file`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorldSpec {
    pub seed: u64,
    /// The profile the defenses start from (labels show the differences from it).
    pub profile: Profile,
    /// The defenses, resolved.
    pub defenses: Defenses,
    /// An attack from the catalog, or `None` for the happy path.
    pub attack: Option<AttackId>,
    /// A workshop world: the learner plays the attacker from this position, and the
    /// deployment has these quirks (it replaces the attack's world when both are given).
    pub workshop: Option<Setting>,
    /// A recorded live session's world (`serve --record`): the live parties at their
    /// recorded URLs, with no script; what reached them are the inputs.
    /// (Boxed: most worlds have none, and a world is passed around by value.)
    pub live: Option<Box<LiveSite>>,
    pub inputs: Vec<(usize, LearnerInput)>,
}

impl WorldSpec {
    /// The happy path under `profile`'s defenses, with no inputs.
    pub fn happy_path(seed: u64, profile: Profile) -> Self {
        WorldSpec {
            seed,
            profile,
            defenses: profile.defenses(),
            attack: None,
            workshop: None,
            live: None,
            inputs: Vec::new(),
        }
    }

    /// A profile by name with `--enable`, `--disable` and `--set` changes, and an
    /// attack by id (checked in that order; the first problem is the error).
    pub fn parse(
        seed: u64,
        profile: &str,
        enable: &[String],
        disable: &[String],
        set: &[String],
        attack: Option<&str>,
    ) -> Result<Self, WorldError> {
        let profile = parse_profile(profile)?;
        let defenses = resolve_defenses(profile, enable, disable, set)?;
        let attack = attack.map(AttackId::parse).transpose()?;
        Ok(WorldSpec {
            seed,
            profile,
            defenses,
            attack,
            workshop: None,
            live: None,
            inputs: Vec::new(),
        })
    }

    /// The same seed and defenses with another attack (or none): a new run, so
    /// without the learner's inputs.
    pub fn with_attack(&self, attack: Option<AttackId>) -> Self {
        WorldSpec {
            attack,
            workshop: None,
            live: None,
            inputs: Vec::new(),
            ..self.clone()
        }
    }

    /// The id of the attack, if there is one.
    pub fn attack_id(&self) -> Option<&'static str> {
        self.attack.map(AttackId::as_str)
    }

    /// The world, built with its script queued, not yet run (and no input applied).
    pub fn build(&self) -> Simulation {
        if let Some(site) = &self.live {
            return site.build(self.seed, self.defenses.clone());
        }
        if let Some(setting) = &self.workshop {
            return setting.build(self.seed, self.defenses.clone());
        }
        match self.attack {
            Some(a) => a.attack().build(self.seed, self.defenses.clone()),
            None => default_flow(self.seed, self.defenses.clone()),
        }
    }

    /// The world run until it has `len` steps (or stops), with the learner's inputs
    /// applied where they were made.
    pub fn run_to(&self, len: usize) -> Simulation {
        let mut sim = self.build();
        sim.replay_inputs(&self.inputs, len);
        sim
    }

    /// The world run to its end, with the attack's verdict.
    pub fn run(&self) -> WorldRun {
        let sim = self.run_to(MAX_STEPS);
        let verdict = self.attack.map(|a| outcome::evaluate(a.attack(), &sim));
        WorldRun { sim, verdict }
    }
}

/// A world that has run to its end.
pub struct WorldRun {
    pub sim: Simulation,
    /// The attack's verdict, if the world has an attack.
    pub verdict: Option<Verdict>,
}
