//! Interoperability: the `oauth2` crate (5.x, ramosbugs/oauth2-rs) completes the
//! authorization code + PKCE flow against the simulated AS. Its HTTP client is a
//! function that carries each `http::Request<Vec<u8>>` over the simulated bus (from a
//! probe), runs the world until idle, and returns the AS's `http::Response`.

use std::cell::RefCell;
use std::convert::Infallible;

use http::StatusCode;
use oauth_lab::testing::*;
use oauth2::basic::{BasicClient, BasicErrorResponseType};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, HttpRequest, HttpResponse,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope, TokenResponse,
    TokenUrl,
};

use oauth_lab::actors::ActorKind;
use oauth_lab::actors::auth_server::{ClientRegistration, GrantType};
use oauth_lab::actors::probe::Probe;
use oauth_lab::actors::well_known as wk;
use oauth_lab::sim::world::WorldBuilder;
use oauth_lab::sim::{Simulation, StepKind};

const OAUTH2_ID: &str = "oauth2-rs";
const OAUTH2_SECRET: &str = "oauth2-rs-secret-4e4e";
/// Served by the probe called `oauth2-rs` (a probe answers `https://{id}.probe.example`).
const OAUTH2_REDIRECT: &str = "https://oauth2-rs.probe.example/cb";

/// The `oauth2::SyncHttpClient`: sends the request from a fresh probe through the bus,
/// runs the world until idle, and returns the response the probe received (a request
/// the bus cannot carry fails the test).
fn bus_client(
    sim: &RefCell<Simulation>,
) -> impl Fn(HttpRequest) -> Result<HttpResponse, Infallible> + '_ {
    move |request: HttpRequest| {
        Ok(send_named(
            &mut sim.borrow_mut(),
            "oauth2-http",
            ActorKind::Client,
            request,
        )
        .0)
    }
}

/// The standard world, with the oauth2-rs client registered at the AS and a probe
/// serving its redirect URI; started and idle.
fn world() -> Simulation {
    let mut b = WorldBuilder::standard(SEED, bcp());
    b.auth_server.clients.push(
        ClientRegistration::confidential(OAUTH2_ID, "oauth2-rs interop", OAUTH2_SECRET)
            .with_redirect_uri(OAUTH2_REDIRECT)
            .with_scopes("openid photos.read")
            .with_grants(&[GrantType::AuthorizationCode, GrantType::RefreshToken]),
    );
    let mut sim = b.build();
    sim.add_actor(Box::new(
        Probe::new(OAUTH2_ID, ActorKind::Client).one_at_a_time(),
    ));
    sim.run_until_idle();
    sim
}

