//! The client's HTML pages.

use http::StatusCode;

use crate::protocol::html::{self, escape};
use crate::protocol::http_wire::{self, Response};

/// A page with a status, and an optional `Referrer-Policy` header.
pub fn page(
    status: StatusCode,
    title: &str,
    body: &str,
    referrer_policy: Option<&str>,
) -> Response {
    let mut resp = http_wire::response(status);
    http_wire::set_header(
        resp.headers_mut(),
        "content-type",
        "text/html; charset=utf-8",
    );
    if let Some(p) = referrer_policy {
        http_wire::set_header(resp.headers_mut(), "referrer-policy", p);
    }
    *resp.body_mut() = html::page(title, body).into_bytes();
    resp
}

/// A plain status page.
pub fn status_page(
    status: StatusCode,
    title: &str,
    text: &str,
    referrer_policy: Option<&str>,
) -> Response {
    page(
        status,
        title,
        &format!("<h1>{}</h1><p>{}</p>", escape(title), escape(text)),
        referrer_policy,
    )
}

/// A 400 page explaining why sign-in failed.
pub fn error_page(error: &str, description: &str) -> Response {
    status_page(
        StatusCode::BAD_REQUEST,
        &format!("Sign-in failed: {error}"),
        description,
        Some("no-referrer"),
    )
}

/// The page the callback and `/photos` show: the signed-in user and their photos.
/// With the `referrer-policy` defense it carries `Referrer-Policy: no-referrer`
/// (RFC 9700 §4.2.4); `third_party` is an embedded resource on another host.
pub fn photos_page(
    user: Option<&str>,
    owner: &str,
    photos: &[String],
    third_party: Option<&str>,
    no_referrer: bool,
) -> Response {
    let who = match user {
        Some(u) => format!("<p>Signed in as <b>{}</b>.</p>", escape(u)),
        None => "<p>Signed in.</p>".to_string(),
    };
    let items: String = photos
        .iter()
        .map(|p| format!("<li>{}</li>", escape(p)))
        .collect();
    let embed = third_party
        .map(|src| format!("<img src=\"{}\" alt=\"\">", escape(src)))
        .unwrap_or_default();
    let body = format!(
        "<h1>Photo Printer</h1>{who}<h2>Photos of {}</h2><ul>{items}</ul>{embed}",
        escape(owner)
    );
    page(
        StatusCode::OK,
        "Your photos",
        &body,
        no_referrer.then_some("no-referrer"),
    )
}
