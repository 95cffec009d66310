//! The mechanism of every attack, read off the trace (issue 3, "What must show it").
//!
//! `attack_matrix.rs` checks *whether* each attack succeeds or is blocked; these tests
//! check *how*: which message carried the stolen value, which actor refused which
//! request with which error, and what never happened afterwards. Each test runs its
//! attack under `Defenses::naive()` (it succeeds), `Defenses::bcp()` (it is blocked),
//! and — where one defense is the decisive stopper — `bcp` with just that defense off.
//! Every run also checks that the verdict's step is the refused request and that every
//! message the attacker sent or read is marked `Origin::Attacker`.

use oauth_lab::actors::DefenseId;
use oauth_lab::actors::Origin;
use oauth_lab::actors::well_known as wk;
use oauth_lab::attacks::setup::{ATTACKER, ATTACKER_BROWSER, ATTACKER_CLIENT_ID, ATTACKER_ORIGIN};
use oauth_lab::attacks::{catalog, find};
use oauth_lab::protocol::pkce::ChallengeMethod;
use oauth_lab::protocol::secret::Secret;
use oauth_lab::sim::{Step, StepKind};
use oauth_lab::testing::Attempt;
use oauth_lab::testing::step::*;

// ---------------------------------------------------------------------------------
// URLs
// ---------------------------------------------------------------------------------

fn token_url() -> String {
    format!("{}/token", wk::AS_ISSUER)
}

fn authorize_url() -> String {
    format!("{}/authorize", wk::AS_ISSUER)
}

fn introspect_url() -> String {
    format!("{}/introspect", wk::AS_ISSUER)
}

fn photos_url() -> String {
    format!("{}/photos", wk::RS_ORIGIN)
}

fn attacker_url(path: &str) -> String {
    format!("{ATTACKER_ORIGIN}{path}")
}

fn client_url(path: &str) -> String {
    format!("{}{path}", wk::CLIENT_ORIGIN)
}

// ---------------------------------------------------------------------------------
// 1. code-interception
// ---------------------------------------------------------------------------------

#[test]
fn code_interception_mechanism() {
    const ID: &str = "code-interception";
    const EVIL: &str = "evil-app";
    {
        let r = Attempt::naive(ID);
        r.succeeded();
        // The OS hands the redirect meant for photos-app to the malicious app.
        let delivered = r.request(wk::BROWSER, EVIL, "GET", wk::NATIVE_REDIRECT_URI);
        assert_eq!(
            delivered.origin,
            Origin::Attacker,
            "a rerouted message counts as the attacker's"
        );
        assert!(
            r.requests_any(wk::BROWSER, wk::NATIVE_APP, "").is_empty(),
            "the real app never sees the redirect"
        );
        let code = query(delivered, "code").expect("the redirect carries a code");
        let issued = r.issued(code);
        assert_eq!(
            (issued.user.as_str(), issued.request.client_id.as_str()),
            (wk::ALICE, wk::NATIVE_CLIENT_ID)
        );
        assert!(
            issued.request.pkce.is_none(),
            "under naive the code is bound to no challenge"
        );
        // It redeems it as the public client, with no code_verifier, and gets tokens.
        let tok = r.request(EVIL, wk::AS, "POST", &token_url());
        assert_eq!(form(tok, "code"), Some(code));
        assert_eq!(form(tok, "client_id"), Some(wk::NATIVE_CLIENT_ID));
        assert_eq!(form(tok, "code_verifier"), None);
        let answer = r.response(tok);
        assert_eq!(status(answer), 200);
        assert_eq!(claim(jwt(answer, "access_token"), "sub"), wk::ALICE);
        // The RS hands over Alice's photos.
        let api = r.request(EVIL, wk::RS, "GET", &photos_url());
        assert_eq!(status(r.response(api)), 200);
        assert_eq!(
            json_str(r.response(api), "owner").as_deref(),
            Some(wk::ALICE)
        );
    }
    {
        let r = Attempt::bcp(ID);
        let tok = r.request(EVIL, wk::AS, "POST", &token_url());
        assert_eq!(
            form(tok, "code_verifier"),
            None,
            "the malicious app cannot know the verifier"
        );
        let issued = r.issued(form(tok, "code").unwrap());
        assert_eq!(
            issued.request.pkce.as_ref().map(|p| p.method),
            Some(ChallengeMethod::S256)
        );
        r.blocked_by_error(tok, wk::AS, 400, "invalid_grant");
        assert!(
            r.requests_any(EVIL, wk::RS, "").is_empty(),
            "no token, no API call"
        );
    }
    {
        // With the app sending no challenge, pkce-required alone stops it — earlier,
        // at the authorization endpoint: no code is ever issued, so Alice's own sign-in
        // fails before the attacker can do anything.
        let r = Attempt::bcp_without(ID, &[DefenseId::Pkce]);
        let authz = r.request(wk::BROWSER, wk::AS, "GET", &authorize_url());
        assert_eq!(query(authz, "code_challenge"), None);
        let answer = r.response(authz);
        assert_eq!(location_param(answer, "error"), Some("invalid_request"));
        assert!(r.auth_server().codes().is_empty());
        assert!(r.requests(EVIL, wk::AS, "POST", &token_url()).is_empty());
        assert_eq!(r.flow_failed_at(wk::AS).index, authz.index);
    }
}

// ---------------------------------------------------------------------------------
// 2. csrf-login
// ---------------------------------------------------------------------------------

/// The code the AS issued for Mallory (through her own browser).
fn mallorys_code(r: &Attempt) -> String {
    let c = r
        .auth_server()
        .codes()
        .iter()
        .find(|c| c.user == wk::MALLORY)
        .unwrap_or_else(|| panic!("the AS issued no code for mallory\n{}", r.outline()));
    c.code.expose().to_string()
}

/// The client's redemption of a code injected at step `after`: the AS refuses it with
/// `invalid_grant` (RFC 6749 §5.2), and that refusal is where the attack is blocked.
fn injected_code_refused(r: &Attempt, after: usize) -> &Step {
    let tok = r.after(after, |s| {
        s.from.as_str() == wk::CLIENT && url(s) == token_url()
    });
    let tok = *tok.first().expect("the client redeems the injected code");
    r.blocked_by_error(tok, wk::AS, 400, "invalid_grant");
    tok
}

/// The callback Alice's browser delivers to the client.
fn alices_callback(r: &Attempt) -> &Step {
    r.requests(wk::BROWSER, wk::CLIENT, "GET", wk::CLIENT_REDIRECT_URI)
        .into_iter()
        .chain(r.requests(wk::BROWSER, wk::CLIENT, "POST", wk::CLIENT_REDIRECT_URI))
        .min_by_key(|s| s.index)
        .unwrap_or_else(|| panic!("Alice's browser delivered no callback\n{}", r.outline()))
}

