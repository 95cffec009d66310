//! The sentence for a request: what it asks, who sends it and to whom, each noun read
//! from the step (its endpoints, URL and parameters).

use crate::sim::{Channel, Step, Trace};

use super::cast::{is_browser, person, who, who_cap};

/// The path of the step's URL, without query.
pub fn path_of(step: &Step) -> String {
    let whole = step.decoded.url.clone().unwrap_or_default();
    // The query goes first: a URL in it (`redirect_uri=http://…`, as typed) is not
    // this URL's scheme or path.
    let url = whole.split('?').next().unwrap_or("");
    let no_scheme = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let no_scheme = no_scheme
        .split_once(":/")
        .map(|(_, r)| r)
        .unwrap_or(no_scheme);
    let path = no_scheme.find('/').map(|i| &no_scheme[i..]).unwrap_or("/");
    path.to_string()
}

/// The scheme of the step's URL when it is not http(s): a URL the OS hands to an app
/// (RFC 8252 §7.1).
pub fn custom_scheme(step: &Step) -> Option<String> {
    let url = step.decoded.url.clone()?;
    let scheme = url.split_once(':')?.0.to_ascii_lowercase();
    (scheme != "http" && scheme != "https").then_some(scheme)
}

fn has(step: &Step, name: &str) -> bool {
    step.decoded.param(name).is_some()
}

/// "Alice" for a browser, else who the sender is.
fn sender_person(trace: &Trace, step: &Step) -> String {
    person(trace, step.from.as_str()).unwrap_or_else(|| who_cap(trace, step.from.as_str()))
}

pub fn sentence(trace: &Trace, step: &Step) -> String {
    let path = path_of(step);
    let method = step.decoded.method.clone().unwrap_or_default();
    let from = who_cap(trace, step.from.as_str());
    let to = who(trace, step.to.as_str());
    let back = step.channel == Channel::BackChannel;
    if let Some(scheme) = custom_scheme(step) {
        let url = step.decoded.url.clone().unwrap_or_default();
        return format!(
            "A {scheme}: URL is opened by an app, not fetched from a server: {to} receives it{}.",
            if url.contains("code=") {
                ", with an authorization code in it"
            } else {
                ""
            }
        );
    }
    match (method.as_str(), path.as_str()) {
        (_, p) if p.contains("/.well-known/") => format!(
            "{from} discovers {to}: it fetches its metadata to learn where each endpoint is."
        ),
        (_, p) if p.ends_with("/jwks") => format!(
            "{from} fetches the public keys of {to}, to check the signatures on the tokens it issues."
        ),
        ("GET", p) if p.ends_with("/authorize") => format!(
            "{from} carries an authorization request{} to {to}: every parameter is in the URL, so the user, extensions and logs can see it.",
            step.decoded
                .param("client_id")
                .map(|c| format!(" for client `{c}`"))
                .unwrap_or_default()
        ),
        ("POST", p) if p.ends_with("/token") && has(step, "refresh_token") => format!(
            "{from} trades a refresh token for a fresh access token at {to}{}; no user is involved.",
            if back { ", directly" } else { "" }
        ),
        ("POST", p) if p.ends_with("/token") && has(step, "code") => format!(
            "{from} redeems an authorization code at {to}{}.",
            if back {
                " over the back channel: no browser sees this request or the tokens it returns"
            } else {
                ""
            }
        ),
        ("POST", p) if p.ends_with("/introspect") => format!(
            "{from} asks {to} whether this access token is still active (not revoked, not expired)."
        ),
        ("POST", p) if p.ends_with("/login") && is_browser(trace, step.from.as_str()) => {
            login_sentence(trace, step)
        }
        ("POST", p) if p.ends_with("/consent") && is_browser(trace, step.from.as_str()) => {
            let answer = match step.decoded.param("decision").as_deref() {
                Some("approve") => "approves: the client may act within the scopes shown",
                Some("deny") => "denies: the client gets nothing",
                _ => {
                    return format!(
                        "{from} posts a form to the consent endpoint of {to}, with no consent decision in it."
                    );
                }
            };
            format!(
                "{} answers the consent screen of {to} and {answer}.",
                sender_person(trace, step)
            )
        }
        (_, p) if p.ends_with("/cb") && has(step, "code") => format!(
            "{from} brings an authorization code to the callback of {to}: anyone who can read this URL sees the code."
        ),
        (_, p) if p.ends_with("/cb") && has(step, "error") => {
            format!("{from} brings an error back to the callback of {to}.")
        }
        _ if step
            .decoded
            .header("authorization")
            .is_some_and(|a| a.starts_with("Bearer")) =>
        {
            format!(
                "{from} calls {method} {path} at {to} with an access token as a Bearer token: whoever holds the token can make this call."
            )
        }
        _ => format!("{from} sends {method} {path} to {to}."),
    }
}

/// The login form: whose password, typed into whose page (RFC 6749 §1.3.1: only the
/// AS sees it).
fn login_sentence(trace: &Trace, step: &Step) -> String {
    let typist = sender_person(trace, step);
    let account = step
        .decoded
        .param("username")
        .map(|u| format!(" for `{u}`"))
        .unwrap_or_default();
    let to = who(trace, step.to.as_str());
    let why = if super::cast::is_attacker(trace, step.to.as_str()) {
        "a page that is not the real authorization server's"
    } else {
        "the client never sees it — the whole point of OAuth"
    };
    format!("{typist} types the password{account} into the page of {to}: {why}.")
}
