//! docs/PROTOCOL.md items 20–24: the web client under `Defenses::bcp()`. Every scenario goes
//! through the bus: forged callbacks are the AS's real redirect edited in intercept
//! mode (so Alice's browser delivers them), replays of recorded steps, an attacker's
//! probe sending a captured callback URL, or a token response edited before it reaches
//! the client.

use oauth_lab::testing::*;

use oauth_lab::actors::browser::{Browser, Person};
use oauth_lab::actors::client::Session;
use oauth_lab::actors::well_known as wk;
use oauth_lab::actors::{ActorId, ActorKind, MsgId, UserAction};
use oauth_lab::protocol::jwt::{self, SigningKey};
use oauth_lab::protocol::pkce;
use oauth_lab::protocol::secret::Secret;
use oauth_lab::sim::bus::Envelope;
use oauth_lab::sim::{LearnerInput, Simulation, Step, StepKind};

fn start_sign_in(sim: &mut Simulation) {
    sim.apply(LearnerInput::Act {
        to: ActorId::new(wk::BROWSER),
        action: UserAction::Navigate {
            url: format!("{}/login", wk::CLIENT_ORIGIN),
        },
    })
    .expect("the browser exists");
}

fn location_in(env: &Envelope) -> String {
    let resp = oauth_lab::protocol::http_wire::parse_response(&env.wire).expect("a response");
    location_of(&resp).expect("a Location")
}

/// Alice's session at the client.
fn alice_session(sim: &Simulation) -> Session {
    let cookie = alice_client_session(sim).expect("Alice has a client session");
    client(sim)
        .session(&cookie)
        .cloned()
        .expect("the client knows the session")
}

/// The callback request Alice's browser delivered to the client, from index `from`.
/// The refresh token the client holds for Alice.
fn client_refresh_token(sim: &Simulation) -> String {
    alice_session(sim)
        .tokens
        .and_then(|t| t.refresh_token)
        .expect("a refresh token")
        .expose()
        .to_string()
}

fn callback_step(sim: &Simulation, from: usize) -> Step {
    steps_from(sim, from)
        .iter()
        .find(|s| {
            s.kind == StepKind::Request
                && s.to.as_str() == wk::CLIENT
                && s.wire.starts_with("GET /cb?")
        })
        .cloned()
        .unwrap_or_else(|| panic!("no callback:\n{}", transcript(sim, from)))
}

/// Asserts the client refused the callback at `cb`: an error page to the browser with
/// `title_part`, no back-channel call after it, nobody signed in.
/// Alice signs in; the AS's redirect is held and its `name` parameter replaced by
/// `value` (or removed), then delivered. Returns the world, the AS's original
/// `Location`, and the callback step Alice's browser sent.
fn forged_callback(name: &str, value: Option<&str>) -> (Simulation, String, Step) {
    let mut sim = lab(bcp());
    let mark = sim.trace().steps.len();
    start_sign_in(&mut sim);
    let env = hold_until(&mut sim, is_auth_response_to_client);
    let loc = location_in(&env);
    let forged = rewrite_query(&loc, |q| {
        q.retain(|(k, _)| k != name);
        if let Some(v) = value {
            q.push((name.into(), v.into()));
        }
    });
    edit_and_release(&mut sim, env.id, with_location(&env.wire, &forged));
    let cb = callback_step(&sim, mark);
    (sim, loc, cb)
}

fn assert_callback_refused(sim: &Simulation, cb: &Step, title_part: &str, case: &str) {
    let answer = response_step(sim, cb);
    assert_eq!(answer.decoded.status, Some(400), "{case}: {}", answer.wire);
    assert!(
        answer.wire.contains(title_part),
        "{case}: expected a page about {title_part:?}:\n{}",
        answer.wire
    );
    let back: Vec<&Step> = steps_from(sim, cb.index)
        .iter()
        .filter(|s| s.from.as_str() == wk::CLIENT && s.kind == StepKind::Request)
        .collect();
    assert!(
        back.is_empty(),
        "{case}: no back-channel call after a refused callback, got {:?}",
        back.iter().map(|s| &s.summary).collect::<Vec<_>>()
    );
}

