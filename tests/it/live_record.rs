//! `oauth-lab serve --record`: a live session on ephemeral ports — Alice's simulated
//! browser through Photo Printer's flow over real HTTP, curl and a learner's client
//! calling the AS and the RS, a defense toggled half-way — written as a scenario file
//! that replays in-process (through the library and through `run --scenario`) with
//! the same exchanges and the same tokens, byte-identical from one replay to the next.

use oauth_lab::actors::well_known as wk;
use oauth_lab::actors::{ActorId, Profile, UserAction};
use oauth_lab::live::hold::request_line as hold_request_line;
use oauth_lab::live::parties::{LEARNER_APP_ID, LEARNER_APP_SECRET};
use oauth_lab::live::record::{RecordError, Recorder};
use oauth_lab::live::record_check::{Exchange, divergence, exchange, start_up_len};
use oauth_lab::sim::{LearnerInput, Step, StepKind, Trace};
use oauth_lab::testing::*;
use oauth_lab::world::WorldSpec;

/// The trace's exchanges ([`exchange`]): the start-up ones (before `first_input`), whose
/// order over real sockets is the network's, sorted; every later one in order.
fn in_order(trace: &Trace, first_input: usize) -> (Vec<Exchange>, Vec<Exchange>) {
    let (start, rest) = trace.steps.split_at(first_input.min(trace.steps.len()));
    let mut start: Vec<Exchange> = start.iter().map(exchange).collect();
    start.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    (start, rest.iter().map(exchange).collect())
}

