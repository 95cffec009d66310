//! What the handout and the HTML page show for one step, beyond its arrow: every
//! parameter with its meaning and RFC section, decoded JWTs, the PKCE derivation, long
//! tokens shortened, and the RFC sections the run cites. All of it is read from the
//! step's wire text and decoded view.

use std::collections::BTreeSet;

use crate::protocol::glossary::{self, Term};
use crate::protocol::pkce;
use crate::sim::{Step, Trace};

/// Values longer than this are shortened in code blocks.
pub const LONG_VALUE: usize = 40;

/// One parameter of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// `query`, `form`, `redirect`, `json` or `header`.
    pub place: &'static str,
    pub name: String,
    pub value: String,
    pub term: Option<&'static Term>,
}

/// One claim or header field of a decoded JWT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub name: String,
    pub value: String,
    pub term: Option<&'static Term>,
}

/// A JWT found in a message, decoded without verification (RFC 7519 §7.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub found_in: String,
    pub header: Vec<Claim>,
    pub claims: Vec<Claim>,
}

fn json_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Every parameter of the step: query, form body, redirect target, JSON body, headers.
pub fn params(step: &Step) -> Vec<Param> {
    let d = &*step.decoded;
    let mut out = Vec::new();
    let mut add = |place, pairs: &[(String, String)], lookup: fn(&str) -> Option<&'static Term>| {
        for (name, value) in pairs {
            out.push(Param {
                place,
                name: name.clone(),
                value: value.clone(),
                term: lookup(name),
            });
        }
    };
    add("query", &d.query, glossary::param);
    add("form", &d.form, glossary::param);
    add("redirect", &d.location_query, glossary::param);
    if let Some(obj) = d.json.as_ref().and_then(|j| j.as_object()) {
        let pairs: Vec<(String, String)> =
            obj.iter().map(|(k, v)| (k.clone(), json_text(v))).collect();
        add("json", &pairs, glossary::param);
    }
    add("header", &d.headers, glossary::header);
    out
}

