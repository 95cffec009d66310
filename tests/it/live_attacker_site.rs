//! The attacker's site in live mode: `open-redirect-on-error`'s attacker on its own
//! loopback address, reached by Alice's browser over real HTTP. Whether it gets her
//! password is computed by the honest AS's code under the defenses in force and the
//! attack's own goal predicate, and agrees with the simulation's verdict.

use oauth_lab::actors::Defenses;
use oauth_lab::attacks::{Attack, find};
use oauth_lab::live::AttackSite;
use oauth_lab::sim::StepKind;
use oauth_lab::sim::world::DEFAULT_SEED;
use oauth_lab::testing::*;

fn open_redirect_on_error() -> AttackSite {
    AttackSite::of(find("open-redirect-on-error").expect("in the catalog"))
        .unwrap_or_else(|why| panic!("its attacker acts from its own site: {why}"))
}

/// Alice opens the attacker's site in the live world under `defenses`; the attack's
/// goal as computed there, and the trace's request lines.
fn visit(defenses: Defenses) -> (Option<String>, Vec<String>) {
    let site = open_redirect_on_error();
    let server = live_attack_world(site, defenses);
    let url = server
        .urls()
        .attacker
        .clone()
        .expect("the attacker's site listens");
    assert!(url.starts_with("http://127.0.0.4:"), "{url}");
    live_browse(&server, &site.entry(&url));
    let requests = server
        .hub()
        .trace()
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Request && s.from.as_str() == "browser")
        .map(|s| {
            let mut line = s.wire.split(' ');
            let method = line.next().unwrap_or("");
            let target = line.next().unwrap_or("");
            format!(
                "{} {method} {}",
                s.to,
                target.split('?').next().unwrap_or("")
            )
        })
        .collect();
    let goal = server.attack_goal();
    server.shutdown();
    (goal, requests)
}

/// The simulation's verdict for the same attack under the same defenses.
fn simulated(attack: &dyn Attack, defenses: Defenses) -> Option<String> {
    let mut sim = attack.build(DEFAULT_SEED, defenses);
    sim.run_until_idle();
    attack.goal(&sim)
}

#[test]
fn without_its_stoppers_the_attackers_site_gets_alices_password_over_real_http() {
    let (goal, requests) = visit(Defenses::naive());
    assert_eq!(
        goal.as_deref(),
        Some("the attacker's server received Alice's password"),
        "{requests:#?}"
    );
    // Her browser went from the attacker's site to the AS, which sent her back to the
    // attacker's look-alike page, where she typed her password.
    for hop in [
        "attacker GET /",
        "as GET /authorize",
        "attacker GET /signin",
        "attacker POST /steal",
    ] {
        assert!(requests.iter().any(|r| r == hop), "{hop}: {requests:#?}");
    }
    let attack = open_redirect_on_error().attack();
    assert_eq!(goal, simulated(attack, Defenses::naive()));
}

#[test]
fn each_declared_stopper_keeps_alices_password_from_the_live_attacker() {
    let attack = open_redirect_on_error().attack();
    for stopper in attack.info().stoppers {
        let defenses = stopper.from_naive();
        let (goal, requests) = visit(defenses.clone());
        assert_eq!(goal, None, "{}: {requests:#?}", stopper.claim());
        assert!(
            !requests
                .iter()
                .any(|r| r.starts_with("attacker POST /steal")),
            "{}: {requests:#?}",
            stopper.claim()
        );
        assert_eq!(goal, simulated(attack, defenses), "{}", stopper.claim());
    }
}

#[test]
fn attacks_whose_attacker_needs_a_position_on_the_wire_are_refused_with_a_reason() {
    for (id, says) in [
        ("code-interception", "A3 reads authorization responses"),
        ("csrf-login", "do not run over live HTTP yet"),
    ] {
        let why =
            AttackSite::of(find(id).expect("in the catalog")).expect_err("no live attacker's site");
        assert!(why.starts_with(&format!("{id}: ")), "{why}");
        assert!(why.contains(says), "{why}");
        assert!(!why.contains('\n'), "one line: {why}");
    }
    let ran = run_program(
        crate::BIN,
        &["serve", "--attack", "code-interception", "--port-base", "0"],
        "",
    );
    assert!(!ran.success(), "{ran:?}");
    assert!(
        ran.stderr
            .contains("serve --attack code-interception: its attacker needs"),
        "{}",
        ran.stderr
    );
}