#[test]
fn csrf_login_mechanism() {
    const ID: &str = "csrf-login";
    {
        let r = Attempt::naive(ID);
        r.succeeded();
        let code = mallorys_code(&r);
        // Mallory's own browser never delivers its callback: the attacker captured it.
        assert!(
            r.requests_any(ATTACKER_BROWSER, wk::CLIENT, wk::CLIENT_REDIRECT_URI)
                .is_empty()
        );
        // Alice's browser, sent by the attacker's page, delivers Mallory's code.
        let cb = alices_callback(&r);
        assert_eq!(query(cb, "code"), Some(code.as_str()));
        // The client redeems it in Alice's session and gets Mallory's identity.
        let tok = r.after(cb.index, |s| {
            s.from.as_str() == wk::CLIENT && url(s) == token_url()
        });
        let tok = tok.first().expect("the client redeems the planted code");
        assert_eq!(form(tok, "code"), Some(code.as_str()));
        let answer = r.response(tok);
        assert_eq!(status(answer), 200);
        assert_eq!(claim(jwt(answer, "id_token"), "sub"), wk::MALLORY);
    }
    {
        let r = Attempt::bcp(ID);
        let code = mallorys_code(&r);
        let cb = alices_callback(&r);
        assert_eq!(
            query(cb, "code"),
            Some(code.as_str()),
            "the planted callback still carries Mallory's code"
        );
        assert_eq!(status(r.response(cb)), 400);
        // The client refuses on the front channel: no back-channel call after it.
        assert!(
            r.after(cb.index, |s| s.from.as_str() == wk::CLIENT
                && s.to.as_str() == wk::AS)
                .is_empty(),
            "the client called the AS after refusing the callback\n{}",
            r.outline()
        );
        assert_eq!(r.blocked_at(wk::CLIENT).index, cb.index);
        assert!(!r.auth_server().code_redeemed(&code));
    }
    {
        // Without state, PKCE stops it at the AS: Alice's session holds no verifier
        // for the challenge Mallory's code is bound to.
        let r = Attempt::bcp_without(ID, &[DefenseId::State]);
        let code = mallorys_code(&r);
        assert!(r.issued(&code).request.pkce.is_some());
        let cb = alices_callback(&r);
        assert_eq!(query(cb, "code"), Some(code.as_str()));
        let tok = r.request(wk::CLIENT, wk::AS, "POST", &token_url());
        assert!(tok.index > cb.index);
        assert_eq!(form(tok, "code"), Some(code.as_str()));
        assert_eq!(
            form(tok, "code_verifier"),
            None,
            "Alice's session has no sign-in, so no verifier"
        );
        let answer = r.response(tok);
        assert_eq!(
            (status(answer), error(answer).as_deref()),
            (400, Some("invalid_grant"))
        );
    }
}

// ---------------------------------------------------------------------------------
// 3. redirect-uri-lax
// ---------------------------------------------------------------------------------

#[test]
fn redirect_uri_lax_mechanism() {
    const ID: &str = "redirect-uri-lax";
    const TRAVERSAL: &str = "https://client.example/cb/../";
    {
        let r = Attempt::naive(ID);
        r.succeeded();
        // The attacker's page sends Alice to /authorize with a path-traversal redirect_uri.
        let authz = r.request(wk::BROWSER, wk::AS, "GET", &authorize_url());
        assert_eq!(query(authz, "redirect_uri"), Some(TRAVERSAL));
        // The lax AS accepts it and the code lands on the client's home page, not /cb.
        let landing = r
            .steps()
            .iter()
            .find(|s| {
                s.kind == StepKind::Request
                    && s.from.as_str() == wk::BROWSER
                    && s.to.as_str() == wk::CLIENT
                    && query(s, "code").is_some()
            })
            .expect("the code reaches the client");
        assert!(
            !url(landing).starts_with(wk::CLIENT_REDIRECT_URI),
            "the code went to {}, not the callback",
            url(landing)
        );
        let code = query(landing, "code").unwrap().to_string();
        assert_eq!(r.issued(&code).user, wk::ALICE);
        // That page loads an image from the attacker: the Referer carries the code.
        let leak = r.request(wk::BROWSER, ATTACKER, "GET", &attacker_url("/"));
        let leak = r.after(leak.index, |s| {
            s.from.as_str() == wk::BROWSER
                && s.to.as_str() == ATTACKER
                && s.kind == StepKind::Request
        });
        let leak = leak
            .first()
            .expect("the home page loads an attacker resource");
        assert!(
            header(leak, "referer").is_some_and(|v| v.contains(&code)),
            "Referer leaks the code: {:?}",
            header(leak, "referer")
        );
        // The attacker injects it into its own session; the client redeems it for Alice.
        let inject = r.request(ATTACKER_BROWSER, wk::CLIENT, "GET", wk::CLIENT_REDIRECT_URI);
        assert_eq!(query(inject, "code"), Some(code.as_str()));
        let tok = r.after(inject.index, |s| {
            s.from.as_str() == wk::CLIENT && url(s) == token_url()
        });
        let answer = r.response(tok.first().expect("the client redeems the injected code"));
        assert_eq!(status(answer), 200);
        assert_eq!(claim(jwt(answer, "access_token"), "sub"), wk::ALICE);
    }
    {
        let r = Attempt::bcp(ID);
        let authz = r.request(wk::BROWSER, wk::AS, "GET", &authorize_url());
        assert_eq!(query(authz, "redirect_uri"), Some(TRAVERSAL));
        let answer = r.response(authz);
        assert_eq!(status(answer), 400, "an error page, not a redirect");
        assert_eq!(header(answer, "location"), None);
        assert!(r.auth_server().codes().is_empty());
        assert_eq!(r.blocked_at(wk::AS).index, authz.index);
    }
    {
        // Host-only matching lets the code out; the token endpoint's redirect_uri
        // check then refuses the attacker's injection.
        let r = Attempt::bcp_without(ID, &[DefenseId::RedirectMatching]);
        let inject = r.request(ATTACKER_BROWSER, wk::CLIENT, "GET", wk::CLIENT_REDIRECT_URI);
        let code = query(inject, "code").expect("the code leaked");
        assert_eq!(
            r.issued(code).request.redirect.sent.as_deref(),
            Some(TRAVERSAL)
        );
        let tok = injected_code_refused(&r, inject.index);
        assert_eq!(form(tok, "redirect_uri"), Some(wk::CLIENT_REDIRECT_URI));
    }
}

// ---------------------------------------------------------------------------------
// 4. open-redirect-on-error
// ---------------------------------------------------------------------------------

#[test]
fn open_redirect_on_error_mechanism() {
    const ID: &str = "open-redirect-on-error";
    {
        let r = Attempt::naive(ID);
        r.succeeded();
        let authz = r.request(wk::BROWSER, wk::AS, "GET", &authorize_url());
        // The lure is the attacker's own recorded act, an e-mailed as.example link,
        // and Alice's first request goes to as.example, not to the attacker.
        let lure = r
            .steps()
            .iter()
            .find(|s| s.kind == StepKind::Event && s.from.as_str() == ATTACKER)
            .expect("the attacker's e-mail is a step");
        assert_eq!(lure.origin, Origin::Attacker);
        assert!(lure.index < authz.index);
        assert!(
            r.steps()[..authz.index]
                .iter()
                .all(|s| !(s.from.as_str() == wk::BROWSER && s.to.as_str() == ATTACKER))
        );
        let evil_uri = query(authz, "redirect_uri")
            .expect("a redirect_uri")
            .to_string();
        assert!(
            evil_uri.starts_with(ATTACKER_ORIGIN),
            "an unregistered redirect URI: {evil_uri}"
        );
        // The AS redirects the error to that unvalidated URI.
        let answer = r.response(authz);
        assert!(matches!(status(answer), 302 | 303 | 307));
        assert!(header(answer, "location").is_some_and(|l| l.starts_with(&evil_uri)));
        assert!(location_param(answer, "error").is_some());
        // Alice lands on the look-alike page and posts her password to the attacker.
        let post = r.request(wk::BROWSER, ATTACKER, "POST", ATTACKER_ORIGIN);
        assert_eq!(form(post, "username"), Some(wk::ALICE));
        assert_eq!(form(post, "password"), Some(wk::ALICE_PASSWORD));
        assert!(
            r.attacker(ATTACKER)
                .loot()
                .passwords
                .iter()
                .any(|(u, _)| u == wk::ALICE)
        );
    }
    {
        let r = Attempt::bcp(ID);
        let authz = r.request(wk::BROWSER, wk::AS, "GET", &authorize_url());
        let answer = r.response(authz);
        assert_eq!(status(answer), 400, "an error page at the AS");
        assert_eq!(
            header(answer, "location"),
            None,
            "never a redirect to an unvalidated URI"
        );
        assert!(
            r.after(authz.index, |s| s.from.as_str() == wk::BROWSER
                && s.to.as_str() == ATTACKER)
                .is_empty()
        );
        assert!(r.attacker(ATTACKER).loot().passwords.is_empty());
        assert_eq!(r.blocked_at(wk::AS).index, authz.index);
    }
}

