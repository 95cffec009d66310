//! `redirect-uri-lax` live: the attacker's own browser starts a sign-in at the live
//! client and stops at the AS; the site redirects its visitors to that authorization
//! request with a redirect URI that climbs out of `/cb`. A lax AS sends the visitor's
//! code to the client's home page, whose ad from the site gets it in `Referer`, and the
//! attacker opens the callback with it in its own waiting session (RFC 9700 §4.1).

use super::{SiteParties, attackers_session_shows_alice, callback, label, referer_sink};
use crate::attacks::catalog::redirect_uri_lax as lax;
use crate::live::hub::Hub;
use crate::live::parties::LiveUrls;

/// The attacker's site at `site` and its own browser, whose sign-in at the live client
/// stops at the AS; Photo Printer's home page shows the site's ad, and Alice's simulated
/// browser is a legacy one, as in the simulation.
pub fn parties(urls: &LiveUrls, site: &str) -> SiteParties {
    let attacker = lax::attacker_site(&label(site), site, &callback(urls));
    let site = site.to_string();
    referer_sink(urls, attacker, Box::new(move |c| lax::show_ad(c, &site)))
}

/// What the visitor sees happen.
pub fn walkthrough(site: &str, client: &str) -> String {
    format!(
        "The attacker's own browser starts a sign-in at {client} and stops at the AS, \
         so its session there waits. Open {site}/ in the browser: it sends you to the AS with the \
         attacker's authorization request, its redirect_uri changed to {client}/cb/../. An AS \
         that matches redirect URIs loosely accepts it and, once you sign in as alice, sends the \
         code to Photo Printer's home page, which shows an ad from {site}. A browser that sends \
         the full page URL in Referer hands the ad's site the code, which the attacker opens in \
         its own session; today's browsers send only the origin, so the attack needs a browser \
         from before 2020."
    )
}

/// The goal on whose photos the attacker's own session at the client shows.
pub fn goal(hub: &Hub, urls: &LiveUrls) -> Option<String> {
    attackers_session_shows_alice(hub, urls)
}
