//! `oauth-lab` with no arguments and `oauth-lab tui`: the UI on a terminal; otherwise
//! (as here, where stdout is a pipe) one line saying so, then the transcript.

use clap::Parser;
use oauth_lab::cli::tui_cmd::{NOT_A_TERMINAL, TuiArgs};
use oauth_lab::cli::{Cli, Command as Sub};
use oauth_lab::testing::run_program;
use oauth_lab::tui::app::Overlay;

use crate::BIN;

/// The exit code, standard output and standard error of `oauth-lab ARGS`.
fn run(args: &[&str]) -> (i32, String, String) {
    let out = run_program(BIN, args, "");
    (out.code.unwrap_or(-1), out.stdout, out.stderr)
}

#[test]
fn no_arguments_without_a_terminal_prints_a_notice_then_the_transcript() {
    let (code, out, _) = run(&[]);
    assert_eq!(code, 0);
    let (first, rest) = out.split_once('\n').expect("more than one line");
    assert_eq!(first, NOT_A_TERMINAL);
    let (_, transcript, _) = run(&["run"]);
    // Same flow as `oauth-lab run` (the titles may differ in wording).
    let body = |s: &str| s.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(body(rest), body(&transcript));
}

#[test]
fn tui_with_an_attack_without_a_terminal_prints_its_transcript() {
    let (code, out, _) = run(&["tui", "--attack", "code-interception", "--profile", "naive"]);
    assert_eq!(code, 0);
    assert!(out.starts_with(NOT_A_TERMINAL));
    assert!(out.contains("ATTACKER"), "{out}");
}

#[test]
fn an_unknown_attack_is_an_error_listing_the_ids() {
    let (code, _, err) = run(&["tui", "--attack", "no-such-attack"]);
    assert_eq!(code, 2);
    assert!(err.contains("code-interception"), "{err}");
}

#[test]
fn options_open_the_app_where_asked() {
    let cli = Cli::try_parse_from([
        "oauth-lab",
        "tui",
        "--presenter",
        "--attack",
        "code-interception",
        "--profile",
        "naive",
        "--enable",
        "pkce",
        "--seed",
        "7",
    ])
    .expect("the options parse");
    let Some(Sub::Tui(args)) = cli.command else {
        panic!("the tui command")
    };
    let app = args.app().expect("the app opens");
    assert!(app.presenter);
    assert_eq!(app.overlay, None, "no welcome when an attack is asked for");
    assert_eq!(
        app.timeline.spec.attack.as_deref(),
        Some("code-interception")
    );
    assert_eq!(app.timeline.spec.seed, 7);
    assert!(
        app.timeline
            .spec
            .defenses
            .is_on(oauth_lab::actors::DefenseId::Pkce)
    );
    assert_eq!(app.timeline.spec.profile.name(), "naive");

    let plain = TuiArgs::default().app().expect("the app opens");
    assert_eq!(plain.overlay, Some(Overlay::Welcome));
    assert_eq!(plain.cursor, 0);
    assert!(plain.timeline.spec.attack.is_none());
}
