//! `referer-leak` live: the client's callback page embeds the attacker's pixel; a
//! browser whose referrer policy sends full URLs hands the site the callback URL, code
//! included, and the attacker opens the callback with that code in its own browser,
//! whose sign-in waits at the client (RFC 9700 §4.2).

use super::{SiteParties, attackers_session_shows_alice, callback, label, referer_sink};
use crate::attacks::catalog::referer_leak;
use crate::live::hub::Hub;
use crate::live::parties::LiveUrls;

/// The attacker's site at `site` (the pixel) and its own browser, whose sign-in at the
/// live client stops at the AS; Photo Printer's callback page embeds the pixel, and
/// Alice's simulated browser is a legacy one, as in the simulation.
pub fn parties(urls: &LiveUrls, site: &str) -> SiteParties {
    let attacker = referer_leak::attacker_site(&label(site), site, &callback(urls));
    let site = site.to_string();
    referer_sink(
        urls,
        attacker,
        Box::new(move |c| referer_leak::embed_pixel(c, &site)),
    )
}

/// What the visitor sees happen.
pub fn walkthrough(site: &str, client: &str) -> String {
    format!(
        "The attacker's own browser starts a sign-in at {client} and stops at the AS, \
         so its session there waits. Photo Printer's callback page now shows a pixel from {site}. \
         Sign in at {client}/ as alice: a browser that sends the full page URL in Referer hands \
         the pixel's site her code, which the attacker opens in its own session. Today's \
         browsers send only the origin (strict-origin-when-cross-origin), so a current Chromium \
         or Firefox leaks nothing: the attack needs a browser from before 2020."
    )
}

/// The goal on whose photos the attacker's own session at the client shows.
pub fn goal(hub: &Hub, urls: &LiveUrls) -> Option<String> {
    attackers_session_shows_alice(hub, urls)
}
