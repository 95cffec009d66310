//! The resource server against a fake AS (JWKS + introspection) and a probe client:
//! docs/PROTOCOL.md items 18–19 and the three defenses the RS owns.

use http::{Method, StatusCode};
use oauth_lab::actors::clock::EPOCH_UNIX_SECS;
use oauth_lab::actors::resource_server::ResourceServer;
use oauth_lab::actors::{Actor, Defenses, well_known};
use oauth_lab::protocol::http_wire::{self, Request, Response};
use oauth_lab::protocol::jwt::{
    self, ACCESS_TOKEN_TYP, AccessTokenClaims, SigningKey, public_key_bytes,
};
use oauth_lab::protocol::params::Params;
use oauth_lab::sim::simulation::Simulation;
use oauth_lab::testing::*;

fn claims() -> AccessTokenClaims {
    AccessTokenClaims {
        iss: well_known::AS_ISSUER.into(),
        sub: well_known::ALICE.into(),
        aud: well_known::RS_ORIGIN.into(),
        exp: EPOCH_UNIX_SECS + 600,
        iat: EPOCH_UNIX_SECS,
        jti: "jti-1".into(),
        client_id: well_known::CLIENT_ID.into(),
        scope: "openid profile photos.read".into(),
        cnf: None,
    }
}

fn signed(c: &AccessTokenClaims) -> String {
    SigningKey::demo_as().sign(ACCESS_TOKEN_TYP, c)
}

/// `GET https://rs.example{path}`, with a bearer token if given.
fn get(path: &str, token: Option<&str>) -> Request {
    with_bearer(
        oauth_lab::testing::get(&format!("https://rs.example{path}")),
        token,
    )
}

/// Runs the requests through an RS under `defenses`; returns the responses in order
/// and the world.
fn run(
    defenses: Defenses,
    revoked: &[&str],
    requests: Vec<Request>,
) -> (Vec<Response>, Simulation) {
    let n = requests.len();
    let mut sim = rs_world(1, defenses, AsMode::Healthy, revoked, requests);
    sim.run_until_idle();
    (burst_responses(&sim, "client", n), sim)
}

/// Runs the requests through an RS under `bcp`, nothing revoked.
fn run_bcp(requests: Vec<Request>) -> (Vec<Response>, Simulation) {
    run(Defenses::bcp(), &[], requests)
}

/// Requests with `token` as their bearer token, one per `METHOD /path` of `calls`
/// (comma-separated).
fn bearer_calls(token: &str, calls: &str) -> Vec<Request> {
    calls
        .split(", ")
        .map(|call| {
            let (method, path) = call.split_once(' ').expect("METHOD /path");
            let mut r = get(path, Some(token));
            *r.method_mut() = method.parse().expect("a method");
            r
        })
        .collect()
}

/// The RS of the world.
fn rs_of(sim: &Simulation) -> &ResourceServer {
    sim.actor::<ResourceServer>("rs").expect("the RS")
}

