//! `implicit-token-injection` live: Photo Frame, the attacker's own client registered
//! at the live AS, gets an access token for its visitor; the attacker's own browser,
//! whose implicit sign-in at the live client waits (stopped at the AS), opens the
//! client's implicit-flow page with that token in the fragment (RFC 9700 §2.1.2, §4.3).

use super::{
    SiteParties, attacker_browser, frame_places, label, opens, own_session_cookie,
    stop_own_browser_at,
};
use crate::actors::client::Client;
use crate::actors::well_known as wk;
use crate::attacks::catalog::implicit_injection as implicit;
use crate::attacks::setup::{ATTACKER, STOPS_AT_THE_AS};
use crate::live::hub::Hub;
use crate::live::parties::{Changes, LiveUrls};

/// Photo Frame's site at `site` and registration at the live AS, the attacker's own
/// browser (its implicit sign-in stopped at the AS), and Photo Printer's implicit-flow
/// page and registration, as in the simulation.
pub fn parties(urls: &LiveUrls, site: &str) -> SiteParties {
    let at = frame_places(urls, site);
    let registration = at.client();
    let client = urls.client.clone();
    SiteParties {
        actors: vec![
            Box::new(implicit::token_swap_site(&label(site), &at, &urls.client)),
            Box::new(attacker_browser(urls)),
        ],
        opening: vec![opens(implicit::implicit_login(&urls.client))],
        stop: Some(stop_own_browser_at(
            &urls.auth_server,
            STOPS_AT_THE_AS,
            ATTACKER,
        )),
        changes: Changes {
            client: Some(Box::new(implicit::with_implicit_page)),
            auth_server: Some(Box::new(move |config| {
                implicit::implicit_registration(config, &client);
                config.clients.push(registration.clone());
            })),
            ..Changes::default()
        },
    }
}

/// What the visitor sees happen.
pub fn walkthrough(site: &str, client: &str) -> String {
    format!(
        "The attacker's own browser starts an implicit sign-in at {client} and stops at the AS, so \
         its session there waits. Open {site}/ in the browser: Photo Frame, the attacker's app \
         registered at this AS, asks to read alice's photos; sign in as alice and approve. The \
         access token Photo Frame gets goes into the attacker's waiting session through Photo \
         Printer's implicit-flow page; a client that still takes tokens from the fragment cannot \
         tell it was issued to another client, and shows the attacker alice's photos."
    )
}

/// The goal on whose photos the attacker's own session at the client shows.
pub fn goal(hub: &Hub, urls: &LiveUrls) -> Option<String> {
    let cookie = own_session_cookie(hub, urls)?;
    hub.with_actor::<Client, _>(wk::CLIENT, |c| {
        implicit::token_goal_of(c.session(&cookie)?.photos_owner.as_deref())
    })
    .flatten()
}
