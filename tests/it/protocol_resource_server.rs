//! docs/PROTOCOL.md items 18–19: the resource server under `bcp` with bearer tokens (`bcp_bearer`), with real
//! access tokens from the AS (Alice's sign-in, probe redemptions) and forged ones, sent
//! through the bus by probes.

use http::StatusCode;
use oauth_lab::testing::*;

use oauth_lab::actors::resource_server::RequestOutcome;
use oauth_lab::actors::well_known as wk;
use oauth_lab::protocol::http_wire::Response;
use oauth_lab::protocol::jwt::{self, SigningKey};
use oauth_lab::sim::Simulation;

fn challenge(resp: &Response) -> String {
    header(resp, "www-authenticate").unwrap_or("").to_string()
}

fn assert_invalid_token(resp: &Response, case: &str) {
    assert_eq!(
        resp.status(),
        StatusCode::UNAUTHORIZED,
        "{case}: {}",
        body_text(resp)
    );
    let c = challenge(resp);
    assert!(c.starts_with("Bearer realm=\""), "{case}: {c}");
    assert!(c.contains("error=\"invalid_token\""), "{case}: {c}");
}

/// Sends `token` to the RS; returns the response and how many introspection calls the
/// RS made for it.
fn call_api(sim: &mut Simulation, token: Option<&str>) -> (Response, usize) {
    let (resp, index) = send(
        sim,
        oauth_lab::actors::ActorKind::Client,
        api_request(token),
    );
    let introspections = requests_to(sim, index, wk::AS, "POST /introspect").len();
    (resp, introspections)
}

/// Alice signs in; returns her access token and ID token.
fn alice_tokens(sim: &mut Simulation) -> (String, String) {
    alice_signs_in(sim);
    let t = token_responses(sim).into_iter().next().expect("tokens");
    (
        t["access_token"].as_str().unwrap().to_string(),
        t["id_token"].as_str().unwrap().to_string(),
    )
}

