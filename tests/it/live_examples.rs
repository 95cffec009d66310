//! The learner's-own-client examples of the README's "Live mode" are real files
//! (`examples/live/client.py` with `requests`, `examples/live/client.mjs` with `fetch`),
//! quoted in the README exactly; each runs against a live server on ephemeral ports
//! and does what the README says: the code flow with PKCE as `learner-app` (Alice's
//! simulated browser signs in and approves; the code comes back to the script's own
//! loopback port), the API call, a refresh.

use oauth_lab::actors::Profile;
use oauth_lab::sim::StepKind;
use oauth_lab::testing::*;

/// The text of the fenced block the README quotes `file` in (after the
/// `<!-- file: … -->` line that names it).
fn quoted_in_readme(file: &str) -> String {
    let readme = std::fs::read_to_string(repo("README.md")).expect("the README");
    let marker = format!("<!-- file: {file} -->\n");
    let at = readme
        .find(&marker)
        .unwrap_or_else(|| panic!("the README quotes {file} after `{}`", marker.trim()));
    let block = &readme[at + marker.len()..];
    let body = block
        .split_once('\n')
        .map(|(fence, rest)| {
            assert!(fence.starts_with("```"), "a fenced block follows: {fence}");
            rest
        })
        .unwrap_or("");
    let end = body.find("\n```\n").expect("the block ends");
    format!("{}\n", &body[..end])
}

fn repo(path: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

#[test]
fn the_readme_quotes_the_example_clients_exactly() {
    for file in ["examples/live/client.py", "examples/live/client.mjs"] {
        let on_disk = std::fs::read_to_string(repo(file)).expect("the example");
        assert_eq!(quoted_in_readme(file), on_disk, "README and {file} differ");
    }
}

/// Runs `program file AS RS` against a live world, plays Alice at the URL it prints,
/// and checks what it prints and what the live trace shows of it.
fn an_example_completes_the_flow(program: &str, file: &str) {
    let server = live_world(Profile::Bcp);
    let urls = server.urls().clone();
    let mut child = Program::new(program)
        .args([repo(file).as_os_str()])
        .args([&urls.auth_server, &urls.resource_server])
        .start();
    let out = lines_of(child.stdout.take().expect("a piped stdout"));
    let authorize = format!("{}/authorize?", urls.auth_server);
    let (url, _) = wait_for_line(&out, LIVE_WAIT, |l| {
        l.starts_with(&authorize).then(|| l.to_string())
    });
    // Alice opens it in her browser, signs in and approves; the code goes to the
    // script's own loopback port.
    live_browse(&server, &url);
    let ran = finished_within(child, LIVE_WAIT, file);
    let said: Vec<String> = std::iter::from_fn(|| out.recv_timeout(LIVE_WAIT).ok()).collect();
    assert!(ran.success(), "{file}: {}\n{said:?}", ran.stderr);
    assert_eq!(
        said,
        [
            "token: Bearer scope openid photos.read",
            "photos of alice: Sunset at the harbour, Grandma's 90th birthday, Passport scan (private)",
            "refreshed: a new access token: yes",
        ]
        .map(str::to_string),
        "{file}"
    );
    // The live trace shows the script's own lane: two token requests and the API call.
    let trace = server.hub().trace();
    let mine: Vec<String> = (trace.steps.iter())
        .filter(|s| s.kind == StepKind::Request && s.from.as_str() == "learner-client")
        .map(|s| format!("{} {}", s.to, s.wire.lines().next().unwrap_or("")))
        .collect();
    assert_eq!(
        mine,
        [
            "as POST /token HTTP/1.1",
            "rs GET /photos HTTP/1.1",
            "as POST /token HTTP/1.1"
        ],
        "{file}"
    );
    server.shutdown();
}

#[test]
fn the_python_example_completes_code_pkce_api_call_and_refresh() {
    if runtime_available(
        "python3",
        &["-c", "import requests"],
        "python3 with requests",
    ) {
        an_example_completes_the_flow("python3", "examples/live/client.py");
    }
}

#[test]
fn the_javascript_example_completes_code_pkce_api_call_and_refresh() {
    if runtime_available("node", &["--version"], "node") {
        an_example_completes_the_flow("node", "examples/live/client.mjs");
    }
}
