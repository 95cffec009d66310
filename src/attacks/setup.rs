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
