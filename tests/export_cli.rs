//! `oauth-lab export` as a whole process: every format on stdout, the same bytes twice,
//! `-o FILE` writes what stdout would show, and bad options are refused.

use std::process::Command;

const FORMATS: [&str; 5] = ["mermaid", "plantuml", "markdown", "svg", "html"];

fn export(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_oauth-lab"))
        .arg("export")
        .args(args)
        .output()
        .expect("oauth-lab runs")
}

#[test]
fn every_format_prints_the_same_bytes_twice() {
    for f in FORMATS {
        let a = export(&["--format", f]);
        let b = export(&["--format", f]);
        assert!(
            a.status.success(),
            "{f}: {}",
            String::from_utf8_lossy(&a.stderr)
        );
        assert!(!a.stdout.is_empty(), "{f}");
        assert!(a.stdout == b.stdout, "{f}: two runs differ");
    }
    let svg = String::from_utf8(export(&["-f", "svg", "--theme", "dark"]).stdout).unwrap();
    assert!(svg.contains("#0d1117"), "dark background");
}

#[test]
fn output_file_holds_what_stdout_shows() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("export-cli");
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
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrote"));
    assert_eq!(std::fs::read(&file).unwrap(), stdout);
    let md = String::from_utf8(stdout).unwrap();
    assert!(md.contains("SUCCEEDED"), "the verdict is in the handout");
    assert!(md.contains("Profile: `naive`"));
}

#[test]
fn notes_and_world_options_change_the_output() {
    let none = export(&["-f", "mermaid", "--notes", "none"]).stdout;
    let full = export(&["-f", "mermaid", "--notes", "full"]).stdout;
    assert!(none.len() < full.len());
    assert!(!String::from_utf8_lossy(&none).contains("Note over p_browser,p_client"));
    let md = export(&["-f", "markdown", "--disable", "pkce", "--seed", "7"]).stdout;
    let md = String::from_utf8(md).unwrap();
    assert!(
        md.contains("Changed: pkce"),
        "the differing defense is listed"
    );
    assert!(md.contains("Seed: 7"));
}

#[test]
fn bad_options_are_refused() {
    let out = export(&["-f", "gif"]);
    assert!(!out.status.success());
    let out = export(&["-f", "svg", "--attack", "no-such-attack"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown attack"));
}
