//! Live mode signs tokens off the world lock (`protocol::deferred_sign`): the AS's
//! signatures are promised while it runs under the lock and made by the listener's
//! task afterwards. What leaves the process, and what the AS keeps, is exactly what an
//! eager signature gives.

use oauth_lab::actors::Profile;
use oauth_lab::actors::auth_server::AuthServer;
use oauth_lab::actors::well_known as wk;
use oauth_lab::protocol::deferred_sign::{deferring, holds_placeholder};
use oauth_lab::protocol::jwt::{ACCESS_TOKEN_TYP, AccessTokenClaims, IdTokenClaims, SigningKey};
use oauth_lab::protocol::secret::Secret;
use oauth_lab::testing::*;

fn claims(jti: &str) -> AccessTokenClaims {
    AccessTokenClaims {
        iss: "https://as.example".into(),
        sub: "alice".into(),
        aud: "https://rs.example".into(),
        exp: 2_000_000_000,
        iat: 1_767_258_000,
        jti: jti.into(),
        client_id: "photo-printer".into(),
        scope: "photos.read".into(),
        cnf: None,
    }
}

#[test]
fn a_kept_promise_gives_the_eager_token_byte_for_byte() {
    let key = SigningKey::demo_as();
    let id = IdTokenClaims {
        iss: "https://as.example".into(),
        sub: "alice".into(),
        aud: "photo-printer".into(),
        exp: 2,
        iat: 1,
        auth_time: 1,
        nonce: Some("n<>\"".into()),
        name: None,
    };
    let (eager, eager_id) = (
        key.sign(ACCESS_TOKEN_TYP, &claims("a")),
        key.sign("JWT", &id),
    );
    let ((promised, promised_id), promises) = deferring(|| {
        (
            key.sign(ACCESS_TOKEN_TYP, &claims("a")),
            key.sign("JWT", &id),
        )
    });
    assert!(holds_placeholder(&promised) && holds_placeholder(&promised_id));
    assert_ne!(promised, eager);
    assert_eq!(
        promised.len(),
        eager.len(),
        "a placeholder keeps the length"
    );
    let signed = promises.keep();
    assert_eq!(signed.apply(&promised), eager);
    assert_eq!(signed.apply(&promised_id), eager_id);
    let mut body = format!("{{\"access_token\":\"{promised}\"}}").into_bytes();
    signed.apply_bytes(&mut body);
    assert_eq!(
        body,
        format!("{{\"access_token\":\"{eager}\"}}").into_bytes()
    );
}

#[test]
fn outside_deferring_a_signature_is_made_at_once_and_placeholders_are_unique() {
    let key = SigningKey::demo_as();
    assert!(!holds_placeholder(
        &key.sign(ACCESS_TOKEN_TYP, &claims("b"))
    ));
    let ((one, two), promises) = deferring(|| {
        (
            key.sign(ACCESS_TOKEN_TYP, &claims("b")),
            key.sign(ACCESS_TOKEN_TYP, &claims("b")),
        )
    });
    assert_ne!(one, two, "each promise has its own placeholder");
    let signed = promises.keep();
    assert_eq!(signed.apply(&one), signed.apply(&two));
    assert_eq!(format!("{signed:?}"), "Signatures(2)", "no token in Debug");
}

#[test]
fn parallel_token_responses_carry_real_signatures_and_the_as_keeps_the_same_tokens() {
    let server = live_world(Profile::Bcp);
    let mut requests = Vec::new();
    for _ in 0..8 {
        let grant = live_learner_code(&server, "learner-app");
        let pairs = redemption_pairs(&grant.code, &grant.redirect_uri);
        let first = live_call(&live_token_request(&server, &pairs));
        assert_eq!(first.status(), 200, "{}", body_text(&first));
        let refresh = string_field(&first, "refresh_token");
        requests.push(live_token_request(
            &server,
            &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
        ));
    }
    let answers = live_call_all(requests);
    let jwks = server
        .hub()
        .with_actor::<AuthServer, _>(wk::AS, |a| a.jwks().clone())
        .expect("the AS");
    for answer in &answers {
        assert_eq!(answer.status(), 200, "{}", body_text(answer));
        let access = string_field(answer, "access_token");
        assert!(!holds_placeholder(&access) && !holds_placeholder(&body_text(answer)));
        oauth_lab::protocol::jwt::verify_pinned::<AccessTokenClaims>(&access, &jwks)
            .expect("signed with the AS's key");
        let kept = server.hub().with_actor::<AuthServer, _>(wk::AS, |a| {
            a.access_tokens().iter().any(|r| r.token.expose() == access)
        });
        assert_eq!(kept, Some(true), "the AS's record holds the token it sent");
    }
    let placeholders = server.hub().with_actor::<AuthServer, _>(wk::AS, |a| {
        a.access_tokens()
            .iter()
            .filter(|r| holds_placeholder(r.token.expose()))
            .count()
    });
    assert_eq!(placeholders, Some(0));
    assert!(
        server
            .hub()
            .trace()
            .steps
            .iter()
            .all(|s| !holds_placeholder(&s.wire) && !holds_placeholder(&s.annotation)),
        "no placeholder reaches the trace"
    );
    server.shutdown();
}
