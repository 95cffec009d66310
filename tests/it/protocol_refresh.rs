//! docs/PROTOCOL.md items 16–17: `grant_type=refresh_token` under `bcp` with bearer tokens (`bcp_bearer`). The
//! refresh tokens come from Alice's real sign-in; the honest client refreshes after an
//! hour of simulated time, and probes (another client, an attacker, a learner's replay)
//! present refresh tokens taken from the trace.

use http::StatusCode;
use oauth_lab::actors::DefenseId;
use oauth_lab::testing::*;

use oauth_lab::actors::well_known as wk;
use oauth_lab::protocol::http_wire::Response;
use oauth_lab::protocol::secret::Secret;
use oauth_lab::sim::{LearnerInput, StepKind};

fn refresh_request(
    id: &str,
    secret: &str,
    rt: &str,
    scope: Option<&str>,
) -> oauth_lab::protocol::http_wire::Request {
    let mut pairs = vec![("grant_type", "refresh_token"), ("refresh_token", rt)];
    if let Some(s) = scope {
        pairs.push(("scope", s));
    }
    token_request(id, secret, &pairs)
}

/// Photo Printer's refresh request.
fn printer_refresh(rt: &str, scope: Option<&str>) -> oauth_lab::protocol::http_wire::Request {
    refresh_request(wk::CLIENT_ID, wk::CLIENT_SECRET, rt, scope)
}

/// An OAuth error response (RFC 6749 §5.2) that carries no access token.
fn assert_error(resp: &Response, status: u16, error: &str, case: &str) {
    assert_json_error(resp, status, error, case);
    assert!(json(resp).get("access_token").is_none(), "{case}");
}

/// Alice signs in; returns (access token, refresh token) of the first token response.
fn signed_in() -> (oauth_lab::sim::Simulation, String, String) {
    let mut sim = lab(bcp_bearer());
    alice_signs_in(&mut sim);
    let first = token_responses(&sim).into_iter().next().expect("tokens");
    let at = first["access_token"].as_str().unwrap().to_string();
    let rt = first["refresh_token"].as_str().unwrap().to_string();
    (sim, at, rt)
}

#[test]
fn item_16_refresh_returns_a_new_access_token_and_rejects_foreign_unknown_expired_or_wider() {
    let (mut sim, at0, rt0) = signed_in();

    // Errors first (none of them uses the token up).
    let resp = send_back(
        &mut sim,
        refresh_request(SECOND_ID, SECOND_SECRET, &rt0, None),
    );
    assert_error(
        &resp,
        400,
        "invalid_grant",
        "another client's refresh token",
    );
    let resp = send_back(&mut sim, printer_refresh("no-such-refresh-token", None));
    assert_error(&resp, 400, "invalid_grant", "unknown refresh token");
    let resp = send_back(
        &mut sim,
        printer_refresh(&rt0, Some("openid profile photos.read photos.write")),
    );
    assert_error(&resp, 400, "invalid_scope", "wider scope");
    assert!(
        auth_server(&sim).refresh_token_active(&rt0, sim.now()),
        "still usable"
    );

    // Success: a new access token, no-store.
    let (resp, index) = send(
        &mut sim,
        oauth_lab::actors::ActorKind::Client,
        printer_refresh(&rt0, None),
    );
    assert_eq!(resp.status(), StatusCode::OK, "{}", body_text(&resp));
    assert!(
        header(&resp, "cache-control").is_some_and(|c| c.contains("no-store")),
        "no-store"
    );
    let body = json(&resp);
    let at1 = body["access_token"]
        .as_str()
        .expect("a new access token")
        .to_string();
    assert_ne!(at1, at0);
    assert!(
        body["token_type"]
            .as_str()
            .is_some_and(|t| t.eq_ignore_ascii_case("bearer"))
    );
    assert!(body["expires_in"].as_u64().is_some());
    assert!(auth_server(&sim).access_token_jwt_active(&at1, sim.now()));
    let answer = response_step(&sim, &sim.trace().steps[index]);
    assert_eq!(answer.decoded.status, Some(200));
    assert!(
        answer
            .decoded
            .header("cache-control")
            .is_some_and(|c| c.contains("no-store"))
    );
    // A narrower scope is fine.
    let rt1 = body["refresh_token"].as_str().unwrap_or(&rt0).to_string();
    let resp = send_back(&mut sim, printer_refresh(&rt1, Some("photos.read")));
    assert_eq!(resp.status(), StatusCode::OK, "{}", body_text(&resp));
    assert_eq!(
        json(&resp)["scope"].as_str().unwrap_or("photos.read"),
        "photos.read"
    );
    let rt2 = json(&resp)["refresh_token"]
        .as_str()
        .unwrap_or(&rt1)
        .to_string();

    // Expired: the refresh token lives 30 days of simulated time.
    advance(&mut sim, wk::REFRESH_TOKEN_LIFETIME_SECS + 1);
    let resp = send_back(&mut sim, printer_refresh(&rt2, None));
    assert_error(&resp, 400, "invalid_grant", "expired refresh token");
}

