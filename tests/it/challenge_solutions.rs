//! Every challenge has a reference solution under tests/fixtures/challenges/solutions/
//! (a scenario file holding the attacker's moves), and `oauth-lab challenge check`
//! grades it: the reference solves it, the empty solution does not, with the debrief's
//! fix applied the reference no longer does, and it replays byte-identically.
//!
//! The fixtures are what the strategies build (a test checks it; with
//! `OAUTH_LAB_WRITE_FIXTURES=1` it rewrites them after a challenge's deployment changes):
//! each strategy plays like a learner, picking values from the loot.

use std::path::PathBuf;

use oauth_lab::actors::well_known as wk;
use oauth_lab::attacks::setup::{ATTACKER, ATTACKER_CLIENT_ID, ATTACKER_CLIENT_SECRET};
use oauth_lab::challenge::{Challenge, bundled, grade};
use oauth_lab::scenario::Scenario;
use oauth_lab::testing::*;
use oauth_lab::workshop::{ArtifactKind as K, Template as T};

use crate::BIN;

fn solution_path(id: &str) -> PathBuf {
    PathBuf::from(format!("tests/fixtures/challenges/solutions/{id}.toml"))
}

fn solution_inputs(c: &Challenge) -> Vec<(usize, oauth_lab::sim::LearnerInput)> {
    let path = solution_path(&c.id);
    let s = oauth_lab::scenario::read::load_file(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    s.world.inputs
}

/// Stop Mallory at the AS now; the state of her own request, once Alice's flow has run.
fn mallory_waits_at_the_as(p: &mut Player) {
    p.play_at(0, T::OwnLogin, ATTACKER, &[("stop", "authorize")]);
}

fn mallorys_state(p: &Player) -> String {
    p.find(K::State, |_| true).value
}

/// Redeem as Photo Frame (the attacker's own client) with Photo Printer's redirect_uri.
fn frame_redeems(p: &mut Player, at: Option<usize>, code: &str) {
    let fields = [
        ("code", code),
        ("client_id", ATTACKER_CLIENT_ID),
        ("client_secret", ATTACKER_CLIENT_SECRET),
        ("redirect_uri", wk::CLIENT_REDIRECT_URI),
    ];
    match at {
        Some(at) => p.play_at(at, T::RedeemCode, ATTACKER, &fields),
        None => p.play(T::RedeemCode, ATTACKER, &fields),
    }
}

fn call_api(p: &mut Player, by: &str) {
    let token = p.last(K::AccessToken).value;
    p.play(T::CallApi, by, &[("access_token", &token)]);
}

/// Inject the first code whose artifact satisfies `which` into Mallory's own session,
/// right after it arrived, with her own state.
fn inject_into_mallory(p: &mut Player, which: impl Fn(&str) -> bool) {
    let state = mallorys_state(p);
    let code = p.find(K::Code, which);
    let fields = [
        ("code", code.value.as_str()),
        ("state", &state),
        ("into", "mallory"),
    ];
    p.play_at(code.step + 1, T::InjectCallback, ATTACKER, &fields);
}

/// The moves of the reference solution of challenge `id`.
fn strategy(c: &Challenge) -> Player {
    let mut p = Player::new(c.world().clone());
    let by = c.position.actor();
    match c.id.as_str() {
        "stolen-scheme" | "plain-sight" => {
            let code = p.find(K::Code, |_| true).value;
            let verifier = if c.id == "plain-sight" {
                p.find(K::CodeChallenge, |_| true).value
            } else {
                String::new()
            };
            let fields = [
                ("code", code.as_str()),
                ("client_id", wk::NATIVE_CLIENT_ID),
                ("redirect_uri", wk::NATIVE_REDIRECT_URI),
                ("code_verifier", &verifier),
            ];
            p.play(T::RedeemCode, by, &fields);
            call_api(&mut p, by);
        }
        "planted-session" => {
            p.play_at(0, T::OwnLogin, ATTACKER, &[("stop", "callback")]);
            let url = p
                .find(K::Url, |u| u.starts_with(wk::CLIENT_REDIRECT_URI))
                .value;
            p.play(T::SendLink, ATTACKER, &[("url", &url)]);
        }
        "state-is-not-enough" | "pixel-on-callback" => {
            mallory_waits_at_the_as(&mut p);
            inject_into_mallory(&mut p, |_| true);
        }
        "wrong-audience" => {
            let token = p.find(K::AccessToken, |_| true).value;
            p.play(
                T::CallApi,
                by,
                &[
                    ("access_token", &token),
                    ("url", "https://rs.example/photos"),
                ],
            );
        }
        "frame-redeems" => {
            let code = p.find(K::Code, |_| true).value;
            frame_redeems(&mut p, None, &code);
            call_api(&mut p, ATTACKER);
        }
        "log-and-loose-codes" => {
            let code = p.find(K::Code, |_| true);
            frame_redeems(&mut p, Some(code.step + 1), &code.value);
            call_api(&mut p, ATTACKER);
        }
        "leaked-refresh" => {
            let rt = p.find(K::RefreshToken, |_| true).value;
            p.play(T::Refresh, by, &[("refresh_token", &rt)]);
            call_api(&mut p, by);
        }
        "two-issuers" => {
            mallory_waits_at_the_as(&mut p);
            let url = "https://client.example/login?as=https%3A%2F%2Fas.attacker.example";
            p.play(T::SendLink, by, &[("url", url)]);
            inject_into_mallory(&mut p, |_| true);
        }
        "downgrade" => {
            mallory_waits_at_the_as(&mut p);
            let own = p.find(K::Url, |u| u.contains("/authorize?")).value;
            let stripped = strip_params(&own, &["code_challenge", "code_challenge_method"]);
            p.play(T::SendLink, ATTACKER, &[("url", &stripped)]);
            let first_code = p.find(K::Code, |_| true).value;
            inject_into_mallory(&mut p, |c| c != first_code);
        }
        "lax-and-leaky" => {
            mallory_waits_at_the_as(&mut p);
            let url = "https://as.example/authorize?response_type=code&client_id=photo-printer\
                       &redirect_uri=https%3A%2F%2Fclient.example%2Fcb%2F..%2F&scope=openid+profile+photos.read";
            p.play(T::SendLink, ATTACKER, &[("url", url)]);
            inject_into_mallory(&mut p, |_| true);
        }
        other => panic!("no reference strategy for challenge `{other}`"),
    }
    p
}

/// `url` without the named query parameters.
fn strip_params(url: &str, names: &[&str]) -> String {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|kv| !names.iter().any(|n| kv.split('=').next() == Some(n)))
        .collect();
    format!("{base}?{}", kept.join("&"))
}

