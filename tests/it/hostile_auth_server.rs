//! Hostile input for every endpoint of the authorization server (docs/ARCHITECTURE.md, "Cross-cutting
//! concerns"): random requests and mutated valid ones — bad percent-encodings, invalid
//! UTF-8, missing and repeated parameters, huge values, broken Basic headers, garbage
//! and truncated JWTs, wrong content types, wrong methods — sent through the bus from a
//! probe. Every answer must be a well-formed HTTP response (parsed back from the
//! trace's wire text) with a 2xx–4xx status; the token, revocation and introspection
//! endpoints must answer every 4xx with JSON carrying an RFC 6749 §5.2 / RFC 7009 §2.2.1
//! / RFC 7662 §2.3 error code, and a 401 is `invalid_client` with `WWW-Authenticate`.
//! A panic anywhere fails the test.
//!
//! The valid material (a pending transaction, a session cookie, an unused code, an
//! access, refresh and ID token) comes from one AS driven once through a real flow;
//! each case gets a clone of it, in a fresh world.

use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use http::{HeaderValue, Method, StatusCode};
use proptest::prelude::*;

use oauth_lab::actors::Defenses;
use oauth_lab::actors::auth_server::{AuthServer, AuthServerConfig};
use oauth_lab::actors::probe::Probe;
use oauth_lab::actors::rng::RngTree;
use oauth_lab::actors::well_known as wk;
use oauth_lab::protocol::errors::ErrorBody;
use oauth_lab::protocol::html::parse_page;
use oauth_lab::protocol::http_wire::{
    Request, Response, parse_response, request, response_header, set_header,
};
use oauth_lab::protocol::params::Params;
use oauth_lab::protocol::secret::Secret;
use oauth_lab::protocol::token_response::TokenResponse;
use oauth_lab::sim::Simulation;
use oauth_lab::sim::trace::StepKind;
use oauth_lab::testing::{
    CHALLENGE, OneActor, SPA_ID, SPA_REDIRECT_URI, basic, burst_probe, is_rfc6749_description,
    post_form_body, printer_authorize_pairs_with, redemption_pairs, spa_client,
};

/// `http::Uri` holds at most 64 KiB; longer URLs cannot even be built.
const MAX_URL: usize = 60_000;

// ---------------------------------------------------------------- the seeded AS

/// A valid state of the AS and the values valid requests need.
struct Material {
    server: AuthServer,
    txn: String,
    cookie: String,
    code: String,
    access_token: String,
    refresh_token: String,
    id_token: String,
}

fn config() -> AuthServerConfig {
    let mut cfg = AuthServerConfig::standard();
    cfg.clients.push(spa_client());
    cfg
}

fn good_authorize_query() -> String {
    Params::from_pairs(printer_authorize_pairs_with("st/ate", "n-0S6")).encode()
}

fn form(url: &str, body: &str, auth: Option<&str>, cookie: Option<&str>) -> Request {
    let mut req = post_form_body(url, body);
    if let Some(a) = auth {
        set_header(req.headers_mut(), "authorization", a);
    }
    if let Some(c) = cookie {
        set_header(req.headers_mut(), "cookie", &format!("as_session={c}"));
    }
    req
}

fn txn_of(resp: &Response) -> String {
    let page = parse_page(&String::from_utf8_lossy(resp.body()));
    page.forms[0]
        .inputs
        .iter()
        .find(|i| i.0 == "txn")
        .expect("txn input")
        .2
        .clone()
}

fn code_of(resp: &Response) -> String {
    let loc = response_header(resp, "location").expect("redirect");
    Params::parse(loc.split_once('?').expect("query").1)
        .first("code")
        .expect("code")
        .to_string()
}

