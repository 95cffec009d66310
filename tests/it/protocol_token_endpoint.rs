//! docs/PROTOCOL.md items 7–15: the token endpoint (`grant_type=authorization_code`) under
//! `Defenses::bcp()` (items 7 and 9 with bearer tokens, `bcp_bearer`). Codes come from real authorization flows (Alice's browser logs in
//! and consents); token requests come from the honest client, from a learner's replay,
//! or from probes acting as another client or as an attacker.

use http::StatusCode;
use oauth_lab::actors::DefenseId;
use oauth_lab::testing::*;

use oauth_lab::actors::well_known as wk;
use oauth_lab::protocol::http_wire::Response;
use oauth_lab::protocol::pkce;
use oauth_lab::sim::{LearnerInput, StepKind};

fn assert_invalid_client(resp: &Response, case: &str) {
    assert_json_error(resp, 401, "invalid_client", case);
}

fn printer_pairs(code: &str) -> Vec<(&str, &str)> {
    redemption_pairs(code, wk::CLIENT_REDIRECT_URI)
}

#[test]
fn item_07_success_is_200_json_with_token_fields_and_no_store() {
    let mut sim = lab(bcp_bearer());
    let before = alice_signs_in(&mut sim);
    let calls = token_calls(&sim, before);
    assert_eq!(calls.len(), 1, "{}", transcript(&sim, before));
    let call = calls[0];
    assert_eq!(
        call.decoded.param("grant_type").as_deref(),
        Some("authorization_code")
    );
    let code = call.decoded.param("code").expect("code");
    let resp = response_step(&sim, call);
    assert_eq!(resp.decoded.status, Some(200), "{}", resp.wire);
    assert!(resp.wire.starts_with("HTTP/1.1 200 "));
    assert!(
        resp.decoded
            .header("content-type")
            .is_some_and(|c| c.starts_with("application/json")),
        "JSON"
    );
    assert!(
        resp.decoded
            .header("cache-control")
            .is_some_and(|c| c.to_ascii_lowercase().contains("no-store")),
        "Cache-Control: no-store (RFC 6749 §5.1): {:?}",
        resp.decoded.headers
    );
    let body = resp.decoded.json.clone().expect("a JSON body");
    let at = body["access_token"].as_str().expect("access_token");
    assert!(!at.is_empty());
    assert!(
        body["token_type"]
            .as_str()
            .is_some_and(|t| t.eq_ignore_ascii_case("bearer")),
        "token_type Bearer: {body}"
    );
    assert_eq!(
        body["expires_in"].as_u64(),
        Some(wk::ACCESS_TOKEN_LIFETIME_SECS)
    );
    assert!(
        body["refresh_token"]
            .as_str()
            .is_some_and(|r| !r.is_empty())
    );
    assert!(
        body["id_token"].as_str().is_some(),
        "scope openid ⇒ an ID token"
    );
    assert_eq!(body["scope"].as_str(), Some(wk::CLIENT_SCOPE));
    // The decoded view finds the JWTs.
    let jwt = resp
        .decoded
        .jwts
        .iter()
        .find(|j| j.found_in == "access_token")
        .expect("the access token is a JWT");
    assert_eq!(jwt.header["typ"], "at+jwt");
    assert_eq!(jwt.claims["aud"], wk::RS_ORIGIN);
    // The AS's state.
    let server = auth_server(&sim);
    assert!(server.code_redeemed(&code));
    assert!(server.access_token_jwt_active(at, sim.now()));
    assert!(server.refresh_token_active(body["refresh_token"].as_str().unwrap(), sim.now()));
}

