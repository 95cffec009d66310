//! Bearer tokens at the resource server (RFC 6750): reading the token from a request
//! (§2.1) and the `WWW-Authenticate` challenges of the error responses (§3).

use http::StatusCode;

use crate::protocol::errors::{ErrorCode, OAuthError, json_response};
use crate::protocol::http_wire::{self, Request, Response};
use crate::protocol::params::Params;

/// The token of a request, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Presented {
    /// No bearer token at all.
    None,
    /// `Authorization: Bearer <token>`.
    Token(String),
    /// A request the RS cannot read a token from: RFC 6750 §3.1 `invalid_request`.
    Malformed(String),
}

/// Reads the bearer token of a request from its `Authorization` header (RFC 6750
/// §2.1). A token in the query (§2.3, which RFC 9700 §4.3.2 says not to use) is not
/// accepted; a token sent by two methods at once is a malformed request (§2).
pub fn presented_token(req: &Request) -> Presented {
    let headers: Vec<_> = req.headers().get_all("authorization").iter().collect();
    let in_query = Params::from_query(req.uri()).contains("access_token");
    if headers.len() > 1 {
        return Presented::Malformed("more than one Authorization header".into());
    }
    let Some(value) = headers.first() else {
        return Presented::None;
    };
    let Ok(value) = value.to_str() else {
        return Presented::Malformed("the Authorization header is not printable text".into());
    };
    let value = value.trim();
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        // Another scheme (Basic, DPoP…): no bearer credentials were presented.
        return Presented::None;
    }
    let token = rest.trim();
    if token.is_empty() {
        return Presented::Malformed("the Bearer credentials are empty".into());
    }
    if in_query {
        return Presented::Malformed("the token is sent by more than one method".into());
    }
    Presented::Token(token.to_string())
}

/// Whether the query carries an `access_token` (to explain why it is ignored).
pub fn token_in_query(req: &Request) -> bool {
    Params::from_query(req.uri()).contains("access_token")
}

/// `Bearer realm="…"`, with `error`, `error_description` and `scope` when given.
pub fn challenge(realm: &str, error: Option<&OAuthError>, scope: Option<&str>) -> String {
    let mut s = format!("Bearer realm=\"{realm}\"");
    if let Some(e) = error {
        s.push_str(&format!(
            ", error=\"{}\", error_description=\"{}\"",
            e.code.as_str(),
            e.description
        ));
    }
    if let Some(scope) = scope {
        s.push_str(&format!(", scope=\"{scope}\""));
    }
    s
}

/// 401 without an error attribute: the request had no token (RFC 6750 §3.1).
pub fn no_token(realm: &str) -> Response {
    let mut resp = http_wire::response(StatusCode::UNAUTHORIZED);
    http_wire::set_header(
        resp.headers_mut(),
        "www-authenticate",
        &challenge(realm, None, None),
    );
    resp
}

/// The error response for `error`: 400 `invalid_request`, 401 `invalid_token`, 403
/// `insufficient_scope` (with the scope needed), with a JSON body repeating it.
pub fn error_response(realm: &str, error: &OAuthError, needed_scope: Option<&str>) -> Response {
    let status = match error.code {
        ErrorCode::InvalidRequest => StatusCode::BAD_REQUEST,
        ErrorCode::InsufficientScope => StatusCode::FORBIDDEN,
        _ => StatusCode::UNAUTHORIZED,
    };
    let scope = if error.code == ErrorCode::InsufficientScope {
        needed_scope
    } else {
        None
    };
    let body = serde_json::json!({
        "error": error.code.as_str(),
        "error_description": error.description,
    });
    let mut resp = json_response(status, &body);
    http_wire::set_header(
        resp.headers_mut(),
        "www-authenticate",
        &challenge(realm, Some(error), scope),
    );
    resp
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Method;

    fn req(auth: &[&str], url: &str) -> Request {
        let mut r = http_wire::request(Method::GET, url);
        for a in auth {
            http_wire::set_header(r.headers_mut(), "authorization", a);
        }
        r
    }

    #[test]
    fn reads_the_bearer_token() {
        let u = "https://rs.example/photos";
        assert_eq!(presented_token(&req(&[], u)), Presented::None);
        assert_eq!(presented_token(&req(&["Basic eDp5"], u)), Presented::None);
        assert_eq!(
            presented_token(&req(&["bearer  abc.def.ghi "], u)),
            Presented::Token("abc.def.ghi".into())
        );
        assert!(matches!(
            presented_token(&req(&["Bearer"], u)),
            Presented::Malformed(_)
        ));
        assert!(matches!(
            presented_token(&req(&["Bearer a", "Bearer b"], u)),
            Presented::Malformed(_)
        ));
        assert!(matches!(
            presented_token(&req(
                &["Bearer a"],
                "https://rs.example/photos?access_token=a"
            )),
            Presented::Malformed(_)
        ));
        assert!(token_in_query(&req(
            &[],
            "https://rs.example/photos?access_token=a"
        )));
    }

    #[test]
    fn challenges_follow_rfc_6750() {
        assert_eq!(
            challenge("rs.example", None, None),
            "Bearer realm=\"rs.example\""
        );
        let e = OAuthError::new(ErrorCode::InsufficientScope, "needs \"photos.read\"");
        let r = error_response("rs.example", &e, Some("photos.read"));
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert_eq!(
            http_wire::response_header(&r, "www-authenticate"),
            Some(
                "Bearer realm=\"rs.example\", error=\"insufficient_scope\", error_description=\"needs 'photos.read'\", scope=\"photos.read\""
            )
        );
    }
}
