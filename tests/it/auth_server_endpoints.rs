//! The authorization server's endpoints, driven with real HTTP messages: through the
//! bus with the `Probe` actor, and (for multi-step flows) by handing the AS one
//! message at a time, sans-IO, after a round trip through wire text.

use http::{Method, StatusCode};
use jsonwebtoken::jwk::JwkSet;

use oauth_lab::actors::auth_server::{AuthServer, AuthServerConfig, ResourceRegistration};
use oauth_lab::actors::rng::RngTree;
use oauth_lab::actors::well_known as wk;
use oauth_lab::actors::{Defenses, SimTime};
use oauth_lab::protocol::errors::ErrorBody;
use oauth_lab::protocol::html::parse_page;
use oauth_lab::protocol::http_wire::{Request, Response, request, response_header, set_header};
use oauth_lab::protocol::jwt::{AccessTokenClaims, IdTokenClaims, verify_pinned};
use oauth_lab::protocol::metadata::ServerMetadata;
use oauth_lab::protocol::params::Params;
use oauth_lab::protocol::pkce;
use oauth_lab::protocol::secret::Secret;
use oauth_lab::protocol::token_response::{IntrospectionResponse, TokenResponse};
use oauth_lab::sim::Simulation;
use oauth_lab::testing::*;

// ---------------------------------------------------------------- helpers

fn token_req(body: &str) -> Request {
    with_header(
        post_form_body("https://as.example/token", body),
        "authorization",
        &basic(wk::CLIENT_ID, wk::CLIENT_SECRET),
    )
}

fn good_authorize_pairs() -> Vec<(&'static str, &'static str)> {
    printer_authorize_pairs_with("st/ate+ü", "n-0S6")
}

/// Sends every request through the bus from a probe; returns the responses in order.
fn through_bus(defenses: Defenses, reqs: Vec<Request>) -> Vec<Response> {
    through_bus_with(AuthServerConfig::standard(), defenses, reqs)
}

/// Like [`through_bus`], with an AS built from `config`.
fn through_bus_with(
    config: AuthServerConfig,
    defenses: Defenses,
    reqs: Vec<Request>,
) -> Vec<Response> {
    let n = reqs.len();
    let mut sim = Simulation::new(7, defenses);
    sim.add_actor(Box::new(AuthServer::new(config).unwrap()));
    sim.add_actor(Box::new(burst_probe("probe", reqs)));
    sim.run_until_idle();
    burst_responses(&sim, "probe", n)
}

fn error_json(resp: &Response) -> ErrorBody {
    serde_json::from_slice(resp.body()).unwrap_or_else(|e| {
        panic!(
            "not an error body ({e}): {}",
            String::from_utf8_lossy(resp.body())
        )
    })
}

/// The AS alone, one message at a time (each message goes through wire text first),
/// with Alice's session cookie once she has one.
struct Harness {
    one: OneActor<AuthServer>,
    cookie: Option<String>,
}

impl std::ops::Deref for Harness {
    type Target = OneActor<AuthServer>;
    fn deref(&self) -> &Self::Target {
        &self.one
    }
}

impl std::ops::DerefMut for Harness {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.one
    }
}

impl Harness {
    fn new(defenses: Defenses) -> Self {
        Self::with_config(defenses, AuthServerConfig::standard())
    }

    fn with_config(defenses: Defenses, config: AuthServerConfig) -> Self {
        let server = AuthServer::new(config).unwrap();
        Harness {
            one: OneActor::with_rng(server, defenses, RngTree::new(3).child("as")),
            cookie: None,
        }
    }

    fn send(&mut self, mut req: Request) -> Response {
        if let Some(c) = &self.cookie {
            set_header(req.headers_mut(), "cookie", &format!("as_session={c}"));
        }
        self.one.answer_via_wire(req)
    }

    /// The `txn` of the login form that the authorization request `pairs` shows.
    fn login_txn(&mut self, pairs: &[(&str, &str)]) -> String {
        let page = self.send(get(&authorize_url(pairs)));
        assert_eq!(
            page.status(),
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(page.body())
        );
        let login = form_on_page(&page, "login");
        let txn = login.inputs.iter().find(|i| i.0 == "txn").expect("txn");
        txn.2.clone()
    }

    /// Posts the login form of `txn` (its body is [`login_body`]).
    fn post_login(&mut self, txn: &str, user: &str, password: &str) -> Response {
        let body = login_body(txn, user, password);
        self.send(post_form_body("https://as.example/login", &body))
    }

    /// Keeps the `as_session` cookie that `resp` sets; returns its `Set-Cookie` header.
    fn keep_session(&mut self, resp: &Response) -> String {
        let set_cookie = response_header(resp, "set-cookie")
            .expect("session cookie")
            .to_string();
        self.cookie = set_cookie
            .strip_prefix("as_session=")
            .and_then(|s| s.split(';').next())
            .map(str::to_string);
        set_cookie
    }

    /// Posts the consent decision (`approve`, `deny`) for `txn`.
    fn decide(&mut self, txn: &str, decision: &str) -> Response {
        let body = Params::from_pairs([("txn", txn), ("decision", decision)]).encode();
        self.send(post_form_body("https://as.example/consent", &body))
    }

    /// Authorize → login → consent; returns the final response (the redirect to the client).
    fn login_and_approve(
        &mut self,
        pairs: &[(&str, &str)],
        user: &str,
        password: &str,
    ) -> Response {
        let txn = self.login_txn(pairs);
        let resp = self.post_login(&txn, user, password);
        let set_cookie = self.keep_session(&resp);
        assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("Secure"));
        let to_consent = location_of(&resp).unwrap();
        assert!(
            to_consent.starts_with("https://as.example/consent?txn="),
            "{to_consent}"
        );
        let consent = self.send(get(&to_consent));
        assert_eq!(consent.status(), StatusCode::OK);
        assert_eq!(form_on_page(&consent, "consent").action, "/consent");
        self.decide(&txn, "approve")
    }

    fn code_flow(&mut self) -> String {
        let resp = self.login_and_approve(&good_authorize_pairs(), wk::ALICE, wk::ALICE_PASSWORD);
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        let loc = location_of(&resp).unwrap();
        let q = query_of(&loc);
        q.first("code").unwrap().to_string()
    }

    fn redeem(&mut self, code: &str) -> Response {
        self.send(code_req(code, &[]))
    }

    fn introspect(&mut self, token: &str) -> IntrospectionResponse {
        let req = with_header(
            post_form_body(
                "https://as.example/introspect",
                &Params::from_pairs([("token", token)]).encode(),
            ),
            "authorization",
            &basic(wk::RS_CLIENT_ID, wk::RS_CLIENT_SECRET),
        );
        let resp = self.send(req);
        assert_eq!(resp.status(), StatusCode::OK);
        serde_json::from_slice(resp.body()).unwrap()
    }
}

// ---------------------------------------------------------------- discovery

