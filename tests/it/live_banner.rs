//! The start banner of `serve --no-tui` is a walk-through that works: every curl
//! command it prints runs, as printed, against a live server (ports aside: the
//! redirect URI's port 8080 becomes a port the test listens on), with CODE and
//! ACCESS_TOKEN filled in from the answers before them, as a learner would. The
//! README quotes the same walk-through at the default ports.

use oauth_lab::actors::Profile;
use oauth_lab::cli::serve_banner::{CURL_REDIRECT_URI, banner, with_curl};
use oauth_lab::live::LiveUrls;
use oauth_lab::sim::world::DEFAULT_SEED;
use oauth_lab::testing::*;
use oauth_lab::world::WorldSpec;

/// The banner's commands, one per entry: lines starting `curl ` with their ` \`
/// continuation lines joined.
fn curl_commands(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for line in text.lines().map(str::trim) {
        if open {
            let last = out.last_mut().expect("a command is open");
            last.push(' ');
            last.push_str(line.trim_end_matches('\\').trim_end());
        } else if line.starts_with("curl ") {
            out.push(line.trim_end_matches('\\').trim_end().to_string());
        } else {
            continue;
        }
        open = line.ends_with('\\');
    }
    out
}

/// What `sh -c command` prints on stdout; it must succeed.
fn shell(command: &str) -> String {
    let ran = Program::new("sh").args(["-c", command]).run("");
    assert!(ran.success(), "{command}\n{}", ran.stderr);
    ran.stdout
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("JSON ({e}): {text}"))
}

#[test]
fn every_curl_command_of_the_banner_works_as_printed() {
    if !runtime_available("curl", &["--version"], "curl") {
        return;
    }
    let server = live_world(Profile::Bcp);
    let urls = server.urls().clone();
    let catcher = RedirectCatcher::start();
    let text = with_curl(&urls, server.hub().defenses().code_lifetime_secs)
        .replace(CURL_REDIRECT_URI, &catcher.redirect_uri());
    assert!(
        text.contains("Then within 60 s (the code's lifetime):"),
        "{text}"
    );
    let commands = curl_commands(&text);
    let [metadata, jwks, token, photos, register] = &commands[..] else {
        panic!("five curl commands: {commands:#?}");
    };

    let meta = json(&shell(metadata));
    assert_eq!(meta["issuer"], urls.auth_server.as_str());
    assert_eq!(json(&shell(jwks))["keys"][0]["kty"], "RSA");

    // Alice opens the printed authorization URL, signs in and allows; the code comes
    // back to the redirect URI.
    let authorize = (text.lines().map(str::trim))
        .find(|l| l.starts_with(&format!("{}/authorize?", urls.auth_server)))
        .unwrap_or_else(|| panic!("an authorization URL: {text}"));
    live_browse(&server, authorize);
    let code = query_of(&catcher.target())
        .first("code")
        .expect("a code came back")
        .to_string();

    let tokens = json(&shell(&token.replace("CODE", &code)));
    assert_eq!(tokens["token_type"], "Bearer", "{tokens}");
    let access = tokens["access_token"].as_str().expect("an access token");
    let api = json(&shell(&photos.replace("ACCESS_TOKEN", access)));
    assert_eq!(api["owner"], "alice", "{api}");

    let registered = json(&shell(register));
    assert!(registered["client_id"].is_string(), "{registered}");
}

#[test]
fn the_banner_says_the_defenses_in_force_and_ends_with_the_walk_through() {
    let server = live_world(Profile::Bcp);
    let spec = WorldSpec::parse(
        DEFAULT_SEED,
        "bcp",
        &[],
        &["pkce-required".to_string()],
        &[],
        None,
    )
    .expect("a world");
    let text = banner(&server, &spec);
    assert!(
        text.starts_with("oauth-lab serve: live mode, profile bcp, pkce-required off."),
        "{text}"
    );
    let walk = with_curl(server.urls(), server.hub().defenses().code_lifetime_secs);
    assert!(text.contains(&walk), "{text}");
}

#[test]
fn the_readme_quotes_the_walk_through_at_the_default_ports() {
    let urls = LiveUrls {
        client: "http://127.0.0.1:9000".into(),
        auth_server: "http://127.0.0.2:9001".into(),
        resource_server: "http://127.0.0.3:9002".into(),
        attacker: None,
    };
    let walk = with_curl(&urls, Profile::Bcp.defenses().code_lifetime_secs);
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .expect("the README");
    assert!(
        readme.contains(&format!("```text\n{walk}```\n")),
        "the README's Live mode quotes, in a text block:\n{walk}"
    );
}
