//! HTTP/1.1 framing as the honest parties must read it (RFC 9112 §6.3, §3.2): exact
//! bytes are put on the bus and the receiver's answer is checked. A mis-framed response
//! is reported to the user waiting on it, never dropped in silence.

use oauth_lab::actors::well_known as wk;
use oauth_lab::actors::{ActorId, ActorKind};
use oauth_lab::protocol::http_wire::Response;
use oauth_lab::protocol::params::Params;
use oauth_lab::sim::bus::Envelope;
use oauth_lab::sim::{Decision, Interceptor, Simulation, Step};
use oauth_lab::testing::*;

/// Replaces the wire text of the first message `matches` accepts with `rewrite` of it:
/// the bytes the receiver gets are exactly those.
struct Rewrite {
    matches: Box<dyn Fn(&Envelope) -> bool>,
    rewrite: Box<dyn Fn(&str) -> String>,
    done: bool,
}

impl Interceptor for Rewrite {
    fn name(&self) -> &str {
        "exact bytes"
    }

    fn on_send(&mut self, env: &Envelope) -> Decision {
        if self.done || !(self.matches)(env) {
            return Decision::Pass;
        }
        self.done = true;
        Decision::Replace((self.rewrite)(&env.wire))
    }
}

fn rewrite(
    sim: &mut Simulation,
    matches: impl Fn(&Envelope) -> bool + 'static,
    rewrite: impl Fn(&str) -> String + 'static,
) {
    sim.add_interceptor(Box::new(Rewrite {
        matches: Box::new(matches),
        rewrite: Box::new(rewrite),
        done: false,
    }));
}

/// Sends exactly `wire` from a new back-channel probe; returns the answer and the
/// delivered request's step.
fn send_raw(sim: &mut Simulation, wire: &str) -> (Response, Step) {
    let probe = ActorId::new(&format!("probe-{}", sim.actors().count()));
    let wire = wire.to_string();
    rewrite(
        sim,
        move |env| env.from == probe && !env.is_response(),
        move |_| wire.clone(),
    );
    let (resp, index) = send(
        sim,
        ActorKind::Client,
        get(&format!("{}/placeholder", wk::AS_ISSUER)),
    );
    (resp, sim.trace().steps[index].clone())
}

/// Photo Printer's form body redeeming `code`.
fn redeem_body(code: &str) -> String {
    Params::from_pairs([
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", wk::CLIENT_REDIRECT_URI),
        ("code_verifier", VERIFIER),
    ])
    .encode()
}

/// `POST /token` wire text with the given framing header lines and body bytes.
fn token_post(framing: &[&str], body: &str) -> String {
    let mut wire = format!(
        "POST /token HTTP/1.1\r\nHost: as.example\r\nAuthorization: {}\r\nContent-Type: application/x-www-form-urlencoded\r\n",
        basic(wk::CLIENT_ID, wk::CLIENT_SECRET)
    );
    for line in framing {
        wire.push_str(line);
        wire.push_str("\r\n");
    }
    wire.push_str("\r\n");
    wire.push_str(body);
    wire
}

/// A world with a fresh code, and its redemption body.
fn world_with_code() -> (Simulation, String, String) {
    let mut sim = lab(bcp());
    let code = printer_code(&mut sim);
    let body = redeem_body(&code);
    (sim, code, body)
}

/// Header lines and body bytes framing a form body.
type Framing = (Vec<String>, String);

/// Redeems a fresh code with the request framed by `framing`; returns the answer and
/// the delivered request's step.
fn redeem_framed(framing: impl Fn(&str) -> Framing) -> (Simulation, String, Response, Step) {
    let (mut sim, code, body) = world_with_code();
    let (lines, bytes) = framing(&body);
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let (resp, step) = send_raw(&mut sim, &token_post(&lines, &bytes));
    (sim, code, resp, step)
}

/// The receiver's HTTP layer refuses the redemption framed by `framing` with `status`
/// and a note containing `why`; the code is not used up: the proper request still
/// works. Returns the refusal's body.
fn assert_framing_refused(framing: impl Fn(&str) -> Framing, status: u16, why: &str) -> String {
    let (mut sim, code, resp, step) = redeem_framed(framing);
    assert_eq!(resp.status(), status, "{}", body_text(&resp));
    assert!(
        step.annotation.contains("malformed HTTP") && step.annotation.contains(why),
        "{why:?} not in {}",
        step.annotation
    );
    let (again, _) = send(&mut sim, ActorKind::Client, redeem_as_printer(&code));
    assert_eq!(again.status(), 200, "{}", body_text(&again));
    body_text(&resp)
}

/// The redemption framed by `framing` is read as intended: tokens are issued.
fn assert_framing_accepted(framing: impl Fn(&str) -> Framing) -> Step {
    let (_, _, resp, step) = redeem_framed(framing);
    assert_eq!(resp.status(), 200, "{}", body_text(&resp));
    assert!(json(&resp)["access_token"].is_string());
    step
}

#[test]
fn a_request_with_neither_length_nor_coding_has_no_body() {
    assert_framing_refused(
        |body| (Vec::new(), body.to_string()),
        400,
        "has no body (RFC 9112 §6.3)",
    );
}

#[test]
fn content_length_is_only_digits() {
    for bad in ["+{n}", "-0{n}", "{n}.0", "0x{n}", "{n} bytes"] {
        assert_framing_refused(
            |body| {
                let value = bad.replace("{n}", &body.len().to_string());
                (vec![format!("Content-Length: {value}")], body.to_string())
            },
            400,
            "1*DIGIT",
        );
    }
}