#[test]
fn discovery_documents_and_jwks() {
    let r = through_bus(
        Defenses::bcp(),
        vec![
            get("https://as.example/.well-known/oauth-authorization-server"),
            get("https://as.example/.well-known/openid-configuration"),
            get("https://as.example/jwks"),
        ],
    );
    for resp in &r[..2] {
        assert_eq!(resp.status(), StatusCode::OK);
        let m: ServerMetadata = serde_json::from_slice(resp.body()).unwrap();
        assert_eq!(m.issuer, "https://as.example");
        assert_eq!(m.authorization_endpoint, "https://as.example/authorize");
        assert_eq!(m.token_endpoint, "https://as.example/token");
        assert_eq!(m.jwks_uri, "https://as.example/jwks");
        assert_eq!(
            m.revocation_endpoint.as_deref(),
            Some("https://as.example/revoke")
        );
        assert_eq!(
            m.introspection_endpoint.as_deref(),
            Some("https://as.example/introspect")
        );
        assert_eq!(m.code_challenge_methods_supported, vec!["S256"]);
        assert!(m.authorization_response_iss_parameter_supported);
    }
    let jwks: JwkSet = serde_json::from_slice(r[2].body()).unwrap();
    assert_eq!(jwks.keys.len(), 1);
    assert_eq!(jwks.keys[0].common.key_id.as_deref(), Some("as-demo-2026"));

    let naive = through_bus(
        Defenses::naive(),
        vec![get(
            "https://as.example/.well-known/oauth-authorization-server",
        )],
    );
    let m: ServerMetadata = serde_json::from_slice(naive[0].body()).unwrap();
    assert_eq!(m.code_challenge_methods_supported, vec!["S256", "plain"]);
    assert!(!m.authorization_response_iss_parameter_supported);
}

#[test]
fn unknown_paths_are_404_and_wrong_methods_405() {
    let r = through_bus(
        Defenses::bcp(),
        vec![
            get("https://as.example/nope"),
            get("https://as.example/token"),
            post_form_body("https://as.example/authorize", ""),
        ],
    );
    assert_eq!(r[0].status(), StatusCode::NOT_FOUND);
    assert_eq!(r[1].status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response_header(&r[1], "allow"), Some("POST"));
    assert_eq!(r[2].status(), StatusCode::METHOD_NOT_ALLOWED);
}

// ---------------------------------------------------------------- /authorize

#[test]
fn invalid_client_or_redirect_uri_gets_an_error_page_never_a_redirect() {
    let mut bad_redirects = vec![
        "https://attacker.example/cb",
        "https://client.example/cb?x=1",
        "https://client.example/cb/../evil",
        "https://CLIENT.example/cb",
        "https://client.example:8443/cb",
        "https://client.example/cb/more",
        "https://client.example/cb#frag",
    ]
    .into_iter()
    .map(|r| {
        // Other errors too (no response_type): the redirect URI still wins.
        authorize_url(&[
            ("client_id", wk::CLIENT_ID),
            ("redirect_uri", r),
            ("state", "s"),
        ])
    })
    .collect::<Vec<_>>();
    bad_redirects.push(authorize_url(&[
        ("client_id", "nobody"),
        ("redirect_uri", wk::CLIENT_REDIRECT_URI),
        ("response_type", "code"),
    ]));
    bad_redirects.push(authorize_url(&[("response_type", "code")]));
    // Several registered URIs and none named.
    bad_redirects.push(authorize_url(&[
        ("client_id", wk::NATIVE_CLIENT_ID),
        ("response_type", "code"),
    ]));
    // client_id repeated.
    bad_redirects.push(format!(
        "{}&client_id=other",
        authorize_url(&good_authorize_pairs())
    ));
    let reqs: Vec<Request> = bad_redirects.iter().map(|u| get(u)).collect();
    let n = reqs.len();
    let r = through_bus(Defenses::bcp(), reqs);
    for (i, resp) in r.iter().enumerate().take(n) {
        assert_eq!(
            resp.status(),
            StatusCode::BAD_REQUEST,
            "{}",
            bad_redirects[i]
        );
        assert!(location_of(resp).is_none(), "{}", bad_redirects[i]);
        assert!(
            response_header(resp, "content-type")
                .unwrap()
                .starts_with("text/html"),
            "{}",
            bad_redirects[i]
        );
    }
}

#[test]
fn open_redirector_when_the_defense_is_off() {
    let mut d = Defenses::bcp();
    d.no_redirect_on_invalid_uri = false;
    let url = authorize_url(&[
        ("client_id", wk::CLIENT_ID),
        ("redirect_uri", "https://attacker.example/land"),
        ("response_type", "code"),
        ("state", "s1"),
    ]);
    let r = through_bus(d, vec![get(&url)]);
    assert_eq!(r[0].status(), StatusCode::FOUND);
    let loc = location_of(&r[0]).unwrap();
    assert!(loc.starts_with("https://attacker.example/land?"), "{loc}");
    let q = query_of(&loc);
    assert_eq!(q.first("error"), Some("invalid_request"));
    assert_eq!(q.first("state"), Some("s1"));
    assert!(q.first("code").is_none());
}

#[test]
fn other_errors_redirect_with_error_state_and_iss() {
    let without = |name: &str| -> Vec<(&'static str, &'static str)> {
        good_authorize_pairs()
            .into_iter()
            .filter(|(k, _)| *k != name)
            .collect()
    };
    let replace = |name: &'static str, value: &'static str| {
        let mut v = without(name);
        v.push((name, value));
        v
    };
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (without("response_type"), "invalid_request"),
        (
            replace("response_type", "token"),
            "unsupported_response_type",
        ),
        (replace("scope", "openid photos.write"), "invalid_scope"),
        (without("code_challenge"), "invalid_request"),
        (replace("code_challenge_method", "plain"), "invalid_request"),
        (without("code_challenge_method"), "invalid_request"),
        (replace("code_challenge_method", "S512"), "invalid_request"),
    ];
    let mut reqs: Vec<Request> = cases.iter().map(|(p, _)| get(&authorize_url(p))).collect();
    // A repeated parameter.
    reqs.push(get(&format!(
        "{}&scope=openid",
        authorize_url(&good_authorize_pairs())
    )));
    // No state sent ⇒ none returned (PROTOCOL 2).
    reqs.push(get(&authorize_url(&replace("state", ""))
        .replace("response_type=code", "response_type=id_token")));
    let r = through_bus(Defenses::bcp(), reqs);
    let expected: Vec<&str> = cases
        .iter()
        .map(|(_, e)| *e)
        .chain(["invalid_request", "unsupported_response_type"])
        .collect();
    for (i, exp) in expected.iter().enumerate() {
        assert_eq!(r[i].status(), StatusCode::FOUND, "case {i}");
        let loc = location_of(&r[i]).unwrap();
        assert!(loc.starts_with("https://client.example/cb?"), "{loc}");
        let q = query_of(&loc);
        assert_eq!(q.first("error"), Some(*exp), "case {i}: {loc}");
        assert!(q.first("error_description").is_some());
        assert!(q.first("code").is_none());
        assert_eq!(q.first("iss"), Some("https://as.example"));
        if i + 1 == expected.len() {
            assert!(!q.contains("state"), "{loc}");
        } else {
            assert_eq!(q.first("state"), Some("st/ate+ü"), "case {i}");
        }
    }
}

