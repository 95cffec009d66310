//! docs/PROTOCOL.md items 36–37: dynamic client registration at `POST /register`
//! (RFC 7591), served by an AS configured for it (live mode's is), and the loopback
//! redirect URIs a registered client may use on any port (RFC 8252 §7.3).

use http::StatusCode;
use oauth_lab::actors::auth_server::{AuthServer, AuthServerConfig, ClientType};
use oauth_lab::actors::well_known as wk;
use oauth_lab::actors::{Defenses, Profile};
use oauth_lab::protocol::http_wire::{self, Request, Response};
use oauth_lab::testing::*;

/// The standard AS with `POST /register` on, alone, under `bcp`.
fn registering_as() -> OneActor<AuthServer> {
    let mut config = AuthServerConfig::standard();
    config.dynamic_registration = true;
    let server = AuthServer::new(config).expect("the standard AS");
    OneActor::new(server, Profile::Bcp.defenses(), 7)
}

/// `POST /register` with `body` as `content_type`.
fn register(content_type: &str, body: &str) -> Request {
    let url = format!("{}/register", wk::AS_ISSUER);
    let mut req = http_wire::request(http::Method::POST, &url);
    http_wire::set_header(req.headers_mut(), "content-type", content_type);
    *req.body_mut() = body.as_bytes().to_vec();
    req
}

fn client_ids(server: &OneActor<AuthServer>) -> Vec<String> {
    (server.actor.clients())
        .map(|c| c.client_id.clone())
        .collect()
}

#[test]
fn item_36_a_registration_gets_201_with_an_id_and_secret_the_as_chose() {
    let mut server = registering_as();
    let answer = server.answer_via_wire(register(
        "application/json",
        r#"{"client_name":"My script","redirect_uris":["http://127.0.0.1/callback"],
            "grant_types":["authorization_code","refresh_token"],"scope":"openid photos.read"}"#,
    ));
    assert_eq!(
        answer.status(),
        StatusCode::CREATED,
        "{}",
        body_text(&answer)
    );
    let reg = json(&answer);
    let id = reg["client_id"].as_str().expect("a client_id").to_string();
    assert!(id.starts_with("dyn-"), "{id}");
    assert!(reg["client_secret"].as_str().is_some_and(|s| s.len() >= 24));
    assert_eq!(reg["client_secret_expires_at"], 0);
    assert_eq!(reg["token_endpoint_auth_method"], "client_secret_basic");
    assert_eq!(reg["redirect_uris"][0], "http://127.0.0.1/callback");
    assert_eq!(reg["grant_types"][1], "refresh_token");
    assert_eq!(reg["scope"], "openid photos.read");
    assert!(client_ids(&server).contains(&id));

    // `none` registers a public client, without a secret; the defaults are the code
    // grant and `openid photos.read`.
    let public = json(&server.answer_via_wire(register(
        "application/json",
        r#"{"redirect_uris":["com.example.mine:/cb"],"token_endpoint_auth_method":"none"}"#,
    )));
    assert!(public.get("client_secret").is_none(), "{public}");
    assert_eq!(public["grant_types"][0], "authorization_code");
    assert_eq!(public["scope"], "openid photos.read");
    let public_id = public["client_id"].as_str().expect("a client_id");
    let kind = (server.actor.clients())
        .find(|c| c.client_id == public_id)
        .map(|c| c.client_type);
    assert_eq!(kind, Some(ClientType::Public));
}