fn material() -> &'static Material {
    static M: OnceLock<Material> = OnceLock::new();
    M.get_or_init(|| {
        // The AS alone, sans-IO, one message at a time.
        let mut d = OneActor::with_rng(
            AuthServer::new(config()).expect("valid config"),
            Defenses::bcp(),
            RngTree::new(11).child("as"),
        );
        let authorize = format!("https://as.example/authorize?{}", good_authorize_query());
        let txn = txn_of(&d.answer(request(Method::GET, &authorize)));
        let login = Params::from_pairs([
            ("txn", txn.as_str()),
            ("username", wk::ALICE),
            ("password", wk::ALICE_PASSWORD),
        ])
        .encode();
        let resp = d.answer(form("https://as.example/login", &login, None, None));
        let cookie = response_header(&resp, "set-cookie")
            .and_then(|c| c.strip_prefix("as_session="))
            .and_then(|c| c.split(';').next())
            .expect("session cookie")
            .to_string();
        let approve = Params::from_pairs([("txn", txn.as_str()), ("decision", "approve")]).encode();
        let code = code_of(&d.answer(form(
            "https://as.example/consent",
            &approve,
            None,
            Some(&cookie),
        )));
        // A second code (consent remembered), redeemed for tokens.
        let mut again = request(Method::GET, &authorize);
        set_header(
            again.headers_mut(),
            "cookie",
            &format!("as_session={cookie}"),
        );
        let code2 = code_of(&d.answer(again));
        let body = Params::from_pairs(redemption_pairs(&code2, wk::CLIENT_REDIRECT_URI)).encode();
        let resp = d.answer(form(
            "https://as.example/token",
            &body,
            Some(&basic(wk::CLIENT_ID, wk::CLIENT_SECRET)),
            None,
        ));
        let t: TokenResponse = serde_json::from_slice(resp.body()).expect("tokens");
        // A pending transaction (no session yet) for a client Alice has not approved,
        // so that it waits at the consent page after login.
        let native = Params::from_pairs([
            ("response_type", "code"),
            ("client_id", wk::NATIVE_CLIENT_ID),
            ("redirect_uri", wk::NATIVE_REDIRECT_URI),
            ("scope", "openid photos.read"),
            ("state", "s"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ])
        .encode();
        let txn = txn_of(&d.answer(request(
            Method::GET,
            &format!("https://as.example/authorize?{native}"),
        )));
        Material {
            server: d.actor,
            txn,
            cookie,
            code,
            access_token: t.access_token.expose().to_string(),
            refresh_token: t.refresh_token.expect("refresh token").expose().to_string(),
            id_token: t.id_token.expect("id token").expose().to_string(),
        }
    })
}

// ---------------------------------------------------------------- requests

/// The AS endpoints, each with a valid request to mutate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ep {
    Authorize,
    AuthorizeImplicit,
    Login,
    ConsentGet,
    ConsentPost,
    TokenCode,
    TokenRefresh,
    TokenPublic,
    Revoke,
    Introspect,
    IntrospectRefresh,
    Jwks,
    MetaOAuth,
    MetaOidc,
    Unknown,
}

const ALL_EPS: [Ep; 15] = [
    Ep::Authorize,
    Ep::AuthorizeImplicit,
    Ep::Login,
    Ep::ConsentGet,
    Ep::ConsentPost,
    Ep::TokenCode,
    Ep::TokenRefresh,
    Ep::TokenPublic,
    Ep::Revoke,
    Ep::Introspect,
    Ep::IntrospectRefresh,
    Ep::Jwks,
    Ep::MetaOAuth,
    Ep::MetaOidc,
    Ep::Unknown,
];

/// One parameter: name, value, and whether the value goes on the wire verbatim
/// (deliberately bad percent-encoding) instead of form-encoded.
#[derive(Debug, Clone)]
struct Param {
    name: String,
    value: String,
    raw: bool,
}

/// A request under construction.
#[derive(Debug, Clone)]
struct Draft {
    method: Method,
    path: String,
    /// Query parameters for a GET endpoint, form parameters for a POST one.
    params: Vec<Param>,
    in_query: bool,
    authorization: Vec<Vec<u8>>,
    cookie: Option<String>,
    content_type: Option<Vec<u8>>,
    /// Replaces the encoded form body.
    raw_body: Option<Vec<u8>>,
    /// Declare the body's length after the bus's lossy UTF-8 conversion, so that a
    /// non-UTF-8 body reaches the AS (as U+FFFD) instead of failing HTTP parsing.
    lossy_length: bool,
    /// Appended to the query string verbatim.
    raw_query: String,
}

fn p(name: &str, value: &str) -> Param {
    Param {
        name: name.into(),
        value: value.into(),
        raw: false,
    }
}

fn params<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<Param> {
    pairs.into_iter().map(|(k, v)| p(k, v)).collect()
}

