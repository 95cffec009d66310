//! A try's target: what the learner's world must be (defenses, attack, inputs) for the
//! try to count as done, and what is still missing.

use crate::actors::defenses::Defenses;
use crate::world::changes::{Change, read_changes};
use crate::world::{AttackId, WorldSpec};

use super::model::TargetFile;
use super::world::{apply_toggles, attack_of, profile_of};
use crate::files::source::Report;

/// What the learner's world must be for a try to count as done.
#[derive(Debug, Clone, Default)]
pub struct Target {
    /// The whole defense set, when the target names a profile.
    pub exact: Option<Defenses>,
    /// The changes the target makes to the learner's defenses (when it names no profile).
    pub changes: Vec<Change>,
    /// `Some(None)`: no attack; `Some(Some(a))`: attack `a`.
    pub attack: Option<Option<AttackId>>,
    /// Input kinds the learner must have applied.
    pub inputs: Vec<String>,
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
        L::HoldQueued => "hold-queued",
        L::HoldOnlyTo { .. } => "hold-only-to",
        L::Forward { .. } => "forward",
        L::ForwardAll => "forward-all",
        L::Drop { .. } => "drop",
        L::Edit { .. } => "edit",
        L::Replay { .. } => "replay",
        L::Act { .. } => "act",
        L::AttackerMove { .. } => "attacker-move",
        L::External { .. } => "external",
        L::ClockAt { .. } => "clock-at",
        L::Defense { .. } => "defense",
        L::HoldSent { .. } => "hold-sent",
        L::Intercepted { .. } => "intercepted",
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
        // Their problems were reported by `apply_toggles` above.
        t.changes = read_changes(&file.enable, &file.disable, &file.set, |s| {
            s.get_ref().as_str()
        })
        .into_iter()
        .filter_map(|(_, change)| change.ok())
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
        for change in &self.changes {
            // A value the defense does not have was reported when the target was read.
            let _ = change.apply(&mut d);
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
            && a.map(AttackId::as_str) != attack
        {
            out.push(match a {
                Some(a) => format!("launch the attack {a}"),
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
