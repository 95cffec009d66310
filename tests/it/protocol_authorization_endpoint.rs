//! docs/PROTOCOL.md items 1–6: the authorization endpoint under `Defenses::bcp()`, driven
//! through the bus by Alice's browser (front channel, login and consent) and by probes
//! sending crafted authorization requests.

use http::StatusCode;
use oauth_lab::actors::DefenseId;
use oauth_lab::testing::*;

use oauth_lab::actors::auth_server::{
    AuthServer, AuthServerConfig, ClientRegistration, GrantType, RegistrationError,
};
use oauth_lab::actors::probe::Probe;
use oauth_lab::actors::well_known as wk;
use oauth_lab::actors::{ActorKind, UserAction};
use oauth_lab::protocol::http_wire::Response;
use oauth_lab::protocol::pkce::ChallengeMethod;
use oauth_lab::sim::{Simulation, StepKind};

type Pairs<'a> = Vec<(&'a str, &'a str)>;

/// Sends a crafted authorization request from a probe acting as a browser.
fn authorize(sim: &mut Simulation, pairs: &[(&str, &str)]) -> Response {
    send(sim, ActorKind::Browser, get(&authorize_url(pairs))).0
}

/// The docs/PROTOCOL.md item 3 answer: a 400 HTML error page, no `Location`.
fn assert_error_page(resp: &Response, case: &str) {
    assert_eq!(
        resp.status(),
        StatusCode::BAD_REQUEST,
        "{case}: expected a 400 error page, got {} {:?}",
        resp.status(),
        location_of(resp)
    );
    assert!(
        location_of(resp).is_none(),
        "{case}: an invalid client or redirect URI must never redirect, got Location {:?}",
        location_of(resp)
    );
    assert!(
        header(resp, "content-type").is_some_and(|c| c.starts_with("text/html")),
        "{case}: the error is shown as a page"
    );
}

/// An authorization error redirected to Photo Printer's callback: `error`, the state,
/// `iss`, never a `code` (docs/PROTOCOL.md item 5).
fn assert_error_redirect(resp: &Response, error: &str, state: &str, case: &str) {
    assert!(
        matches!(resp.status().as_u16(), 302 | 303),
        "{case}: expected a redirect, got {} {}",
        resp.status(),
        body_text(resp)
    );
    let loc = location_of(resp).unwrap_or_default();
    assert!(
        loc.starts_with(&format!("{}?", wk::CLIENT_REDIRECT_URI)),
        "{case}: the error goes to the registered redirect URI, got {loc}"
    );
    let q = query_of(&loc);
    assert_eq!(q.first("error"), Some(error), "{case}: {loc}");
    assert_eq!(q.first("state"), Some(state), "{case}: {loc}");
    assert_eq!(q.first("iss"), Some(wk::AS_ISSUER), "{case}: {loc}");
    assert!(
        !q.contains("code"),
        "{case}: an error never carries a code: {loc}"
    );
    let desc = q.first("error_description").unwrap_or("");
    assert!(
        is_rfc6749_description(desc),
        "{case}: error_description must be ASCII %x20-21/%x23-5B/%x5D-7E: {desc:?}"
    );
}