/// Runs with hold on, forwarding every held message except `keep`, until nothing else
/// moves.
fn run_keeping_held(sim: &mut Simulation, keep: MsgId) {
    loop {
        if sim.step().is_some() {
            continue;
        }
        let others: Vec<MsgId> = sim
            .held()
            .iter()
            .map(|e| e.id)
            .filter(|id| *id != keep)
            .collect();
        if others.is_empty() {
            return;
        }
        for id in others {
            sim.apply(LearnerInput::Forward { id }).expect("held");
        }
    }
}

#[test]
fn item_20_missing_or_wrong_state_is_refused_before_any_back_channel_call_one_time_and_session_bound()
 {
    // (a) missing and (b) wrong state: the AS's redirect, edited in intercept mode.
    for (case, edit) in [
        ("missing state", None),
        ("wrong state", Some("forged-state-0000")),
        ("empty state", Some("")),
    ] {
        let (sim, loc, cb) = forged_callback("state", edit);
        let code = query_of(&loc).first("code").unwrap().to_string();
        assert_eq!(
            cb.origin,
            oauth_lab::actors::Origin::Honest,
            "Alice's browser delivers it"
        );
        assert_callback_refused(&sim, &cb, "state", case);
        assert!(!auth_server(&sim).code_redeemed(&code), "{case}");
        assert!(alice_session(&sim).user.is_none(), "{case}");
    }

    // (c) one-time: the learner replays Alice's genuine callback after it succeeded.
    let mut sim = lab(bcp());
    let mark = alice_signs_in(&mut sim);
    let cb = callback_step(&sim, mark);
    assert_eq!(token_calls(&sim, mark).len(), 1);
    assert_eq!(
        alice_session(&sim).user.as_ref().map(|u| u.0.as_str()),
        Some(wk::ALICE)
    );
    let mark = sim.trace().steps.len();
    sim.apply(LearnerInput::Replay { step: cb.index }).unwrap();
    sim.run_until_idle();
    let replayed = callback_step(&sim, mark);
    assert_eq!(replayed.wire, cb.wire, "the same request, cookie included");
    assert_callback_refused(&sim, &replayed, "state", "replayed callback");
    assert_eq!(
        token_calls(&sim, 0).len(),
        1,
        "the code was redeemed once only"
    );

    // (d) bound to the browser session: an attacker who captured Alice's callback URL
    // opens it first, in a user agent of its own; then Alice's browser delivers it.
    let mut sim = lab(bcp());
    let mark = sim.trace().steps.len();
    start_sign_in(&mut sim);
    let env = hold_until(&mut sim, is_auth_response_to_client);
    let loc = location_in(&env);
    let code = query_of(&loc).first("code").unwrap().to_string();
    let probe_id = "attacker-agent";
    sim.add_attacker_actor(Box::new(
        oauth_lab::actors::probe::Probe::new(probe_id, ActorKind::Attacker)
            .one_at_a_time()
            .with_request(get(&loc)),
    ));
    sim.apply(LearnerInput::Act {
        to: ActorId::new(probe_id),
        action: UserAction::Custom {
            name: "send".into(),
            value: String::new(),
        },
    })
    .unwrap();
    run_keeping_held(&mut sim, env.id);
    let stolen = steps_from(&sim, mark)
        .iter()
        .find(|s| s.from.as_str() == probe_id && s.kind == StepKind::Request)
        .cloned()
        .expect("the attacker's request was delivered");
    assert!(stolen.is_attacker());
    assert_callback_refused(
        &sim,
        &stolen,
        "state",
        "callback in another browser session",
    );
    assert!(!auth_server(&sim).code_redeemed(&code));
    // Alice's own callback still works.
    release_all(&mut sim);
    assert_eq!(token_calls(&sim, mark).len(), 1);
    assert!(auth_server(&sim).code_redeemed(&code));
    assert_eq!(
        alice_session(&sim).user.as_ref().map(|u| u.0.as_str()),
        Some(wk::ALICE)
    );
}

