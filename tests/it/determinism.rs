//! docs/ARCHITECTURE.md rule 3: a run is fully described by seed + defenses + input log. The
//! same seed and defenses give a byte-identical JSON trace, under every profile and
//! with a learner's input log replayed on a fresh world; another seed gives other
//! codes and tokens.

use std::collections::BTreeSet;

use oauth_lab::actors::DefenseId;
use oauth_lab::actors::well_known as wk;
use oauth_lab::actors::{Defenses, Profile};
use oauth_lab::protocol::http_wire::{parse_response, render_response, set_header};
use oauth_lab::sim::world::default_flow;
use oauth_lab::sim::{LearnerInput, Simulation, Trace};
use oauth_lab::testing::{SEED, bcp_without, navigate};

fn run(seed: u64, defenses: Defenses) -> Simulation {
    let mut sim = default_flow(seed, defenses);
    sim.run_until_idle();
    sim
}

/// Every authorization code and access token in the decoded trace.
fn secrets(trace: &Trace) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut codes = BTreeSet::new();
    let mut tokens = BTreeSet::new();
    for s in &trace.steps {
        for (k, v) in s
            .decoded
            .location_query
            .iter()
            .chain(s.decoded.query.iter())
            .chain(s.decoded.form.iter())
        {
            if k == "code" {
                codes.insert(v.clone());
            }
        }
        if let Some(at) = s
            .decoded
            .json
            .as_ref()
            .and_then(|j| j.get("access_token"))
            .and_then(|t| t.as_str())
        {
            tokens.insert(at.to_string());
        }
    }
    (codes, tokens)
}

#[test]
fn same_seed_and_defenses_give_a_byte_identical_trace_under_every_profile() {
    for profile in Profile::ALL {
        let a = run(SEED, profile.defenses());
        let b = run(SEED, profile.defenses());
        let (ja, jb) = (a.trace().to_json(), b.trace().to_json());
        assert!(
            a.trace().steps.len() > 20,
            "{}: the flow ran",
            profile.name()
        );
        assert!(ja == jb, "{}: traces differ", profile.name());
        // And the JSON round-trips to the same trace.
        let back: Trace = serde_json::from_str(&ja).expect("the trace JSON parses");
        assert_eq!(&back, a.trace(), "{}", profile.name());
    }
    // One defense toggled is a different, but again reproducible, run.
    let d = bcp_without(&[DefenseId::IssParameter]);
    let a = run(SEED, d.clone());
    let b = run(SEED, d);
    assert_eq!(a.trace().to_json(), b.trace().to_json());
    assert_ne!(
        a.trace().to_json(),
        run(SEED, Defenses::bcp()).trace().to_json()
    );
}

/// Drives the default flow with learner inputs of every kind; returns the world.
fn run_with_inputs(defenses: Defenses) -> Simulation {
    let mut sim = default_flow(SEED, defenses);
    sim.run_to_len(7); // discovery done, Alice has opened /login
    sim.apply(LearnerInput::SetHold { on: true }).unwrap();
    let mut edited = false;
    let mut dropped = false;
    while sim.trace().steps.len() < 40 {
        if sim.step().is_some() {
            continue;
        }
        let held: Vec<_> = sim.held().to_vec();
        if held.is_empty() {
            break;
        }
        for env in held {
            if !edited && env.is_response() && env.to.as_str() == wk::BROWSER {
                // The learner adds a harmless header to a page on its way to Alice.
                let mut resp = parse_response(&env.wire).unwrap();
                set_header(resp.headers_mut(), "x-learner", "was here");
                sim.apply(LearnerInput::Edit {
                    id: env.id,
                    wire: render_response(&resp),
                })
                .unwrap();
                edited = true;
            } else if !dropped && env.to.as_str() == wk::RS {
                // … drops the first API call, then lets everything else through.
                sim.apply(LearnerInput::Drop { id: env.id }).unwrap();
                dropped = true;
            } else {
                sim.apply(LearnerInput::Forward { id: env.id }).unwrap();
            }
        }
    }
    sim.apply(LearnerInput::SetHold { on: false }).unwrap();
    sim.apply(LearnerInput::AdvanceClock { secs: 5 }).unwrap();
    sim.run_until_idle();
    // Replays Alice's /login request, and she opens the client's home page.
    let login = sim
        .trace()
        .find(wk::CLIENT, "GET /login")
        .next()
        .map(|s| s.index)
        .expect("the /login request");
    sim.apply(LearnerInput::Replay { step: login }).unwrap();
    navigate(&mut sim, &format!("{}/", wk::CLIENT_ORIGIN));
    assert!(edited && dropped, "the scenario exercised edit and drop");
    sim
}

