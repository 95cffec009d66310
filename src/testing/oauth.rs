//! OAuth material for tests: the RFC 7636 example verifier, extra client registrations,
//! defense sets, and the requests of the standard flow.

use crate::actors::auth_server::{ClientRegistration, GrantType};
use crate::actors::well_known as wk;
use crate::actors::{DefenseId, Defenses};
use crate::protocol::http_wire::{Request, Response};
use crate::protocol::params::Params;
use crate::protocol::requests::{ClientAuth, TokenRequest};
use crate::protocol::secret::{AuthorizationCode, CodeVerifier};

use super::http::{body_text, error_code, get, header, json, with_bearer};

/// The seed of the lab worlds.
pub const SEED: u64 = 2026;

/// RFC 7636 Appendix B.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
/// The S256 challenge of [`VERIFIER`] (RFC 7636 Appendix B).
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// A second confidential web client.
pub const SECOND_ID: &str = "second-client";
pub const SECOND_SECRET: &str = "second-secret-55aa";
pub const SECOND_REDIRECT: &str = "https://second.example/cb";

/// A client registered for `photos.write` only (a token without `photos.read`).
pub const UPLOADER_ID: &str = "uploader";
pub const UPLOADER_SECRET: &str = "uploader-secret-0b0b";
pub const UPLOADER_REDIRECT: &str = "https://uploader.example/cb";

/// A client with two redirect URIs, one of them with a query.
pub const MULTI_ID: &str = "multi";
pub const MULTI_SECRET: &str = "multi-secret-3c3c";
pub const MULTI_REDIRECT_Q: &str = "https://multi.example/cb?tenant=a";
pub const MULTI_REDIRECT_2: &str = "https://multi.example/other";

/// A client allowed the authorization code grant only (no refresh tokens).
pub const CODE_ONLY_ID: &str = "code-only";
pub const CODE_ONLY_SECRET: &str = "code-only-secret-7d7d";
pub const CODE_ONLY_REDIRECT: &str = "https://code-only.example/cb";

/// A public single-page app allowed the implicit grant only.
pub const SPA_ID: &str = "spa";
pub const SPA_REDIRECT_URI: &str = "https://spa.example/cb";

/// The extra registrations every lab world carries (the standard ones stay as they are).
pub fn extra_clients() -> Vec<ClientRegistration> {
    let both = [GrantType::AuthorizationCode, GrantType::RefreshToken];
    vec![
        ClientRegistration::confidential(SECOND_ID, "Second client", SECOND_SECRET)
            .with_redirect_uri(SECOND_REDIRECT)
            .with_scopes(wk::CLIENT_SCOPE)
            .with_grants(&both),
        ClientRegistration::confidential(UPLOADER_ID, "Uploader", UPLOADER_SECRET)
            .with_redirect_uri(UPLOADER_REDIRECT)
            .with_scopes("openid photos.write")
            .with_grants(&both),
        ClientRegistration::confidential(MULTI_ID, "Multi", MULTI_SECRET)
            .with_redirect_uri(MULTI_REDIRECT_Q)
            .with_redirect_uri(MULTI_REDIRECT_2)
            .with_scopes(wk::CLIENT_SCOPE)
            .with_grants(&both),
        ClientRegistration::confidential(CODE_ONLY_ID, "Code only", CODE_ONLY_SECRET)
            .with_redirect_uri(CODE_ONLY_REDIRECT)
            .with_scopes(wk::CLIENT_SCOPE)
            .with_grants(&[GrantType::AuthorizationCode]),
    ]
}

/// The public SPA registration (implicit grant, RFC 6749 §4.2).
pub fn spa_client() -> ClientRegistration {
    ClientRegistration::public(SPA_ID, "Photo gallery SPA")
        .with_redirect_uri(SPA_REDIRECT_URI)
        .with_scopes("photos.read")
        .with_grants(&[GrantType::Implicit])
}

/// The current best practice.
pub fn bcp() -> Defenses {
    Defenses::bcp()
}

/// `bcp` with bearer tokens: `dpop` and `dpop-proof-replay-check` off. The
/// docs/PROTOCOL.md items about bearer tokens (7–19) are shown in it; item 33 shows
/// what DPoP adds.
pub fn bcp_bearer() -> Defenses {
    bcp_without(&[DefenseId::Dpop, DefenseId::DpopProofReplayCheck])
}

/// `bcp` with these defenses off.
pub fn bcp_without(off: &[DefenseId]) -> Defenses {
    let mut d = Defenses::bcp();
    for &id in off {
        d.set_on(id, false);
    }
    d
}

/// The honest AS's token endpoint.
fn token_endpoint() -> String {
    format!("{}/token", wk::AS_ISSUER)
}

/// A token request of raw form `pairs` authenticated with `client_secret_basic`
/// (RFC 6749 §2.3.1).
pub fn token_request(id: &str, secret: &str, pairs: &[(&str, &str)]) -> Request {
    TokenRequest::from_params(Params::from_pairs(pairs.iter().copied()))
        .client_auth(&ClientAuth::basic(id, secret))
        .to_request(&token_endpoint())
}

