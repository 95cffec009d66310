//! What the attacker's position has yielded, read from the trace: every message that
//! reached one of the attacker's actors (a tap's copy, a request to its site, an answer
//! to its own request, what its own browser got), with the artifacts pulled out of the
//! wire text. Computed, never stored: the same trace always gives the same loot.

use serde::Serialize;

use crate::protocol::http_wire;
use crate::protocol::params::Params;
use crate::sim::{StepKind, Trace};

/// What an artifact is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ArtifactKind {
    /// An authorization code (RFC 6749 §4.1.2).
    Code,
    /// A `state` value (RFC 6749 §4.1.1).
    State,
    /// An `iss` value of an authorization response (RFC 9207).
    Iss,
    /// A PKCE `code_challenge` or `code_verifier` (RFC 7636).
    CodeChallenge,
    CodeVerifier,
    AccessToken,
    RefreshToken,
    IdToken,
    /// A whole URL (a request target, a `Location`, a `Referer`).
    Url,
    /// A cookie (`name=value`) set for the attacker's own browser.
    Cookie,
    /// A username and password typed into a form (`username:password`).
    Password,
}

impl ArtifactKind {
    /// Whether it is a secret no one can guess: the attacker can use it only once it
    /// has obtained it (a code or a token).
    pub fn is_secret(self) -> bool {
        matches!(
            self,
            ArtifactKind::Code
                | ArtifactKind::AccessToken
                | ArtifactKind::RefreshToken
                | ArtifactKind::IdToken
        )
    }

    /// The field name of a template this artifact fills.
    pub fn field(self) -> &'static str {
        match self {
            ArtifactKind::Code => "code",
            ArtifactKind::State => "state",
            ArtifactKind::Iss => "iss",
            ArtifactKind::CodeChallenge => "code_challenge",
            ArtifactKind::CodeVerifier => "code_verifier",
            ArtifactKind::AccessToken => "access_token",
            ArtifactKind::RefreshToken => "refresh_token",
            ArtifactKind::IdToken => "id_token",
            ArtifactKind::Url => "url",
            ArtifactKind::Cookie => "cookie",
            ArtifactKind::Password => "password",
        }
    }
}

/// One value pulled out of a message, with the step it first arrived at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Artifact {
    pub kind: ArtifactKind,
    pub value: String,
    pub step: usize,
}

/// One message that reached the attacker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Copy {
    pub step: usize,
    /// The attacker's actor it reached.
    pub reader: String,
    /// Whether it is a tap's copy (the honest message went on, or was stopped).
    pub observed: bool,
    /// The wire text (what a replay sends).
    pub wire: String,
}

/// Everything the position has yielded so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Loot {
    pub copies: Vec<Copy>,
    /// Each distinct (kind, value) once, at the step it first arrived, in step order.
    pub artifacts: Vec<Artifact>,
}

impl Loot {
    /// The loot in the first `len` steps of `trace`.
    pub fn of(trace: &Trace, len: usize) -> Loot {
        let attacker: Vec<&str> = (trace.actors.iter())
            .filter(|a| a.attacker || a.kind.is_attacker())
            .map(|a| a.id.as_str())
            .collect();
        let mut loot = Loot::default();
        for s in trace.steps.iter().take(len) {
            if s.wire.is_empty() || !attacker.contains(&s.to.as_str()) {
                continue;
            }
            // A message the attacker's own actor sent to another of its own (a lure it
            // fetches) yields nothing new; a message that reached it does.
            loot.copies.push(Copy {
                step: s.index,
                reader: s.to.to_string(),
                observed: s.kind == StepKind::Observed,
                wire: s.wire.clone(),
            });
            for (kind, value) in artifacts_in(&s.wire) {
                loot.add(kind, value, s.index);
            }
        }
        loot
    }

    fn add(&mut self, kind: ArtifactKind, value: String, step: usize) {
        if value.is_empty()
            || self
                .artifacts
                .iter()
                .any(|a| a.kind == kind && a.value == value)
        {
            return;
        }
        self.artifacts.push(Artifact { kind, value, step });
    }

    /// Whether the attacker holds this value (of this kind).
    pub fn holds(&self, kind: ArtifactKind, value: &str) -> bool {
        self.artifacts
            .iter()
            .any(|a| a.kind == kind && a.value == value)
    }

