//! The requests the world's own parties send — the client's and the RS's back-channel
//! calls to the AS, and the simulated browser's page loads in tests — over real TCP
//! with hyper's HTTP/1.1 client, one connection per request.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use super::hub::Hub;
use super::limits;
use crate::actors::{ActorId, MsgId};
use crate::protocol::http_wire::{self, Request, Response};

/// How long a party waits to connect, and then for a whole answer.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

/// Sends `request` (message `id` of party `from`) and hands the answer, or the reason
/// there is none, back to `from`.
pub async fn send(hub: &Arc<Hub>, from: &ActorId, id: MsgId, request: Request) {
    match exchange(hub, from, id, request).await {
        Ok((server, resp)) => {
            let wire = http_wire::render_response(&resp);
            hub.response(from, &server, id, &wire);
        }
        Err(why) => hub.transport_failed(from, id, &why),
    }
}

async fn exchange(
    hub: &Arc<Hub>,
    from: &ActorId,
    id: MsgId,
    request: Request,
) -> Result<(ActorId, Response), String> {
    let uri = request.uri().clone();
    if uri.scheme_str() != Some("http") {
        return Err(format!(
            "live mode speaks plain http on loopback only; cannot reach {uri}"
        ));
    }
    let host = uri.host().ok_or_else(|| format!("{uri} has no host"))?;
    let port = uri.port_u16().unwrap_or(80);
    let target = format!("{}:{port}", host.trim_matches(['[', ']']));
    let stream = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(&target))
        .await
        .map_err(|_| format!("connecting to {target} timed out"))?
        .map_err(|e| format!("cannot connect to {target}: {e}"))?;
    let local = stream.local_addr().map_err(|e| e.to_string())?;
    let peer = stream.peer_addr().map_err(|e| e.to_string())?;
    let server = hub.party_at(peer).unwrap_or_else(|| ActorId::new(&target));
    hub.note_outgoing(local, peer, from, id);
    let result = tokio::time::timeout(ANSWER_TIMEOUT, over(stream, request, &target)).await;
    hub.forget_outgoing(local, peer);
    let resp = result.map_err(|_| format!("{target} gave no answer within 30 s"))??;
    Ok((server, resp))
}

async fn over(stream: TcpStream, request: Request, target: &str) -> Result<Response, String> {
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("HTTP handshake with {target} failed: {e}"))?;
    tokio::spawn(async move {
        // The connection ends with the exchange; its error, if any, is the send's.
        let _ = conn.await;
    });
    let (mut parts, body) = request.into_parts();
    if !parts.headers.contains_key(http::header::HOST) {
        let host = http::HeaderValue::from_str(target).map_err(|e| e.to_string())?;
        parts.headers.insert(http::header::HOST, host);
    }
    // Origin-form on the wire (RFC 9112 §3.2.1): the Host header names the server.
    let pq = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    parts.uri = pq
        .parse()
        .map_err(|e: http::uri::InvalidUri| e.to_string())?;
    let req = hyper::Request::from_parts(parts, Full::new(Bytes::from(body)));
    let resp = sender
        .send_request(req)
        .await
        .map_err(|e| format!("{target}: {e}"))?;
    let (parts, body) = resp.into_parts();
    let body = Limited::new(body, limits::MAX_BODY_BYTES)
        .collect()
        .await
        .map_err(|e| format!("reading the answer of {target}: {e}"))?
        .to_bytes();
    Ok(limits::with_length(Response::from_parts(
        parts,
        body.to_vec(),
    )))
}
