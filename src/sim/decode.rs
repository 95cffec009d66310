//! The decoded view of a message: every header, query, form and JSON parameter, and any
//! JWT found in it, for the inspector and for lessons' checkpoints.

use serde::{Deserialize, Serialize};

use crate::protocol::http_wire::{self, Request, Response};
use crate::protocol::jwt;
use crate::protocol::params::Params;

/// A JWT found in a message, decoded without verification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecodedJwt {
    /// Where it was found: `access_token`, `id_token`, `Authorization`, `DPoP` (a
    /// DPoP proof, RFC 9449 §4.1).
    pub found_in: String,
    pub header: serde_json::Value,
    pub claims: serde_json::Value,
}

/// The decoded view of one message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Decoded {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    pub headers: Vec<(String, String)>,
    /// Query parameters of the request URL.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub query: Vec<(String, String)>,
    /// Form parameters of an `application/x-www-form-urlencoded` body.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub form: Vec<(String, String)>,
    /// Query parameters of a redirect's `Location`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub location_query: Vec<(String, String)>,
    /// A JSON body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub jwts: Vec<DecodedJwt>,
    /// The `<title>` of an HTML body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl Decoded {
    /// The value of a parameter in the query, the form, the redirect location or the
    /// JSON body, in that order.
    pub fn param(&self, name: &str) -> Option<String> {
        let find =
            |v: &Vec<(String, String)>| v.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        find(&self.query)
            .or_else(|| find(&self.form))
            .or_else(|| find(&self.location_query))
            .or_else(|| {
                self.json
                    .as_ref()
                    .and_then(|j| j.get(name))
                    .map(|v| match v {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
            })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn header_pairs(headers: &http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

fn push_jwt(out: &mut Vec<DecodedJwt>, found_in: &str, value: &str) {
    if let Ok((header, claims)) = jwt::decode_unverified(value) {
        out.push(DecodedJwt {
            found_in: found_in.to_string(),
            header,
            claims,
        });
    }
}

fn decode_body(d: &mut Decoded, content_type: &str, body: &[u8]) {
    let text = http_wire::body_text(body);
    if content_type.starts_with("application/x-www-form-urlencoded") {
        d.form = Params::parse(&text).0;
    } else if content_type.starts_with("application/json") {
        d.json = serde_json::from_str(&text).ok();
    } else if content_type.starts_with("text/html") {
        let title = crate::protocol::html::parse_page(&text).title;
        d.title = Some(title).filter(|t| !t.is_empty());
    }
    let mut jwts = Vec::new();
    for (k, v) in d.form.iter().chain(d.query.iter()) {
        push_jwt(&mut jwts, k, v);
    }
    if let Some(serde_json::Value::Object(map)) = &d.json {
        for (k, v) in map {
            if let Some(s) = v.as_str() {
                push_jwt(&mut jwts, k, s);
            }
        }
    }
    d.jwts.extend(jwts);
}

/// Decodes a request.
pub fn decode_request(req: &Request) -> Decoded {
    let mut d = Decoded {
        method: Some(req.method().to_string()),
        url: Some(http_wire::url_string(req.uri())),
        headers: header_pairs(req.headers()),
        query: Params::from_query(req.uri()).0,
        ..Decoded::default()
    };
    if let Some(auth) = http_wire::header(req, "authorization")
        && let Some(token) = auth
            .strip_prefix("Bearer ")
            .or_else(|| auth.strip_prefix("DPoP "))
    {
        push_jwt(&mut d.jwts, "Authorization", token.trim());
    }
    if let Some(proof) = http_wire::header(req, "dpop") {
        push_jwt(&mut d.jwts, "DPoP", proof.trim());
    }
    let ct = http_wire::header(req, "content-type")
        .unwrap_or("")
        .to_string();
    decode_body(&mut d, &ct, req.body());
    d
}

/// Decodes a response.
pub fn decode_response(resp: &Response) -> Decoded {
    let mut d = Decoded {
        status: Some(resp.status().as_u16()),
        headers: header_pairs(resp.headers()),
        ..Decoded::default()
    };
    if let Some(loc) = http_wire::response_header(resp, "location")
        && let Some(uri) = http_wire::parse_url(loc)
    {
        d.location_query = Params::from_query(&uri).0;
    }
    let ct = http_wire::response_header(resp, "content-type")
        .unwrap_or("")
        .to_string();
    decode_body(&mut d, &ct, resp.body());
    d
}

/// Decodes wire text of either kind; unparseable text decodes to an empty view.
pub fn decode_wire(wire: &str) -> Decoded {
    if http_wire::looks_like_response(wire) {
        http_wire::parse_response(wire)
            .map(|r| decode_response(&r))
            .unwrap_or_default()
    } else {
        http_wire::parse_request(wire)
            .map(|r| decode_request(&r))
            .unwrap_or_default()
    }
}

/// Shortens a URL for a one-line label: drops the scheme, and elides a long query.
pub fn short_url(url: &str, max: usize) -> String {
    let s = url.strip_prefix("https://").unwrap_or(url);
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    format!("{cut}…")
}

/// The one-line label of a decoded message: `GET as.example/authorize?…`,
/// `302 → client.example/cb?…`, `200 OK {access_token, …}`, `200 OK page "Sign in"`.
pub fn summary_of(d: &Decoded) -> String {
    if let Some(status) = d.status {
        let reason = http::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("");
        if let Some(loc) = d.header("location") {
            return format!("{status} → {}", short_url(loc, 60));
        }
        let mut s = format!("{status} {reason}");
        if let Some(obj) = d.json.as_ref().and_then(|j| j.as_object()) {
            let keys: Vec<&str> = obj.keys().take(3).map(String::as_str).collect();
            s.push_str(&format!(
                " {{{}{}}}",
                keys.join(", "),
                if obj.len() > 3 { ", …" } else { "" }
            ));
        } else if let Some(title) = &d.title {
            s.push_str(&format!(" page \"{}\"", short_url(title, 40)));
        }
        s
    } else {
        match (&d.method, &d.url) {
            (Some(m), Some(u)) => format!("{m} {}", short_url(u, 60)),
            _ => "unparseable message".into(),
        }
    }
}

/// The one-line label of a message's wire text.
pub fn summary(wire: &str) -> String {
    let d = decode_wire(wire);
    if d.status.is_none() && d.method.is_none() {
        return if http_wire::looks_like_response(wire) {
            "unparseable response".into()
        } else {
            "unparseable request".into()
        };
    }
    summary_of(&d)
}
