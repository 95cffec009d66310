//! Where an HTTP/1.1 message body ends (RFC 9112 §6.3), as a receiver must decide it:
//! `Content-Length` (RFC 9110 §8.6), `Transfer-Encoding: chunked` (RFC 9112 §6.1, §7.1),
//! or neither.
//!
//! In the simulation one envelope carries one message, so bytes after the end the
//! framing gives are an error: on a real connection they would be read as the start of
//! the next message, which is exactly how request smuggling works (RFC 9112 §11.2).

use http::header::{CONTENT_LENGTH, TRANSFER_ENCODING};
use http::{HeaderMap, HeaderValue, StatusCode};

use super::wire_error::WireError;

/// Whether the message is a request or a response: the two are framed differently
/// when the length is unknown (RFC 9112 §6.3 rules 4, 7 and 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Request,
    Response(StatusCode),
}

/// The body of a message whose header block has been parsed into `headers` and whose
/// remaining bytes are `rest`. A decoded chunked body leaves the headers as RFC 9112
/// §7.1.3 says: `chunked` removed from `Transfer-Encoding`, and a `Content-Length`
/// with the decoded length. Several identical `Content-Length` values become one
/// (RFC 9110 §8.6).
pub(crate) fn body(kind: Kind, headers: &mut HeaderMap, rest: &[u8]) -> Result<Vec<u8>, WireError> {
    if let Kind::Response(status) = kind
        && (status.is_informational()
            || status == StatusCode::NO_CONTENT
            || status == StatusCode::NOT_MODIFIED)
    {
        // Rule 1: these responses end after their header block.
        return exactly(0, rest);
    }
    let length = content_length(headers)?;
    let codings = transfer_codings(headers);
    if !codings.is_empty() {
        if length.is_some() {
            // Rule 3: "ought to be handled as an error".
            return Err(WireError::TransferEncodingWithLength);
        }
        return coded_body(kind, headers, &codings, rest);
    }
    match (length, kind) {
        (Some(n), _) => {
            let canonical = n.to_string();
            let values = headers.get_all(CONTENT_LENGTH);
            if values.iter().count() > 1
                || values.iter().any(|v| v.as_bytes() != canonical.as_bytes())
            {
                headers.insert(CONTENT_LENGTH, HeaderValue::from(n));
            }
            exactly(n, rest)
        }
        // Rule 7: a request with neither header has no body.
        (None, Kind::Request) if !rest.is_empty() => Err(WireError::BodyWithoutLength(rest.len())),
        // Rule 8: a response with neither header ends when the connection closes.
        (None, _) => Ok(rest.to_vec()),
    }
}

/// `rest` when it holds exactly `n` bytes.
fn exactly(n: usize, rest: &[u8]) -> Result<Vec<u8>, WireError> {
    if rest.len() == n {
        Ok(rest.to_vec())
    } else {
        Err(WireError::LengthMismatch {
            declared: n,
            actual: rest.len(),
        })
    }
}

/// The declared length: every `Content-Length` field line and every element of a list
/// in one (RFC 9110 §5.6.1) must be `1*DIGIT` and all must agree (RFC 9110 §8.6,
/// RFC 9112 §6.3 rule 5).
fn content_length(headers: &HeaderMap) -> Result<Option<usize>, WireError> {
    let mut found: Option<usize> = None;
    let mut seen = Vec::new();
    for value in headers.get_all(CONTENT_LENGTH) {
        let text = String::from_utf8_lossy(value.as_bytes()).into_owned();
        let elements: Vec<&str> = text
            .split(',')
            .map(|e| e.trim_matches([' ', '\t']))
            .filter(|e| !e.is_empty())
            .collect();
        if elements.is_empty() {
            return Err(WireError::BadContentLength(text));
        }
        for element in elements {
            let n = decimal(element).ok_or_else(|| WireError::BadContentLength(text.clone()))?;
            seen.push(element.to_string());
            match found {
                Some(m) if m != n => return Err(WireError::ConflictingContentLength(seen)),
                _ => found = Some(n),
            }
        }
    }
    Ok(found)
}