/// A token request of Photo Printer (`client_secret_basic`).
pub fn printer_token(pairs: &[(&str, &str)]) -> Request {
    token_request(wk::CLIENT_ID, wk::CLIENT_SECRET, pairs)
}

/// The form of a code redemption (RFC 6749 §4.1.3) with the RFC 7636 verifier.
pub fn redemption_pairs<'a>(code: &'a str, redirect_uri: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("code_verifier", VERIFIER),
    ]
}

/// Client `id`'s token request for `code` with the RFC 7636 verifier.
pub fn redeem_as(id: &str, secret: &str, code: &str, redirect_uri: &str) -> Request {
    TokenRequest::authorization_code(&AuthorizationCode::new(code), redirect_uri)
        .client_auth(&ClientAuth::basic(id, secret))
        .code_verifier(&CodeVerifier::new(VERIFIER))
        .to_request(&token_endpoint())
}

/// Photo Printer's token request for `code` with the RFC 7636 verifier.
pub fn redeem_as_printer(code: &str) -> Request {
    redeem_as(
        wk::CLIENT_ID,
        wk::CLIENT_SECRET,
        code,
        wk::CLIENT_REDIRECT_URI,
    )
}

/// `GET https://rs.example/photos` with a bearer token.
pub fn api_request(token: Option<&str>) -> Request {
    with_bearer(get(&format!("{}/photos", wk::RS_ORIGIN)), token)
}

/// The AS's authorization endpoint with `pairs` as its query.
pub fn authorize_url(pairs: &[(&str, &str)]) -> String {
    format!(
        "{}/authorize?{}",
        wk::AS_ISSUER,
        Params::from_pairs(pairs.iter().copied()).encode()
    )
}

/// A valid authorization request of Photo Printer, with the RFC 7636 challenge.
pub fn printer_authorize_pairs(state: &'static str) -> Vec<(&'static str, &'static str)> {
    printer_authorize_pairs_with(state, "n-0S6_WzA2Mj")
}

/// Like [`printer_authorize_pairs`], with the given OpenID Connect `nonce`.
pub fn printer_authorize_pairs_with(
    state: &'static str,
    nonce: &'static str,
) -> Vec<(&'static str, &'static str)> {
    vec![
        ("response_type", "code"),
        ("client_id", wk::CLIENT_ID),
        ("redirect_uri", wk::CLIENT_REDIRECT_URI),
        ("scope", wk::CLIENT_SCOPE),
        ("state", state),
        ("nonce", nonce),
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ]
}

/// The `jti` of a JWT access token.
pub fn jti_of(token: &str) -> String {
    let (_, claims) = crate::protocol::jwt::decode_unverified(token).expect("a JWT access token");
    claims["jti"].as_str().unwrap_or("").to_string()
}

/// Whether an `error_description` is limited to RFC 6749 §5.2's characters
/// (%x20-21 / %x23-5B / %x5D-7E).
pub fn is_rfc6749_description(s: &str) -> bool {
    s.bytes()
        .all(|b| matches!(b, 0x20..=0x21 | 0x23..=0x5B | 0x5D..=0x7E))
}

/// Asserts an OAuth error response (RFC 6749 §5.2): `status`, a JSON body with `error`,
/// and an `error_description` (if any) in the allowed characters. `case` names the case
/// in failure messages.
pub fn assert_json_error(resp: &Response, status: u16, error: &str, case: &str) {
    assert_eq!(
        resp.status().as_u16(),
        status,
        "{case}: {}",
        body_text(resp)
    );
    assert!(
        header(resp, "content-type").is_some_and(|c| c.starts_with("application/json")),
        "{case}: errors are JSON"
    );
    assert_eq!(error_code(resp), error, "{case}: {}", body_text(resp));
    let desc = json(resp)["error_description"]
        .as_str()
        .unwrap_or("")
        .to_string();
    assert!(is_rfc6749_description(&desc), "{case}: {desc:?}");
}

/// `bcp` with these defenses on as well (the ones `bcp` leaves off: `par-required`,
/// `private-key-jwt`).
pub fn bcp_with(on: &[DefenseId]) -> Defenses {
    let mut d = Defenses::bcp();
    for &id in on {
        d.set_on(id, true);
    }
    d
}

/// A client assertion of Photo Printer (RFC 7523 §2.2), signed with its key: `aud`,
/// `jti`, issued at simulated second 0 of the run, good for 60 s; `typed` sets
/// `typ: client-authentication+jwt`.
pub fn printer_assertion(aud: &str, jti: &str, typed: bool) -> ClientAuth {
    use crate::actors::clock::SimTime;
    use crate::protocol::requests::AssertionClaims;
    let claims = AssertionClaims::new(wk::CLIENT_ID, aud, jti, SimTime::ZERO.unix_secs(), 60);
    ClientAuth::PrivateKeyJwt {
        id: wk::CLIENT_ID.to_string(),
        assertion: claims.sign(&crate::actors::client::config::photo_printer_key(), typed),
    }
}

/// A token request of raw form `pairs` authenticated with `auth`.
pub fn token_request_with(auth: &ClientAuth, pairs: &[(&str, &str)]) -> Request {
    TokenRequest::from_params(Params::from_pairs(pairs.iter().copied()))
        .client_auth(auth)
        .to_request(&token_endpoint())
}
