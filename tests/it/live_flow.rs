//! Live mode over real sockets: the simulated browser drives Photo Printer through the
//! whole flow over real HTTP; the `oauth2` crate with its reqwest client completes the
//! code flow with PKCE and a refresh as `learner-app`; the RS accepts its token and
//! refuses a tampered one.

use oauth_lab::actors::Profile;
use oauth_lab::actors::well_known as wk;
use oauth_lab::live::parties::{LEARNER_APP_ID, LEARNER_APP_SECRET};
use oauth_lab::sim::{Channel, StepKind};
use oauth_lab::testing::*;
use oauth2::basic::BasicClient;
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge, RedirectUrl,
    Scope, TokenResponse, TokenUrl,
};

#[test]
fn the_simulated_browser_completes_photo_printers_flow_over_real_http() {
    let server = live_world(Profile::Bcp);
    let urls = server.urls().clone();
    live_browse(&server, &format!("{}/login", urls.client));
    let (url, title, text) = live_page(&server);
    assert!(url.starts_with(&format!("{}/cb?", urls.client)), "{url}");
    assert_eq!(title, "Your photos", "{text}");
    assert!(text.contains("Sunset at the harbour"), "{text}");

    let trace = server.hub().trace();
    let kinds: Vec<(String, String, String)> = trace
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Request)
        .map(|s| {
            let line = s.wire.lines().next().unwrap_or("");
            let path = line.split(' ').nth(1).unwrap_or("");
            let path = path.split('?').next().unwrap_or("");
            (s.from.to_string(), s.to.to_string(), path.to_string())
        })
        .collect();
    for (from, to, path) in [
        ("client", "as", "/.well-known/openid-configuration"),
        ("rs", "as", "/jwks"),
        ("browser", "client", "/login"),
        ("browser", "as", "/authorize"),
        ("browser", "as", "/login"),
        ("browser", "as", "/consent"),
        ("browser", "client", "/cb"),
        ("client", "as", "/token"),
        ("client", "rs", "/photos"),
    ] {
        assert!(
            kinds
                .iter()
                .any(|k| (k.0.as_str(), k.1.as_str(), k.2.as_str()) == (from, to, path)),
            "{from} → {to} {path} is in the live trace: {kinds:?}"
        );
    }
    // The token request really went over TCP: the AS's listener recorded the client's
    // own message id, and the client read the answer to it.
    let token = trace
        .find(wk::AS, "POST /token")
        .next()
        .expect("a token request");
    assert_eq!(token.channel, Channel::BackChannel);
    let answer = trace
        .response_to(token.msg_id.expect("an id"))
        .expect("an answer");
    assert!(answer.wire.starts_with("HTTP/1.1 200"), "{}", answer.wire);
    assert_eq!(answer.to.as_str(), wk::CLIENT);
    server.shutdown();
}