#[test]
fn item_08_errors_are_json_400_except_invalid_client_401_with_basic_challenge() {
    let mut sim = lab(bcp());
    let code = printer_code(&mut sim);

    let resp = send_back(&mut sim, printer_token(&[("code", &code)]));
    assert_json_error(&resp, 400, "invalid_request", "missing grant_type");
    let resp = send_back(
        &mut sim,
        printer_token(&[("grant_type", "password"), ("username", "alice")]),
    );
    assert_json_error(&resp, 400, "unsupported_grant_type", "unknown grant");
    let resp = send_back(
        &mut sim,
        printer_token(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "https://client.example/other"),
            ("code_verifier", VERIFIER),
        ]),
    );
    assert_json_error(&resp, 400, "invalid_grant", "wrong redirect_uri");

    // invalid_client: 401, and with Basic a WWW-Authenticate: Basic challenge.
    for (case, id, secret) in [
        ("bad secret (Basic)", wk::CLIENT_ID, "wrong-secret"),
        ("unknown client (Basic)", "no-such-client", "whatever"),
    ] {
        let resp = send_back(&mut sim, token_request(id, secret, &printer_pairs(&code)));
        assert_invalid_client(&resp, case);
        let challenge = header(&resp, "www-authenticate").unwrap_or("");
        assert!(
            challenge.to_ascii_lowercase().starts_with("basic"),
            "{case}: WWW-Authenticate: Basic, got {challenge:?}"
        );
    }
    let mut pairs = printer_pairs(&code);
    pairs.extend([
        ("client_id", wk::CLIENT_ID),
        ("client_secret", "wrong-secret"),
    ]);
    let resp = send_back(
        &mut sim,
        post_form(&format!("{}/token", wk::AS_ISSUER), &pairs),
    );
    assert_invalid_client(&resp, "bad secret (client_secret_post)");
    assert!(!auth_server(&sim).code_redeemed(&code));
}

#[test]
fn item_09_second_redemption_is_invalid_grant_and_revokes_tokens() {
    let mut sim = lab(bcp_bearer());
    let before = alice_signs_in(&mut sim);
    let call = token_calls(&sim, before)[0].clone();
    let code = call.decoded.param("code").expect("code");
    let body = response_step(&sim, &call)
        .decoded
        .json
        .clone()
        .expect("tokens");
    let at = body["access_token"].as_str().unwrap().to_string();
    let rt = body["refresh_token"].as_str().unwrap().to_string();
    let jti = jti_of(&at);
    assert!(auth_server(&sim).access_token_active(&jti, sim.now()));

    // The learner replays the client's token request, byte for byte.
    let mark = sim.trace().steps.len();
    sim.apply(LearnerInput::Replay { step: call.index })
        .expect("a request to replay");
    sim.run_until_idle();
    let replayed = steps_from(&sim, mark)
        .iter()
        .find(|s| s.kind == StepKind::Request && s.to.as_str() == wk::AS)
        .expect("the replayed request was delivered");
    assert_eq!(replayed.wire, call.wire);
    let answer = response_step(&sim, replayed);
    assert_eq!(answer.decoded.status, Some(400), "{}", answer.wire);
    assert_eq!(
        answer.decoded.param("error").as_deref(),
        Some("invalid_grant")
    );
    assert!(
        answer
            .decoded
            .json
            .as_ref()
            .unwrap()
            .get("access_token")
            .is_none()
    );

    // Every token issued from that code is revoked.
    let server = auth_server(&sim);
    assert_eq!(server.code(&code).unwrap().redemptions, 1);
    assert!(
        server.access_token_revoked(&jti),
        "the access token is revoked"
    );
    assert!(!server.access_token_active(&jti, sim.now()));
    assert!(
        server.refresh_token_revoked(&rt),
        "the refresh token is revoked"
    );
    assert!(!server.refresh_token_active(&rt, sim.now()));

    // … and the RS (which introspects) now refuses the access token.
    let resp = send_back(&mut sim, api_request(Some(&at)));
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(
        header(&resp, "www-authenticate")
            .unwrap_or("")
            .contains("invalid_token")
    );
    // … and the refresh token is dead.
    let resp = send_back(
        &mut sim,
        printer_token(&[("grant_type", "refresh_token"), ("refresh_token", &rt)]),
    );
    assert_json_error(&resp, 400, "invalid_grant", "refresh after code reuse");

    // An attacker who captured the code from the trace fares no better.
    let resp = send_attacker(&mut sim, redeem_as_printer(&code));
    assert_json_error(&resp, 400, "invalid_grant", "attacker replay");

    // Contrast: with revoke-on-code-reuse off the reuse is refused but nothing revoked.
    let mut sim = lab(bcp_without(&[DefenseId::RevokeOnCodeReuse]));
    let before = alice_signs_in(&mut sim);
    let call = token_calls(&sim, before)[0].clone();
    let at = response_step(&sim, &call).decoded.json.clone().unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    sim.apply(LearnerInput::Replay { step: call.index })
        .unwrap();
    sim.run_until_idle();
    let server = auth_server(&sim);
    assert!(!server.access_token_revoked(&jti_of(&at)));
}

