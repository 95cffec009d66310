//! A world for tests: the standard one (browser, client, AS, RS) with extra client
//! registrations, the actors in it, user actions, and probes that put crafted requests
//! on the bus and return the answers.

use crate::actors::auth_server::AuthServer;
use crate::actors::browser::Browser;
use crate::actors::client::Client;
use crate::actors::probe::Probe;
use crate::actors::resource_server::{ResourceServer, RsConfig};
use crate::actors::well_known as wk;
use crate::actors::{ActorId, ActorKind, Defenses, UserAction};
use crate::protocol::http_wire::{Request, Response};
use crate::sim::world::WorldBuilder;
use crate::sim::{LearnerInput, Simulation, Step, StepKind};

use super::http::query_of;
use super::oauth::{SEED, authorize_url, extra_clients, printer_authorize_pairs};
use super::stubs::{AsMode, fake_as};
use super::trace::{is_redirect, location, token_calls, transcript};

/// The standard world plus the [`extra_clients`], started and idle: discovery and the
/// JWKS fetches are done.
pub fn lab(defenses: Defenses) -> Simulation {
    let mut b = WorldBuilder::standard(SEED, defenses);
    b.auth_server.clients.extend(extra_clients());
    let mut sim = b.build();
    sim.run_until_idle();
    sim
}

/// The plain flow of [`default_flow`](crate::sim::world::default_flow) with `seed` and
/// `defenses`, run to its end.
pub fn finished_flow(seed: u64, defenses: Defenses) -> Simulation {
    let mut sim = crate::sim::world::default_flow(seed, defenses);
    sim.run_until_idle();
    sim
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

// ------------------------------------------------------------------ probes

/// A probe (a back-channel party with id `id`) that sends every request of `reqs` at
/// the start of the run.
pub fn burst_probe(id: &str, reqs: impl IntoIterator<Item = Request>) -> Probe {
    reqs.into_iter()
        .fold(Probe::new(id, ActorKind::Client), Probe::with_request)
}

/// The answers the probe `id` got to its first `n` requests, in order.
pub fn burst_responses(sim: &Simulation, id: &str, n: usize) -> Vec<Response> {
    let probe = sim.actor::<Probe>(id).expect("the probe");
    (0..n)
        .map(|i| {
            probe
                .response(i)
                .cloned()
                .unwrap_or_else(|| panic!("no response to request {i}"))
        })
        .collect()
}

/// Sends `req` from a new probe (of `kind`) through the bus, runs until idle, and
/// returns the response and the trace index of the delivered request.
pub fn send(sim: &mut Simulation, kind: ActorKind, req: Request) -> (Response, usize) {
    send_named(sim, "probe", kind, req)
}

/// Like [`send`], from a probe named `{name}-{number of actors}`.
pub fn send_named(
    sim: &mut Simulation,
    name: &str,
    kind: ActorKind,
    req: Request,
) -> (Response, usize) {
    let id = format!("{name}-{}", sim.actors().count());
    sim.add_actor(Box::new(
        Probe::new(&id, kind).one_at_a_time().with_request(req),
    ));
    let before = sim.trace().steps.len();
    act(
        sim,
        &id,
        UserAction::Custom {
            name: "send".into(),
            value: String::new(),
        },
    );
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

// ------------------------------------------------------------------ user actions

/// A user action for the actor `to`, applied now; then runs until idle. Returns the
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

/// Alice's browser opens a crafted authorization request, logs in and consents.
/// Returns the `Location` of the AS's redirect carrying the response.
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

/// A world of a probe `client` sending `requests` at once, the standard resource server
/// and a [`fake_as`] in `mode` with the `revoked` token ids; not yet run. The probe
/// starts first: its requests reach the RS before the JWKS does.
pub fn rs_world(
    seed: u64,
    defenses: Defenses,
    mode: AsMode,
    revoked: &[&str],
    requests: impl IntoIterator<Item = Request>,
) -> Simulation {
    let mut sim = Simulation::new(seed, defenses);
    sim.add_actor(Box::new(burst_probe("client", requests)));
    sim.add_actor(Box::new(ResourceServer::new(RsConfig::standard())));
    sim.add_actor(Box::new(fake_as(mode, revoked)));
    sim
}

/// An hour later (the access token has expired) Alice opens her photos at the client,
/// which refreshes its access token first (RFC 6749 §6). Returns that token request.
pub fn refresh_an_hour_later(sim: &mut Simulation) -> Step {
    advance(sim, 3600);
    let mark = navigate(sim, &format!("{}/photos", wk::CLIENT_ORIGIN));
    token_calls(sim, mark)
        .first()
        .map(|s| (*s).clone())
        .unwrap_or_else(|| panic!("no token request:\n{}", transcript(sim, mark)))
}
