//! Hostile TCP clients against live mode's listeners: each gets the answer README
//! "Live mode" documents (src/live/limits.rs), and the server keeps serving others.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use oauth_lab::actors::Profile;
use oauth_lab::live::LiveServer;
use oauth_lab::live::limits::{HEADER_READ_TIMEOUT, MAX_BODY_BYTES};
use oauth_lab::testing::*;

/// The AS still answers a plain metadata request.
fn still_serves(server: &LiveServer) {
    let url = format!(
        "{}/.well-known/oauth-authorization-server",
        server.urls().auth_server
    );
    let resp = live_call(&get(&url));
    assert_eq!(resp.status(), 200, "{}", body_text(&resp));
}

fn as_addr(server: &LiveServer) -> std::net::SocketAddr {
    live_addr(&server.urls().auth_server)
}

#[test]
fn garbage_bytes_get_400_and_the_server_keeps_serving() {
    let server = live_world(Profile::Bcp);
    let answer = raw_exchange(
        as_addr(&server),
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not HTTP at all\r\n\r\n",
        Duration::from_secs(10),
    );
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer:?}");
    still_serves(&server);
    server.shutdown();
}

#[test]
fn a_one_mebibyte_header_block_gets_431() {
    let server = live_world(Profile::Bcp);
    let mut request = b"GET /jwks HTTP/1.1\r\nHost: as\r\n".to_vec();
    let filler = "x".repeat(1000);
    while request.len() < 1024 * 1024 {
        request.extend_from_slice(format!("X-Filler: {filler}\r\n").as_bytes());
    }
    request.extend_from_slice(b"\r\n");
    let answer = raw_exchange(as_addr(&server), &request, Duration::from_secs(10));
    assert!(
        answer.starts_with("HTTP/1.1 431"),
        "{:?}",
        &answer[..answer.len().min(200)]
    );
    still_serves(&server);
    server.shutdown();
}

#[test]
fn a_body_over_the_limit_gets_413() {
    let server = live_world(Profile::Bcp);
    let body = vec![b'a'; MAX_BODY_BYTES + 1];
    let mut request = format!(
        "POST /token HTTP/1.1\r\nHost: as\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(&body);
    let answer = raw_exchange(as_addr(&server), &request, Duration::from_secs(10));
    assert!(
        answer.starts_with("HTTP/1.1 413"),
        "{:?}",
        &answer[..answer.len().min(200)]
    );
    // The listener recorded why it refused, without handing the body to the AS.
    let trace = server.hub().trace();
    let refusal = trace
        .steps
        .iter()
        .find(|s| s.summary.get().contains("refused by the listener: 413"))
        .expect("the refusal is in the live trace");
    assert!(
        refusal.annotation.contains("limit"),
        "{}",
        refusal.annotation
    );
    still_serves(&server);
    server.shutdown();
}

#[test]
fn a_client_sending_one_byte_a_second_is_cut_off_and_others_are_served() {
    let server = live_world(Profile::Bcp);
    let mut slow = TcpStream::connect(as_addr(&server)).expect("connect");
    slow.set_read_timeout(Some(Duration::from_millis(900)))
        .expect("a read timeout");
    let request = b"GET /.well-known/oauth-authorization-server HTTP/1.1\r\nHost: as\r\n\r\n";
    let seconds = HEADER_READ_TIMEOUT.as_secs() as usize + 3;
    let mut closed = false;
    for (i, byte) in request.iter().take(seconds).enumerate() {
        if slow.write_all(&[*byte]).is_err() {
            closed = true;
            break;
        }
        let mut buf = [0u8; 256];
        // Waits about a second (the read timeout) between bytes.
        match slow.read(&mut buf) {
            Ok(0) => {
                closed = true;
                break;
            }
            Ok(n) => panic!(
                "no answer is due, got {:?}",
                String::from_utf8_lossy(&buf[..n])
            ),
            Err(_) => {}
        }
        if i == 1 {
            // Meanwhile, a normal client is served.
            still_serves(&server);
        }
    }
    assert!(
        closed,
        "the header read timeout ({HEADER_READ_TIMEOUT:?}) closed the slow connection"
    );
    still_serves(&server);
    server.shutdown();
}

#[test]
fn a_thousand_idle_connections_do_not_lock_others_out() {
    let server = live_world(Profile::Bcp);
    let idle: Vec<TcpStream> = (0..1000)
        .map(|_| TcpStream::connect(as_addr(&server)).expect("connect"))
        .collect();
    // The listener makes room by closing the oldest idle connections.
    still_serves(&server);
    let mut first = idle[0].try_clone().expect("clone");
    first
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("a read timeout");
    let mut buf = [0u8; 16];
    assert!(
        matches!(first.read(&mut buf), Ok(0)),
        "the oldest idle connection was closed to make room"
    );
    drop(idle);
    still_serves(&server);
    server.shutdown();
}