#[test]
fn item_10_codes_expire_within_ten_minutes_of_simulated_time() {
    let mut sim = lab(bcp());
    // A code used in time works.
    let early = printer_code(&mut sim);
    advance(&mut sim, 30);
    let resp = send_back(&mut sim, redeem_as_printer(&early));
    assert_eq!(resp.status(), StatusCode::OK, "{}", body_text(&resp));

    // A code used more than ten minutes later is invalid_grant.
    let late = printer_code(&mut sim);
    let lifetime = auth_server(&sim).code(&late).unwrap().lifetime_secs;
    assert!(
        lifetime.is_some_and(|s| s <= 600),
        "codes live at most 10 minutes, got {lifetime:?}"
    );
    advance(&mut sim, 601);
    let resp = send_back(&mut sim, redeem_as_printer(&late));
    assert_json_error(&resp, 400, "invalid_grant", "expired code");
    assert!(!auth_server(&sim).code_redeemed(&late));
}

#[test]
fn item_11_code_of_client_a_redeemed_by_client_b_is_invalid_grant() {
    let mut sim = lab(bcp());
    let code = printer_code(&mut sim);
    assert_eq!(
        auth_server(&sim).code(&code).unwrap().request.client_id,
        wk::CLIENT_ID
    );
    for (case, redirect) in [
        ("A's redirect URI", wk::CLIENT_REDIRECT_URI),
        ("B's redirect URI", SECOND_REDIRECT),
    ] {
        let resp = send_back(
            &mut sim,
            redeem_as(SECOND_ID, SECOND_SECRET, &code, redirect),
        );
        assert_json_error(&resp, 400, "invalid_grant", case);
    }
    // A public client (the native app) naming itself.
    let resp = send_back(
        &mut sim,
        post_form(
            &format!("{}/token", wk::AS_ISSUER),
            &[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", wk::CLIENT_REDIRECT_URI),
                ("code_verifier", VERIFIER),
                ("client_id", wk::NATIVE_CLIENT_ID),
            ],
        ),
    );
    assert_json_error(&resp, 400, "invalid_grant", "public client B");
    assert!(!auth_server(&sim).code_redeemed(&code));

    // Contrast: with code-bound-to-client off, client B gets tokens.
    let mut sim = lab(bcp_without(&[DefenseId::CodeBoundToClient]));
    let code = printer_code(&mut sim);
    let resp = send_back(
        &mut sim,
        redeem_as(SECOND_ID, SECOND_SECRET, &code, wk::CLIENT_REDIRECT_URI),
    );
    assert_eq!(resp.status(), StatusCode::OK, "{}", body_text(&resp));
}

#[test]
fn item_12_redirect_uri_differing_from_the_authorization_request_is_invalid_grant() {
    let mut sim = lab(bcp());
    let code = printer_code(&mut sim);
    let redeem = |redirect: Option<&str>| {
        let mut pairs = vec![
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("code_verifier", VERIFIER),
        ];
        if let Some(r) = redirect {
            pairs.push(("redirect_uri", r));
        }
        printer_token(&pairs)
    };
    for (case, redirect) in [
        ("added query", Some("https://client.example/cb?x=1")),
        ("other path", Some("https://client.example/other")),
        ("other host", Some("https://attacker.example/cb")),
        ("case", Some("https://client.example/CB")),
        ("missing, although the request had one", None),
    ] {
        let resp = send_back(&mut sim, redeem(redirect));
        assert_json_error(&resp, 400, "invalid_grant", case);
    }
    assert!(!auth_server(&sim).code_redeemed(&code));
}