#[test]
fn oauth2_crate_completes_code_pkce_and_refresh_as_learner_app_and_the_rs_checks_its_token() {
    let server = live_world(Profile::Bcp);
    let urls = server.urls().clone();
    let catcher = RedirectCatcher::start();
    let client = BasicClient::new(ClientId::new(LEARNER_APP_ID.into()))
        .set_client_secret(ClientSecret::new(LEARNER_APP_SECRET.into()))
        .set_auth_uri(AuthUrl::new(format!("{}/authorize", urls.auth_server)).unwrap())
        .set_token_uri(TokenUrl::new(format!("{}/token", urls.auth_server)).unwrap())
        .set_redirect_uri(RedirectUrl::new(catcher.redirect_uri()).unwrap());
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (auth_url, csrf) = client
        .authorize_url(CsrfToken::new_random)
        .add_scope(Scope::new("openid".into()))
        .add_scope(Scope::new("photos.read".into()))
        .set_pkce_challenge(challenge)
        .url();

    // Alice signs in and approves in her browser; the code arrives at the loopback
    // redirect URI on a port the AS never saw registered (RFC 8252 §7.3).
    live_browse(&server, auth_url.as_str());
    let target = catcher.target();
    let params = query_of(&target);
    assert_eq!(
        params.first("state"),
        Some(csrf.secret().as_str()),
        "{target}"
    );
    assert_eq!(
        params.first("iss"),
        Some(urls.auth_server.as_str()),
        "{target}"
    );
    let code = params.first("code").expect("a code").to_string();

    let http = oauth2::reqwest::blocking::ClientBuilder::new()
        .redirect(oauth2::reqwest::redirect::Policy::none())
        .build()
        .expect("a reqwest client");
    let token = client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(verifier)
        .request(&http)
        .unwrap_or_else(|e| panic!("the live token endpoint answers oauth2-rs: {e:?}"));
    let access = token.access_token().secret().clone();
    let refresh = token.refresh_token().expect("a refresh token").clone();

    let refreshed = client
        .exchange_refresh_token(&refresh)
        .request(&http)
        .unwrap_or_else(|e| panic!("refresh works: {e:?}"));
    let rotated = refreshed.refresh_token().expect("a new refresh token");
    assert_ne!(
        rotated.secret(),
        refresh.secret(),
        "rotation (RFC 9700 §4.14.2)"
    );
    assert_ne!(refreshed.access_token().secret(), &access);

    // The RS serves Alice's photos for the token and refuses it with one byte changed.
    let photos = format!("{}/photos", urls.resource_server);
    let ok = http
        .get(&photos)
        .bearer_auth(&access)
        .send()
        .expect("the RS answers");
    assert_eq!(ok.status().as_u16(), 200);
    assert!(
        ok.text()
            .unwrap_or_default()
            .contains("Sunset at the harbour")
    );
    let tampered = tamper_signature(&access);
    let refused = http
        .get(&photos)
        .bearer_auth(&tampered)
        .send()
        .expect("the RS answers");
    assert_eq!(refused.status().as_u16(), 401);
    let challenge = refused
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(challenge.contains("invalid_token"), "{challenge}");
    server.shutdown();
}

/// The token with the first character of its signature changed.
fn tamper_signature(jwt: &str) -> String {
    let (head, sig) = jwt.rsplit_once('.').expect("a JWS");
    let first = if sig.starts_with('A') { 'B' } else { 'A' };
    format!("{head}.{first}{}", &sig[1..])
}

#[test]
fn a_client_registered_over_rfc_7591_completes_a_flow() {
    let server = live_world(Profile::Bcp);
    let as_url = server.urls().auth_server.clone();
    let metadata = json(&live_call(&get(&format!(
        "{as_url}/.well-known/oauth-authorization-server"
    ))));
    let endpoint = metadata["registration_endpoint"]
        .as_str()
        .expect("the live AS advertises registration (RFC 8414 §2)")
        .to_string();
    assert_eq!(endpoint, format!("{as_url}/register"));

    // Unsafe metadata is refused with the RFC 7591 §3.2.2 codes.
    let refused = live_call(&json_post(
        &endpoint,
        r#"{"redirect_uris":["http://evil.example/cb"]}"#,
    ));
    assert_eq!(refused.status(), 400, "{}", body_text(&refused));
    assert_eq!(error_code(&refused), "invalid_redirect_uri");

    let registered = live_call(&json_post(
        &endpoint,
        r#"{"client_name":"My script","redirect_uris":["http://127.0.0.1/callback"],
            "grant_types":["authorization_code","refresh_token"],"scope":"openid photos.read"}"#,
    ));
    assert_eq!(registered.status(), 201, "{}", body_text(&registered));
    let reg = json(&registered);
    let id = reg["client_id"].as_str().expect("a client_id").to_string();
    let secret = reg["client_secret"].as_str().expect("a secret").to_string();

    // The new client does the code flow with PKCE.
    let grant = live_learner_code(&server, &id);
    let tokens = live_call(
        &oauth_lab::protocol::requests::TokenRequest::from_params(
            oauth_lab::protocol::params::Params::from_pairs(
                redemption_pairs(&grant.code, &grant.redirect_uri)
                    .iter()
                    .copied(),
            ),
        )
        .client_auth(&oauth_lab::protocol::requests::ClientAuth::basic(
            &id, &secret,
        ))
        .to_request(&format!("{as_url}/token")),
    );
    assert_eq!(tokens.status(), 200, "{}", body_text(&tokens));
    assert!(json(&tokens)["access_token"].is_string());
    server.shutdown();
}

/// `POST url` with a JSON body.
fn json_post(url: &str, body: &str) -> http::Request<Vec<u8>> {
    let mut req = with_header(
        oauth_lab::protocol::http_wire::request(http::Method::POST, url),
        "content-type",
        "application/json",
    );
    *req.body_mut() = body.as_bytes().to_vec();
    req
}
