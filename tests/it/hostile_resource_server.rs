//! Hostile input at the resource server (docs/ARCHITECTURE.md, "Cross-cutting concerns"): random and
//! mutated requests for every route, sent through the bus, must each get a
//! well-formed RFC 6750 answer — never a panic, never a 5xx except the documented 503
//! when the AS cannot be used (its JWKS or introspection answers are unusable).

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use http::{HeaderValue, Method};
use oauth_lab::actors::clock::EPOCH_UNIX_SECS;
use oauth_lab::actors::resource_server::{ResourceServer, Route};
use oauth_lab::actors::{Defenses, well_known};
use oauth_lab::protocol::http_wire::{self, Request, Response};
use oauth_lab::protocol::jwt::{self, ACCESS_TOKEN_TYP, SigningKey, public_key_bytes};
use oauth_lab::sim::trace::StepKind;
use proptest::prelude::*;
use serde_json::{Value, json};

use oauth_lab::testing::{AsMode, burst_responses, rs_world};

// ---------------------------------------------------------------------------------
// Tokens

/// How a base token is signed.
#[derive(Debug, Clone, Copy)]
enum Signer {
    DemoAs,
    OtherKey,
    AlgNone,
    /// HS256 keyed with the AS's public key bytes (algorithm confusion).
    Hs256Confused,
    Hs256Guess,
}

fn claims(scope: &str, sub: &str, exp_offset: i64, aud_ok: bool, iss_ok: bool) -> Value {
    json!({
        "iss": if iss_ok { well_known::AS_ISSUER } else { "https://evil.example" },
        "sub": sub,
        "aud": if aud_ok { well_known::RS_ORIGIN } else { "https://other-rs.example" },
        "exp": EPOCH_UNIX_SECS as i64 + exp_offset,
        "iat": EPOCH_UNIX_SECS,
        "jti": "jti-hostile",
        "client_id": well_known::CLIENT_ID,
        "scope": scope,
    })
}

fn sign(signer: Signer, typ: &str, claims: &Value) -> String {
    let key = SigningKey::demo_as();
    match signer {
        Signer::DemoAs => key.sign(typ, claims),
        Signer::OtherKey => SigningKey::demo_second_as().sign(typ, claims),
        Signer::AlgNone => jwt::forge_unsigned(typ, claims),
        Signer::Hs256Confused => {
            jwt::sign_hs256(typ, Some(key.kid()), &public_key_bytes(key.jwk()), claims)
        }
        Signer::Hs256Guess => jwt::sign_hs256(typ, Some(key.kid()), b"guess", claims),
    }
}

/// A change to a token's text.
#[derive(Debug, Clone)]
enum Mutation {
    None,
    Truncate(usize),
    FlipChar(usize),
    /// base64url → padded standard base64, part by part.
    ReEncodeStandard,
    /// The payload decoded and re-serialised with other whitespace: the signature no
    /// longer matches.
    ReSerialisePayload,
    DropSignature,
    SwapHeaderAndPayload,
    ExtraPart,
    Uppercase,
    Append(String),
    InnerSpace(usize),
}

fn mutate(token: &str, m: &Mutation) -> String {
    let at = |i: usize| if token.is_empty() { 0 } else { i % token.len() };
    match m {
        Mutation::None => token.to_string(),
        Mutation::Truncate(i) => token[..at(*i)].to_string(),
        Mutation::FlipChar(i) => {
            let mut b = token.as_bytes().to_vec();
            if !b.is_empty() {
                let i = at(*i);
                b[i] = if b[i] == b'A' { b'B' } else { b'A' };
            }
            String::from_utf8(b).unwrap()
        }
        Mutation::ReEncodeStandard => token
            .split('.')
            .map(|p| {
                URL_SAFE_NO_PAD
                    .decode(p)
                    .map(|raw| STANDARD.encode(raw))
                    .unwrap_or_else(|_| p.to_string())
            })
            .collect::<Vec<_>>()
            .join("."),
        Mutation::ReSerialisePayload => {
            let parts: Vec<&str> = token.split('.').collect();
            let Some(payload) = parts
                .get(1)
                .and_then(|p| URL_SAFE_NO_PAD.decode(p).ok())
                .and_then(|raw| serde_json::from_slice::<Value>(&raw).ok())
            else {
                return token.to_string();
            };
            let pretty = serde_json::to_string_pretty(&payload).unwrap();
            let mut out = parts.clone();
            let enc = URL_SAFE_NO_PAD.encode(pretty);
            out[1] = &enc;
            out.join(".")
        }
        Mutation::DropSignature => match token.rsplit_once('.') {
            Some((head, _)) => format!("{head}."),
            None => token.to_string(),
        },
        Mutation::SwapHeaderAndPayload => {
            let mut parts: Vec<&str> = token.split('.').collect();
            if parts.len() >= 2 {
                parts.swap(0, 1);
            }
            parts.join(".")
        }
        Mutation::ExtraPart => format!("{token}.e30"),
        Mutation::Uppercase => token.to_ascii_uppercase(),
        Mutation::Append(s) => format!("{token}{s}"),
        Mutation::InnerSpace(i) => {
            let i = at(*i);
            format!("{} {}", &token[..i], &token[i..])
        }
    }
}

