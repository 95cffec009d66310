//! The mechanism of the attacks issue 14 adds on the PAR / private_key_jwt / framing
//! side, and of PAR as a stopper, read off the trace like `attack_mechanisms.rs`:
//! which message carried what, who refused it, and what never happened afterwards.

use oauth_lab::actors::auth_server::par::REQUEST_URI_PREFIX;
use oauth_lab::actors::well_known as wk;
use oauth_lab::actors::{DefenseId, Defenses};
use oauth_lab::attacks::catalog::mix_up::EVIL_AS;
use oauth_lab::attacks::setup::{ATTACKER, ATTACKER_BROWSER, ATTACKER_CLIENT_ID, ATTACKER_ORIGIN};
use oauth_lab::protocol::secret::Secret;
use oauth_lab::sim::StepKind;
use oauth_lab::testing::step::*;
use oauth_lab::testing::{Attempt, bcp_without};

fn token_url() -> String {
    format!("{}/token", wk::AS_ISSUER)
}

fn authorize_url() -> String {
    format!("{}/authorize", wk::AS_ISSUER)
}

#[test]
fn audience_injection_mechanism() {
    const ID: &str = "audience-injection";
    {
        let r = Attempt::naive(ID);
        r.succeeded();
        // The client pushes to the attacker's PAR endpoint with an assertion whose aud is
        // the token endpoint the attacker's metadata named: the honest AS's.
        let push = r.request(
            wk::CLIENT,
            EVIL_AS,
            "POST",
            "https://as.attacker.example/par",
        );
        assert_eq!(
            form(push, "client_assertion_type"),
            Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
        );
        let assertion = jwt(push, "client_assertion");
        assert_eq!(claim(assertion, "aud"), token_url());
        assert_eq!(claim(assertion, "iss"), wk::CLIENT_ID);
        assert_eq!(claim(assertion, "sub"), wk::CLIENT_ID);
        assert_eq!(assertion.header["alg"], "EdDSA");
        assert_eq!(assertion.header["typ"], "JWT", "not explicitly typed");
        // The attacker's AS sends the very same assertion to as.example.
        let replay = r.request(EVIL_AS, wk::AS, "POST", &token_url());
        assert_eq!(form(replay, "grant_type"), Some("client_credentials"));
        assert_eq!(
            form(replay, "client_assertion"),
            form(push, "client_assertion")
        );
        let answer = r.response(replay);
        assert_eq!(status(answer), 200);
        let token = jwt(answer, "access_token");
        assert_eq!(claim(token, "client_id"), wk::CLIENT_ID);
        assert_eq!(claim(token, "sub"), wk::CLIENT_ID);
        let loot = &r.attacker(EVIL_AS).loot().tokens;
        assert!(
            loot.iter()
                .any(|t| json_str(answer, "access_token").as_deref()
                    == Some(t.access_token.expose()))
        );
    }
    {
        // strict-assertion-audience: the client addresses the assertion to the AS it
        // talks to, typed; as.example refuses it as not its own.
        let r = Attempt::bcp(ID);
        let push = r.request(
            wk::CLIENT,
            EVIL_AS,
            "POST",
            "https://as.attacker.example/par",
        );
        let assertion = jwt(push, "client_assertion");
        assert_eq!(claim(assertion, "aud"), "https://as.attacker.example");
        assert_eq!(assertion.header["typ"], "client-authentication+jwt");
        let replay = r.blocked_at(wk::AS);
        assert_eq!(url(replay), token_url());
        let answer = r.response(replay);
        assert_eq!(
            (status(answer), error(answer).as_deref()),
            (401, Some("invalid_client"))
        );
        assert!(
            json_str(answer, "error_description").is_some_and(|d| d.contains("as a single string")),
            "{:?}",
            json_str(answer, "error_description")
        );
        assert!(r.attacker(EVIL_AS).loot().tokens.is_empty());
    }
}

/// The request for the frame the prize page holds: the AS's authorization endpoint
/// for Photo Frame, sent with Alice's AS session cookie.
fn framed(r: &Attempt) -> &oauth_lab::sim::Step {
    let prize = r.request(
        wk::BROWSER,
        ATTACKER,
        "GET",
        &format!("{ATTACKER_ORIGIN}/prize"),
    );
    let frame = r
        .after(prize.index, |s| {
            s.kind == StepKind::Request
                && s.from.as_str() == wk::BROWSER
                && url(s).starts_with(&authorize_url())
        })
        .first()
        .copied()
        .expect("the prize page frames the AS");
    assert_eq!(query(frame, "client_id"), Some(ATTACKER_CLIENT_ID));
    assert!(header(frame, "cookie").is_some_and(|c| c.contains("as_session")));
    frame
}

