//! `csrf-login` live: the attacker's own browser (an in-process party speaking real
//! HTTP) signs in to the live client as Mallory and stops at the callback; the site
//! redirects its visitors to that callback, so the visitor's session at the client
//! redeems Mallory's code (RFC 6749 §10.12, RFC 9700 §4.7).

use super::{SiteParties, attacker_browser, label, opens, own_session_cookie, stop_own_browser_at};
use crate::actors::client::Client;
use crate::actors::well_known as wk;
use crate::attacks::catalog::csrf_login as csrf;
use crate::attacks::setup::{ATTACKER, sign_in_url};
use crate::live::hub::Hub;
use crate::live::parties::LiveUrls;

/// The attacker's site at `site` and its own browser, which starts Mallory's sign-in
/// at the live client and stops at the callback.
pub fn parties(urls: &LiveUrls, site: &str) -> SiteParties {
    SiteParties {
        actors: vec![
            Box::new(csrf::attacker_site(&label(site), site)),
            Box::new(attacker_browser(urls)),
        ],
        opening: vec![opens(sign_in_url(&urls.client))],
        stop: Some(stop_own_browser_at(
            &urls.client,
            csrf::OWN_BROWSER_STOPS_AT,
            ATTACKER,
        )),
        changes: Default::default(),
    }
}

/// What the visitor sees happen.
pub fn walkthrough(site: &str, client: &str) -> String {
    format!(
        "The attacker's own browser signs in to {client} as mallory and stops at the \
         callback, keeping its URL. Open {site}/ in the browser: it redirects you to that callback, \
         and a client that does not tie the callback to your own sign-in (state, PKCE, nonce) signs \
         you in as mallory. Open {client}/ afterwards to see whose account you are in."
    )
}

/// The goal on the client's sessions: one that is not the attacker's own browser's is
/// signed in as Mallory (a real visitor's cookie is not known to the live world, so
/// every other session counts as a visitor's).
pub fn goal(hub: &Hub, urls: &LiveUrls) -> Option<String> {
    let own = own_session_cookie(hub, urls);
    hub.with_actor::<Client, _>(wk::CLIENT, |c| {
        let own = own.as_deref().and_then(|cookie| c.session(cookie));
        c.sessions()
            .filter(|s| own.is_none_or(|o| o.id != s.id))
            .find_map(|s| csrf::goal_of(s.user.as_ref().map(|(sub, _)| sub.as_str())))
    })
    .flatten()
}
