//! What each attack's live attacker's site is made of: the attacker's parties (its
//! site, and its own browser where the attack needs one), its opening moves, and where
//! it stops its own browser. One file per attack; [`super::attacker_site`] chooses.

pub mod consent_clickjacking;
pub mod csrf_login;
pub mod implicit_token_injection;
pub mod open_redirect_on_error;
pub mod redirect_307;
pub mod redirect_uri_lax;
pub mod referer_leak;
pub mod scope_upgrade;

use crate::actors::browser::{Browser, Person};
use crate::actors::client::Client;
use crate::actors::client::ClientConfig;
use crate::actors::client::session::SESSION_COOKIE;
use crate::actors::well_known as wk;
use crate::actors::{Actor, ActorId, UserAction};
use crate::attacks::setup::{
    ATTACKER, ATTACKER_BROWSER, FramePlaces, STOPS_AT_THE_AS, legacy_referrer_policy,
    shows_alices_photos, sign_in_url,
};

use super::hub::{Hub, Stop};
use super::parties::{Change, Changes, LiveUrls, host_of};

/// The attacker's parties in the live world, and what they do on their own.
pub struct SiteParties {
    /// The attacker's site first, then any party of the attacker's own.
    pub actors: Vec<Box<dyn Actor + Send>>,
    /// User actions handed to the attacker's own parties once the world has started
    /// (the attacker starting a sign-in in its own browser).
    pub opening: Vec<(ActorId, UserAction)>,
    /// Where the attacker stops its own browser.
    pub stop: Option<Stop>,
    /// What the attack changes in the honest parties.
    pub changes: Changes,
}

impl SiteParties {
    /// The attacker's site alone.
    pub fn site(actor: impl Actor + Send + 'static) -> Self {
        SiteParties {
            actors: vec![Box::new(actor)],
            opening: Vec::new(),
            stop: None,
            changes: Changes::default(),
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

/// The attacker's own browser's session cookie at the live client.
pub fn own_session_cookie(hub: &Hub, urls: &LiveUrls) -> Option<String> {
    let host = host_of(&urls.client).split(':').next().unwrap_or("");
    hub.with_actor::<Browser, _>(ATTACKER_BROWSER, |b| {
        b.cookie(host, SESSION_COOKIE).map(str::to_string)
    })
    .flatten()
}

/// The goal of the injection attacks, live: the attacker's browser's session at the
/// client shows Alice's photos.
pub fn attackers_session_shows_alice(hub: &Hub, urls: &LiveUrls) -> Option<String> {
    let cookie = own_session_cookie(hub, urls)?;
    hub.with_actor::<Client, _>(wk::CLIENT, |c| {
        shows_alices_photos(c.session(&cookie)?.photos_owner.as_deref())
    })
    .flatten()
}

/// The live world of the `Referer` leaks (RFC 9700 §4.2.4), as the simulation's
/// `referer_sink_world` builds it: the attacker's site `attacker`, its own browser whose
/// sign-in at the client stops at the AS, the client changed by `client` (third-party
/// content from the site), and Alice's simulated browser a legacy one.
pub fn referer_sink(
    urls: &LiveUrls,
    attacker: impl Actor + Send + 'static,
    client: Change<ClientConfig>,
) -> SiteParties {
    SiteParties {
        actors: vec![Box::new(attacker), Box::new(attacker_browser(urls))],
        opening: vec![opens(sign_in_url(&urls.client))],
        stop: Some(stop_own_browser_at(
            &urls.auth_server,
            STOPS_AT_THE_AS,
            ATTACKER,
        )),
        changes: Changes {
            client: Some(client),
            alice: Some(legacy_referrer_policy),
            ..Changes::default()
        },
    }
}

/// The client's callback at the live client.
pub fn callback(urls: &LiveUrls) -> String {
    format!("{}/cb", urls.client)
}

/// Photo Frame's places in the live world: the live AS and RS, and the site.
pub fn frame_places(urls: &LiveUrls, site: &str) -> FramePlaces {
    FramePlaces {
        as_issuer: urls.auth_server.clone(),
        rs_origin: urls.resource_server.clone(),
        site: site.to_string(),
    }
}

/// Photo Frame's site `attacker` at `at.site`, with Photo Frame registered at the live
/// AS as anyone may register a client (RFC 6749 §2).
pub fn photo_frame(at: &FramePlaces, attacker: impl Actor + Send + 'static) -> SiteParties {
    let registration = at.client();
    let mut parties = SiteParties::site(attacker);
    parties.changes.auth_server = Some(Box::new(move |config| {
        config.clients.push(registration.clone())
    }));
    parties
}
