//! The Photos app (a public native client, RFC 8252) reads the AS's metadata and pushes
//! its authorization request when the AS requires it (RFC 9126 §5): under `fapi2` and
//! under `par-required` its sign-in runs end to end — a push with no client
//! authentication, a DPoP proof when `dpop` is on (RFC 9449 §10.1), the browser carrying
//! only `client_id` and `request_uri` — and the attacks on it compute their outcomes.

use oauth_lab::actors::defenses::{DefenseId, Defenses, Profile};
use oauth_lab::actors::native_app::{NativeApp, NativeAppConfig};
use oauth_lab::actors::well_known as wk;
use oauth_lab::attacks::setup::native_app_world;
use oauth_lab::protocol::dpop::open_proof;
use oauth_lab::sim::{Simulation, Step, StepKind};
use oauth_lab::testing::step::{form, header, json_str, status, url};
use oauth_lab::testing::*;

fn par_url() -> String {
    format!("{}/par", wk::AS_ISSUER)
}

/// The Photos app's world under `defenses` with `app`, run to its end.
fn app_signs_in(defenses: Defenses, app: NativeAppConfig) -> Simulation {
    let mut sim = native_app_world(SEED, defenses, app);
    sim.run_until_idle();
    sim
}

fn requests_from_app<'a>(sim: &'a Simulation, path: &'a str) -> Vec<&'a Step> {
    sim.trace()
        .steps
        .iter()
        .filter(|s| {
            s.kind == StepKind::Request
                && s.from.as_str() == wk::NATIVE_APP
                && url(s).split('?').next().unwrap_or("").ends_with(path)
        })
        .collect()
}

fn app(sim: &Simulation) -> &NativeApp {
    sim.actor::<NativeApp>(wk::NATIVE_APP)
        .expect("the Photos app")
}

/// The checks both profiles share: metadata read first, one push as a public client
/// (no secret, no assertion, no Authorization header), a 201, the browser carrying only
/// the reference, and Alice's photos in the app at the end.
fn pushed_sign_in(sim: &Simulation) -> &Step {
    let meta = requests_from_app(sim, "/.well-known/oauth-authorization-server");
    assert_eq!(meta.len(), 1, "the app reads the metadata once");
    let pushes = requests_from_app(sim, "/par");
    assert_eq!(pushes.len(), 1, "{}", transcript(sim, 0));
    let push = pushes[0];
    assert!(meta[0].index < push.index);
    assert_eq!(form(push, "client_id"), Some(wk::NATIVE_CLIENT_ID));
    assert_eq!(form(push, "redirect_uri"), Some(wk::NATIVE_REDIRECT_URI));
    assert_eq!(form(push, "code_challenge_method"), Some("S256"));
    for absent in ["client_secret", "client_assertion"] {
        assert_eq!(form(push, absent), None, "a public client: no {absent}");
    }
    assert_eq!(header(push, "authorization"), None);
    let answer = response_step(sim, push);
    assert_eq!(status(answer), 201, "{}", answer.wire);
    let request_uri = json_str(answer, "request_uri").expect("a request_uri");
    let authorize: Vec<&Step> = sim
        .trace()
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Request && url(s).contains("/authorize"))
        .collect();
    assert_eq!(authorize.len(), 1);
    assert!(authorize[0].index > answer.index);
    assert_eq!(
        authorize[0].decoded.query,
        vec![
            ("client_id".to_string(), wk::NATIVE_CLIENT_ID.to_string()),
            ("request_uri".to_string(), request_uri),
        ],
        "RFC 9126 §4"
    );
    let a = app(sim);
    assert_eq!(a.last_error, None);
    assert_eq!(a.photos_owner.as_deref(), Some(wk::ALICE));
    assert_eq!(a.photos.len(), 3);
    push
}

#[test]
fn under_fapi2_the_app_pushes_with_a_dpop_proof_and_signs_in() {
    let sim = app_signs_in(Profile::Fapi2.defenses(), NativeAppConfig::custom_scheme());
    let push = pushed_sign_in(&sim);
    // The push carries a DPoP proof for POST /par by the key its tokens get bound to.
    let proof = open_proof(header(push, "dpop").expect("a DPoP proof at PAR")).unwrap();
    assert_eq!(proof.claims.htm, "POST");
    assert_eq!(proof.claims.htu, par_url());
    assert_eq!(Some(proof.jkt.as_str()), app(&sim).dpop_jkt());
    let token = &requests_from_app(&sim, "/token")[0];
    let body = response_step(&sim, token).decoded.json.clone().unwrap();
    assert_eq!(body["token_type"], "DPoP");
    let (_, claims) =
        oauth_lab::protocol::jwt::decode_unverified(body["access_token"].as_str().unwrap())
            .unwrap();
    assert_eq!(claims["cnf"]["jkt"], proof.jkt);
}

