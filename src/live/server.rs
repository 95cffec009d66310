//! One listener: accepts connections for one party, serves HTTP/1.1 on them with
//! hyper under live mode's limits, and turns each real request into the wire text the
//! party's actor handles — and the actor's answer back into a real response.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use super::conn_table::{ConnSlot, ConnTable};
use super::hub::Hub;
use super::lanes::Lane;
use super::limits;
use crate::actors::ActorId;
use crate::protocol::http_wire;

/// Accepts connections for `party` until `stop` says so; then waits (up to the
/// shutdown deadline) for the connections to finish their requests.
pub async fn run(
    hub: Arc<Hub>,
    listener: TcpListener,
    party: ActorId,
    table: Arc<ConnTable>,
    mut stop: watch::Receiver<bool>,
) {
    let mut connections = tokio::task::JoinSet::new();
    let for_connections = stop.clone();
    loop {
        tokio::select! {
            _ = stopped(&mut stop) => break,
            accepted = listener.accept() => {
                let Ok((stream, peer)) = accepted else {
                    // Out of descriptors or a connection reset before accept: wait a
                    // moment rather than spin.
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                    continue;
                };
                match table.admit() {
                    Some(slot) => {
                        let hub = Arc::clone(&hub);
                        let party = party.clone();
                        let stop = for_connections.clone();
                        connections.spawn(connection(hub, party, stream, peer, slot, stop));
                    }
                    None => {
                        connections.spawn(refuse(stream));
                    }
                }
                // Reap finished connections so the set does not grow without bound.
                while connections.try_join_next().is_some() {}
            }
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(limits::SHUTDOWN_DEADLINE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
}

/// Resolves once the stop flag is set (or its sender is gone).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// Every connection is busy: `503` with `Retry-After` (RFC 9110 §15.6.4, §10.2.3).
async fn refuse(mut stream: TcpStream) {
    let body = "Too many connections are busy; try again in a second.\n";
    let text = format!(
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(text.as_bytes()).await;
    let _ = stream.shutdown().await;
}

async fn connection(
    hub: Arc<Hub>,
    party: ActorId,
    stream: TcpStream,
    peer: SocketAddr,
    slot: ConnSlot,
    mut stop: watch::Receiver<bool>,
) {
    let state = Arc::clone(&slot.state);
    // The listener's own end of the connection: with `peer`, it names the connection.
    let Ok(at) = stream.local_addr() else { return };
    let service = service_fn(move |req| {
        let hub = Arc::clone(&hub);
        let party = party.clone();
        let busy = state.busy();
        async move {
            let resp = handle(&hub, &party, (peer, at), req).await;
            drop(busy);
            Ok::<_, Infallible>(resp)
        }
    });
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits::HEADER_READ_TIMEOUT)
        .max_buf_size(limits::MAX_HEADER_BYTES)
        .auto_date_header(false);
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => return,
        _ = slot.state.evicted.notified() => {}
        _ = stopped(&mut stop) => {}
    }
    // Finish the request in flight, if any, then close (RFC 9112 §9.6).
    conn.as_mut().graceful_shutdown();
    let _ = tokio::time::timeout(limits::SHUTDOWN_DEADLINE, conn).await;
}

/// One real request: read it under the limits, hand its wire text to the party, answer
/// with the party's response.
async fn handle(
    hub: &Arc<Hub>,
    party: &ActorId,
    (peer, at): (SocketAddr, SocketAddr),
    req: hyper::Request<Incoming>,
) -> hyper::Response<Full<Bytes>> {
    let user_agent = req
        .headers()
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let sender = hub.sender_of(peer, at, &Lane::of_user_agent(user_agent));
    let (mut parts, body) = req.into_parts();
    let body = match Limited::new(body, limits::MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) => {
            let (status, why) = if e.downcast_ref::<LengthLimitError>().is_some() {
                (
                    http::StatusCode::PAYLOAD_TOO_LARGE,
                    format!(
                        "the body is larger than live mode's limit of {} bytes",
                        limits::MAX_BODY_BYTES
                    ),
                )
            } else {
                (
                    http::StatusCode::BAD_REQUEST,
                    format!("the body could not be read: {e}"),
                )
            };
            hub.refused(party, &sender, &parts, status, &why);
            return plain(status, &why);
        }
    };
    limits::fix_length(&mut parts.headers, body.len());
    let request = http::Request::from_parts(parts, body.to_vec());
    let wire = http_wire::render_request(&request);
    let response = hub
        .request(party, &sender, wire, limits::REPLY_DEADLINE)
        .await;
    let (parts, body) = response.into_parts();
    hyper::Response::from_parts(parts, Full::new(Bytes::from(body)))
}

fn plain(status: http::StatusCode, why: &str) -> hyper::Response<Full<Bytes>> {
    let mut resp = hyper::Response::new(Full::new(Bytes::from(format!("{why}\n"))));
    *resp.status_mut() = status;
    resp.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("text/plain"),
    );
    resp.headers_mut().insert(
        http::header::CONNECTION,
        http::HeaderValue::from_static("close"),
    );
    resp
}
