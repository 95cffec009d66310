//! Building blocks of attack worlds: the attacker's site, browser and registered
//! client, and common registrations at the honest AS.

use crate::actors::auth_server::registrar::{ClientRegistration, GrantType};
use crate::actors::browser::{Browser, Person};
use crate::actors::well_known as wk;
use crate::actors::{ActorId, UserAction};
use crate::sim::ScenarioEvent;

/// The attacker's actor id and origin (RFC 9700 §3 A1: "its own web site").
pub const ATTACKER: &str = "attacker";
pub const ATTACKER_ORIGIN: &str = "https://attacker.example";
/// The attacker's own browser.
pub const ATTACKER_BROWSER: &str = "attacker-browser";
/// The attacker's own client registered at the honest AS ("Photo Frame").
pub const ATTACKER_CLIENT_ID: &str = "photo-frame";
pub const ATTACKER_CLIENT_SECRET: &str = "frame-secret-66a0";
pub const ATTACKER_REDIRECT_URI: &str = "https://attacker.example/cb";

/// The attacker's client registration: confidential, its own redirect URI, and it may
/// ask for read and write access to photos.
pub fn attacker_client() -> ClientRegistration {
    ClientRegistration::confidential(ATTACKER_CLIENT_ID, "Photo Frame", ATTACKER_CLIENT_SECRET)
        .with_redirect_uri(ATTACKER_REDIRECT_URI)
        .with_scopes("openid photos.read photos.write")
        .with_grants(&[GrantType::AuthorizationCode, GrantType::RefreshToken])
}

/// The attacker's own browser, with Mallory's account at the AS.
pub fn attacker_browser() -> Browser {
    Browser::new(ATTACKER_BROWSER, Person::mallory())
}

/// A person opens a URL.
pub fn navigate(browser: &str, url: &str, narration: &str) -> ScenarioEvent {
    ScenarioEvent::Input {
        to: ActorId::new(browser),
        action: UserAction::Navigate { url: url.to_string() },
        narration: narration.to_string(),
    }
}

/// An instruction to an actor (e.g. the attacker's next move).
pub fn instruct(actor: &str, name: &str, narration: &str) -> ScenarioEvent {
    ScenarioEvent::Input {
        to: ActorId::new(actor),
        action: UserAction::Custom { name: name.to_string(), value: String::new() },
        narration: narration.to_string(),
    }
}

/// Simulated time passes.
pub fn wait(secs: u64, narration: &str) -> ScenarioEvent {
    ScenarioEvent::AdvanceClock { secs, narration: narration.to_string() }
}

/// The honest AS's token endpoint.
pub fn token_endpoint() -> String {
    format!("{}/token", wk::AS_ISSUER)
}

/// The honest RS's photo list.
pub fn photos_api() -> String {
    format!("{}/photos", wk::RS_ORIGIN)
}

/// The absolute URL of a request's wire text.
pub fn request_url(wire: &str) -> Option<String> {
    let req = crate::protocol::http_wire::parse_request(wire).ok()?;
    Some(crate::protocol::http_wire::url_string(req.uri()))
}

/// The `Location` of a response's wire text.
pub fn location(wire: &str) -> Option<String> {
    let resp = crate::protocol::http_wire::parse_response(wire).ok()?;
    crate::protocol::http_wire::response_header(&resp, "location").map(str::to_string)
}

/// The query parameters of a URL.
pub fn query(url: &str) -> crate::protocol::params::Params {
    crate::protocol::http_wire::parse_url(url)
        .map(|u| crate::protocol::params::Params::from_query(&u))
        .unwrap_or_default()
}

/// Who the web client believes is signed in, for the session whose cookie `browser`
/// holds.
pub fn client_user_of(sim: &crate::sim::Simulation, browser: &str) -> Option<String> {
    use crate::actors::browser::Browser;
    use crate::actors::client::Client;
    let cookie = sim.actor::<Browser>(browser)?.cookie("client.example", crate::actors::client::session::SESSION_COOKIE)?.to_string();
    let session = sim.actor::<Client>(wk::CLIENT)?.session(&cookie)?;
    session.user.as_ref().map(|(sub, _)| sub.clone())
}

/// Whose photos the web client shows in the session whose cookie `browser` holds.
pub fn client_photos_owner_of(sim: &crate::sim::Simulation, browser: &str) -> Option<String> {
    use crate::actors::browser::Browser;
    use crate::actors::client::Client;
    let cookie = sim.actor::<Browser>(browser)?.cookie("client.example", crate::actors::client::session::SESSION_COOKIE)?.to_string();
    sim.actor::<Client>(wk::CLIENT)?.session(&cookie)?.photos_owner.clone()
}

/// The callback URL that injects `code` into the session that sent `state`.
pub fn injection_url(code: &str, state: Option<&str>) -> String {
    let mut p = crate::protocol::params::Params::default();
    p.push("code", code);
    if let Some(s) = state {
        p.push("state", s);
    }
    p.push("iss", wk::AS_ISSUER);
    crate::protocol::params::append_query(wk::CLIENT_REDIRECT_URI, &p)
}
