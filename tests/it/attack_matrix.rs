//! The attack × defense matrix as a test: for every attack,
//! the outcome the simulation computes must agree with the defenses the catalog
//! declares as stoppers — both ways.

use oauth_lab::actors::defenses::{DefenseId, Defenses};
use oauth_lab::attacks::{Attack, catalog, run_attack};
use oauth_lab::sim::world::DEFAULT_SEED;
use oauth_lab::testing::bcp_without;

fn check(attack: &dyn Attack) -> Vec<String> {
    let info = attack.info();
    let stoppers: Vec<DefenseId> = info.stoppers.iter().map(|s| s.defense).collect();
    let mut problems = Vec::new();
    let mut expect = |label: String, defenses: Defenses, succeed: bool| {
        let v = run_attack(attack, DEFAULT_SEED, defenses).verdict;
        if v.succeeded() != succeed {
            problems.push(format!(
                "{}: {label}: expected {}, got {}",
                info.id,
                if succeed { "success" } else { "blocked" },
                v.banner()
            ));
        }
    };
    expect("naive".into(), Defenses::naive(), true);
    expect("bcp".into(), Defenses::bcp(), false);
    let names: Vec<&str> = stoppers.iter().map(|s| s.name()).collect();
    expect(
        format!("bcp without all stoppers {names:?}"),
        bcp_without(&stoppers),
        true,
    );
    for keep in &stoppers {
        let others: Vec<DefenseId> = stoppers.iter().copied().filter(|s| s != keep).collect();
        expect(
            format!("bcp with only `{keep}` of its stoppers on"),
            bcp_without(&others),
            false,
        );
    }
    problems
}

#[test]
fn every_declared_stopper_is_real_and_sufficient() {
    let problems: Vec<String> = catalog().iter().flat_map(|a| check(*a)).collect();
    assert!(
        problems.is_empty(),
        "the simulation disagrees with the catalog:\n{}",
        problems.join("\n")
    );
}
