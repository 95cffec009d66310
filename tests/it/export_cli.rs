//! `oauth-lab export` as a whole process: every format on stdout, the same bytes twice,
//! `-o FILE` writes what stdout would show, and bad options are refused.

use oauth_lab::testing::{Ran, run_program};

use crate::BIN;

const FORMATS: [&str; 5] = ["mermaid", "plantuml", "markdown", "svg", "html"];

fn export(args: &[&str]) -> Ran {
    let mut all = vec!["export"];
    all.extend_from_slice(args);
    run_program(BIN, &all, "")
}

#[test]
fn every_format_prints_the_same_bytes_twice() {
    for f in FORMATS {
        let a = export(&["--format", f]);
        let b = export(&["--format", f]);
        assert!(a.success(), "{f}: {}", a.stderr);
        assert!(!a.stdout.is_empty(), "{f}");
        assert!(a.stdout == b.stdout, "{f}: two runs differ");
    }
    let svg = export(&["-f", "svg", "--theme", "dark"]).stdout;
    assert!(svg.contains("#0d1117"), "dark background");
}

#[test]
fn output_file_holds_what_stdout_shows() {
    let dir = oauth_lab::testing::temp_dir("export", "cli");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("attack.md");
    let args = [
        "-f",
        "markdown",
        "--attack",
        "code-interception",
        "--profile",
        "naive",
    ];
    let stdout = export(&args).stdout;
    let mut with_file = args.to_vec();
    let path = file.to_str().unwrap();
    with_file.extend(["-o", path]);
    let out = export(&with_file);
    assert!(out.success());
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("wrote"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), stdout);
    let md = stdout;
    assert!(md.contains("SUCCEEDED"), "the verdict is in the handout");
    assert!(md.contains("Profile: `naive`"));
}

#[test]
fn notes_and_world_options_change_the_output() {
    let none = export(&["-f", "mermaid", "--notes", "none"]).stdout;
    let full = export(&["-f", "mermaid", "--notes", "full"]).stdout;
    assert!(none.len() < full.len());
    assert!(!none.contains("Note over p_browser,p_client"));
    let md = export(&["-f", "markdown", "--disable", "pkce", "--seed", "7"]).stdout;
    assert!(
        md.contains("Changed: pkce"),
        "the differing defense is listed"
    );
    assert!(md.contains("Seed: 7"));
}

#[test]
fn bad_options_are_refused() {
    let out = export(&["-f", "gif"]);
    assert!(!out.success());
    let out = export(&["-f", "svg", "--attack", "no-such-attack"]);
    assert!(!out.success());
    assert!(out.stderr.contains("unknown attack"));
}

#[test]
fn a_scenario_file_exports_with_its_title_and_the_learners_edit() {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/csrf-edit-state.toml"
    );
    let out = export(&["-f", "mermaid", "--scenario", file]);
    assert!(out.success(), "{}", out.stderr);
    assert!(
        out.stdout.contains("A hand-made CSRF"),
        "the scenario's title"
    );
    assert!(out.stdout.contains('✎'), "the learner's edit is marked");
    // The same as `run --scenario` replays: the same world, so the same bytes twice.
    assert!(out.stdout == export(&["-f", "mermaid", "--scenario", file]).stdout);
    // A scenario names its own world: world options beside it are refused.
    let both = export(&["-f", "mermaid", "--scenario", file, "--profile", "naive"]);
    assert!(!both.success());
}