/// A `1*DIGIT` that fits a `usize` (no sign, no spaces, no hex).
fn decimal(s: &str) -> Option<usize> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// The transfer codings, in the order they were applied, lower-cased and without
/// parameters (RFC 9112 §6.1: a list over every field line).
fn transfer_codings(headers: &HeaderMap) -> Vec<String> {
    headers
        .get_all(TRANSFER_ENCODING)
        .iter()
        .flat_map(|v| {
            String::from_utf8_lossy(v.as_bytes())
                .split(',')
                .map(|c| {
                    c.split(';')
                        .next()
                        .unwrap_or("")
                        .trim_matches([' ', '\t'])
                        .to_ascii_lowercase()
                })
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The body of a message with `Transfer-Encoding` (RFC 9112 §6.3 rule 4).
fn coded_body(
    kind: Kind,
    headers: &mut HeaderMap,
    codings: &[String],
    rest: &[u8],
) -> Result<Vec<u8>, WireError> {
    let list = codings.join(", ");
    if codings.last().map(String::as_str) != Some("chunked") {
        return match kind {
            // A server cannot tell where such a request ends: 400.
            Kind::Request => Err(WireError::NotChunkedLast(list)),
            // A response is then read until the connection closes.
            Kind::Response(_) => Ok(rest.to_vec()),
        };
    }
    if codings.len() > 1 {
        // `chunked` applied twice, or a compression this party does not implement
        // (RFC 9112 §6.1: a server answers 501 to a coding it does not understand).
        return Err(WireError::UnsupportedCoding(list));
    }
    let decoded = dechunk(rest)?;
    headers.remove(TRANSFER_ENCODING);
    headers.insert(CONTENT_LENGTH, HeaderValue::from(decoded.len()));
    Ok(decoded)
}

/// Decodes a chunked body (RFC 9112 §7.1): chunks of `1*HEXDIG [ext] CRLF data CRLF`,
/// a last chunk of size zero, trailer field lines (discarded, §7.1.2) and a final CRLF,
/// which must be the end of the message.
fn dechunk(mut rest: &[u8]) -> Result<Vec<u8>, WireError> {
    let bad = |why: &str| WireError::BadChunk(why.to_string());
    let mut out = Vec::new();
    loop {
        let (line, after) =
            crlf_line(rest).ok_or_else(|| bad("a chunk-size line lacks its CRLF"))?;
        let size_text = line.split(|&b| b == b';').next().unwrap_or(b"");
        let size_text = std::str::from_utf8(size_text)
            .map_err(|_| bad("the chunk size is not text"))?
            .trim_end_matches([' ', '\t']);
        if size_text.is_empty() || !size_text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(bad(&format!("chunk size {size_text:?} is not hexadecimal")));
        }
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| bad(&format!("chunk size {size_text} is too large")))?;
        rest = after;
        if size == 0 {
            break;
        }
        if rest.len() < size + 2 {
            return Err(bad(&format!(
                "a chunk of {size} bytes has only {} bytes left in the message",
                rest.len()
            )));
        }
        if &rest[size..size + 2] != b"\r\n" {
            return Err(bad(&format!(
                "the chunk of {size} bytes is not followed by CRLF"
            )));
        }
        out.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
    // The trailer section: field lines until an empty line.
    loop {
        let (line, after) = crlf_line(rest)
            .ok_or_else(|| bad("the body does not end with an empty line after the last chunk"))?;
        rest = after;
        if line.is_empty() {
            break;
        }
    }
    if !rest.is_empty() {
        return Err(WireError::BytesAfterChunkedBody(rest.len()));
    }
    Ok(out)
}

/// The bytes before the first CRLF, and those after it.
fn crlf_line(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let at = bytes.windows(2).position(|w| w == b"\r\n")?;
    Some((&bytes[..at], &bytes[at + 2..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(lines: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in lines {
            h.append(
                http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                HeaderValue::from_str(v).unwrap(),
            );
        }
        h
    }

    #[test]
    fn chunked_decodes_with_extensions_and_trailers() {
        let mut h = headers(&[("transfer-encoding", "Chunked")]);
        let body = body(
            Kind::Request,
            &mut h,
            b"4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nExpires: never\r\n\r\n",
        )
        .unwrap();
        assert_eq!(body, b"Wikipedia");
        assert!(h.get("transfer-encoding").is_none());
        assert_eq!(h.get("content-length").unwrap(), "9");
    }

    #[test]
    fn content_length_is_digits_and_agrees_with_itself() {
        for bad in ["+3", "-3", "0x3", " ", "3 3", "99999999999999999999999"] {
            let mut h = headers(&[("content-length", bad)]);
            assert!(body(Kind::Request, &mut h, b"abc").is_err(), "{bad:?}");
        }
        let mut h = headers(&[("content-length", "3, 3"), ("content-length", "3")]);
        assert_eq!(body(Kind::Request, &mut h, b"abc").unwrap(), b"abc");
        assert_eq!(h.get_all("content-length").iter().count(), 1);
        let mut h = headers(&[("content-length", "3, 4")]);
        assert!(matches!(
            body(Kind::Request, &mut h, b"abc"),
            Err(WireError::ConflictingContentLength(_))
        ));
    }

    #[test]
    fn a_response_without_length_runs_to_the_end_and_a_204_has_no_body() {
        let mut h = HeaderMap::new();
        assert_eq!(
            body(Kind::Response(StatusCode::OK), &mut h, b"xyz").unwrap(),
            b"xyz"
        );
        assert!(body(Kind::Response(StatusCode::NO_CONTENT), &mut h, b"xyz").is_err());
        assert!(body(Kind::Request, &mut h, b"xyz").is_err());
        assert!(body(Kind::Request, &mut h, b"").unwrap().is_empty());
    }
}