#[test]
fn consent_clickjacking_mechanism() {
    const ID: &str = "consent-clickjacking";
    {
        let r = Attempt::naive(ID);
        r.succeeded();
        let frame = framed(&r);
        let page = r.response(frame);
        assert_eq!(status(page), 200);
        assert_eq!(header(page, "content-security-policy"), None);
        assert_eq!(header(page, "x-frame-options"), None);
        // The click on the decoy lands on the consent form: an approval Alice never saw.
        let consent = r
            .after(frame.index, |s| {
                s.kind == StepKind::Request
                    && s.from.as_str() == wk::BROWSER
                    && url(s).starts_with(&format!("{}/consent", wk::AS_ISSUER))
            })
            .first()
            .copied()
            .expect("the click posts the consent form");
        assert_eq!(form(consent, "decision"), Some("approve"));
        let code = r
            .after(consent.index, |s| {
                s.to.as_str() == ATTACKER && query(s, "code").is_some()
            })
            .first()
            .and_then(|s| query(s, "code"))
            .expect("the code reaches Photo Frame")
            .to_string();
        let issued = r.issued(&code);
        assert_eq!(
            (issued.user.as_str(), issued.request.client_id.as_str()),
            (wk::ALICE, ATTACKER_CLIENT_ID)
        );
        let browser = r
            .inner
            .sim
            .actor::<oauth_lab::actors::browser::Browser>(wk::BROWSER)
            .unwrap();
        assert!(
            browser
                .frames()
                .iter()
                .any(|f| f.shown && f.top_origin == ATTACKER_ORIGIN)
        );
    }
    {
        let r = Attempt::bcp(ID);
        r.blocked_without_step();
        let frame = framed(&r);
        let page = r.response(frame);
        assert_eq!(
            header(page, "content-security-policy"),
            Some("frame-ancestors 'none'")
        );
        assert_eq!(header(page, "x-frame-options"), Some("DENY"));
        let browser = r
            .inner
            .sim
            .actor::<oauth_lab::actors::browser::Browser>(wk::BROWSER)
            .unwrap();
        let refused = browser
            .frames()
            .iter()
            .find(|f| !f.shown)
            .expect("the frame is refused");
        assert!(
            refused.why.contains("frame-ancestors 'none'"),
            "{}",
            refused.why
        );
        assert!(
            r.after(frame.index, |s| s.kind == StepKind::Request
                && url(s).starts_with(&format!("{}/consent", wk::AS_ISSUER)))
                .is_empty(),
            "nothing is clicked"
        );
        assert!(
            r.auth_server()
                .codes()
                .iter()
                .all(|c| c.request.client_id != ATTACKER_CLIENT_ID)
        );
    }
}

/// `par-required` on top of a world where the attack otherwise succeeds.
fn with_par(base: Defenses) -> Defenses {
    let mut d = base;
    d.set_on(DefenseId::ParRequired, true);
    d
}

#[test]
fn par_required_stops_an_edited_redirect_uri() {
    const ID: &str = "redirect-uri-lax";
    let r = Attempt::run(
        ID,
        "naive with par-required".into(),
        with_par(Defenses::naive()),
    );
    // The client pushed Mallory's request; what she can edit is a URL that names it.
    let push = r.request(
        wk::CLIENT,
        wk::AS,
        "POST",
        &format!("{}/par", wk::AS_ISSUER),
    );
    assert_eq!(form(push, "redirect_uri"), Some(wk::CLIENT_REDIRECT_URI));
    let authz = r.request(wk::BROWSER, wk::AS, "GET", &authorize_url());
    assert!(query(authz, "request_uri").is_some_and(|u| u.starts_with(REQUEST_URI_PREFIX)));
    // The AS answers with the pushed redirect URI: the code goes to /cb, not to the
    // client's home page where the attacker's ad would read it.
    let landing = r
        .steps()
        .iter()
        .find(|s| {
            s.kind == StepKind::Request && s.to.as_str() == wk::CLIENT && query(s, "code").is_some()
        })
        .expect("the code reaches the client");
    assert!(
        url(landing).starts_with(wk::CLIENT_REDIRECT_URI),
        "{}",
        url(landing)
    );
    assert!(
        r.requests(ATTACKER_BROWSER, wk::CLIENT, "GET", wk::CLIENT_REDIRECT_URI)
            .is_empty()
    );
    r.blocked_without_step();
    // Without PAR, the same lax world loses.
    Attempt::run(
        ID,
        "bcp without its stoppers".into(),
        bcp_without(&[
            DefenseId::RedirectMatching,
            DefenseId::TokenRedirectUriCheck,
        ]),
    )
    .succeeded();
}

#[test]
fn par_required_stops_an_authorization_url_the_attacker_wrote() {
    const ID: &str = "open-redirect-on-error";
    let r = Attempt::run(
        ID,
        "naive with par-required".into(),
        with_par(Defenses::naive()),
    );
    let authz = r.blocked_at(wk::AS);
    assert_eq!(query(authz, "request_uri"), None);
    let answer = r.response(authz);
    assert_eq!(status(answer), 400);
    assert_eq!(header(answer, "location"), None, "no redirect anywhere");
    assert!(r.attacker(ATTACKER).loot().passwords.is_empty());
    Attempt::naive(ID).succeeded();
}