#[test]
fn a_replayed_learner_input_log_reproduces_the_trace_byte_for_byte() {
    for profile in [Profile::Bcp, Profile::Naive] {
        let a = run_with_inputs(profile.defenses());
        let inputs = a.inputs().to_vec();
        assert!(
            inputs.len() > 10,
            "{}: {} inputs",
            profile.name(),
            inputs.len()
        );
        for kind in [
            "set_hold",
            "forward",
            "edit",
            "drop",
            "advance_clock",
            "replay",
            "act",
        ] {
            assert!(
                inputs
                    .iter()
                    .any(|(_, i)| serde_json::to_value(i).unwrap()["input"] == kind),
                "{}: the log has a {kind}",
                profile.name()
            );
        }
        // The input log survives JSON, as a saved run would.
        let log: Vec<(usize, LearnerInput)> =
            serde_json::from_str(&serde_json::to_string(&inputs).unwrap()).unwrap();

        let mut b = default_flow(SEED, profile.defenses());
        b.replay_inputs(&log, usize::MAX);
        b.run_until_idle();
        assert!(
            a.trace().to_json() == b.trace().to_json(),
            "{}: the replayed run differs",
            profile.name()
        );
        assert_eq!(a.inputs(), b.inputs(), "{}", profile.name());

        // Stepping back: replaying to an earlier step gives exactly that prefix.
        let k = a.trace().steps.len() / 2;
        let mut c = default_flow(SEED, profile.defenses());
        c.replay_inputs(&log, k);
        assert_eq!(c.trace().steps.len(), k, "{}", profile.name());
        assert_eq!(
            serde_json::to_string(&c.trace().steps).unwrap(),
            serde_json::to_string(&a.trace().steps[..k]).unwrap(),
            "{}: the prefix differs",
            profile.name()
        );
    }
}

#[test]
fn another_seed_gives_different_codes_and_tokens() {
    let a = run(SEED, Defenses::bcp());
    let b = run(SEED + 1, Defenses::bcp());
    let (codes_a, tokens_a) = secrets(a.trace());
    let (codes_b, tokens_b) = secrets(b.trace());
    assert!(
        !codes_a.is_empty() && !codes_b.is_empty(),
        "codes in the trace"
    );
    assert_eq!(tokens_a.len(), 2, "sign-in and refresh: {tokens_a:?}");
    assert_eq!(tokens_b.len(), 2);
    assert!(codes_a.is_disjoint(&codes_b), "{codes_a:?} vs {codes_b:?}");
    assert!(tokens_a.is_disjoint(&tokens_b));
    // Same shape of run, though: the same arrows in the same order.
    let shape = |t: &Trace| -> Vec<(String, String, u64)> {
        t.steps
            .iter()
            .map(|s| (s.from.0.clone(), s.to.0.clone(), s.time_ms))
            .collect()
    };
    assert_eq!(shape(a.trace()), shape(b.trace()));
    // And the same seed again gives the same secrets.
    assert_eq!(
        secrets(run(SEED + 1, Defenses::bcp()).trace()),
        (codes_b, tokens_b)
    );
}
