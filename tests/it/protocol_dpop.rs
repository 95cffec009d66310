//! docs/PROTOCOL.md item 33: DPoP (RFC 9449) under `Defenses::bcp()`. The honest
//! client's proofs are read from the trace and checked on their own terms (each verifies
//! with its own `jwk`, `ath` is the token's hash, `cnf.jkt` is the proof key's
//! thumbprint); probes send proofs made with keys of their own.

use http::StatusCode;
use oauth_lab::actors::well_known as wk;
use oauth_lab::protocol::dpop::access_token_hash;
use oauth_lab::protocol::http_wire::Response;
use oauth_lab::protocol::jwt;
use oauth_lab::sim::world::WorldBuilder;
use oauth_lab::sim::{Simulation, StepKind};
use oauth_lab::testing::*;

fn token_url() -> String {
    format!("{}/token", wk::AS_ISSUER)
}

fn photos_url() -> String {
    format!("{}/photos", wk::RS_ORIGIN)
}

/// The `cnf.jkt` of an access token, if it has one.
fn cnf_jkt(token: &str) -> Option<String> {
    let (_, claims) = jwt::decode_unverified(token).expect("a JWT");
    claims["cnf"]["jkt"].as_str().map(str::to_string)
}

/// The `DPoP` challenge's error attribute of a 401.
fn dpop_error(resp: &Response) -> String {
    assert_eq!(
        resp.status(),
        StatusCode::UNAUTHORIZED,
        "{}",
        body_text(resp)
    );
    let c = header(resp, "www-authenticate").unwrap_or("");
    assert!(
        c.starts_with("DPoP algs=\""),
        "a DPoP challenge (RFC 9449 §7.1): {c}"
    );
    error_code(resp)
}

/// A code of Photo Printer redeemed with a proof by `key`: the access token, bound to it.
fn token_bound_to(sim: &mut Simulation, key: &oauth_lab::protocol::dpop::DpopKey) -> String {
    let code = printer_code(sim);
    let proof = key.sign(&proof_claims(
        "POST",
        &token_url(),
        None,
        sim.now(),
        "p-token",
    ));
    let resp = send_back(sim, with_dpop(redeem_as_printer(&code), &proof, None));
    assert_eq!(resp.status(), StatusCode::OK, "{}", body_text(&resp));
    let body = json(&resp);
    assert_eq!(body["token_type"], "DPoP");
    let at = body["access_token"].as_str().unwrap().to_string();
    assert_eq!(cnf_jkt(&at).as_deref(), Some(key.jkt()));
    at
}

#[test]
fn item_33_the_bcp_flow_binds_the_tokens_to_the_clients_key_and_proves_it_on_every_call() {
    let mut sim = lab(bcp());
    let mark = alice_signs_in(&mut sim);
    let call = token_calls(&sim, mark)[0].clone();
    let proof = proof_of(&call);
    assert_eq!(proof.header["typ"], "dpop+jwt");
    assert_eq!(proof.alg, "EdDSA");
    assert_eq!(proof.jwk["kty"], "OKP");
    assert_eq!(
        (proof.claims.htm.as_str(), proof.claims.htu.as_str()),
        ("POST", token_url().as_str())
    );
    assert_eq!(
        proof.claims.ath, None,
        "no access token at the token endpoint"
    );
    let body = response_step(&sim, &call)
        .decoded
        .json
        .clone()
        .expect("tokens");
    assert_eq!(body["token_type"], "DPoP", "RFC 9449 §5");
    let at = body["access_token"].as_str().unwrap().to_string();
    assert_eq!(
        cnf_jkt(&at).as_deref(),
        Some(proof.jkt.as_str()),
        "cnf.jkt is the proof key's thumbprint"
    );
    // The API call: Authorization: DPoP, and a proof for GET /photos hashing the token.
    let api = requests_to(&sim, mark, wk::RS, "GET /photos")[0].clone();
    assert_eq!(
        api.decoded.header("authorization"),
        Some(format!("DPoP {at}").as_str())
    );
    let api_proof = proof_of(&api);
    assert_eq!(
        (api_proof.claims.htm.as_str(), api_proof.claims.htu.as_str()),
        ("GET", photos_url().as_str())
    );
    assert_eq!(
        api_proof.claims.ath.as_deref(),
        Some(access_token_hash(&at).as_str())
    );
    assert_eq!(api_proof.jkt, proof.jkt);
    assert_ne!(
        api_proof.claims.jti, proof.claims.jti,
        "a fresh jti per proof"
    );
    assert_eq!(response_step(&sim, &api).decoded.status, Some(200));
    // An hour later the refresh is proved with the same key; the new token is bound too.
    let refresh = refresh_an_hour_later(&mut sim);
    assert_eq!(proof_of(&refresh).jkt, proof.jkt);
    let body = response_step(&sim, &refresh)
        .decoded
        .json
        .clone()
        .expect("tokens");
    let at2 = body["access_token"].as_str().unwrap();
    assert_eq!(cnf_jkt(at2).as_deref(), Some(proof.jkt.as_str()));
    // Photo Printer is confidential: its refresh tokens are not bound (RFC 9449 §5).
    assert!(
        auth_server(&sim)
            .refresh_tokens()
            .iter()
            .all(|r| r.jkt.is_none())
    );
    // With dpop off nothing is bound and nothing is proved.
    let mut plain = lab(bcp_bearer());
    let mark = alice_signs_in(&mut plain);
    let call = token_calls(&plain, mark)[0].clone();
    assert_eq!(call.decoded.header("dpop"), None);
    let body = response_step(&plain, &call).decoded.json.clone().unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(cnf_jkt(body["access_token"].as_str().unwrap()), None);
}

