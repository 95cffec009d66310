//! The attackers' sites in live mode: each ported attack's attacker on its own
//! loopback address (with its own browser where the attack needs one), reached by
//! Alice's browser over real HTTP. Whether the attack reaches its goal is computed by
//! the honest parties' code under the defenses in force and the attack's own goal
//! predicate, and agrees with the simulation's verdict for the same defenses.

use oauth_lab::actors::Defenses;
use oauth_lab::actors::Origin;
use oauth_lab::attacks::{Attack, find};
use oauth_lab::live::AttackSite;
use oauth_lab::sim::StepKind;
use oauth_lab::sim::world::DEFAULT_SEED;
use oauth_lab::testing::*;

fn site_of(id: &str) -> AttackSite {
    AttackSite::of(find(id).expect("in the catalog"))
        .unwrap_or_else(|why| panic!("its attacker acts from its own site: {why}"))
}

/// What the live world computed for one attack under one set of defenses.
struct Visit {
    goal: Option<String>,
    /// `party METHOD /path` of every request the parties of the world sent.
    requests: Vec<String>,
}

/// Alice opens what the attack has her open, in the live world under `defenses`.
fn visit(site: AttackSite, defenses: Defenses) -> Visit {
    let server = live_attack_world(site, defenses);
    let url = server
        .urls()
        .attacker
        .clone()
        .expect("the attacker's site listens");
    assert!(url.starts_with("http://127.0.0.4:"), "{url}");
    for page in site.victim_opens(server.urls(), &url) {
        live_browse(&server, &page);
    }
    // The attacker's parties are attacker lanes, and what they send is the attacker's.
    let trace = server.hub().trace();
    for party in ["attacker", "attacker-browser"] {
        if let Some(lane) = trace.actors.iter().find(|a| a.id.as_str() == party) {
            assert!(lane.attacker, "{party} is an attacker lane");
        }
        for step in trace.steps.iter().filter(|s| s.from.as_str() == party) {
            assert_eq!(step.origin, Origin::Attacker, "{party}: {}", step.wire);
        }
    }
    let requests = trace
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Request)
        .map(|s| {
            let mut line = s.wire.split(' ');
            let method = line.next().unwrap_or("");
            let target = line.next().unwrap_or("");
            // An absolute-form target (a party's request) or an origin-form one.
            let target = target.split_once("://").map_or(target, |(_, rest)| {
                rest.find('/').map_or("/", |i| &rest[i..])
            });
            let path = target.split('?').next().unwrap_or("");
            format!("{} {} {method} {path}", s.from, s.to)
        })
        .collect();
    let goal = server.attack_goal();
    server.shutdown();
    Visit { goal, requests }
}

/// The simulation's verdict for the same attack under the same defenses.
fn simulated(attack: &dyn Attack, defenses: Defenses) -> Option<String> {
    let mut sim = attack.build(DEFAULT_SEED, defenses);
    sim.run_until_idle();
    attack.goal(&sim)
}

/// Each ported attack and hops its weak-defense run takes over real HTTP
/// (`from to METHOD /path`).
const PORTED: &[(&str, &[&str])] = &[
    (
        "open-redirect-on-error",
        &[
            "browser attacker GET /",
            "browser as GET /authorize",
            "browser attacker GET /signin",
            "browser attacker POST /steal",
        ],
    ),
    (
        "csrf-login",
        &[
            // Mallory's own sign-in, stopped at the callback and handed to the site…
            "attacker-browser client GET /login",
            "attacker-browser as POST /login",
            "attacker-browser attacker POST /cb",
            // …whose visitor's browser delivers Mallory's code to the client.
            "browser attacker GET /",
            "browser client GET /cb",
            "client as POST /token",
        ],
    ),
    (
        "referer-leak",
        &[
            // Mallory's own sign-in, stopped at the AS: her session at the client waits…
            "attacker-browser client GET /login",
            "attacker-browser attacker GET /authorize",
            // …Alice's callback page loads the pixel, whose Referer carries her code…
            "browser client POST /cb",
            "browser attacker GET /pixel.gif",
            // …which Mallory's browser delivers to the client in her own session.
            "attacker-browser client GET /cb",
        ],
    ),
    (
        "consent-clickjacking",
        &[
            // Alice signs in at the client; later her browser frames the AS's consent
            // page for Photo Frame on the prize page, and her click approves it…
            "browser attacker GET /prize",
            "browser as GET /authorize",
            "browser as POST /consent",
            "browser attacker POST /cb",
            // …Photo Frame's server redeems the code and reads her photos.
            "attacker as POST /token",
            "attacker rs GET /photos",
        ],
    ),
    (
        "redirect-uri-lax",
        &[
            // Mallory's own sign-in, stopped at the AS…
            "attacker-browser client GET /login",
            "attacker-browser attacker GET /authorize",
            // …her site sends Alice there with the redirect URI changed; the code lands
            // on the client's home page, whose ad leaks it in Referer…
            "browser attacker GET /",
            "browser as GET /authorize",
            "browser attacker GET /ad.gif",
            // …and Mallory's browser delivers it in her own session.
            "attacker-browser client GET /cb",
        ],
    ),
    (
        "redirect-307-credentials",
        &[
            // Photo Frame sends Alice to the AS, which she approved before; the AS's
            // 307 after her login makes her browser re-post the form to Photo Frame.
            "browser attacker GET /",
            "browser as POST /login",
            "browser attacker POST /cb",
        ],
    ),
    (
        "scope-upgrade",
        &[
            // Alice approves read access; Photo Frame redeems for write access too and
            // deletes one of her photos at the live RS.
            "browser attacker GET /",
            "browser as POST /consent",
            "attacker as POST /token",
            "attacker rs DELETE /photos/a1",
        ],
    ),
    (
        "implicit-token-injection",
        &[
            // Mallory's own implicit sign-in, stopped at the AS…
            "attacker-browser client GET /login",
            "attacker-browser attacker GET /authorize",
            // …Alice connects Photo Frame, which gets a token for her…
            "browser attacker GET /",
            "attacker as POST /token",
            // …that Mallory's browser hands Photo Printer's implicit-flow page.
            "attacker-browser client GET /implicit-cb",
        ],
    ),
];