// ---------------------------------------------------------------------------------
// 5. code-injection
// ---------------------------------------------------------------------------------

/// The authorization response the A3 reader copied to the attacker, and its code.
fn observed_code(r: &Attempt, reader: &str) -> (usize, String) {
    let seen = r
        .steps()
        .iter()
        .find(|s| {
            s.kind == StepKind::Observed
                && s.to.as_str() == reader
                && location_param(s, "code").is_some()
        })
        .unwrap_or_else(|| {
            panic!(
                "{reader} never read an authorization response\n{}",
                r.outline()
            )
        });
    (
        seen.index,
        location_param(seen, "code").unwrap().to_string(),
    )
}

#[test]
fn code_injection_mechanism() {
    const ID: &str = "code-injection";
    {
        let r = Attempt::naive(ID);
        r.succeeded();
        let (seen, code) = observed_code(&r, ATTACKER);
        assert_eq!(r.issued(&code).user, wk::ALICE);
        let inject = r.request(ATTACKER_BROWSER, wk::CLIENT, "GET", wk::CLIENT_REDIRECT_URI);
        assert!(inject.index > seen);
        assert_eq!(query(inject, "code"), Some(code.as_str()));
        // The first redemption of Alice's code is the one for the attacker's session.
        let tok = r.request(wk::CLIENT, wk::AS, "POST", &token_url());
        assert!(tok.index > inject.index);
        assert_eq!(form(tok, "code"), Some(code.as_str()));
        let answer = r.response(tok);
        assert_eq!(status(answer), 200);
        assert_eq!(claim(jwt(answer, "id_token"), "sub"), wk::ALICE);
        let page = r.after(tok.index, |s| {
            s.from.as_str() == wk::CLIENT && s.to.as_str() == ATTACKER_BROWSER
        });
        assert!(
            page.first().is_some_and(|p| status(p) == 200),
            "the attacker's browser is shown the photos"
        );
    }
    {
        let r = Attempt::bcp(ID);
        let (_, code) = observed_code(&r, ATTACKER);
        let inject = r.request(ATTACKER_BROWSER, wk::CLIENT, "GET", wk::CLIENT_REDIRECT_URI);
        assert_eq!(query(inject, "code"), Some(code.as_str()));
        // The client sends the verifier of the attacker's session; it does not match
        // the challenge Alice's session sent.
        let tok = r.nth_request(0, wk::CLIENT, wk::AS, "POST", &token_url());
        assert_eq!(form(tok, "code"), Some(code.as_str()));
        assert!(form(tok, "code_verifier").is_some());
        r.blocked_by_error(tok, wk::AS, 400, "invalid_grant");
        // Alice's own redemption of the same code, with her verifier, still works.
        let alices = r.nth_request(1, wk::CLIENT, wk::AS, "POST", &token_url());
        assert_eq!(form(alices, "code"), Some(code.as_str()));
        assert_ne!(form(alices, "code_verifier"), form(tok, "code_verifier"));
        assert_eq!(status(r.response(alices)), 200);
    }
    {
        // Without PKCE the AS redeems the code for the attacker's session; the nonce
        // stops it at the client: the ID token answers Alice's request, not the
        // attacker's. (The verdict's step is not asserted here: it currently points
        // at Alice's own later redemption, see the report on `blocking_step`.)
        let r = Attempt::bcp_without(ID, &[DefenseId::Pkce, DefenseId::PkceRequired]);
        let own = r
            .steps()
            .iter()
            .find(|s| {
                s.kind == StepKind::Observed
                    && s.from.as_str() == ATTACKER_BROWSER
                    && url(s).starts_with(&authorize_url())
            })
            .expect("the attacker captured its own sign-in");
        let own_nonce = query(own, "nonce").expect("the attacker's session sent a nonce");
        let alices_nonce = query(
            r.request(wk::BROWSER, wk::AS, "GET", &authorize_url()),
            "nonce",
        )
        .expect("Alice's nonce")
        .to_string();
        let inject = r.request(ATTACKER_BROWSER, wk::CLIENT, "GET", wk::CLIENT_REDIRECT_URI);
        let tok = r.nth_request(0, wk::CLIENT, wk::AS, "POST", &token_url());
        assert!(tok.index > inject.index);
        let answer = r.response(tok);
        assert_eq!(status(answer), 200, "the AS redeems the injected code");
        let id_token = jwt(answer, "id_token");
        assert_eq!(claim(id_token, "nonce"), alices_nonce);
        assert_ne!(claim(id_token, "nonce"), own_nonce);
        let page = r.response(inject);
        assert_eq!(status(page), 400, "the client refuses the ID token");
        assert!(page.wire.contains("invalid ID token"));
        assert!(
            r.after(tok.index, |s| s.from.as_str() == wk::CLIENT
                && s.to.as_str() == wk::RS)
                .is_empty()
        );
    }
}

// ---------------------------------------------------------------------------------
// 6. code-replay
// ---------------------------------------------------------------------------------

#[test]
fn code_replay_mechanism() {
    const ID: &str = "code-replay";
    const READER: &str = "log-reader";
    {
        let r = Attempt::naive(ID);
        r.succeeded();
        let (_, code) = observed_code(&r, READER);
        // The app redeems first; the log reader replays the same code afterwards.
        let app = r.request(wk::NATIVE_APP, wk::AS, "POST", &token_url());
        let replay = r.request(READER, wk::AS, "POST", &token_url());
        assert!(app.index < replay.index);
        assert_eq!(form(app, "code"), Some(code.as_str()));
        assert_eq!(form(replay, "code"), Some(code.as_str()));
        assert_eq!(form(replay, "code_verifier"), None);
        assert_eq!(status(r.response(app)), 200);
        assert_eq!(status(r.response(replay)), 200);
        assert_eq!(
            r.issued(&code).redemptions,
            2,
            "the AS redeemed the same code twice"
        );
        assert_eq!(
            status(r.response(r.request(READER, wk::RS, "GET", &photos_url()))),
            200
        );
    }
    {
        let r = Attempt::bcp(ID);
        let (_, code) = observed_code(&r, READER);
        let replay = r.request(READER, wk::AS, "POST", &token_url());
        assert_eq!(form(replay, "code"), Some(code.as_str()));
        let answer = r.response(replay);
        assert_eq!(
            (status(answer), error(answer).as_deref()),
            (400, Some("invalid_grant"))
        );
        assert!(json_str(answer, "error_description").is_some_and(|d| d.contains("already used")));
        assert_eq!(r.issued(&code).redemptions, 1);
        assert_eq!(r.blocked_at(wk::AS).index, replay.index);
    }
    {
        // With codes reusable, PKCE still stops the reader: it has no verifier.
        let r = Attempt::bcp_without(ID, &[DefenseId::OneTimeCodes]);
        let replay = r.request(READER, wk::AS, "POST", &token_url());
        assert_eq!(form(replay, "code_verifier"), None);
        let answer = r.response(replay);
        assert_eq!(
            (status(answer), error(answer).as_deref()),
            (400, Some("invalid_grant"))
        );
        assert!(json_str(answer, "error_description").is_some_and(|d| d.contains("code_verifier")));
    }
}