fn signer() -> impl Strategy<Value = Signer> {
    prop_oneof![
        4 => Just(Signer::DemoAs),
        1 => Just(Signer::OtherKey),
        1 => Just(Signer::AlgNone),
        1 => Just(Signer::Hs256Confused),
        1 => Just(Signer::Hs256Guess),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => Just(Mutation::None),
        1 => any::<usize>().prop_map(Mutation::Truncate),
        1 => any::<usize>().prop_map(Mutation::FlipChar),
        1 => Just(Mutation::ReEncodeStandard),
        1 => Just(Mutation::ReSerialisePayload),
        1 => Just(Mutation::DropSignature),
        1 => Just(Mutation::SwapHeaderAndPayload),
        1 => Just(Mutation::ExtraPart),
        1 => Just(Mutation::Uppercase),
        1 => "[ -~]{0,12}".prop_map(Mutation::Append),
        1 => any::<usize>().prop_map(Mutation::InnerSpace),
    ]
}

/// One thing wrong with an otherwise valid token (or nothing).
#[derive(Debug, Clone)]
enum Defect {
    None,
    Expired(i64),
    WrongAudience,
    WrongIssuer,
    Typ(&'static str),
    Signer(Signer),
    Mutated(Mutation),
}

fn defect() -> impl Strategy<Value = Defect> {
    prop_oneof![
        6 => Just(Defect::None),
        1 => prop_oneof![Just(0i64), Just(-1i64), -100_000i64..0].prop_map(Defect::Expired),
        1 => Just(Defect::WrongAudience),
        1 => Just(Defect::WrongIssuer),
        1 => prop::sample::select(vec!["JWT", "", "at+jwt2", "application/jwt"]).prop_map(Defect::Typ),
        3 => signer().prop_map(Defect::Signer),
        4 => mutation().prop_map(Defect::Mutated),
    ]
}

/// A JWT with random scope and subject and at most one defect.
fn jwt_token() -> impl Strategy<Value = String> {
    let scope = prop::sample::select(vec![
        "photos.read",
        "photos.write",
        "openid photos.read photos.write",
        "openid photos.read photos.write",
        "photos.write photos.read",
        "openid profile",
        "",
        "photos.readx photos",
    ]);
    let sub = prop::sample::select(vec![
        well_known::ALICE,
        well_known::ALICE,
        well_known::MALLORY,
        "nobody",
        "",
    ]);
    let typ = prop::sample::select(vec!["at+jwt", "application/at+jwt", "AT+JWT"]);
    (scope, sub, typ, 1i64..100_000, defect()).prop_map(|(scope, sub, typ, exp, d)| {
        let (exp, aud_ok, iss_ok) = match d {
            Defect::Expired(e) => (e, true, true),
            Defect::WrongAudience => (exp, false, true),
            Defect::WrongIssuer => (exp, true, false),
            _ => (exp, true, true),
        };
        let typ = match d {
            Defect::Typ(t) => t,
            _ => typ,
        };
        let signer = match d {
            Defect::Signer(s) => s,
            _ => Signer::DemoAs,
        };
        let token = sign(signer, typ, &claims(scope, sub, exp, aud_ok, iss_ok));
        match d {
            Defect::Mutated(m) => mutate(&token, &m),
            _ => token,
        }
    })
}

/// JWTs whose claims have the wrong JSON types.
fn odd_claims_token() -> impl Strategy<Value = String> {
    let odd = prop::sample::select(vec![
        json!({"iss": 1, "sub": [], "aud": {}, "exp": "soon", "scope": 7}),
        json!({"iss": well_known::AS_ISSUER, "aud": [1, null, well_known::RS_ORIGIN], "exp": 1e300,
               "sub": "alice", "client_id": "c", "scope": "photos.read photos.write"}),
        json!({"iss": well_known::AS_ISSUER, "aud": well_known::RS_ORIGIN, "exp": -5,
               "sub": "alice", "client_id": "c", "scope": "photos.read"}),
        json!({"iss": well_known::AS_ISSUER, "aud": well_known::RS_ORIGIN, "exp": u64::MAX,
               "sub": "alice", "client_id": "c", "scope": "photos.read photos.write"}),
        json!([1, 2, 3]),
        json!("just a string"),
        json!(null),
    ]);
    (odd, signer()).prop_map(|(c, s)| sign(s, ACCESS_TOKEN_TYP, &c))
}

/// Anything that is not a token at all.
fn garbage_token() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,40}",
        "[A-Za-z0-9_-]{0,30}\\.[A-Za-z0-9_-]{0,30}\\.[A-Za-z0-9_-]{0,30}",
        Just("eyJhbGciOiJub25lIn0.W10.".to_string()),
        Just("e30.e30.".to_string()),
        (0usize..3).prop_map(|n| "A".repeat(100_000 + n)),
    ]
}

