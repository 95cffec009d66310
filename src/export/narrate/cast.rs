//! Who an actor is, in words, read from the trace's list of actors: a browser is named
//! by the person using it, an attacker-controlled actor says so.

use crate::actors::ActorKind;
use crate::sim::Trace;
use crate::sim::trace::ActorInfo;

fn info<'a>(trace: &'a Trace, id: &str) -> Option<&'a ActorInfo> {
    trace.actors.iter().find(|a| a.id.as_str() == id)
}

/// Whether the attacker controls actor `id` (its own server, app, browser or client).
pub fn is_attacker(trace: &Trace, id: &str) -> bool {
    info(trace, id).is_some_and(|a| a.attacker || a.kind == ActorKind::Attacker)
}

/// Whether actor `id` is a browser.
pub fn is_browser(trace: &Trace, id: &str) -> bool {
    info(trace, id).is_some_and(|a| a.kind == ActorKind::Browser)
}

/// The person at browser `id`: a browser labels itself `Browser (Name)`.
pub fn person(trace: &Trace, id: &str) -> Option<String> {
    let a = info(trace, id).filter(|a| a.kind == ActorKind::Browser)?;
    let name = a.label.strip_prefix("Browser (")?.strip_suffix(')')?;
    (!name.is_empty()).then(|| name.to_string())
}

/// The person whose username is `username`, if a browser of the trace belongs to them
/// (the simulated people sign in with their name in lower case).
pub fn person_with_username(trace: &Trace, username: &str) -> Option<String> {
    trace
        .actors
        .iter()
        .filter_map(|a| person(trace, a.id.as_str()))
        .find(|p| p.to_lowercase() == username)
}

/// `Alice's photos`, or `the photos of user x` when no person of the trace is `x`.
pub fn owner_words(trace: &Trace, username: &str) -> String {
    match person_with_username(trace, username) {
        Some(p) => format!("{p}'s photos"),
        None => format!("the photos of user `{username}`"),
    }
}

/// The label with a lower-case first letter, after "the".
fn the_label(label: &str) -> String {
    let mut c = label.chars();
    let lowered: String = match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    };
    if lowered.starts_with("the ") {
        lowered
    } else {
        format!("the {lowered}")
    }
}

/// Who actor `id` is, in words.
pub fn who(trace: &Trace, id: &str) -> String {
    if id == "world" {
        return "the world".into();
    }
    let Some(a) = info(trace, id) else {
        return id.to_string();
    };
    if let Some(lane) = crate::sim::lane::Lane::of_id(id)
        && person(trace, id).is_none()
    {
        return lane.in_words().to_string();
    }
    let theirs = if a.attacker {
        "the attacker's "
    } else {
        "the "
    };
    match a.kind {
        ActorKind::Browser => match person(trace, id) {
            Some(p) => format!("{p}'s browser"),
            None => format!("{theirs}browser ({id})"),
        },
        ActorKind::Client | ActorKind::NativeApp if a.attacker => {
            format!(
                "the attacker's {}",
                the_label(&a.label).trim_start_matches("the ")
            )
        }
        ActorKind::Client | ActorKind::NativeApp => the_label(&a.label),
        ActorKind::AuthorizationServer if a.attacker => {
            format!("the attacker's authorization server ({id})")
        }
        ActorKind::AuthorizationServer => "the authorization server".into(),
        ActorKind::ResourceServer if a.attacker => format!("the attacker's API ({id})"),
        ActorKind::ResourceServer => "the resource server (API)".into(),
        ActorKind::Attacker => the_label(&a.label),
        ActorKind::Site => the_label(&a.label),
    }
}

/// The same with a capital first letter, to open a sentence.
pub fn who_cap(trace: &Trace, id: &str) -> String {
    let words = who(trace, id);
    // A program's name keeps its spelling: "curl sends …", not "Curl sends …".
    if crate::sim::lane::Lane::of_id(id) == Some(crate::sim::lane::Lane::Curl) {
        return words;
    }
    capital(&words)
}

/// `s` with an upper-case first letter.
pub fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
