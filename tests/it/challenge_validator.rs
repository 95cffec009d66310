//! `oauth-lab challenge check-files`: every problem of a challenge file at its
//! `file:line:column`, and nothing half-loaded.

use crate::BIN;
use oauth_lab::testing::*;

fn check_files(path: &str) -> Ran {
    run_program(BIN, &["challenge", "check-files", path], "")
}

#[test]
fn an_unknown_key_is_named_at_its_place() {
    let out = check_files("tests/fixtures/challenges/bad/unknown-key.toml");
    assert_eq!(out.code, Some(1), "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.starts_with(
            "tests/fixtures/challenges/bad/unknown-key.toml:6:1: unknown field `answer`"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn every_wrong_value_is_reported_at_its_line_and_column() {
    let out = check_files("tests/fixtures/challenges/bad/many-problems.toml");
    assert_eq!(out.code, Some(1), "{}{}", out.stdout, out.stderr);
    let f = "tests/fixtures/challenges/bad/many-problems.toml";
    for want in [
        format!("{f}:1:6: id `Many Problems` should be lower-case letters, digits and dashes"),
        format!("{f}:1:6: id `Many Problems` differs from the file name `many-problems.toml`"),
        format!("{f}:3:14: difficulty 4 should be 1, 2 or 3"),
        format!("{f}:5:10: unknown goal `teleport`"),
        format!("{f}:8:9: the story is empty"),
        format!("{f}:9:12: unknown position `wizard`"),
        format!("{f}:14:11: unknown defense `stat`"),
        format!("{f}:15:8: invalid value `sha1` for `pkce`"),
        format!("{f}:16:29: unknown quirk `haunted`"),
        format!("{f}:24:8: the hints cost 25 points in all, not less than the 20 a solution earns"),
        format!("{f}:29:14: the debrief names no RFC section"),
    ] {
        assert!(
            out.stderr.contains(&want),
            "missing `{want}` in:\n{}",
            out.stderr
        );
    }
    assert!(
        out.stdout.contains("0 of 1 challenge file(s) are valid."),
        "{}",
        out.stdout
    );
}

#[test]
fn a_fix_that_changes_nothing_and_a_misplaced_quirk_are_refused() {
    let out = check_files("tests/fixtures/challenges/bad/no-fix.toml");
    let f = "tests/fixtures/challenges/bad/no-fix.toml";
    for want in [
        format!("{f}:4:10: the challenge has no hint"),
        format!(
            "{f}:14:11: the quirk `callback-log` has no party to change in the world of scheme-squatter"
        ),
        format!("{f}:18:7: the fix changes no defense of the deployment"),
    ] {
        assert!(
            out.stderr.contains(&want),
            "missing `{want}` in:\n{}",
            out.stderr
        );
    }
}

#[test]
fn the_bundled_challenges_are_valid() {
    let out = check_files("challenges");
    assert_eq!(out.code, Some(0), "{}{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("12 of 12 challenge file(s) are valid."),
        "{}",
        out.stdout
    );
}
