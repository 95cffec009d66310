//! Live mode's request limits: what a listener accepts before any actor sees a byte.
//! Each has its documented answer (README "Live mode"):
//!
//! - a header block over [`MAX_HEADER_BYTES`]: `431 Request Header Fields Too Large`
//!   (RFC 6585 §5), written by hyper's parser;
//! - a body over [`MAX_BODY_BYTES`]: `413 Content Too Large` (RFC 9110 §15.5.14);
//! - no complete header block within [`HEADER_READ_TIMEOUT`] (a slowloris client): the
//!   connection is closed without an answer;
//! - more than [`MAX_CONNECTIONS`] open connections on one listener: the oldest idle
//!   one is closed to make room, and when none is idle the newcomer gets
//!   `503 Service Unavailable` (RFC 9110 §15.6.4) with `Retry-After`;
//! - garbage instead of HTTP: `400 Bad Request` from hyper's parser.

use std::time::Duration;

use http::HeaderMap;
use http::header::{CONTENT_LENGTH, TRANSFER_ENCODING};

/// Largest header block (request line and headers) a listener reads.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// Largest request body a listener reads (and answer body the transport reads).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// How long a client has to send a complete header block.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);
/// Open connections per listener.
pub const MAX_CONNECTIONS: usize = 256;
/// How long an actor may take to answer before the listener answers 504.
pub const REPLY_DEADLINE: Duration = Duration::from_secs(30);
/// How long a graceful shutdown waits for requests in flight.
pub const SHUTDOWN_DEADLINE: Duration = Duration::from_secs(5);

/// A message whose body was read whole (de-chunked by hyper) is written in the trace
/// with the length it has: `Content-Length` instead of `Transfer-Encoding`
/// (RFC 9112 §6.3), so that the wire text parses to the body that was received.
pub fn fix_length(headers: &mut HeaderMap, len: usize) {
    headers.remove(TRANSFER_ENCODING);
    headers.remove(CONTENT_LENGTH);
    if len > 0 {
        headers.insert(CONTENT_LENGTH, http::HeaderValue::from(len));
    }
}

/// [`fix_length`] for a response.
pub fn with_length(mut resp: http::Response<Vec<u8>>) -> http::Response<Vec<u8>> {
    let len = resp.body().len();
    fix_length(resp.headers_mut(), len);
    resp
}