#[test]
fn under_par_required_alone_the_app_pushes_without_a_proof_and_signs_in() {
    let mut d = Defenses::naive();
    d.set_on(DefenseId::ParRequired, true);
    d.set_on(DefenseId::Pkce, true);
    let sim = app_signs_in(d, NativeAppConfig::custom_scheme());
    let push = pushed_sign_in(&sim);
    assert_eq!(header(push, "dpop"), None, "dpop is off");
}

#[test]
fn the_app_pushes_only_where_the_as_has_a_par_endpoint() {
    // Its setting asks for pushing, but the AS advertises no PAR endpoint (RFC 9126 §5).
    let config = NativeAppConfig {
        push_authorization_requests: true,
        ..NativeAppConfig::custom_scheme()
    };
    let sim = app_signs_in(Defenses::bcp(), config);
    assert!(requests_from_app(&sim, "/par").is_empty());
    assert_eq!(app(&sim).photos.len(), 3);
}

#[test]
fn a_push_with_a_bad_dpop_proof_is_refused() {
    let mut sim = lab(Profile::Fapi2.defenses());
    let push = |proof: &str| {
        with_dpop(
            post_form(
                &par_url(),
                &[
                    ("response_type", "code"),
                    ("client_id", wk::NATIVE_CLIENT_ID),
                    ("redirect_uri", wk::NATIVE_REDIRECT_URI),
                    (
                        "code_challenge",
                        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                    ),
                    ("code_challenge_method", "S256"),
                ],
            ),
            proof,
            None,
        )
    };
    let key = probe_key(3);
    let now = sim.now();
    let elsewhere = key.sign(&proof_claims(
        "POST",
        &format!("{}/token", wk::AS_ISSUER),
        None,
        now,
        "par-1",
    ));
    let resp = send_back(&mut sim, push(&elsewhere));
    assert_json_error(&resp, 400, "invalid_dpop_proof", "a proof for another URL");
    let good = key.sign(&proof_claims("POST", &par_url(), None, now, "par-2"));
    let resp = send_back(&mut sim, push(&good));
    assert_eq!(resp.status(), 201, "{}", body_text(&resp));
}

#[test]
fn the_attacks_on_the_app_compute_their_outcomes_under_fapi2_and_par_required() {
    let fapi2 = Profile::Fapi2.defenses();
    let mut par_only = Defenses::naive();
    par_only.set_on(DefenseId::ParRequired, true);
    for id in [
        "code-interception",
        "code-replay",
        "refresh-token-theft",
        "public-client-refresh-theft",
    ] {
        // Under fapi2 the honest sign-in gets far enough for the attack to be tried:
        // it is blocked, not a failed flow.
        let r = Attempt::run(id, "fapi2".into(), fapi2.clone());
        assert!(
            matches!(r.inner.verdict, oauth_lab::attacks::Verdict::Blocked { .. }),
            "{id}: {}",
            r.inner.verdict.banner()
        );
        // Pushing the request protects the request, not the response or the tokens:
        // with nothing else on, each attack still succeeds.
        let r = Attempt::run(id, "naive + par-required".into(), par_only.clone());
        assert!(
            r.inner.verdict.succeeded(),
            "{id}: {}",
            r.inner.verdict.banner()
        );
        assert!(!requests_from_app(&r.inner.sim, "/par").is_empty(), "{id}");
    }
}

#[test]
fn a_pushed_plain_challenge_is_out_of_the_readers_sight_so_pkce_plain_observed_is_blocked() {
    let mut d = Defenses::naive();
    d.set_on(DefenseId::Pkce, true);
    d.set_on(DefenseId::ParRequired, true);
    let r = Attempt::run(
        "pkce-plain-observed",
        "naive + pkce + par-required".into(),
        d,
    );
    // The plain challenge travels in the push, not in the URL the malicious app reads.
    let push = requests_from_app(&r.inner.sim, "/par")[0];
    assert_eq!(form(push, "code_challenge_method"), Some("plain"));
    let authorize = r
        .steps()
        .iter()
        .find(|s| s.kind == StepKind::Request && url(s).contains("/authorize"))
        .expect("the browser's authorization request");
    assert_eq!(
        authorize.decoded.query.len(),
        2,
        "client_id and request_uri only"
    );
    let refused = r.blocked_at(wk::AS);
    assert_eq!(
        form(refused, "code_verifier"),
        None,
        "it had nothing to send"
    );
}
