//! `consent-clickjacking` live: Photo Frame, the attacker's own client registered at
//! the live AS, frames the AS's consent page over a decoy on its prize page, shifted so
//! that the page's "Allow" lies under the decoy; a click on the decoy approves it, and
//! its server redeems the code and reads the photos. An AS that forbids framing (CSP
//! `frame-ancestors 'none'`, `X-Frame-Options: DENY`) leaves nothing to click in the
//! frame — in the simulated browser and in a real one (RFC 9700 §4.16). A current real
//! browser also keeps the AS's `SameSite=Lax` session cookie out of the attacker's
//! cross-site frame (RFC 6265bis §4.1.2.7, §5.2.1), so there the frame shows the AS's sign-in
//! form rather than its consent page.

use super::{SiteParties, frame_places, label, photo_frame};
use crate::attacks::attacker::Attacker;
use crate::attacks::catalog::consent_clickjacking as cj;
use crate::attacks::setup::ATTACKER;
use crate::live::hub::Hub;
use crate::live::parties::LiveUrls;

/// Photo Frame's site at `site`, and its registration at the live AS.
pub fn parties(urls: &LiveUrls, site: &str) -> SiteParties {
    let at = frame_places(urls, site);
    photo_frame(&at, cj::attacker_site(&label(site), &at))
}

/// The prize page.
pub fn entry(site: &str) -> String {
    format!("{site}{}", cj::PRIZE_PATH)
}

/// What the visitor sees happen.
pub fn walkthrough(site: &str, client: &str) -> String {
    format!(
        "Sign in at {client}/ as alice first, so that your browser has a session at the AS. Then \
         open {}: over its \"Claim your prize\" button lies an almost invisible frame (opacity \
         0.0001) with the AS's consent page for Photo Frame, the attacker's app registered at this \
         AS, shifted so that its Allow button sits under the prize button; tick \"Show the trick\" \
         to see it. A click on the prize button goes to the frame. Where the browser sends the AS's \
         session cookie into the frame, the frame shows the consent page and the click lets Photo \
         Frame read alice's photos; a current browser keeps that SameSite=Lax cookie out of \
         another site's frame, so the frame shows the AS's sign-in form and the click approves \
         nothing. With frame protection on, the AS sends frame-ancestors 'none' and \
         X-Frame-Options: DENY and the browser leaves the frame empty (the developer tools show \
         which).",
        entry(site)
    )
}

/// The goal on what Photo Frame's server holds.
pub fn goal(hub: &Hub) -> Option<String> {
    hub.with_actor::<Attacker, _>(ATTACKER, |a| cj::goal_of(a.loot()))
        .flatten()
}