#[test]
fn item_17_rotation_consumes_the_old_refresh_token_and_reuse_revokes_the_family() {
    // The default scenario: sign in, an hour passes, Alice opens her photos (refresh).
    let (mut sim, at0, rt0) = signed_in();
    advance(&mut sim, 3600);
    let mark = navigate(&mut sim, &format!("{}/photos", wk::CLIENT_ORIGIN));
    let calls = token_calls(&sim, mark);
    assert_eq!(calls.len(), 1, "{}", transcript(&sim, mark));
    let refresh_call = calls[0].clone();
    assert_eq!(
        refresh_call.decoded.param("grant_type").as_deref(),
        Some("refresh_token")
    );
    assert_eq!(
        refresh_call.decoded.param("refresh_token").as_deref(),
        Some(rt0.as_str())
    );
    let body = response_step(&sim, &refresh_call)
        .decoded
        .json
        .clone()
        .expect("JSON");
    let at1 = body["access_token"]
        .as_str()
        .expect("access token")
        .to_string();
    let rt1 = body["refresh_token"]
        .as_str()
        .expect("rotation returns a new refresh token")
        .to_string();
    assert_ne!(rt1, rt0);
    {
        let server = auth_server(&sim);
        assert!(
            !server.refresh_token_active(&rt0, sim.now()),
            "the old one is consumed"
        );
        assert!(server.refresh_token_active(&rt1, sim.now()));
        let consumed = server
            .refresh_tokens()
            .iter()
            .find(|r| r.token.expose() == rt0)
            .expect("the AS knows the old token");
        assert!(consumed.consumed);
    }

    // Someone uses the consumed one again: the learner replays the refresh request.
    let mark = sim.trace().steps.len();
    sim.apply(LearnerInput::Replay {
        step: refresh_call.index,
    })
    .unwrap();
    sim.run_until_idle();
    let replayed = steps_from(&sim, mark)
        .iter()
        .find(|s| s.kind == StepKind::Request && s.to.as_str() == wk::AS)
        .expect("delivered");
    let answer = response_step(&sim, replayed);
    assert_eq!(answer.decoded.status, Some(400), "{}", answer.wire);
    assert_eq!(
        answer.decoded.param("error").as_deref(),
        Some("invalid_grant")
    );

    // The whole grant is revoked: both refresh tokens and every access token.
    let server = auth_server(&sim);
    assert!(
        server.refresh_token_revoked(&rt1),
        "the current refresh token is revoked"
    );
    assert!(!server.refresh_token_active(&rt1, sim.now()));
    assert!(server.access_token_revoked(&jti_of(&at0)));
    assert!(server.access_token_revoked(&jti_of(&at1)));
    let jti1 = jti_of(&at1);
    let record = server
        .access_tokens()
        .iter()
        .find(|a| a.jti == jti1)
        .expect("the AS knows the access token");
    let family = server.family(&record.family).expect("the grant");
    assert!(family.revoked.is_some());

    // The RS refuses the newest access token, and the honest client's next refresh fails.
    let resp = send_back(&mut sim, api_request(Some(&at1)));
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let call = refresh_an_hour_later(&mut sim);
    assert_eq!(
        call.decoded.param("refresh_token").as_deref(),
        Some(rt1.as_str())
    );
    let answer = response_step(&sim, &call);
    assert_eq!(answer.decoded.status, Some(400));
    assert_eq!(
        answer.decoded.param("error").as_deref(),
        Some("invalid_grant")
    );
    let cookie = alice_client_session(&sim).unwrap();
    assert!(client(&sim).session(&cookie).unwrap().tokens.is_none());

    // An attacker holding the consumed token gets nothing either.
    let resp = send_attacker(&mut sim, printer_refresh(&rt0, None));
    assert_error(&resp, 400, "invalid_grant", "attacker reuse");

    // Contrast: with refresh-rotation off, no new refresh token, and the old one stays valid.
    let mut sim = lab(bcp_without(&[DefenseId::RefreshRotation]));
    alice_signs_in(&mut sim);
    let rt0 = token_responses(&sim)[0]["refresh_token"]
        .as_str()
        .unwrap()
        .to_string();
    for _ in 0..2 {
        let resp = send_back(&mut sim, printer_refresh(&rt0, None));
        assert_eq!(resp.status(), StatusCode::OK, "{}", body_text(&resp));
        assert!(json(&resp).get("refresh_token").is_none());
    }
}
