//! Live mode in tests: the world on ephemeral loopback ports, Alice's simulated
//! browser driving it over real HTTP, a blocking one-request-per-connection HTTP client
//! and raw sockets for hostile clients. Every wait is bounded in time.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::actors::browser::Browser;
use crate::actors::well_known as wk;
use crate::actors::{ActorId, Defenses, Profile, UserAction};
use crate::live::record::Recorder;
use crate::live::{AttackSite, Binding, LiveOptions, LiveServer};
use crate::protocol::http_wire::{self, Request, Response};
use crate::sim::world::DEFAULT_SEED;
use crate::world::{LiveSite, WorldSpec};

/// How long a test waits for the live world to settle.
pub const LIVE_WAIT: Duration = Duration::from_secs(20);

/// The live world under `profile`, on ephemeral ports, with Alice's browser.
pub fn live_world(profile: Profile) -> LiveServer {
    live_world_with(profile.defenses())
}

/// The live world under these defenses, on ephemeral ports, with Alice's browser.
pub fn live_world_with(defenses: Defenses) -> LiveServer {
    start_live(defenses, true, None)
}

/// The live world under these defenses, on ephemeral ports, with Alice's browser and
/// the attacker's site of `attack` as a fourth party.
pub fn live_attack_world(attack: AttackSite, defenses: Defenses) -> LiveServer {
    start_live(defenses, true, Some(attack))
}

/// The live world under `profile`, on ephemeral ports, without a simulated browser:
/// the browser is a real one outside.
pub fn live_world_for_real_browser(profile: Profile) -> LiveServer {
    start_live(profile.defenses(), false, None)
}

fn start_live(defenses: Defenses, with_browser: bool, attack: Option<AttackSite>) -> LiveServer {
    LiveServer::start(LiveOptions {
        seed: DEFAULT_SEED,
        defenses,
        binding: Binding::loopback(0),
        with_browser,
        sink: None,
        inputs: None,
        attack,
    })
    .unwrap_or_else(|e| panic!("live mode starts on ephemeral ports: {e}"))
}

/// The live world under `profile`, on ephemeral ports, with Alice's browser, recorded
/// to `path` (`serve --record`): every step's clock and every input from outside.
pub fn live_world_recording(profile: Profile, path: &std::path::Path) -> (LiveServer, Recorder) {
    let spec = WorldSpec::happy_path(DEFAULT_SEED, profile);
    let mut recorder = Recorder::create(path, false, spec)
        .unwrap_or_else(|e| panic!("a recording starts at {}: {e}", path.display()));
    let server = LiveServer::start(LiveOptions {
        seed: DEFAULT_SEED,
        defenses: profile.defenses(),
        binding: Binding::loopback(0),
        with_browser: true,
        sink: Some(recorder.step_sink()),
        inputs: Some(recorder.input_sink()),
        attack: None,
    })
    .unwrap_or_else(|e| panic!("live mode starts on ephemeral ports: {e}"));
    recorder
        .begin(LiveSite::of(server.urls(), true))
        .unwrap_or_else(|e| panic!("the recording is written: {e}"));
    (server, recorder)
}

/// Alice types `url` into her (simulated) browser; returns once the world is idle.
pub fn live_browse(server: &LiveServer, url: &str) {
    let sent = server.hub().input(
        &ActorId::new(wk::BROWSER),
        UserAction::Navigate {
            url: url.to_string(),
        },
    );
    assert!(sent, "the live world has Alice's browser");
    assert!(
        server.wait_idle(LIVE_WAIT),
        "the live world settles within {LIVE_WAIT:?}"
    );
}

/// The page Alice's browser shows: (URL, title, text).
pub fn live_page(server: &LiveServer) -> (String, String, String) {
    server
        .hub()
        .with_actor::<Browser, _>(wk::BROWSER, |b| {
            (
                b.current_url().unwrap_or("").to_string(),
                b.current_title().unwrap_or("").to_string(),
                b.current_text().unwrap_or("").to_string(),
            )
        })
        .unwrap_or_default()
}

/// Sends `req` (an absolute `http://` URL) on a fresh connection and reads the whole
/// answer (`Connection: close`).
pub fn live_call(req: &Request) -> Response {
    live_call_as(req, "oauth-lab-tests")
}

/// [`live_call`] with this `User-Agent` (`curl/8.5.0` draws it in curl's lane).
pub fn live_call_as(req: &Request, user_agent: &str) -> Response {
    let uri = req.uri();
    let addr: SocketAddr = format!(
        "{}:{}",
        uri.host().unwrap_or("127.0.0.1"),
        uri.port_u16().unwrap_or(80)
    )
    .parse()
    .unwrap_or_else(|e| panic!("{uri} names an IP address and port: {e}"));
    let mut head = req.clone();
    let pq = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    *head.uri_mut() = pq.parse().unwrap_or_default();
    http_wire::set_header(head.headers_mut(), "host", &addr.to_string());
    http_wire::set_header(head.headers_mut(), "connection", "close");
    http_wire::set_header(head.headers_mut(), "user-agent", user_agent);
    let wire = raw_exchange(addr, http_wire::render_request(&head).as_bytes(), LIVE_WAIT);
    http_wire::parse_response(&wire).unwrap_or_else(|e| panic!("the answer is HTTP ({e}):\n{wire}"))
}

