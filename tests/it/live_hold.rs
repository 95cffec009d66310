//! Live mode's intercept over real sockets: a held request waits in the hub until the
//! learner forwards it (then its party answers), drops it (502) or it has waited the
//! hold timeout (504); other requests are served meanwhile; a party's back-channel
//! request is held like any other.

use std::time::Duration;

use http::StatusCode;
use oauth_lab::actors::Profile;
use oauth_lab::actors::well_known as wk;
use oauth_lab::actors::{ActorId, UserAction};
use oauth_lab::sim::StepKind;
use oauth_lab::testing::*;

fn metadata_request(
    server: &oauth_lab::live::LiveServer,
) -> oauth_lab::protocol::http_wire::Request {
    get(&format!(
        "{}/.well-known/oauth-authorization-server",
        server.urls().auth_server
    ))
}

/// The live world with intercept on, and a request for the AS's metadata held there.
fn held_metadata_request() -> (
    oauth_lab::live::LiveServer,
    std::thread::JoinHandle<oauth_lab::protocol::http_wire::Response>,
    Vec<oauth_lab::live::hold::HeldView>,
) {
    let server = live_world(Profile::Bcp);
    server.hub().holds().set_on(true);
    let call = live_call_in_background(metadata_request(&server));
    let held = live_wait_held(&server, 1);
    (server, call, held)
}

/// The trace's event steps (what the intercept did), as summaries.
fn events(server: &oauth_lab::live::LiveServer) -> Vec<String> {
    server
        .hub()
        .trace()
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::Event)
        .map(|s| s.summary.to_string())
        .collect()
}

#[test]
fn a_held_request_is_answered_by_its_party_once_forwarded() {
    let (server, call, held) = held_metadata_request();
    assert_eq!(held[0].to, ActorId::new(wk::AS));
    assert_eq!(held[0].from, ActorId::new("learner-client"));
    assert!(
        held[0]
            .wire
            .starts_with("GET /.well-known/oauth-authorization-server"),
        "{}",
        held[0].wire
    );
    // Nothing reached the AS yet: no request step for it.
    assert!(
        server
            .hub()
            .trace()
            .find(wk::AS, "oauth-authorization-server")
            .next()
            .is_none()
    );
    assert!(server.hub().holds().forward(held[0].id, None));
    let resp = call.join().expect("the caller thread ends");
    assert_eq!(resp.status(), StatusCode::OK, "{}", body_text(&resp));
    assert_eq!(json(&resp)["issuer"], server.urls().auth_server.as_str());
    assert!(server.hub().holds().held().is_empty());
    let events = events(&server);
    assert!(
        events.iter().any(
            |e| e.starts_with("GET /.well-known/oauth-authorization-server: held")
                && e.ends_with("then forwarded as it was")
        ),
        "{events:?}"
    );
}

#[test]
fn an_edited_request_is_what_the_party_handles() {
    let (server, call, held) = held_metadata_request();
    // The learner rewrites the path: the AS answers the request it was given.
    let edited = held[0]
        .wire
        .replacen("/.well-known/oauth-authorization-server", "/jwks", 1);
    assert!(server.hub().holds().forward(held[0].id, Some(edited)));
    let resp = call.join().expect("the caller thread ends");
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(json(&resp)["keys"].is_array(), "{}", body_text(&resp));
    assert!(
        events(&server)
            .iter()
            .any(|e| e.ends_with("then forwarded edited by the learner"))
    );
}

#[test]
fn a_request_held_past_the_timeout_gets_a_504() {
    let server = live_world(Profile::Bcp);
    server.hub().holds().set_timeout(Duration::from_millis(300));
    server.hub().holds().set_on(true);
    let resp = live_call(&metadata_request(&server));
    assert_eq!(resp.status(), StatusCode::GATEWAY_TIMEOUT);
    let body = body_text(&resp);
    assert!(
        body.contains("held at oauth-lab's intercept for longer than 0.3 s"),
        "{body}"
    );
    assert!(server.hub().holds().held().is_empty());
    assert!(
        events(&server)
            .iter()
            .any(|e| e.contains("answered 504, as never saw it")),
        "{:?}",
        events(&server)
    );
    // Forwarding it now finds nothing: it is over.
    assert!(!server.hub().holds().forward(1, None));
}