// ---------------------------------------------------------------------------------
// 7. pkce-downgrade
// ---------------------------------------------------------------------------------

#[test]
fn pkce_downgrade_mechanism() {
    const ID: &str = "pkce-downgrade";
    {
        let r = Attempt::naive(ID);
        r.succeeded();
        // Alice's browser sends the attacker's authorization request: no challenge.
        let authz = r.request(wk::BROWSER, wk::AS, "GET", &authorize_url());
        assert_eq!(query(authz, "code_challenge"), None);
        let (_, code) = observed_code(&r, ATTACKER);
        assert!(r.issued(&code).request.pkce.is_none());
        let inject = r.request(ATTACKER_BROWSER, wk::CLIENT, "GET", wk::CLIENT_REDIRECT_URI);
        assert_eq!(query(inject, "code"), Some(code.as_str()));
        assert_eq!(
            status(r.response(r.request(wk::CLIENT, wk::AS, "POST", &token_url()))),
            200
        );
    }
    {
        // Both stoppers off: the downgrade itself — the client does use PKCE, the
        // attacker strips the challenge, and the AS ignores the verifier it receives.
        let r = Attempt::bcp_without(
            ID,
            &[
                DefenseId::PkceRequired,
                DefenseId::RejectVerifierWithoutChallenge,
            ],
        );
        r.succeeded();
        let captured = r
            .steps()
            .iter()
            .find(|s| {
                s.kind == StepKind::Observed
                    && s.from.as_str() == ATTACKER_BROWSER
                    && url(s).starts_with(&authorize_url())
            })
            .expect("the attacker captured its own authorization request");
        assert!(
            query(captured, "code_challenge").is_some(),
            "the client sent a challenge"
        );
        let authz = r.request(wk::BROWSER, wk::AS, "GET", &authorize_url());
        assert_eq!(
            query(authz, "state"),
            query(captured, "state"),
            "Alice's browser sends the attacker's request…"
        );
        assert_eq!(
            query(authz, "code_challenge"),
            None,
            "…with the challenge stripped"
        );
        let tok = r.request(wk::CLIENT, wk::AS, "POST", &token_url());
        assert!(form(tok, "code_verifier").is_some());
        assert!(r.issued(form(tok, "code").unwrap()).request.pkce.is_none());
        assert_eq!(status(r.response(tok)), 200, "the verifier is ignored");
    }
    {
        // reject-verifier-without-challenge alone: the AS refuses that verifier.
        let r = Attempt::bcp_without(ID, &[DefenseId::PkceRequired]);
        let tok = r.request(wk::CLIENT, wk::AS, "POST", &token_url());
        assert!(form(tok, "code_verifier").is_some());
        assert!(r.issued(form(tok, "code").unwrap()).request.pkce.is_none());
        r.blocked_by_error(tok, wk::AS, 400, "invalid_grant");
    }
    {
        // bcp: pkce-required refuses the stripped request at the authorization endpoint.
        let r = Attempt::bcp(ID);
        let authz = r.request(wk::BROWSER, wk::AS, "GET", &authorize_url());
        assert_eq!(query(authz, "code_challenge"), None);
        let answer = r.response(authz);
        assert_eq!(location_param(answer, "error"), Some("invalid_request"));
        assert_eq!(location_param(answer, "code"), None);
        assert!(r.auth_server().codes().is_empty());
        assert_eq!(r.blocked_at(wk::AS).index, authz.index);
    }
}

// ---------------------------------------------------------------------------------
// 8. pkce-plain-observed
// ---------------------------------------------------------------------------------

#[test]
fn pkce_plain_observed_mechanism() {
    const ID: &str = "pkce-plain-observed";
    const EVIL: &str = "evil-app";
    {
        let r = Attempt::naive(ID);
        r.succeeded();
        let tok = r.request(EVIL, wk::AS, "POST", &token_url());
        assert_eq!(status(r.response(tok)), 200);
    }
    {
        // With plain allowed: the challenge the reader saw is the verifier.
        let r = Attempt::bcp_without(ID, &[DefenseId::RejectPkcePlain]);
        r.succeeded();
        let seen = r
            .steps()
            .iter()
            .find(|s| {
                s.kind == StepKind::Observed
                    && s.to.as_str() == EVIL
                    && url(s).starts_with(&authorize_url())
            })
            .expect("the malicious app read the authorization request");
        assert_eq!(query(seen, "code_challenge_method"), Some("plain"));
        let challenge = query(seen, "code_challenge").expect("a challenge");
        let tok = r.request(EVIL, wk::AS, "POST", &token_url());
        assert_eq!(form(tok, "code_verifier"), Some(challenge));
        let issued = r.issued(form(tok, "code").unwrap());
        assert_eq!(
            issued.request.pkce.as_ref().map(|p| p.method),
            Some(ChallengeMethod::Plain)
        );
        assert_eq!(status(r.response(tok)), 200);
    }
    {
        let r = Attempt::bcp(ID);
        let authz = r.request(wk::BROWSER, wk::AS, "GET", &authorize_url());
        assert_eq!(query(authz, "code_challenge_method"), Some("plain"));
        let answer = r.response(authz);
        assert_eq!(location_param(answer, "error"), Some("invalid_request"));
        assert!(
            r.auth_server().codes().is_empty(),
            "no code is ever bound to a readable challenge"
        );
        assert!(r.requests(EVIL, wk::AS, "POST", &token_url()).is_empty());
        assert_eq!(r.flow_failed_at(wk::AS).index, authz.index);
    }
}

// ---------------------------------------------------------------------------------
// 9. mix-up
// ---------------------------------------------------------------------------------