#[test]
fn item_01_valid_request_redirects_with_code_state_and_iss() {
    let mut sim = lab(bcp());
    let before = alice_signs_in(&mut sim);

    // The authorization request the client sent through Alice's browser.
    let authz = requests_to(&sim, before, wk::AS, "GET /authorize?");
    let authz = authz.first().expect("the browser opened /authorize");
    assert_eq!(authz.from.as_str(), wk::BROWSER);
    let sent_state = authz
        .decoded
        .param("state")
        .expect("the client sends state");
    assert_eq!(
        authz.decoded.param("code_challenge_method").as_deref(),
        Some("S256")
    );
    let challenge = authz.decoded.param("code_challenge").expect("a challenge");

    // After login and consent: a 302/303 to the exact redirect URI.
    let resp = steps_from(&sim, authz.index)
        .iter()
        .find(|s| {
            s.from.as_str() == wk::AS
                && s.kind == StepKind::Response
                && location(s)
                    .is_some_and(|l| l.starts_with(&format!("{}?", wk::CLIENT_REDIRECT_URI)))
        })
        .unwrap_or_else(|| panic!("no authorization response:\n{}", transcript(&sim, before)));
    assert!(
        matches!(resp.decoded.status, Some(302 | 303)),
        "status {:?}",
        resp.decoded.status
    );
    assert_eq!(resp.to.as_str(), wk::BROWSER);
    let loc = location(resp).unwrap();
    assert!(
        resp.wire.contains(&format!("\r\nlocation: {loc}\r\n"))
            || resp.wire.contains(&format!("\r\nLocation: {loc}\r\n")),
        "the wire text carries the Location"
    );
    let q = query_of(&loc);
    let code = q.first("code").expect("a code").to_string();
    assert_eq!(
        q.first("state"),
        Some(sent_state.as_str()),
        "state returned unchanged"
    );
    assert_eq!(q.first("iss"), Some(wk::AS_ISSUER), "iss (RFC 9207)");
    assert!(!q.contains("error"));

    // The AS's state: the code is bound to the client, redirect URI and challenge.
    let issued = auth_server(&sim)
        .code(&code)
        .expect("the AS issued this code");
    assert_eq!(issued.request.client_id, wk::CLIENT_ID);
    assert_eq!(issued.request.redirect.uri, wk::CLIENT_REDIRECT_URI);
    assert_eq!(issued.user, wk::ALICE);
    let pkce = issued
        .request
        .pkce
        .as_ref()
        .expect("bound to the challenge");
    assert_eq!(pkce.method, ChallengeMethod::S256);
    assert_eq!(pkce.challenge, challenge);
    // And the honest client completed the sign-in with it.
    assert!(auth_server(&sim).code_redeemed(&code));

    // The state comes back byte-identical even with characters that need encoding
    // (a crafted request; Alice's AS session and consent make the AS answer at once).
    let odd_state = "a b/c+d%25&e=f~ü\u{1F511}";
    let mut pairs = printer_authorize_pairs("x");
    pairs.retain(|(k, _)| *k != "state");
    pairs.push(("state", odd_state));
    let loc = authorize_in_browser(&mut sim, &pairs);
    let q = query_of(&loc);
    assert!(q.contains("code"), "{loc}");
    assert_eq!(q.first("state"), Some(odd_state), "{loc}");
    assert_eq!(q.first("iss"), Some(wk::AS_ISSUER));
}

#[test]
fn item_02_no_state_in_request_means_none_in_response_and_unknown_or_empty_params_are_ignored() {
    let mut sim = lab(bcp());
    let base: Vec<(&str, &str)> = printer_authorize_pairs("unused")
        .into_iter()
        .filter(|(k, _)| *k != "state")
        .collect();

    // (a) No state.
    let loc = authorize_in_browser(&mut sim, &base);
    let q = query_of(&loc);
    assert!(
        q.contains("code"),
        "a valid request without state still gets a code: {loc}"
    );
    assert!(!q.contains("state"), "no state in, no state out: {loc}");
    assert_eq!(q.first("iss"), Some(wk::AS_ISSUER));

    // (b) Unknown parameters are ignored.
    let mut pairs = base.clone();
    pairs.extend([
        ("state", "s-2b"),
        ("foo", "bar"),
        ("x-custom", "1"),
        ("display", "popup"),
    ]);
    let loc = authorize_in_browser(&mut sim, &pairs);
    let q = query_of(&loc);
    assert!(q.contains("code"), "unknown parameters are ignored: {loc}");
    assert_eq!(q.first("state"), Some("s-2b"));
    assert!(!q.contains("foo") && !q.contains("x-custom"), "{loc}");

    // (c) An empty value counts as absent: `state=` gives no state back …
    let mut pairs = base.clone();
    pairs.push(("state", ""));
    let loc = authorize_in_browser(&mut sim, &pairs);
    let q = query_of(&loc);
    assert!(q.contains("code"), "{loc}");
    assert!(!q.contains("state"), "an empty state is no state: {loc}");

    // … and `redirect_uri=` with one registered URI is the registered one.
    let mut pairs: Vec<(&str, &str)> = base
        .iter()
        .copied()
        .filter(|(k, _)| *k != "redirect_uri")
        .collect();
    pairs.extend([("redirect_uri", ""), ("state", "s-2c")]);
    let loc = authorize_in_browser(&mut sim, &pairs);
    assert!(
        loc.starts_with(&format!("{}?", wk::CLIENT_REDIRECT_URI)),
        "{loc}"
    );
    let q = query_of(&loc);
    assert!(q.contains("code"), "{loc}");
    assert_eq!(q.first("state"), Some("s-2c"));
}

