//! Narration says only what the step shows (issue 9, "Narration must be derived, never
//! templated"): every sentence below is read from a real run and checked against the
//! step it describes — its sender's person, its body's owner, its parameters.

use oauth_lab::actors::Defenses;
use oauth_lab::actors::well_known as wk;
use oauth_lab::attacks::catalog;
use oauth_lab::attacks::setup::ATTACKER_BROWSER;
use oauth_lab::export::narrate::{headline, narrate};
use oauth_lab::sim::world::default_flow;
use oauth_lab::sim::{Step, StepKind, Trace};
use oauth_lab::testing::Attempt;

const EVIL_APP: &str = "evil-app";

fn profiles() -> [(&'static str, Defenses); 3] {
    [
        ("naive", Defenses::naive()),
        ("rfc6749", Defenses::rfc6749()),
        ("bcp", Defenses::bcp()),
    ]
}

fn step_line(trace: &Trace, s: &Step) -> String {
    format!(
        "step {} {} -> {} {}: {}\n  note: {}",
        s.index,
        s.from,
        s.to,
        s.summary,
        narrate(trace, s),
        s.annotation
    )
}

#[test]
fn csrf_login_naive_names_mallory_where_the_step_is_mallorys() {
    let a = Attempt::naive("csrf-login");
    let t = a.trace();
    let mut photos = 0;
    let mut mallory_login = 0;
    let mut mallory_pages = 0;
    for s in a.steps() {
        let line = narrate(t, s);
        if let Some(owner) = s.decoded.param("owner") {
            photos += 1;
            assert_eq!(owner, wk::MALLORY, "{}", step_line(t, s));
            assert!(line.contains("Mallory's photos"), "{}", step_line(t, s));
            assert!(!line.contains("Alice's photos"), "{}", step_line(t, s));
        }
        let is_login = s.kind == StepKind::Request
            && s.decoded.method.as_deref() == Some("POST")
            && s.decoded
                .url
                .as_deref()
                .is_some_and(|u| u.contains("/login"));
        if is_login && s.from.as_str() == ATTACKER_BROWSER {
            mallory_login += 1;
            assert!(
                line.contains("Mallory types the password for `mallory`"),
                "{}",
                step_line(t, s)
            );
        }
        let page = s.kind == StepKind::Response
            && s.decoded.status == Some(200)
            && s.decoded
                .header("content-type")
                .is_some_and(|c| c.starts_with("text/html"));
        if page && s.to.as_str() == ATTACKER_BROWSER {
            mallory_pages += 1;
            assert!(line.contains("for Mallory."), "{}", step_line(t, s));
        }
        if s.to.as_str() == ATTACKER_BROWSER || s.from.as_str() == ATTACKER_BROWSER {
            assert!(!line.contains("Alice"), "{}", step_line(t, s));
        }
    }
    assert!(
        photos > 0 && mallory_login > 0 && mallory_pages > 0,
        "{}",
        a.outline()
    );
}

#[test]
fn the_id_token_note_mentions_a_nonce_only_when_the_token_has_one() {
    let mut seen = [false, false];
    for (name, d) in profiles() {
        let mut sim = default_flow(1, d);
        sim.run_until_idle();
        let t = sim.trace();
        for s in t
            .steps
            .iter()
            .filter(|s| s.annotation.contains("an ID token"))
        {
            let resp = s
                .msg_id
                .and_then(|id| t.response_to(id))
                .unwrap_or_else(|| panic!("{name}: no answer to {}", step_line(t, s)));
            let id_token = resp
                .decoded
                .jwts
                .iter()
                .find(|j| j.found_in.contains("id_token"))
                .unwrap_or_else(|| panic!("{name}: no ID token in {}", step_line(t, resp)));
            let has_nonce = id_token.claims.get("nonce").is_some();
            seen[has_nonce as usize] = true;
            assert_eq!(
                s.annotation.contains("with the nonce"),
                has_nonce,
                "{name}: {}",
                step_line(t, s)
            );
        }
    }
    assert_eq!(
        seen,
        [true, true],
        "both a token with and one without a nonce"
    );
}

/// Signs of a sentence assembled from parts that do not fit together; a narration
/// sentence (unlike a note quoting an error description) also never nests parentheses.
fn garbling(text: &str, max_depth: i32) -> Option<&'static str> {
    let mut depth = 0i32;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return Some("a ) before its (");
        }
        if depth > max_depth {
            return Some("nested parentheses");
        }
    }
    if depth != 0 {
        return Some("unmatched parentheses");
    }
    [
        ") diverted",
        "callback captured",
        "  ",
        "((",
        " .",
        " ,",
        ": :",
        "..",
    ]
    .into_iter()
    .find(|p| text.replace("/../", "/").contains(p))
}