fn claims_of(v: &serde_json::Value) -> Vec<Claim> {
    v.as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| Claim {
                    name: k.clone(),
                    value: json_text(v),
                    term: glossary::claim(k),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The JWTs the step carries, decoded.
pub fn tokens(step: &Step) -> Vec<Token> {
    step.decoded
        .jwts
        .iter()
        .map(|j| Token {
            found_in: j.found_in.clone(),
            header: claims_of(&j.header),
            claims: claims_of(&j.claims),
        })
        .collect()
}

/// The PKCE derivation a step shows (RFC 7636 §4.2, §4.6), one line per fact.
pub fn pkce_lines(trace: &Trace, step: &Step) -> Vec<String> {
    let d = &*step.decoded;
    let mut out = Vec::new();
    if let Some(challenge) = d.param("code_challenge") {
        let method = d
            .param("code_challenge_method")
            .unwrap_or_else(|| "plain (absent)".into());
        out.push(format!(
            "The client sends code_challenge = {challenge} with method {method} and keeps the code_verifier to itself (RFC 7636 §4.3)."
        ));
    }
    if let Some(verifier) = d
        .form
        .iter()
        .find(|(k, _)| k == "code_verifier")
        .map(|(_, v)| v)
    {
        let derived = pkce::s256(verifier);
        out.push(format!("code_verifier = {verifier}"));
        out.push(format!(
            "SHA-256(code_verifier) = {}",
            pkce::sha256_hex(verifier)
        ));
        out.push(format!(
            "BASE64URL(SHA-256(code_verifier)) = {derived} (RFC 7636 §4.2)"
        ));
        let sent = trace.steps[..step.index].iter().rev().find_map(|s| {
            s.decoded
                .query
                .iter()
                .find(|(k, _)| k == "code_challenge")
                .map(|(_, v)| (s.index, v.clone()))
        });
        match sent {
            Some((at, c)) if c == derived => out.push(format!(
                "It equals the code_challenge sent at step {at}: the AS can check that the same party asked for the code and redeems it (RFC 7636 §4.6)."
            )),
            Some((at, c)) if &c == verifier => out.push(format!(
                "The code_challenge sent at step {at} was the verifier itself (method plain): whoever saw the authorization request knows it."
            )),
            Some((at, _)) => out.push(format!(
                "It differs from the code_challenge sent at step {at}: the AS must refuse the code (RFC 7636 §4.6)."
            )),
            None => out.push("No code_challenge was sent earlier in this run.".into()),
        }
    }
    out
}

/// Whether a character can be part of a token-like value.
fn token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~' | '+' | '/' | '%')
}

/// `first16…last6` for a long value.
pub fn shorten(value: &str) -> String {
    let n = value.chars().count();
    if n <= LONG_VALUE {
        return value.to_string();
    }
    let head: String = value.chars().take(16).collect();
    let tail: String = value.chars().skip(n - 6).collect();
    format!("{head}…{tail}")
}

/// The wire text with every long token-like run shortened, and the full values in the
/// order they were shortened.
pub fn shorten_wire(wire: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(wire.len());
    let mut full = Vec::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String, full: &mut Vec<String>| {
        if run.chars().count() > LONG_VALUE {
            out.push_str(&shorten(run));
            if !full.contains(run) {
                full.push(run.clone());
            }
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in wire.replace("\r\n", "\n").chars() {
        if token_char(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out, &mut full);
            out.push(c);
        }
    }
    flush(&mut run, &mut out, &mut full);
    (out, full)
}

/// Every RFC section the run cites: in what the actors noted, and for each parameter,
/// header and claim that appears (from the glossary). Sorted, without repeats.
pub fn citations(trace: &Trace) -> Vec<String> {
    let mut found = BTreeSet::new();
    for s in &trace.steps {
        for cite in cited_in(&s.annotation) {
            found.insert(cite);
        }
        for p in params(s) {
            if let Some(t) = p.term {
                found.extend(t.rfc.split("; ").map(str::to_string));
            }
        }
        for t in tokens(s) {
            for c in t.header.iter().chain(&t.claims) {
                if let Some(term) = c.term {
                    found.extend(term.rfc.split("; ").map(str::to_string));
                }
            }
        }
    }
    let mut out: Vec<String> = found.into_iter().collect();
    out.sort_by_key(|c| citation_order(c));
    out
}

/// Sort key: the document (RFCs by number), then the section numbers.
fn citation_order(cite: &str) -> (u32, String, Vec<u32>) {
    let (doc, section) = cite.split_once(" §").unwrap_or((cite, ""));
    let number = doc
        .strip_prefix("RFC ")
        .and_then(|n| n.parse().ok())
        .unwrap_or(u32::MAX);
    let parts = section.split('.').map(|p| p.parse().unwrap_or(0)).collect();
    (number, doc.to_string(), parts)
}

/// `RFC 6749 §4.1.2`-style citations in free text.
pub fn cited_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("RFC ") {
        let after = &rest[i + 4..];
        let digits: String = after.chars().take_while(|c| c.is_ascii_digit()).collect();
        rest = &after[digits.len()..];
        if digits.is_empty() {
            continue;
        }
        let mut cite = format!("RFC {digits}");
        if let Some(sec) = rest.strip_prefix(" §") {
            let section: String = sec
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
                .collect();
            let section = section.trim_end_matches('.');
            if !section.is_empty() {
                cite.push_str(&format!(" §{section}"));
            }
        }
        out.push(cite);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::world::default_flow;

    #[test]
    fn finds_citations_in_text() {
        assert_eq!(
            cited_in("see RFC 6749 §4.1.2. and RFC 7636, RFC x"),
            vec!["RFC 6749 §4.1.2", "RFC 7636"]
        );
    }

    #[test]
    fn shortens_long_values_only() {
        let long = "a".repeat(50);
        let (text, full) = shorten_wire(&format!("GET /x?t={long}&s=short HTTP/1.1\r\n"));
        assert!(text.contains("aaaaaaaaaaaaaaaa…aaaaaa&s=short"), "{text}");
        assert_eq!(full, vec![long]);
    }

    #[test]
    fn the_token_request_shows_a_matching_pkce_derivation() {
        let mut sim = default_flow(1, Default::default());
        sim.run_until_idle();
        let trace = sim.trace();
        let token = trace.find("as", "/token").next().unwrap();
        let lines = pkce_lines(trace, token);
        assert!(
            lines.iter().any(|l| l.starts_with("It equals")),
            "{lines:?}"
        );
        assert!(citations(trace).iter().any(|c| c.starts_with("RFC 7636")));
    }
}