/// The recording at `path` of the `live` session replays it: in-process and through
/// `run --scenario`, the same exchanges step for step after start-up (events
/// included), the same answers byte for byte, the same trace every time; returns the
/// replay.
fn assert_replays_as_live(path: &std::path::Path, live: &Trace) -> Trace {
    let scenario = oauth_lab::scenario::load_file(path)
        .unwrap_or_else(|e| panic!("the recording reads back: {e}"));
    let world = &scenario.world;
    let first = start_up_len(world);
    let replayed = world.run().sim.into_trace();
    assert_eq!(in_order(&replayed, first), in_order(live, first));
    assert_eq!(replayed.defenses, live.defenses);
    let responses = |t: &Trace| {
        (t.steps[first..].iter())
            .filter(|s| s.kind == StepKind::Response)
            .map(|s| s.wire.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(responses(&replayed), responses(live));
    assert_eq!(divergence(world, live), None);

    let again = world.run().sim.into_trace();
    assert_eq!(replayed.to_json(), again.to_json());
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
    replayed
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
    let recorded = recorder.finish(&live).expect("the recording is written");
    assert_eq!(recorded.divergence, None);
    let inputs = recorded.inputs;
    // The end line's words count the same inputs, clock readings apart from requests.
    assert!(
        recorded.in_words.contains("1 defense change"),
        "{}",
        recorded.in_words
    );
    assert!(
        !recorded.in_words.contains("input"),
        "{}",
        recorded.in_words
    );

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
    // Without the intercept's inputs the file keeps format version 3.
    let text = std::fs::read_to_string(&path).expect("the recording");
    assert!(text.starts_with("version = 3\n"), "{text}");

    // The replay has the same exchanges as the live run, step for step after start-up,
    // and signs the same token: same RNG streams, same URLs, same second on the clock.
    let replayed = assert_replays_as_live(&path, &live);
    assert_eq!(first_access_token(&replayed), access);
    assert!(!replayed.defenses.state);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A session whose every request to the AS waits at the intercept while Alice signs in:
/// each is forwarded as it was but the client's token request (back channel, RFC 6749
/// §4.1.3), which `how` decides. Returns the live trace and the recording's path.
fn session_with_held_token_request(
    name: &str,
    how: impl Fn(&str) -> Release,
) -> (Trace, std::path::PathBuf) {
    let dir = scratch_dir("live-record", name);
    let path = dir.join("session.toml");
    let (server, recorder) = live_world_recording(Profile::Rfc6749, &path);
    assert!(server.wait_idle(LIVE_WAIT), "start-up settles");
    let holds = server.hub().holds();
    holds.set_only_to(Some(ActorId::new(wk::AS)));
    holds.set_on(true);
    let urls = server.urls().clone();
    let browser = ActorId::new(wk::BROWSER);
    let url = format!("{}/login", urls.client);
    assert!(server.hub().input(&browser, UserAction::Navigate { url }));
    let released = live_release_until_idle(&server, |h| {
        Some(match h.wire.starts_with("POST /token ") {
            true => how(&h.wire),
            false => Release::Forward,
        })
    });
    let token_requests: Vec<_> = (released.iter())
        .filter(|(h, _)| h.wire.starts_with("POST /token "))
        .collect();
    assert_eq!(token_requests.len(), 1, "{released:?}");
    assert_eq!(token_requests[0].0.from.as_str(), wk::CLIENT);
    assert!(
        released.len() > 1,
        "the browser's requests to the AS were held too"
    );
    let live = server.hub().trace();
    server.shutdown();
    let recorded = recorder.finish(&live).expect("the recording is written");
    assert_eq!(recorded.divergence, None);
    let text = std::fs::read_to_string(&path).expect("the recording");
    assert!(text.starts_with("version = 4\n"), "{text}");
    assert!(!text.contains("not faithfully"), "{text}");
    (live, path)
}

/// The token request with its `code` made up (the same length: Content-Length holds).
fn with_made_up_code(wire: &str) -> String {
    let (head, body) = wire.split_once("\r\n\r\n").expect("a body");
    let body: Vec<String> = (body.split('&'))
        .map(|pair| match pair.strip_prefix("code=") {
            Some(code) => format!("code={}", "x".repeat(code.len())),
            None => pair.to_string(),
        })
        .collect();
    format!("{head}\r\n\r\n{}", body.join("&"))
}

/// The AS's answers to the client's token requests (status lines).
/// The first answer the client got whose wire text passes `is_it`; fails naming `what`.
fn answer_to_client<'a>(live: &'a Trace, what: &str, is_it: impl Fn(&str) -> bool) -> &'a Step {
    (live.steps.iter())
        .find(|s| s.kind == StepKind::Response && s.to.as_str() == wk::CLIENT && is_it(&s.wire))
        .unwrap_or_else(|| panic!("the client never got {what}"))
}

fn token_answers(trace: &Trace) -> Vec<String> {
    (trace.steps.iter())
        .filter(|s| s.kind == StepKind::Response && s.from.as_str() == wk::AS)
        .filter(|s| s.to.as_str() == wk::CLIENT)
        .filter(|s| s.wire.contains("\"access_token\"") || s.wire.contains("\"error\""))
        .map(|s| s.wire.lines().next().unwrap_or("").to_string())
        .collect()
}

#[test]
fn a_back_channel_request_edited_at_the_intercept_replays_as_it_went_live() {
    let (live, path) =
        session_with_held_token_request("edited", |wire| Release::Edit(with_made_up_code(wire)));
    // The AS handled the learner's text: a code it never issued (RFC 6749 §5.2).
    let answer = answer_to_client(&live, "the AS's refusal of the made-up code", |w| {
        w.contains("invalid_grant")
    });
    assert!(answer.wire.starts_with("HTTP/1.1 400"), "{}", answer.wire);
    let scenario = oauth_lab::scenario::load_file(&path).expect("the recording reads back");
    let inputs: Vec<&LearnerInput> = scenario.world.inputs.iter().map(|(_, i)| i).collect();
    let edited = inputs.iter().find_map(|i| match i {
        LearnerInput::Intercepted {
            from,
            edited: Some(wire),
            ..
        } if from.as_str() == wk::CLIENT => Some(wire),
        _ => None,
    });
    assert!(edited.is_some_and(|w| w.contains("code=xxx")), "{inputs:?}");
    assert!(
        inputs.iter().any(
            |i| matches!(i, LearnerInput::HoldSent { from, .. } if from.as_str() == wk::CLIENT)
        )
    );

    let replayed = assert_replays_as_live(&path, &live);
    let answers = token_answers(&replayed);
    assert_eq!(answers, token_answers(&live));
    assert_eq!(answers, ["HTTP/1.1 400 Bad Request"]);
    // Without what the intercept did, the replay would sign Alice in: the check says so.
    let mut without = scenario.world.clone();
    without.inputs.retain(|(_, i)| !i.is_live_intercept());
    let why = divergence(&without, &live).expect("a replay without the edit diverges");
    assert!(why.contains("differs"), "{why}");
    let _ = std::fs::remove_dir_all(path.parent().expect("the scratch dir"));
}

#[test]
fn a_back_channel_request_dropped_at_the_intercept_replays_as_it_went_live() {
    let (live, path) = session_with_held_token_request("dropped", |_| Release::Drop);
    // The client got the intercept's 502 (RFC 9110 §15.6.3); the AS never saw it.
    let answer = answer_to_client(&live, "the 502", |w| w.starts_with("HTTP/1.1 502"));
    assert!(answer.wire.contains("dropped"), "{}", answer.wire);
    assert!(!(live.steps.iter()).any(|s| s.kind == StepKind::Request
        && s.to.as_str() == wk::AS
        && s.wire.starts_with("POST /token")));
    let replayed = assert_replays_as_live(&path, &live);
    let got_502 = |t: &Trace| {
        (t.steps.iter())
            .filter(|s| s.to.as_str() == wk::CLIENT && s.wire.starts_with("HTTP/1.1 502"))
            .count()
    };
    assert_eq!(got_502(&replayed), 1);
    let _ = std::fs::remove_dir_all(path.parent().expect("the scratch dir"));
}

#[test]
fn outside_requests_held_at_the_intercept_replay_as_they_went_live() {
    let dir = scratch_dir("live-record", "outside");
    let path = dir.join("session.toml");
    let (server, recorder) = live_world_recording(Profile::Bcp, &path);
    assert!(server.wait_idle(LIVE_WAIT), "start-up settles");
    server.hub().holds().set_on(true);
    let jwks = format!("{}/jwks", server.urls().auth_server);
    // Forwarded with the learner's edit (another path), then one dropped.
    let call = live_call_in_background(get(&jwks));
    let held = live_wait_held(&server, 1);
    let edited = held[0].wire.replacen(
        "GET /jwks ",
        "GET /.well-known/oauth-authorization-server ",
        1,
    );
    assert!(server.hub().holds().forward(held[0].id, Some(edited)));
    let metadata = call.join().expect("caller");
    assert_eq!(json(&metadata)["issuer"], server.urls().auth_server);
    let call = live_call_in_background(get(&jwks));
    let held = live_wait_held(&server, 1);
    assert!(server.hub().holds().drop_held(held[0].id));
    assert_eq!(call.join().expect("caller").status(), 502);
    assert!(server.wait_idle(LIVE_WAIT));
    let live = server.hub().trace();
    server.shutdown();
    let recorded = recorder.finish(&live).expect("the recording is written");
    assert_eq!(recorded.divergence, None);

    let scenario = oauth_lab::scenario::load_file(&path).expect("the recording reads back");
    let kinds: Vec<String> = (scenario.world.inputs.iter())
        .filter(|(_, i)| !matches!(i, LearnerInput::ClockAt { .. }))
        .map(|(_, i)| match i {
            LearnerInput::External { wire, .. } => hold_request_line(wire),
            LearnerInput::Intercepted {
                request,
                edited,
                answer,
                ..
            } => format!(
                "intercepted {request} {:?} {:?}",
                edited.is_some(),
                answer.is_some()
            ),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "intercepted GET /jwks false false",
            "GET /.well-known/oauth-authorization-server",
            "intercepted GET /jwks false false",
        ]
    );
    assert_replays_as_live(&path, &live);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `oauth-lab serve --no-tui --port-base 0 --record PATH`, to its end (it ends only
/// when refused).
fn serve_recording_to(path: &std::path::Path) -> Ran {
    let path = path.to_string_lossy();
    let args = ["serve", "--no-tui", "--port-base", "0", "--record", &path];
    run_program(crate::BIN, &args, "")
}

#[test]
fn record_into_a_missing_folder_ends_before_the_servers_start() {
    let dir = scratch_dir("live-record", "missing-folder");
    let folder = dir.join("no-such-folder");
    let path = folder.join("session.toml");
    let ran = serve_recording_to(&path);
    assert!(!ran.success(), "{}", ran.stderr);
    assert_eq!(
        ran.stdout, "",
        "no server started, so no message was logged"
    );
    let expected = format!(
        "error: cannot write the recording {}: the folder {} does not exist\n",
        path.display(),
        folder.display()
    );
    assert_eq!(ran.stderr, expected);
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

    let ran = serve_recording_to(&path);
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
        rest.iter().any(|l| l.starts_with("Recorded 1 request")
            && !l.contains("input")
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

#[test]
fn the_end_line_names_each_kind_of_recorded_input_in_words() {
    use oauth_lab::live::record::inputs_in_words;
    let clock = |ms| (0, LearnerInput::ClockAt { ms });
    let defense = (
        0,
        LearnerInput::Defense {
            name: "state".into(),
            value: "off".into(),
        },
    );
    assert_eq!(inputs_in_words(&[]), "nothing");
    assert_eq!(
        inputs_in_words(&[clock(1000), defense.clone(), clock(2000)]),
        "1 defense change, 2 clock readings"
    );
}