#[test]
fn item_33_the_rs_accepts_a_bound_token_only_with_a_fresh_proof_by_its_key_for_this_request() {
    let mut sim = lab(bcp());
    let key = probe_key(1);
    let at = token_bound_to(&mut sim, &key);
    let now = sim.now();
    let good = |jti: &str| key.sign(&proof_claims("GET", &photos_url(), Some(&at), now, jti));
    let call = |sim: &mut Simulation, req| send(sim, oauth_lab::actors::ActorKind::Client, req).0;
    // The right proof: 200. The htu ignores the query (RFC 9449 §4.3).
    let ok = call(
        &mut sim,
        with_dpop(get(&photos_url()), &good("j1"), Some(&at)),
    );
    assert_eq!(ok.status(), StatusCode::OK, "{}", body_text(&ok));
    let ok = call(
        &mut sim,
        with_dpop(
            get(&format!("{}?page=1", photos_url())),
            &good("j2"),
            Some(&at),
        ),
    );
    assert_eq!(ok.status(), StatusCode::OK, "{}", body_text(&ok));
    // As a bearer token: refused (RFC 9449 §7.2).
    let resp = call(&mut sim, api_request(Some(&at)));
    assert_eq!(dpop_error(&resp), "invalid_token");
    // No proof, another key, another method or URL, no ath, an old iat, a replay.
    let other = probe_key(2).sign(&proof_claims("GET", &photos_url(), Some(&at), now, "j3"));
    let post = key.sign(&proof_claims("POST", &photos_url(), Some(&at), now, "j4"));
    let elsewhere = key.sign(&proof_claims(
        "GET",
        &format!("{}/a1", photos_url()),
        Some(&at),
        now,
        "j5",
    ));
    let no_ath = key.sign(&proof_claims("GET", &photos_url(), None, now, "j6"));
    let ahead = key.sign(&proof_claims(
        "GET",
        &photos_url(),
        Some(&at),
        now.plus_secs(120),
        "j7",
    ));
    let mut no_proof = get(&photos_url());
    oauth_lab::protocol::http_wire::set_header(
        no_proof.headers_mut(),
        "authorization",
        &format!("DPoP {at}"),
    );
    let replayed = good("j1");
    let proofs = [
        ("another key", &other, "signed by key"),
        ("another method", &post, "htm"),
        ("another URL", &elsewhere, "htu"),
        ("no ath", &no_ath, "ath"),
        ("old iat", &ahead, "window"),
        ("replayed", &replayed, "already used"),
    ];
    let requests = proofs
        .into_iter()
        .map(|(case, proof, why)| (case, with_dpop(get(&photos_url()), proof, Some(&at)), why));
    for (case, req, why) in [("no proof", no_proof, "no DPoP proof")]
        .into_iter()
        .chain(requests)
    {
        let resp = call(&mut sim, req);
        assert_eq!(dpop_error(&resp), "invalid_dpop_proof", "{case}");
        assert!(
            body_text(&resp).contains(why),
            "{case}: {}",
            body_text(&resp)
        );
    }
    // Without the replay check, the same proof is accepted again (RFC 9449 §11.1).
    let mut lax = lab(bcp_without(&[
        oauth_lab::actors::DefenseId::DpopProofReplayCheck,
    ]));
    let at = token_bound_to(&mut lax, &key);
    let now = lax.now();
    let proof = key.sign(&proof_claims("GET", &photos_url(), Some(&at), now, "j1"));
    for _ in 0..2 {
        let resp = call(&mut lax, with_dpop(get(&photos_url()), &proof, Some(&at)));
        assert_eq!(resp.status(), StatusCode::OK, "{}", body_text(&resp));
    }
}

