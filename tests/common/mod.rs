//! Shared helpers for the PROTOCOL.md conformance tests: the standard world with a few
//! extra client registrations, probes that send crafted requests through the bus, the
//! browser driven to a crafted authorization request, intercept-mode helpers, and
//! readers of the trace's wire text and decoded view.

#![allow(dead_code)]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use http::Method;

use oauth_lab::actors::auth_server::{AuthServer, ClientRegistration, GrantType};
use oauth_lab::actors::browser::Browser;
use oauth_lab::actors::client::Client;
use oauth_lab::actors::probe::Probe;
use oauth_lab::actors::resource_server::ResourceServer;
use oauth_lab::actors::well_known as wk;
use oauth_lab::actors::{ActorId, ActorKind, Defenses, MsgId, UserAction};
use oauth_lab::protocol::http_wire::{
    self, Request, Response, parse_response, render_response, response_header, set_header,
};
use oauth_lab::protocol::params::Params;
use oauth_lab::sim::bus::Envelope;
use oauth_lab::sim::world::WorldBuilder;
use oauth_lab::sim::{LearnerInput, Simulation, Step, StepKind};

pub const SEED: u64 = 2026;

/// RFC 7636 Appendix B.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// A second confidential web client (client B of item 11).
pub const SECOND_ID: &str = "second-client";
pub const SECOND_SECRET: &str = "second-secret-55aa";
pub const SECOND_REDIRECT: &str = "https://second.example/cb";

/// A client registered for `photos.write` only (a token without `photos.read`).
pub const UPLOADER_ID: &str = "uploader";
pub const UPLOADER_SECRET: &str = "uploader-secret-0b0b";
pub const UPLOADER_REDIRECT: &str = "https://uploader.example/cb";

/// A client with two redirect URIs, one of them with a query.
pub const MULTI_ID: &str = "multi";
pub const MULTI_SECRET: &str = "multi-secret-3c3c";
pub const MULTI_REDIRECT_Q: &str = "https://multi.example/cb?tenant=a";
pub const MULTI_REDIRECT_2: &str = "https://multi.example/other";

/// A client allowed the authorization code grant only (no refresh tokens).
pub const CODE_ONLY_ID: &str = "code-only";
pub const CODE_ONLY_SECRET: &str = "code-only-secret-7d7d";
pub const CODE_ONLY_REDIRECT: &str = "https://code-only.example/cb";

/// The extra registrations every lab world carries (the standard ones stay as they are).
pub fn extra_clients() -> Vec<ClientRegistration> {
    let both = [GrantType::AuthorizationCode, GrantType::RefreshToken];
    vec![
        ClientRegistration::confidential(SECOND_ID, "Second client", SECOND_SECRET)
            .with_redirect_uri(SECOND_REDIRECT)
            .with_scopes(wk::CLIENT_SCOPE)
            .with_grants(&both),
        ClientRegistration::confidential(UPLOADER_ID, "Uploader", UPLOADER_SECRET)
            .with_redirect_uri(UPLOADER_REDIRECT)
            .with_scopes("openid photos.write")
            .with_grants(&both),
        ClientRegistration::confidential(MULTI_ID, "Multi", MULTI_SECRET)
            .with_redirect_uri(MULTI_REDIRECT_Q)
            .with_redirect_uri(MULTI_REDIRECT_2)
            .with_scopes(wk::CLIENT_SCOPE)
            .with_grants(&both),
        ClientRegistration::confidential(CODE_ONLY_ID, "Code only", CODE_ONLY_SECRET)
            .with_redirect_uri(CODE_ONLY_REDIRECT)
            .with_scopes(wk::CLIENT_SCOPE)
            .with_grants(&[GrantType::AuthorizationCode]),
    ]
}

