//! The client's ID token checks as OpenID Connect Core §3.1.3.7 and §2 define them.
//! Each test holds the AS's token response to the client, puts in an ID token signed
//! with the AS's own key (so only the claim under test differs) and releases it.

use oauth_lab::actors::well_known as wk;
use oauth_lab::protocol::http_wire::parse_response;
use oauth_lab::protocol::jwt::decode_unverified;
use oauth_lab::sim::world::WorldBuilder;
use oauth_lab::sim::{Simulation, Step};
use oauth_lab::testing::*;
use serde_json::{Map, Value, json};

/// What happened to Alice's sign-in: who the client says is signed in, and the page
/// her callback got.
struct Outcome {
    user: Option<String>,
    page: Step,
    notes: String,
}

/// Alice signs in; the token response's JSON is changed by `edit` (given the AS's
/// signing key through `sim`) before it reaches the client.
fn sign_in_with(mut sim: Simulation, edit: impl FnOnce(&Simulation, &mut Value)) -> Outcome {
    let mark = begin_sign_in(&mut sim);
    let env = hold_until(&mut sim, is_token_response_to_client);
    let resp = parse_response(&env.wire).expect("a response");
    let mut body: Value = serde_json::from_slice(resp.body()).expect("JSON");
    edit(&sim, &mut body);
    edit_and_release(&mut sim, env.id, with_body(&env.wire, &body.to_string()));
    let cb = requests_to(&sim, mark, wk::CLIENT, "GET /cb?")[0].clone();
    let page = response_step(&sim, &cb).clone();
    let user = alice_client_session(&sim)
        .and_then(|c| client(&sim).session(&c).cloned())
        .and_then(|s| s.user)
        .map(|(sub, _)| sub);
    Outcome {
        user,
        page,
        notes: transcript(&sim, mark),
    }
}

/// Re-signs the ID token of `body` with the AS's key after `change` to its claims.
fn reissue(sim: &Simulation, body: &mut Value, change: impl FnOnce(&mut Map<String, Value>)) {
    let token = body["id_token"].as_str().expect("an ID token").to_string();
    let (_, claims) = decode_unverified(&token).expect("a JWT");
    let mut claims = claims.as_object().expect("claims").clone();
    change(&mut claims);
    body["id_token"] = Value::String(auth_server(sim).signing_key().sign("JWT", &claims));
}

fn with_claims(change: impl FnOnce(&mut Map<String, Value>)) -> Outcome {
    sign_in_with(lab(bcp()), |sim, body| reissue(sim, body, change))
}

fn assert_signed_in(o: &Outcome) {
    assert_eq!(o.user.as_deref(), Some("alice"), "{}", o.notes);
    assert_eq!(o.page.decoded.status, Some(200), "{}", o.notes);
}

fn assert_refused(o: &Outcome, why: &str) {
    assert_eq!(o.user, None, "{}", o.notes);
    assert_eq!(o.page.decoded.status, Some(400), "{}", o.notes);
    assert!(o.page.wire.contains(why), "{why:?} not in\n{}", o.page.wire);
}

#[test]
fn aud_may_be_an_array_that_contains_the_client() {
    let o = with_claims(|c| {
        c.insert("aud".into(), json!([wk::CLIENT_ID]));
    });
    assert_signed_in(&o);
}

#[test]
fn several_audiences_need_azp_naming_the_client() {
    let o = with_claims(|c| {
        c.insert("aud".into(), json!([wk::CLIENT_ID, SECOND_ID]));
    });
    assert_refused(&o, "no azp");
    let o = with_claims(|c| {
        c.insert("aud".into(), json!([wk::CLIENT_ID, SECOND_ID]));
        c.insert("azp".into(), json!(wk::CLIENT_ID));
    });
    assert_signed_in(&o);
}

#[test]
fn azp_naming_another_client_is_refused() {
    let o = with_claims(|c| {
        c.insert("azp".into(), json!(SECOND_ID));
    });
    assert_refused(&o, "issued to another client");
}

#[test]
fn an_aud_array_without_the_client_is_refused() {
    let o = with_claims(|c| {
        c.insert("aud".into(), json!([SECOND_ID]));
        c.insert("azp".into(), json!(SECOND_ID));
    });
    assert_refused(&o, "does not list this client");
}

#[test]
fn auth_time_is_optional_when_max_age_was_not_sent() {
    let o = with_claims(|c| {
        c.remove("auth_time");
    });
    assert_signed_in(&o);
}

fn world_with_max_age(secs: u64) -> Simulation {
    let mut b = WorldBuilder::standard(SEED, bcp());
    b.client.max_age = Some(secs);
    let mut sim = b.build();
    sim.run_until_idle();
    sim
}

#[test]
fn auth_time_is_required_when_max_age_was_sent() {
    let o = sign_in_with(world_with_max_age(300), |sim, body| {
        reissue(sim, body, |c| {
            c.remove("auth_time");
        })
    });
    assert_refused(&o, "no auth_time");
    assert!(o.notes.contains("max_age=300"), "{}", o.notes);

    // The AS's own ID token carries auth_time: accepted.
    let o = sign_in_with(world_with_max_age(300), |_, _| {});
    assert_signed_in(&o);
    // An authentication older than max_age is refused.
    let o = sign_in_with(world_with_max_age(300), |sim, body| {
        reissue(sim, body, |c| {
            let t = c["auth_time"].as_u64().unwrap();
            c.insert("auth_time".into(), json!(t - 3600));
        })
    });
    assert_refused(&o, "longer than the max_age");
}

#[test]
fn iat_far_in_the_future_is_refused_under_a_stated_window() {
    let o = with_claims(|c| {
        let iat = c["iat"].as_u64().unwrap();
        c.insert("iat".into(), json!(iat + 3600));
        c.insert("exp".into(), json!(iat + 7200));
    });
    assert_refused(&o, "at most 300 s of clock skew");
    // Within the window: accepted.
    let o = with_claims(|c| {
        let iat = c["iat"].as_u64().unwrap();
        c.insert("iat".into(), json!(iat + 60));
    });
    assert_signed_in(&o);
}

#[test]
fn openid_without_an_id_token_signs_nobody_in_and_says_why() {
    let o = sign_in_with(lab(bcp()), |_, body| {
        body.as_object_mut().unwrap().remove("id_token");
    });
    assert_refused(&o, "no id_token");
    assert!(!o.page.wire.contains("Your photos"), "{}", o.page.wire);
    assert!(o.notes.contains("nobody is signed in"), "{}", o.notes);
}