#[test]
fn a_valid_request_shows_the_login_form() {
    let r = through_bus(
        Defenses::bcp(),
        vec![get(&authorize_url(&good_authorize_pairs()))],
    );
    assert_eq!(r[0].status(), StatusCode::OK);
    let page = parse_page(&String::from_utf8_lossy(r[0].body()));
    let form = &page.forms[0];
    assert_eq!(form.id.as_deref(), Some("login"));
    assert_eq!(
        (form.method.as_str(), form.action.as_str()),
        ("POST", "/login")
    );
    let names: Vec<&str> = form.inputs.iter().map(|i| i.0.as_str()).collect();
    assert_eq!(names, ["txn", "username", "password"]);
    assert_eq!(form.inputs[2].1, "password");
}

// ---------------------------------------------------------------- /token errors

#[test]
fn token_endpoint_errors() {
    let good_code_body = "grant_type=authorization_code&code=nope&redirect_uri=https%3A%2F%2Fclient.example%2Fcb&code_verifier=".to_string() + VERIFIER;
    let reqs = vec![
        // 0: wrong secret with Basic ⇒ 401 + WWW-Authenticate
        with_header(
            post_form_body("https://as.example/token", &good_code_body),
            "authorization",
            &basic(wk::CLIENT_ID, "wrong"),
        ),
        // 1: broken Basic header
        with_header(
            post_form_body("https://as.example/token", &good_code_body),
            "authorization",
            "Basic %%%not-base64",
        ),
        // 2: no authentication at all for a confidential client
        post_form_body(
            "https://as.example/token",
            &format!("{good_code_body}&client_id={}", wk::CLIENT_ID),
        ),
        // 3: unknown client with client_secret_post
        post_form_body(
            "https://as.example/token",
            &format!("{good_code_body}&client_id=ghost&client_secret=x"),
        ),
        // 4: unsupported grant type
        token_req("grant_type=password&username=alice&password=x"),
        // 5: missing code
        token_req("grant_type=authorization_code&redirect_uri=https%3A%2F%2Fclient.example%2Fcb"),
        // 6: unknown code
        token_req(&good_code_body),
        // 7: missing grant_type
        token_req("code=abc"),
        // 8: repeated parameter
        token_req("grant_type=authorization_code&code=a&code=b"),
        // 9: not a form body
        with_header(
            with_header(
                {
                    let mut r = request(Method::POST, "https://as.example/token");
                    *r.body_mut() = b"{\"grant_type\":\"authorization_code\"}".to_vec();
                    r
                },
                "content-type",
                "application/json",
            ),
            "authorization",
            &basic(wk::CLIENT_ID, wk::CLIENT_SECRET),
        ),
        // 10: the RS's credentials may not use the code grant
        with_header(
            post_form_body("https://as.example/token", &good_code_body),
            "authorization",
            &basic(wk::RS_CLIENT_ID, wk::RS_CLIENT_SECRET),
        ),
        // 11: a huge value
        token_req(&format!(
            "grant_type=authorization_code&code={}",
            "A".repeat(20_000)
        )),
        // 12: client_secret_post with the right secret, unknown code
        post_form_body(
            "https://as.example/token",
            &format!(
                "{good_code_body}&client_id={}&client_secret={}",
                wk::CLIENT_ID,
                wk::CLIENT_SECRET
            ),
        ),
        // 13: refresh without refresh_token
        token_req("grant_type=refresh_token"),
        // 14: unknown refresh token
        token_req("grant_type=refresh_token&refresh_token=nope"),
    ];
    let expected = [
        (401, "invalid_client"),
        (401, "invalid_client"),
        (401, "invalid_client"),
        (401, "invalid_client"),
        (400, "unsupported_grant_type"),
        (400, "invalid_request"),
        (400, "invalid_grant"),
        (400, "invalid_request"),
        (400, "invalid_request"),
        (400, "invalid_request"),
        (400, "unauthorized_client"),
        (400, "invalid_request"),
        (400, "invalid_grant"),
        (400, "invalid_request"),
        (400, "invalid_grant"),
    ];
    let r = through_bus(Defenses::bcp(), reqs);
    for (i, (status, code)) in expected.iter().enumerate() {
        assert_eq!(r[i].status().as_u16(), *status, "case {i}");
        assert_eq!(error_json(&r[i]).error, *code, "case {i}");
        assert_eq!(response_header(&r[i], "cache-control"), Some("no-store"));
        assert_eq!(
            response_header(&r[i], "content-type"),
            Some("application/json")
        );
    }
    for i in [0, 1] {
        assert!(
            response_header(&r[i], "www-authenticate")
                .unwrap()
                .starts_with("Basic"),
            "case {i}"
        );
    }
}

// ---------------------------------------------------------------- introspection

#[test]
fn introspection_of_garbage_is_inactive_and_needs_client_auth() {
    let rs = basic(wk::RS_CLIENT_ID, wk::RS_CLIENT_SECRET);
    let forged = oauth_lab::protocol::jwt::forge_unsigned(
        "at+jwt",
        &serde_json::json!({"iss": "https://as.example", "jti": "x", "exp": u64::MAX}),
    );
    let tokens = ["garbage", "a.b.c", forged.as_str()];
    let mut reqs: Vec<Request> = tokens
        .iter()
        .map(|t| {
            with_header(
                post_form_body(
                    "https://as.example/introspect",
                    &Params::from_pairs([("token", *t)]).encode(),
                ),
                "authorization",
                &rs,
            )
        })
        .collect();
    reqs.push(post_form_body(
        "https://as.example/introspect",
        "token=garbage",
    ));
    reqs.push(with_header(
        post_form_body("https://as.example/introspect", ""),
        "authorization",
        &rs,
    ));
    let r = through_bus(Defenses::bcp(), reqs);
    for resp in &r[..3] {
        assert_eq!(resp.status(), StatusCode::OK);
        let body: serde_json::Value = serde_json::from_slice(resp.body()).unwrap();
        assert_eq!(body, serde_json::json!({"active": false}));
    }
    assert_eq!(r[3].status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_json(&r[3]).error, "invalid_client");
    assert_eq!(r[4].status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_json(&r[4]).error, "invalid_request");
}

// ---------------------------------------------------------------- whole flows (sans-IO)