/// Writes `bytes` to `addr` (from a thread of its own, so that an early answer such as
/// a 431 is read while the rest is still being written) and reads until the server
/// closes the connection or `limit` passes; returns what was read (lossy UTF-8).
pub fn raw_exchange(addr: SocketAddr, bytes: &[u8], limit: Duration) -> String {
    let mut stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect {addr}: {e}"));
    stream
        .set_read_timeout(Some(limit))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut writer = stream.try_clone().unwrap_or_else(|e| panic!("{e}"));
    let bytes = bytes.to_vec();
    // The server may answer and close before it has read everything: a failed write
    // is part of the exchange.
    let writing = std::thread::spawn(move || {
        let _ = writer.write_all(&bytes);
    });
    let answer = read_until_closed(&mut stream);
    let _ = writing.join();
    answer
}

/// Everything the server sends until it closes (or the read timeout passes).
pub fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The socket address of a live base URL (`http://127.0.0.2:40123`).
pub fn live_addr(url: &str) -> SocketAddr {
    crate::live::parties::host_of(url)
        .parse()
        .unwrap_or_else(|e| panic!("{url} is http://IP:PORT: {e}"))
}

/// A loopback redirect URI with one listener behind it, as a native app or a learner's
/// script opens one (RFC 8252 §7.3): it answers the first request with a short page and
/// hands its request target to the test.
pub struct RedirectCatcher {
    pub port: u16,
    target: std::sync::mpsc::Receiver<String>,
}

impl RedirectCatcher {
    /// Listens on 127.0.0.1 on an ephemeral port, for one request within [`LIVE_WAIT`].
    pub fn start() -> RedirectCatcher {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap_or_else(|e| panic!("bind a loopback port: {e}"));
        let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
        let (tx, rx) = std::sync::mpsc::channel();
        let _ = listener.set_nonblocking(true);
        std::thread::spawn(move || {
            let until = std::time::Instant::now() + LIVE_WAIT;
            while std::time::Instant::now() < until {
                let Ok((mut stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                let _ = stream.set_nonblocking(false);
                let _ = stream.set_read_timeout(Some(LIVE_WAIT));
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
                    head.push(byte[0]);
                }
                let text = String::from_utf8_lossy(&head).into_owned();
                let target = text.split(' ').nth(1).unwrap_or("").to_string();
                let page = "signed in; you can close this tab";
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{page}",
                    page.len()
                );
                let _ = tx.send(target);
                return;
            }
        });
        RedirectCatcher { port, target: rx }
    }

    /// `http://127.0.0.1:{port}/callback`.
    pub fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}/callback", self.port)
    }

    /// The target of the request that reached it (`/callback?code=…`).
    pub fn target(&self) -> String {
        self.target
            .recv_timeout(LIVE_WAIT)
            .unwrap_or_else(|_| panic!("nothing reached {} in time", self.redirect_uri()))
    }
}

/// A code the live AS issued to a learner client, and the redirect URI it went to.
pub struct LiveGrant {
    pub code: String,
    pub redirect_uri: String,
}

/// Alice approves `client_id` at the live AS (scope `openid photos.read`, the RFC 7636
/// challenge of [`super::VERIFIER`]); the code reaches a loopback redirect URI.
pub fn live_learner_code(server: &LiveServer, client_id: &str) -> LiveGrant {
    let catcher = RedirectCatcher::start();
    let redirect_uri = catcher.redirect_uri();
    let query = crate::protocol::params::Params::from_pairs([
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", redirect_uri.as_str()),
        ("scope", "openid photos.read"),
        ("state", "live-state"),
        ("code_challenge", super::CHALLENGE),
        ("code_challenge_method", "S256"),
    ])
    .encode();
    live_browse(
        server,
        &format!("{}/authorize?{query}", server.urls().auth_server),
    );
    let target = catcher.target();
    let code = super::query_of(&target)
        .first("code")
        .unwrap_or_else(|| panic!("a code in {target}"))
        .to_string();
    LiveGrant { code, redirect_uri }
}

/// `learner-app`'s token request of form `pairs` at the live AS (`client_secret_basic`).
pub fn live_token_request(server: &LiveServer, pairs: &[(&str, &str)]) -> Request {
    use crate::live::parties::{LEARNER_APP_ID, LEARNER_APP_SECRET};
    use crate::protocol::requests::{ClientAuth, TokenRequest};
    TokenRequest::from_params(crate::protocol::params::Params::from_pairs(
        pairs.iter().copied(),
    ))
    .client_auth(&ClientAuth::basic(LEARNER_APP_ID, LEARNER_APP_SECRET))
    .to_request(&format!("{}/token", server.urls().auth_server))
}

/// Sends every request at once, one thread each, released together; the answers in
/// order.
pub fn live_call_all(requests: Vec<Request>) -> Vec<Response> {
    let gate = std::sync::Arc::new(std::sync::Barrier::new(requests.len()));
    let threads: Vec<_> = requests
        .into_iter()
        .map(|req| {
            let gate = std::sync::Arc::clone(&gate);
            std::thread::spawn(move || {
                gate.wait();
                live_call(&req)
            })
        })
        .collect();
    threads
        .into_iter()
        .map(|t| {
            t.join()
                .unwrap_or_else(|_| panic!("a request thread panicked"))
        })
        .collect()
}