/// The standard world (browser, client, AS, RS) plus the extra registrations, started
/// and idle: discovery and the JWKS fetches are done.
pub fn lab(defenses: Defenses) -> Simulation {
    let mut b = WorldBuilder::standard(SEED, defenses);
    b.auth_server.clients.extend(extra_clients());
    let mut sim = b.build();
    sim.run_until_idle();
    sim
}

pub fn bcp() -> Defenses {
    Defenses::bcp()
}

/// `bcp` with one defense off.
pub fn bcp_without(name: &str) -> Defenses {
    let mut d = Defenses::bcp();
    d.set_on(name, false).expect("a known defense");
    d
}

// ------------------------------------------------------------------ actors

pub fn auth_server(sim: &Simulation) -> &AuthServer {
    sim.actor::<AuthServer>(wk::AS).expect("the AS")
}

pub fn client(sim: &Simulation) -> &Client {
    sim.actor::<Client>(wk::CLIENT).expect("the client")
}

pub fn browser(sim: &Simulation) -> &Browser {
    sim.actor::<Browser>(wk::BROWSER).expect("the browser")
}

pub fn rs(sim: &Simulation) -> &ResourceServer {
    sim.actor::<ResourceServer>(wk::RS).expect("the RS")
}

/// Alice's `client_session` cookie at the client.
pub fn alice_client_session(sim: &Simulation) -> Option<String> {
    browser(sim)
        .cookie("client.example", "client_session")
        .map(str::to_string)
}

// ------------------------------------------------------------------ requests

pub fn get(url: &str) -> Request {
    http_wire::request(Method::GET, url)
}

pub fn post_form(url: &str, pairs: &[(&str, &str)]) -> Request {
    let mut req = http_wire::request(Method::POST, url);
    set_header(
        req.headers_mut(),
        "content-type",
        "application/x-www-form-urlencoded",
    );
    *req.body_mut() = Params::from_pairs(pairs.iter().copied())
        .encode()
        .into_bytes();
    req
}

pub fn with_header(mut req: Request, name: &str, value: &str) -> Request {
    set_header(req.headers_mut(), name, value);
    req
}

/// `Authorization: Basic` per RFC 6749 §2.3.1 (the ids used here need no encoding).
pub fn basic(id: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")))
}

/// A token request authenticated with `client_secret_basic`.
pub fn token_request(id: &str, secret: &str, pairs: &[(&str, &str)]) -> Request {
    with_header(
        post_form(&format!("{}/token", wk::AS_ISSUER), pairs),
        "authorization",
        &basic(id, secret),
    )
}

/// Photo Printer's token request for `code` with the RFC 7636 verifier.
pub fn redeem_as_printer(code: &str) -> Request {
    token_request(
        wk::CLIENT_ID,
        wk::CLIENT_SECRET,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", wk::CLIENT_REDIRECT_URI),
            ("code_verifier", VERIFIER),
        ],
    )
}

/// `GET https://rs.example/photos` with a bearer token.
pub fn api_request(token: Option<&str>) -> Request {
    let req = get(&format!("{}/photos", wk::RS_ORIGIN));
    match token {
        Some(t) => with_header(req, "authorization", &format!("Bearer {t}")),
        None => req,
    }
}

pub fn authorize_url(pairs: &[(&str, &str)]) -> String {
    format!(
        "{}/authorize?{}",
        wk::AS_ISSUER,
        Params::from_pairs(pairs.iter().copied()).encode()
    )
}

/// A valid authorization request of Photo Printer, with the RFC 7636 challenge.
pub fn printer_authorize_pairs(state: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("response_type", "code"),
        ("client_id", wk::CLIENT_ID),
        ("redirect_uri", wk::CLIENT_REDIRECT_URI),
        ("scope", wk::CLIENT_SCOPE),
        ("state", state),
        ("nonce", "n-0S6_WzA2Mj"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ]
}

// ------------------------------------------------------------------ the bus