#[test]
fn item_33_the_as_refuses_bad_proofs_and_binds_a_public_clients_refresh_token() {
    let mut sim = lab(bcp());
    let key = probe_key(3);
    // A proof for another URL at the token endpoint: 400 invalid_dpop_proof (RFC 9449 §5).
    let code = printer_code(&mut sim);
    let wrong = key.sign(&proof_claims(
        "POST",
        &format!("{}/revoke", wk::AS_ISSUER),
        None,
        sim.now(),
        "t1",
    ));
    let resp = send_back(&mut sim, with_dpop(redeem_as_printer(&code), &wrong, None));
    assert_json_error(&resp, 400, "invalid_dpop_proof", "a proof for /revoke");
    // The Photos app (public) redeems a code with a proof: its refresh token is bound.
    let loc = authorize_in_browser(
        &mut sim,
        &[
            ("response_type", "code"),
            ("client_id", wk::NATIVE_CLIENT_ID),
            ("redirect_uri", wk::NATIVE_REDIRECT_URI),
            ("scope", wk::SCOPE_PHOTOS_READ),
            ("state", "s-app"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
    );
    let code = query_of(&loc).first("code").expect("a code").to_string();
    let redeem = post_form(
        &token_url(),
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", wk::NATIVE_REDIRECT_URI),
            ("client_id", wk::NATIVE_CLIENT_ID),
            ("code_verifier", VERIFIER),
        ],
    );
    let proof = key.sign(&proof_claims("POST", &token_url(), None, sim.now(), "t2"));
    let resp = send_back(&mut sim, with_dpop(redeem, &proof, None));
    assert_eq!(resp.status(), StatusCode::OK, "{}", body_text(&resp));
    let rt = json(&resp)["refresh_token"].as_str().unwrap().to_string();
    let record = auth_server(&sim)
        .refresh_tokens()
        .iter()
        .find(|r| oauth_lab::protocol::secret::Secret::expose(&r.token) == rt)
        .expect("the AS knows it")
        .clone();
    assert_eq!(
        record.jkt.as_deref(),
        Some(key.jkt()),
        "bound to the proof key"
    );
    let refresh = || {
        post_form(
            &token_url(),
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &rt),
                ("client_id", wk::NATIVE_CLIENT_ID),
            ],
        )
    };
    // Without a proof, or with a proof by another key: refused, the token stays usable.
    let resp = send_back(&mut sim, refresh());
    assert_json_error(&resp, 400, "invalid_dpop_proof", "no proof");
    let stranger = probe_key(4).sign(&proof_claims("POST", &token_url(), None, sim.now(), "t3"));
    let resp = send_back(&mut sim, with_dpop(refresh(), &stranger, None));
    assert_json_error(&resp, 400, "invalid_dpop_proof", "another key");
    assert!(body_text(&resp).contains(key.jkt()), "{}", body_text(&resp));
    // With a proof by the bound key: a new DPoP token.
    let mine = key.sign(&proof_claims("POST", &token_url(), None, sim.now(), "t4"));
    let resp = send_back(&mut sim, with_dpop(refresh(), &mine, None));
    assert_eq!(resp.status(), StatusCode::OK, "{}", body_text(&resp));
    assert_eq!(json(&resp)["token_type"], "DPoP");
}

#[test]
fn item_33_servers_that_want_a_nonce_say_so_and_the_client_retries_with_it() {
    let mut b = WorldBuilder::standard(SEED, bcp());
    b.auth_server.require_dpop_nonce = true;
    b.resource_server.require_dpop_nonce = true;
    let mut sim = b.build();
    sim.run_until_idle();
    let mark = alice_signs_in(&mut sim);
    for (to, what, status) in [(wk::AS, "POST /token", 400), (wk::RS, "GET /photos", 401)] {
        let calls = requests_to(&sim, mark, to, what);
        assert_eq!(
            calls.len(),
            2,
            "{what} is sent twice:\n{}",
            transcript(&sim, mark)
        );
        let first = response_step(&sim, calls[0]);
        assert_eq!(first.decoded.status, Some(status), "{}", first.wire);
        assert_eq!(
            first.decoded.param("error").as_deref(),
            Some("use_dpop_nonce")
        );
        let nonce = first
            .decoded
            .header("dpop-nonce")
            .expect("DPoP-Nonce (RFC 9449 §8.1)");
        assert_eq!(proof_of(calls[0]).claims.nonce, None);
        assert_eq!(proof_of(calls[1]).claims.nonce.as_deref(), Some(nonce));
        let second = response_step(&sim, calls[1]);
        assert!(
            matches!(second.decoded.status, Some(200)),
            "{}",
            second.wire
        );
    }
    let page = sim
        .trace()
        .steps
        .iter()
        .rev()
        .find(|s| s.kind == StepKind::Response && s.to.as_str() == wk::BROWSER)
        .expect("Alice gets a page");
    assert!(page.summary.contains("Your photos"), "{}", page.summary);
}

