//! One plain-words sentence per step, derived from what the step is (its kind, channel,
//! path and status); the receiver's own annotation follows it in the narration pane.

use crate::sim::{Channel, Origin, Step, StepKind};

fn path_of(step: &Step) -> String {
    let url = step.decoded.url.clone().unwrap_or_default();
    let no_scheme = url.split_once("://").map(|(_, r)| r).unwrap_or(&url);
    let path = no_scheme.find('/').map(|i| &no_scheme[i..]).unwrap_or("/");
    path.split('?').next().unwrap_or("/").to_string()
}

fn has(step: &Step, name: &str) -> bool {
    step.decoded.param(name).is_some()
}

/// Who an actor id is, in words.
pub fn who(id: &str) -> String {
    match id {
        "browser" => "Alice's browser".into(),
        "client" => "the client (Photo Printer)".into(),
        "as" => "the authorization server".into(),
        "rs" => "the resource server (API)".into(),
        "world" => "the world".into(),
        "photos-app" => "the native app".into(),
        other if other.contains("attacker") || other.contains("mallory") => {
            format!("the attacker ({other})")
        }
        other => other.to_string(),
    }
}

/// The channel in words.
pub fn channel_words(c: Channel) -> &'static str {
    match c {
        Channel::FrontChannel => "front-channel: through the browser, visible in URLs and history",
        Channel::BackChannel => "back-channel: server to server, never seen by the browser",
        Channel::Observed => "observed: a copy an attacker sees",
    }
}

fn request_sentence(step: &Step) -> String {
    let path = path_of(step);
    let method = step.decoded.method.clone().unwrap_or_default();
    match (method.as_str(), path.as_str()) {
        (_, p) if p.contains("/.well-known/") => {
            "The client discovers the AS: it fetches its metadata to learn where each endpoint is.".into()
        }
        (_, p) if p.ends_with("/jwks") => {
            "Fetching the AS's public keys, to check the signatures on the tokens it will issue.".into()
        }
        ("GET", p) if p.ends_with("/authorize") => {
            "The authorization request reaches the AS through the browser: every parameter is in the URL, so the user, extensions and logs can see it.".into()
        }
        ("POST", p) if p.ends_with("/token") && has(step, "refresh_token") => {
            "The client trades its refresh token for a fresh access token, directly with the AS; the user is not involved.".into()
        }
        ("POST", p) if p.ends_with("/token") => {
            "The client redeems the code at the AS over the back channel: the browser never sees this request or the tokens it returns.".into()
        }
        ("POST", p) if p.ends_with("/introspect") => {
            "The resource server asks the AS whether this access token is still active (not revoked, not expired).".into()
        }
        ("POST", p) if p.ends_with("/login") => {
            "Alice types her password into the AS's own page: the client never sees it — the whole point of OAuth.".into()
        }
        ("POST", p) if p.ends_with("/consent") => {
            "Alice answers the consent screen: she decides what the client may do on her behalf.".into()
        }
        (_, p) if p.ends_with("/cb") && has(step, "code") => {
            "The browser brings the authorization code to the client's callback: anyone who can read this URL sees the code.".into()
        }
        (_, p) if p.ends_with("/cb") && has(step, "error") => {
            "The browser brings an error back to the client's callback.".into()
        }
        _ if step.decoded.header("authorization").is_some_and(|a| a.starts_with("Bearer")) => {
            "An API call carrying the access token as a Bearer token: whoever holds the token can make this call.".into()
        }
        _ => format!(
            "{} sends {} {} to {}.",
            capital(&who(step.from.as_str())),
            method,
            path,
            who(step.to.as_str())
        ),
    }
}

fn response_sentence(step: &Step) -> String {
    let status = step.decoded.status.unwrap_or(0);
    if let Some(err) = step.decoded.param("error") {
        return format!(
            "Refused with `{err}`: {} said no, and the flow cannot go on this way.",
            who(step.from.as_str())
        );
    }
    if (300..400).contains(&status) {
        if has(step, "code") {
            return "The AS answers with a redirect that carries the authorization code back through the browser (front channel).".into();
        }
        if step
            .decoded
            .header("location")
            .is_some_and(|l| l.contains("/authorize"))
        {
            return "The client redirects the browser to the AS with its authorization request: the browser is only the messenger.".into();
        }
        return format!("A {status} redirect: the browser will follow it to the next page.");
    }
    if has(step, "access_token") {
        return "The AS issues tokens. They go straight to the client; the browser never holds them.".into();
    }
    if has(step, "active") {
        return "The AS tells the resource server whether the token is active.".into();
    }
    if has(step, "keys") {
        return "The AS's public keys (JWKS) arrive; signatures can now be checked.".into();
    }
    if has(step, "issuer") {
        return "The AS's metadata arrives: issuer, endpoints, supported methods.".into();
    }
    if has(step, "photos") {
        return "The API serves the protected resource: Alice's photos.".into();
    }
    let html = step
        .decoded
        .header("content-type")
        .is_some_and(|c| c.starts_with("text/html"));
    match status {
        200 if html => format!(
            "{} answers 200 with a page for Alice.",
            capital(&who(step.from.as_str()))
        ),
        401 | 403 => format!(
            "{} refuses the request ({status}).",
            capital(&who(step.from.as_str()))
        ),
        s if s >= 400 => format!("An error response ({s})."),
        s => format!("{} answers {s}.", capital(&who(step.from.as_str()))),
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// What the step is, in plain words.
pub fn sentence(step: &Step) -> String {
    let base = match step.kind {
        StepKind::Event if step.from.as_str() == "world" => {
            "Time passes. Anything with a lifetime — codes, tokens, sessions — may now have expired.".to_string()
        }
        StepKind::Event => format!(
            "{} acts: {}.",
            capital(&who(step.from.as_str())),
            step.summary
        ),
        StepKind::Observed => format!(
            "{} sees a copy of a message meant for someone else — whatever it carries is now theirs.",
            capital(&who(step.to.as_str()))
        ),
        StepKind::Request => request_sentence(step),
        StepKind::Response => response_sentence(step),
    };
    match step.origin {
        Origin::Attacker => {
            format!("⚠ Attacker: this message was sent or altered by the attacker. {base}")
        }
        Origin::Learner => format!("✎ You sent or edited this message. {base}"),
        Origin::Honest => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::world::default_flow;

    #[test]
    fn every_step_of_the_default_flow_has_a_sentence() {
        let mut sim = default_flow(1, Default::default());
        sim.run_until_idle();
        for s in &sim.trace().steps {
            let line = sentence(s);
            assert!(line.len() > 10, "{line}");
        }
        let token = sim.trace().find("as", "/token").next().unwrap();
        assert!(sentence(token).contains("back channel"));
    }
}