#[test]
fn code_flow_issues_verifiable_tokens_and_codes_are_single_use() {
    let mut h = Harness::new(Defenses::bcp());
    let resp = h.login_and_approve(&good_authorize_pairs(), wk::ALICE, wk::ALICE_PASSWORD);
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let loc = location_of(&resp).unwrap();
    let q = query_of(&loc);
    assert!(loc.starts_with("https://client.example/cb?code="), "{loc}");
    assert_eq!(q.first("state"), Some("st/ate+ü"));
    assert_eq!(q.first("iss"), Some("https://as.example"));
    let code = q.first("code").unwrap().to_string();
    assert_eq!(code.len(), 43);
    assert!(
        h.actor
            .consent_remembered(wk::ALICE, wk::CLIENT_ID, "openid photos.read")
    );

    let token = h.redeem(&code);
    assert_eq!(
        token.status(),
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(token.body())
    );
    assert_eq!(response_header(&token, "cache-control"), Some("no-store"));
    h.assert_noted("SHA-256");
    let t: TokenResponse = serde_json::from_slice(token.body()).unwrap();
    assert_eq!(t.token_type, "Bearer");
    assert_eq!(t.expires_in, Some(wk::ACCESS_TOKEN_LIFETIME_SECS));
    assert_eq!(t.scope.as_deref(), Some(wk::CLIENT_SCOPE));
    let jwks = h.actor.jwks().clone();
    let at = verify_pinned::<AccessTokenClaims>(t.access_token.expose(), &jwks).unwrap();
    assert_eq!(at.header["typ"], "at+jwt");
    assert_eq!(at.claims.aud, wk::RS_ORIGIN);
    assert_eq!(at.claims.sub, wk::ALICE);
    assert_eq!(at.claims.client_id, wk::CLIENT_ID);
    let id =
        verify_pinned::<IdTokenClaims>(t.id_token.as_ref().map(|t| t.expose()).unwrap(), &jwks)
            .unwrap();
    assert_eq!(id.claims.aud, wk::CLIENT_ID);
    assert_eq!(id.claims.nonce.as_deref(), Some("n-0S6"));
    assert_eq!(id.claims.name.as_deref(), Some("Alice"));
    assert!(h.actor.code_redeemed(&code));
    assert!(h.actor.access_token_active(&at.claims.jti, h.now));
    assert!(h.introspect(t.access_token.expose()).active);

    // Second redemption: refused, and the first tokens are revoked (PROTOCOL 9).
    let again = h.redeem(&code);
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_json(&again).error, "invalid_grant");
    assert!(!h.actor.access_token_active(&at.claims.jti, h.now));
    assert!(!h.introspect(t.access_token.expose()).active);
    assert!(
        !h.actor
            .refresh_token_active(t.refresh_token.as_ref().map(|t| t.expose()).unwrap(), h.now)
    );
}

#[test]
fn pkce_redirect_uri_client_and_expiry_checks() {
    let mut h = Harness::new(Defenses::bcp());
    let code = h.code_flow();
    let attempt = |h: &mut Harness, pairs: &[(&str, &str)], auth: (&str, &str)| {
        let body = Params::from_pairs(pairs.iter().copied()).encode();
        let req = with_header(
            post_form_body("https://as.example/token", &body),
            "authorization",
            &basic(auth.0, auth.1),
        );
        let resp = h.send(req);
        (resp.status(), error_json(&resp).error)
    };
    let base = |verifier: &'static str, redirect: &'static str| {
        vec![
            ("grant_type", "authorization_code"),
            ("code_verifier", verifier),
            ("redirect_uri", redirect),
        ]
    };
    let mut wrong_verifier = base(
        "wrong-verifier-wrong-verifier-wrong-verifier-1",
        wk::CLIENT_REDIRECT_URI,
    );
    wrong_verifier.push(("code", &code));
    assert_eq!(
        attempt(&mut h, &wrong_verifier, (wk::CLIENT_ID, wk::CLIENT_SECRET)).1,
        "invalid_grant"
    );
    let mut no_verifier = vec![
        ("grant_type", "authorization_code"),
        ("redirect_uri", wk::CLIENT_REDIRECT_URI),
    ];
    no_verifier.push(("code", &code));
    assert_eq!(
        attempt(&mut h, &no_verifier, (wk::CLIENT_ID, wk::CLIENT_SECRET)).1,
        "invalid_grant"
    );
    let mut wrong_redirect = base(VERIFIER, "https://client.example/other");
    wrong_redirect.push(("code", &code));
    assert_eq!(
        attempt(&mut h, &wrong_redirect, (wk::CLIENT_ID, wk::CLIENT_SECRET)).1,
        "invalid_grant"
    );
    // Another client (public, by client_id) ⇒ invalid_grant.
    let body = Params::from_pairs([
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("code_verifier", VERIFIER),
        ("redirect_uri", wk::CLIENT_REDIRECT_URI),
        ("client_id", wk::NATIVE_CLIENT_ID),
    ])
    .encode();
    let resp = h.send(post_form_body("https://as.example/token", &body));
    assert_eq!(error_json(&resp).error, "invalid_grant");
    // Failed attempts do not consume the code; after 61 s it has expired.
    h.now = SimTime(61_000);
    let late = h.redeem(&code);
    assert_eq!(error_json(&late).error, "invalid_grant");
    h.now = SimTime(30_000);
    assert_eq!(h.redeem(&code).status(), StatusCode::OK);
}

#[test]
fn refresh_rotation_and_reuse_detection() {
    let mut h = Harness::new(Defenses::bcp());
    let code = h.code_flow();
    let t: TokenResponse = serde_json::from_slice(h.redeem(&code).body()).unwrap();
    let rt1 = t.refresh_token.unwrap().expose().to_string();
    let refresh = |h: &mut Harness, rt: &str, scope: Option<&str>| {
        let mut p = Params::from_pairs([("grant_type", "refresh_token"), ("refresh_token", rt)]);
        if let Some(s) = scope {
            p.push("scope", s);
        }
        h.send(token_req(&p.encode()))
    };
    let wider = refresh(&mut h, &rt1, Some("photos.read photos.write"));
    assert_eq!(error_json(&wider).error, "invalid_scope");
    let r = refresh(&mut h, &rt1, Some("photos.read"));
    assert_eq!(r.status(), StatusCode::OK);
    let t2: TokenResponse = serde_json::from_slice(r.body()).unwrap();
    assert_eq!(t2.scope.as_deref(), Some("photos.read"));
    let rt2 = t2.refresh_token.unwrap().expose().to_string();
    assert_ne!(rt1, rt2);
    // Reusing the consumed one revokes the family.
    let reuse = refresh(&mut h, &rt1, None);
    assert_eq!(error_json(&reuse).error, "invalid_grant");
    assert!(!h.actor.refresh_token_active(&rt2, h.now));
    assert!(!h.introspect(t2.access_token.expose()).active);
    let after = refresh(&mut h, &rt2, None);
    assert_eq!(error_json(&after).error, "invalid_grant");

    // Without rotation the same refresh token keeps working and is not returned.
    let mut d = Defenses::bcp();
    d.refresh_rotation = false;
    let mut h = Harness::new(d);
    let code = h.code_flow();
    let t: TokenResponse = serde_json::from_slice(h.redeem(&code).body()).unwrap();
    let rt = t.refresh_token.unwrap().expose().to_string();
    for _ in 0..2 {
        let r = refresh(&mut h, &rt, None);
        let body: TokenResponse = serde_json::from_slice(r.body()).unwrap();
        assert!(body.refresh_token.is_none());
    }
}