#[test]
fn no_narration_or_note_is_garbled_in_any_attack_under_any_profile() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for attack in catalog() {
        for (name, d) in profiles() {
            let a = Attempt::run(attack.info().id, name.into(), d);
            let t = a.trace();
            for s in a.steps() {
                checked += 1;
                for (text, depth) in [(narrate(t, s), 1), (s.annotation.clone(), 2)] {
                    if let Some(why) = garbling(&text, depth) {
                        problems.push(format!(
                            "{} under {name}, {why}:\n{}",
                            attack.info().id,
                            step_line(t, s)
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 500, "only {checked} steps");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn csrf_login_naive_note_lists_only_what_the_kept_url_carries() {
    for (name, d) in profiles() {
        let a = Attempt::run("csrf-login", name.into(), d.clone());
        let t = a.trace();
        for s in a.steps() {
            let Some(at) = s.annotation.find("kept its own callback URL") else {
                continue;
            };
            let note = &s.annotation[at..];
            let url = s.decoded.url.clone().unwrap_or_default();
            let carries_state = url.contains("state=");
            assert_eq!(
                note.contains("state"),
                carries_state,
                "{name}: {}",
                step_line(t, s)
            );
            if name == "naive" {
                assert!(!carries_state, "naive sends no state: {}", step_line(t, s));
            }
        }
    }
}

#[test]
fn code_interception_naive_headlines_say_who_sent_and_how_it_was_diverted() {
    let a = Attempt::naive("code-interception");
    let t = a.trace();
    let diverted = a.first_between(wk::BROWSER, EVIL_APP);
    let line = narrate(t, diverted);
    assert!(
        line.starts_with("⚠ Diverted: Alice's browser sent it; the OS handed it to the malicious app, which claims the com.example.photos: scheme too"),
        "{}",
        step_line(t, diverted)
    );
    assert!(!line.contains("sent or altered"), "{line}");
    assert!(
        diverted
            .annotation
            .contains("The OS hands com.example.photos: URLs to the malicious app"),
        "{}",
        step_line(t, diverted)
    );
    let redeem = a.first_between(EVIL_APP, wk::AS);
    let line = narrate(t, redeem);
    assert!(
        line.starts_with("⚠ Sent by the attacker: The malicious app redeems an authorization code"),
        "{}",
        step_line(t, redeem)
    );
    // The redirect to the app's scheme is not re-sent as a POST: the URL goes to the OS.
    let to_scheme = a
        .steps()
        .iter()
        .filter(|s| s.annotation.contains("com.example.photos:"))
        .filter(|s| s.annotation.contains("Browser:"))
        .collect::<Vec<_>>();
    assert!(!to_scheme.is_empty(), "{}", a.outline());
    for s in to_scheme {
        assert!(!s.annotation.contains("re-sends"), "{}", step_line(t, s));
    }
}

#[test]
fn attacker_events_are_headed_as_moves_not_messages() {
    let mut events = 0;
    for attack in catalog() {
        let a = Attempt::naive(attack.info().id);
        let t = a.trace();
        for s in a.steps().iter().filter(|s| s.kind == StepKind::Event) {
            let Some(h) = headline(t, s) else { continue };
            events += 1;
            assert!(h.contains("not a message"), "{}", step_line(t, s));
        }
    }
    assert!(events > 0, "no attacker event in any attack");
}

#[test]
fn notes_name_only_the_sign_in_values_the_captured_request_carries() {
    let mut seen = 0;
    for attack in ["code-injection", "referer-leak", "implicit-token-injection"] {
        for (name, d) in profiles() {
            let a = Attempt::run(attack, name.into(), d);
            let t = a.trace();
            for s in a.steps() {
                let Some(at) = s.annotation.find("waits with ") else {
                    continue;
                };
                seen += 1;
                let rest = &s.annotation[at..];
                let clause = &rest[..rest.find('.').unwrap_or(rest.len())];
                let url = s.decoded.url.clone().unwrap_or_default();
                for p in ["state", "nonce", "code_challenge"] {
                    let named_as_own =
                        clause.starts_with("waits with its own") && clause.contains(p);
                    assert_eq!(
                        named_as_own,
                        url.contains(&format!("{p}=")),
                        "{attack} under {name}, {p}: {}",
                        step_line(t, s)
                    );
                }
            }
        }
    }
    assert!(seen >= 6, "only {seen} notes");
}