#[test]
fn item_13_missing_or_unknown_grant_type_missing_code_and_unauthorized_client() {
    let mut sim = lab(bcp());
    let code = printer_code(&mut sim);
    let printer = |pairs: &[(&str, &str)]| printer_token(pairs);

    let cases = vec![
        (
            "missing grant_type",
            printer(&[("code", &code), ("redirect_uri", wk::CLIENT_REDIRECT_URI)]),
            "invalid_request",
        ),
        (
            "empty grant_type",
            printer(&[("grant_type", ""), ("code", &code)]),
            "invalid_request",
        ),
        (
            "missing code",
            printer(&[
                ("grant_type", "authorization_code"),
                ("redirect_uri", wk::CLIENT_REDIRECT_URI),
                ("code_verifier", VERIFIER),
            ]),
            "invalid_request",
        ),
        (
            "empty code",
            printer(&[("grant_type", "authorization_code"), ("code", "")]),
            "invalid_request",
        ),
        (
            "grant_type=password",
            printer(&[
                ("grant_type", "password"),
                ("username", wk::ALICE),
                ("password", wk::ALICE_PASSWORD),
            ]),
            "unsupported_grant_type",
        ),
        (
            "grant_type=implicit (no token request exists for it)",
            printer(&[("grant_type", "implicit")]),
            "unsupported_grant_type",
        ),
        (
            "grant_type=client_credentials (served, but photo-printer is not registered for it)",
            printer(&[("grant_type", "client_credentials")]),
            "unauthorized_client",
        ),
        (
            "grant_type=urn:…:device_code",
            printer(&[("grant_type", "urn:ietf:params:oauth:grant-type:device_code")]),
            "unsupported_grant_type",
        ),
        (
            "refresh_token grant for a code-only client",
            token_request(
                CODE_ONLY_ID,
                CODE_ONLY_SECRET,
                &[
                    ("grant_type", "refresh_token"),
                    ("refresh_token", "whatever"),
                ],
            ),
            "unauthorized_client",
        ),
        (
            "authorization_code grant for the RS's introspection client",
            token_request(
                wk::RS_CLIENT_ID,
                wk::RS_CLIENT_SECRET,
                &[
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("redirect_uri", wk::CLIENT_REDIRECT_URI),
                ],
            ),
            "unauthorized_client",
        ),
    ];
    for (case, req, error) in cases {
        let resp = send_back(&mut sim, req);
        assert_json_error(&resp, 400, error, case);
    }
    assert!(!auth_server(&sim).code_redeemed(&code));
}

#[test]
fn item_14_pkce_missing_or_wrong_verifier_is_invalid_grant_and_downgrade_is_rejected() {
    let mut sim = lab(bcp());
    let code = printer_code(&mut sim);
    let other_verifier = pkce::verifier_from_bytes(&[7u8; 32]);
    let other_verifier = oauth_lab::protocol::secret::Secret::expose(&other_verifier).to_string();
    let long_verifier = format!("{VERIFIER}{}", "a".repeat(40));
    let redeem = |verifier: Option<&str>| {
        let mut pairs = vec![
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", wk::CLIENT_REDIRECT_URI),
        ];
        if let Some(v) = verifier {
            pairs.push(("code_verifier", v));
        }
        printer_token(&pairs)
    };
    for (case, verifier) in [
        ("no code_verifier", None),
        ("empty code_verifier", Some("")),
        ("another verifier", Some(other_verifier.as_str())),
        ("the challenge itself (plain)", Some(CHALLENGE)),
        ("a longer verifier", Some(long_verifier.as_str())),
    ] {
        let resp = send_back(&mut sim, redeem(verifier));
        assert_json_error(&resp, 400, "invalid_grant", case);
    }
    assert!(!auth_server(&sim).code_redeemed(&code));
    // Control: a fresh code with the right verifier works.
    let fresh = printer_code(&mut sim);
    let resp = send_back(&mut sim, redeem_as_printer(&fresh));
    assert_eq!(resp.status(), StatusCode::OK, "{}", body_text(&resp));

    // PKCE downgrade (RFC 9700 §4.8.2). Under bcp no code is issued without a
    // challenge (item 6), so the AS must be made to issue one: pkce-required off.
    let no_challenge: Vec<(&str, &str)> = printer_authorize_pairs("s-14")
        .into_iter()
        .filter(|(k, _)| !k.starts_with("code_challenge"))
        .collect();
    let mut sim = lab(bcp_without(&[DefenseId::PkceRequired]));
    let loc = authorize_in_browser(&mut sim, &no_challenge);
    let code = query_of(&loc).first("code").expect("a code").to_string();
    assert!(
        auth_server(&sim)
            .code(&code)
            .unwrap()
            .request
            .pkce
            .is_none()
    );
    let resp = send_back(&mut sim, redeem_as_printer(&code));
    assert_eq!(
        resp.status().as_u16(),
        400,
        "a code_verifier for a code without challenge is rejected: {}",
        body_text(&resp)
    );
    assert!(!auth_server(&sim).code_redeemed(&code));

    // Contrast: also with reject-verifier-without-challenge off, the downgrade works.
    let mut d = bcp_without(&[DefenseId::PkceRequired]);
    d.reject_verifier_without_challenge = false;
    let mut sim = lab(d);
    let loc = authorize_in_browser(&mut sim, &no_challenge);
    let code = query_of(&loc).first("code").expect("a code").to_string();
    let resp = send_back(&mut sim, redeem_as_printer(&code));
    assert_eq!(resp.status(), StatusCode::OK, "{}", body_text(&resp));
}