#[test]
fn item_03_invalid_client_or_redirect_uri_gets_an_error_page_never_a_redirect() {
    let mut sim = lab(bcp());
    let with = |client: &'static str, redirect: Option<&'static str>| {
        let mut p = vec![
            ("response_type", "code"),
            ("client_id", client),
            ("scope", wk::CLIENT_SCOPE),
            ("state", "s-3"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ];
        if let Some(r) = redirect {
            p.push(("redirect_uri", r));
        }
        p
    };
    let mut cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "unknown client_id",
            with("no-such-client", Some(wk::CLIENT_REDIRECT_URI)),
        ),
        (
            "missing client_id",
            with("x", Some(wk::CLIENT_REDIRECT_URI))
                .into_iter()
                .filter(|(k, _)| *k != "client_id")
                .collect(),
        ),
        (
            "added query",
            with(wk::CLIENT_ID, Some("https://client.example/cb?x=1")),
        ),
        (
            "empty added query",
            with(wk::CLIENT_ID, Some("https://client.example/cb?")),
        ),
        (
            "different port",
            with(wk::CLIENT_ID, Some("https://client.example:8443/cb")),
        ),
        (
            "explicit default port",
            with(wk::CLIENT_ID, Some("https://client.example:443/cb")),
        ),
        (
            "host case",
            with(wk::CLIENT_ID, Some("https://CLIENT.example/cb")),
        ),
        (
            "path case",
            with(wk::CLIENT_ID, Some("https://client.example/CB")),
        ),
        (
            "scheme",
            with(wk::CLIENT_ID, Some("http://client.example/cb")),
        ),
        (
            "path prefix",
            with(wk::CLIENT_ID, Some("https://client.example/cb/evil")),
        ),
        (
            "longer last segment",
            with(wk::CLIENT_ID, Some("https://client.example/cbx")),
        ),
        (
            "trailing slash",
            with(wk::CLIENT_ID, Some("https://client.example/cb/")),
        ),
        (
            "dot-dot after",
            with(wk::CLIENT_ID, Some("https://client.example/cb/../evil")),
        ),
        (
            "dot-dot before",
            with(wk::CLIENT_ID, Some("https://client.example/x/../cb")),
        ),
        (
            "other host",
            with(wk::CLIENT_ID, Some("https://attacker.example/cb")),
        ),
        (
            "fragment",
            with(wk::CLIENT_ID, Some("https://client.example/cb#x")),
        ),
        (
            "changed query",
            with(MULTI_ID, Some("https://multi.example/cb?tenant=b")),
        ),
        (
            "dropped query",
            with(MULTI_ID, Some("https://multi.example/cb")),
        ),
        (
            "query added to a query",
            with(MULTI_ID, Some("https://multi.example/cb?tenant=a&x=1")),
        ),
        (
            "missing redirect_uri, several registered",
            with(MULTI_ID, None),
        ),
        (
            "another client's redirect URI",
            with(wk::CLIENT_ID, Some(SECOND_REDIRECT)),
        ),
    ];
    // Several errors at once: the invalid target still wins.
    cases.push((
        "unknown client + bad response_type + no PKCE + bad scope",
        vec![
            ("response_type", "token"),
            ("client_id", "no-such-client"),
            ("redirect_uri", "https://attacker.example/cb"),
            ("scope", "admin"),
            ("state", "s-3"),
        ],
    ));
    cases.push((
        "bad redirect + missing response_type + plain PKCE + bad scope",
        vec![
            ("client_id", wk::CLIENT_ID),
            ("redirect_uri", "https://client.example/cb?x=1"),
            ("scope", "admin"),
            ("code_challenge", VERIFIER),
            ("code_challenge_method", "plain"),
            ("state", "s-3"),
        ],
    ));
    cases.push((
        "several registered, none given, + unknown response_type",
        vec![
            ("response_type", "code token"),
            ("client_id", MULTI_ID),
            ("scope", wk::CLIENT_SCOPE),
            ("state", "s-3"),
        ],
    ));

    for (case, pairs) in &cases {
        let (resp, index) = send(&mut sim, ActorKind::Browser, get(&authorize_url(pairs)));
        assert_error_page(&resp, case);
        // The wire text of the AS's answer in the trace says the same.
        let step = response_step(&sim, &sim.trace().steps[index]);
        assert_eq!(step.decoded.status, Some(400), "{case}");
        assert!(location(step).is_none(), "{case}");
        assert!(step.wire.starts_with("HTTP/1.1 400 "), "{case}");
    }
    assert_eq!(
        auth_server(&sim).pending_transactions().count(),
        0,
        "no invalid request became a transaction"
    );
    assert!(auth_server(&sim).codes().is_empty());

    // The good requests of those clients are accepted (the setup is right).
    for (case, pairs) in [
        (
            "printer",
            with(wk::CLIENT_ID, Some(wk::CLIENT_REDIRECT_URI)),
        ),
        ("multi with query", with(MULTI_ID, Some(MULTI_REDIRECT_Q))),
        ("multi other", with(MULTI_ID, Some(MULTI_REDIRECT_2))),
    ] {
        let resp = authorize(&mut sim, &pairs);
        assert_eq!(resp.status(), StatusCode::OK, "{case}: the login form");
    }

    // The one relaxation: any port on a loopback redirect URI of a native app
    // (RFC 8252 §7.3) — but nothing else about it may change.
    let native = |redirect: &'static str| {
        vec![
            ("response_type", "code"),
            ("client_id", wk::NATIVE_CLIENT_ID),
            ("redirect_uri", redirect),
            ("scope", "openid photos.read"),
            ("state", "s-3n"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ]
    };
    let resp = authorize(&mut sim, &native("http://127.0.0.1:51004/cb"));
    assert_eq!(
        resp.status(),
        StatusCode::OK,
        "a loopback port is allowed to differ: {}",
        body_text(&resp)
    );
    for bad in [
        "http://127.0.0.1:51004/cb/x",
        "http://127.0.0.1:51004/CB",
        "http://127.0.0.1:51004/cb?x=1",
        "https://127.0.0.1:51004/cb",
        "http://127.0.0.2:51004/cb",
    ] {
        let resp = authorize(&mut sim, &native(bad));
        assert_error_page(&resp, bad);
    }
}

