//! What each attack's live attacker's site is made of: the attacker's parties (its
//! site, and its own browser where the attack needs one), its opening moves, and where
//! it stops its own browser. One file per attack; [`super::attacker_site`] chooses.

pub mod csrf_login;
pub mod open_redirect_on_error;

use crate::actors::browser::{Browser, Person};
use crate::actors::{Actor, ActorId, UserAction};
use crate::attacks::setup::ATTACKER_BROWSER;

use super::hub::Stop;
use super::parties::{LiveUrls, host_of};

/// The attacker's parties in the live world, and what they do on their own.
pub struct SiteParties {
    /// The attacker's site first, then any party of the attacker's own.
    pub actors: Vec<Box<dyn Actor + Send>>,
    /// User actions handed to the attacker's own parties once the world has started
    /// (the attacker starting a sign-in in its own browser).
    pub opening: Vec<(ActorId, UserAction)>,
    /// Where the attacker stops its own browser.
    pub stop: Option<Stop>,
}

impl SiteParties {
    /// The attacker's site alone.
    pub fn site(actor: impl Actor + Send + 'static) -> Self {
        SiteParties {
            actors: vec![Box::new(actor)],
            opening: Vec::new(),
            stop: None,
        }
    }
}

/// The label of the attacker's site at `site` (`Attacker (127.0.0.4:9003)`).
pub fn label(site: &str) -> String {
    format!("Attacker ({})", host_of(site))
}

/// The attacker's own browser with Mallory's account at the live AS; she follows links
/// to the live client too.
pub fn attacker_browser(urls: &LiveUrls) -> Browser {
    let mut mallory = Person::mallory().with_account_at(&urls.auth_server);
    mallory.trusted_sites.push(urls.client.clone());
    Browser::new(ATTACKER_BROWSER, mallory)
}

/// The attacker's browser opens `url` once the world has started.
pub fn opens(url: String) -> (ActorId, UserAction) {
    (ActorId::new(ATTACKER_BROWSER), UserAction::Navigate { url })
}

/// The attacker's own browser stops at its first request to `origin` whose path starts
/// with `path`; `taker` gets the request instead (the simulation's capturing tap).
pub fn stop_own_browser_at(origin: &str, path: &'static str, taker: &str) -> Stop {
    let origin = origin.to_string();
    let taker = ActorId::new(taker);
    Box::new(move |from, request| {
        let uri = request.uri();
        let to = format!(
            "{}://{}",
            uri.scheme_str().unwrap_or(""),
            uri.authority().map(|a| a.as_str()).unwrap_or("")
        );
        (from.as_str() == ATTACKER_BROWSER && to == origin && uri.path().starts_with(path))
            .then(|| taker.clone())
    })
}
