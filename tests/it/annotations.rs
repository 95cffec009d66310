//! Every note an actor attaches to a step says only what that code path did or checked
//! (issue 9): each test reads the sentence from a real run and compares it with the
//! message it describes.

use oauth_lab::actors::Defenses;
use oauth_lab::actors::clock::EPOCH_UNIX_SECS;
use oauth_lab::actors::defenses::DefenseId;
use oauth_lab::actors::resource_server::{ResourceServer, RsConfig};
use oauth_lab::actors::well_known as wk;
use oauth_lab::protocol::jwt::{ACCESS_TOKEN_TYP, AccessTokenClaims, SigningKey};
use oauth_lab::sim::StepKind;
use oauth_lab::sim::simulation::Simulation;
use oauth_lab::sim::world::default_flow;
use oauth_lab::testing::*;

/// Under `naive` the AS answers both the login and the consent POST with a 307; only
/// the login form carries a password, and only that answer says so.
#[test]
fn the_as_says_a_307_re_posts_a_password_only_when_the_form_has_one() {
    let mut sim = default_flow(SEED, Defenses::naive());
    sim.run_until_idle();
    let mut seen = (0, 0);
    for s in &sim.trace().steps {
        if s.kind != StepKind::Request || !s.annotation.contains("answering the form POST with 307")
        {
            continue;
        }
        let has_password = s.decoded.form.iter().any(|(k, _)| k == "password");
        assert_eq!(
            s.annotation.contains("password included"),
            has_password,
            "step {} ({}): {}",
            s.index,
            s.summary,
            s.annotation
        );
        if has_password {
            seen.0 += 1;
        } else {
            seen.1 += 1;
            assert!(
                s.annotation.contains("carries no password"),
                "{}",
                s.annotation
            );
        }
    }
    assert!(
        seen.0 > 0 && seen.1 > 0,
        "both kinds of 307 answer: {seen:?}"
    );
}

/// The RS names the issuer it trusts as the owner of the keys it verified with, not a
/// fixed "as.example".
#[test]
fn the_rs_names_the_issuer_it_trusts_as_the_owner_of_the_keys() {
    const ISSUER: &str = "https://id.example";
    let claims = AccessTokenClaims {
        iss: ISSUER.into(),
        sub: wk::ALICE.into(),
        aud: wk::RS_ORIGIN.into(),
        exp: EPOCH_UNIX_SECS + 600,
        iat: EPOCH_UNIX_SECS,
        jti: "jti-1".into(),
        client_id: wk::CLIENT_ID.into(),
        scope: "photos.read".into(),
        cnf: None,
    };
    let token = SigningKey::demo_as().sign(ACCESS_TOKEN_TYP, &claims);
    let config = RsConfig {
        trusted_issuer: ISSUER.into(),
        jwks_uri: format!("{ISSUER}/jwks"),
        introspection_endpoint: format!("{ISSUER}/introspect"),
        ..RsConfig::standard()
    };
    let mut sim = Simulation::new(SEED, Defenses::bcp());
    sim.add_actor(Box::new(burst_probe(
        "client",
        [with_bearer(
            get(&format!("{}/photos", wk::RS_ORIGIN)),
            Some(&token),
        )],
    )));
    sim.add_actor(Box::new(ResourceServer::new(config)));
    sim.add_actor(Box::new(fake_as_at(ISSUER, AsMode::Healthy, &[])));
    sim.run_until_idle();
    let notes = notes_of(&sim);
    assert!(
        notes.contains("RS: signature verifies against id.example's key"),
        "{notes}"
    );
    assert!(!notes.contains("as.example's"), "{notes}");
    assert_eq!(burst_responses(&sim, "client", 1)[0].status(), 200);
}

/// An error sent back to a redirect URI that host-only matching let through is not
/// said to go to "the registered redirect URI".
#[test]
fn an_error_redirect_names_the_uri_it_goes_to_when_it_is_not_the_registered_one() {
    const LAX: &str = "https://client.example/cb/../";
    let mut sim = lab(defenses_with_pkce_required());
    let location = authorize_in_browser(
        &mut sim,
        &[
            ("response_type", "code"),
            ("client_id", wk::CLIENT_ID),
            ("redirect_uri", LAX),
            ("scope", wk::CLIENT_SCOPE),
        ],
    );
    assert!(location.contains("error=invalid_request"), "{location}");
    let notes = notes_of(&sim);
    assert!(
        notes.contains(&format!(
            "the error goes back to {LAX}, which HostOnly matching accepted as invalid_request"
        )),
        "{notes}"
    );
    assert!(!notes.contains("the registered redirect URI"), "{notes}");
    // With the registered URI, the note says so.
    let mut sim = lab(defenses_with_pkce_required());
    authorize_in_browser(
        &mut sim,
        &[
            ("response_type", "code"),
            ("client_id", wk::CLIENT_ID),
            ("redirect_uri", wk::CLIENT_REDIRECT_URI),
            ("scope", wk::CLIENT_SCOPE),
        ],
    );
    assert!(
        notes_of(&sim)
            .contains("the error goes back to the registered redirect URI as invalid_request"),
        "{}",
        notes_of(&sim)
    );
}

fn defenses_with_pkce_required() -> Defenses {
    let mut d = Defenses::naive();
    d.set_on(DefenseId::PkceRequired, true);
    d
}

/// The client says a callback POST has a `password` parameter only when its body does:
/// under `naive` the consent form's 307 re-post reaches Photo Printer's callback as a
/// POST without one, and the note stays silent.
#[test]
fn the_client_notes_a_password_in_a_callback_post_only_when_the_body_has_one() {
    let mut sim = default_flow(SEED, Defenses::naive());
    sim.run_until_idle();
    let mut posts = 0;
    for s in &sim.trace().steps {
        let says = s.annotation.contains("has a `password` parameter");
        let has = s.decoded.form.iter().any(|(k, _)| k == "password");
        let callback_post = s.kind == StepKind::Request
            && s.to.as_str() == wk::CLIENT
            && s.summary.starts_with("POST");
        posts += usize::from(callback_post);
        assert_eq!(
            says,
            callback_post && has,
            "step {} ({}): {}",
            s.index,
            s.summary,
            s.annotation
        );
    }
    assert!(
        posts > 0,
        "the naive flow re-posts the consent form to the client"
    );
}
