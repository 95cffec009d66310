//! The attack × defense matrix as a test: for every attack, the outcome the simulation
//! computes must agree with the defenses the catalog declares as stoppers — both ways,
//! from `bcp` (everything else on) and from `naive` (only the stopper and what it
//! declares it needs on).

use oauth_lab::actors::defenses::{DefenseId, Defenses};
use oauth_lab::attacks::{Attack, Stopper, Verdict, catalog, run_attack};
use oauth_lab::sim::world::DEFAULT_SEED;
use oauth_lab::testing::bcp_without;

/// What a run must end in.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Want {
    Success,
    /// Not a success: blocked, or the honest flow failed.
    NoSuccess,
    /// Blocked by a defense after the attack began.
    Blocked,
    /// The honest flow failed before the attack began.
    FlowFailed,
    /// Anything but "blocked" (the stopper without what it needs does not block).
    NotBlocked,
}

fn meets(v: &Verdict, want: Want) -> bool {
    match want {
        Want::Success => v.succeeded(),
        Want::NoSuccess => !v.succeeded(),
        Want::Blocked => matches!(v, Verdict::Blocked { .. }),
        Want::FlowFailed => v.flow_failed(),
        Want::NotBlocked => !matches!(v, Verdict::Blocked { .. }),
    }
}

/// What a stopper yields when it works.
fn stopped(s: &Stopper) -> Want {
    if s.fails_the_flow {
        Want::FlowFailed
    } else {
        Want::Blocked
    }
}

fn check(attack: &dyn Attack) -> Vec<String> {
    let info = attack.info();
    let stoppers: Vec<DefenseId> = info.stoppers.iter().map(|s| s.defense).collect();
    let mut problems = Vec::new();
    let mut expect = |label: String, defenses: Defenses, want: Want| {
        let v = run_attack(attack, DEFAULT_SEED, defenses).verdict;
        if !meets(&v, want) {
            problems.push(format!(
                "{}: {label}: expected {want:?}, got {}",
                info.id,
                v.banner()
            ));
        }
    };
    expect("naive".into(), Defenses::naive(), Want::Success);
    expect("bcp".into(), Defenses::bcp(), Want::NoSuccess);
    let names: Vec<&str> = stoppers.iter().map(|s| s.name()).collect();
    expect(
        format!("bcp without all stoppers {names:?}"),
        bcp_without(&stoppers),
        Want::Success,
    );
    for s in info.stoppers {
        // From bcp: this stopper (and what it needs) on, every other stopper off.
        let others: Vec<DefenseId> = stoppers
            .iter()
            .copied()
            .filter(|d| *d != s.defense && !s.needs.contains(d))
            .collect();
        let mut only = bcp_without(&others);
        for &id in std::iter::once(&s.defense).chain(s.needs) {
            // A stopper `bcp` leaves off (par-required) is turned on here.
            only.set_on(id, true);
        }
        expect(
            format!("bcp with only `{}` of its stoppers on", s.claim()),
            only,
            stopped(s),
        );
        if s.with_rest_of_bcp {
            continue;
        }
        // From naive: the stopper and what it needs, nothing else.
        expect(
            format!("naive with `{}` on", s.claim()),
            s.from_naive(),
            stopped(s),
        );
        // What it needs is needed: without it, the stopper alone does not block.
        if !s.needs.is_empty() {
            let mut alone = Defenses::naive();
            alone.set_on(s.defense, true);
            expect(
                format!("naive with `{}` on but not what it needs", s.defense),
                alone,
                Want::NotBlocked,
            );
        }
    }
    problems
}

#[test]
fn every_declared_stopper_is_real_and_sufficient_from_naive_and_from_bcp() {
    let problems: Vec<String> = catalog().iter().flat_map(|a| check(*a)).collect();
    assert!(
        problems.is_empty(),
        "the simulation disagrees with the catalog:\n{}",
        problems.join("\n")
    );
}

/// The third outcome is decided by the trace: with `pkce` off in `bcp`, the AS requires
/// a challenge the client never sends, so Alice's own sign-in is refused before the
/// attacker does anything — the verdict says so, and names that refusal.
#[test]
fn a_flow_that_fails_before_the_attack_is_its_own_outcome() {
    let attack = oauth_lab::attacks::find("code-injection").expect("in the catalog");
    let run = run_attack(attack, DEFAULT_SEED, bcp_without(&[DefenseId::Pkce]));
    let Verdict::FlowFailed { step, by } = &run.verdict else {
        panic!("expected a failed flow, got {}", run.verdict.banner());
    };
    let req = &run.sim.trace().steps[*step];
    assert_eq!(req.from.as_str(), "browser", "Alice's own request: {by}");
    assert!(req.summary.contains("/authorize"), "{}", *req.summary);
    assert!(by.contains("code_challenge is required"), "{by}");
    assert!(
        run.verdict
            .banner()
            .starts_with("FLOW FAILED BEFORE THE ATTACK at step"),
        "{}",
        run.verdict.banner()
    );
    assert_eq!(run.verdict.cell(), format!("no-flow@{step}"));
    let json = serde_json::to_string(&run.verdict).expect("serializes");
    assert!(
        json.contains("\"verdict\":\"flow-failed-before-the-attack\""),
        "{json}"
    );
    // With pkce on, the same attack gets its code and is blocked at the token endpoint.
    let v = run_attack(attack, DEFAULT_SEED, Defenses::bcp()).verdict;
    assert!(
        matches!(v, Verdict::Blocked { step: Some(_), .. }),
        "{}",
        v.banner()
    );
}

/// Each attack declares the RFC 9700 §3 capabilities it needs; what its interceptors
/// and actors really did in a run where it succeeds (`naive`) must be covered by that
/// declaration, and every declared reading capability must really be used.
#[test]
fn declared_capabilities_cover_what_each_attack_does() {
    use oauth_lab::attacks::Capability;
    use oauth_lab::attacks::capabilities_used::used;
    let mut problems = Vec::new();
    for a in catalog() {
        let info = a.info();
        let run = run_attack(*a, DEFAULT_SEED, Defenses::naive());
        let used = used(run.sim.trace());
        for c in &used {
            if !info.capabilities.contains(c) {
                problems.push(format!("{}: uses {c:?} but does not declare it", info.id));
            }
        }
        for c in info.capabilities {
            let reads = matches!(
                c,
                Capability::RequestReader | Capability::ResponseReader | Capability::StorageReader
            );
            if reads && !used.contains(c) {
                problems.push(format!("{}: declares {c:?} but never uses it", info.id));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
