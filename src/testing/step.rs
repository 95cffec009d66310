//! Readers of one step's decoded view: its URL, status, query, form and `Location`
//! parameters, headers, JSON members and JWTs. Not re-exported at the top of
//! [`crate::testing`]: the short names are meant for `use oauth_lab::testing::step::*`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::sim::Step;
use crate::sim::decode::DecodedJwt;

/// The URL of a request step (empty for a response).
pub fn url(s: &Step) -> &str {
    s.decoded.url.as_deref().unwrap_or("")
}

/// The status of a response step (0 for a request).
pub fn status(s: &Step) -> u16 {
    s.decoded.status.unwrap_or(0)
}

fn find_pair<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A parameter of the request's query.
pub fn query<'a>(s: &'a Step, name: &str) -> Option<&'a str> {
    find_pair(&s.decoded.query, name)
}

/// A parameter of the request's form body.
pub fn form<'a>(s: &'a Step, name: &str) -> Option<&'a str> {
    find_pair(&s.decoded.form, name)
}

/// A parameter of the query of the response's `Location`.
pub fn location_param<'a>(s: &'a Step, name: &str) -> Option<&'a str> {
    find_pair(&s.decoded.location_query, name)
}

/// A header of the step's message.
pub fn header<'a>(s: &'a Step, name: &str) -> Option<&'a str> {
    s.decoded.header(name)
}

/// A string member of the step's JSON body.
pub fn json_str(s: &Step, name: &str) -> Option<String> {
    s.decoded
        .json
        .as_ref()?
        .get(name)?
        .as_str()
        .map(str::to_string)
}

/// The OAuth `error` of a JSON error response (RFC 6749 §5.2, RFC 6750 §3.1).
pub fn error(s: &Step) -> Option<String> {
    json_str(s, "error")
}

/// The JWT found in `found_in` (`Authorization`, `access_token`, `id_token`, `token`).
pub fn jwt<'a>(s: &'a Step, found_in: &str) -> &'a DecodedJwt {
    s.decoded
        .jwts
        .iter()
        .find(|j| j.found_in == found_in)
        .unwrap_or_else(|| {
            panic!(
                "step {} ({}) carries no JWT in {found_in}",
                s.index, s.summary
            )
        })
}

/// A string claim of a decoded JWT (empty when absent).
pub fn claim<'a>(j: &'a DecodedJwt, name: &str) -> &'a str {
    j.claims.get(name).and_then(|v| v.as_str()).unwrap_or("")
}

/// The client id of an HTTP Basic `Authorization` header (RFC 6749 §2.3.1).
pub fn basic_client_id(s: &Step) -> String {
    let value = header(s, "authorization")
        .and_then(|h| h.strip_prefix("Basic "))
        .unwrap_or_else(|| panic!("step {} has no Basic auth", s.index));
    let decoded = String::from_utf8(STANDARD.decode(value.trim()).expect("base64")).expect("utf-8");
    decoded.split(':').next().unwrap_or("").to_string()
}

/// Whether a space-separated scope holds `s` (RFC 6749 §3.3).
pub fn scope_has(scope: &str, s: &str) -> bool {
    scope.split_whitespace().any(|x| x == s)
}
