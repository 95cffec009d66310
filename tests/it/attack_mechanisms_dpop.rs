//! Mechanism tests of the attacks DPoP answers (RFC 9449): what the attacker read, what
//! it sent, and which check of which honest party refused it — shown step by step, under
//! the defenses that let it through and under those that stop it.

use oauth_lab::actors::DefenseId;
use oauth_lab::actors::well_known as wk;
use oauth_lab::protocol::dpop::open_proof;
use oauth_lab::testing::Attempt;
use oauth_lab::testing::step::*;

const LOG_READER: &str = "log-reader";
const THIEF: &str = "thief";

fn photos_url() -> String {
    format!("{}/photos", wk::RS_ORIGIN)
}

fn token_url() -> String {
    format!("{}/token", wk::AS_ISSUER)
}

/// The `error` of a DPoP challenge (`WWW-Authenticate: DPoP …`, RFC 9449 §7.1).
fn dpop_challenge_error(s: &oauth_lab::sim::Step) -> String {
    let c = header(s, "www-authenticate").unwrap_or("");
    assert!(c.starts_with("DPoP "), "a DPoP challenge: {c}");
    error(s).unwrap_or_default()
}

#[test]
fn access_token_replay_mechanism() {
    const ID: &str = "access-token-replay";
    // Bearer tokens (today's bcp without DPoP): the leaked token works for anyone.
    let r = Attempt::bcp_without(ID, &[DefenseId::Dpop, DefenseId::DpopProofReplayCheck]);
    r.succeeded();
    let logged = &r.observed(wk::CLIENT, LOG_READER, &photos_url())[0];
    let token = header(logged, "authorization")
        .unwrap()
        .strip_prefix("Bearer ")
        .unwrap()
        .to_string();
    let replay = r.request(LOG_READER, wk::RS, "GET", &photos_url());
    assert_eq!(
        header(replay, "authorization"),
        Some(format!("Bearer {token}").as_str())
    );
    // Audience, expiry and introspection all pass: nothing ties the token to its holder.
    assert_eq!(status(r.response(replay)), 200);
    assert_eq!(
        json_str(r.response(replay), "owner").as_deref(),
        Some(wk::ALICE)
    );
    assert!(
        r.requests(
            wk::RS,
            wk::AS,
            "POST",
            &format!("{}/introspect", wk::AS_ISSUER)
        )
        .len()
            >= 2
    );

    // DPoP: the logged token is bound to Photo Printer's key; the attacker's own proof
    // does not match it.
    let r = Attempt::bcp(ID);
    let logged = &r.observed(wk::CLIENT, LOG_READER, &photos_url())[0];
    let client_key = open_proof(header(logged, "dpop").unwrap()).unwrap().jkt;
    let replay = r.request(LOG_READER, wk::RS, "GET", &photos_url());
    let own = open_proof(header(replay, "dpop").expect("the attacker signs a proof")).unwrap();
    assert_ne!(own.jkt, client_key);
    assert_eq!(
        header(replay, "authorization"),
        header(logged, "authorization"),
        "the very same token"
    );
    let answer = r.response(replay);
    assert_eq!(status(answer), 401);
    assert_eq!(dpop_challenge_error(answer), "invalid_dpop_proof");
    assert!(answer.wire.contains(&client_key), "{}", answer.wire);
    assert_eq!(r.blocked_at(wk::RS).index, replay.index);
}

#[test]
fn dpop_proof_replay_mechanism() {
    const ID: &str = "dpop-proof-replay";
    // DPoP without the replay check: the same proof, byte for byte, passes again.
    let r = Attempt::bcp_without(ID, &[DefenseId::DpopProofReplayCheck]);
    r.succeeded();
    let logged = &r.observed(wk::CLIENT, LOG_READER, &photos_url())[0];
    let again = r.request(LOG_READER, wk::RS, "GET", &photos_url());
    assert_eq!(
        header(again, "dpop"),
        header(logged, "dpop"),
        "the same proof"
    );
    assert_eq!(
        header(again, "authorization"),
        header(logged, "authorization")
    );
    assert_eq!(status(r.response(again)), 200);
    // At another URL the proof fails on its own terms: htu names /photos.
    let elsewhere = r.request(LOG_READER, wk::RS, "GET", &format!("{}/a3", photos_url()));
    let answer = r.response(elsewhere);
    assert_eq!(dpop_challenge_error(answer), "invalid_dpop_proof");
    assert!(answer.wire.contains("htu"), "{}", answer.wire);

    // With the check: the RS remembers the proof's jti.
    let r = Attempt::bcp(ID);
    let again = r.request(LOG_READER, wk::RS, "GET", &photos_url());
    let answer = r.response(again);
    assert_eq!(dpop_challenge_error(answer), "invalid_dpop_proof");
    assert!(answer.wire.contains("already used"), "{}", answer.wire);
    assert_eq!(r.blocked_at(wk::RS).index, again.index);

    // Without DPoP at all the log holds a bearer token: the replay works, and so does
    // the other URL — nothing in a bearer token says where it may be used.
    let r = Attempt::naive(ID);
    r.succeeded();
    let elsewhere = r.request(LOG_READER, wk::RS, "GET", &format!("{}/a3", photos_url()));
    assert_eq!(status(r.response(elsewhere)), 200);
}

#[test]
fn public_client_refresh_theft_mechanism() {
    const ID: &str = "public-client-refresh-theft";
    // Rotation alone loses the race: the thief refreshes and calls the API first.
    let r = Attempt::bcp_without(ID, &[DefenseId::Dpop]);
    r.succeeded();
    let theft = r.request(THIEF, wk::AS, "POST", &token_url());
    assert_eq!(form(theft, "grant_type"), Some("refresh_token"));
    assert_eq!(status(r.response(theft)), 200);
    let call = r.request(THIEF, wk::RS, "GET", &photos_url());
    assert_eq!(status(r.response(call)), 200);
    // The app's refresh comes later: rotation detects the reuse and revokes the grant —
    // after the photos were served.
    let app = r.nth_request(1, wk::NATIVE_APP, wk::AS, "POST", &token_url());
    assert!(app.index > call.index);
    assert_eq!(error(r.response(app)).as_deref(), Some("invalid_grant"));

    // DPoP: the app's refresh token is bound to its key; the thief's proof is not by it.
    let r = Attempt::bcp(ID);
    let app_jkt = open_proof(
        header(
            r.request(wk::NATIVE_APP, wk::AS, "POST", &token_url()),
            "dpop",
        )
        .unwrap(),
    )
    .unwrap()
    .jkt;
    let theft = r.request(THIEF, wk::AS, "POST", &token_url());
    assert_ne!(
        open_proof(header(theft, "dpop").unwrap()).unwrap().jkt,
        app_jkt
    );
    let answer = r.response(theft);
    assert_eq!(
        (status(answer), error(answer).as_deref()),
        (400, Some("invalid_dpop_proof"))
    );
    assert!(answer.wire.contains(&app_jkt), "{}", answer.wire);
    assert_eq!(r.blocked_at(wk::AS).index, theft.index);
    assert!(
        r.requests(THIEF, wk::RS, "GET", &photos_url()).is_empty(),
        "no tokens, no call"
    );
    // The app's own refresh, with its key, still works.
    let app = r.nth_request(1, wk::NATIVE_APP, wk::AS, "POST", &token_url());
    assert_eq!(status(r.response(app)), 200);
}
