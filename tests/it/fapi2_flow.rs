//! The `fapi2` profile's default flow, end to end, checked from the trace alone with
//! `jsonwebtoken` and SHA-256 directly (not the actors' own verifiers): pushed requests,
//! S256 PKCE, `iss`, client assertions addressed to the issuer and signed with Photo
//! Printer's registered key, and — wherever a DPoP proof travels — the proof verifying
//! with its own `jwk`, `ath` = base64url(SHA-256(access token)) and `cnf.jkt` = the
//! proof key's RFC 7638 thumbprint.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::Jwk;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use oauth_lab::actors::defenses::Profile;
use oauth_lab::actors::well_known as wk;
use oauth_lab::sim::world::default_flow;
use oauth_lab::sim::{Step, StepKind};
use oauth_lab::testing::SEED;
use oauth_lab::testing::step::{form, header, query, url};
use sha2::{Digest, Sha256};

/// Verifies an EdDSA JWT with `jwk`, independently of the crate's verifier.
fn verify_with(token: &str, jwk: &Jwk) -> serde_json::Value {
    let key = DecodingKey::from_jwk(jwk).expect("a usable public key");
    let mut v = Validation::new(Algorithm::EdDSA);
    v.validate_exp = false;
    v.validate_aud = false;
    v.required_spec_claims.clear();
    jsonwebtoken::decode::<serde_json::Value>(token, &key, &v)
        .unwrap_or_else(|e| panic!("{token} does not verify: {e}"))
        .claims
}

fn requests<'a>(steps: &'a [Step], to: &str) -> impl Iterator<Item = &'a Step> {
    let to = to.to_string();
    steps
        .iter()
        .filter(move |s| s.kind == StepKind::Request && s.to.as_str() == to)
}

#[test]
fn the_fapi2_flow_runs_end_to_end_and_its_signatures_check_independently() {
    let mut sim = default_flow(SEED, Profile::Fapi2.defenses());
    sim.run_until_idle();
    let steps = &sim.trace().steps;
    let registered = oauth_lab::actors::client::config::photo_printer_key()
        .jwk()
        .clone();

    // PAR: one push per sign-in, S256, and a browser that carries only a reference.
    let pushes: Vec<&Step> = requests(steps, wk::AS)
        .filter(|s| url(s).ends_with("/par"))
        .collect();
    assert_eq!(pushes.len(), 1);
    assert_eq!(form(pushes[0], "code_challenge_method"), Some("S256"));
    for authz in requests(steps, wk::AS).filter(|s| url(s).contains("/authorize")) {
        let names: Vec<&str> = authz
            .decoded
            .query
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(names, ["client_id", "request_uri"], "{}", url(authz));
    }
    // iss in the authorization response (RFC 9207).
    let callback = requests(steps, wk::CLIENT)
        .find(|s| query(s, "code").is_some())
        .expect("a callback");
    assert_eq!(query(callback, "iss"), Some(wk::AS_ISSUER));

    // Every client assertion: signed by the registered key, aud the issuer, typed.
    let mut assertions = 0;
    for s in requests(steps, wk::AS).filter(|s| s.from.as_str() == wk::CLIENT) {
        let Some(a) = form(s, "client_assertion") else {
            continue;
        };
        assertions += 1;
        assert_eq!(header(s, "authorization"), None, "no secret at {}", url(s));
        let claims = verify_with(a, &registered);
        assert_eq!(claims["aud"], wk::AS_ISSUER);
        assert_eq!(claims["iss"], wk::CLIENT_ID);
        let h = &s
            .decoded
            .jwts
            .iter()
            .find(|j| j.found_in == "client_assertion")
            .unwrap()
            .header;
        assert_eq!(h["typ"], "client-authentication+jwt");
    }
    assert_eq!(assertions, 3, "PAR, code redemption, refresh");

    // Every DPoP proof (RFC 9449): verifies with its own jwk; ath and cnf.jkt match.
    let (mut proofs, mut bound) = (0, 0);
    for s in steps.iter().filter(|s| s.kind == StepKind::Request) {
        let Some(proof) = header(s, "dpop") else {
            continue;
        };
        let (h, _) = oauth_lab::protocol::jwt::decode_unverified(proof).expect("a JWT");
        let jwk: Jwk = serde_json::from_value(h["jwk"].clone()).expect("a jwk header");
        let claims = verify_with(proof, &jwk);
        proofs += 1;
        if let Some(token) = header(s, "authorization").and_then(|a| a.strip_prefix("DPoP ")) {
            let ath = URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()));
            assert_eq!(claims["ath"], ath.as_str());
            let (_, at) = oauth_lab::protocol::jwt::decode_unverified(token).expect("a JWT");
            let jkt = jwk
                .thumbprint(jsonwebtoken::jwk::ThumbprintHash::SHA256)
                .expect("a thumbprint");
            assert_eq!(at["cnf"]["jkt"], jkt.as_str());
            bound += 1;
        }
    }
    assert!(
        proofs >= 4,
        "proofs at the token endpoint and the RS: {proofs}"
    );
    assert!(bound >= 2, "DPoP-bound calls to the RS: {bound}");

    // Alice sees her photos, before and after the refresh.
    let shown = steps
        .iter()
        .filter(|s| {
            s.kind == StepKind::Response
                && s.to.as_str() == wk::BROWSER
                && s.decoded.title.as_deref() == Some("Your photos")
        })
        .count();
    assert_eq!(shown, 2);
}
