//! Why wire text could not be read as an HTTP/1.1 message (RFC 9112), and the status
//! a server's HTTP layer answers such a request with.

use http::StatusCode;

/// Why wire text could not be parsed into a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("the message ends before its header block does (missing blank line after the headers)")]
    Incomplete,
    #[error("malformed HTTP: {0}")]
    Syntax(String),
    #[error("the request has no Host header and its target is not absolute")]
    MissingHost,
    #[error("invalid request target {0:?}")]
    BadTarget(String),
    #[error("Content-Length says {declared} bytes but the body has {actual}")]
    LengthMismatch { declared: usize, actual: usize },
    #[error("invalid header {0}")]
    BadHeader(String),
    #[error("Content-Length {0:?} is not a decimal number of bytes (1*DIGIT, RFC 9110 §8.6)")]
    BadContentLength(String),
    #[error(
        "Content-Length values {0:?} disagree, so the body's length is unknown (RFC 9112 §6.3)"
    )]
    ConflictingContentLength(Vec<String>),
    #[error(
        "a request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112 §6.3), yet {0} bytes follow its header block"
    )]
    BodyWithoutLength(usize),
    #[error(
        "Transfer-Encoding and Content-Length together give two answers to where the message ends: the ambiguity request smuggling exploits (RFC 9112 §6.3, §11.2)"
    )]
    TransferEncodingWithLength,
    #[error(
        "Transfer-Encoding {0:?} does not end with chunked, so where the request ends cannot be known (RFC 9112 §6.3)"
    )]
    NotChunkedLast(String),
    #[error("transfer coding {0:?} is not implemented here; only chunked is (RFC 9112 §6.1)")]
    UnsupportedCoding(String),
    #[error("malformed chunked body: {0} (RFC 9112 §7.1)")]
    BadChunk(String),
    #[error("{0} bytes follow the end of the chunked body (RFC 9112 §7.1)")]
    BytesAfterChunkedBody(usize),
    #[error("the request has more than one Host header (RFC 9112 §3.2)")]
    DuplicateHost,
}

impl WireError {
    /// The status a server's HTTP layer answers a request with this error: 501 for a
    /// transfer coding it does not implement (RFC 9112 §6.1), else 400 (RFC 9112 §3.2,
    /// §6.3).
    pub fn status(&self) -> StatusCode {
        match self {
            WireError::UnsupportedCoding(_) => StatusCode::NOT_IMPLEMENTED,
            _ => StatusCode::BAD_REQUEST,
        }
    }
}
