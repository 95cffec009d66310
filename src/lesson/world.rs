//! A lesson's worlds: profile + toggles + attack + seed, resolved and checked, and the
//! simulations built from them.

use crate::actors::defenses::{DefenseId, Defenses, Profile};
use crate::attacks::{self, Attack, Verdict, outcome};
use crate::sim::Simulation;
use crate::sim::world::{DEFAULT_SEED, default_flow};

use super::model::{TargetFile, WorldFile};
use super::source::Report;
use toml::Spanned;

/// The name of a lesson's main world.
pub const MAIN_WORLD: &str = "main";

/// A resolved world.
#[derive(Clone)]
pub struct WorldSpec {
    /// `main`, or the name under `[worlds.NAME]`.
    pub name: String,
    pub profile: Profile,
    pub defenses: Defenses,
    pub attack: Option<&'static dyn Attack>,
    pub seed: u64,
}

impl std::fmt::Debug for WorldSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorldSpec")
            .field("name", &self.name)
            .field("profile", &self.profile)
            .field("attack", &self.attack_id())
            .field("seed", &self.seed)
            .finish()
    }
}

impl WorldSpec {
    pub fn attack_id(&self) -> Option<&'static str> {
        self.attack.map(|a| a.info().id)
    }

    /// `profile naive, pkce S256 · attack code-interception`.
    pub fn describe(&self) -> String {
        let diffs: Vec<String> = self
            .profile
            .defenses()
            .differences(&self.defenses)
            .into_iter()
            .map(|n| format!("{n} {}", self.defenses.value_label(n)))
            .collect();
        let mut s = format!("profile {}", self.profile.name());
        if !diffs.is_empty() {
            s.push_str(&format!(", {}", diffs.join(", ")));
        }
        if let Some(id) = self.attack_id() {
            s.push_str(&format!(" · attack {id}"));
        }
        s
    }

    /// The world, built and not yet run.
    pub fn build(&self) -> Simulation {
        match self.attack {
            Some(a) => a.build(self.seed, self.defenses.clone()),
            None => default_flow(self.seed, self.defenses.clone()),
        }
    }

    /// The world run to its end.
    pub fn run(&self) -> WorldRun {
        let mut sim = self.build();
        sim.run_bounded(outcome::MAX_ATTACK_STEPS);
        let verdict = self.attack.map(|a| outcome::evaluate(a, &sim));
        WorldRun { sim, verdict }
    }
}

/// A world that has run to its end.
pub struct WorldRun {
    pub sim: Simulation,
    /// The attack's verdict, if the world has an attack.
    pub verdict: Option<Verdict>,
}

fn profile_of(name: &Spanned<String>, report: &mut Report) -> Option<Profile> {
    let p = Profile::parse(name.get_ref());
    if p.is_none() {
        report.error(
            Some(name.span()),
            format!(
                "unknown profile `{}`; valid profiles: naive, rfc6749, bcp",
                name.get_ref()
            ),
        );
    }
    p
}

/// Applies `enable`, `disable` and `set` to `d`, reporting unknown names and values.
pub fn apply_toggles(
    d: &mut Defenses,
    enable: &[Spanned<String>],
    disable: &[Spanned<String>],
    set: &[Spanned<String>],
    report: &mut Report,
) {
    for (list, on) in [(enable, true), (disable, false)] {
        for name in list {
            match DefenseId::parse(name.get_ref()) {
                Ok(id) => d.set_on(id, on),
                Err(e) => report.error(Some(name.span()), e.to_string()),
            }
        }
    }
    for pair in set {
        match pair.get_ref().split_once('=') {
            Some((n, v)) => {
                if let Err(e) = DefenseId::parse(n.trim()).and_then(|id| d.set_value(id, v.trim()))
                {
                    report.error(Some(pair.span()), e.to_string());
                }
            }
            None => report.error(
                Some(pair.span()),
                format!(
                    "`{}` should be NAME=VALUE, e.g. \"pkce=plain\"",
                    pair.get_ref()
                ),
            ),
        }
    }
}

/// Finds an attack by id, reporting an unknown one. `"none"` is no attack.
#[allow(clippy::result_unit_err)]
pub fn attack_of(
    id: &Spanned<String>,
    report: &mut Report,
) -> Result<Option<&'static dyn Attack>, ()> {
    if id.get_ref() == "none" {
        return Ok(None);
    }
    match attacks::find(id.get_ref()) {
        Some(a) => Ok(Some(a)),
        None => {
            report.error(
                Some(id.span()),
                format!(
                    "unknown attack `{}`; valid ids: {}",
                    id.get_ref(),
                    attacks::ids().join(", ")
                ),
            );
            Err(())
        }
    }
}

/// Resolves a world file; a named world starts from `base` (the main world).
pub fn resolve(
    name: &str,
    file: &WorldFile,
    base: Option<&WorldSpec>,
    report: &mut Report,
) -> WorldSpec {
    let mut spec = match base {
        Some(b) => WorldSpec {
            name: name.to_string(),
            ..b.clone()
        },
        None => WorldSpec {
            name: name.to_string(),
            profile: Profile::Bcp,
            defenses: Defenses::bcp(),
            attack: None,
            seed: DEFAULT_SEED,
        },
    };
    if let Some(p) = &file.profile
        && let Some(profile) = profile_of(p, report)
    {
        spec.profile = profile;
        spec.defenses = profile.defenses();
    }
    apply_toggles(
        &mut spec.defenses,
        &file.enable,
        &file.disable,
        &file.set,
        report,
    );
    if let Some(a) = &file.attack
        && let Ok(attack) = attack_of(a, report)
    {
        spec.attack = attack;
    }
    if let Some(seed) = file.seed {
        spec.seed = seed;
    }
    spec
}