#[test]
fn revocation_of_access_and_refresh_tokens() {
    let mut h = Harness::new(Defenses::bcp());
    let code = h.code_flow();
    let t: TokenResponse = serde_json::from_slice(h.redeem(&code).body()).unwrap();
    let revoke = |h: &mut Harness, token: &str| {
        let body = Params::from_pairs([("token", token)]).encode();
        h.send(with_header(
            post_form_body("https://as.example/revoke", &body),
            "authorization",
            &basic(wk::CLIENT_ID, wk::CLIENT_SECRET),
        ))
    };
    assert_eq!(revoke(&mut h, "unknown").status(), StatusCode::OK);
    assert_eq!(
        revoke(&mut h, t.access_token.expose()).status(),
        StatusCode::OK
    );
    assert!(!h.introspect(t.access_token.expose()).active);
    let rt = t.refresh_token.unwrap().expose().to_string();
    assert!(h.actor.refresh_token_active(&rt, h.now));
    assert_eq!(revoke(&mut h, &rt).status(), StatusCode::OK);
    assert!(h.actor.refresh_token_revoked(&rt));
}

#[test]
fn weakened_defenses_relax_exactly_their_check() {
    // one-time-codes off, revoke-on-code-reuse off: a code works twice.
    let mut d = Defenses::bcp();
    d.one_time_codes = false;
    d.revoke_on_code_reuse = false;
    let mut h = Harness::new(d);
    let code = h.code_flow();
    let first: TokenResponse = serde_json::from_slice(h.redeem(&code).body()).unwrap();
    assert_eq!(h.redeem(&code).status(), StatusCode::OK);
    assert!(h.introspect(first.access_token.expose()).active);

    // PKCE not required and a verifier arrives anyway: refused by default (downgrade),
    // ignored when reject-verifier-without-challenge is off.
    for reject in [true, false] {
        let mut d = Defenses::bcp();
        d.pkce_required = false;
        d.reject_verifier_without_challenge = reject;
        let mut h = Harness::new(d);
        let pairs: Vec<_> = good_authorize_pairs()
            .into_iter()
            .filter(|(k, _)| !k.starts_with("code_challenge"))
            .collect();
        let resp = h.login_and_approve(&pairs, wk::ALICE, wk::ALICE_PASSWORD);
        let code = query_of(&location_of(&resp).unwrap())
            .first("code")
            .unwrap()
            .to_string();
        let status = h.redeem(&code).status();
        assert_eq!(status == StatusCode::OK, !reject);
    }

    // login-303 off: 307 after the login POST, and the consent POST carrying the
    // re-posted login form (no decision) shows the consent page.
    let mut d = Defenses::bcp();
    d.login_303 = false;
    let mut h = Harness::new(d);
    let txn = h.login_txn(&good_authorize_pairs());
    let resp = h.post_login(&txn, wk::ALICE, wk::ALICE_PASSWORD);
    assert_eq!(resp.status(), StatusCode::TEMPORARY_REDIRECT);
    h.keep_session(&resp);
    let body = login_body(&txn, wk::ALICE, wk::ALICE_PASSWORD);
    let reposted = h.send(post_form_body(&location_of(&resp).unwrap(), &body));
    assert_eq!(reposted.status(), StatusCode::OK);
    h.assert_noted("password");
    let done = h.decide(&txn, "approve");
    assert_eq!(done.status(), StatusCode::TEMPORARY_REDIRECT);
}

#[test]
fn returning_user_with_session_and_consent_gets_a_code_at_once_and_deny_works() {
    let mut h = Harness::new(Defenses::bcp());
    let _ = h.code_flow();
    let again = h.send(get(&authorize_url(&good_authorize_pairs())));
    assert_eq!(again.status(), StatusCode::FOUND);
    assert!(
        query_of(&location_of(&again).unwrap())
            .first("code")
            .is_some()
    );

    // Mallory: wrong password first, then deny.
    let mut h = Harness::new(Defenses::bcp());
    let txn = h.login_txn(&good_authorize_pairs());
    let resp = h.post_login(&txn, wk::MALLORY, "x");
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(response_header(&resp, "set-cookie").is_none());
    let resp = h.post_login(&txn, wk::MALLORY, wk::MALLORY_PASSWORD);
    h.keep_session(&resp);
    let resp = h.decide(&txn, "deny");
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let q = query_of(&location_of(&resp).unwrap());
    assert_eq!(q.first("error"), Some("access_denied"));
    assert!(q.first("code").is_none());
    // The transaction is finished.
    let resp = h.decide(&txn, "deny");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
}

