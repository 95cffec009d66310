//! Challenge progress in the lesson store, `challenge list`, `challenge hint`,
//! `challenge check --record` and the `progress` report a facilitator collects.

use crate::BIN;
use oauth_lab::testing::*;

fn run(dir: &std::path::Path, args: &[&str]) -> Ran {
    let mut all = args.to_vec();
    all.extend(["--state-dir", dir.to_str().expect("a UTF-8 path")]);
    run_program(BIN, &all, "")
}

#[test]
fn a_hint_then_a_recorded_solution_shows_in_list_and_in_the_json_report() {
    let dir = scratch_dir("challenge", "progress");
    let hint = run(&dir, &["challenge", "hint", "stolen-scheme"]);
    assert!(hint.success(), "{}{}", hint.stdout, hint.stderr);
    assert!(
        hint.stdout.starts_with("Hint 1 (costs 10 points): "),
        "{}",
        hint.stdout
    );
    assert!(
        hint.stdout.contains("at most 90 of 100 points"),
        "{}",
        hint.stdout
    );
    let solution = "tests/fixtures/challenges/solutions/stolen-scheme.toml";
    let check = run(
        &dir,
        &[
            "challenge",
            "check",
            "1",
            "--solution",
            solution,
            "--record",
        ],
    );
    assert!(check.success(), "{}{}", check.stdout, check.stderr);
    assert!(
        check
            .stdout
            .contains("Recorded: score 90 of 100 (1 hint(s) used)."),
        "{}",
        check.stdout
    );
    let list = run(&dir, &["challenge", "list"]);
    let line = list
        .stdout
        .lines()
        .find(|l| l.contains("stolen-scheme"))
        .unwrap();
    assert!(line.ends_with("solved, score 90/100"), "{line}");
    let json = run(&dir, &["progress", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["format"], "oauth-lab-progress");
    assert_eq!(v["version"], 1);
    let c = &v["challenges"][0];
    assert_eq!(c["id"], "stolen-scheme");
    assert_eq!(c["solved"], true);
    assert_eq!(c["score"], 90);
    assert_eq!(c["hints_used"], 1);
    assert_eq!(c["goal"], "code-interception");
    let at = c["solved_at"].as_str().unwrap();
    assert!(
        at.len() == 20 && at.ends_with('Z') && at.as_bytes()[10] == b'T',
        "{at}"
    );
    assert_eq!(v["totals"]["challenges_solved"], 1);
    let lessons = oauth_lab::lesson::bundled::FILES.len();
    assert_eq!(v["lessons"].as_array().unwrap().len(), lessons);
    let md = run(&dir, &["progress", "--format", "markdown"]);
    assert!(md.stdout.contains("| The app that answers to the wrong name | yes | 90/100 | 1 | code-interception at step"), "{}", md.stdout);
}

#[test]
fn nothing_before_solving_prints_the_deployment_or_the_debrief() {
    let dir = scratch_dir("challenge", "no-spoiler");
    let empty = dir.join("empty.toml");
    std::fs::write(&empty, "version = 1\nseed = 1\nprofile = \"bcp\"\n").unwrap();
    for args in [
        vec!["challenge", "list"],
        vec!["challenge", "start", "state-is-not-enough"],
        vec!["challenge", "hint", "state-is-not-enough"],
        vec![
            "challenge",
            "check",
            "state-is-not-enough",
            "--solution",
            empty.to_str().unwrap(),
        ],
    ] {
        let out = run(&dir, &args);
        let all = format!("{}{}", out.stdout, out.stderr);
        for secret in [
            "Debrief",
            "The deployment",
            "rfc6749",
            "The fix",
            "RFC 9700 §4.5.3.1",
        ] {
            assert!(!all.contains(secret), "{args:?} printed `{secret}`:\n{all}");
        }
    }
    let out = run(
        &dir,
        &[
            "challenge",
            "check",
            "state-is-not-enough",
            "--solution",
            empty.to_str().unwrap(),
        ],
    );
    assert_eq!(out.code, Some(1));
    assert!(
        out.stdout
            .starts_with("NOT SOLVED: challenge state-is-not-enough"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_damaged_challenge_progress_file_is_set_aside_and_reset_forgets() {
    let dir = scratch_dir("challenge", "damaged");
    std::fs::create_dir_all(dir.join("challenges")).unwrap();
    std::fs::write(dir.join("challenges/downgrade.json"), "{ not json").unwrap();
    let list = run(&dir, &["challenge", "list"]);
    assert!(list.success());
    assert!(list.stderr.contains("is corrupt"), "{}", list.stderr);
    assert!(
        list.stderr.contains("started this challenge afresh"),
        "{}",
        list.stderr
    );
    assert!(dir.join("challenges/downgrade.json.corrupt").exists());
    let hint = run(&dir, &["challenge", "hint", "downgrade"]);
    assert!(hint.success());
    let reset = run(&dir, &["challenge", "reset", "downgrade"]);
    assert_eq!(reset.stdout, "Progress of challenge downgrade forgotten.\n");
}