/// What the learner's world must be for a try to count as done.
#[derive(Clone, Default)]
pub struct Target {
    /// The whole defense set, when the target names a profile.
    pub exact: Option<Defenses>,
    pub enable: Vec<DefenseId>,
    pub disable: Vec<DefenseId>,
    pub set: Vec<(DefenseId, String)>,
    /// `Some(None)`: no attack; `Some(Some(a))`: attack `a`.
    pub attack: Option<Option<&'static dyn Attack>>,
    /// Input kinds the learner must have applied.
    pub inputs: Vec<String>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("enable", &self.enable)
            .field("disable", &self.disable)
            .field("set", &self.set)
            .field("attack", &self.attack.map(|a| a.map(|a| a.info().id)))
            .field("inputs", &self.inputs)
            .finish()
    }
}

/// The learner input kinds a target may require.
pub const INPUT_KINDS: &[&str] = &[
    "edit",
    "replay",
    "drop",
    "forward",
    "hold",
    "advance-clock",
    "act",
];

/// The kind name of a learner input.
pub fn input_kind(i: &crate::sim::LearnerInput) -> &'static str {
    use crate::sim::LearnerInput as L;
    match i {
        L::AdvanceClock { .. } => "advance-clock",
        L::SetHold { .. } => "hold",
        L::Forward { .. } => "forward",
        L::Drop { .. } => "drop",
        L::Edit { .. } => "edit",
        L::Replay { .. } => "replay",
        L::Act { .. } => "act",
    }
}

impl Target {
    pub fn resolve(file: &TargetFile, report: &mut Report) -> Target {
        let mut t = Target::default();
        if let Some(p) = &file.profile
            && let Some(profile) = profile_of(p, report)
        {
            let mut d = profile.defenses();
            apply_toggles(&mut d, &file.enable, &file.disable, &file.set, report);
            t.exact = Some(d);
        } else {
            apply_toggles(
                &mut Defenses::bcp(),
                &file.enable,
                &file.disable,
                &file.set,
                report,
            );
        }
        // Unknown names were reported by `apply_toggles` above.
        let ids = |names: &[Spanned<String>]| -> Vec<DefenseId> {
            names
                .iter()
                .filter_map(|s| DefenseId::parse(s.get_ref()).ok())
                .collect()
        };
        t.enable = ids(&file.enable);
        t.disable = ids(&file.disable);
        t.set = file
            .set
            .iter()
            .filter_map(|s| s.get_ref().split_once('='))
            .filter_map(|(n, v)| Some((DefenseId::parse(n.trim()).ok()?, v.trim().to_string())))
            .collect();
        if let Some(a) = &file.attack
            && let Ok(attack) = attack_of(a, report)
        {
            t.attack = Some(attack);
        }
        for i in &file.inputs {
            if INPUT_KINDS.contains(&i.get_ref().as_str()) {
                t.inputs.push(i.get_ref().clone());
            } else {
                report.error(
                    Some(i.span()),
                    format!(
                        "unknown input kind `{}`; valid kinds: {}",
                        i.get_ref(),
                        INPUT_KINDS.join(", ")
                    ),
                );
            }
        }
        t
    }

    /// `world` changed as the target says (inputs aside).
    pub fn apply(&self, world: &WorldSpec) -> WorldSpec {
        let mut w = world.clone();
        w.defenses = self.target_defenses(&world.defenses);
        if let Some(a) = self.attack {
            w.attack = a;
        }
        w
    }

    fn target_defenses(&self, from: &Defenses) -> Defenses {
        if let Some(d) = &self.exact {
            return d.clone();
        }
        let mut d = from.clone();
        for &id in &self.enable {
            d.set_on(id, true);
        }
        for &id in &self.disable {
            d.set_on(id, false);
        }
        for (id, v) in &self.set {
            let _ = d.set_value(*id, v);
        }
        d
    }

    /// What is still missing for `defenses` + `attack` + `inputs` to meet the target.
    pub fn missing(
        &self,
        defenses: &Defenses,
        attack: Option<&str>,
        inputs: &[(usize, crate::sim::LearnerInput)],
    ) -> Vec<String> {
        let mut out = Vec::new();
        let want = self.target_defenses(defenses);
        for name in defenses.differences(&want) {
            out.push(format!("{name} should be {}", want.value_label(name)));
        }
        if let Some(a) = self.attack
            && a.map(|a| a.info().id) != attack
        {
            out.push(match a {
                Some(a) => format!("launch the attack {}", a.info().id),
                None => "stop the attack".to_string(),
            });
        }
        for kind in &self.inputs {
            if !inputs.iter().any(|(_, i)| input_kind(i) == kind) {
                out.push(format!("apply a learner input of kind {kind}"));
            }
        }
        out
    }
}