#[test]
fn native_app_loopback_port_and_public_client_redemption() {
    let mut h = Harness::new(Defenses::bcp());
    let pairs = [
        ("response_type", "code"),
        ("client_id", wk::NATIVE_CLIENT_ID),
        ("redirect_uri", "http://127.0.0.1:51004/cb"),
        ("scope", "openid photos.read"),
        ("state", "s"),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    let resp = h.login_and_approve(&pairs, wk::ALICE, wk::ALICE_PASSWORD);
    let loc = location_of(&resp).unwrap();
    assert!(loc.starts_with("http://127.0.0.1:51004/cb?code="), "{loc}");
    let code = query_of(&loc).first("code").unwrap().to_string();
    let mut body = Params::from_pairs(redemption_pairs(&code, "http://127.0.0.1:51004/cb"));
    body.push("client_id", wk::NATIVE_CLIENT_ID);
    let body = body.encode();
    let resp = h.send(post_form_body("https://as.example/token", &body));
    assert_eq!(
        resp.status(),
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(resp.body())
    );
    assert_eq!(pkce::s256(VERIFIER), CHALLENGE);
}

#[test]
fn hostile_input_never_panics() {
    let mut h = Harness::new(Defenses::bcp());
    let mut reqs = vec![
        get("https://as.example/authorize?%ff%fe=%00&client_id=%E2%82"),
        get(&format!(
            "https://as.example/authorize?client_id={}",
            "x".repeat(10_000)
        )),
        get("https://as.example/consent"),
        get("https://as.example/consent?txn=nope&txn=again"),
        post_form_body("https://as.example/login", "txn"),
        post_form_body("https://as.example/consent", "%%%&&&==="),
        post_form_body("https://as.example/revoke", "token=x"),
        with_header(
            post_form_body("https://as.example/token", "grant_type=authorization_code"),
            "authorization",
            "Basic",
        ),
        with_header(
            post_form_body("https://as.example/token", ""),
            "authorization",
            "Basic Og==",
        ),
        with_header(
            post_form_body("https://as.example/token", ""),
            "authorization",
            "Bearer abc",
        ),
    ];
    let mut binary = post_form_body("https://as.example/token", "");
    *binary.body_mut() = vec![0xff, 0xfe, 0x00, 0x80];
    reqs.push(binary);
    for req in reqs {
        let resp = h.send(req);
        assert!(resp.status().is_client_error() || resp.status().is_success());
    }
}

// ---------------------------------------------------------------- scope, implicit, resource

const CDN: &str = "https://photos-cdn.example";
const PRINT: &str = "https://print.example";

/// The standard AS, plus: photo-printer may also ask for photos.write (which Alice
/// never consents to in these tests); a public single-page app `spa` registered for the
/// implicit grant; two more resources, one serving photos.read and one serving only
/// prints.order.
/// The login form's body: `txn`, user name and password.
fn login_body(txn: &str, user: &str, password: &str) -> String {
    Params::from_pairs([("txn", txn), ("username", user), ("password", password)]).encode()
}

fn extended_config() -> AuthServerConfig {
    let mut cfg = AuthServerConfig::standard();
    for c in &mut cfg.clients {
        if c.client_id == wk::CLIENT_ID {
            *c = c
                .clone()
                .with_scopes(&format!("{} {}", wk::CLIENT_SCOPE, wk::SCOPE_PHOTOS_WRITE));
        }
    }
    cfg.clients.push(spa_client());
    cfg.resources
        .push(ResourceRegistration::new(CDN, wk::SCOPE_PHOTOS_READ));
    cfg.resources
        .push(ResourceRegistration::new(PRINT, "prints.order"));
    cfg
}

fn fragment_of(url: &str) -> Params {
    Params::parse(url.split_once('#').map(|(_, f)| f).unwrap_or(""))
}

fn code_req(code: &str, extra: &[(&str, &str)]) -> Request {
    let mut p = Params::from_pairs(redemption_pairs(code, wk::CLIENT_REDIRECT_URI));
    for (k, v) in extra {
        p.push(k, v);
    }
    token_req(&p.encode())
}

fn refresh_req(rt: &str, extra: &[(&str, &str)]) -> Request {
    let mut p = Params::from_pairs([("grant_type", "refresh_token"), ("refresh_token", rt)]);
    for (k, v) in extra {
        p.push(k, v);
    }
    token_req(&p.encode())
}

fn ok_tokens(resp: &Response) -> TokenResponse {
    assert_eq!(
        resp.status(),
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(resp.body())
    );
    serde_json::from_slice(resp.body()).unwrap()
}

fn claims_of(h: &Harness, token: &str) -> AccessTokenClaims {
    verify_pinned::<AccessTokenClaims>(token, h.actor.jwks())
        .unwrap()
        .claims
}

fn introspect_refresh(h: &mut Harness, rt: &str) -> IntrospectionResponse {
    let body = Params::from_pairs([("token", rt), ("token_type_hint", "refresh_token")]).encode();
    let req = with_header(
        post_form_body("https://as.example/introspect", &body),
        "authorization",
        &basic(wk::RS_CLIENT_ID, wk::RS_CLIENT_SECRET),
    );
    serde_json::from_slice(h.send(req).body()).unwrap()
}

#[test]
fn consented_scope_enforced_refuses_wider_scope_at_the_token_endpoint() {
    let mut h = Harness::with_config(Defenses::bcp(), extended_config());
    let code = h.code_flow();
    let wider = h.send(code_req(
        &code,
        &[("scope", "openid profile photos.read photos.write")],
    ));
    assert_eq!(wider.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_json(&wider).error, "invalid_scope");
    // The failed attempt does not use the code up; a narrower scope is fine.
    let t = ok_tokens(&h.send(code_req(&code, &[("scope", "photos.read")])));
    assert_eq!(t.scope.as_deref(), Some("photos.read"));
    assert!(t.id_token.is_none(), "no openid, no ID token");
    assert_eq!(claims_of(&h, t.access_token.expose()).scope, "photos.read");
    // The grant is still what the user consented to.
    let fam = &h.actor.families()[0];
    assert_eq!(fam.scope.join(" "), wk::CLIENT_SCOPE);

    // Refresh: wider refused, anything within the grant fine.
    let rt = t.refresh_token.unwrap().expose().to_string();
    let wider = h.send(refresh_req(&rt, &[("scope", "photos.read photos.write")]));
    assert_eq!(error_json(&wider).error, "invalid_scope");
    let t2 = ok_tokens(&h.send(refresh_req(&rt, &[("scope", "openid photos.read")])));
    assert_eq!(t2.scope.as_deref(), Some("openid photos.read"));
}

#[test]
fn without_consented_scope_enforced_the_as_grants_more_than_was_consented() {
    let mut d = Defenses::bcp();
    d.consented_scope_enforced = false;

    // At code redemption.
    let mut h = Harness::with_config(d.clone(), extended_config());
    let code = h.code_flow();
    // Never registered for the client: still refused.
    let unregistered = h.send(code_req(&code, &[("scope", "photos.read admin")]));
    assert_eq!(error_json(&unregistered).error, "invalid_scope");
    let resp = h.send(code_req(
        &code,
        &[("scope", "openid photos.read photos.write")],
    ));
    h.assert_noted("more than the user consented");
    let t = ok_tokens(&resp);
    assert_eq!(t.scope.as_deref(), Some("openid photos.read photos.write"));
    assert_eq!(
        claims_of(&h, t.access_token.expose()).scope,
        "openid photos.read photos.write"
    );
    assert!(
        h.actor.families()[0]
            .scope
            .contains(&wk::SCOPE_PHOTOS_WRITE.to_string())
    );
    let info = h.introspect(t.access_token.expose());
    assert!(info.active);
    assert_eq!(
        info.scope.as_deref(),
        Some("openid photos.read photos.write")
    );
    assert!(
        !h.actor
            .consent_remembered(wk::ALICE, wk::CLIENT_ID, wk::SCOPE_PHOTOS_WRITE)
    );

    // At refresh.
    let mut h = Harness::with_config(d, extended_config());
    let code = h.code_flow();
    let t = ok_tokens(&h.redeem(&code));
    let rt = t.refresh_token.unwrap().expose().to_string();
    let bad = h.send(refresh_req(&rt, &[("scope", "photos.read admin")]));
    assert_eq!(error_json(&bad).error, "invalid_scope");
    let t2 = ok_tokens(&h.send(refresh_req(&rt, &[("scope", "photos.read photos.write")])));
    assert_eq!(t2.scope.as_deref(), Some("photos.read photos.write"));
    assert_eq!(
        claims_of(&h, t2.access_token.expose()).scope,
        "photos.read photos.write"
    );
    h.assert_noted("more than the user consented");
    let info = introspect_refresh(
        &mut h,
        t2.refresh_token.as_ref().map(|t| t.expose()).unwrap(),
    );
    assert!(info.active);
    assert!(
        info.scope.unwrap().split(' ').any(|s| s == "photos.write"),
        "the grant now carries photos.write"
    );
}

fn spa_pairs() -> Vec<(&'static str, &'static str)> {
    vec![
        ("response_type", "token"),
        ("client_id", SPA_ID),
        ("redirect_uri", SPA_REDIRECT_URI),
        ("scope", "photos.read"),
        ("state", "sp a/ü+1"),
    ]
}

#[test]
fn implicit_grant_is_refused_while_no_implicit_grant_is_on() {
    let r = through_bus_with(
        extended_config(),
        Defenses::bcp(),
        vec![
            get(&authorize_url(&spa_pairs())),
            get("https://as.example/.well-known/oauth-authorization-server"),
        ],
    );
    assert_eq!(r[0].status(), StatusCode::FOUND);
    let loc = location_of(&r[0]).unwrap();
    assert!(loc.starts_with("https://spa.example/cb?"), "{loc}");
    let q = query_of(&loc);
    assert_eq!(q.first("error"), Some("unsupported_response_type"));
    assert!(q.first("access_token").is_none());
    let m: ServerMetadata = serde_json::from_slice(r[1].body()).unwrap();
    assert_eq!(m.response_types_supported, vec!["code"]);
    assert!(!m.grant_types_supported.iter().any(|g| g == "implicit"));
}

#[test]
fn implicit_grant_puts_the_token_in_the_fragment_when_allowed() {
    let mut d = Defenses::bcp();
    d.no_implicit_grant = false;
    let mut h = Harness::with_config(d.clone(), extended_config());
    let resp = h.login_and_approve(&spa_pairs(), wk::ALICE, wk::ALICE_PASSWORD);
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    h.assert_noted("implicit grant");
    let loc = location_of(&resp).unwrap();
    assert!(loc.starts_with("https://spa.example/cb#"), "{loc}");
    assert!(!loc.contains('?'), "nothing in the query: {loc}");
    let f = fragment_of(&loc);
    let names: Vec<&str> = f.iter().map(|(k, _)| k).collect();
    assert_eq!(
        names,
        [
            "access_token",
            "token_type",
            "expires_in",
            "scope",
            "state",
            "iss"
        ]
    );
    assert_eq!(f.first("token_type"), Some("Bearer"));
    assert_eq!(f.first("expires_in"), Some("600"));
    assert_eq!(f.first("scope"), Some("photos.read"));
    assert_eq!(f.first("state"), Some("sp a/ü+1"));
    assert_eq!(f.first("iss"), Some("https://as.example"));
    let at = f.first("access_token").unwrap().to_string();
    let claims = claims_of(&h, &at);
    assert_eq!(claims.client_id, SPA_ID);
    assert_eq!(claims.sub, wk::ALICE);
    assert_eq!(claims.aud, wk::RS_ORIGIN);
    assert!(h.introspect(&at).active);
    assert!(h.actor.refresh_tokens().is_empty(), "no refresh token");
    assert!(h.actor.codes().is_empty(), "no code");

    // A returning user with a session and consent gets the token at once; without
    // iss-parameter there is no iss in the fragment.
    h.defenses.iss_parameter = false;
    let again = h.send(get(&authorize_url(&spa_pairs())));
    assert_eq!(again.status(), StatusCode::FOUND);
    let f = fragment_of(&location_of(&again).unwrap());
    assert!(f.first("access_token").is_some());
    assert!(!f.contains("iss"));

    // The metadata says so.
    let m: ServerMetadata = serde_json::from_slice(
        h.send(get(
            "https://as.example/.well-known/oauth-authorization-server",
        ))
        .body(),
    )
    .unwrap();
    assert_eq!(m.response_types_supported, vec!["code", "token"]);
    assert!(m.grant_types_supported.iter().any(|g| g == "implicit"));

    // grant_type=implicit is no token request.
    let resp = h.send(token_req("grant_type=implicit"));
    assert_eq!(error_json(&resp).error, "unsupported_grant_type");
}

#[test]
fn implicit_errors_go_in_the_fragment() {
    let mut d = Defenses::bcp();
    d.no_implicit_grant = false;
    let with = |name: &'static str, value: &'static str| {
        let mut v: Vec<_> = spa_pairs()
            .into_iter()
            .filter(|(k, _)| *k != name)
            .collect();
        v.push((name, value));
        v
    };
    let mut printer_token: Vec<_> = good_authorize_pairs()
        .into_iter()
        .filter(|(k, _)| *k != "response_type")
        .collect();
    printer_token.push(("response_type", "token"));
    let reqs = vec![
        get(&authorize_url(&with("scope", "photos.write"))),
        get(&authorize_url(&with("resource", "https://nowhere.example"))),
        get(&authorize_url(&printer_token)),
        get(&format!("{}&scope=x", authorize_url(&spa_pairs()))),
        // The code flow is unchanged: its errors stay in the query.
        get(&authorize_url(&with("response_type", "code"))),
    ];
    let r = through_bus_with(extended_config(), d.clone(), reqs);
    let expected = [
        ("https://spa.example/cb#", "invalid_scope"),
        ("https://spa.example/cb#", "invalid_target"),
        ("https://client.example/cb#", "unauthorized_client"),
        ("https://spa.example/cb#", "invalid_request"),
        ("https://spa.example/cb?", "unauthorized_client"),
    ];
    for (i, (prefix, code)) in expected.iter().enumerate() {
        assert_eq!(r[i].status(), StatusCode::FOUND, "case {i}");
        let loc = location_of(&r[i]).unwrap();
        assert!(loc.starts_with(prefix), "case {i}: {loc}");
        let p = if prefix.ends_with('#') {
            assert!(!loc.contains('?'), "case {i}: {loc}");
            fragment_of(&loc)
        } else {
            query_of(&loc)
        };
        assert_eq!(p.first("error"), Some(*code), "case {i}: {loc}");
        assert!(p.first("access_token").is_none());
        assert_eq!(p.first("iss"), Some("https://as.example"));
        if i != 2 {
            assert_eq!(p.first("state"), Some("sp a/ü+1"), "case {i}");
        }
    }

    // The user denies: access_denied in the fragment.
    let mut h = Harness::with_config(d, extended_config());
    let txn = h.login_txn(&spa_pairs());
    let resp = h.post_login(&txn, wk::ALICE, wk::ALICE_PASSWORD);
    h.keep_session(&resp);
    let resp = h.decide(&txn, "deny");
    let loc = location_of(&resp).unwrap();
    assert!(
        loc.starts_with("https://spa.example/cb#error=access_denied"),
        "{loc}"
    );
}

#[test]
fn resource_indicator_at_authorize_binds_the_grant() {
    let mut h = Harness::with_config(Defenses::bcp(), extended_config());
    let mut pairs = good_authorize_pairs();
    pairs.push(("resource", CDN));
    let resp = h.login_and_approve(&pairs, wk::ALICE, wk::ALICE_PASSWORD);
    let code = query_of(&location_of(&resp).unwrap())
        .first("code")
        .unwrap()
        .to_string();
    assert_eq!(
        h.actor.code(&code).unwrap().request.resource.as_deref(),
        Some(CDN)
    );
    // Another resource, even one serving the scope, is not what the grant is for.
    let other = h.send(code_req(&code, &[("resource", wk::RS_ORIGIN)]));
    assert_eq!(other.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_json(&other).error, "invalid_target");
    // Without resource at the token endpoint, the bound one is the audience.
    let t = ok_tokens(&h.redeem(&code));
    assert_eq!(claims_of(&h, t.access_token.expose()).aud, CDN);
    assert_eq!(h.actor.families()[0].resource.as_deref(), Some(CDN));
    assert_eq!(
        h.introspect(t.access_token.expose()).aud.as_deref(),
        Some(CDN)
    );
    // Refreshes stay on it.
    let rt = t.refresh_token.unwrap().expose().to_string();
    let t2 = ok_tokens(&h.send(refresh_req(&rt, &[])));
    assert_eq!(claims_of(&h, t2.access_token.expose()).aud, CDN);
    let rt2 = t2.refresh_token.unwrap().expose().to_string();
    let t3 = ok_tokens(&h.send(refresh_req(&rt2, &[("resource", CDN)])));
    assert_eq!(claims_of(&h, t3.access_token.expose()).aud, CDN);
    let rt3 = t3.refresh_token.unwrap().expose().to_string();
    let bad = h.send(refresh_req(&rt3, &[("resource", wk::RS_ORIGIN)]));
    assert_eq!(error_json(&bad).error, "invalid_target");
}

#[test]
fn resource_indicator_at_the_token_endpoint_sets_the_audience() {
    let mut h = Harness::with_config(Defenses::bcp(), extended_config());
    let code = h.code_flow();
    for bad in [
        "not a uri",
        "/relative",
        "https://rs.example#frag",
        "https://rs.example/",
        "https://unknown.example",
        PRINT, // registered, but serves none of the scope
    ] {
        let resp = h.send(code_req(&code, &[("resource", bad)]));
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(error_json(&resp).error, "invalid_target", "{bad}");
    }
    let two = h.send(code_req(
        &code,
        &[("resource", CDN), ("resource", wk::RS_ORIGIN)],
    ));
    assert_eq!(error_json(&two).error, "invalid_target");
    let t = ok_tokens(&h.send(code_req(&code, &[("resource", CDN)])));
    assert_eq!(claims_of(&h, t.access_token.expose()).aud, CDN);
    // The grant is not bound, so a refresh may name another resource; without one the
    // default rule (the first resource serving the scope) applies.
    let rt = t.refresh_token.unwrap().expose().to_string();
    let t2 = ok_tokens(&h.send(refresh_req(&rt, &[("resource", wk::RS_ORIGIN)])));
    assert_eq!(claims_of(&h, t2.access_token.expose()).aud, wk::RS_ORIGIN);
    let rt2 = t2.refresh_token.unwrap().expose().to_string();
    let t3 = ok_tokens(&h.send(refresh_req(&rt2, &[])));
    assert_eq!(claims_of(&h, t3.access_token.expose()).aud, wk::RS_ORIGIN);
    let rt3 = t3.refresh_token.unwrap().expose().to_string();
    let bad = h.send(refresh_req(&rt3, &[("resource", PRINT)]));
    assert_eq!(error_json(&bad).error, "invalid_target");
    // A narrower refresh scope must still meet the resource.
    let bad = h.send(refresh_req(&rt3, &[("resource", CDN), ("scope", "openid")]));
    assert_eq!(error_json(&bad).error, "invalid_target");
}

#[test]
fn bad_resource_at_authorize_redirects_invalid_target() {
    let with_resource = |r: &'static str| {
        let mut p = good_authorize_pairs();
        p.push(("resource", r));
        get(&authorize_url(&p))
    };
    let mut two = good_authorize_pairs();
    two.push(("resource", CDN));
    two.push(("resource", wk::RS_ORIGIN));
    let reqs = vec![
        with_resource("not a uri"),
        with_resource("https://rs.example#f"),
        with_resource("https://unknown.example"),
        with_resource(PRINT),
        get(&authorize_url(&two)),
        with_resource(wk::RS_ORIGIN),
    ];
    let r = through_bus_with(extended_config(), Defenses::bcp(), reqs);
    for (i, resp) in r.iter().enumerate().take(5) {
        assert_eq!(resp.status(), StatusCode::FOUND, "case {i}");
        let loc = location_of(resp).unwrap();
        assert!(loc.starts_with("https://client.example/cb?"), "{loc}");
        let q = query_of(&loc);
        assert_eq!(q.first("error"), Some("invalid_target"), "case {i}: {loc}");
        assert_eq!(q.first("state"), Some("st/ate+ü"));
        assert!(q.first("code").is_none());
    }
    // A good one shows the login form.
    assert_eq!(r[5].status(), StatusCode::OK);
}