/// The standard world where Photo Printer may also use `client_credentials`
/// (RFC 6749 §4.4), started and idle.
fn printer_with_client_credentials(defenses: oauth_lab::actors::Defenses) -> Simulation {
    let mut b = WorldBuilder::standard(SEED, defenses);
    for c in &mut b.auth_server.clients {
        if c.client_id == wk::CLIENT_ID {
            c.grant_types
                .push(oauth_lab::actors::auth_server::registrar::GrantType::ClientCredentials);
        }
    }
    let mut sim = b.build();
    sim.run_until_idle();
    sim
}

fn client_credentials_request() -> oauth_lab::protocol::http_wire::Request {
    printer_token(&[
        ("grant_type", "client_credentials"),
        ("scope", "photos.read"),
    ])
}

#[test]
fn item_33_a_client_credentials_token_is_bound_to_the_proof_key_and_the_rs_holds_it_to_it() {
    let mut sim = printer_with_client_credentials(bcp());
    let key = probe_key(9);
    let proof = key.sign(&proof_claims("POST", &token_url(), None, sim.now(), "cc-1"));
    let resp = send_back(
        &mut sim,
        with_dpop(client_credentials_request(), &proof, None),
    );
    assert_eq!(resp.status(), StatusCode::OK, "{}", body_text(&resp));
    let body = json(&resp);
    assert_eq!(body["token_type"], "DPoP", "RFC 9449 §5");
    assert!(body.get("refresh_token").is_none(), "RFC 6749 §4.4.3");
    let at = body["access_token"].as_str().unwrap().to_string();
    assert_eq!(
        cnf_jkt(&at).as_deref(),
        Some(key.jkt()),
        "cnf.jkt is the proof key's thumbprint (RFC 9449 §6.1)"
    );
    // The RS: a fresh proof by that key with the token's ath is let through; the token
    // alone as a bearer token, or with a proof by another key, is refused.
    let now = sim.now();
    let call = |sim: &mut Simulation, req| send_back(sim, req);
    let by_key = key.sign(&proof_claims("GET", &photos_url(), Some(&at), now, "cc-2"));
    let ok = call(&mut sim, with_dpop(get(&photos_url()), &by_key, Some(&at)));
    assert_eq!(ok.status(), StatusCode::OK, "{}", body_text(&ok));
    let resp = call(&mut sim, api_request(Some(&at)));
    assert_eq!(dpop_error(&resp), "invalid_token", "RFC 9449 §7.2");
    let other = probe_key(10).sign(&proof_claims("GET", &photos_url(), Some(&at), now, "cc-3"));
    let resp = call(&mut sim, with_dpop(get(&photos_url()), &other, Some(&at)));
    assert_eq!(dpop_error(&resp), "invalid_dpop_proof");
    assert!(
        body_text(&resp).contains("signed by key"),
        "{}",
        body_text(&resp)
    );

    // Without a proof the same request gets a bearer token, usable by whoever holds it.
    let resp = send_back(&mut sim, client_credentials_request());
    let body = json(&resp);
    assert_eq!(body["token_type"], "Bearer");
    let bearer = body["access_token"].as_str().unwrap().to_string();
    assert_eq!(cnf_jkt(&bearer), None);
    let ok = call(&mut sim, api_request(Some(&bearer)));
    assert_eq!(ok.status(), StatusCode::OK, "{}", body_text(&ok));

    // With dpop off the AS ignores the proof: a bearer token, no cnf.
    let mut plain = printer_with_client_credentials(bcp_bearer());
    let proof = key.sign(&proof_claims(
        "POST",
        &token_url(),
        None,
        plain.now(),
        "cc-4",
    ));
    let resp = send_back(
        &mut plain,
        with_dpop(client_credentials_request(), &proof, None),
    );
    let body = json(&resp);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(cnf_jkt(body["access_token"].as_str().unwrap()), None);
}

#[test]
fn item_33_the_metadata_lists_the_dpop_algorithms_only_when_dpop_is_on() {
    let url = format!("{}/.well-known/oauth-authorization-server", wk::AS_ISSUER);
    let mut sim = lab(bcp());
    let meta = json(&send_back(&mut sim, get(&url)));
    assert_eq!(
        meta["dpop_signing_alg_values_supported"],
        serde_json::json!(oauth_lab::protocol::dpop::PROOF_ALGORITHMS),
        "RFC 9449 §5.1"
    );
    // Every algorithm listed is one the AS verifies: the honest client's EdDSA among them.
    let mark = alice_signs_in(&mut sim);
    let proof = proof_of(token_calls(&sim, mark)[0]);
    assert!(
        meta["dpop_signing_alg_values_supported"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == proof.alg.as_str())
    );
    let mut plain = lab(bcp_bearer());
    let meta = json(&send_back(&mut plain, get(&url)));
    assert!(
        meta.get("dpop_signing_alg_values_supported").is_none(),
        "{meta}"
    );
}
