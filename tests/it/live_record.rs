//! `oauth-lab serve --record`: a live session on ephemeral ports — Alice's simulated
//! browser through Photo Printer's flow over real HTTP, curl and a learner's client
//! calling the AS and the RS, a defense toggled half-way — written as a scenario file
//! that replays in-process (through the library and through `run --scenario`) with
//! the same exchanges and the same tokens, byte-identical from one replay to the next.

use oauth_lab::actors::Profile;
use oauth_lab::actors::well_known as wk;
use oauth_lab::live::parties::{LEARNER_APP_ID, LEARNER_APP_SECRET};
use oauth_lab::live::record::{RecordError, Recorder};
use oauth_lab::sim::{LearnerInput, StepKind, Trace};
use oauth_lab::testing::*;
use oauth_lab::world::WorldSpec;

/// One step as compared between the live run and its replay: sender, receiver, kind,
/// and the first line of its wire text (status line, or method and target with the
/// codes and states of its query). On the bus a party's own request line is in
/// absolute form (`GET http://127.0.0.2:9001/jwks`), over TCP in origin form with a
/// `Host` header (RFC 9112 §3.2): the target is compared as its path and query.
type Exchange = (String, String, StepKind, String);

fn exchanges(steps: &[oauth_lab::sim::Step]) -> Vec<Exchange> {
    steps
        .iter()
        .map(|s| {
            let first = s.wire.lines().next().unwrap_or("");
            let line = match first.split(' ').collect::<Vec<_>>()[..] {
                [method, target, _] if !first.starts_with("HTTP/") => {
                    let origin_form = match target.split_once("://") {
                        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
                        None => target,
                    };
                    format!("{method} {origin_form}")
                }
                _ => first.to_string(),
            };
            (s.from.to_string(), s.to.to_string(), s.kind, line)
        })
        .collect()
}

/// The trace's exchanges: the start-up ones (before `first_input`), whose order over
/// real sockets is the network's, sorted; every later one in order.
fn in_order(trace: &Trace, first_input: usize) -> (Vec<Exchange>, Vec<Exchange>) {
    let (start, rest) = trace.steps.split_at(first_input.min(trace.steps.len()));
    let mut start = exchanges(start);
    start.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    (start, exchanges(rest))
}

/// The `access_token` of the AS's first 200 answer to a token request.
fn first_access_token(trace: &Trace) -> String {
    trace
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Response && s.from.as_str() == wk::AS)
        .filter(|s| s.wire.starts_with("HTTP/1.1 200"))
        .filter_map(|s| {
            serde_json::from_str::<serde_json::Value>(s.wire.split("\r\n\r\n").nth(1)?).ok()
        })
        .find_map(|j| j["access_token"].as_str().map(str::to_string))
        .expect("a token response with an access token")
}