#[test]
fn item_21_wrong_or_missing_iss_is_refused_when_the_as_advertises_it() {
    // The AS advertises the parameter, and the client learned it at discovery.
    let sim = lab(bcp());
    let meta = sim
        .trace()
        .steps
        .iter()
        .find_map(|s| {
            s.decoded
                .json
                .as_ref()
                .filter(|j| j.get("authorization_endpoint").is_some())
                .cloned()
        })
        .expect("metadata in the trace");
    assert_eq!(meta["authorization_response_iss_parameter_supported"], true);
    assert!(
        client(&sim)
            .knowledge(0)
            .and_then(|k| k.metadata.as_ref())
            .is_some_and(|m| m.authorization_response_iss_parameter_supported)
    );

    for (case, iss) in [
        ("missing iss", None),
        (
            "iss of another AS (mix-up)",
            Some("https://as.attacker.example"),
        ),
        ("iss with a trailing slash", Some("https://as.example/")),
        ("iss in another case", Some("https://AS.example")),
        ("empty iss", Some("")),
    ] {
        let (sim, loc, cb) = forged_callback("iss", iss);
        assert_eq!(query_of(&loc).first("iss"), Some(wk::AS_ISSUER));
        let code = query_of(&loc).first("code").unwrap().to_string();
        assert_callback_refused(&sim, &cb, "issuer", case);
        assert!(!auth_server(&sim).code_redeemed(&code), "{case}");
        assert!(alice_session(&sim).user.is_none(), "{case}");
    }
}

#[test]
fn item_22_fresh_s256_verifier_per_transaction_bound_to_the_browser_session() {
    let mut sim = lab(bcp());
    sim.add_actor(Box::new(Browser::new("browser-2", Person::mallory())));
    // Alice and Mallory sign in at the same time.
    for who in [wk::BROWSER, "browser-2"] {
        sim.apply(LearnerInput::Act {
            to: ActorId::new(who),
            action: UserAction::Navigate {
                url: format!("{}/login", wk::CLIENT_ORIGIN),
            },
        })
        .unwrap();
    }
    sim.run_until_idle();

    let authz: Vec<Step> = requests_to(&sim, 0, wk::AS, "GET /authorize?")
        .into_iter()
        .cloned()
        .collect();
    assert_eq!(authz.len(), 2, "{}", transcript(&sim, 0));
    let calls: Vec<Step> = token_calls(&sim, 0).into_iter().cloned().collect();
    assert_eq!(calls.len(), 2, "{}", transcript(&sim, 0));
    let mut verifiers = Vec::new();
    for who in [wk::BROWSER, "browser-2"] {
        let a = authz
            .iter()
            .find(|s| s.from.as_str() == who)
            .expect("authorize");
        assert_eq!(
            a.decoded.param("code_challenge_method").as_deref(),
            Some("S256")
        );
        let challenge = a.decoded.param("code_challenge").unwrap();
        // The callback this browser delivered, and the token call it caused.
        let cb = steps_from(&sim, a.index)
            .iter()
            .find(|s| s.from.as_str() == who && s.wire.starts_with("GET /cb?"))
            .expect("callback");
        let code = cb.decoded.param("code").unwrap();
        let call = calls
            .iter()
            .find(|c| c.decoded.param("code").as_deref() == Some(code.as_str()))
            .expect("the code was redeemed");
        let verifier = call.decoded.param("code_verifier").expect("a verifier");
        assert!(
            (43..=128).contains(&verifier.len())
                && verifier
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b)),
            "RFC 7636 §4.1 verifier syntax: {verifier}"
        );
        assert_eq!(
            pkce::s256(&verifier),
            challenge,
            "{who}: S256(verifier) = its own challenge"
        );
        assert_eq!(
            auth_server(&sim)
                .code(&code)
                .unwrap()
                .request
                .pkce
                .as_ref()
                .unwrap()
                .challenge,
            challenge
        );
        // The verifier never travels on the front channel.
        assert!(
            !sim.trace()
                .steps
                .iter()
                .filter(|s| s.channel == oauth_lab::sim::Channel::FrontChannel)
                .any(|s| s.wire.contains(&verifier)),
            "the verifier stays on the back channel"
        );
        verifiers.push(verifier);
    }
    assert_ne!(verifiers[0], verifiers[1], "one verifier per transaction");
    let sessions: Vec<&Session> = client(&sim).sessions().collect();
    let users: Vec<&str> = sessions
        .iter()
        .filter_map(|s| s.user.as_ref().map(|u| u.0.as_str()))
        .collect();
    assert!(
        users.contains(&wk::ALICE) && users.contains(&wk::MALLORY),
        "{users:?}"
    );

    // Alice signs in again: a fresh verifier, bound to her session while pending.
    let mark = sim.trace().steps.len();
    start_sign_in(&mut sim);
    let env = hold_until(&mut sim, is_auth_response_to_client);
    let pending = alice_session(&sim).pending.expect("a sign-in in progress");
    let v3 = pending.verifier.expect("a verifier").expose().to_string();
    assert!(!verifiers.contains(&v3), "fresh per transaction");
    let challenge3 = requests_to(&sim, mark, wk::AS, "GET /authorize?")[0]
        .decoded
        .param("code_challenge")
        .unwrap();
    assert_eq!(pkce::s256(&v3), challenge3);
    // Mallory's session holds no pending verifier of Alice's.
    assert!(
        client(&sim)
            .sessions()
            .filter(|s| s.user.as_ref().is_some_and(|u| u.0 == wk::MALLORY))
            .all(|s| s.pending.is_none())
    );
    let _ = env;
    release_all(&mut sim);
    let call = token_calls(&sim, mark)[0].clone();
    assert_eq!(
        call.decoded.param("code_verifier").as_deref(),
        Some(v3.as_str())
    );
}