#[test]
fn mix_up_mechanism() {
    const ID: &str = "mix-up";
    const EVIL_AS: &str = "evil-as";
    const EVIL_TOKEN: &str = "https://as.attacker.example/token";
    for r in [
        Attempt::naive(ID),
        Attempt::bcp_without(ID, &[DefenseId::IssParameter]),
    ] {
        r.succeeded();
        let own = r.observed(ATTACKER_BROWSER, EVIL_AS, &authorize_url())[0];
        // The malicious AS bounces Alice to the honest AS with Photo Printer's
        // client_id there, Alice's own state, and the PKCE challenge and nonce of
        // Mallory's own sign-in.
        let bounce = r.request(
            wk::BROWSER,
            EVIL_AS,
            "GET",
            "https://as.attacker.example/authorize",
        );
        let answer = r.response(bounce);
        assert!(header(answer, "location").is_some_and(|l| l.starts_with(&authorize_url())));
        assert_eq!(location_param(answer, "client_id"), Some(wk::CLIENT_ID));
        assert_eq!(location_param(answer, "state"), query(bounce, "state"));
        for bound in ["code_challenge", "nonce"] {
            assert_eq!(location_param(answer, bound), query(own, bound), "{bound}");
            if query(own, bound).is_some() {
                assert_ne!(query(bounce, bound), query(own, bound), "{bound}");
            }
        }
        // The client sends the honest AS's code to the attacker's token endpoint.
        let tok = r.request(wk::CLIENT, EVIL_AS, "POST", EVIL_TOKEN);
        let code = form(tok, "code").expect("a code");
        let issued = r.issued(code);
        assert_eq!(
            (issued.user.as_str(), issued.request.client_id.as_str()),
            (wk::ALICE, wk::CLIENT_ID)
        );
        assert_eq!(
            basic_client_id(tok),
            wk::CLIENT_ID,
            "…with its client credentials, too"
        );
        // Alice's sign-in fails; Mallory's browser opens the callback with the code and
        // the state of her own sign-in, and the client redeems it at the honest AS.
        let alices = alices_callback(&r);
        assert_eq!(status(r.response(alices)), 400);
        let injected = r.request(ATTACKER_BROWSER, wk::CLIENT, "GET", &client_url("/cb"));
        assert!(injected.index > tok.index);
        assert_eq!(query(injected, "code"), Some(code));
        assert_eq!(query(injected, "state"), query(own, "state"));
        let redeem = r.request(wk::CLIENT, wk::AS, "POST", &token_url());
        assert!(redeem.index > injected.index);
        assert_eq!(form(redeem, "code"), Some(code));
        assert_eq!(status(r.response(redeem)), 200);
        // The page Mallory's browser gets shows Alice's photos.
        let page = r.response(injected);
        assert_eq!(status(page), 200);
        assert_eq!(page.to.as_str(), ATTACKER_BROWSER);
        assert!(r.steps().iter().any(
            |s| s.from.as_str() == wk::RS && json_str(s, "owner").as_deref() == Some(wk::ALICE)
        ));
    }
    {
        let r = Attempt::bcp(ID);
        let cb = alices_callback(&r);
        assert_eq!(query(cb, "iss"), Some(wk::AS_ISSUER));
        let answer = r.response(cb);
        assert_eq!(status(answer), 400);
        assert!(
            answer.wire.contains("issuer mismatch"),
            "the error page names the issuer mismatch"
        );
        assert!(
            r.requests(wk::CLIENT, EVIL_AS, "POST", EVIL_TOKEN)
                .is_empty(),
            "no code reaches evil-as"
        );
        assert!(
            r.after(cb.index, |s| s.from.as_str() == wk::CLIENT
                && url(s).ends_with("/token"))
                .is_empty()
        );
        assert_eq!(r.blocked_at(wk::CLIENT).index, cb.index);
    }
}

// ---------------------------------------------------------------------------------
// 10. referer-leak
// ---------------------------------------------------------------------------------

/// The request for the third-party resource the callback page embeds.
fn pixel_request(r: &Attempt) -> &Step {
    r.request(wk::BROWSER, ATTACKER, "GET", &attacker_url("/pixel.gif"))
}

#[test]
fn referer_leak_mechanism() {
    const ID: &str = "referer-leak";
    {
        let r = Attempt::naive(ID);
        r.succeeded();
        let cb = alices_callback(&r);
        let code = query(cb, "code").unwrap().to_string();
        let page = r.response(cb);
        assert_eq!(header(page, "referrer-policy"), None);
        let pixel = pixel_request(&r);
        assert!(
            header(pixel, "referer").is_some_and(|v| v.contains(&format!("code={code}"))),
            "Referer: {:?}",
            header(pixel, "referer")
        );
        // The premise: Alice's browser is a legacy one; today's default sends the origin.
        use oauth_lab::actors::browser::{Browser, referrer::ReferrerPolicy};
        assert_eq!(
            r.inner
                .sim
                .actor::<Browser>(wk::BROWSER)
                .map(Browser::default_referrer_policy),
            Some(ReferrerPolicy::NoReferrerWhenDowngrade)
        );
        assert_eq!(
            Browser::alice().default_referrer_policy(),
            ReferrerPolicy::StrictOriginWhenCrossOrigin
        );
        let inject = r.request(ATTACKER_BROWSER, wk::CLIENT, "GET", wk::CLIENT_REDIRECT_URI);
        assert!(inject.index > pixel.index);
        assert_eq!(query(inject, "code"), Some(code.as_str()));
        let tok = r.nth_request(1, wk::CLIENT, wk::AS, "POST", &token_url());
        assert_eq!(form(tok, "code"), Some(code.as_str()));
        assert_eq!(
            status(r.response(tok)),
            200,
            "the leaked code is redeemed a second time"
        );
        assert_eq!(r.issued(&code).redemptions, 2);
    }
    {
        let r = Attempt::bcp(ID);
        r.blocked_without_step();
        let page = r.response(alices_callback(&r));
        assert_eq!(header(page, "referrer-policy"), Some("no-referrer"));
        assert_eq!(header(pixel_request(&r), "referer"), None);
        assert!(
            r.attacker(ATTACKER).loot().codes.is_empty(),
            "nothing leaked"
        );
        assert!(
            r.requests(ATTACKER_BROWSER, wk::CLIENT, "GET", wk::CLIENT_REDIRECT_URI)
                .is_empty()
        );
    }
    {
        // With the Referer leaking, the code is already used by the time it is injected.
        let r = Attempt::bcp_without(ID, &[DefenseId::ReferrerPolicy]);
        let code = query(alices_callback(&r), "code").unwrap().to_string();
        assert!(header(pixel_request(&r), "referer").is_some_and(|v| v.contains(&code)));
        let inject = r.request(ATTACKER_BROWSER, wk::CLIENT, "GET", wk::CLIENT_REDIRECT_URI);
        injected_code_refused(&r, inject.index);
    }
}

// ---------------------------------------------------------------------------------
// 11. token-audience-replay
// ---------------------------------------------------------------------------------

#[test]
fn token_audience_replay_mechanism() {
    const ID: &str = "token-audience-replay";
    const FAKE_RS: &str = "counterfeit-rs";
    const FAKE_AUD: &str = "https://rs.attacker.example";
    // Bearer tokens: the audience check is what stops the replay (DPoP, the other
    // stopper, is shown by the matrix and `access_token_replay_mechanism`).
    let bearer = [DefenseId::Dpop, DefenseId::DpopProofReplayCheck];
    for (r, expect_ok) in [
        (Attempt::naive(ID), true),
        (Attempt::bcp_without(ID, &bearer), false),
    ] {
        // The client sends its token, issued for the counterfeit RS, to the counterfeit RS…
        let to_fake = r.request(wk::CLIENT, FAKE_RS, "GET", FAKE_AUD);
        let token = jwt(to_fake, "Authorization");
        assert_eq!(claim(token, "aud"), FAKE_AUD);
        assert_eq!(claim(token, "sub"), wk::ALICE);
        // …which replays it at the real RS.
        let replay = r.request(FAKE_RS, wk::RS, "GET", &photos_url());
        assert_eq!(
            header(replay, "authorization"),
            header(to_fake, "authorization"),
            "the very same token"
        );
        let answer = r.response(replay);
        if expect_ok {
            r.succeeded();
            assert_eq!(status(answer), 200);
            assert_eq!(json_str(answer, "owner").as_deref(), Some(wk::ALICE));
        } else {
            r.blocked_by_error(replay, wk::RS, 401, "invalid_token");
            assert!(
                header(answer, "www-authenticate").is_some_and(|h| h.contains("invalid_token"))
            );
        }
    }
    // With bearer tokens, the audience check is the single decisive stopper.
    let r = Attempt::bcp_without(
        ID,
        &[
            DefenseId::AudienceCheck,
            DefenseId::Dpop,
            DefenseId::DpopProofReplayCheck,
        ],
    );
    r.succeeded();
    assert_eq!(
        status(r.response(r.request(FAKE_RS, wk::RS, "GET", &photos_url()))),
        200
    );
}

// ---------------------------------------------------------------------------------
// 12. refresh-token-theft
// ---------------------------------------------------------------------------------

