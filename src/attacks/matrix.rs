//! The attack × defense matrix: every attack under `naive`, `rfc6749`, `bcp`, and `bcp`
//! with each single defense off. Every cell is a real run of the attack's world.

use serde::Serialize;

use super::{Attack, Verdict, catalog, run_attack};
use crate::actors::defenses::{DefenseId, Defenses, Profile};
use crate::protocol::jwt::{SignatureCache, with_signature_cache};

/// One column: a name and the defenses it stands for.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub name: String,
    #[serde(skip)]
    pub defenses: Defenses,
    /// The defense this column turns off in `bcp`; `None` for a profile.
    #[serde(skip)]
    pub off: Option<DefenseId>,
}

/// The columns: the three profiles, then `bcp` minus each defense.
pub fn columns() -> Vec<Column> {
    let mut cols: Vec<Column> = Profile::CLASSIC
        .iter()
        .map(|p| Column {
            name: p.name().to_string(),
            defenses: p.defenses(),
            off: None,
        })
        .collect();
    for &d in DefenseId::ALL {
        let mut def = Defenses::bcp();
        def.set_on(d, false);
        cols.push(Column {
            name: format!("bcp-{d}"),
            defenses: def,
            off: Some(d),
        });
    }
    cols
}

/// The computed matrix.
#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    pub seed: u64,
    pub columns: Vec<Column>,
    /// (attack id, one verdict per column).
    pub rows: Vec<(String, Vec<Verdict>)>,
}

/// Runs every attack under every column, spreading the runs over the machine's cores.
pub fn compute(seed: u64) -> Matrix {
    compute_for(catalog(), seed)
}

/// Runs the given attacks under every column.
pub fn compute_for(attacks: &[&'static dyn Attack], seed: u64) -> Matrix {
    let columns = columns();
    let jobs: Vec<(usize, usize)> = (0..attacks.len())
        .flat_map(|a| (0..columns.len()).map(move |c| (a, c)))
        .collect();
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(jobs.len().max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    // Hundreds of worlds from one seed sign the same claims: this run of the matrix
    // reuses those (deterministic) signatures, and drops them when it ends.
    let signatures = SignatureCache::new();
    let mut results: Vec<Option<Verdict>> = vec![None; jobs.len()];
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&(a, c)) = jobs.get(i) else { break };
                        let run = with_signature_cache(&signatures, || {
                            run_attack(attacks[a], seed, columns[c].defenses.clone())
                        });
                        out.push((i, run.verdict));
                    }
                    out
                })
            })
            .collect();
        for h in handles {
            for (i, v) in h.join().unwrap_or_default() {
                results[i] = Some(v);
            }
        }
    });
    let mut results = results.into_iter();
    let rows = attacks
        .iter()
        .map(|a| {
            let verdicts = (0..columns.len())
                .map(|_| {
                    results.next().flatten().unwrap_or(Verdict::Blocked {
                        step: None,
                        by: "not run".into(),
                    })
                })
                .collect();
            (a.info().id.to_string(), verdicts)
        })
        .collect();
    Matrix {
        seed,
        columns,
        rows,
    }
}

impl Matrix {
    /// A text table: one row per attack, one line per column group.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "Attack × defense matrix (seed {}). SUCCEEDS = the attack's goal was reached; blocked@N = refused at step N; no-flow@N = the honest flow failed at step N, before the attack began (flow failed before the attack).\n\n",
            self.seed
        );
        let width = self
            .rows
            .iter()
            .map(|(id, _)| id.len())
            .max()
            .unwrap_or(10)
            .max(6);
        out.push_str(&format!(
            "{:<width$}  {:>12} {:>12} {:>12}   single defense off in bcp: what succeeds\n",
            "attack", "naive", "rfc6749", "bcp"
        ));
        for (id, verdicts) in &self.rows {
            let breaks: Vec<&str> = self
                .columns
                .iter()
                .zip(verdicts)
                .filter(|(_, v)| v.succeeded())
                .filter_map(|(c, _)| c.off.map(DefenseId::name))
                .collect();
            out.push_str(&format!(
                "{:<width$}  {:>12} {:>12} {:>12}   {}\n",
                id,
                verdicts[0].cell(),
                verdicts[1].cell(),
                verdicts[2].cell(),
                if breaks.is_empty() {
                    "— (no single defense is critical)".to_string()
                } else {
                    breaks.join(", ")
                }
            ));
        }
        out
    }

    /// A Markdown table with every column.
    pub fn to_markdown(&self) -> String {
        let mut out = String::from("| attack |");
        for c in &self.columns {
            out.push_str(&format!(" {} |", c.name));
        }
        out.push_str("\n|---|");
        out.push_str(&"---|".repeat(self.columns.len()));
        out.push('\n');
        for (id, verdicts) in &self.rows {
            out.push_str(&format!("| {id} |"));
            for v in verdicts {
                out.push_str(&format!(
                    " {} |",
                    if v.succeeded() {
                        "**SUCCEEDS**".to_string()
                    } else {
                        v.cell()
                    }
                ));
            }
            out.push('\n');
        }
        out
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attacks::find;

    /// The README's claim: reusing signatures across the matrix's runs leaves every trace
    /// byte-identical. Two runs of a world that signs tokens share one cache; the second
    /// is served from it, and both traces equal the trace of a run without a cache.
    #[test]
    fn reused_signatures_leave_traces_byte_identical() {
        let attack = find("refresh-token-theft").expect("in the catalog");
        let alone = run_attack(attack, 2026, Defenses::naive())
            .sim
            .trace()
            .to_json();
        let signatures = SignatureCache::new();
        let first =
            with_signature_cache(&signatures, || run_attack(attack, 2026, Defenses::naive()));
        let hits_after_first = signatures.hits();
        let second =
            with_signature_cache(&signatures, || run_attack(attack, 2026, Defenses::naive()));
        assert!(
            signatures.hits() > hits_after_first,
            "the second run reused signatures"
        );
        assert_eq!(first.sim.trace().to_json(), alone);
        assert_eq!(second.sim.trace().to_json(), alone);
        assert_eq!(first.verdict, second.verdict);
    }
}
