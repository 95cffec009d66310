//! HTTP/1.1 messages as wire text (RFC 9112), built on the `http` crate's types and
//! parsed back with `httparse`.
//!
//! Requests to `https` origins are written in origin-form with a `Host` header
//! (RFC 9112 §3.2.1). Requests to any other scheme — a loopback `http` redirect URI or a
//! native app's custom scheme (RFC 8252 §7.1) — are written in absolute-form
//! (RFC 9112 §3.2.2) so that the scheme survives the round trip.

use http::header::{CONTENT_LENGTH, HOST, TRANSFER_ENCODING};
use http::{HeaderName, HeaderValue, Method, StatusCode, Uri};

use super::framing;
pub use super::wire_error::WireError;

/// An HTTP request with a UTF-8 body, as every party in the simulation sends it.
pub type Request = http::Request<Vec<u8>>;
/// An HTTP response with a UTF-8 body.
pub type Response = http::Response<Vec<u8>>;

/// Most headers a parsed message may carry.
const MAX_HEADERS: usize = 64;

/// The authority `http::Uri` is given for a custom-scheme URL such as
/// `com.example.photos:/cb` (RFC 8252 §7.1), which has none and which `http::Uri`
/// cannot hold otherwise. It never appears on the wire.
const CUSTOM_SCHEME_AUTHORITY: &str = "os.invalid";

/// Parses an absolute URL into an `http::Uri`, including custom-scheme URLs without
/// an authority (`com.example.photos:/cb?code=…`).
pub fn parse_url(url: &str) -> Option<Uri> {
    if let Ok(uri) = url.parse::<Uri>()
        && uri.scheme().is_some()
    {
        return Some(uri);
    }
    let (scheme, rest) = url.split_once(':')?;
    let valid_scheme = !scheme.is_empty()
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !valid_scheme || !rest.starts_with('/') || rest.starts_with("//") {
        return None;
    }
    format!("{scheme}://{CUSTOM_SCHEME_AUTHORITY}{rest}")
        .parse()
        .ok()
}

/// The URL of a `Uri` as people write it (the inverse of [`parse_url`]).
pub fn url_string(uri: &Uri) -> String {
    match (uri.scheme_str(), uri.authority()) {
        (Some(scheme), Some(a)) if a.as_str() == CUSTOM_SCHEME_AUTHORITY => {
            format!(
                "{scheme}:{}",
                uri.path_and_query().map(|p| p.as_str()).unwrap_or("/")
            )
        }
        _ => uri.to_string(),
    }
}

/// Renders a request as HTTP/1.1 wire text. A `Content-Length` header is added when the
/// body is not empty and none is present.
pub fn render_request(req: &Request) -> String {
    let uri = req.uri();
    let https = uri.scheme_str() == Some("https");
    let target = if https || uri.scheme().is_none() {
        uri.path_and_query()
            .map(|pq| pq.as_str().to_string())
            .unwrap_or_else(|| "/".to_string())
    } else {
        url_string(uri)
    };
    let mut out = format!("{} {} HTTP/1.1\r\n", req.method(), target);
    if https
        && !req.headers().contains_key(HOST)
        && let Some(authority) = uri.authority()
    {
        out.push_str(&format!("Host: {authority}\r\n"));
    }
    push_headers(&mut out, req.headers(), req.body());
    out.push_str("\r\n");
    out.push_str(&String::from_utf8_lossy(req.body()));
    out
}