#[test]
fn every_ported_attack_is_a_live_attackers_site() {
    let ported: Vec<&str> = PORTED.iter().map(|(id, _)| *id).collect();
    let live: Vec<&str> = AttackSite::ALL
        .iter()
        .map(|s| s.attack().info().id)
        .collect();
    assert_eq!(ported, live);
}

#[test]
fn without_their_stoppers_the_attackers_sites_reach_their_goals_over_real_http() {
    for (id, hops) in PORTED {
        let site = site_of(id);
        let seen = visit(site, Defenses::naive());
        assert!(seen.goal.is_some(), "{id}: {:#?}", seen.requests);
        for hop in *hops {
            assert!(
                seen.requests.iter().any(|r| r == hop),
                "{id}: {hop}: {:#?}",
                seen.requests
            );
        }
        assert_eq!(
            seen.goal,
            simulated(site.attack(), Defenses::naive()),
            "{id}"
        );
    }
}

#[test]
fn each_declared_stopper_keeps_the_live_attacker_from_its_goal_as_in_the_simulation() {
    for (id, _) in PORTED {
        let site = site_of(id);
        let attack = site.attack();
        for stopper in attack.info().stoppers {
            let defenses = stopper.from_naive();
            let seen = visit(site, defenses.clone());
            assert_eq!(
                seen.goal,
                None,
                "{id}, {}: {:#?}",
                stopper.claim(),
                seen.requests
            );
            assert_eq!(
                seen.goal,
                simulated(attack, defenses),
                "{id}, {}",
                stopper.claim()
            );
        }
    }
}

#[test]
fn attacks_whose_attacker_needs_a_position_on_the_wire_or_has_no_site_are_refused_with_a_reason() {
    for (id, says) in [
        ("code-interception", "A3 reads authorization responses"),
        (
            "id-token-replay",
            "a site of its own (reads leaked client storage)",
        ),
        ("jwt-alg-none", "has no site for a browser to visit"),
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

#[test]
fn the_start_banner_says_where_the_site_is_what_stops_it_and_where_the_attackers_browser_got() {
    use oauth_lab::live::attacker_site_banner::attack_banner;
    for site in AttackSite::ALL {
        let info = site.attack().info();
        let server = live_attack_world(site, Defenses::naive());
        let banner = attack_banner(&server, site);
        let url = server.urls().attacker.clone().expect("the site listens");
        assert!(
            banner.contains(&format!("Attack {}: ", info.id)),
            "{banner}"
        );
        assert!(banner.contains(&site.entry(&url)), "{banner}");
        for stopper in info.stoppers {
            assert!(
                banner.contains(&format!("{} (off now)", stopper.claim())),
                "{banner}"
            );
        }
        // Only the attacks with a browser of the attacker's own say where it stopped.
        let own = server
            .hub()
            .trace()
            .actors
            .iter()
            .any(|a| a.id.as_str() == "attacker-browser");
        assert_eq!(
            banner.contains("the attacker's own browser (Mallory's) stopped before sending"),
            own,
            "{banner}"
        );
        server.shutdown();
    }
    // Where the AS grants no code without PKCE, Mallory's own sign-in reaches the
    // callback with an error instead.
    let site = site_of("csrf-login");
    let pkce_required = site
        .attack()
        .info()
        .stoppers
        .iter()
        .find(|s| s.claim().starts_with("pkce-required"))
        .expect("csrf-login declares pkce-required");
    let server = live_attack_world(site, pkce_required.from_naive());
    let banner = attack_banner(&server, site);
    assert!(
        banner.contains("stopped before sending GET") && banner.contains("(without a code: error="),
        "{banner}"
    );
    assert!(banner.contains("pkce-required"), "{banner}");
    server.shutdown();
}