#[test]
fn refresh_token_theft_mechanism() {
    const ID: &str = "refresh-token-theft";
    const THIEF: &str = "thief";
    /// The refresh token the thief read from the app's token response.
    fn stolen(r: &Attempt) -> String {
        let seen = r
            .steps()
            .iter()
            .find(|s| s.kind == StepKind::Observed && s.to.as_str() == THIEF)
            .unwrap_or_else(|| panic!("the thief read nothing\n{}", r.outline()));
        json_str(seen, "refresh_token").expect("the copy carries a refresh token")
    }
    {
        let r = Attempt::naive(ID);
        r.succeeded();
        let rt = stolen(&r);
        let theft = r.request(THIEF, wk::AS, "POST", &token_url());
        assert_eq!(form(theft, "grant_type"), Some("refresh_token"));
        assert_eq!(form(theft, "refresh_token"), Some(rt.as_str()));
        assert_eq!(status(r.response(theft)), 200);
        // No rotation: the app's later refresh with the same token works too.
        let app = r.nth_request(1, wk::NATIVE_APP, wk::AS, "POST", &token_url());
        assert!(app.index > theft.index);
        assert_eq!(form(app, "refresh_token"), Some(rt.as_str()));
        assert_eq!(status(r.response(app)), 200);
        assert_eq!(
            status(r.response(r.request(THIEF, wk::RS, "GET", &photos_url()))),
            200
        );
    }
    {
        // Unbound refresh tokens (dpop off): rotation is what stops the thief.
        let r = Attempt::bcp_without(ID, &[DefenseId::Dpop]);
        let rt = stolen(&r);
        // The thief's refresh is first, so it works — and rotates the token.
        let theft = r.request(THIEF, wk::AS, "POST", &token_url());
        let theft_answer = r.response(theft);
        assert_eq!(status(theft_answer), 200);
        assert_ne!(
            json_str(theft_answer, "refresh_token").as_deref(),
            Some(rt.as_str()),
            "rotation"
        );
        // The app's second refresh presents the consumed token: reuse detected.
        let app = r.nth_request(1, wk::NATIVE_APP, wk::AS, "POST", &token_url());
        assert_eq!(form(app, "refresh_token"), Some(rt.as_str()));
        let answer = r.response(app);
        assert_eq!(
            (status(answer), error(answer).as_deref()),
            (400, Some("invalid_grant"))
        );
        assert!(
            r.auth_server()
                .families()
                .iter()
                .all(|f| f.revoked.is_some()),
            "the whole family is revoked"
        );
        // The thief's fresh access token is now dead: the RS asks the AS, which says inactive.
        let api = r.request(THIEF, wk::RS, "GET", &photos_url());
        let ask = r.after(api.index, |s| {
            s.from.as_str() == wk::RS && url(s) == introspect_url()
        });
        let ask = ask.first().expect("the RS introspects the thief's token");
        assert_eq!(
            r.response(ask)
                .decoded
                .json
                .as_ref()
                .and_then(|j| j.get("active")),
            Some(&serde_json::Value::Bool(false))
        );
        let api_answer = r.response(api);
        assert_eq!(
            (status(api_answer), error(api_answer).as_deref()),
            (401, Some("invalid_token"))
        );
        // What stopped the attacker is the RS refusing its call, after the revocation.
        assert_eq!(r.blocked_at(wk::RS).index, api.index);
    }
    {
        // Rotation alone revokes the family at the AS, but an RS that never asks the AS
        // keeps honouring the thief's self-contained JWT.
        let r = Attempt::bcp_without(ID, &[DefenseId::TokenIntrospection, DefenseId::Dpop]);
        r.succeeded();
        let app = r.nth_request(1, wk::NATIVE_APP, wk::AS, "POST", &token_url());
        assert_eq!(error(r.response(app)).as_deref(), Some("invalid_grant"));
        assert!(
            r.requests(wk::RS, wk::AS, "POST", &introspect_url())
                .is_empty()
        );
        assert_eq!(
            status(r.response(r.request(THIEF, wk::RS, "GET", &photos_url()))),
            200
        );
    }
}

// ---------------------------------------------------------------------------------
// 13–14. forged JWTs
// ---------------------------------------------------------------------------------

/// The forged-token attacks: the forger's API call, its token's `alg`, and the RS's
/// answers under naive, bcp, and bcp without alg pinning (introspection catches it).
fn forged_jwt_mechanism(id: &str, alg: &str) {
    const FORGER: &str = "forger";
    {
        let r = Attempt::naive(id);
        r.succeeded();
        let api = r.request(FORGER, wk::RS, "GET", &photos_url());
        let token = jwt(api, "Authorization");
        assert_eq!(token.header["alg"], alg);
        assert_eq!(claim(token, "sub"), wk::ALICE);
        assert!(
            r.auth_server()
                .access_tokens()
                .iter()
                .all(|t| t.jti != claim(token, "jti")),
            "the AS never issued it"
        );
        let answer = r.response(api);
        assert_eq!(status(answer), 200);
        assert_eq!(json_str(answer, "owner").as_deref(), Some(wk::ALICE));
    }
    {
        let r = Attempt::bcp(id);
        let api = r.request(FORGER, wk::RS, "GET", &photos_url());
        assert_eq!(jwt(api, "Authorization").header["alg"], alg);
        let answer = r.response(api);
        assert_eq!(
            (status(answer), error(answer).as_deref()),
            (401, Some("invalid_token"))
        );
        assert!(json_str(answer, "error_description").is_some_and(|d| d.contains("RS256")));
        assert!(
            r.requests(wk::RS, wk::AS, "POST", &introspect_url())
                .is_empty(),
            "pinning refuses it locally"
        );
        assert_eq!(r.blocked_at(wk::RS).index, api.index);
    }
    {
        let r = Attempt::bcp_without(id, &[DefenseId::AlgPinning]);
        let api = r.request(FORGER, wk::RS, "GET", &photos_url());
        let ask = r.after(api.index, |s| {
            s.from.as_str() == wk::RS && url(s) == introspect_url()
        });
        let ask = ask.first().expect("the RS asks the AS about the token");
        assert_eq!(
            form(ask, "token"),
            header(api, "authorization").and_then(|h| h.strip_prefix("Bearer "))
        );
        let verdict = r.response(ask);
        assert_eq!(
            verdict.decoded.json.as_ref().and_then(|j| j.get("active")),
            Some(&serde_json::Value::Bool(false))
        );
        let answer = r.response(api);
        assert_eq!(
            (status(answer), error(answer).as_deref()),
            (401, Some("invalid_token"))
        );
        assert_eq!(r.blocked_at(wk::RS).index, api.index);
    }
}

#[test]
fn jwt_alg_none_mechanism() {
    forged_jwt_mechanism("jwt-alg-none", "none");
}