fn token() -> impl Strategy<Value = String> {
    prop_oneof![5 => jwt_token(), 1 => odd_claims_token(), 2 => garbage_token()]
}

// ---------------------------------------------------------------------------------
// Requests

/// One `Authorization` header value.
fn authorization() -> impl Strategy<Value = Vec<u8>> {
    let scheme = prop::sample::select(vec![
        "Bearer ",
        "bearer ",
        "BEARER ",
        "Bearer   ",
        " Bearer ",
        "Bearer\t",
        "Basic ",
        "DPoP ",
        "",
        "Bearer",
    ]);
    let trailing = prop::sample::select(vec!["", " ", "   "]);
    prop_oneof![
        16 => (prop_oneof![4 => Just("Bearer "), 1 => scheme], token(), trailing).prop_map(|(s, t, tr)| format!("{s}{t}{tr}").into_bytes()),
        // Non-UTF-8 (obs-text) bytes in the credentials.
        1 => prop::collection::vec(0x80u8..=0xff, 1..40).prop_map(|raw| {
            let mut v = b"Bearer ".to_vec();
            v.extend(raw);
            v
        }),
        1 => prop::collection::vec(any::<u8>(), 0..60),
    ]
}

#[derive(Debug, Clone)]
struct HostileRequest {
    method: Method,
    path: String,
    query: Option<String>,
    authorization: Vec<Vec<u8>>,
    extra: Vec<(String, String)>,
    body: String,
}

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![
        6 => Just(Method::GET),
        3 => Just(Method::DELETE),
        1 => prop::sample::select(vec![
            Method::POST, Method::PUT, Method::PATCH, Method::HEAD, Method::OPTIONS,
            Method::TRACE,
        ]),
        1 => "[A-Z]{1,10}".prop_map(|m| Method::from_bytes(m.as_bytes()).unwrap()),
    ]
}

fn path() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(vec!["/photos", "/photos/a1", "/photos/a2", "/photos/m1"])
            .prop_map(str::to_string),
        2 => prop::sample::select(vec![
            "/photos", "/photos/", "/photos/a1", "/photos/a2", "/photos/a3", "/photos/m1",
            "/photos/zz", "/photos/a1/", "/photos/a1/x", "/photos//a1", "/", "/admin",
            "/photos/%2e%2e", "/photos/a%31", "/PHOTOS",
        ])
        .prop_map(str::to_string),
        1 => "(/[A-Za-z0-9._~%-]{0,12}){1,4}",
        1 => "[A-Za-z0-9._~-]{1,20}".prop_map(|id| format!("/photos/{id}")),
    ]
}

