//! The rest of the protocol rules the honest parties follow: the client's use of
//! `token_type` (RFC 6749 §7.1) and of the metadata response's status (RFC 8414 §3.2),
//! introspection of refresh tokens whatever the hint (RFC 7662 §2.1), revocation of
//! another client's token (RFC 7009 §2.1), and the RS's citation for tokens in URLs.

use oauth_lab::actors::well_known as wk;
use oauth_lab::protocol::http_wire::parse_response;
use oauth_lab::sim::bus::Envelope;
use oauth_lab::sim::world::WorldBuilder;
use oauth_lab::sim::{Decision, Interceptor, Simulation};
use oauth_lab::testing::*;
use serde_json::Value;

/// Alice signs in with the token response's `token_type` replaced; returns whether she
/// ended up signed in with tokens, and the transcript.
fn sign_in_with_token_type(token_type: &str) -> (bool, String) {
    let mut sim = lab(bcp());
    let mark = begin_sign_in(&mut sim);
    let env = hold_until(&mut sim, is_token_response_to_client);
    let resp = parse_response(&env.wire).expect("a response");
    let mut body: Value = serde_json::from_slice(resp.body()).expect("JSON");
    body["token_type"] = Value::String(token_type.into());
    edit_and_release(&mut sim, env.id, with_body(&env.wire, &body.to_string()));
    let used = alice_client_session(&sim)
        .and_then(|c| client(&sim).session(&c).cloned())
        .is_some_and(|s| s.tokens.is_some());
    let api_calls = requests_to(&sim, mark, wk::RS, "GET /photos").len();
    assert_eq!(used, api_calls == 1, "{}", transcript(&sim, mark));
    (used, transcript(&sim, mark))
}

#[test]
fn the_client_uses_only_a_bearer_token_type_in_any_case() {
    for ok in ["Bearer", "bearer", "BEARER"] {
        let (used, notes) = sign_in_with_token_type(ok);
        assert!(used, "{ok}: {notes}");
    }
    for bad in ["mac", "N_A", ""] {
        let (used, notes) = sign_in_with_token_type(bad);
        assert!(!used, "{bad}: {notes}");
        assert!(notes.contains("RFC 6749 §7.1"), "{notes}");
    }
}

/// Turns the AS's metadata answer to the client into a 500 with the same body.
struct MetadataFails;

impl Interceptor for MetadataFails {
    fn name(&self) -> &str {
        "metadata status"
    }

    fn on_send(&mut self, env: &Envelope) -> Decision {
        if env.from.as_str() == wk::AS
            && env.to.as_str() == wk::CLIENT
            && env.wire.contains("\"issuer\"")
        {
            return Decision::Replace(env.wire.replacen(
                "HTTP/1.1 200 OK",
                "HTTP/1.1 500 Internal Server Error",
                1,
            ));
        }
        Decision::Pass
    }
}

#[test]
fn the_client_checks_the_metadata_status_as_well_as_the_issuer() {
    let mut sim = WorldBuilder::standard(SEED, bcp()).build();
    sim.add_interceptor(Box::new(MetadataFails));
    sim.run_until_idle();
    assert!(
        client(&sim).knowledge(0).unwrap().metadata.is_none(),
        "{}",
        transcript(&sim, 0)
    );
    assert!(
        transcript(&sim, 0).contains("500 instead of 200 OK (RFC 8414 §3.2)"),
        "{}",
        transcript(&sim, 0)
    );
}

/// Alice signs in; returns Photo Printer's refresh token.
fn printer_refresh_token(sim: &mut Simulation) -> String {
    alice_signs_in(sim);
    token_responses(sim)[0]["refresh_token"]
        .as_str()
        .expect("a refresh token")
        .to_string()
}

fn introspect_at(sim: &mut Simulation, pairs: &[(&str, &str)]) -> Value {
    let mut req = token_request(wk::RS_CLIENT_ID, wk::RS_CLIENT_SECRET, pairs);
    *req.uri_mut() = format!("{}/introspect", wk::AS_ISSUER).parse().unwrap();
    json(&send_back(sim, req))
}

#[test]
fn introspection_finds_a_refresh_token_whatever_the_hint() {
    let mut sim = lab(bcp());
    let rt = printer_refresh_token(&mut sim);
    for hint in [
        None,
        Some("access_token"),
        Some("refresh_token"),
        Some("other"),
    ] {
        let mut pairs = vec![("token", rt.as_str())];
        if let Some(h) = hint {
            pairs.push(("token_type_hint", h));
        }
        let answer = introspect_at(&mut sim, &pairs);
        assert_eq!(
            answer["active"],
            Value::Bool(true),
            "hint {hint:?}: {answer}"
        );
        assert_eq!(answer["client_id"], wk::CLIENT_ID);
        // Only RFC 7662 §2.2 fields; token_type names an access token's type
        // (RFC 6749 §7.1), which a refresh token has not.
        assert!(answer.get("token_type").is_none(), "{answer}");
        for key in answer.as_object().unwrap().keys() {
            assert!(
                [
                    "active",
                    "scope",
                    "client_id",
                    "username",
                    "token_type",
                    "exp",
                    "iat",
                    "nbf",
                    "sub",
                    "aud",
                    "iss",
                    "jti"
                ]
                .contains(&key.as_str()),
                "{key} is not an RFC 7662 field"
            );
        }
    }
}

#[test]
fn revoking_another_clients_token_is_unauthorized_client() {
    let mut sim = lab(bcp());
    let rt = printer_refresh_token(&mut sim);
    let mut req = token_request(SECOND_ID, SECOND_SECRET, &[("token", &rt)]);
    *req.uri_mut() = format!("{}/revoke", wk::AS_ISSUER).parse().unwrap();
    let resp = send_back(&mut sim, req);
    assert_eq!(resp.status(), 400, "{}", body_text(&resp));
    assert_eq!(error_code(&resp), "unauthorized_client");
    // Not revoked: still active.
    let answer = introspect_at(&mut sim, &[("token", &rt)]);
    assert_eq!(answer["active"], Value::Bool(true), "{answer}");

    // Its access token too.
    let at = token_responses(&sim)[0]["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let mut req = token_request(SECOND_ID, SECOND_SECRET, &[("token", &at)]);
    *req.uri_mut() = format!("{}/revoke", wk::AS_ISSUER).parse().unwrap();
    let resp = send_back(&mut sim, req);
    assert_eq!(error_code(&resp), "unauthorized_client");
}

#[test]
fn the_rs_cites_rfc_9700_4_3_2_for_tokens_in_urls() {
    let mut sim = lab(bcp());
    let (_, index) = send(
        &mut sim,
        oauth_lab::actors::ActorKind::Client,
        get(&format!("{}/photos?access_token=abc", wk::RS_ORIGIN)),
    );
    let note = &sim.trace().steps[index].annotation;
    assert!(note.contains("RFC 9700 §4.3.2"), "{note}");
    assert!(!note.contains("§2.4.1"), "{note}");
}