/// A real token of the uploader client: audience rs.example, scope without photos.read.
fn uploader_token(sim: &mut Simulation) -> String {
    let loc = authorize_in_browser(
        sim,
        &[
            ("response_type", "code"),
            ("client_id", UPLOADER_ID),
            ("redirect_uri", UPLOADER_REDIRECT),
            ("scope", "openid photos.write"),
            ("state", "s-up"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
    );
    let code = query_of(&loc).first("code").expect("a code").to_string();
    let resp = send_back(
        sim,
        redeem_as(UPLOADER_ID, UPLOADER_SECRET, &code, UPLOADER_REDIRECT),
    );
    assert_eq!(resp.status(), StatusCode::OK, "{}", body_text(&resp));
    json(&resp)["access_token"].as_str().unwrap().to_string()
}

#[test]
fn item_18_no_token_401_bare_challenge_invalid_expired_revoked_401_too_little_scope_403() {
    let mut sim = lab(bcp_bearer());
    let (at, _) = alice_tokens(&mut sim);

    // No token: 401 with a challenge and no error attribute.
    let (resp, _) = call_api(&mut sim, None);
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let c = challenge(&resp);
    assert!(c.starts_with("Bearer realm=\""), "{c}");
    assert!(
        !c.contains("error"),
        "no error attribute without a token: {c}"
    );
    assert!(matches!(
        rs(&sim).decisions().last().map(|d| &d.outcome),
        Some(RequestOutcome::Rejected {
            status: 401,
            error: None,
            ..
        })
    ));

    // Invalid.
    for (case, token) in [("garbage", "not-a-jwt"), ("three dots", "a.b.c")] {
        let (resp, _) = call_api(&mut sim, Some(token));
        assert_invalid_token(&resp, case);
    }

    // Control: Alice's token works.
    let (resp, _) = call_api(&mut sim, Some(&at));
    assert_eq!(resp.status(), StatusCode::OK, "{}", body_text(&resp));

    // Revoked (RFC 7009, by the client that holds it): a second token for Alice.
    let code = printer_code(&mut sim);
    let resp = send_back(&mut sim, redeem_as_printer(&code));
    let revoked = json(&resp)["access_token"].as_str().unwrap().to_string();
    let resp = send_back(
        &mut sim,
        with_header(
            post_form(
                &format!("{}/revoke", wk::AS_ISSUER),
                &[("token", &revoked), ("token_type_hint", "access_token")],
            ),
            "authorization",
            &basic(wk::CLIENT_ID, wk::CLIENT_SECRET),
        ),
    );
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(auth_server(&sim).access_token_revoked(&jti_of(&revoked)));
    let (resp, _) = call_api(&mut sim, Some(&revoked));
    assert_invalid_token(&resp, "revoked");

    // Too little scope: 403 insufficient_scope.
    let upload = uploader_token(&mut sim);
    let (resp, _) = call_api(&mut sim, Some(&upload));
    assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{}", body_text(&resp));
    let c = challenge(&resp);
    assert!(c.starts_with("Bearer realm=\""), "{c}");
    assert!(c.contains("error=\"insufficient_scope\""), "{c}");

    // Expired (simulated time).
    advance(&mut sim, wk::ACCESS_TOKEN_LIFETIME_SECS + 1);
    let (resp, _) = call_api(&mut sim, Some(&at));
    assert_invalid_token(&resp, "expired");
}

#[test]
fn item_19_jwt_checks_signature_pinned_alg_typ_iss_aud_exp_and_scope() {
    let mut sim = lab(bcp_bearer());
    let (at, id_token) = alice_tokens(&mut sim);
    let (header0, claims0) = jwt::decode_unverified(&at).expect("a JWT");
    assert_eq!(header0["alg"], "RS256");
    let key = SigningKey::demo_as();
    let resign = |f: &dyn Fn(&mut serde_json::Value)| {
        let mut c = claims0.clone();
        f(&mut c);
        key.sign("at+jwt", &c)
    };

    // Control: the real token, and the same claims re-signed by the AS's key, pass.
    let (resp, n) = call_api(&mut sim, Some(&at));
    assert_eq!(resp.status(), StatusCode::OK, "{}", body_text(&resp));
    assert_eq!(n, 1, "the RS introspects good tokens");
    let (resp, _) = call_api(&mut sim, Some(&resign(&|_| {})));
    assert_eq!(resp.status(), StatusCode::OK, "{}", body_text(&resp));

    let parts: Vec<&str> = at.split('.').collect();
    let mut tampered_claims = claims0.clone();
    tampered_claims["sub"] = wk::MALLORY.into();
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            serde_json::to_vec(&tampered_claims).unwrap()
        ),
        parts[2]
    );
    let jwk = key.jwk().clone();
    let forged: Vec<(&str, String)> = vec![
        ("alg none", jwt::forge_unsigned("at+jwt", &claims0)),
        (
            "HS256 keyed with the AS's public key (algorithm confusion)",
            jwt::sign_hs256(
                "at+jwt",
                Some(key.kid()),
                &jwt::public_key_bytes(&jwk),
                &claims0,
            ),
        ),
        (
            "signed by another key",
            SigningKey::demo_second_as().sign("at+jwt", &claims0),
        ),
        ("payload changed after signing", tampered),
        ("signature stripped", format!("{}.{}.", parts[0], parts[1])),
        ("typ JWT", key.sign("JWT", &claims0)),
        ("an ID token as access token", id_token.clone()),
        (
            "iss of another AS",
            resign(&|c| c["iss"] = "https://as.attacker.example".into()),
        ),
        (
            "aud of the AS",
            resign(&|c| c["aud"] = wk::AS_ISSUER.into()),
        ),
        (
            "aud of another RS",
            resign(&|c| c["aud"] = "https://other-rs.example".into()),
        ),
        (
            "no aud",
            resign(&|c| {
                c.as_object_mut().unwrap().remove("aud");
            }),
        ),
        (
            "no exp",
            resign(&|c| {
                c.as_object_mut().unwrap().remove("exp");
            }),
        ),
        (
            "exp one second before now (simulated)",
            resign(&|c| c["exp"] = (sim.now().unix_secs() - 1).into()),
        ),
    ];
    for (case, token) in &forged {
        let (resp, introspections) = call_api(&mut sim, Some(token));
        assert_invalid_token(&resp, case);
        assert_eq!(
            introspections, 0,
            "{case}: the RS's own JWT checks refuse it, before asking the AS"
        );
    }

    // Scope: a real token of rs.example's audience without photos.read.
    let upload = uploader_token(&mut sim);
    let (resp, introspections) = call_api(&mut sim, Some(&upload));
    assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{}", body_text(&resp));
    assert_eq!(introspections, 0);
    let (resp, _) = call_api(
        &mut sim,
        Some(&resign(&|c| c["scope"] = "openid profile".into())),
    );
    assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{}", body_text(&resp));

    // exp is judged against simulated time: valid now, invalid once the clock passes it.
    let exp = claims0["exp"].as_u64().unwrap();
    let until_exp = exp - sim.now().unix_secs();
    advance(&mut sim, until_exp - 2);
    let (resp, _) = call_api(&mut sim, Some(&at));
    assert_eq!(resp.status(), StatusCode::OK, "just before exp");
    advance(&mut sim, 2);
    let (resp, introspections) = call_api(&mut sim, Some(&at));
    assert_invalid_token(&resp, "at exp");
    assert_eq!(introspections, 0);

    // The RS recorded each refusal with its reason.
    let refused = rs(&sim)
        .decisions()
        .iter()
        .filter(|d| matches!(&d.outcome, RequestOutcome::Rejected { status: 401, error: Some(e), .. } if e == "invalid_token"))
        .count();
    assert_eq!(refused, forged.len() + 1);
}
