//! docs/PROTOCOL.md items 32 (pushed authorization requests, RFC 9126), 34
//! (`private_key_jwt`, RFC 7523) and 35 (frame protection, RFC 9700 §4.16).

use oauth_lab::actors::DefenseId;
use oauth_lab::actors::auth_server::par::REQUEST_URI_PREFIX;
use oauth_lab::actors::client::config::photo_printer_key;
use oauth_lab::actors::well_known as wk;
use oauth_lab::protocol::ed25519_key::{Ed25519Key, verify_eddsa};
use oauth_lab::protocol::params::Params;
use oauth_lab::protocol::requests::{AuthorizationRequest, ClientAuth};
use oauth_lab::sim::{Simulation, Step, StepKind};
use oauth_lab::testing::step::{basic_client_id, claim, form, header, jwt, query, status};
use oauth_lab::testing::*;

fn par_url() -> String {
    format!("{}/par", wk::AS_ISSUER)
}

/// The first answer of the AS to the browser from `mark` on.
fn as_page(sim: &Simulation, mark: usize) -> &Step {
    steps_from(sim, mark)
        .iter()
        .find(|s| {
            s.kind == StepKind::Response
                && s.from.as_str() == wk::AS
                && s.to.as_str() == wk::BROWSER
        })
        .unwrap_or_else(|| {
            panic!(
                "the AS answered the browser nothing:\n{}",
                transcript(sim, mark)
            )
        })
}

/// Photo Printer pushes `pairs` itself (a probe with its secret).
fn push(
    sim: &mut Simulation,
    pairs: &[(&str, &str)],
    auth: &ClientAuth,
) -> oauth_lab::protocol::http_wire::Response {
    let req = AuthorizationRequest::from_params(Params::from_pairs(pairs.iter().copied()))
        .push_to(&par_url(), auth);
    send_back(sim, req)
}

fn printer_basic() -> ClientAuth {
    ClientAuth::basic(wk::CLIENT_ID, wk::CLIENT_SECRET)
}