/// The reference solution files are exactly what the strategies above build. After
/// changing a challenge, run this test with `OAUTH_LAB_WRITE_FIXTURES=1` to rewrite them.
#[test]
fn the_reference_solution_files_are_what_the_strategies_build() {
    let write = std::env::var_os("OAUTH_LAB_WRITE_FIXTURES").is_some();
    let (all, _) = bundled::challenges();
    let mut stale = Vec::new();
    for c in &all {
        let p = strategy(c);
        let mut s = Scenario::of(p.spec.clone(), 0);
        s.title = Some(format!("Reference solution: {}", c.title));
        let text = s.to_toml().unwrap();
        let path = solution_path(&c.id);
        if write {
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(c.id.clone());
        }
    }
    assert!(
        stale.is_empty(),
        "reference solutions out of date (rewrite them with OAUTH_LAB_WRITE_FIXTURES=1): {stale:?}"
    );
}

#[test]
fn every_reference_solution_solves_its_challenge_the_empty_one_does_not_and_the_fix_stops_it() {
    let (all, _) = bundled::challenges();
    let mut report = Vec::new();
    for c in &all {
        let inputs = solution_inputs(c);
        let graded = grade::grade(c, &inputs);
        if graded.hit.is_none() {
            report.push(format!("{}: the reference does not solve it", c.id));
        }
        if grade::grade(c, &[]).hit.is_some() {
            report.push(format!("{}: the empty solution solves it", c.id));
        }
        if let Some(hit) = grade::grade_fixed(c, &inputs).hit {
            report.push(format!(
                "{}: with the fix, the reference still reaches {}",
                c.id, hit.goal
            ));
        }
        let again = grade::grade(c, &inputs);
        if serde_json::to_string(&again.trace).unwrap()
            != serde_json::to_string(&graded.trace).unwrap()
        {
            report.push(format!(
                "{}: the solution does not replay byte-identically",
                c.id
            ));
        }
    }
    assert!(report.is_empty(), "{}", report.join("\n"));
}

#[test]
fn challenge_check_grades_every_reference_solution() {
    let (all, _) = bundled::challenges();
    let dir = scratch_dir("challenge", "check");
    for c in &all {
        let path = solution_path(&c.id);
        let out = run_program(
            BIN,
            &[
                "challenge",
                "check",
                &c.id,
                "--solution",
                path.to_str().unwrap(),
                "--state-dir",
                dir.to_str().unwrap(),
            ],
            "",
        );
        assert_eq!(out.code, Some(0), "{}: {}{}", c.id, out.stdout, out.stderr);
        assert!(out.stdout.starts_with("SOLVED"), "{}: {}", c.id, out.stdout);
        assert!(
            out.stdout.contains("With the fix"),
            "{}: {}",
            c.id,
            out.stdout
        );
    }
}
