//! The UI's view of the attack catalog (`crate::attacks`, issue 3). Until that module
//! exists the catalog is empty, and the attack picker says so.

use crate::actors::defenses::Defenses;
use crate::sim::Simulation;

/// One attack as the picker lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttackEntry {
    pub id: String,
    pub title: String,
    pub description: String,
}

/// The catalog, in the order the picker shows it.
pub fn catalog() -> Vec<AttackEntry> {
    Vec::new()
}

/// Builds the world of attack `id` under `defenses`, or `None` if there is no such attack.
pub fn build(_id: &str, _seed: u64, _defenses: &Defenses) -> Option<Simulation> {
    None
}

/// How an attack ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The attacker got what they were after.
    Succeeded,
    /// A defense stopped it at this step, with this error.
    Blocked { step: Option<usize>, error: String },
    /// The run did not decide (e.g. it was cut short).
    Undecided(String),
}

/// The verdict shown in the banner at the end of an attack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub attack: String,
    pub outcome: Outcome,
}

/// One cell of the attack × profile matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixCell {
    pub attack: String,
    pub profile: crate::actors::defenses::Profile,
    pub outcome: Outcome,
}