#[test]
fn identical_content_lengths_count_as_one() {
    assert_framing_accepted(|body| {
        let n = body.len();
        (vec![format!("Content-Length: {n}, {n}")], body.to_string())
    });
    assert_framing_accepted(|body| {
        let line = format!("Content-Length: {}", body.len());
        (vec![line.clone(), line], body.to_string())
    });
}

#[test]
fn differing_content_lengths_are_refused() {
    assert_framing_refused(
        |body| {
            let n = body.len();
            (
                vec![
                    format!("Content-Length: {n}"),
                    format!("Content-Length: {}", n + 1),
                ],
                body.to_string(),
            )
        },
        400,
        "disagree",
    );
    assert_framing_refused(
        |body| {
            (
                vec![format!("Content-Length: {}, 0", body.len())],
                body.to_string(),
            )
        },
        400,
        "disagree",
    );
}

/// `body` in two chunks, with a chunk extension and a trailer field (RFC 9112 §7.1).
fn chunked(body: &str) -> String {
    let (a, b) = body.split_at(body.len() / 2);
    format!(
        "{:x};note=first\r\n{a}\r\n{:X}\r\n{b}\r\n0\r\nX-Trailer: end\r\n\r\n",
        a.len(),
        b.len()
    )
}

/// `body` chunked, under the given `Transfer-Encoding`.
fn coded(coding: &'static str) -> impl Fn(&str) -> Framing {
    move |body| (vec![format!("Transfer-Encoding: {coding}")], chunked(body))
}

#[test]
fn a_chunked_body_is_decoded() {
    let step = assert_framing_accepted(coded("chunked"));
    assert!(
        step.decoded
            .form
            .iter()
            .any(|(k, v)| k == "code_verifier" && v == VERIFIER),
        "the decoded view shows the decoded body"
    );
}

#[test]
fn a_request_whose_final_coding_is_not_chunked_is_refused() {
    assert_framing_refused(coded("chunked, gzip"), 400, "does not end with chunked");
    // A coding it does not implement before chunked: 501 (RFC 9112 §6.1).
    assert_framing_refused(coded("gzip, chunked"), 501, "answered 501");
}

#[test]
fn transfer_encoding_with_content_length_is_refused_as_smuggling() {
    let answer = assert_framing_refused(
        |body| {
            let chunks = chunked(body);
            (
                vec![
                    "Transfer-Encoding: chunked".to_string(),
                    format!("Content-Length: {}", chunks.len()),
                ],
                chunks,
            )
        },
        400,
        "request smuggling",
    );
    assert!(answer.contains("request smuggling"), "{answer}");
}

#[test]
fn two_host_headers_are_refused() {
    assert_framing_refused(
        |body| {
            (
                vec![
                    "Host: attacker.example".to_string(),
                    format!("Content-Length: {}", body.len()),
                ],
                body.to_string(),
            )
        },
        400,
        "more than one Host",
    );
}

/// Adds one to the first digit of the `Content-Length` value: the header no longer
/// matches the body.
fn wrong_length(wire: &str) -> String {
    let at = wire.find("Content-Length: ").expect("a Content-Length") + 16;
    let mut out = wire.to_string();
    let digit = out.as_bytes()[at] - b'0';
    out.replace_range(at..at + 1, &((digit + 1) % 10).to_string());
    out
}

/// The receiver's note on `step` says `needle`.
fn assert_note(step: &Step, needle: &str) {
    assert!(step.annotation.contains(needle), "{}", step.annotation);
}

#[test]
fn a_misframed_token_response_ends_alices_sign_in_with_an_error_page() {
    let mut sim = lab(bcp());
    rewrite(&mut sim, is_token_response_to_client, wrong_length);
    let mark = alice_signs_in(&mut sim);
    let cb = requests_to(&sim, mark, wk::CLIENT, "GET /cb?")[0].clone();
    let answer = response_with_status(&sim, &cb, 400, mark);
    assert!(
        answer.wire.contains("unreadable token response") && answer.wire.contains("Content-Length"),
        "{}",
        answer.wire
    );
    let token_answer = sim
        .trace()
        .steps
        .iter()
        .rfind(|s| s.from.as_str() == wk::AS && s.to.as_str() == wk::CLIENT)
        .expect("the token response");
    assert_note(token_answer, "cannot be read");
    assert!(alice_client_session(&sim).is_some_and(|c| {
        client(&sim)
            .session(&c)
            .is_some_and(|s| s.user.is_none() && s.tokens.is_none())
    }));
}

#[test]
fn a_misframed_introspection_answer_gets_the_api_request_a_502() {
    let mut sim = lab(bcp());
    assert!(sim.defenses().token_introspection);
    rewrite(
        &mut sim,
        |env| env.from.as_str() == wk::AS && env.to.as_str() == wk::RS && env.is_response(),
        wrong_length,
    );
    let mark = alice_signs_in(&mut sim);
    assert_eq!(rs(&sim).parked(), 0, "{}", transcript(&sim, mark));
    let api = requests_to(&sim, mark, wk::RS, "GET /photos")[0].clone();
    response_with_status(&sim, &api, 502, mark);
    let introspection_answer = steps_from(&sim, mark)
        .iter()
        .find(|s| s.from.as_str() == wk::AS && s.to.as_str() == wk::RS)
        .expect("the introspection answer");
    assert_note(introspection_answer, "502");
}
