//! Live mode in tests: the world on ephemeral loopback ports, Alice's simulated
//! browser driving it over real HTTP, a blocking one-request-per-connection HTTP client
//! and raw sockets for hostile clients. Every wait is bounded in time.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::actors::browser::Browser;
use crate::actors::well_known as wk;
use crate::actors::{ActorId, Defenses, Profile, UserAction};
use crate::live::{Binding, LiveOptions, LiveServer};
use crate::protocol::http_wire::{self, Request, Response};
use crate::sim::world::DEFAULT_SEED;

/// How long a test waits for the live world to settle.
pub const LIVE_WAIT: Duration = Duration::from_secs(20);

/// The live world under `profile`, on ephemeral ports, with Alice's browser.
pub fn live_world(profile: Profile) -> LiveServer {
    live_world_with(profile.defenses())
}

/// The live world under these defenses, on ephemeral ports, with Alice's browser.
pub fn live_world_with(defenses: Defenses) -> LiveServer {
    LiveServer::start(LiveOptions {
        seed: DEFAULT_SEED,
        defenses,
        binding: Binding::loopback(0),
        with_browser: true,
        sink: None,
    })
    .unwrap_or_else(|e| panic!("live mode starts on ephemeral ports: {e}"))
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
    http_wire::set_header(head.headers_mut(), "user-agent", "oauth-lab-tests");
    let wire = raw_exchange(
        addr,
        http_wire::render_request(&head).as_bytes(),
        LIVE_WAIT,
    );
    http_wire::parse_response(&wire)
        .unwrap_or_else(|e| panic!("the answer is HTTP ({e}):\n{wire}"))
}

/// Writes `bytes` to `addr` and reads until the server closes the connection or
/// `limit` passes; returns what was read (lossy UTF-8).
pub fn raw_exchange(addr: SocketAddr, bytes: &[u8], limit: Duration) -> String {
    let mut stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect {addr}: {e}"));
    stream
        .set_read_timeout(Some(limit))
        .unwrap_or_else(|e| panic!("{e}"));
    // The server may answer (431, 413) and close before it has read everything.
    let _ = stream.write_all(bytes);
    read_until_closed(&mut stream)
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
