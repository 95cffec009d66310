//! Malformed lesson files are reported as `file:line:column: what is wrong`.

use std::path::Path;

use oauth_lab::lesson::{self, Source};
use oauth_lab::testing::run_program;

use crate::BIN;

const DIR: &str = "tests/fixtures/lessons";

fn problems(name: &str) -> Vec<String> {
    let path = Path::new(DIR).join(name);
    let text = std::fs::read_to_string(&path).expect("fixture exists");
    lesson::check_source(Source::new(path.display().to_string(), text))
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn expect(name: &str, position: &str, message: &str) {
    let got = problems(name);
    let want = format!("{DIR}/{name}:{position}: {message}");
    assert!(
        got.iter().any(|d| d.starts_with(&want)),
        "expected a problem starting with\n  {want}\ngot\n  {}",
        got.join("\n  ")
    );
}

#[test]
fn syntax_error_is_located() {
    expect("syntax-error.toml", "14:21", "invalid basic string");
}

#[test]
fn unknown_key_is_located_at_the_key() {
    expect(
        "unknown-key.toml",
        "11:1",
        "unknown field `colour`, expected one of `profile`",
    );
}

#[test]
fn bad_step_references_are_located() {
    expect("bad-step.toml", "14:8", "step 400 does not exist");
    expect(
        "bad-step.toml",
        "19:8",
        "no step matches { to = \"as\", request = \"POST /nowhere\" }",
    );
}

#[test]
fn unknown_attack_is_located() {
    expect(
        "unknown-attack.toml",
        "11:10",
        "unknown attack `time-travel`; valid ids: code-interception",
    );
}

#[test]
fn unknown_defense_is_located() {
    expect(
        "unknown-defense.toml",
        "11:19",
        "unknown defense `magic-shield`; valid names: state",
    );
}

#[test]
fn wrong_type_is_located() {
    expect(
        "wrong-type.toml",
        "11:8",
        "invalid type: string \"forty-two\", expected u64",
    );
}

#[test]
fn failing_checkpoint_and_missing_computed_answer_are_located() {
    expect(
        "failing-checkpoint.toml",
        "17:12",
        "the computed answer `succeeds` (in world `main`) is not among the choices",
    );
    expect(
        "failing-checkpoint.toml",
        "21:9",
        "checkpoint `the attack is blocked` fails in world `main`: found SUCCEEDED",
    );
}

#[test]
fn lessons_check_exits_non_zero_and_prints_positions() {
    let out = run_program(BIN, &["lessons", "check", DIR], "");
    assert_eq!(out.code, Some(1));
    let err = &out.stderr;
    assert!(
        err.contains("tests/fixtures/lessons/unknown-key.toml:11:1: unknown field `colour`"),
        "{err}"
    );
    assert!(
        err.contains("tests/fixtures/lessons/syntax-error.toml:14:21: "),
        "{err}"
    );
    let stdout = &out.stdout;
    assert!(stdout.contains("11 lesson file(s) checked"), "{stdout}");
}

#[test]
fn a_prediction_whose_step_an_earlier_part_shows_is_located() {
    expect(
        "spoiler-step-shown.toml",
        "20:10",
        "this prediction asks about step 18 (in world `main`), but part 1 already shows step 19",
    );
}

#[test]
fn a_prediction_without_before_in_a_world_already_run_is_located() {
    expect(
        "spoiler-no-before.toml",
        "17:1",
        "this prediction has no `before` step, but part 1 already ran world `main`",
    );
}

#[test]
fn an_earlier_text_that_gives_a_later_answer_away_is_located() {
    expect(
        "spoiler-text-gives-away.toml",
        "12:1",
        "this part's text gives away `200`, the computed answer of part 2 (in world `main`)",
    );
}

#[test]
fn an_explanation_that_does_not_name_the_computed_answer_is_located() {
    expect(
        "spoiler-explanation-unnamed.toml",
        "12:1",
        "the explanation does not name the computed answer `200` (in world `main`)",
    );
}