#[test]
fn a_recorded_live_session_replays_in_process_with_the_same_exchanges_and_tokens() {
    let dir = scratch_dir("live-record", "session");
    let path = dir.join("session.toml");
    let (server, recorder) = live_world_recording(Profile::Rfc6749, &path);
    let urls = server.urls().clone();

    // Alice signs in to Photo Printer in her (simulated) browser, over real HTTP.
    live_browse(&server, &format!("{}/login", urls.client));
    assert_eq!(live_page(&server).1, "Your photos");
    let access = first_access_token(&server.hub().trace());

    // curl reads the metadata and calls the API with Photo Printer's token (a bearer
    // token under RFC 6749's defenses).
    let curl = |req| live_call_as(&req, "curl/8.5.0");
    let metadata = curl(get(&format!(
        "{}/.well-known/oauth-authorization-server",
        urls.auth_server
    )));
    assert_eq!(metadata.status(), 200);
    let photos = curl(with_bearer(
        get(&format!("{}/photos", urls.resource_server)),
        Some(&access),
    ));
    assert_eq!(photos.status(), 200, "{}", body_text(&photos));

    // The learner's client introspects the token and redeems a code it made up.
    let introspection = live_call(&with_header(
        post_form(
            &format!("{}/introspect", urls.auth_server),
            &[("token", access.as_str())],
        ),
        "authorization",
        &basic(LEARNER_APP_ID, LEARNER_APP_SECRET),
    ));
    assert_eq!(json(&introspection)["active"], true);
    let made_up = live_call(&live_token_request(
        &server,
        &redemption_pairs("made-up-code", "http://127.0.0.1:8080/callback"),
    ));
    assert_eq!(made_up.status(), 400);
    assert_eq!(error_code(&made_up), "invalid_grant");

    // A defense toggled half-way applies to the next request, and is recorded.
    let mut defenses = server.hub().defenses();
    defenses.state = false;
    server.hub().set_defenses(defenses.clone());
    assert_eq!(
        curl(get(&format!("{}/jwks", urls.auth_server))).status(),
        200
    );
    assert!(server.wait_idle(LIVE_WAIT));
    let live = server.hub().trace();
    server.shutdown();
    let inputs = recorder.finish().expect("the recording is written");

    // The file holds what came from outside, as inputs, in arrival order.
    let scenario = oauth_lab::scenario::load_file(&path)
        .unwrap_or_else(|e| panic!("the recording reads back: {e}"));
    let world = &scenario.world;
    assert_eq!(world.inputs.len(), inputs);
    let site = world.live.as_ref().expect("a live world");
    assert_eq!(site.auth_server, urls.auth_server);
    let kinds: Vec<String> = (world.inputs.iter())
        .filter(|(_, i)| !matches!(i, LearnerInput::ClockAt { .. }))
        .map(|(_, i)| match i {
            LearnerInput::External { lane, to, wire } => {
                let line = wire.lines().next().unwrap_or("");
                let path = line.split(' ').nth(1).unwrap_or("");
                format!(
                    "{} → {to} {}",
                    lane.id(),
                    path.split('?').next().unwrap_or("")
                )
            }
            LearnerInput::Act { to, .. } => format!("act {to}"),
            LearnerInput::Defense { name, value } => format!("defense {name}={value}"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "act browser",
            "curl → as /.well-known/oauth-authorization-server",
            "curl → rs /photos",
            "learner-client → as /introspect",
            "learner-client → as /token",
            "defense state=off",
            "curl → as /jwks",
        ]
    );
    let at = |n: usize| {
        world
            .inputs
            .iter()
            .filter(|(_, i)| !matches!(i, LearnerInput::ClockAt { .. }))
            .nth(n)
            .map(|(at, _)| *at)
    };
    let first = at(0).expect("a first input");

    // The replay has the same exchanges as the live run, step for step after start-up,
    // and signs the same token: same RNG streams, same URLs, same second on the clock.
    let replayed = world.run().sim.into_trace();
    assert_eq!(in_order(&replayed, first), in_order(&live, first));
    assert_eq!(first_access_token(&replayed), access);
    assert_eq!(replayed.defenses, live.defenses);
    assert!(!replayed.defenses.state);
    // Every answer after start-up is the same text: statuses, codes, cookies, tokens.
    let responses = |t: &Trace| {
        (t.steps[first..].iter())
            .filter(|s| s.kind == StepKind::Response)
            .map(|s| s.wire.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(responses(&replayed), responses(&live));

    // Replaying twice gives the same trace, byte for byte.
    let again = world.run().sim.into_trace();
    assert_eq!(replayed.to_json(), again.to_json());

    // The command line replays the file too, the same way each time.
    let run = || {
        run_program(
            crate::BIN,
            &[
                "run",
                "--scenario",
                &path.to_string_lossy(),
                "--format",
                "json",
            ],
            "",
        )
    };
    let (one, two) = (run(), run());
    assert!(one.success(), "{}", one.stderr);
    assert_eq!(one.stdout, two.stdout);
    assert_eq!(one.stdout.trim_end(), replayed.to_json().trim_end());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_recording_never_overwrites_a_file_unless_forced() {
    let dir = scratch_dir("live-record", "exists");
    let path = dir.join("taken.toml");
    std::fs::write(&path, "not mine").expect("a file to protect");
    let world = WorldSpec::happy_path(1, Profile::Bcp);
    let refused = Recorder::create(&path, false, world.clone()).err();
    assert!(
        matches!(&refused, Some(RecordError::Exists(p)) if *p == path),
        "{:?}",
        refused.map(|e| e.to_string())
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "not mine");
    assert!(Recorder::create(&path, true, world).is_ok());

    let ran = run_program(
        crate::BIN,
        &[
            "serve",
            "--port-base",
            "0",
            "--record",
            &path.to_string_lossy(),
        ],
        "",
    );
    assert!(!ran.success(), "{}", ran.stderr);
    assert!(ran.stderr.contains("already exists"), "{}", ran.stderr);
    assert!(ran.stderr.contains("--force"), "{}", ran.stderr);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "not mine");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn serve_record_writes_the_session_as_it_goes_and_on_sigterm() {
    let dir = scratch_dir("live-record", "cli");
    let path = dir.join("cli.toml");
    let mut child = oauth_lab::testing::Program::new(crate::BIN)
        .args(["serve", "--port-base", "0", "--record"])
        .args([&path])
        .start();
    // The banner (on stderr) names the AS's URL.
    let rx = lines_of(child.stderr.take().expect("a piped stderr"));
    let (as_url, said) = wait_for_line(&rx, LIVE_WAIT, |line| {
        let rest = line.trim().strip_prefix("Authorization server (issuer)")?;
        Some(rest.trim().to_string())
    });
    assert!(
        said.iter().any(|l| l.contains("Recording the session to")),
        "{said:?}"
    );
    let jwks = live_call_as(&get(&format!("{as_url}/jwks")), "curl/8.5.0");
    assert_eq!(jwks.status(), 200);

    // Written as it goes: the request is in the file before the server stops.
    let until = std::time::Instant::now() + LIVE_WAIT;
    while !std::fs::read_to_string(&path).is_ok_and(|t| t.contains("GET /jwks"))
        && std::time::Instant::now() < until
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let early = oauth_lab::scenario::load_file(&path).expect("the file reads while serving");
    let requests = |w: &WorldSpec| {
        (w.inputs.iter())
            .filter(|(_, i)| matches!(i, LearnerInput::External { .. }))
            .count()
    };
    assert_eq!(requests(&early.world), 1, "{:?}", early.world.inputs);

    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let ran = finished_within(child, LIVE_WAIT, "serve after SIGTERM");
    assert!(ran.success(), "exit {:?}", ran.code);
    // The reader ends with the child's stderr.
    let rest: Vec<String> = std::iter::from_fn(|| rx.recv_timeout(LIVE_WAIT).ok()).collect();
    let path_text = path.display().to_string();
    assert!(
        rest.iter().any(|l| l.starts_with("Recorded ")
            && l.contains(&format!("oauth-lab run --scenario {path_text}"))),
        "{rest:?}"
    );
    let scenario = oauth_lab::scenario::load_file(&path).expect("the recording reads back");
    let trace = scenario.world.run().sim.into_trace();
    let answer = (trace.steps.iter())
        .find(|s| s.kind == StepKind::Response && s.to.as_str() == "curl")
        .expect("the replay answers curl");
    assert!(answer.wire.starts_with("HTTP/1.1 200"), "{}", answer.wire);
    let _ = std::fs::remove_dir_all(&dir);
}