fn template(ep: Ep, m: &Material) -> Draft {
    let get = |path: &str, params: Vec<Param>| Draft {
        method: Method::GET,
        path: path.into(),
        params,
        in_query: true,
        authorization: Vec::new(),
        cookie: None,
        content_type: None,
        raw_body: None,
        lossy_length: false,
        raw_query: String::new(),
    };
    let post = |path: &str, params: Vec<Param>, auth: Option<String>| Draft {
        method: Method::POST,
        in_query: false,
        content_type: Some(b"application/x-www-form-urlencoded".to_vec()),
        authorization: auth.map(|a| a.into_bytes()).into_iter().collect(),
        ..get(path, params)
    };
    let client = || Some(basic(wk::CLIENT_ID, wk::CLIENT_SECRET));
    match ep {
        Ep::Authorize => get(
            "/authorize",
            Params::parse(&good_authorize_query())
                .iter()
                .map(|(k, v)| p(k, v))
                .collect(),
        ),
        Ep::AuthorizeImplicit => get(
            "/authorize",
            vec![
                p("response_type", "token"),
                p("client_id", SPA_ID),
                p("redirect_uri", SPA_REDIRECT_URI),
                p("scope", "photos.read"),
                p("state", "s"),
            ],
        ),
        Ep::Login => post(
            "/login",
            vec![
                p("txn", &m.txn),
                p("username", wk::ALICE),
                p("password", wk::ALICE_PASSWORD),
            ],
            None,
        ),
        Ep::ConsentGet => Draft {
            cookie: Some(m.cookie.clone()),
            ..get("/consent", vec![p("txn", &m.txn)])
        },
        Ep::ConsentPost => Draft {
            cookie: Some(m.cookie.clone()),
            ..post(
                "/consent",
                vec![p("txn", &m.txn), p("decision", "approve")],
                None,
            )
        },
        Ep::TokenCode => post(
            "/token",
            params(redemption_pairs(&m.code, wk::CLIENT_REDIRECT_URI)),
            client(),
        ),
        Ep::TokenRefresh => post(
            "/token",
            vec![
                p("grant_type", "refresh_token"),
                p("refresh_token", &m.refresh_token),
                p("scope", "openid photos.read"),
            ],
            client(),
        ),
        Ep::TokenPublic => post(
            "/token",
            params(
                redemption_pairs(&m.code, wk::NATIVE_REDIRECT_URI)
                    .into_iter()
                    .chain([
                        ("client_id", wk::NATIVE_CLIENT_ID),
                        ("resource", wk::RS_ORIGIN),
                    ]),
            ),
            None,
        ),
        Ep::Revoke => post("/revoke", vec![p("token", &m.access_token)], client()),
        Ep::Introspect => post(
            "/introspect",
            vec![p("token", &m.access_token)],
            Some(basic(wk::RS_CLIENT_ID, wk::RS_CLIENT_SECRET)),
        ),
        Ep::IntrospectRefresh => post(
            "/introspect",
            vec![
                p("token", &m.refresh_token),
                p("token_type_hint", "refresh_token"),
            ],
            Some(basic(wk::RS_CLIENT_ID, wk::RS_CLIENT_SECRET)),
        ),
        Ep::Jwks => get("/jwks", Vec::new()),
        Ep::MetaOAuth => get("/.well-known/oauth-authorization-server", Vec::new()),
        Ep::MetaOidc => get("/.well-known/openid-configuration", Vec::new()),
        Ep::Unknown => get("/.well-known/../token/x", vec![p("a", "b")]),
    }
}