/// Checks that every response is a 401 with `error="invalid_token"` (RFC 6750 §3.1).
fn assert_all_invalid_token(r: &[Response]) {
    for resp in r {
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
        assert!(challenge(resp).contains(r#"error="invalid_token""#));
    }
}

fn challenge(r: &Response) -> &str {
    http_wire::response_header(r, "www-authenticate").unwrap_or("")
}

fn body(r: &Response) -> serde_json::Value {
    serde_json::from_slice(r.body()).unwrap_or_default()
}

#[test]
fn no_token_is_401_with_a_bare_challenge() {
    let (r, sim) = run(Defenses::bcp(), &[], vec![get("/photos", None)]);
    assert_eq!(r[0].status(), StatusCode::UNAUTHORIZED);
    assert_eq!(challenge(&r[0]), r#"Bearer realm="rs.example""#);
    let rs = rs_of(&sim);
    assert_eq!(rs.accepted().count(), 0);
    assert_eq!(rs.decisions().len(), 1);
}

#[test]
fn a_good_token_gets_alices_photos_after_the_keys_and_introspection() {
    let t = signed(&claims());
    let (r, sim) = run_bcp(bearer_calls(
        &t,
        "GET /photos, GET /photos/a2, GET /photos/m1",
    ));
    assert_eq!(r[0].status(), StatusCode::OK, "{:?}", body(&r[0]));
    let b = body(&r[0]);
    assert_eq!(b["owner"], "alice");
    assert_eq!(b["photos"].as_array().unwrap().len(), 3);
    assert_eq!(body(&r[1])["photos"][0]["id"], "a2");
    assert_eq!(
        r[2].status(),
        StatusCode::NOT_FOUND,
        "Mallory's photo is not Alice's"
    );
    let rs = rs_of(&sim);
    assert!(rs.accepted_for("alice", well_known::CLIENT_ID));
    assert!(!rs.accepted_for("alice", "someone-else"));
    assert_eq!(rs.accepted().next().unwrap().jti, "jti-1");
    assert_eq!(rs.cached_kids(), ["as-demo-2026"]);
    assert_eq!(rs.parked(), 0);
    let fake = site_in(&sim, "as");
    assert_eq!(fake.got("/jwks").len(), 1);
    let introspections = fake.got("/introspect");
    assert_eq!(introspections.len(), 3);
    let intro = introspections[0];
    assert_eq!(
        http_wire::header(intro, "authorization"),
        Some(basic(well_known::RS_CLIENT_ID, well_known::RS_CLIENT_SECRET).as_str())
    );
    let form = Params::parse(&String::from_utf8_lossy(intro.body()));
    assert_eq!(form.first("token"), Some(t.as_str()));
    assert_eq!(form.first("token_type_hint"), Some("access_token"));
    let notes = notes_of(&sim);
    assert!(
        notes.contains(
            "RS: signature verifies against as.example's key as-demo-2026 (RS256 pinned)"
        )
    );
    assert!(notes.contains("RS: aud is https://rs.example — mine"));
    assert!(
        notes.contains("the request waits for them"),
        "parked until the JWKS came"
    );
}

#[test]
fn a_revoked_token_is_refused_only_with_introspection_on() {
    let t = signed(&claims());
    let (r, _) = run(Defenses::bcp(), &["jti-1"], vec![get("/photos", Some(&t))]);
    assert_eq!(r[0].status(), StatusCode::UNAUTHORIZED);
    assert!(challenge(&r[0]).contains(r#"error="invalid_token""#));
    assert!(challenge(&r[0]).contains("revoked"));
    let mut d = Defenses::bcp();
    d.token_introspection = false;
    let (r, sim) = run(d, &["jti-1"], vec![get("/photos", Some(&t))]);
    assert_eq!(r[0].status(), StatusCode::OK);
    assert!(site_in(&sim, "as").got("/introspect").is_empty());
}

#[test]
fn an_expired_token_is_invalid() {
    let mut c = claims();
    c.exp = EPOCH_UNIX_SECS - 1;
    let (r, sim) = run(
        Defenses::bcp(),
        &[],
        vec![get("/photos", Some(&signed(&c)))],
    );
    assert_eq!(r[0].status(), StatusCode::UNAUTHORIZED);
    assert!(
        challenge(&r[0]).starts_with(
            r#"Bearer realm="rs.example", error="invalid_token", error_description=""#
        )
    );
    assert!(challenge(&r[0]).contains("expired"));
    assert!(site_in(&sim, "as").got("/introspect").is_empty());
}

#[test]
fn a_token_for_another_audience_passes_only_without_the_audience_check() {
    let mut c = claims();
    c.aud = "https://other-rs.example".into();
    let t = signed(&c);
    let (r, _) = run(Defenses::bcp(), &[], vec![get("/photos", Some(&t))]);
    assert_eq!(r[0].status(), StatusCode::UNAUTHORIZED);
    assert!(challenge(&r[0]).contains(r#"error="invalid_token""#));
    let mut d = Defenses::bcp();
    d.audience_check = false;
    let (r, sim) = run(d, &[], vec![get("/photos", Some(&t))]);
    assert_eq!(r[0].status(), StatusCode::OK);
    assert!(
        sim.actor::<ResourceServer>("rs")
            .unwrap()
            .accepted_for("alice", well_known::CLIENT_ID)
    );
}

#[test]
fn forged_none_and_hs256_tokens_pass_only_without_alg_pinning() {
    let mut c = claims();
    c.client_id = "mallory-app".into();
    let key = SigningKey::demo_as();
    let none = jwt::forge_unsigned(ACCESS_TOKEN_TYP, &c);
    let hs = jwt::sign_hs256(
        ACCESS_TOKEN_TYP,
        Some(key.kid()),
        &public_key_bytes(key.jwk()),
        &c,
    );
    let (r, sim) = run_bcp(vec![get("/photos", Some(&none)), get("/photos", Some(&hs))]);
    assert_all_invalid_token(&r);
    assert!(!rs_of(&sim).accepted_for("alice", "mallory-app"));
    let mut d = Defenses::bcp();
    d.alg_pinning = false;
    let (r, sim) = run(
        d,
        &[],
        vec![get("/photos", Some(&none)), get("/photos", Some(&hs))],
    );
    for resp in &r {
        assert_eq!(resp.status(), StatusCode::OK);
    }
    let rs = rs_of(&sim);
    let algs: Vec<_> = rs.accepted().map(|t| t.alg.as_str()).collect();
    assert_eq!(algs, ["none", "HS256"]);
    assert!(rs.accepted_for("alice", "mallory-app"));
    // A forged token with a wrong HMAC key fails even then.
    let mut d = Defenses::bcp();
    d.alg_pinning = false;
    let bad = jwt::sign_hs256(ACCESS_TOKEN_TYP, Some(key.kid()), b"guess", &c);
    let (r, _) = run(d, &[], vec![get("/photos", Some(&bad))]);
    assert_eq!(r[0].status(), StatusCode::UNAUTHORIZED);
}

#[test]
fn too_little_scope_is_403_insufficient_scope() {
    let mut c = claims();
    c.scope = "openid profile".into();
    let (r, _) = run(
        Defenses::bcp(),
        &[],
        vec![get("/photos", Some(&signed(&c)))],
    );
    assert_eq!(r[0].status(), StatusCode::FORBIDDEN);
    let ch = challenge(&r[0]);
    assert!(ch.contains(r#"error="insufficient_scope""#), "{ch}");
    assert!(ch.ends_with(r#"scope="photos.read""#), "{ch}");
}

#[test]
fn wrong_typ_issuer_or_key_is_invalid() {
    let id_token_typ = SigningKey::demo_as().sign("JWT", &claims());
    let mut c = claims();
    c.iss = "https://evil.example".into();
    let wrong_iss = signed(&c);
    let other_key = SigningKey::demo_second_as().sign(ACCESS_TOKEN_TYP, &claims());
    let tokens = [id_token_typ, wrong_iss, other_key];
    let calls = tokens.iter().map(|t| get("/photos", Some(t))).collect();
    let (r, sim) = run(Defenses::naive(), &[], calls);
    assert_all_invalid_token(&r);
    assert_eq!(rs_of(&sim).accepted().count(), 0);
}

#[test]
fn routing_and_hostile_input_never_panic() {
    let t = signed(&claims());
    let mut post = get("/photos", Some(&t));
    *post.method_mut() = Method::POST;
    let mut two = get("/photos", Some(&t));
    http_wire::set_header(two.headers_mut(), "authorization", "Bearer x");
    let huge = "A".repeat(100_000);
    let mut raw = get("/photos", None);
    raw.headers_mut().insert(
        "authorization",
        http::HeaderValue::from_bytes(b"Bearer \xff\xfe.\x80.x").unwrap(),
    );
    let (r, sim) = run(
        Defenses::bcp(),
        &[],
        vec![
            get("/", Some(&t)),
            post,
            two,
            get("/photos", Some("garbage")),
            get("/photos", Some("a.b.c")),
            get("/photos", Some(&huge)),
            get("/photos", Some("eyJhbGciOiJub25lIn0.W10.")),
            raw,
            get("/photos?access_token=abc", None),
        ],
    );
    let statuses: Vec<u16> = r.iter().map(|x| x.status().as_u16()).collect();
    assert_eq!(statuses, [404, 405, 400, 401, 401, 401, 401, 400, 401]);
    assert_eq!(http_wire::response_header(&r[1], "allow"), Some("GET"));
    assert_eq!(challenge(&r[8]), r#"Bearer realm="rs.example""#);
    let rs = rs_of(&sim);
    assert_eq!(rs.decisions().len(), 9);
    assert_eq!(rs.accepted().count(), 0);
    let snap = rs.snapshot();
    assert_eq!(snap[0].title, "JWKS cache");
    assert_eq!(snap[1].title, "Recent decisions");
    assert_eq!(snap[1].rows.len(), 8);
}

fn delete(path: &str, token: Option<&str>) -> Request {
    let mut r = get(path, token);
    *r.method_mut() = Method::DELETE;
    r
}

fn with_scope(scope: &str, jti: &str) -> String {
    let mut c = claims();
    c.scope = scope.into();
    c.jti = jti.into();
    signed(&c)
}

#[test]
fn delete_with_photos_write_removes_the_photo_and_logs_it() {
    let t = with_scope("openid photos.read photos.write", "jti-w");
    let calls =
        "DELETE /photos/a3, DELETE /photos/a3, GET /photos/a3, GET /photos, DELETE /photos/m1";
    let (r, sim) = run_bcp(bearer_calls(&t, calls));
    let statuses: Vec<u16> = r.iter().map(|x| x.status().as_u16()).collect();
    assert_eq!(statuses, [204, 404, 404, 200, 404]);
    assert!(r[0].body().is_empty());
    assert_eq!(body(&r[3])["photos"].as_array().unwrap().len(), 2);
    let rs = rs_of(&sim);
    let [d] = rs.deleted() else {
        panic!("one deletion expected: {:?}", rs.deleted());
    };
    assert_eq!(
        (
            d.sub.as_str(),
            d.photo_id.as_str(),
            d.client_id.as_str(),
            d.jti.as_str()
        ),
        ("alice", "a3", well_known::CLIENT_ID, "jti-w")
    );
    assert_eq!(d.title, "Passport scan (private)");
    assert!(rs.deleted_photo_of("alice"));
    assert!(!rs.deleted_photo_of("mallory"));
    let left: Vec<_> = rs
        .photos_of("alice")
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(left, ["a1", "a2"]);
    assert_eq!(
        rs.photos_of("mallory").len(),
        2,
        "Mallory's photo is not Alice's to delete"
    );
    assert_eq!(
        rs.config().photos_of("alice").len(),
        3,
        "the config is what it started with"
    );
    let snap = rs.snapshot();
    let deleted = snap.iter().find(|s| s.title == "Deleted photos").unwrap();
    assert_eq!(deleted.rows[0].0, "alice/a3");
    let notes = notes_of(&sim);
    assert!(notes.contains("RS: scope \"openid photos.read photos.write\" includes photos.write."));
    assert!(notes.contains("RS: deletes alice's photo a3"), "{notes}");
}

#[test]
fn each_route_asks_for_its_own_scope() {
    let read_only = with_scope("openid profile photos.read", "jti-r");
    let write_only = with_scope("photos.write", "jti-w");
    let mut calls = bearer_calls(&read_only, "DELETE /photos/a1");
    calls.extend(bearer_calls(
        &write_only,
        "GET /photos, GET /photos/a1, DELETE /photos/a1",
    ));
    let (r, sim) = run_bcp(calls);
    for (resp, scope) in r.iter().zip(["photos.write", "photos.read", "photos.read"]) {
        assert_eq!(resp.status(), StatusCode::FORBIDDEN);
        let ch = challenge(resp);
        assert!(ch.contains(r#"error="insufficient_scope""#), "{ch}");
        assert!(ch.ends_with(&format!("scope=\"{scope}\"")), "{ch}");
        assert_eq!(body(resp)["error"], "insufficient_scope");
    }
    assert_eq!(
        r[3].status(),
        StatusCode::NO_CONTENT,
        "write alone may delete"
    );
    let rs = rs_of(&sim);
    assert_eq!(rs.deleted().len(), 1);
    assert_eq!(rs.deleted()[0].jti, "jti-w");
}

#[test]
fn delete_needs_every_token_check_of_get() {
    let good = with_scope("photos.read photos.write", "jti-1");
    let mut c = claims();
    c.scope = "photos.write".into();
    c.exp = EPOCH_UNIX_SECS - 1;
    let expired = signed(&c);
    let none = jwt::forge_unsigned(ACCESS_TOKEN_TYP, &claims());
    let (r, sim) = run(
        Defenses::bcp(),
        &["jti-1"],
        vec![
            delete("/photos/a1", None),
            delete("/photos/a1", Some(&good)),
            delete("/photos/a1", Some(&expired)),
            delete("/photos/a1", Some(&none)),
        ],
    );
    assert_eq!(challenge(&r[0]), r#"Bearer realm="rs.example""#);
    assert_eq!(r[0].status(), StatusCode::UNAUTHORIZED);
    assert_all_invalid_token(&r[1..]);
    let rs = rs_of(&sim);
    assert!(rs.deleted().is_empty());
    assert_eq!(rs.photos_of("alice").len(), 3);
}

#[test]
fn wrong_methods_get_405_with_allow() {
    let t = with_scope("photos.read photos.write", "jti-1");
    let calls = "DELETE /photos, PUT /photos/a1, DELETE /photos/a1/x";
    let (r, sim) = run_bcp(bearer_calls(&t, calls));
    let statuses: Vec<u16> = r.iter().map(|x| x.status().as_u16()).collect();
    assert_eq!(statuses, [405, 405, 404]);
    assert_eq!(http_wire::response_header(&r[0], "allow"), Some("GET"));
    assert_eq!(
        http_wire::response_header(&r[1], "allow"),
        Some("GET, DELETE")
    );
    assert!(
        sim.actor::<ResourceServer>("rs")
            .unwrap()
            .deleted()
            .is_empty()
    );
}