/// Sends `req` from a new probe (of `kind`) through the bus, runs until idle, and
/// returns the response and the trace index of the delivered request.
pub fn send(sim: &mut Simulation, kind: ActorKind, req: Request) -> (Response, usize) {
    let id = format!("probe-{}", sim.actors().count());
    sim.add_actor(Box::new(
        Probe::new(&id, kind).one_at_a_time().with_request(req),
    ));
    let before = sim.trace().steps.len();
    sim.apply(LearnerInput::Act {
        to: ActorId::new(&id),
        action: UserAction::Custom {
            name: "send".into(),
            value: String::new(),
        },
    })
    .expect("the probe exists");
    sim.run_until_idle();
    let probe = sim.actor::<Probe>(&id).expect("the probe");
    let resp = probe
        .response(0)
        .cloned()
        .unwrap_or_else(|| panic!("no response to the probe's request:\n{}", probe.sent[0].1));
    let sent_id = probe.sent[0].0;
    let index = sim.trace().steps[before..]
        .iter()
        .find(|s| s.msg_id == Some(sent_id) && s.kind == StepKind::Request)
        .map(|s| s.index)
        .expect("the request is in the trace");
    (resp, index)
}

/// Like [`send`], from a probe of kind `Client` (another server on the back channel).
pub fn send_back(sim: &mut Simulation, req: Request) -> Response {
    send(sim, ActorKind::Client, req).0
}

/// Like [`send`], from an attacker's probe.
pub fn send_attacker(sim: &mut Simulation, req: Request) -> Response {
    send(sim, ActorKind::Attacker, req).0
}

/// A user action for Alice's browser, applied now; then runs until idle. Returns the
/// trace length before.
pub fn act(sim: &mut Simulation, to: &str, action: UserAction) -> usize {
    let before = sim.trace().steps.len();
    sim.apply(LearnerInput::Act {
        to: ActorId::new(to),
        action,
    })
    .expect("the actor exists");
    sim.run_until_idle();
    before
}

/// Alice opens `url` in her browser; runs until idle; returns the trace length before.
pub fn navigate(sim: &mut Simulation, url: &str) -> usize {
    act(
        sim,
        wk::BROWSER,
        UserAction::Navigate {
            url: url.to_string(),
        },
    )
}

/// Alice signs in to Photo Printer (the honest flow); returns the trace length before.
pub fn alice_signs_in(sim: &mut Simulation) -> usize {
    navigate(sim, &format!("{}/login", wk::CLIENT_ORIGIN))
}

/// Advances the simulated clock (a learner input) and runs until idle.
pub fn advance(sim: &mut Simulation, secs: u64) {
    sim.apply(LearnerInput::AdvanceClock { secs })
        .expect("always accepted");
    sim.run_until_idle();
}

/// Alice's browser opens a crafted authorization request, logs in and consents; the
/// AS's redirect carrying the response. Returns the `Location` of that redirect.
pub fn authorize_in_browser(sim: &mut Simulation, pairs: &[(&str, &str)]) -> String {
    let before = navigate(sim, &authorize_url(pairs));
    let step = sim.trace().steps[before..]
        .iter()
        .find(|s| {
            s.from.as_str() == wk::AS
                && s.kind == StepKind::Response
                && is_redirect(s)
                && location(s).is_some_and(|l| {
                    let q = query_of(&l);
                    q.contains("code") || q.contains("error")
                })
        })
        .unwrap_or_else(|| {
            panic!(
                "the AS sent no authorization response:\n{}",
                transcript(sim, before)
            )
        });
    location(step).unwrap_or_default()
}

/// A fresh, unredeemed code for Photo Printer, bound to the RFC 7636 challenge.
pub fn printer_code(sim: &mut Simulation) -> String {
    let loc = authorize_in_browser(sim, &printer_authorize_pairs("st-1"));
    query_of(&loc)
        .first("code")
        .unwrap_or_else(|| panic!("no code in {loc}"))
        .to_string()
}

// ------------------------------------------------------------------ intercept mode

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
    sim.apply(LearnerInput::SetHold { on: false })
        .expect("always accepted");
    sim.run_until_idle();
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