#[test]
fn item_04_registration_refuses_fragments_and_http_except_on_loopback() {
    let mut server = AuthServer::standard();
    let reg = |id: &str, uri: &str| {
        ClientRegistration::confidential(id, "Test", "test-secret")
            .with_redirect_uri(uri)
            .with_scopes(wk::CLIENT_SCOPE)
            .with_grants(&[GrantType::AuthorizationCode])
    };
    // Why each URI is refused: a fragment, or http on a host that is not loopback.
    let with_fragment = [
        "https://frag.example/cb#x",
        "https://frag.example/cb#",
        "http://127.0.0.1/cb#x",
    ];
    let plain_http = [
        "http://plain.example/cb",
        "http://127.0.0.1.attacker.example/cb",
        "http://localhost.attacker.example/cb",
        "http://10.0.0.1/cb",
    ];
    let fragments = with_fragment.map(|u| (u, "fragment"));
    let refusals = fragments.into_iter().chain(plain_http.map(|u| (u, "http")));
    for (i, (uri, why)) in refusals.enumerate() {
        let id = format!("refused-{i}");
        let refused = match server.register_client(reg(&id, uri)) {
            Err(RegistrationError::FragmentInRedirectUri(_)) => "fragment",
            Err(RegistrationError::InsecureRedirectUri(_)) => "http",
            _ => "not refused",
        };
        assert_eq!(refused, why, "{uri}");
    }
    for (id, uri) in [
        ("loop-1", "http://127.0.0.1/cb"),
        ("loop-2", "http://127.0.0.1:8080/cb"),
        ("loop-3", "http://[::1]/cb"),
        ("loop-4", "http://localhost/cb"),
        ("https-q", "https://ok.example/cb?tenant=a"),
        ("custom", "com.example.other:/cb"),
    ] {
        assert_eq!(server.register_client(reg(id, uri)), Ok(()), "{uri}");
    }
    // A whole configuration with a bad registration is refused.
    let mut config = AuthServerConfig::standard();
    config
        .clients
        .push(reg("frag-9", "https://frag.example/cb#x"));
    assert!(matches!(
        AuthServer::new(config),
        Err(RegistrationError::FragmentInRedirectUri(_))
    ));

    // Through the bus: a refused client does not exist, an accepted loopback one does.
    let mut sim = Simulation::new(SEED, bcp());
    sim.add_actor(Box::new(server));
    sim.add_actor(Box::new(Probe::new("idle", ActorKind::Client)));
    sim.run_until_idle();
    let pairs = |id: &'static str, uri: &'static str| {
        vec![
            ("response_type", "code"),
            ("client_id", id),
            ("redirect_uri", uri),
            ("scope", "openid"),
            ("state", "s-4"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ]
    };
    let resp = authorize(&mut sim, &pairs("frag-1", "https://frag.example/cb#x"));
    assert_error_page(&resp, "refused fragment client");
    let resp = authorize(&mut sim, &pairs("http-1", "http://plain.example/cb"));
    assert_error_page(&resp, "refused http client");
    let resp = authorize(&mut sim, &pairs("loop-1", "http://127.0.0.1:43210/cb"));
    assert_eq!(resp.status(), StatusCode::OK, "{}", body_text(&resp));
}

#[test]
fn item_05_other_errors_redirect_with_error_state_and_iss_never_a_code() {
    let mut sim = lab(bcp());
    let good = printer_authorize_pairs("s-5");
    let without = |name: &str| -> Vec<(&str, &str)> {
        good.iter().copied().filter(|(k, _)| *k != name).collect()
    };
    let replaced = |name: &'static str, value: &'static str| -> Vec<(&str, &str)> {
        let mut p = without(name);
        p.push((name, value));
        p
    };
    let cases: Vec<(&str, &str, Pairs)> = vec![
        (
            "missing response_type",
            "invalid_request",
            without("response_type"),
        ),
        (
            "empty response_type",
            "invalid_request",
            replaced("response_type", ""),
        ),
        (
            "response_type=token",
            "unsupported_response_type",
            replaced("response_type", "token"),
        ),
        (
            "response_type=code id_token",
            "unsupported_response_type",
            replaced("response_type", "code id_token"),
        ),
        (
            "response_type=nonsense",
            "unsupported_response_type",
            replaced("response_type", "nonsense"),
        ),
        (
            "unregistered scope photos.write",
            "invalid_scope",
            replaced("scope", "openid photos.read photos.write"),
        ),
        ("unknown scope", "invalid_scope", replaced("scope", "admin")),
    ];
    for (case, error, pairs) in &cases {
        let (resp, index) = send(&mut sim, ActorKind::Browser, get(&authorize_url(pairs)));
        assert_error_redirect(&resp, error, "s-5", case);
        let step = response_step(&sim, &sim.trace().steps[index]);
        assert_eq!(
            step.decoded
                .location_query
                .iter()
                .find(|(k, _)| k == "error")
                .map(|(_, v)| v.as_str()),
            Some(*error),
            "{case}: the decoded view agrees"
        );
    }
    assert!(
        auth_server(&sim).codes().is_empty(),
        "no error issued a code"
    );

    // The user denies: the client's own request, through the browser.
    let mut sim = lab(bcp());
    act(
        &mut sim,
        wk::BROWSER,
        UserAction::Custom {
            name: "consent".into(),
            value: "deny".into(),
        },
    );
    let before = alice_signs_in(&mut sim);
    let authz = requests_to(&sim, before, wk::AS, "GET /authorize?");
    let state = authz[0].decoded.param("state").expect("state");
    let resp = steps_from(&sim, before)
        .iter()
        .find(|s| {
            s.from.as_str() == wk::AS
                && location(s)
                    .is_some_and(|l| l.starts_with(&format!("{}?", wk::CLIENT_REDIRECT_URI)))
        })
        .unwrap_or_else(|| panic!("no authorization response:\n{}", transcript(&sim, before)));
    let loc = location(resp).unwrap();
    let q = query_of(&loc);
    assert_eq!(q.first("error"), Some("access_denied"), "{loc}");
    assert_eq!(q.first("state"), Some(state.as_str()));
    assert_eq!(q.first("iss"), Some(wk::AS_ISSUER));
    assert!(!q.contains("code"), "{loc}");
    assert!(is_rfc6749_description(
        q.first("error_description").unwrap_or("")
    ));
    assert!(auth_server(&sim).codes().is_empty());
    assert!(token_calls(&sim, 0).is_empty(), "nothing to redeem");
    let cookie = alice_client_session(&sim).expect("a client session");
    assert!(client(&sim).session(&cookie).unwrap().user.is_none());
}

#[test]
fn item_06_pkce_required_plain_refused_and_unknown_method_is_invalid_request() {
    let mut sim = lab(bcp());
    let good = printer_authorize_pairs("s-6");
    let without = |names: &[&str]| -> Vec<(&str, &str)> {
        good.iter()
            .copied()
            .filter(|(k, _)| !names.contains(k))
            .collect()
    };
    let with_method = |challenge: &'static str, method: &'static str| {
        let mut p = without(&["code_challenge", "code_challenge_method"]);
        p.extend([
            ("code_challenge", challenge),
            ("code_challenge_method", method),
        ]);
        p
    };
    let cases: Vec<(&str, Vec<(&str, &str)>)> = vec![
        (
            "no code_challenge",
            without(&["code_challenge", "code_challenge_method"]),
        ),
        ("method but no challenge", without(&["code_challenge"])),
        ("empty challenge", with_method("", "S256")),
        ("plain", with_method(VERIFIER, "plain")),
        ("no method (means plain)", {
            let mut p = without(&["code_challenge", "code_challenge_method"]);
            p.push(("code_challenge", VERIFIER));
            p
        }),
        ("empty method (means plain)", with_method(VERIFIER, "")),
        ("unknown method S512", with_method(CHALLENGE, "S512")),
        (
            "unknown method s256 (methods are case-sensitive)",
            with_method(CHALLENGE, "s256"),
        ),
    ];
    for (case, pairs) in &cases {
        let resp = authorize(&mut sim, pairs);
        assert_error_redirect(&resp, "invalid_request", "s-6", case);
    }
    assert_eq!(auth_server(&sim).pending_transactions().count(), 0);
    assert!(auth_server(&sim).codes().is_empty());
    // Control: the good request shows the login form.
    assert_eq!(authorize(&mut sim, &good).status(), StatusCode::OK);

    // Contrast: with reject-pkce-plain off, plain is accepted (only that changes).
    let mut sim = lab(bcp_without(&[DefenseId::RejectPkcePlain]));
    let resp = authorize(&mut sim, &with_method(VERIFIER, "plain"));
    assert_eq!(
        resp.status(),
        StatusCode::OK,
        "plain allowed when the defense is off"
    );
    let resp = authorize(&mut sim, &with_method(CHALLENGE, "S512"));
    assert_error_redirect(
        &resp,
        "invalid_request",
        "s-6",
        "unknown method, plain allowed",
    );
}
