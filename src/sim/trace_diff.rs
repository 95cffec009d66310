//! Where two runs of a world first part ways: the first step whose message differs,
//! or that is handled differently, or where one run ends and the other goes on. The
//! UI says it after a defense is toggled; anything comparing two traces can use it.

use std::collections::BTreeMap;

use super::trace::{Step, Trace};

/// Where a rebuilt run first differs from the one before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub index: usize,
    pub what: DiffKind,
    /// The step's label before and after (empty when the step does not exist).
    pub before: String,
    pub after: String,
    /// When the first difference is only in handling: the first step whose message
    /// differs, with its labels before and after.
    pub message: Option<(usize, String, String)>,
    /// What changed in the first differing message, in words (`without code_challenge`).
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffKind {
    /// The message (sender, receiver or wire text) differs.
    Message,
    /// Same message, but the receiver handled it differently.
    Handling,
    /// One run ends here, the other goes on.
    Length,
}

fn label(t: &Trace, i: usize) -> String {
    t.steps
        .get(i)
        .map(|s| format!("{} → {}: {}", s.from, s.to, s.summary))
        .unwrap_or_default()
}

/// The first step whose message differs (or where one run ends), and how.
fn first_diff(before: &Trace, after: &Trace, messages_only: bool) -> Option<(usize, DiffKind)> {
    let common = before.steps.len().min(after.steps.len());
    for i in 0..common {
        let (a, b) = (&before.steps[i], &after.steps[i]);
        if a.from != b.from || a.to != b.to || a.kind != b.kind || a.wire != b.wire {
            return Some((i, DiffKind::Message));
        }
        if !messages_only && a.annotation != b.annotation {
            return Some((i, DiffKind::Handling));
        }
    }
    (before.steps.len() != after.steps.len()).then_some((common, DiffKind::Length))
}

/// Every parameter of a message, by name (query, redirect, form, JSON).
fn params_of(step: &Step) -> BTreeMap<String, String> {
    let d = &step.decoded;
    let mut out: BTreeMap<String, String> = d
        .query
        .iter()
        .chain(&d.location_query)
        .chain(&d.form)
        .cloned()
        .collect();
    if let Some(serde_json::Value::Object(map)) = &d.json {
        for (k, v) in map {
            out.insert(k.clone(), v.to_string());
        }
    }
    out
}

/// What differs between two versions of one message, in words.
pub fn message_change(a: &Step, b: &Step) -> String {
    if a.from != b.from || a.to != b.to {
        return format!("now {} → {} (was {} → {})", b.from, b.to, a.from, a.to);
    }
    if a.decoded.status != b.decoded.status || a.decoded.method != b.decoded.method {
        return format!("now “{}” (was “{}”)", b.summary, a.summary);
    }
    let (pa, pb) = (params_of(a), params_of(b));
    let removed: Vec<&str> = pa
        .keys()
        .filter(|k| !pb.contains_key(*k))
        .map(String::as_str)
        .collect();
    let added: Vec<&str> = pb
        .keys()
        .filter(|k| !pa.contains_key(*k))
        .map(String::as_str)
        .collect();
    let changed: Vec<&str> = pa
        .iter()
        .filter(|(k, v)| pb.get(*k).is_some_and(|w| w != *v))
        .map(|(k, _)| k.as_str())
        .collect();
    let mut parts = Vec::new();
    if !removed.is_empty() {
        parts.push(format!("no longer carries {}", removed.join(", ")));
    }
    if !added.is_empty() {
        parts.push(format!("now carries {}", added.join(", ")));
    }
    if !changed.is_empty() {
        parts.push(format!("different {}", names_list(&changed, NAMED)));
    }
    if parts.is_empty() {
        if a.summary != b.summary {
            format!("now “{}” (was “{}”)", b.summary, a.summary)
        } else {
            "its raw text differs (headers or body)".to_string()
        }
    } else {
        parts.join("; ")
    }
}

/// How many names a change lists before it counts the rest.
const NAMED: usize = 4;

/// `a, b, c`, or, past `named` names, the first ones and how many more
/// (`a, b, c, d and 3 more`).
fn names_list(names: &[&str], named: usize) -> String {
    if names.len() <= named {
        return names.join(", ");
    }
    format!(
        "{} and {} more",
        names[..named].join(", "),
        names.len() - named
    )
}

/// The first step at which two traces differ, if any.
pub fn first_difference(before: &Trace, after: &Trace) -> Option<Difference> {
    let (index, what) = first_diff(before, after, false)?;
    let message = if what == DiffKind::Handling {
        first_diff(before, after, true).map(|(i, _)| (i, label(before, i), label(after, i)))
    } else {
        None
    };
    let msg_index = match (what, &message) {
        (DiffKind::Message, _) => Some(index),
        (_, Some((i, _, _))) => Some(*i),
        _ => None,
    };
    let detail = msg_index
        .and_then(|i| Some((before.steps.get(i)?, after.steps.get(i)?)))
        .map(|(a, b)| message_change(a, b))
        .unwrap_or_default();
    Some(Difference {
        index,
        what,
        before: label(before, index),
        after: label(after, index),
        message,
        detail,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::defenses::Profile;
    use crate::sim::world::default_flow;

    fn run(profile: Profile) -> Trace {
        let mut sim = default_flow(7, profile.defenses());
        sim.run_until_idle();
        sim.into_trace()
    }

    #[test]
    fn same_runs_do_not_differ_and_a_shorter_one_ends_first() {
        let full = run(Profile::Bcp);
        assert_eq!(first_difference(&full, &full.clone()), None);
        let mut short = full.clone();
        short.steps.truncate(10);
        let d = first_difference(&full, &short).expect("the short run ends");
        assert_eq!((d.index, d.what), (10, DiffKind::Length));
        assert!(d.after.is_empty() && !d.before.is_empty());
    }

    #[test]
    fn changed_values_are_named_and_many_are_counted() {
        assert_eq!(names_list(&["code", "state"], NAMED), "code, state");
        assert_eq!(
            names_list(&["a", "b", "c", "d", "e", "f"], NAMED),
            "a, b, c, d and 2 more"
        );
        let full = run(Profile::Bcp);
        let i = full
            .steps
            .iter()
            .position(|s| {
                s.decoded.param("state").is_some() && s.decoded.param("code_challenge").is_some()
            })
            .expect("an authorization request");
        let mut other = full.clone();
        let mut decoded = (*full.steps[i].decoded).clone();
        let decoded_params = decoded
            .query
            .iter_mut()
            .chain(decoded.location_query.iter_mut());
        for (k, v) in decoded_params {
            if ["state", "code_challenge", "nonce", "scope", "client_id"].contains(&k.as_str()) {
                v.push('x');
            }
        }
        other.steps[i].decoded = crate::sim::lazy::Lazy::ready(decoded);
        let words = message_change(&full.steps[i], &other.steps[i]);
        assert_eq!(
            words, "different client_id, code_challenge, nonce, scope and 1 more",
            "{words}"
        );
        assert!(!words.contains("values differ"), "{words}");
    }

    #[test]
    fn another_profile_changes_a_message_and_says_how() {
        let d = first_difference(&run(Profile::Bcp), &run(Profile::Naive)).expect("a change");
        let at = match d.what {
            DiffKind::Message => d.index,
            _ => d.message.as_ref().expect("a message differs").0,
        };
        assert!(at >= d.index);
        assert!(!d.detail.is_empty(), "{d:?}");
    }
}