#[test]
fn oauth2_crate_completes_the_code_flow_with_pkce() {
    let client = BasicClient::new(ClientId::new(OAUTH2_ID.into()))
        .set_client_secret(ClientSecret::new(OAUTH2_SECRET.into()))
        .set_auth_uri(AuthUrl::new(format!("{}/authorize", wk::AS_ISSUER)).unwrap())
        .set_token_uri(TokenUrl::new(format!("{}/token", wk::AS_ISSUER)).unwrap())
        .set_redirect_uri(RedirectUrl::new(OAUTH2_REDIRECT.into()).unwrap());
    // Deterministic PKCE and state (the crate's own random ones would work as well).
    let verifier = PkceCodeVerifier::new(VERIFIER.into());
    let challenge = PkceCodeChallenge::from_code_verifier_sha256(&verifier);
    let (auth_url, csrf) = client
        .authorize_url(|| CsrfToken::new("oauth2-rs-state".into()))
        .add_scope(Scope::new("openid".into()))
        .add_scope(Scope::new("photos.read".into()))
        .set_pkce_challenge(challenge)
        .url();

    // Alice's browser opens the URL, logs in and consents; the code arrives at the
    // oauth2-rs redirect URI.
    let mut sim = world();
    let mark = navigate(&mut sim, auth_url.as_str());
    let authz = &requests_to(&sim, mark, wk::AS, "GET /authorize?")[0];
    assert_eq!(
        authz.decoded.param("code_challenge").as_deref(),
        Some(CHALLENGE)
    );
    assert_eq!(
        authz.decoded.param("code_challenge_method").as_deref(),
        Some("S256")
    );
    let callback = steps_from(&sim, mark)
        .iter()
        .find(|s| s.kind == StepKind::Request && s.to.as_str() == OAUTH2_ID)
        .unwrap_or_else(|| panic!("no callback:\n{}", transcript(&sim, mark)));
    assert_eq!(callback.from.as_str(), wk::BROWSER);
    assert!(callback.wire.starts_with("GET /cb?"), "{}", callback.wire);
    let code = callback.decoded.param("code").expect("a code");
    assert_eq!(
        callback.decoded.param("state").as_deref(),
        Some(csrf.secret().as_str())
    );
    assert_eq!(
        callback.decoded.param("iss").as_deref(),
        Some(wk::AS_ISSUER)
    );
    assert_eq!(
        sim.actor::<Probe>(OAUTH2_ID).unwrap().requests.len(),
        1,
        "the redirect URI received the callback"
    );

    // oauth2-rs redeems the code over the bus.
    let sim = RefCell::new(sim);
    let http = bus_client(&sim);
    let token = client
        .exchange_code(AuthorizationCode::new(code.clone()))
        .set_pkce_verifier(PkceCodeVerifier::new(VERIFIER.into()))
        .request(&http)
        .unwrap_or_else(|e| panic!("oauth2-rs token request failed: {e:?}"));
    let at = token.access_token().secret().clone();
    assert_eq!(*token.token_type(), oauth2::basic::BasicTokenType::Bearer);
    assert_eq!(
        token.expires_in(),
        Some(std::time::Duration::from_secs(
            wk::ACCESS_TOKEN_LIFETIME_SECS
        ))
    );
    let rt = token.refresh_token().expect("a refresh token").clone();
    let scopes: Vec<String> = token
        .scopes()
        .map(|s| s.iter().map(|x| x.to_string()).collect())
        .unwrap_or_default();
    assert_eq!(scopes, ["openid", "photos.read"]);

    // The token was sent with client_secret_basic by oauth2-rs, and verifies at the AS.
    {
        let sim = sim.borrow();
        let call = requests_to(&sim, 0, wk::AS, "POST /token")
            .into_iter()
            .find(|s| s.from.as_str().starts_with("oauth2-http-"))
            .expect("oauth2-rs's token request in the trace");
        assert!(
            call.decoded
                .header("authorization")
                .unwrap_or("")
                .starts_with("Basic ")
        );
        assert_eq!(
            call.decoded.param("code_verifier").as_deref(),
            Some(VERIFIER)
        );
        let server = auth_server(&sim);
        assert!(server.code_redeemed(&code));
        assert!(server.access_token_jwt_active(&at, sim.now()));
    }

    // The RS accepts it.
    let resp = send_back(&mut sim.borrow_mut(), api_request(Some(&at)));
    assert_eq!(resp.status(), StatusCode::OK, "{}", body_text(&resp));
    assert_eq!(json(&resp)["owner"], wk::ALICE);
    assert!(rs(&sim.borrow()).accepted_for(wk::ALICE, OAUTH2_ID));

    // Refresh through oauth2-rs: a new access token and a rotated refresh token.
    let refreshed = client
        .exchange_refresh_token(&rt)
        .request(&http)
        .unwrap_or_else(|e| panic!("oauth2-rs refresh failed: {e:?}"));
    assert_ne!(refreshed.access_token().secret(), &at);
    let rt2 = refreshed.refresh_token().expect("rotated");
    assert_ne!(rt2.secret(), rt.secret());

    // oauth2-rs reads the AS's RFC 6749 §5.2 errors: a second redemption is invalid_grant.
    match client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(PkceCodeVerifier::new(VERIFIER.into()))
        .request(&http)
    {
        Err(RequestTokenError::ServerResponse(e)) => {
            assert_eq!(*e.error(), BasicErrorResponseType::InvalidGrant)
        }
        other => panic!("expected invalid_grant, got {other:?}"),
    }
    // … which revoked the grant, refreshed token included.
    let resp = send_back(
        &mut sim.borrow_mut(),
        api_request(Some(refreshed.access_token().secret())),
    );
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);

    // And a wrong secret is invalid_client.
    let wrong = BasicClient::new(ClientId::new(OAUTH2_ID.into()))
        .set_client_secret(ClientSecret::new("wrong".into()))
        .set_token_uri(TokenUrl::new(format!("{}/token", wk::AS_ISSUER)).unwrap());
    match wrong.exchange_refresh_token(rt2).request(&http) {
        Err(RequestTokenError::ServerResponse(e)) => {
            assert_eq!(*e.error(), BasicErrorResponseType::InvalidClient)
        }
        other => panic!("expected invalid_client, got {other:?}"),
    }
}