/// Renders a response as HTTP/1.1 wire text.
pub fn render_response(resp: &Response) -> String {
    let status = resp.status();
    let mut out = format!(
        "HTTP/1.1 {} {}\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    );
    push_headers(&mut out, resp.headers(), resp.body());
    out.push_str("\r\n");
    out.push_str(&String::from_utf8_lossy(resp.body()));
    out
}

fn push_headers(out: &mut String, headers: &http::HeaderMap, body: &[u8]) {
    for (name, value) in headers {
        out.push_str(&display_header_name(name));
        out.push_str(": ");
        out.push_str(&String::from_utf8_lossy(value.as_bytes()));
        out.push_str("\r\n");
    }
    if !body.is_empty()
        && !headers.contains_key(CONTENT_LENGTH)
        && !headers.contains_key(TRANSFER_ENCODING)
    {
        out.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
}

/// `http` stores header names in lower case; the wire text uses the conventional
/// capitalisation (`Content-Type`) because that is what learners see in real traffic.
fn display_header_name(name: &HeaderName) -> String {
    name.as_str()
        .split('-')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

fn collect_headers(raw: &[httparse::Header<'_>]) -> Result<http::HeaderMap, WireError> {
    let mut map = http::HeaderMap::new();
    for h in raw {
        let name = HeaderName::from_bytes(h.name.as_bytes())
            .map_err(|_| WireError::BadHeader(h.name.to_string()))?;
        let value = HeaderValue::from_bytes(h.value)
            .map_err(|_| WireError::BadHeader(h.name.to_string()))?;
        map.append(name, value);
    }
    Ok(map)
}

/// The length of a parsed message head (RFC 9112 §2.1: start line and header fields up
/// to the empty line), or why it could not be parsed.
fn head_length(status: httparse::Result<usize>) -> Result<usize, WireError> {
    match status.map_err(|e| WireError::Syntax(e.to_string()))? {
        httparse::Status::Complete(len) => Ok(len),
        httparse::Status::Partial => Err(WireError::Incomplete),
    }
}

/// Parses HTTP/1.1 request wire text. An origin-form target is resolved against
/// `https://{Host}`.
pub fn parse_request(wire: &str) -> Result<Request, WireError> {
    let mut raw = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut raw);
    let header_len = head_length(parsed.parse(wire.as_bytes()))?;
    let method = Method::from_bytes(parsed.method.unwrap_or("").as_bytes())
        .map_err(|_| WireError::Syntax("invalid method".into()))?;
    let target = parsed.path.unwrap_or("");
    let mut headers = collect_headers(parsed.headers)?;
    if headers.get_all(HOST).iter().count() > 1 {
        return Err(WireError::DuplicateHost);
    }
    let uri: Uri = if target.starts_with('/') {
        let host = headers
            .get(HOST)
            .and_then(|h| h.to_str().ok())
            .ok_or(WireError::MissingHost)?;
        format!("https://{host}{target}")
            .parse()
            .map_err(|_| WireError::BadTarget(target.to_string()))?
    } else {
        parse_url(target).ok_or_else(|| WireError::BadTarget(target.to_string()))?
    };
    let body = framing::body(
        framing::Kind::Request,
        &mut headers,
        &wire.as_bytes()[header_len..],
    )?;
    let mut req = http::Request::new(body);
    *req.method_mut() = method;
    *req.uri_mut() = uri;
    *req.headers_mut() = headers;
    Ok(req)
}

/// Parses HTTP/1.1 response wire text.
pub fn parse_response(wire: &str) -> Result<Response, WireError> {
    let mut raw = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Response::new(&mut raw);
    let header_len = head_length(parsed.parse(wire.as_bytes()))?;
    let code = StatusCode::from_u16(parsed.code.unwrap_or(0))
        .map_err(|_| WireError::Syntax("invalid status code".into()))?;
    let mut headers = collect_headers(parsed.headers)?;
    let body = framing::body(
        framing::Kind::Response(code),
        &mut headers,
        &wire.as_bytes()[header_len..],
    )?;
    let mut resp = http::Response::new(body);
    *resp.status_mut() = code;
    *resp.headers_mut() = headers;
    Ok(resp)
}

/// True when the wire text starts like a response (`HTTP/`).
pub fn looks_like_response(wire: &str) -> bool {
    wire.starts_with("HTTP/")
}

/// The value of a header as text, if present and printable.
pub fn header<'a, B>(msg: &'a http::Request<B>, name: &str) -> Option<&'a str> {
    msg.headers().get(name).and_then(|v| v.to_str().ok())
}

/// The value of a response header as text, if present and printable.
pub fn response_header<'a>(resp: &'a Response, name: &str) -> Option<&'a str> {
    resp.headers().get(name).and_then(|v| v.to_str().ok())
}

/// The body as text (lossy for non-UTF-8 bytes).
pub fn body_text(body: &[u8]) -> String {
    String::from_utf8_lossy(body).into_owned()
}

/// Builds a request. `url` must be absolute; invalid input yields a request to
/// `https://invalid.example/` so that builders never panic.
pub fn request(method: Method, url: &str) -> Request {
    let uri: Uri = parse_url(url).unwrap_or_else(|| Uri::from_static("https://invalid.example/"));
    let mut req = http::Request::new(Vec::new());
    *req.method_mut() = method;
    *req.uri_mut() = uri;
    req
}

/// Builds a response with the given status and no body.
pub fn response(status: StatusCode) -> Response {
    let mut resp = http::Response::new(Vec::new());
    *resp.status_mut() = status;
    resp
}