fn hostile_request() -> impl Strategy<Value = HostileRequest> {
    let query = prop::option::weighted(
        0.2,
        prop_oneof![
            Just("access_token=abc".to_string()),
            "[a-z_]{1,8}=[A-Za-z0-9]{0,8}",
        ],
    );
    let extra = prop::collection::vec(
        (
            prop::sample::select(vec![
                "content-type",
                "accept",
                "x-forwarded-for",
                "cookie",
                "www-authenticate",
                "dpop",
            ]),
            "[ -~]{0,20}",
        )
            .prop_map(|(n, v)| (n.to_string(), v)),
        0..3,
    );
    (
        method(),
        path(),
        query,
        prop_oneof![
            1 => Just(Vec::new()),
            8 => authorization().prop_map(|a| vec![a]),
            1 => prop::collection::vec(authorization(), 2..4),
        ],
        extra,
        prop_oneof![3 => Just(String::new()), 1 => "[ -~]{0,40}"],
    )
        .prop_map(
            |(method, path, query, authorization, extra, body)| HostileRequest {
                method,
                path,
                query,
                authorization,
                extra,
                body,
            },
        )
}

impl HostileRequest {
    fn build(&self) -> Request {
        let mut url = format!("https://rs.example{}", self.path);
        if let Some(q) = &self.query {
            url.push('?');
            url.push_str(q);
        }
        let mut r = http_wire::request(self.method.clone(), &url);
        for a in &self.authorization {
            if let Ok(v) = HeaderValue::from_bytes(a) {
                r.headers_mut().append("authorization", v);
            }
        }
        for (n, v) in &self.extra {
            if let Ok(v) = HeaderValue::from_str(v) {
                r.headers_mut()
                    .append(http::HeaderName::from_bytes(n.as_bytes()).unwrap(), v);
            }
        }
        *r.body_mut() = self.body.clone().into_bytes();
        r
    }
}

// ---------------------------------------------------------------------------------
// The oracle

/// The `error="…"` attribute of a challenge.
fn error_attr(challenge: &str) -> Option<&str> {
    let rest = &challenge[challenge.find("error=\"")? + 7..];
    rest.split('"').next()
}

/// Runs `requests` through an RS (under `defenses`, with the AS in `mode`) and checks
/// every answer; returns the number of answers checked.
fn check_world(defenses: Defenses, mode: AsMode, requests: &[Request]) -> Result<(), String> {
    let expected = requests
        .iter()
        .filter(|r| r.uri().host() == Some("rs.example"))
        .count();
    // A healthy AS says `active: true` to every introspection; any other mode is "the
    // AS is unreachable or broken", where 503 is the documented answer.
    let mut sim = rs_world(3, defenses.clone(), mode, &[], requests.iter().cloned());
    sim.run_until_idle();
    let answers: Vec<_> = sim
        .trace()
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Response && s.from.as_str() == "rs")
        .collect();
    if answers.len() != expected {
        return Err(format!("{} requests, {} answers", expected, answers.len()));
    }
    for step in answers {
        let resp: Response = http_wire::parse_response(&step.wire)
            .map_err(|e| format!("unparseable answer ({e}):\n{}", step.wire))?;
        let status = resp.status().as_u16();
        let challenge = http_wire::response_header(&resp, "www-authenticate").unwrap_or("");
        let body: Value = serde_json::from_slice(resp.body()).unwrap_or(Value::Null);
        let fail = |why: &str| Err(format!("{why}:\n{}", step.wire));
        match status {
            500..=599 if status != 503 => return fail("a 5xx other than 503"),
            503 if mode == AsMode::Healthy => return fail("503 while the AS is healthy"),
            401 => {
                let bearer = challenge
                    .get(..7)
                    .is_some_and(|s| s.eq_ignore_ascii_case("bearer "));
                // With dpop on, a token that came with the DPoP scheme is answered
                // with a DPoP challenge (RFC 9449 §7.1), whose errors add the proof's.
                let dpop = defenses.dpop
                    && challenge
                        .get(..5)
                        .is_some_and(|s| s.eq_ignore_ascii_case("dpop "));
                if !bearer && !dpop {
                    return fail("a 401 without a Bearer (or, with dpop on, DPoP) challenge");
                }
                let errors_ok = match error_attr(challenge) {
                    None | Some("invalid_token") => true,
                    Some("invalid_dpop_proof" | "use_dpop_nonce") => dpop,
                    Some(_) => false,
                };
                if !errors_ok {
                    return fail("a 401 whose error is not invalid_token (or a DPoP proof error)");
                }
            }
            403 => {
                if error_attr(challenge) != Some("insufficient_scope")
                    || body["error"] != "insufficient_scope"
                {
                    return fail("a 403 without insufficient_scope");
                }
                if !(challenge.ends_with("scope=\"photos.read\"")
                    || challenge.ends_with("scope=\"photos.write\""))
                {
                    return fail("a 403 that does not name the scope needed");
                }
            }
            400 => {
                if body["error"] != "invalid_request"
                    || error_attr(challenge) != Some("invalid_request")
                {
                    return fail("a 400 without invalid_request");
                }
            }
            200 | 204 | 404 | 405 | 503 => {}
            _ => return fail("an unexpected status"),
        }
    }
    // With alg pinning on, only RS256 tokens are ever accepted.
    let rs = sim.actor::<ResourceServer>("rs").unwrap();
    if defenses.alg_pinning && rs.accepted().any(|t| t.alg != "RS256") {
        return Err("a non-RS256 token was accepted with alg pinning on".into());
    }
    // Only tokens with photos.write deleted anything.
    let write_tokens = rs
        .accepted()
        .filter(|t| t.scope.split(' ').any(|s| s == "photos.write"))
        .count();
    if rs.deleted().len() > write_tokens {
        return Err(format!(
            "deletions without photos.write: {:?}",
            rs.deleted()
        ));
    }
    Ok(())
}