#[test]
fn jwt_alg_confusion_mechanism() {
    forged_jwt_mechanism("jwt-alg-confusion", "HS256");
    // The forger first fetched the AS's public key: the HMAC secret it signs with.
    let r = Attempt::naive("jwt-alg-confusion");
    let jwks = r.request("forger", wk::AS, "GET", &format!("{}/jwks", wk::AS_ISSUER));
    assert!(jwks.index < r.request("forger", wk::RS, "GET", &photos_url()).index);
    assert_eq!(status(r.response(jwks)), 200);
    // Its secret is the PEM text of the key it fetched, built from the JWKS answer in
    // the trace (as a JWK-to-PEM converter prints it) — the first guess is accepted.
    let set: jsonwebtoken::jwk::JwkSet =
        serde_json::from_value(r.response(jwks).decoded.json.clone().expect("JSON"))
            .expect("a JWKS");
    let jsonwebtoken::jwk::AlgorithmParameters::RSA(rsa) = &set.keys[0].algorithm else {
        panic!("an RSA key");
    };
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let (n, e) = (b64.decode(&rsa.n).unwrap(), b64.decode(&rsa.e).unwrap());
    let pem_text = oauth_lab::protocol::pem::pem(
        "PUBLIC KEY",
        &oauth_lab::protocol::pem::rsa_spki_der(&n, &e),
    );
    assert!(
        pem_text.starts_with(
            "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA"
        )
    );
    let api = r.request("forger", wk::RS, "GET", &photos_url());
    let token = header(api, "authorization")
        .and_then(|h| h.strip_prefix("Bearer "))
        .expect("a bearer token");
    let mut check = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    check.required_spec_claims.clear();
    check.validate_exp = false;
    check.validate_aud = false;
    jsonwebtoken::decode::<serde_json::Value>(
        token,
        &jsonwebtoken::DecodingKey::from_secret(pem_text.as_bytes()),
        &check,
    )
    .expect("signed with the PEM text as the HMAC secret");
    assert_eq!(r.requests("forger", wk::RS, "GET", &photos_url()).len(), 1);
    // Where the RS pins RS256, every encoding the forger tries is refused.
    let r = Attempt::bcp("jwt-alg-confusion");
    let tries = r.requests("forger", wk::RS, "GET", &photos_url());
    assert_eq!(
        tries.len(),
        3,
        "three encodings of the key\n{}",
        r.outline()
    );
    assert!(tries.iter().all(|t| status(r.response(t)) == 401));
}

// ---------------------------------------------------------------------------------
// 15. scope-upgrade
// ---------------------------------------------------------------------------------

#[test]
fn scope_upgrade_mechanism() {
    const ID: &str = "scope-upgrade";
    for (r, expect_ok) in [(Attempt::naive(ID), true), (Attempt::bcp(ID), false)] {
        let authz = r.request(wk::BROWSER, wk::AS, "GET", &authorize_url());
        assert_eq!(query(authz, "client_id"), Some(ATTACKER_CLIENT_ID));
        assert!(
            !scope_has(query(authz, "scope").unwrap_or(""), wk::SCOPE_PHOTOS_WRITE),
            "Alice is asked for read only"
        );
        let tok = r.request(ATTACKER, wk::AS, "POST", &token_url());
        let code = form(tok, "code").unwrap();
        assert!(
            !r.issued(code)
                .request
                .scope
                .iter()
                .any(|s| s == wk::SCOPE_PHOTOS_WRITE),
            "consented scope has no write"
        );
        assert!(
            scope_has(form(tok, "scope").unwrap_or(""), wk::SCOPE_PHOTOS_WRITE),
            "the token request asks for more"
        );
        let answer = r.response(tok);
        if expect_ok {
            r.succeeded();
            assert_eq!(status(answer), 200);
            assert!(scope_has(
                &json_str(answer, "scope").unwrap_or_default(),
                wk::SCOPE_PHOTOS_WRITE
            ));
            let delete = r.request(ATTACKER, wk::RS, "DELETE", &photos_url());
            assert_eq!(status(r.response(delete)), 204);
        } else {
            r.blocked_by_error(tok, wk::AS, 400, "invalid_scope");
            assert!(
                r.requests(ATTACKER, wk::RS, "DELETE", &photos_url())
                    .is_empty()
            );
        }
    }
    let r = Attempt::bcp_without(ID, &[DefenseId::ConsentedScopeEnforced]);
    r.succeeded();
    assert_eq!(
        status(r.response(r.request(ATTACKER, wk::RS, "DELETE", &photos_url()))),
        204
    );
}

// ---------------------------------------------------------------------------------
// 16. code-wrong-client
// ---------------------------------------------------------------------------------

#[test]
fn code_wrong_client_mechanism() {
    const ID: &str = "code-wrong-client";
    {
        let r = Attempt::naive(ID);
        r.succeeded();
        let (_, code) = observed_code(&r, ATTACKER);
        let tok = r.request(ATTACKER, wk::AS, "POST", &token_url());
        assert_eq!(form(tok, "code"), Some(code.as_str()));
        assert_eq!(
            basic_client_id(tok),
            ATTACKER_CLIENT_ID,
            "the attacker authenticates as its own client"
        );
        assert_eq!(
            r.issued(&code).request.client_id,
            wk::CLIENT_ID,
            "the code was issued to Photo Printer"
        );
        let answer = r.response(tok);
        assert_eq!(status(answer), 200);
        assert_eq!(
            claim(jwt(answer, "access_token"), "client_id"),
            ATTACKER_CLIENT_ID
        );
        assert_eq!(
            status(r.response(r.request(ATTACKER, wk::RS, "GET", &photos_url()))),
            200
        );
    }
    {
        let r = Attempt::bcp(ID);
        let tok = r.request(ATTACKER, wk::AS, "POST", &token_url());
        let answer = r.blocked_by_error(tok, wk::AS, 400, "invalid_grant");
        assert!(
            json_str(answer, "error_description").is_some_and(|d| d.contains("another client"))
        );
        // The code survives for its rightful client.
        assert_eq!(
            status(r.response(r.request(wk::CLIENT, wk::AS, "POST", &token_url()))),
            200
        );
    }
}

// ---------------------------------------------------------------------------------
// 17–18. implicit-flow injection
// ---------------------------------------------------------------------------------

#[test]
fn implicit_token_injection_mechanism() {
    const ID: &str = "implicit-token-injection";
    {
        let r = Attempt::naive(ID);
        r.succeeded();
        // Photo Frame (the attacker's client) legitimately obtains a token for Alice.
        let frame = r.request(ATTACKER, wk::AS, "POST", &token_url());
        let issued = jwt(r.response(frame), "access_token");
        assert_eq!(
            (claim(issued, "sub"), claim(issued, "client_id")),
            (wk::ALICE, ATTACKER_CLIENT_ID)
        );
        // The attacker's browser hands that token to Photo Printer's fragment handler.
        let inject = r.request(
            ATTACKER_BROWSER,
            wk::CLIENT,
            "POST",
            &client_url("/implicit-token"),
        );
        let injected = jwt(inject, "access_token");
        assert_eq!(claim(injected, "jti"), claim(issued, "jti"));
        assert_eq!(
            claim(injected, "client_id"),
            ATTACKER_CLIENT_ID,
            "a token issued to another client"
        );
        // Photo Printer uses it and gets Alice's photos.
        let api = r.after(inject.index, |s| {
            s.from.as_str() == wk::CLIENT && s.to.as_str() == wk::RS
        });
        let api = api
            .first()
            .expect("the client calls the RS with the injected token");
        assert_eq!(
            claim(jwt(api, "Authorization"), "jti"),
            claim(issued, "jti")
        );
        assert_eq!(
            json_str(r.response(api), "owner").as_deref(),
            Some(wk::ALICE)
        );
    }
    {
        let r = Attempt::bcp(ID);
        let start = r.request(ATTACKER_BROWSER, wk::CLIENT, "GET", &client_url("/login"));
        assert_eq!(
            location_param(r.response(start), "response_type"),
            Some("code"),
            "the client starts a code flow only"
        );
        let cb = r.request(
            ATTACKER_BROWSER,
            wk::CLIENT,
            "GET",
            &client_url("/implicit-cb"),
        );
        assert_eq!(status(r.response(cb)), 404, "there is no fragment handler");
        assert!(
            r.requests(
                ATTACKER_BROWSER,
                wk::CLIENT,
                "POST",
                &client_url("/implicit-token")
            )
            .is_empty()
        );
        assert_eq!(r.blocked_at(wk::CLIENT).index, cb.index);
    }
}

