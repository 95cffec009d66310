//! `open-redirect-on-error` live: the site sends its visitor to the AS with a redirect
//! URI the AS never registered; an AS that redirects the error anyway lands her on the
//! site's look-alike sign-in page (RFC 6749 §4.1.2.1, RFC 9700 §4.11.2).

use super::{SiteParties, label};
use crate::attacks::attacker::Attacker;
use crate::attacks::catalog::open_redirect_on_error as ore;
use crate::attacks::setup::ATTACKER;
use crate::live::hub::Hub;
use crate::live::parties::LiveUrls;

/// The attacker's site at `site`, aimed at the live AS.
pub fn parties(urls: &LiveUrls, site: &str) -> SiteParties {
    let lure = ore::lure(&urls.auth_server, site);
    // In the simulation the lure arrives by e-mail; here the visitor of the site's
    // front page is sent to it.
    SiteParties::site(
        ore::attacker_site(&label(site), site, &urls.auth_server).with_redirect("/", &lure),
    )
}

/// What the visitor sees happen.
pub fn walkthrough(site: &str) -> String {
    format!(
        "Open {site}/ in the browser. The site sends you to the AS's /authorize with its own \
         {site}/signin as redirect_uri. An AS that redirects the error there lands you on a \
         look-alike sign-in page; signing in there as alice hands her password to the attacker. \
         An AS that refuses shows its own error page instead."
    )
}

/// The goal on what the attacker's site holds.
pub fn goal(hub: &Hub) -> Option<String> {
    hub.with_actor::<Attacker, _>(ATTACKER, |a| ore::goal_of(a.loot()))
        .flatten()
}