#[test]
fn item_36_unsafe_or_unsupported_metadata_is_refused_with_the_rfc_7591_codes() {
    let mut server = registering_as();
    let before = client_ids(&server);
    let json_type = "application/json";
    let cases: [(&str, &str, &str); 11] = [
        (
            json_type,
            r#"{"client_name":"no URIs"}"#,
            "invalid_redirect_uri",
        ),
        (
            json_type,
            r#"{"redirect_uris":["http://evil.example/cb"]}"#,
            "invalid_redirect_uri",
        ),
        (
            json_type,
            r#"{"redirect_uris":["https://app.example/cb#frag"]}"#,
            "invalid_redirect_uri",
        ),
        (
            json_type,
            r#"{"redirect_uris":["https://app.example/cb"],"grant_types":["client_credentials"]}"#,
            "invalid_client_metadata",
        ),
        (
            json_type,
            r#"{"redirect_uris":["https://app.example/cb"],"grant_types":["implicit"]}"#,
            "invalid_client_metadata",
        ),
        (
            json_type,
            r#"{"redirect_uris":["https://app.example/cb"],"token_endpoint_auth_method":"private_key_jwt"}"#,
            "invalid_client_metadata",
        ),
        (
            json_type,
            r#"{"redirect_uris":["https://app.example/cb"],"scope":"openid admin"}"#,
            "invalid_client_metadata",
        ),
        (
            json_type,
            r#"{"redirect_uris":"https://app.example/cb"}"#,
            "invalid_client_metadata",
        ),
        (json_type, "[1, 2]", "invalid_client_metadata"),
        (json_type, "{", "invalid_client_metadata"),
        (
            "application/x-www-form-urlencoded",
            "redirect_uris=https%3A%2F%2Fapp.example%2Fcb",
            "invalid_client_metadata",
        ),
    ];
    for (content_type, body, code) in cases {
        let answer: Response = server.answer_via_wire(register(content_type, body));
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(error_code(&answer), code, "{body}");
        assert!(
            json(&answer)["error_description"]
                .as_str()
                .is_some_and(|d| !d.is_empty()),
            "{body}"
        );
    }
    assert_eq!(client_ids(&server), before, "nothing was registered");
}

#[test]
fn item_36_without_dynamic_registration_nothing_is_served_or_advertised() {
    let mut server = OneActor::new(AuthServer::standard(), Defenses::bcp(), 7);
    let answer = server.answer_via_wire(register(
        "application/json",
        r#"{"redirect_uris":["https://app.example/cb"]}"#,
    ));
    assert_eq!(answer.status(), StatusCode::NOT_FOUND);
    let metadata_url = format!("{}/.well-known/oauth-authorization-server", wk::AS_ISSUER);
    let metadata = json(&server.answer_via_wire(get(&metadata_url)));
    assert!(
        metadata.get("registration_endpoint").is_none(),
        "{metadata}"
    );
    let mut on = registering_as();
    let metadata = json(&on.answer_via_wire(get(&metadata_url)));
    assert_eq!(
        metadata["registration_endpoint"],
        format!("{}/register", wk::AS_ISSUER)
    );
}

#[test]
fn item_37_a_registered_loopback_redirect_uri_matches_on_any_port_and_nothing_else() {
    let mut server = registering_as();
    let reg = json(&server.answer_via_wire(register(
        "application/json",
        r#"{"redirect_uris":["http://127.0.0.1/callback"],"token_endpoint_auth_method":"none"}"#,
    )));
    let id = reg["client_id"].as_str().expect("a client_id").to_string();
    let ask = |server: &mut OneActor<AuthServer>, redirect_uri: &str| {
        server.answer_via_wire(get(&authorize_url(&[
            ("response_type", "code"),
            ("client_id", &id),
            ("redirect_uri", redirect_uri),
            ("scope", "openid photos.read"),
            ("state", "s"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ])))
    };
    // Any port: the AS goes on to Alice's sign-in page.
    for uri in [
        "http://127.0.0.1:51234/callback",
        "http://127.0.0.1:8080/callback",
        "http://127.0.0.1/callback",
    ] {
        let answer = ask(&mut server, uri);
        assert_eq!(
            answer.status(),
            StatusCode::OK,
            "{uri}: {}",
            body_text(&answer)
        );
    }
    // Another path, host or scheme is not the registered URI: an error page, no redirect.
    for uri in [
        "http://127.0.0.1:51234/other",
        "http://127.0.0.2:51234/callback",
        "https://127.0.0.1:51234/callback",
    ] {
        let answer = ask(&mut server, uri);
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{uri}");
        assert!(location_of(&answer).is_none(), "{uri}");
    }
}
