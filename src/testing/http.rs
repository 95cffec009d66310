//! HTTP messages for tests: request and response builders, and readers of responses.

use http::{Method, StatusCode};

use crate::protocol::html::page;
use crate::protocol::http_wire::{self, Request, Response, response_header, set_header};
use crate::protocol::params::Params;

/// `GET url`.
pub fn get(url: &str) -> Request {
    http_wire::request(Method::GET, url)
}

/// `POST url` with `pairs` as an `application/x-www-form-urlencoded` body.
pub fn post_form(url: &str, pairs: &[(&str, &str)]) -> Request {
    post_form_body(url, &Params::from_pairs(pairs.iter().copied()).encode())
}

/// The parameters of a request checked to be a form `POST` (HTML §4.10.21.7:
/// `application/x-www-form-urlencoded`).
pub fn form_post(req: &Request) -> Params {
    assert_eq!(req.method(), Method::POST);
    assert_eq!(
        http_wire::header(req, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    Params::parse(&String::from_utf8_lossy(req.body()))
}

/// Checks that each `(name, value)` of `expected` is the first value of `name` in
/// `params`.
pub fn assert_params(params: &Params, expected: &[(&str, &str)]) {
    for (name, value) in expected {
        assert_eq!(params.first(name), Some(*value), "parameter {name}");
    }
}

/// The form with id `id` on the HTML page `resp` carries.
pub fn form_on_page(resp: &Response, id: &str) -> crate::protocol::html::Form {
    let mut page = crate::protocol::html::parse_page(&String::from_utf8_lossy(resp.body()));
    let at = page
        .forms
        .iter()
        .position(|f| f.id.as_deref() == Some(id))
        .unwrap_or_else(|| panic!("no form {id} on the page"));
    page.forms.swap_remove(at)
}

/// `POST url` with a form body exactly as typed (for bodies a test garbles on purpose).
pub fn post_form_body(url: &str, body: &str) -> Request {
    let mut req = http_wire::request(Method::POST, url);
    set_header(
        req.headers_mut(),
        "content-type",
        "application/x-www-form-urlencoded",
    );
    *req.body_mut() = body.as_bytes().to_vec();
    req
}

/// `req` with the header `name` set to `value`.
pub fn with_header(mut req: Request, name: &str, value: &str) -> Request {
    set_header(req.headers_mut(), name, value);
    req
}

/// `req` with `Authorization: Bearer token` (RFC 6750 §2.1), or unchanged for `None`.
pub fn with_bearer(req: Request, token: Option<&str>) -> Request {
    match token {
        Some(t) => with_header(req, "authorization", &format!("Bearer {t}")),
        None => req,
    }
}

/// `Authorization: Basic` per RFC 6749 §2.3.1 (id and secret form-urlencoded first).
pub fn basic(id: &str, secret: &str) -> String {
    crate::protocol::requests::basic_authorization(id, secret)
}

/// The query parameters of `url` (none when it has no `?`).
pub fn query_of(url: &str) -> Params {
    Params::parse(url.split_once('?').map(|(_, q)| q).unwrap_or(""))
}

/// The `Location` of a response.
pub fn location_of(resp: &Response) -> Option<String> {
    response_header(resp, "location").map(str::to_string)
}

/// A header of a response.
pub fn header<'a>(resp: &'a Response, name: &str) -> Option<&'a str> {
    response_header(resp, name)
}

/// The body of a response as text (lossy).
pub fn body_text(resp: &Response) -> String {
    String::from_utf8_lossy(resp.body()).into_owned()
}

/// A string member of a JSON response body; fails naming the body otherwise.
pub fn string_field(resp: &Response, name: &str) -> String {
    json(resp)[name]
        .as_str()
        .unwrap_or_else(|| panic!("{name} in {}", body_text(resp)))
        .to_string()
}

/// The body of a response as JSON; fails naming the status and body otherwise.
pub fn json(resp: &Response) -> serde_json::Value {
    serde_json::from_slice(resp.body()).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {} {}",
            resp.status(),
            String::from_utf8_lossy(resp.body())
        )
    })
}

/// The `error` of a JSON error response (RFC 6749 §5.2).
pub fn error_code(resp: &Response) -> String {
    json(resp)["error"].as_str().unwrap_or("").to_string()
}

/// A response with `status` and no body.
pub fn status_only(status: StatusCode) -> Response {
    http_wire::response(status)
}

/// A redirect (RFC 9110 §15.4) to `location`.
pub fn redirect(status: StatusCode, location: &str) -> Response {
    with_response_header(http_wire::response(status), "location", location)
}

/// A 200 HTML page titled `title` with `body` inside.
pub fn html_titled(title: &str, body: &str) -> Response {
    let mut r = http_wire::response(StatusCode::OK);
    set_header(r.headers_mut(), "content-type", "text/html; charset=utf-8");
    *r.body_mut() = page(title, body).into_bytes();
    r
}

/// `resp` with the header `name` set to `value`.
pub fn with_response_header(mut resp: Response, name: &str, value: &str) -> Response {
    set_header(resp.headers_mut(), name, value);
    resp
}