fn defenses() -> impl Strategy<Value = Defenses> {
    prop_oneof![
        3 => Just(Defenses::bcp()),
        1 => Just(Defenses::naive()),
        1 => Just({
            let mut d = Defenses::bcp();
            d.token_introspection = false;
            d
        }),
        1 => Just({
            let mut d = Defenses::bcp();
            d.alg_pinning = false;
            d
        }),
    ]
}

fn as_mode() -> impl Strategy<Value = AsMode> {
    prop_oneof![
        6 => Just(AsMode::Healthy),
        1 => Just(AsMode::JwksDown),
        1 => Just(AsMode::JwksGarbage),
        1 => Just(AsMode::IntrospectionDown),
        1 => Just(AsMode::IntrospectionGarbage),
    ]
}

proptest! {
    // CI's fixed defaults: the same cases every run. PROPTEST_CASES and
    // PROPTEST_RNG_SEED override them (README, "Testing").
    #![proptest_config(proptest::test_runner::contextualize_config(ProptestConfig {
            cases: 400,
            max_shrink_iters: 200,
            rng_seed: proptest::test_runner::RngSeed::Fixed(2026),
            failure_persistence: None,
            ..ProptestConfig::default()
        }))]

    #[test]
    fn every_answer_is_a_well_formed_rfc_6750_response(
        defenses in defenses(),
        mode in as_mode(),
        requests in prop::collection::vec(hostile_request(), 1..6),
    ) {
        let built: Vec<Request> = requests.iter().map(HostileRequest::build).collect();
        if let Err(e) = check_world(defenses, mode, &built) {
            prop_assert!(false, "{e}\nrequests: {requests:#?}");
        }
    }
}

// ---------------------------------------------------------------------------------
// Every listed kind of hostile input, at least once, on every route

/// A valid access token for Alice with `scope`, signed by the demo AS.
fn good_token(scope: &str) -> String {
    sign(Signer::DemoAs, ACCESS_TOKEN_TYP, &good_claims(scope))
}

fn good_claims(scope: &str) -> Value {
    claims(scope, well_known::ALICE, 600, true, true)
}

fn with_auth(method: &Method, path: &str, values: &[&[u8]]) -> Request {
    let mut r = http_wire::request(method.clone(), &format!("https://rs.example{path}"));
    for v in values {
        r.headers_mut()
            .append("authorization", HeaderValue::from_bytes(v).unwrap());
    }
    r
}