#[test]
fn invalid_client_challenges_name_this_as_host() {
    let cfg = AuthServerConfig::second("as2", "https://login.other.example");
    let body = "grant_type=authorization_code&code=x";
    let wrong = basic(wk::CLIENT_ID, "wrong");
    let reqs = vec![
        with_header(
            post_form_body("https://login.other.example/token", body),
            "authorization",
            &wrong,
        ),
        with_header(
            post_form_body("https://login.other.example/revoke", "token=x"),
            "authorization",
            &wrong,
        ),
        with_header(
            post_form_body("https://login.other.example/introspect", "token=x"),
            "authorization",
            &wrong,
        ),
        // client_secret_post with a wrong secret: a 401 still carries a challenge.
        post_form_body(
            "https://login.other.example/token",
            &format!("{body}&client_id={}&client_secret=nope", wk::CLIENT_ID),
        ),
    ];
    let r = through_bus_with(cfg, Defenses::bcp(), reqs);
    for (i, resp) in r.iter().enumerate() {
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "case {i}");
        assert_eq!(error_json(resp).error, "invalid_client");
        assert_eq!(
            response_header(resp, "www-authenticate"),
            Some("Basic realm=\"login.other.example\""),
            "case {i}"
        );
    }
    let std = through_bus(
        Defenses::bcp(),
        vec![with_header(
            post_form_body("https://as.example/token", body),
            "authorization",
            &wrong,
        )],
    );
    assert_eq!(
        response_header(&std[0], "www-authenticate"),
        Some("Basic realm=\"as.example\"")
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 64,
        rng_seed: proptest::test_runner::RngSeed::Fixed(2026),
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::default()
    })]

    #[test]
    fn random_requests_get_well_formed_answers(
        path in proptest::sample::select(vec!["/authorize", "/login", "/consent", "/token", "/revoke", "/introspect", "/jwks", "/x"]),
        query in "[a-z_%=&+0-9A-F]{0,80}",
        body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
        auth in proptest::option::of("(Basic|Bearer|basic) [A-Za-z0-9+/=:%]{0,40}"),
        post in proptest::prelude::any::<bool>(),
    ) {
        let mut h = Harness::new(Defenses::bcp());
        let url = format!("https://as.example{path}?{query}");
        let mut req = if post { post_form_body(&url, "") } else { get(&url) };
        *req.body_mut() = body;
        if let Some(a) = auth {
            set_header(req.headers_mut(), "authorization", &a);
        }
        let resp = h.send(req);
        let status = resp.status().as_u16();
        proptest::prop_assert!((200..500).contains(&status), "status {}", status);
        if path == "/token" && post && status >= 400 {
            proptest::prop_assert!(serde_json::from_slice::<ErrorBody>(resp.body()).is_ok());
        }
    }
}