// ------------------------------------------------------------------ the trace

pub fn query_of(url: &str) -> Params {
    Params::parse(url.split_once('?').map(|(_, q)| q).unwrap_or(""))
}

pub fn location(step: &Step) -> Option<String> {
    step.decoded.header("location").map(str::to_string)
}

pub fn is_redirect(step: &Step) -> bool {
    matches!(step.decoded.status, Some(301 | 302 | 303 | 307 | 308))
}

pub fn location_of(resp: &Response) -> Option<String> {
    response_header(resp, "location").map(str::to_string)
}

pub fn json(resp: &Response) -> serde_json::Value {
    serde_json::from_slice(resp.body()).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {} {}",
            resp.status(),
            String::from_utf8_lossy(resp.body())
        )
    })
}

/// The `error` of a JSON error response.
pub fn error_code(resp: &Response) -> String {
    json(resp)["error"].as_str().unwrap_or("").to_string()
}

pub fn header<'a>(resp: &'a Response, name: &str) -> Option<&'a str> {
    response_header(resp, name)
}

pub fn body_text(resp: &Response) -> String {
    String::from_utf8_lossy(resp.body()).into_owned()
}

/// Steps from index `from` on.
pub fn steps_from(sim: &Simulation, from: usize) -> &[Step] {
    &sim.trace().steps[from.min(sim.trace().steps.len())..]
}

/// Requests delivered to `to` whose request line contains `needle`, from index `from`.
pub fn requests_to<'a>(
    sim: &'a Simulation,
    from: usize,
    to: &'a str,
    needle: &'a str,
) -> Vec<&'a Step> {
    steps_from(sim, from)
        .iter()
        .filter(|s| {
            s.kind == StepKind::Request
                && s.to.as_str() == to
                && s.wire.lines().next().unwrap_or("").contains(needle)
        })
        .collect()
}

/// The response step answering the request step `req`.
pub fn response_step<'a>(sim: &'a Simulation, req: &Step) -> &'a Step {
    let id = req.msg_id.expect("a request has an id");
    sim.trace()
        .response_to(id)
        .unwrap_or_else(|| panic!("no response to step {}", req.index))
}

/// Every `POST /token` the client sent, from index `from`.
pub fn token_calls(sim: &Simulation, from: usize) -> Vec<&Step> {
    steps_from(sim, from)
        .iter()
        .filter(|s| {
            s.kind == StepKind::Request
                && s.from.as_str() == wk::CLIENT
                && s.to.as_str() == wk::AS
                && s.wire.starts_with("POST /token ")
        })
        .collect()
}

/// The JSON bodies of every 200 token response in the trace, in order.
pub fn token_responses(sim: &Simulation) -> Vec<serde_json::Value> {
    sim.trace()
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Response && s.decoded.status == Some(200))
        .filter_map(|s| s.decoded.json.clone())
        .filter(|j| j.get("access_token").is_some())
        .collect()
}

/// A readable transcript of the steps from `from` on (for failure messages).
pub fn transcript(sim: &Simulation, from: usize) -> String {
    steps_from(sim, from)
        .iter()
        .map(|s| {
            format!(
                "{:3} {} -> {} {}\n      {}",
                s.index, s.from, s.to, s.summary, s.annotation
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `jti` of a JWT access token.
pub fn jti_of(token: &str) -> String {
    let (_, claims) =
        oauth_lab::protocol::jwt::decode_unverified(token).expect("a JWT access token");
    claims["jti"].as_str().unwrap_or("").to_string()
}

/// Whether an `error_description` is limited to RFC 6749's characters
/// (%x20-21 / %x23-5B / %x5D-7E).
pub fn is_rfc6749_description(s: &str) -> bool {
    s.bytes()
        .all(|b| matches!(b, 0x20..=0x21 | 0x23..=0x5B | 0x5D..=0x7E))
}