    /// The artifacts of one kind, first seen first.
    pub fn of_kind(&self, kind: ArtifactKind) -> impl Iterator<Item = &Artifact> {
        self.artifacts.iter().filter(move |a| a.kind == kind)
    }
}

/// The OAuth values of a query, a fragment or a form.
fn params_artifacts(p: &Params, out: &mut Vec<(ArtifactKind, String)>) {
    let named = [
        ("code", ArtifactKind::Code),
        ("state", ArtifactKind::State),
        ("iss", ArtifactKind::Iss),
        ("code_challenge", ArtifactKind::CodeChallenge),
        ("code_verifier", ArtifactKind::CodeVerifier),
        ("access_token", ArtifactKind::AccessToken),
        ("refresh_token", ArtifactKind::RefreshToken),
        ("id_token", ArtifactKind::IdToken),
    ];
    for (name, kind) in named {
        if let Some(v) = p.first(name) {
            out.push((kind, v.to_string()));
        }
    }
    if let (Some(u), Some(pw)) = (p.first("username"), p.first("password")) {
        out.push((ArtifactKind::Password, format!("{u}:{pw}")));
    }
}

/// A URL and the values in its query and fragment.
pub fn url_artifacts(url: &str, out: &mut Vec<(ArtifactKind, String)>) {
    out.push((ArtifactKind::Url, url.to_string()));
    let (before, fragment) = url.split_once('#').unwrap_or((url, ""));
    if let Some((_, query)) = before.split_once('?') {
        params_artifacts(&Params::parse(query), out);
    }
    params_artifacts(&Params::parse(fragment), out);
}

/// Every artifact in one message's wire text.
pub fn artifacts_in(wire: &str) -> Vec<(ArtifactKind, String)> {
    let mut out = Vec::new();
    if http_wire::looks_like_response(wire) {
        let Ok(resp) = http_wire::parse_response(wire) else {
            return out;
        };
        if let Some(loc) = http_wire::response_header(&resp, "location") {
            url_artifacts(loc, &mut out);
        }
        for c in resp.headers().get_all("set-cookie") {
            if let Some(pair) = c.to_str().ok().and_then(|c| c.split(';').next()) {
                out.push((ArtifactKind::Cookie, pair.trim().to_string()));
            }
        }
        if let Ok(serde_json::Value::Object(json)) =
            serde_json::from_slice::<serde_json::Value>(resp.body())
        {
            let named = [
                ("access_token", ArtifactKind::AccessToken),
                ("refresh_token", ArtifactKind::RefreshToken),
                ("id_token", ArtifactKind::IdToken),
            ];
            for (name, kind) in named {
                if let Some(v) = json.get(name).and_then(|v| v.as_str()) {
                    out.push((kind, v.to_string()));
                }
            }
        }
    } else if let Ok(req) = http_wire::parse_request(wire) {
        url_artifacts(&http_wire::url_string(req.uri()), &mut out);
        if let Some(r) = http_wire::header(&req, "referer") {
            url_artifacts(r, &mut out);
        }
        if let Some(t) =
            http_wire::header(&req, "authorization").and_then(|a| a.strip_prefix("Bearer "))
        {
            out.push((ArtifactKind::AccessToken, t.trim().to_string()));
        }
        params_artifacts(&Params::parse(&http_wire::body_text(req.body())), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_callback_request_yields_its_url_code_and_state() {
        let wire = "GET /cb?code=c-1&state=s-1 HTTP/1.1\r\nhost: client.example\r\nreferer: https://as.example/authorize?x=1\r\n\r\n";
        let kinds: Vec<_> = artifacts_in(wire).into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            kinds,
            [
                ArtifactKind::Url,
                ArtifactKind::Code,
                ArtifactKind::State,
                ArtifactKind::Url
            ]
        );
    }

    #[test]
    fn a_token_response_yields_its_tokens() {
        let wire = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 42\r\n\r\n{\"access_token\":\"at\",\"refresh_token\":\"rt\"}";
        let got = artifacts_in(wire);
        assert!(
            got.contains(&(ArtifactKind::AccessToken, "at".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&(ArtifactKind::RefreshToken, "rt".into())),
            "{got:?}"
        );
    }
}
