//! Intercept mode in tests: hold the traffic until a message of interest, edit it,
//! release everything; and edits of a held message's wire text.

use crate::actors::well_known as wk;
use crate::actors::{ActorId, MsgId, UserAction};
use crate::protocol::http_wire::{parse_response, render_response, response_header, set_header};
use crate::protocol::params::Params;
use crate::sim::bus::Envelope;
use crate::sim::{LearnerInput, Simulation};

use super::trace::transcript;

/// Alice opens Photo Printer's login page; the input is applied but nothing runs yet,
/// so that [`hold_until`] can stop the flow at a message. Returns the trace length
/// before.
pub fn begin_sign_in(sim: &mut Simulation) -> usize {
    let before = sim.trace().steps.len();
    sim.apply(LearnerInput::Act {
        to: ActorId::new(wk::BROWSER),
        action: UserAction::Navigate {
            url: format!("{}/login", wk::CLIENT_ORIGIN),
        },
    })
    .expect("the browser exists");
    before
}

/// Turns hold on and runs until a held message satisfies `pred`; every other message
/// is forwarded unchanged. Returns the match (still held).
pub fn hold_until(sim: &mut Simulation, pred: impl Fn(&Envelope) -> bool) -> Envelope {
    sim.apply(LearnerInput::SetHold { on: true })
        .expect("always accepted");
    loop {
        if let Some(env) = sim.held().iter().find(|e| pred(e)) {
            return env.clone();
        }
        if sim.step().is_some() {
            continue;
        }
        let ids: Vec<MsgId> = sim.held().iter().map(|e| e.id).collect();
        assert!(
            !ids.is_empty(),
            "the run ended without the expected message:\n{}",
            transcript(sim, 0)
        );
        for id in ids {
            sim.apply(LearnerInput::Forward { id }).expect("held");
        }
    }
}

/// Replaces the held message's wire text, turns hold off and runs until idle.
pub fn edit_and_release(sim: &mut Simulation, id: MsgId, wire: String) {
    sim.apply(LearnerInput::Edit { id, wire })
        .expect("a valid edit of a held message");
    release_all(sim);
}

/// Turns hold off (releasing everything) and runs until idle.
pub fn release_all(sim: &mut Simulation) {
    sim.apply(LearnerInput::SetHold { on: false })
        .expect("always accepted");
    sim.run_until_idle();
}

/// Whether an envelope is the AS's authorization response to Alice's browser
/// (a redirect to the client's callback).
pub fn is_auth_response_to_client(env: &Envelope) -> bool {
    env.from.as_str() == wk::AS
        && env.to.as_str() == wk::BROWSER
        && env.is_response()
        && parse_response(&env.wire).ok().is_some_and(|r| {
            response_header(&r, "location")
                .is_some_and(|l| l.starts_with(&format!("{}?", wk::CLIENT_REDIRECT_URI)))
        })
}

/// Whether an envelope is the AS's answer to a POST /token from the client.
pub fn is_token_response_to_client(env: &Envelope) -> bool {
    env.from.as_str() == wk::AS
        && env.to.as_str() == wk::CLIENT
        && env.is_response()
        && parse_response(&env.wire)
            .ok()
            .is_some_and(|r| String::from_utf8_lossy(r.body()).contains("access_token"))
}

/// The wire text of a response with a new `Location`.
pub fn with_location(wire: &str, location: &str) -> String {
    let mut resp = parse_response(wire).expect("a response");
    resp.headers_mut().remove("location");
    set_header(resp.headers_mut(), "location", location);
    render_response(&resp)
}

/// The wire text of a response with a new body (Content-Length recomputed).
pub fn with_body(wire: &str, body: &str) -> String {
    let mut resp = parse_response(wire).expect("a response");
    resp.headers_mut().remove("content-length");
    *resp.body_mut() = body.as_bytes().to_vec();
    render_response(&resp)
}

/// `url` with its query rebuilt by `f`.
pub fn rewrite_query(url: &str, f: impl FnOnce(&mut Vec<(String, String)>)) -> String {
    let (base, q) = url.split_once('?').unwrap_or((url, ""));
    let mut pairs = Params::parse(q).0;
    f(&mut pairs);
    format!("{base}?{}", Params(pairs).encode())
}
