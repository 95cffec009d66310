//! The UI's view of the attack catalog (`crate::attacks`): the picker's entries, the
//! world of a launched attack, its verdict, and the matrix computed cell by cell.

use crate::actors::defenses::DefenseId;
use crate::attacks::{self, matrix, outcome};
use crate::protocol::jwt::{SignatureCache, with_signature_cache};
use crate::sim::Simulation;

pub use crate::attacks::Verdict;

/// One attack as the picker lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttackEntry {
    pub id: String,
    pub title: String,
    /// One line: the start of the attack's story.
    pub description: String,
    /// The whole story, in plain words (shown when the attack is launched).
    pub story: String,
    /// The defenses the catalog says should stop it.
    pub stoppers: Vec<DefenseId>,
}

/// The first sentence of a story.
fn first_sentence(story: &str) -> String {
    let s = story.split_whitespace().collect::<Vec<_>>().join(" ");
    match s.find(". ") {
        Some(i) => s[..=i].to_string(),
        None => s,
    }
}

/// The catalog, in the order the picker shows it.
pub fn catalog() -> Vec<AttackEntry> {
    attacks::catalog()
        .iter()
        .map(|a| {
            let info = a.info();
            AttackEntry {
                id: info.id.to_string(),
                title: info.title.to_string(),
                description: first_sentence(info.story),
                story: info.story.split_whitespace().collect::<Vec<_>>().join(" "),
                stoppers: info.stoppers.iter().map(|s| s.defense).collect(),
            }
        })
        .collect()
}

/// The verdict of attack `id` on a run that has ended.
pub fn verdict(id: &str, sim: &Simulation) -> Option<VerdictView> {
    let attack = attacks::find(id)?;
    Some(VerdictView {
        attack: attack.info().title.to_string(),
        verdict: outcome::evaluate(attack, sim),
    })
}

/// The verdict shown in the banner at the end of an attack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerdictView {
    pub attack: String,
    pub verdict: Verdict,
}

/// The matrix's columns: `naive`, `rfc6749`, `bcp`, then `bcp` without each defense.
pub fn matrix_columns() -> Vec<String> {
    matrix::columns().into_iter().map(|c| c.name).collect()
}

/// One cell of the attack × column matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixCell {
    pub attack: String,
    pub column: usize,
    pub verdict: Verdict,
}

/// Computes every cell, handing each to `emit` as soon as it is known (the event loop
/// runs this on a background thread and sends the cells back as actions).
pub fn compute_matrix(seed: u64, mut emit: impl FnMut(MatrixCell) -> bool) {
    let columns = matrix::columns();
    let signatures = SignatureCache::new();
    for a in attacks::catalog() {
        for (i, c) in columns.iter().enumerate() {
            let run = with_signature_cache(&signatures, || {
                outcome::run_attack(*a, seed, c.defenses.clone())
            });
            let cell = MatrixCell {
                attack: a.info().id.to_string(),
                column: i,
                verdict: run.verdict,
            };
            if !emit(cell) {
                return;
            }
        }
    }
}