/// Adds a header. A value with characters a header cannot carry (controls, non-ASCII —
/// e.g. a redirect URI echoed from a hostile request) is percent-encoded as UTF-8, the
/// way RFC 3986 §2.1 writes such characters in a URI, so a header is never dropped.
pub fn set_header(headers: &mut http::HeaderMap, name: &str, value: &str) {
    let Ok(n) = HeaderName::from_bytes(name.as_bytes()) else {
        return;
    };
    let printable = value
        .bytes()
        .all(|b| b == b'\t' || (0x20..0x7f).contains(&b));
    let v = if printable {
        HeaderValue::from_str(value)
    } else {
        let encoded =
            percent_encoding::utf8_percent_encode(value, percent_encoding::CONTROLS).to_string();
        HeaderValue::from_str(&encoded)
    };
    if let Ok(v) = v {
        headers.append(n, v);
    }
}

/// Makes `form` the request's body, as `application/x-www-form-urlencoded`
/// (RFC 6749 §4.1.3, RFC 7009 §2.1, RFC 7662 §2.1, RFC 9126 §2.1).
pub fn set_form_body(req: &mut Request, form: &super::params::Params) {
    set_header(
        req.headers_mut(),
        "content-type",
        "application/x-www-form-urlencoded",
    );
    *req.body_mut() = form.encode().into_bytes();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_round_trips_through_wire_text() {
        let mut req = request(Method::POST, "https://as.example/token");
        set_header(
            req.headers_mut(),
            "content-type",
            "application/x-www-form-urlencoded",
        );
        *req.body_mut() = b"grant_type=authorization_code&code=abc".to_vec();
        let wire = render_request(&req);
        assert!(wire.starts_with("POST /token HTTP/1.1\r\nHost: as.example\r\n"));
        assert!(wire.contains("Content-Type: application/x-www-form-urlencoded\r\n"));
        assert!(wire.contains("Content-Length: 38\r\n"));
        let back = parse_request(&wire).unwrap();
        assert_eq!(back.uri().to_string(), "https://as.example/token");
        assert_eq!(back.body(), req.body());
        assert_eq!(render_request(&back), wire);
    }

    #[test]
    fn custom_scheme_requests_use_absolute_form() {
        let req = request(Method::GET, "com.example.photos:/cb?code=x");
        let wire = render_request(&req);
        assert!(
            wire.starts_with("GET com.example.photos:/cb?code=x HTTP/1.1\r\n"),
            "{wire}"
        );
        let back = parse_request(&wire).unwrap();
        assert_eq!(back.uri().scheme_str(), Some("com.example.photos"));
        assert_eq!(back.uri().query(), Some("code=x"));
    }

    #[test]
    fn loopback_requests_keep_their_port() {
        let req = request(Method::GET, "http://127.0.0.1:51004/cb?code=x");
        let back = parse_request(&render_request(&req)).unwrap();
        assert_eq!(back.uri().port_u16(), Some(51004));
        assert_eq!(back.uri().scheme_str(), Some("http"));
    }

    #[test]
    fn response_round_trips_through_wire_text() {
        let mut resp = response(StatusCode::FOUND);
        set_header(
            resp.headers_mut(),
            "location",
            "https://client.example/cb?code=1",
        );
        let wire = render_response(&resp);
        assert_eq!(
            wire,
            "HTTP/1.1 302 Found\r\nLocation: https://client.example/cb?code=1\r\n\r\n"
        );
        let back = parse_response(&wire).unwrap();
        assert_eq!(back.status(), StatusCode::FOUND);
        assert_eq!(render_response(&back), wire);
    }

    #[test]
    fn header_values_with_non_ascii_are_percent_encoded_not_dropped() {
        let mut h = http::HeaderMap::new();
        set_header(&mut h, "location", "https://spa.example/cb\u{FFFD}#error=x");
        assert_eq!(
            h.get("location").unwrap(),
            "https://spa.example/cb%EF%BF%BD#error=x"
        );
        set_header(&mut h, "x-ctl", "a\r\nb");
        assert_eq!(h.get("x-ctl").unwrap(), "a%0D%0Ab");
    }

    #[test]
    fn malformed_wire_text_is_an_error_not_a_panic() {
        for wire in [
            "",
            "GET",
            "GET / HTTP/1.1\r\n",
            "GET / HTTP/1.1\r\n\r\n",
            "HTTP/1.1 999999 X\r\n\r\n",
            "POST /token HTTP/1.1\r\nHost: as.example\r\nContent-Length: 9\r\n\r\nabc",
        ] {
            assert!(
                parse_request(wire).is_err() || parse_response(wire).is_err(),
                "{wire:?}"
            );
        }
    }
}
