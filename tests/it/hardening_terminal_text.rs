//! Text from files, messages and arguments never controls the terminal: every print
//! path of the real binary escapes C0 and C1 controls, and `lessons check` reports
//! them at their line and column.

use std::path::{Path, PathBuf};

use oauth_lab::testing::{Program, Ran, scratch_dir};

use crate::BIN;

/// An OSC 52 clipboard write, a window title and a screen clear, as TOML escapes.
const HOSTILE_TOML: &str = r"\u001B]52;c;cHduZWQ=\u0007\u001B]0;pwned\u0007\e[2J\u009B31m";

/// A fresh, empty temporary directory for this test.
fn temp_dir(name: &str) -> PathBuf {
    scratch_dir("text", name)
}

/// Lesson 1 with control characters in its title, summary and first goal.
fn hostile_lesson_dir(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons/01-whole-flow.toml"),
    )
    .unwrap();
    let text = text
        .replacen(
            "title = \"The authorization code flow, end to end\"",
            &format!("title = \"The flow {HOSTILE_TOML} end to end\""),
            1,
        )
        .replacen(
            "summary = \"\"\"\n",
            &format!("summary = \"\"\"\nIntro {HOSTILE_TOML}\n"),
            1,
        )
        .replacen(
            "goals = [\n  \"",
            &format!("goals = [\n  \"{HOSTILE_TOML} "),
            1,
        );
    assert_eq!(text.matches("\\u001B]52").count(), 3, "the fixture changed");
    std::fs::write(dir.join("01-hostile.toml"), text).unwrap();
    dir
}

/// The program with `args` and `env` (and no lesson directory from the environment),
/// `stdin` on its standard input.
fn run(args: &[&str], env: &[(&str, &Path)], stdin: &str) -> Ran {
    env.iter()
        .fold(
            Program::new(BIN).args(args).env_remove("OAUTH_LAB_LESSONS"),
            |p, (k, v)| p.env(k, v),
        )
        .run(stdin)
}

/// No byte of the output is a control a terminal acts on (newline and tab aside), and
/// the escaped form of the hostile text is there to read.
fn assert_inert(what: &str, out: &Ran, expect_escaped: bool) {
    for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let bad = text
            .char_indices()
            .find(|(_, c)| c.is_control() && *c != '\n' && *c != '\t');
        assert!(
            bad.is_none(),
            "{what}: {stream} holds the control {:?} at byte {}:\n{text}",
            bad.unwrap().1,
            bad.unwrap().0
        );
    }
    if expect_escaped {
        let all = format!("{}{}", out.stdout, out.stderr);
        assert!(all.contains("\\x1b]52;c;cHduZWQ=\\x07"), "{what}:\n{all}");
    }
}

#[test]
fn lesson_text_is_escaped_by_learn_print_interactive_and_list() {
    let lessons = hostile_lesson_dir("paths");
    let state = temp_dir("paths-state");
    let env = [("OAUTH_LAB_LESSONS", lessons.as_path())];
    let state_arg = state.to_str().unwrap();

    let out = run(
        &["learn", "whole-flow", "--print", "--state-dir", state_arg],
        &env,
        "",
    );
    assert!(out.success(), "{out:?}");
    assert!(out.stdout.contains("Intro \\x1b]52"));
    assert_inert("learn --print", &out, true);

    let out = run(
        &[
            "learn",
            "whole-flow",
            "--interactive",
            "--state-dir",
            state_arg,
        ],
        &env,
        "q\n",
    );
    assert_inert("learn --interactive", &out, true);

    let out = run(&["lessons", "list", "--state-dir", state_arg], &env, "");
    assert!(out.success(), "{out:?}");
    assert_inert("lessons list", &out, true);
}

#[test]
fn lessons_check_reports_each_control_character_at_its_position() {
    let lessons = hostile_lesson_dir("check");
    let file = lessons.join("01-hostile.toml");
    let out = run(&["lessons", "check", file.to_str().unwrap()], &[], "");
    assert_eq!(out.code, Some(1), "{out:?}");
    assert_inert("lessons check", &out, false);
    let err = &out.stderr;
    let text = std::fs::read_to_string(&file).unwrap();
    // Every escape is reported where it starts: line and column of its backslash.
    for (i, line) in text.lines().enumerate() {
        if let Some(col) = line.find("\\u001B]52") {
            let at = format!(
                "{}:{}:{}: ",
                file.display(),
                i + 1,
                line[..col].chars().count() + 1
            );
            assert!(err.contains(&at), "no problem reported at {at}:\n{err}");
        }
    }
    assert!(err.contains("U+001B (ESC)"), "{err}");
    assert!(out.stdout.contains("3 problem(s)"), "{out:?}");
    // `learn --file` refuses the file for the same reason, and says so safely.
    let out = run(&["learn", "--file", file.to_str().unwrap()], &[], "");
    assert_eq!(out.code, Some(2), "{out:?}");
    assert_inert("learn --file", &out, false);
}

#[test]
fn arguments_quoted_in_errors_are_escaped() {
    let hostile = "\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}";
    // (arguments, whether the message is ours and quotes the argument: clap's own
    // messages drop escape sequences themselves and keep the rest, escaped by us).
    let cases: Vec<(Vec<&str>, bool)> = vec![
        (vec!["run", "--attack", hostile], true),
        (vec!["run", "--set", hostile], true),
        (vec!["run", "--profile", hostile], true),
        (vec!["learn", hostile], true),
        (vec!["lessons", "reset", hostile], true),
        (vec!["lessons", "check", hostile], true),
        (vec![hostile], false),
        (vec!["run", hostile], false),
        (vec!["--seed", hostile], false),
    ];
    for (args, ours) in cases {
        let out = run(&args, &[], "");
        assert!(!out.success(), "{args:?} succeeded");
        assert_inert(&format!("{args:?}"), &out, false);
        let err = &out.stderr;
        if ours {
            assert!(err.contains("\\x1b]0;pwned\\x07"), "{args:?}: {err}");
        } else {
            assert!(err.contains("\\u{9b}"), "{args:?}: {err}");
        }
    }
}

#[test]
fn the_text_transcript_has_no_control_characters() {
    let out = run(
        &["run", "--attack", "mix-up", "--profile", "naive"],
        &[],
        "",
    );
    assert!(out.success(), "{out:?}");
    assert_inert("run --format text", &out, false);
}