#[test]
fn a_dropped_request_gets_a_502_and_never_reaches_its_party() {
    let (server, call, held) = held_metadata_request();
    assert!(server.hub().holds().drop_held(held[0].id));
    let resp = call.join().expect("the caller thread ends");
    assert_eq!(resp.status(), StatusCode::BAD_GATEWAY);
    assert!(body_text(&resp).contains("dropped this request"));
    let trace = server.hub().trace();
    assert!(
        trace
            .find(wk::AS, "oauth-authorization-server")
            .next()
            .is_none()
    );
    assert!(events(&server).iter().any(|e| e.contains("answered 502")));
}

#[test]
fn other_requests_are_served_while_one_is_held() {
    let server = live_world(Profile::Bcp);
    let holds = server.hub().holds();
    holds.set_only_to(Some(ActorId::new(wk::AS)));
    holds.set_on(true);
    let first = live_call_in_background(metadata_request(&server));
    live_wait_held(&server, 1);
    // Another party answers at once: only the AS's requests are held.
    let api = live_call(&get(&format!("{}/photos", server.urls().resource_server)));
    assert_eq!(api.status(), StatusCode::UNAUTHORIZED);
    // A second request to the AS is held too, and released on its own, first.
    let second = live_call_in_background(get(&format!("{}/jwks", server.urls().auth_server)));
    let held = live_wait_held(&server, 2);
    assert!(holds.forward(held[1].id, None));
    let resp = second.join().expect("the caller thread ends");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(holds.held().len(), 1, "the first is still held");
    // Turning intercept off forwards what is still held.
    assert_eq!(holds.set_on(false), 1);
    assert_eq!(
        first.join().expect("the caller thread ends").status(),
        StatusCode::OK
    );
}

#[test]
fn the_clients_back_channel_token_request_is_held_like_any_other() {
    let server = live_world(Profile::Bcp);
    server.hub().holds().set_on(true);
    let sent = server.hub().input(
        &ActorId::new(wk::BROWSER),
        UserAction::Navigate {
            url: format!("{}/login", server.urls().client),
        },
    );
    assert!(sent);
    let forwarded = live_forward_until_idle(&server, None);
    let token = forwarded
        .iter()
        .find(|h| h.wire.starts_with("POST /token"))
        .unwrap_or_else(|| panic!("the token request was held: {forwarded:?}"));
    assert_eq!(token.from, ActorId::new(wk::CLIENT));
    assert_eq!(token.to, ActorId::new(wk::AS));
    let (_, title, text) = live_page(&server);
    assert_eq!(title, "Your photos", "{text}");
}

#[test]
fn a_held_back_channel_request_that_times_out_gives_its_caller_a_504() {
    let server = live_world(Profile::Bcp);
    server.hub().holds().set_timeout(Duration::from_millis(300));
    server.hub().holds().set_on(true);
    server.hub().input(
        &ActorId::new(wk::BROWSER),
        UserAction::Navigate {
            url: format!("{}/login", server.urls().client),
        },
    );
    // Everything passes but the client's token request, which waits out its timeout.
    let forwarded = live_forward_until_idle(&server, Some("POST /token"));
    assert!(forwarded.iter().any(|h| h.wire.starts_with("GET /cb")));
    let trace = server.hub().trace();
    let held = trace
        .steps
        .iter()
        .find(|s| s.kind == StepKind::Event && s.summary.starts_with("POST /token"))
        .unwrap_or_else(|| panic!("the token request was held"));
    assert!(held.summary.contains("answered 504"), "{}", held.summary);
    let answer = trace.steps.iter().find(|s| {
        s.kind == StepKind::Response
            && s.to.as_str() == wk::CLIENT
            && s.wire.starts_with("HTTP/1.1 504")
    });
    assert!(answer.is_some(), "the client read the 504");
    let (_, title, _) = live_page(&server);
    assert_ne!(title, "Your photos");
}