#[test]
fn item_15_client_authentication_is_required_and_checked_in_constant_time() {
    let mut sim = lab(bcp());
    let code = printer_code(&mut sim);
    let url = format!("{}/token", wk::AS_ISSUER);

    // No authentication for a confidential client: invalid_request or invalid_client.
    let mut only_id = printer_pairs(&code);
    only_id.push(("client_id", wk::CLIENT_ID));
    for (case, req) in [
        ("client_id only", post_form(&url, &only_id)),
        ("nothing at all", post_form(&url, &printer_pairs(&code))),
    ] {
        let resp = send_back(&mut sim, req);
        let err = error_code(&resp);
        match err.as_str() {
            "invalid_request" => assert_json_error(&resp, 400, "invalid_request", case),
            _ => assert_invalid_client(&resp, case),
        }
    }

    // Unknown client or bad secret: 401 invalid_client.
    let long_secret = format!("{}x", wk::CLIENT_SECRET);
    let prefix = &wk::CLIENT_SECRET[..wk::CLIENT_SECRET.len() - 1];
    for (case, id, secret) in [
        ("unknown client", "no-such-client", wk::CLIENT_SECRET),
        ("bad secret", wk::CLIENT_ID, "wrong-secret"),
        ("empty secret", wk::CLIENT_ID, ""),
        ("secret prefix", wk::CLIENT_ID, prefix),
        ("secret plus one char", wk::CLIENT_ID, long_secret.as_str()),
        ("another client's secret", wk::CLIENT_ID, SECOND_SECRET),
    ] {
        let resp = send_back(&mut sim, token_request(id, secret, &printer_pairs(&code)));
        assert_invalid_client(&resp, &format!("{case} (Basic)"));
        let mut pairs = printer_pairs(&code);
        pairs.extend([("client_id", id), ("client_secret", secret)]);
        let resp = send_back(&mut sim, post_form(&url, &pairs));
        if secret.is_empty() {
            // An empty client_secret counts as absent (RFC 6749 §3.2).
            assert!(matches!(resp.status().as_u16(), 400 | 401), "{case} (post)");
        } else {
            assert_invalid_client(&resp, &format!("{case} (post)"));
        }
    }
    assert!(!auth_server(&sim).code_redeemed(&code));

    // The right secret, in the body this time, works; the AS says how it compared it.
    let mut pairs = printer_pairs(&code);
    pairs.extend([
        ("client_id", wk::CLIENT_ID),
        ("client_secret", wk::CLIENT_SECRET),
    ]);
    let (resp, index) = send(
        &mut sim,
        oauth_lab::actors::ActorKind::Client,
        post_form(&url, &pairs),
    );
    assert_eq!(resp.status(), StatusCode::OK, "{}", body_text(&resp));
    assert!(
        sim.trace().steps[index]
            .annotation
            .contains("constant time"),
        "{}",
        sim.trace().steps[index].annotation
    );
}