#[test]
fn each_kind_of_hostile_token_on_each_route() {
    let all = "photos.read photos.write";
    let good = good_token(all);
    let expired = sign(
        Signer::DemoAs,
        ACCESS_TOKEN_TYP,
        &claims(all, well_known::ALICE, -1, true, true),
    );
    let tokens: Vec<(&str, String)> = vec![
        ("garbage", "garbage".into()),
        ("truncated", good[..good.len() - 10].to_string()),
        ("re-encoded", mutate(&good, &Mutation::ReEncodeStandard)),
        (
            "re-serialised",
            mutate(&good, &Mutation::ReSerialisePayload),
        ),
        ("wrong typ", sign(Signer::DemoAs, "JWT", &good_claims(all))),
        ("expired", expired),
        (
            "alg none",
            sign(Signer::AlgNone, ACCESS_TOKEN_TYP, &good_claims(all)),
        ),
        (
            "HS256-confused",
            sign(Signer::Hs256Confused, ACCESS_TOKEN_TYP, &good_claims(all)),
        ),
        (
            "other key",
            sign(Signer::OtherKey, ACCESS_TOKEN_TYP, &good_claims(all)),
        ),
        ("huge", "A".repeat(100_000)),
    ];
    let routes = [
        (Method::GET, "/photos"),
        (Method::GET, "/photos/a1"),
        (Method::DELETE, "/photos/a2"),
        (Method::DELETE, "/photos/nope"),
        (Method::GET, "/nowhere"),
        (Method::PATCH, "/photos/a1"),
        (Method::from_bytes(b"BREW").unwrap(), "/photos"),
    ];
    for defenses in [Defenses::bcp(), Defenses::naive()] {
        let mut requests = Vec::new();
        for (method, path) in &routes {
            requests.push(with_auth(method, path, &[]));
            for (_, t) in &tokens {
                requests.push(with_auth(method, path, &[format!("Bearer {t}").as_bytes()]));
            }
            requests.push(with_auth(method, path, &[b"Bearer \xff\xfe.\x80.x"]));
            requests.push(with_auth(
                method,
                path,
                &[format!("Bearer {good}").as_bytes(), b"Bearer x"],
            ));
            requests.push(with_auth(
                method,
                path,
                &[format!("bearer {good}").as_bytes()],
            ));
            requests.push(with_auth(
                method,
                path,
                &[format!("  Bearer    {good}   ").as_bytes()],
            ));
            requests.push(with_auth(method, path, &[b"Bearer    "]));
        }
        check_world(defenses.clone(), AsMode::Healthy, &requests).unwrap();
    }
    for mode in [
        AsMode::JwksDown,
        AsMode::JwksGarbage,
        AsMode::IntrospectionDown,
        AsMode::IntrospectionGarbage,
    ] {
        let requests: Vec<Request> = routes
            .iter()
            .map(|(m, p)| with_auth(m, p, &[format!("Bearer {good}").as_bytes()]))
            .collect();
        check_world(Defenses::bcp(), mode, &requests).unwrap();
    }
}

#[test]
fn the_outcomes_of_the_listed_cases_are_the_expected_ones() {
    let all = "photos.read photos.write";
    let good = good_token(all);
    let read = good_token("photos.read");
    let confused = sign(Signer::Hs256Confused, ACCESS_TOKEN_TYP, &good_claims(all));
    let status_of = |defenses: Defenses, mode: AsMode, r: Request| -> u16 {
        let mut sim = rs_world(3, defenses, mode, &[], [r]);
        sim.run_until_idle();
        burst_responses(&sim, "client", 1)[0].status().as_u16()
    };
    let bcp = || Defenses::bcp();
    let h = AsMode::Healthy;
    let bearer = |t: &str| format!("Bearer {t}").into_bytes();
    let del = |path: &str, t: &str| with_auth(&Method::DELETE, path, &[&bearer(t)]);
    let cases: Vec<(Request, Defenses, AsMode, u16)> = vec![
        (with_auth(&Method::DELETE, "/photos/a1", &[]), bcp(), h, 401),
        (del("/photos/a1", &good), bcp(), h, 204),
        (del("/photos/a1", &read), bcp(), h, 403),
        (del("/photos/m1", &good), bcp(), h, 404),
        (del("/photos/a1", &confused), bcp(), h, 401),
        (del("/photos/a1", &confused), Defenses::naive(), h, 204),
        (
            with_auth(
                &Method::DELETE,
                "/photos/a1",
                &[&bearer(&good), &bearer(&good)],
            ),
            bcp(),
            h,
            400,
        ),
        (
            with_auth(
                &Method::DELETE,
                "/photos/a1",
                &[format!("bearer  {good} ").as_bytes()],
            ),
            bcp(),
            h,
            204,
        ),
        (del("/photos/a1", &good), bcp(), AsMode::JwksDown, 503),
        (
            del("/photos/a1", &good),
            bcp(),
            AsMode::IntrospectionDown,
            503,
        ),
        (del("/photos", &good), bcp(), h, 405),
        (
            with_auth(&Method::GET, "/photos/a1", &[b"Bearer \xff"]),
            bcp(),
            h,
            400,
        ),
    ];
    for (i, (r, d, mode, want)) in cases.into_iter().enumerate() {
        let route = Route::resolve(r.method(), r.uri().path()).ok();
        assert_eq!(status_of(d, mode, r), want, "case {i} ({route:?})");
    }
}