fn request_uri_of(resp: &oauth_lab::protocol::http_wire::Response) -> String {
    json(resp)["request_uri"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn item_32_the_client_pushes_and_the_browser_carries_only_client_id_and_request_uri() {
    let d = bcp_with(&[DefenseId::ParRequired]);
    let mut sim = lab(d.clone());
    let meta = auth_server(&sim).metadata(&d);
    assert_eq!(meta.pushed_authorization_request_endpoint, Some(par_url()));
    assert!(meta.require_pushed_authorization_requests);
    let mark = alice_signs_in(&mut sim);
    let pushed = requests_to(&sim, mark, wk::AS, "POST /par ");
    let [pushed] = pushed.as_slice() else {
        panic!("one push:\n{}", transcript(&sim, mark))
    };
    assert_eq!(
        basic_client_id(pushed),
        wk::CLIENT_ID,
        "authenticated like a token request"
    );
    for p in [
        "response_type",
        "client_id",
        "redirect_uri",
        "scope",
        "state",
        "code_challenge",
    ] {
        assert!(form(pushed, p).is_some(), "the pushed request carries {p}");
    }
    let answer = response_step(&sim, pushed);
    assert_eq!(status(answer), 201);
    assert_eq!(header(answer, "cache-control"), Some("no-store"));
    let json = answer.decoded.json.clone().expect("JSON");
    let request_uri = json["request_uri"]
        .as_str()
        .expect("request_uri")
        .to_string();
    assert!(request_uri.starts_with(REQUEST_URI_PREFIX), "{request_uri}");
    assert_eq!(json["expires_in"], 60);
    let authz = requests_to(&sim, mark, wk::AS, "GET /authorize");
    let names: Vec<&str> = authz[0]
        .decoded
        .query
        .iter()
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(names, ["client_id", "request_uri"]);
    assert_eq!(query(authz[0], "request_uri"), Some(request_uri.as_str()));
    let session = alice_client_session(&sim).expect("a session");
    assert!(
        client(&sim)
            .session(&session)
            .is_some_and(|s| s.tokens.is_some()),
        "{}",
        transcript(&sim, mark)
    );
    // One use only (RFC 9126 §4): the same URL again is an error page, no redirect.
    let used = oauth_lab::testing::step::url(authz[0]).to_string();
    let again = navigate(&mut sim, &used);
    let page = as_page(&sim, again);
    assert_eq!((status(page), header(page, "location")), (400, None));
    assert!(transcript(&sim, again).contains("already used"));
}

#[test]
fn item_32_par_required_refuses_requests_not_pushed_and_request_uris_not_valid() {
    let mut sim = lab(bcp_with(&[DefenseId::ParRequired]));
    // A request straight to /authorize: an error page, never a redirect (RFC 9126 §5).
    let mark = navigate(&mut sim, &authorize_url(&printer_authorize_pairs("st-1")));
    let page = as_page(&sim, mark);
    assert_eq!((status(page), header(page, "location")), (400, None));
    assert!(transcript(&sim, mark).contains("RFC 9126 §5"));
    // An unknown request_uri, one of another client, an expired one.
    let pairs = printer_authorize_pairs("st-2");
    let mine = request_uri_of(&push(&mut sim, &pairs, &printer_basic()));
    for (case, client_id, uri) in [
        (
            "unknown",
            wk::CLIENT_ID,
            format!("{REQUEST_URI_PREFIX}nope"),
        ),
        ("another client's", SECOND_ID, mine.clone()),
    ] {
        let url = AuthorizationRequest::by_reference(client_id, &uri)
            .url(&format!("{}/authorize", wk::AS_ISSUER));
        let mark = navigate(&mut sim, &url);
        let page = as_page(&sim, mark);
        assert_eq!(
            (status(page), header(page, "location")),
            (400, None),
            "{case}"
        );
    }
    let old = request_uri_of(&push(
        &mut sim,
        &printer_authorize_pairs("st-3"),
        &printer_basic(),
    ));
    advance(&mut sim, 61);
    let url = AuthorizationRequest::by_reference(wk::CLIENT_ID, &old)
        .url(&format!("{}/authorize", wk::AS_ISSUER));
    let mark = navigate(&mut sim, &url);
    assert_eq!(status(as_page(&sim, mark)), 400);
    assert!(transcript(&sim, mark).contains("expired"));
    // The PAR endpoint authenticates the client and checks the request (RFC 9126 §2.1).
    let wrong = push(&mut sim, &pairs, &ClientAuth::basic(wk::CLIENT_ID, "wrong"));
    assert_json_error(&wrong, 401, "invalid_client", "wrong secret");
    let mut with_uri = pairs.clone();
    with_uri.push(("request_uri", "urn:x"));
    assert_json_error(
        &push(&mut sim, &with_uri, &printer_basic()),
        400,
        "invalid_request",
        "request_uri pushed",
    );
    let bad_redirect: Vec<(&str, &str)> = pairs
        .iter()
        .map(|&(k, v)| {
            if k == "redirect_uri" {
                (k, "https://client.example/elsewhere")
            } else {
                (k, v)
            }
        })
        .collect();
    assert_json_error(
        &push(&mut sim, &bad_redirect, &printer_basic()),
        400,
        "invalid_request",
        "unregistered redirect_uri",
    );
    let foreign = push(
        &mut sim,
        &pairs,
        &ClientAuth::basic(SECOND_ID, SECOND_SECRET),
    );
    assert_json_error(
        &foreign,
        400,
        "invalid_request",
        "client_id of another client",
    );
}

#[test]
fn item_32_without_par_required_nothing_is_pushed_or_advertised() {
    let mut sim = lab(bcp());
    let meta = auth_server(&sim).metadata(&bcp());
    assert_eq!(meta.pushed_authorization_request_endpoint, None);
    assert!(!meta.require_pushed_authorization_requests);
    let mark = alice_signs_in(&mut sim);
    assert!(requests_to(&sim, mark, wk::AS, "POST /par ").is_empty());
    // The endpoint still answers an authenticated client (RFC 9126 §2).
    let r = push(&mut sim, &printer_authorize_pairs("st-4"), &printer_basic());
    assert_eq!(r.status().as_u16(), 201);
}

#[test]
fn item_34_the_client_signs_assertions_the_as_verifies_at_par_and_token_endpoints() {
    let d = bcp_with(&[DefenseId::ParRequired, DefenseId::PrivateKeyJwt]);
    let mut sim = lab(d.clone());
    assert_eq!(
        auth_server(&sim)
            .metadata(&d)
            .token_endpoint_auth_methods_supported,
        ["private_key_jwt", "none"]
    );
    let mark = alice_signs_in(&mut sim);
    let pushed = requests_to(&sim, mark, wk::AS, "POST /par ")[0];
    let token = token_calls(&sim, mark)[0];
    let mut jtis = Vec::new();
    for step in [pushed, token] {
        assert_eq!(header(step, "authorization"), None, "no secret is sent");
        assert_eq!(
            form(step, "client_assertion_type"),
            Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        );
        let a = jwt(step, "client_assertion");
        assert_eq!(a.header["alg"], "EdDSA");
        assert_eq!(a.header["typ"], "client-authentication+jwt");
        assert_eq!(a.header["kid"], photo_printer_key().kid());
        assert_eq!(claim(a, "iss"), wk::CLIENT_ID);
        assert_eq!(claim(a, "sub"), wk::CLIENT_ID);
        assert_eq!(claim(a, "aud"), wk::AS_ISSUER, "the issuer, one string");
        let (iat, exp) = (
            a.claims["iat"].as_u64().unwrap(),
            a.claims["exp"].as_u64().unwrap(),
        );
        assert_eq!(exp - iat, 60);
        jtis.push(claim(a, "jti").to_string());
        let signed = form(step, "client_assertion").unwrap();
        verify_eddsa::<serde_json::Value>(signed, photo_printer_key().jwk())
            .expect("verifies with its own key");
        assert!(status(response_step(&sim, step)) < 300);
    }
    assert_ne!(jtis[0], jtis[1], "a fresh jti per assertion");
    let session = alice_client_session(&sim).expect("a session");
    assert!(
        client(&sim)
            .session(&session)
            .is_some_and(|s| s.tokens.is_some())
    );
}

/// Sends a token request authenticated with `auth`; `true` if the client authenticated
/// (the unknown code is then `invalid_grant`), `false` if it got `invalid_client`.
fn authenticates(sim: &mut Simulation, auth: &ClientAuth) -> bool {
    let r = send_back(
        sim,
        token_request_with(
            auth,
            &[("grant_type", "authorization_code"), ("code", "unknown")],
        ),
    );
    match error_code(&r).as_str() {
        "invalid_grant" => true,
        "invalid_client" => {
            assert_eq!(r.status().as_u16(), 401);
            false
        }
        other => panic!("unexpected {other}: {}", body_text(&r)),
    }
}

fn signed_by(key: &Ed25519Key, claims: &serde_json::Value, typ: Option<&str>) -> ClientAuth {
    let header = jsonwebtoken::Header {
        typ: typ.map(str::to_string),
        ..Default::default()
    };
    ClientAuth::PrivateKeyJwt {
        id: wk::CLIENT_ID.to_string(),
        assertion: oauth_lab::protocol::secret::ClientAssertion::new(key.sign(header, claims)),
    }
}

#[test]
fn item_34_the_as_checks_signature_issuer_expiry_replay_and_audience() {
    let token_endpoint = format!("{}/token", wk::AS_ISSUER);
    let mut sim = lab(bcp());
    assert!(authenticates(
        &mut sim,
        &printer_assertion(wk::AS_ISSUER, "j-1", true)
    ));
    assert!(
        !authenticates(&mut sim, &printer_assertion(wk::AS_ISSUER, "j-1", true)),
        "jti replay"
    );
    let now = oauth_lab::actors::clock::SimTime::ZERO.unix_secs();
    let claims = |iss: &str, aud: serde_json::Value, jti: &str| serde_json::json!({"iss": iss, "sub": wk::CLIENT_ID, "aud": aud, "jti": jti, "iat": now, "exp": now + 60});
    let typed = Some("client-authentication+jwt");
    let other_key = Ed25519Key::demo("someone else");
    assert!(
        !authenticates(
            &mut sim,
            &signed_by(
                &other_key,
                &claims(wk::CLIENT_ID, wk::AS_ISSUER.into(), "j-2"),
                typed
            )
        ),
        "wrong key"
    );
    assert!(
        !authenticates(
            &mut sim,
            &signed_by(
                &photo_printer_key(),
                &claims("mallory", wk::AS_ISSUER.into(), "j-3"),
                typed
            )
        ),
        "iss is not sub"
    );
    // strict-assertion-audience: the issuer as one string, explicitly typed.
    assert!(
        !authenticates(&mut sim, &printer_assertion(&token_endpoint, "j-4", true)),
        "an endpoint URL"
    );
    assert!(
        !authenticates(&mut sim, &printer_assertion(wk::AS_ISSUER, "j-5", false)),
        "untyped"
    );
    let array = serde_json::json!([wk::AS_ISSUER, "https://other.example"]);
    assert!(
        !authenticates(
            &mut sim,
            &signed_by(
                &photo_printer_key(),
                &claims(wk::CLIENT_ID, array.clone(), "j-6"),
                typed
            )
        ),
        "an array"
    );
    // Without it: any of the AS's endpoint URLs, or an array naming one (RFC 7523 §3).
    let mut lax = lab(bcp_without(&[DefenseId::StrictAssertionAudience]));
    assert!(authenticates(
        &mut lax,
        &printer_assertion(&token_endpoint, "j-7", false)
    ));
    assert!(authenticates(
        &mut lax,
        &signed_by(
            &photo_printer_key(),
            &claims(wk::CLIENT_ID, array, "j-8"),
            None
        )
    ));
    assert!(
        !authenticates(
            &mut lax,
            &printer_assertion("https://as.attacker.example", "j-9", false)
        ),
        "another AS"
    );
    // Expiry against simulated time (RFC 7523 §3 item 4).
    advance(&mut sim, 120);
    assert!(
        !authenticates(&mut sim, &printer_assertion(wk::AS_ISSUER, "j-10", true)),
        "expired"
    );
    // With private-key-jwt on, Photo Printer's secret no longer authenticates it.
    let mut strict = lab(bcp_with(&[DefenseId::PrivateKeyJwt]));
    assert!(!authenticates(
        &mut strict,
        &ClientAuth::basic(wk::CLIENT_ID, wk::CLIENT_SECRET)
    ));
    assert!(authenticates(
        &mut lab(bcp()),
        &ClientAuth::basic(wk::CLIENT_ID, wk::CLIENT_SECRET)
    ));
}

#[test]
fn item_35_login_and_consent_pages_refuse_to_be_framed() {
    for (d, protected) in [
        (bcp(), true),
        (bcp_without(&[DefenseId::FrameProtection]), false),
    ] {
        let mut sim = lab(d);
        let mark = alice_signs_in(&mut sim);
        let pages: Vec<&Step> = steps_from(&sim, mark)
            .iter()
            .filter(|s| {
                s.kind == StepKind::Response
                    && s.from.as_str() == wk::AS
                    && header(s, "content-type").is_some_and(|c| c.starts_with("text/html"))
            })
            .collect();
        let titles: Vec<&str> = pages
            .iter()
            .filter_map(|s| s.decoded.title.as_deref())
            .collect();
        assert!(
            titles.contains(&"Sign in") && titles.contains(&"Authorize access"),
            "{titles:?}"
        );
        for p in pages {
            let want = protected.then_some("frame-ancestors 'none'");
            assert_eq!(header(p, "content-security-policy"), want, "{}", p.summary);
            assert_eq!(
                header(p, "x-frame-options"),
                protected.then_some("DENY"),
                "{}",
                p.summary
            );
        }
        for t in token_calls(&sim, mark) {
            assert_eq!(
                header(response_step(&sim, t), "x-frame-options"),
                None,
                "JSON answers are not pages"
            );
        }
    }
}