/// Runs Alice's sign-in with the ID token of the token response replaced by `forge`
/// (given the genuine token's header and claims); returns the world.
fn sign_in_with_id_token(
    forge: impl Fn(&serde_json::Value, &serde_json::Value) -> String,
) -> Simulation {
    let mut sim = lab(bcp());
    start_sign_in(&mut sim);
    let env = hold_until(&mut sim, is_token_response_to_client);
    let resp = oauth_lab::protocol::http_wire::parse_response(&env.wire).unwrap();
    let mut body = json(&resp);
    let id_token = body["id_token"].as_str().expect("an ID token").to_string();
    let (header, claims) = jwt::decode_unverified(&id_token).unwrap();
    body["id_token"] = forge(&header, &claims).into();
    edit_and_release(&mut sim, env.id, with_body(&env.wire, &body.to_string()));
    sim
}

#[test]
fn item_23_id_token_signature_iss_aud_exp_and_nonce_are_validated_before_use() {
    let key = SigningKey::demo_as();
    let resign = |f: fn(&mut serde_json::Value)| {
        let key = key.clone();
        move |_: &serde_json::Value, c: &serde_json::Value| {
            let mut c = c.clone();
            f(&mut c);
            key.sign("JWT", &c)
        }
    };

    // Control: the genuine claims re-signed by the AS's key are accepted.
    let sim = sign_in_with_id_token(resign(|_| {}));
    assert_eq!(
        alice_session(&sim).user.as_ref().map(|u| u.0.as_str()),
        Some(wk::ALICE)
    );

    type Forge = Box<dyn Fn(&serde_json::Value, &serde_json::Value) -> String>;
    let cases: Vec<(&str, Forge)> = vec![
        (
            "signed by another key",
            Box::new(|_, c| SigningKey::demo_second_as().sign("JWT", c)),
        ),
        ("alg none", Box::new(|_, c| jwt::forge_unsigned("JWT", c))),
        (
            "HS256 keyed with the AS's public key",
            Box::new(|_, c| {
                let k = SigningKey::demo_as();
                jwt::sign_hs256("JWT", Some(k.kid()), &jwt::public_key_bytes(k.jwk()), c)
            }),
        ),
        (
            "payload changed after signing",
            Box::new(|h, c| {
                let signed = SigningKey::demo_as().sign("JWT", c);
                let sig = signed.rsplit('.').next().unwrap().to_string();
                let mut c = c.clone();
                c["sub"] = wk::MALLORY.into();
                let enc = |v: &serde_json::Value| {
                    base64::Engine::encode(
                        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
                        serde_json::to_vec(v).unwrap(),
                    )
                };
                format!("{}.{}.{sig}", enc(h), enc(&c))
            }),
        ),
        (
            "iss of another AS",
            Box::new(resign(|c| c["iss"] = "https://as.attacker.example".into())),
        ),
        (
            "aud of another client",
            Box::new(resign(|c| c["aud"] = SECOND_ID.into())),
        ),
        (
            "expired",
            Box::new(resign(|c| {
                let iat = c["iat"].as_u64().unwrap();
                c["exp"] = (iat - 1).into();
            })),
        ),
        (
            "wrong nonce",
            Box::new(resign(|c| c["nonce"] = "not-the-nonce".into())),
        ),
        (
            "no nonce",
            Box::new(resign(|c| {
                c.as_object_mut().unwrap().remove("nonce");
            })),
        ),
    ];
    for (case, forge) in cases {
        let sim = sign_in_with_id_token(forge);
        let session = alice_session(&sim);
        assert!(session.user.is_none(), "{case}: nobody is signed in");
        let api_calls = requests_to(&sim, 0, wk::RS, "GET /photos");
        assert!(
            api_calls.is_empty(),
            "{case}: the client must not use the tokens"
        );
        let page = steps_from(&sim, 0)
            .iter()
            .rev()
            .find(|s| s.from.as_str() == wk::CLIENT && s.to.as_str() == wk::BROWSER)
            .unwrap();
        assert_eq!(page.decoded.status, Some(400), "{case}: {}", page.wire);
        assert!(page.wire.contains("ID token"), "{case}: {}", page.wire);
    }
}