/// A garbage or damaged JWT (or other token).
#[derive(Debug, Clone)]
enum BadToken {
    /// The valid access token cut after this many characters.
    Truncated(usize),
    /// The valid access token with the character at this position changed.
    Flipped(usize),
    /// Three random segments.
    Segments(String, String, String),
    /// `alg: none` with the claims of the valid token.
    AlgNone,
    /// A header that is not JSON, or names another algorithm.
    Header(&'static str),
    /// The ID token, the refresh token, the code: real tokens of the wrong kind.
    WrongKind(u8),
    Literal(&'static str),
}

fn bad_token(b: &BadToken, m: &Material) -> String {
    let at = &m.access_token;
    match b {
        BadToken::Truncated(n) => at.chars().take(n % (at.len() + 1)).collect(),
        BadToken::Flipped(n) => {
            let i = n % at.len();
            at.char_indices()
                .map(|(j, c)| {
                    if j != i {
                        c
                    } else if c == 'A' {
                        'B'
                    } else {
                        'A'
                    }
                })
                .collect()
        }
        BadToken::Segments(a, b, c) => format!("{a}.{b}.{c}"),
        BadToken::AlgNone => {
            let (_, rest) = at.split_once('.').unwrap_or(("", ""));
            let payload = rest.split('.').next().unwrap_or("");
            let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"at+jwt"}"#);
            format!("{header}.{payload}.")
        }
        BadToken::Header(h) => {
            let rest = at.split_once('.').map(|x| x.1).unwrap_or("");
            format!("{}.{rest}", URL_SAFE_NO_PAD.encode(h.as_bytes()))
        }
        BadToken::WrongKind(k) => match k % 3 {
            0 => m.id_token.clone(),
            1 => m.refresh_token.clone(),
            _ => m.code.clone(),
        },
        BadToken::Literal(s) => s.to_string(),
    }
}

/// A change to a valid request.
#[derive(Debug, Clone)]
enum Mutation {
    Drop(usize),
    Repeat(usize),
    /// Replace a value with arbitrary text (properly encoded).
    Replace(usize, String),
    /// Replace a value with a huge one.
    Huge(usize, usize),
    /// Put a broken percent-encoding into a value, verbatim.
    BadPercent(usize, &'static str),
    /// Set the value of a token-like parameter to a damaged token.
    Token(BadToken),
    /// An unknown parameter.
    Extra(String, String),
    EmptyValue(usize),
    /// Replace the body with these bytes.
    RawBody(Vec<u8>),
    /// Append invalid UTF-8 to the body; `true`: declare the lossy length.
    InvalidUtf8(bool),
    /// Cut the encoded body after this many bytes.
    Truncate(usize),
    ContentType(Option<Vec<u8>>),
    Method(Method),
    /// Replace the Authorization header(s).
    Authorization(Vec<Vec<u8>>),
    Cookie(Option<String>),
    RawQuery(String),
}

const BAD_PERCENT: [&str; 10] = [
    "%",
    "%z",
    "%zz",
    "%E2%82",
    "%ff%fe",
    "%00",
    "%%%",
    "%C3%28",
    "%ED%A0%80",
    "abc%2",
];

fn broken_authorizations() -> Vec<Vec<Vec<u8>>> {
    let b64 = |b: &[u8]| format!("Basic {}", STANDARD.encode(b)).into_bytes();
    vec![
        vec![],
        vec![b"Basic !!!notbase64".to_vec()],
        vec![b"Basic".to_vec()],
        vec![b"Basic ".to_vec()],
        vec![b"".to_vec()],
        vec![b"Bearer abc".to_vec()],
        vec![b64(b"no-colon-here")],
        vec![b64(b":secret")],
        vec![b64(b"photo-printer:")],
        vec![b64(&[0xff, 0xfe, b':', 0x80])],
        vec![b64(b"%zz:x")],
        vec![b64(b"photo-printer:%E2%82")],
        vec![b"Basic \xff\xfe".to_vec()],
        vec![b"Basic cGhvdG8tcHJpbnRlcjpwcmludGVyLXNlY3JldC03YzFl====".to_vec()],
        vec![
            basic(wk::CLIENT_ID, wk::CLIENT_SECRET).into_bytes(),
            basic(wk::CLIENT_ID, wk::CLIENT_SECRET).into_bytes(),
        ],
        vec![basic(wk::RS_CLIENT_ID, wk::RS_CLIENT_SECRET).into_bytes()],
        vec![basic(wk::NATIVE_CLIENT_ID, "x").into_bytes()],
        vec![basic("ghost", "x").into_bytes()],
        vec![format!("Basic {}", "A".repeat(20_000)).into_bytes()],
    ]
}

const TOKEN_PARAMS: [&str; 4] = ["token", "code", "refresh_token", "code_verifier"];

fn apply(d: &mut Draft, mutation: &Mutation, m: &Material) {
    let n = d.params.len();
    match mutation {
        Mutation::Drop(i) if n > 0 => {
            d.params.remove(i % n);
        }
        Mutation::Repeat(i) if n > 0 => {
            let dup = d.params[i % n].clone();
            d.params.push(dup);
        }
        Mutation::Replace(i, v) if n > 0 => {
            d.params[i % n] = p(&d.params[i % n].name.clone(), v);
        }
        Mutation::Huge(i, size) if n > 0 => {
            let size = if d.in_query {
                (*size).min(MAX_URL)
            } else {
                *size
            };
            d.params[i % n].value = "x".repeat(size);
            d.params[i % n].raw = false;
        }
        Mutation::BadPercent(i, bad) if n > 0 => {
            let param = &mut d.params[i % n];
            let encoded = Params::from_pairs([("k", param.value.as_str())]).encode();
            param.value = format!("{}{bad}", &encoded[2..]);
            param.raw = true;
        }
        Mutation::Token(b) => {
            let value = bad_token(b, m);
            match d
                .params
                .iter_mut()
                .find(|x| TOKEN_PARAMS.contains(&x.name.as_str()))
            {
                Some(param) => *param = p(&param.name.clone(), &value),
                None => d.params.push(p("token", &value)),
            }
        }
        Mutation::Extra(k, v) => d.params.push(p(k, v)),
        Mutation::EmptyValue(i) if n > 0 => d.params[i % n].value.clear(),
        Mutation::RawBody(bytes) => d.raw_body = Some(bytes.clone()),
        Mutation::InvalidUtf8(lossy) => {
            let mut body = d
                .raw_body
                .take()
                .unwrap_or_else(|| encode(&d.params).into_bytes());
            body.extend_from_slice(&[0xff, b'=', 0xfe, 0x80, b'&', 0xc3]);
            d.raw_body = Some(body);
            d.lossy_length = *lossy;
        }
        Mutation::Truncate(k) => {
            let body = d
                .raw_body
                .take()
                .unwrap_or_else(|| encode(&d.params).into_bytes());
            let cut = k % (body.len() + 1);
            d.raw_body = Some(body[..cut].to_vec());
        }
        Mutation::ContentType(ct) => d.content_type = ct.clone(),
        Mutation::Method(method) => d.method = method.clone(),
        Mutation::Authorization(a) => d.authorization = a.clone(),
        Mutation::Cookie(c) => d.cookie = c.clone(),
        Mutation::RawQuery(q) => d.raw_query.push_str(q),
        _ => {}
    }
}

fn encode(params: &[Param]) -> String {
    params
        .iter()
        .map(|x| {
            let name = Params::from_pairs([(x.name.as_str(), "")]).encode();
            let name = name.trim_end_matches('=');
            if x.raw {
                format!("{name}={}", x.value)
            } else {
                let enc = Params::from_pairs([("k", x.value.as_str())]).encode();
                format!("{name}={}", &enc[2..])
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn build(d: &Draft) -> Request {
    let mut query = if d.in_query {
        encode(&d.params)
    } else {
        String::new()
    };
    query.push_str(&d.raw_query);
    // The query is ASCII (encoded, or ASCII raw fragments); keep the URL buildable.
    query.truncate(MAX_URL);
    let url = if query.is_empty() {
        format!("https://as.example{}", d.path)
    } else {
        format!("https://as.example{}?{query}", d.path)
    };
    let mut req = request(d.method.clone(), &url);
    assert_eq!(
        req.uri().host(),
        Some("as.example"),
        "the generator built an unusable URL: {}",
        url.chars().take(200).collect::<String>()
    );
    let headers = req.headers_mut();
    for a in &d.authorization {
        if let Ok(v) = HeaderValue::from_bytes(a) {
            headers.append("authorization", v);
        }
    }
    if let Some(c) = &d.cookie {
        set_header(headers, "cookie", &format!("as_session={c}"));
    }
    if let Some(ct) = &d.content_type
        && let Ok(v) = HeaderValue::from_bytes(ct)
    {
        headers.insert("content-type", v);
    }
    let body = match &d.raw_body {
        Some(b) => b.clone(),
        None if d.in_query => Vec::new(),
        None => encode(&d.params).into_bytes(),
    };
    if d.lossy_length {
        let len = String::from_utf8_lossy(&body).len();
        set_header(headers, "content-length", &len.to_string());
    }
    *req.body_mut() = body;
    req
}

// ---------------------------------------------------------------- the checks

const TOKEN_ERRORS: &[&str] = &[
    "invalid_request",
    "invalid_client",
    "invalid_grant",
    "unauthorized_client",
    "unsupported_grant_type",
    "invalid_scope",
    "invalid_target",
];
const REVOKE_ERRORS: &[&str] = &[
    "invalid_request",
    "invalid_client",
    "unauthorized_client",
    "unsupported_token_type",
];
const INTROSPECT_ERRORS: &[&str] = &["invalid_request", "invalid_client", "unauthorized_client"];

/// Where a redirect of the AS may point under the `bcp` profile: the AS itself or a
/// registered redirect URI (RFC 9700 §4.1.3, §4.11.2).
const REDIRECT_TARGETS: &[&str] = &[
    "https://as.example/",
    "https://client.example/cb?",
    "https://client.example/cb#",
    "https://spa.example/cb?",
    "https://spa.example/cb#",
    "com.example.photos:/cb?",
    "http://127.0.0.1/cb?",
];

/// Sends `drafts` through the bus in one world and checks every answer.
fn run_world(defenses: Defenses, drafts: &[Draft]) -> Result<(), TestCaseError> {
    let m = material();
    let strict = defenses == Defenses::bcp();
    let mut sim = Simulation::new(5, defenses);
    sim.add_actor(Box::new(m.server.clone()));
    sim.add_actor(Box::new(burst_probe("probe", drafts.iter().map(build))));
    sim.run_until_idle();
    let probe = sim.actor::<Probe>("probe").expect("probe");
    prop_assert_eq!(probe.sent.len(), drafts.len());
    let trace = sim.trace();
    for (d, (id, wire)) in drafts.iter().zip(&probe.sent) {
        let first_line = wire.lines().next().unwrap_or("").chars().take(120);
        let what = format!("{} ({:?})", first_line.collect::<String>(), d.method);
        let step = trace.response_to(*id);
        prop_assert!(step.is_some(), "no response to {}", what);
        let Some(step) = step else { continue };
        let resp = parse_response(&step.wire);
        prop_assert!(resp.is_ok(), "unparsable response to {}: {:?}", what, resp);
        let Ok(resp) = resp else { continue };
        let status = resp.status().as_u16();
        prop_assert!((200..500).contains(&status), "{} answered {}", what, status);
        // A request whose wire text is not HTTP never reaches the AS: the receiving
        // HTTP layer answers 400 itself (RFC 9112 §3). Only raw non-UTF-8 bodies do that.
        let reached_as = trace
            .steps
            .iter()
            .find(|s| s.kind == StepKind::Request && s.msg_id == Some(*id))
            .is_some_and(|s| !s.annotation.contains("malformed HTTP"));
        if !reached_as {
            prop_assert!(d.raw_body.is_some() && !d.lossy_length, "{}", what);
            prop_assert_eq!(status, 400);
            continue;
        }
        check_answer(d, &resp, strict, &what)?;
    }
    Ok(())
}

fn check_answer(d: &Draft, resp: &Response, strict: bool, what: &str) -> Result<(), TestCaseError> {
    let status = resp.status();
    let content_type = response_header(resp, "content-type").unwrap_or("");
    let allowed = match d.path.as_str() {
        "/token" => Some(TOKEN_ERRORS),
        "/revoke" => Some(REVOKE_ERRORS),
        "/introspect" => Some(INTROSPECT_ERRORS),
        _ => None,
    };
    if let Some(allowed) = allowed {
        if status.is_client_error() {
            prop_assert_eq!(content_type, "application/json", "{}", what);
            let body: Result<ErrorBody, _> = serde_json::from_slice(resp.body());
            prop_assert!(body.is_ok(), "{} answered a non-RFC error body", what);
            let Ok(body) = body else { return Ok(()) };
            prop_assert!(
                allowed.contains(&body.error.as_str()),
                "{} answered error {}",
                what,
                body.error
            );
            let desc = body.error_description.unwrap_or_default();
            prop_assert!(
                is_rfc6749_description(&desc),
                "error_description outside RFC 6749 §5.2's characters: {}",
                desc
            );
            prop_assert_eq!(
                status == StatusCode::UNAUTHORIZED,
                body.error == "invalid_client",
                "{} answered {} {}",
                what,
                status,
                body.error
            );
            if status == StatusCode::UNAUTHORIZED {
                let challenge = response_header(resp, "www-authenticate").unwrap_or("");
                prop_assert_eq!(challenge, "Basic realm=\"as.example\"", "{}", what);
            } else {
                prop_assert!(
                    status == StatusCode::BAD_REQUEST || status == StatusCode::METHOD_NOT_ALLOWED,
                    "{} answered {}",
                    what,
                    status
                );
            }
            prop_assert_eq!(response_header(resp, "cache-control"), Some("no-store"));
        } else {
            prop_assert_eq!(status, StatusCode::OK, "{}", what);
            match d.path.as_str() {
                "/token" => {
                    let t: Result<TokenResponse, _> = serde_json::from_slice(resp.body());
                    prop_assert!(t.is_ok(), "{} answered 200 without tokens", what);
                }
                "/introspect" => {
                    let v: serde_json::Value =
                        serde_json::from_slice(resp.body()).unwrap_or_default();
                    prop_assert!(v["active"].is_boolean(), "{}", what);
                }
                _ => {}
            }
        }
        return Ok(());
    }
    if status.is_redirection() {
        let loc = response_header(resp, "location");
        prop_assert!(loc.is_some(), "{} redirected nowhere", what);
        if strict {
            let loc = loc.unwrap_or("");
            prop_assert!(
                REDIRECT_TARGETS.iter().any(|t| loc.starts_with(t)),
                "{} redirected to {}",
                what,
                loc
            );
        }
    } else if status.is_client_error() {
        prop_assert!(
            content_type.starts_with("text/html"),
            "{} answered {} as {}",
            what,
            status,
            content_type
        );
    } else if d.path.starts_with("/.well-known/") || d.path == "/jwks" {
        let v: Result<serde_json::Value, _> = serde_json::from_slice(resp.body());
        prop_assert!(v.is_ok(), "{}", what);
    }
    Ok(())
}

// ---------------------------------------------------------------- a fixed catalogue

/// Every mutation kind at least once, for one endpoint.
fn catalogue() -> Vec<Vec<Mutation>> {
    let mut v: Vec<Vec<Mutation>> = vec![vec![]];
    for i in 0..6 {
        v.push(vec![Mutation::Drop(i)]);
        v.push(vec![Mutation::Repeat(i)]);
        v.push(vec![Mutation::EmptyValue(i)]);
        v.push(vec![Mutation::BadPercent(
            i,
            BAD_PERCENT[i % BAD_PERCENT.len()],
        )]);
    }
    for bad in BAD_PERCENT {
        v.push(vec![Mutation::BadPercent(0, bad)]);
    }
    for size in [5_000, 20_000, 100_000] {
        v.push(vec![Mutation::Huge(0, size)]);
        v.push(vec![Mutation::Huge(1, size)]);
    }
    v.push(vec![Mutation::Extra("x".repeat(100_000), "y".into())]);
    for token in [
        BadToken::Truncated(30),
        BadToken::Truncated(200),
        BadToken::Flipped(5),
        BadToken::Flipped(400),
        BadToken::Segments("a".into(), "b".into(), "c".into()),
        BadToken::AlgNone,
        BadToken::Header("not json"),
        BadToken::Header(r#"{"alg":"HS256","typ":"at+jwt"}"#),
        BadToken::Header(r#"{"alg":"RS256","kid":"../../etc/passwd"}"#),
        BadToken::WrongKind(0),
        BadToken::WrongKind(1),
        BadToken::WrongKind(2),
        BadToken::Literal(".."),
        BadToken::Literal(""),
        BadToken::Literal("eyJhbGciOiJub25lIn0"),
    ] {
        v.push(vec![Mutation::Token(token)]);
    }
    v.push(vec![Mutation::RawBody(vec![0xff, 0xfe, 0x00, 0x80])]);
    v.push(vec![Mutation::InvalidUtf8(false)]);
    v.push(vec![Mutation::InvalidUtf8(true)]);
    v.push(vec![Mutation::Replace(
        0,
        "\u{0}\u{ffff}é\"<script>".into(),
    )]);
    for k in [0, 1, 7, 30] {
        v.push(vec![Mutation::Truncate(k)]);
    }
    for ct in [
        None,
        Some(b"application/json".to_vec()),
        Some(b"text/plain".to_vec()),
        Some(b"multipart/form-data; boundary=x".to_vec()),
        Some(b"application/x-www-form-urlencoded; charset=latin1".to_vec()),
        Some(b"\xff\xfe".to_vec()),
    ] {
        v.push(vec![Mutation::ContentType(ct)]);
    }
    for method in [
        "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "BREW",
    ] {
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        v.push(vec![Mutation::Method(method)]);
    }
    for a in broken_authorizations() {
        v.push(vec![Mutation::Authorization(a)]);
    }
    v.push(vec![Mutation::Cookie(None)]);
    v.push(vec![Mutation::Cookie(Some("%%%".into()))]);
    v.push(vec![Mutation::RawQuery("&%zz=%&&==&a=%E2%82".into())]);
    v.push(vec![Mutation::Extra(
        "resource".into(),
        "https://rs.example".into(),
    )]);
    v.push(vec![
        Mutation::Extra("resource".into(), "https://rs.example".into()),
        Mutation::Extra("resource".into(), "https://rs.example".into()),
    ]);
    v.push(vec![Mutation::Extra(
        "resource".into(),
        "not a uri#x".into(),
    )]);
    v.push(vec![Mutation::Extra(
        "scope".into(),
        "photos.write admin".into(),
    )]);
    v
}

#[test]
fn every_endpoint_answers_every_catalogued_mutation() {
    let m = material();
    let cat = catalogue();
    let mut naive_implicit = Defenses::naive();
    naive_implicit.no_implicit_grant = false;
    for defenses in [Defenses::bcp(), naive_implicit] {
        for ep in ALL_EPS {
            let drafts: Vec<Draft> = cat
                .iter()
                .map(|muts| {
                    let mut d = template(ep, m);
                    for mu in muts {
                        apply(&mut d, mu, m);
                    }
                    d
                })
                .collect();
            // One world per request: each mutation meets the valid state (an unused
            // code, a pending transaction), not what an earlier request left.
            for d in &drafts {
                if let Err(e) = run_world(defenses.clone(), std::slice::from_ref(d)) {
                    panic!("{ep:?}: {e}");
                }
            }
        }
    }
}

#[test]
fn the_valid_templates_succeed() {
    let m = material();
    let expected = [
        (Ep::Authorize, 200),
        (Ep::Login, 303),
        (Ep::ConsentGet, 200),
        (Ep::ConsentPost, 303),
        (Ep::TokenCode, 200),
        (Ep::TokenRefresh, 200),
        (Ep::Introspect, 200),
        (Ep::Jwks, 200),
        (Ep::MetaOAuth, 200),
        (Ep::MetaOidc, 200),
        (Ep::Unknown, 404),
    ];
    let mut sim = Simulation::new(5, Defenses::bcp());
    sim.add_actor(Box::new(m.server.clone()));
    let requests = expected.iter().map(|(ep, _)| build(&template(*ep, m)));
    sim.add_actor(Box::new(burst_probe("probe", requests)));
    sim.run_until_idle();
    let probe = sim.actor::<Probe>("probe").expect("probe");
    for (i, (ep, status)) in expected.iter().enumerate() {
        let resp = probe.response(i).expect("response");
        assert_eq!(
            resp.status().as_u16(),
            *status,
            "{ep:?}: {}",
            String::from_utf8_lossy(resp.body())
        );
    }
}

// ---------------------------------------------------------------- random

fn bad_token_strategy() -> impl Strategy<Value = BadToken> {
    prop_oneof![
        any::<usize>().prop_map(BadToken::Truncated),
        any::<usize>().prop_map(BadToken::Flipped),
        (
            "[A-Za-z0-9_=-]{0,30}",
            "[A-Za-z0-9_.=-]{0,60}",
            "[A-Za-z0-9_-]{0,30}"
        )
            .prop_map(|(a, b, c)| BadToken::Segments(a, b, c)),
        Just(BadToken::AlgNone),
        prop::sample::select(vec![
            "{",
            "[]",
            "null",
            r#"{"alg":"none"}"#,
            r#"{"alg":"HS256","typ":"at+jwt","kid":"as-demo-2026"}"#,
            r#"{"alg":"RS256","typ":"at+jwt","jku":"https://attacker.example/jwks"}"#,
        ])
        .prop_map(BadToken::Header),
        any::<u8>().prop_map(BadToken::WrongKind),
    ]
}

fn method_strategy() -> impl Strategy<Value = Method> {
    prop::sample::select(vec![
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::HEAD,
        Method::OPTIONS,
    ])
}

fn mutation_strategy() -> impl Strategy<Value = Mutation> {
    let idx = 0usize..8;
    prop_oneof![
        idx.clone().prop_map(Mutation::Drop),
        idx.clone().prop_map(Mutation::Repeat),
        (idx.clone(), any::<String>()).prop_map(|(i, s)| Mutation::Replace(i, s)),
        (
            idx.clone(),
            prop::sample::select(vec![4_097, 20_000, 100_000])
        )
            .prop_map(|(i, n)| Mutation::Huge(i, n)),
        (idx.clone(), prop::sample::select(BAD_PERCENT.to_vec()))
            .prop_map(|(i, b)| Mutation::BadPercent(i, b)),
        bad_token_strategy().prop_map(Mutation::Token),
        ("[a-z_]{1,12}", any::<String>()).prop_map(|(k, v)| Mutation::Extra(k, v)),
        idx.clone().prop_map(Mutation::EmptyValue),
        prop::collection::vec(any::<u8>(), 0..300).prop_map(Mutation::RawBody),
        any::<bool>().prop_map(Mutation::InvalidUtf8),
        any::<usize>().prop_map(Mutation::Truncate),
        prop::option::of(prop::collection::vec(any::<u8>(), 0..40)).prop_map(Mutation::ContentType),
        method_strategy().prop_map(Mutation::Method),
        prop::sample::select(broken_authorizations()).prop_map(Mutation::Authorization),
        prop::collection::vec(any::<u8>(), 0..80).prop_map(|b| Mutation::Authorization(vec![b])),
        prop::option::of("[ -~]{0,40}").prop_map(Mutation::Cookie),
        "[A-Za-z0-9%=&+._~-]{0,80}".prop_map(Mutation::RawQuery),
    ]
}

fn defenses_strategy() -> impl Strategy<Value = Defenses> {
    prop::sample::select(vec![0u8, 1, 2]).prop_map(|k| match k {
        0 => Defenses::bcp(),
        1 => Defenses::rfc6749(),
        _ => Defenses::naive(),
    })
}

proptest! {
    // CI's fixed defaults: the same cases every run. PROPTEST_CASES and
    // PROPTEST_RNG_SEED override them (README, "Testing").
    #![proptest_config(proptest::test_runner::contextualize_config(ProptestConfig {
            cases: 256,
            rng_seed: proptest::test_runner::RngSeed::Fixed(2026),
            failure_persistence: None,
            ..ProptestConfig::default()
        }))]

    /// Valid requests to every endpoint, each damaged in up to three ways; one world
    /// per case, so earlier requests change the state later ones meet.
    #[test]
    fn mutated_valid_requests_get_rfc_answers(
        defenses in defenses_strategy(),
        requests in prop::collection::vec(
            (
                prop::sample::select(ALL_EPS.to_vec()),
                prop::collection::vec(mutation_strategy(), 0..4),
            ),
            1..20,
        ),
    ) {
        let m = material();
        let drafts: Vec<Draft> = requests
            .iter()
            .map(|(ep, muts)| {
                let mut d = template(*ep, m);
                for mu in muts {
                    apply(&mut d, mu, m);
                }
                d
            })
            .collect();
        run_world(defenses, &drafts)?;
    }

    /// Requests made of random parts.
    #[test]
    fn random_requests_get_rfc_answers(
        defenses in defenses_strategy(),
        requests in prop::collection::vec(
            (
                method_strategy(),
                prop::sample::select(vec![
                    "/authorize", "/login", "/consent", "/token", "/revoke", "/introspect",
                    "/jwks", "/.well-known/oauth-authorization-server",
                    "/.well-known/openid-configuration", "/", "/tokens", "/TOKEN",
                ]),
                "[A-Za-z0-9%=&+._~-]{0,120}",
                prop::collection::vec(any::<u8>(), 0..200),
                prop::option::of(prop::sample::select(vec![
                    "application/x-www-form-urlencoded", "application/json", "text/html", "",
                ])),
                prop::collection::vec(prop::collection::vec(any::<u8>(), 0..60), 0..2),
            ),
            1..16,
        ),
    ) {
        let drafts: Vec<Draft> = requests
            .into_iter()
            .map(|(method, path, query, body, ct, auth)| Draft {
                method,
                path: path.to_string(),
                params: Vec::new(),
                in_query: true,
                authorization: auth,
                cookie: None,
                content_type: ct.map(|c| c.as_bytes().to_vec()),
                lossy_length: std::str::from_utf8(&body).is_err(),
                raw_body: Some(body),
                raw_query: query,
            })
            .collect();
        run_world(defenses, &drafts)?;
    }
}
