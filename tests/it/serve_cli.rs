//! `oauth-lab serve`'s command line as a learner meets it: the examples of its help
//! parse, and a listen address other hosts could reach is refused with its reason.

use clap::Parser;
use oauth_lab::cli::{Cli, Command, SERVE_EXAMPLES};
use oauth_lab::testing::*;

#[test]
fn every_example_of_serve_help_parses_as_a_serve_command() {
    let examples: Vec<&str> = (SERVE_EXAMPLES.lines())
        .filter_map(|l| l.strip_prefix("  oauth-lab "))
        .map(|l| l.split("   ").next().unwrap_or(l).trim())
        .collect();
    assert!(examples.len() >= 5, "{SERVE_EXAMPLES}");
    for example in examples {
        let args = std::iter::once("oauth-lab").chain(example.split_whitespace());
        let cli = Cli::try_parse_from(args).unwrap_or_else(|e| panic!("{example}: {e}"));
        assert!(matches!(cli.command, Some(Command::Serve(_))), "{example}");
    }
    let help = run_program(crate::BIN, &["serve", "--help"], "");
    assert!(help.stdout.contains(SERVE_EXAMPLES), "{}", help.stdout);
}

/// `oauth-lab serve --no-tui --port-base 0 --listen 0.0.0.0` and `more`, to its end.
fn serve_on_every_address(more: &[&str]) -> Ran {
    let mut args = vec![
        "serve",
        "--no-tui",
        "--port-base",
        "0",
        "--listen",
        "0.0.0.0",
    ];
    args.extend(more);
    run_program(crate::BIN, &args, "")
}

#[test]
fn a_listen_address_other_hosts_reach_is_refused_with_its_reason() {
    let without = serve_on_every_address(&[]);
    assert!(!without.success());
    assert!(
        without.stderr.contains("add --allow-non-loopback"),
        "{}",
        without.stderr
    );
    let with = serve_on_every_address(&["--allow-non-loopback"]);
    assert!(!with.success());
    assert_eq!(with.stdout, "");
    assert!(
        with.stderr
            .starts_with("error: --listen 0.0.0.0: live mode speaks plain http"),
        "{}",
        with.stderr
    );
    assert!(with.stderr.contains("is not loopback"), "{}", with.stderr);
    assert!(
        !with.stderr.contains("warning: listening"),
        "{}",
        with.stderr
    );
}

#[test]
fn a_port_base_without_room_names_the_parties_that_need_it() {
    let plain = run_program(
        crate::BIN,
        &["serve", "--no-tui", "--port-base", "65534"],
        "",
    );
    assert_eq!(
        plain.stderr,
        "error: --port-base 65534 leaves no room for the AS and the RS (base+1 to base+2); the highest is 65533\n"
    );
    let attack = [
        "serve",
        "--no-tui",
        "--port-base",
        "65533",
        "--attack",
        "csrf-login",
    ];
    let with_site = run_program(crate::BIN, &attack, "");
    assert_eq!(
        with_site.stderr,
        "error: --port-base 65533 leaves no room for the AS, the RS and the attacker's site (base+1 to base+3); the highest is 65532\n"
    );
}

#[test]
fn on_sigint_an_attacks_verdict_is_the_last_line_of_the_output() {
    let mut child = Program::new(crate::BIN)
        .args(["serve", "--no-tui", "--port-base", "0"])
        .args(["--attack", "csrf-login", "--profile", "naive"])
        .start();
    let said = lines_of(child.stderr.take().expect("a piped stderr"));
    wait_for_line(&said, LIVE_WAIT, |l| {
        l.starts_with("One line per message").then_some(())
    });
    send_signal(&child, "INT");
    let ran = finished_within(child, LIVE_WAIT, "serve after SIGINT");
    assert!(ran.success(), "exit {:?}", ran.code);
    let last = ran.stdout.lines().last().unwrap_or("");
    assert!(
        last.starts_with("csrf-login: the attacker "),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.ends_with(".\n"), "{:?}", ran.stdout);
}