#[test]
fn item_24_unknown_response_parameters_are_ignored_and_a_new_refresh_token_replaces_the_old() {
    // Unknown parameters in the authorization response.
    let mut sim = lab(bcp());
    start_sign_in(&mut sim);
    let env = hold_until(&mut sim, is_auth_response_to_client);
    let loc = location_in(&env);
    let extended = rewrite_query(&loc, |q| {
        q.push(("session_state".into(), "abc.123".into()));
        q.push(("foo".into(), "bar".into()));
        q.push(("expires_in".into(), "5".into()));
    });
    edit_and_release(&mut sim, env.id, with_location(&env.wire, &extended));
    assert_eq!(
        alice_session(&sim).user.as_ref().map(|u| u.0.as_str()),
        Some(wk::ALICE)
    );
    assert_eq!(token_calls(&sim, 0).len(), 1);

    // Unknown members in the token response.
    let mut sim = lab(bcp());
    start_sign_in(&mut sim);
    let env = hold_until(&mut sim, is_token_response_to_client);
    let resp = oauth_lab::protocol::http_wire::parse_response(&env.wire).unwrap();
    let mut body = json(&resp);
    body["unknown_member"] = "x".into();
    body["authorization_details"] = serde_json::json!([{"type": "photo_print"}]);
    body["nested"] = serde_json::json!({"a": [1, 2, {"b": null}]});
    let at = body["access_token"].as_str().unwrap().to_string();
    edit_and_release(&mut sim, env.id, with_body(&env.wire, &body.to_string()));
    let session = alice_session(&sim);
    assert_eq!(session.user.as_ref().map(|u| u.0.as_str()), Some(wk::ALICE));
    assert_eq!(
        session
            .tokens
            .as_ref()
            .map(|t| t.access.token.expose().to_string()),
        Some(at)
    );
    assert_eq!(session.photos_owner.as_deref(), Some(wk::ALICE));

    // A new refresh token replaces the old one.
    let mut sim = lab(bcp());
    alice_signs_in(&mut sim);
    let rt0 = client_refresh_token(&sim);
    let call = refresh_an_hour_later(&mut sim);
    let body = response_step(&sim, &call).decoded.json.clone().unwrap();
    let rt1 = body["refresh_token"].as_str().expect("rotated").to_string();
    assert_ne!(rt0, rt1);
    let held = client_refresh_token(&sim);
    assert_eq!(held, rt1, "the client keeps the new refresh token only");
    // The next refresh uses the new one, and works.
    let call = refresh_an_hour_later(&mut sim);
    assert_eq!(
        call.decoded.param("refresh_token").as_deref(),
        Some(rt1.as_str())
    );
    assert_eq!(response_step(&sim, &call).decoded.status, Some(200));
    assert_eq!(alice_session(&sim).photos_owner.as_deref(), Some(wk::ALICE));
}