#[test]
fn id_token_replay_mechanism() {
    const ID: &str = "id-token-replay";
    /// Alice's ID token, as the leaked log copied it.
    fn leaked_id_token(r: &Attempt) -> String {
        let seen = r
            .steps()
            .iter()
            .find(|s| {
                s.kind == StepKind::Observed
                    && s.to.as_str() == ATTACKER
                    && json_str(s, "id_token").is_some()
            })
            .unwrap_or_else(|| panic!("no leaked token response\n{}", r.outline()));
        json_str(seen, "id_token").unwrap()
    }
    {
        let r = Attempt::naive(ID);
        r.succeeded();
        let leaked = leaked_id_token(&r);
        let inject = r.request(
            ATTACKER_BROWSER,
            wk::CLIENT,
            "POST",
            &client_url("/implicit-token"),
        );
        assert_eq!(form(inject, "id_token"), Some(leaked.as_str()));
        let token = jwt(inject, "id_token");
        assert_eq!(
            (claim(token, "sub"), claim(token, "aud")),
            (wk::ALICE, wk::CLIENT_ID)
        );
        assert_eq!(status(r.response(inject)), 200);
    }
    {
        let r = Attempt::bcp(ID);
        let cb = r.request(
            ATTACKER_BROWSER,
            wk::CLIENT,
            "GET",
            &client_url("/implicit-cb"),
        );
        assert_eq!(status(r.response(cb)), 404);
        assert_eq!(r.blocked_at(wk::CLIENT).index, cb.index);
    }
    {
        // With the implicit page back, the nonce decides: the replayed ID token answers
        // Alice's request, not the one the attacker's session sent.
        let r = Attempt::bcp_without(ID, &[DefenseId::NoImplicitGrant]);
        let alices_nonce = query(
            r.request(wk::BROWSER, wk::AS, "GET", &authorize_url()),
            "nonce",
        )
        .expect("Alice's nonce")
        .to_string();
        let own = r
            .steps()
            .iter()
            .find(|s| {
                s.kind == StepKind::Observed
                    && s.from.as_str() == ATTACKER_BROWSER
                    && url(s).starts_with(&authorize_url())
            })
            .expect("the attacker captured its own sign-in");
        let own_nonce = query(own, "nonce").expect("the attacker's session sent a nonce");
        let inject = r.request(
            ATTACKER_BROWSER,
            wk::CLIENT,
            "POST",
            &client_url("/implicit-token"),
        );
        let token = jwt(inject, "id_token");
        assert_eq!(claim(token, "nonce"), alices_nonce);
        assert_ne!(claim(token, "nonce"), own_nonce);
        assert_eq!(status(r.response(inject)), 400);
        assert_eq!(r.blocked_at(wk::CLIENT).index, inject.index);
    }
}

// ---------------------------------------------------------------------------------
// 19. redirect-307-credentials
// ---------------------------------------------------------------------------------

#[test]
fn redirect_307_credentials_mechanism() {
    const ID: &str = "redirect-307-credentials";
    let login_answer = |r: &Attempt| {
        let login = r.request(
            wk::BROWSER,
            wk::AS,
            "POST",
            &format!("{}/login", wk::AS_ISSUER),
        );
        assert_eq!(form(login, "password"), Some(wk::ALICE_PASSWORD));
        status(r.response(login))
    };
    {
        let r = Attempt::naive(ID);
        r.succeeded();
        assert_eq!(login_answer(&r), 307);
        let repost = r.request(wk::BROWSER, ATTACKER, "POST", &attacker_url("/cb"));
        assert_eq!(form(repost, "username"), Some(wk::ALICE));
        assert_eq!(form(repost, "password"), Some(wk::ALICE_PASSWORD));
        assert!(
            r.attacker(ATTACKER)
                .loot()
                .passwords
                .contains(&(wk::ALICE.to_string(), wk::ALICE_PASSWORD.to_string()))
        );
    }
    {
        let r = Attempt::bcp(ID);
        r.blocked_without_step();
        assert_eq!(login_answer(&r), 303);
        assert!(
            r.requests(wk::BROWSER, ATTACKER, "POST", &attacker_url("/cb"))
                .is_empty()
        );
        let follow = r.request(wk::BROWSER, ATTACKER, "GET", &attacker_url("/cb"));
        assert!(follow.decoded.form.is_empty(), "a GET without body");
        assert!(!follow.wire.contains(wk::ALICE_PASSWORD));
        assert!(r.attacker(ATTACKER).loot().passwords.is_empty());
    }
}

// ---------------------------------------------------------------------------------
// The catalog itself
// ---------------------------------------------------------------------------------

#[test]
fn catalog_lists_24_unique_attacks_with_known_stoppers() {
    let infos: Vec<_> = catalog().iter().map(|a| a.info()).collect();
    assert_eq!(infos.len(), 24);
    let mut ids: Vec<&str> = infos.iter().map(|i| i.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 24, "attack ids are unique");
    for info in &infos {
        assert!(!info.title.trim().is_empty(), "{}: title", info.id);
        assert!(!info.story.trim().is_empty(), "{}: story", info.id);
        assert!(!info.goal.trim().is_empty(), "{}: goal", info.id);
        assert!(
            !info.steps.is_empty() && info.steps.iter().all(|s| !s.trim().is_empty()),
            "{}: steps",
            info.id
        );
        assert!(!info.capabilities.is_empty(), "{}: capabilities", info.id);
        assert!(!info.stoppers.is_empty(), "{}: stoppers", info.id);
        for s in info.stoppers {
            assert!(
                !s.why.trim().is_empty(),
                "{}: stopper {} has no reason",
                info.id,
                s.defense
            );
        }
        assert!(find(info.id).is_some_and(|a| a.info().id == info.id));
        // The JSON the CLI prints (`attacks list --format json`) carries the same data.
        let json = serde_json::to_value(info).expect("serializable");
        assert_eq!(json["id"], info.id);
        assert_eq!(
            json["stoppers"].as_array().map(Vec::len),
            Some(info.stoppers.len())
        );
    }
}

// ---------------------------------------------------------------------------------
// Every attack world draws its own numbers
// ---------------------------------------------------------------------------------

/// The AS's RNG mixes in the world: the code Mallory gets in `csrf-login` is not the
/// code Alice gets in the plain flow from the same seed, and the plain flow keeps the
/// numbers it always had (its snapshots and the determinism test are unchanged).
#[test]
fn an_attack_world_draws_other_numbers_than_the_plain_flow() {
    use oauth_lab::actors::Defenses;
    use oauth_lab::actors::auth_server::AuthServer;
    use oauth_lab::sim::world::{DEFAULT_SEED, WorldBuilder};
    let mut plain = WorldBuilder::standard(DEFAULT_SEED, Defenses::naive()).build();
    plain.push_script(oauth_lab::sim::world::alice_signs_in());
    plain.run_bounded(500);
    let as_ = plain.actor::<AuthServer>(wk::AS).expect("the AS");
    let alices = as_.codes().first().expect("Alice got a code").code.expose();
    let r = Attempt::naive("csrf-login");
    let mallorys = mallorys_code(&r);
    assert_ne!(alices, mallorys.as_str());
    // The same attack world is still deterministic.
    assert_eq!(mallorys, mallorys_code(&Attempt::naive("csrf-login")));
    // In the attack world the AS's first code is Mallory's: the first code the plain
    // flow's AS issues is nowhere in it.
    assert!(
        r.auth_server()
            .codes()
            .iter()
            .all(|c| c.code.expose() != alices),
        "{}",
        r.outline()
    );
}
