//! `redirect-307-credentials` live: Photo Frame, the attacker's own client registered
//! at the live AS (and approved by Alice before), sends its visitor to the AS; an AS
//! that answers her login POST with 307 makes her browser re-post the form, password
//! included, to Photo Frame's callback on the site (RFC 9700 §4.12).

use super::{SiteParties, frame_places, label, photo_frame};
use crate::attacks::attacker::Attacker;
use crate::attacks::catalog::redirect_307;
use crate::attacks::setup::ATTACKER;
use crate::live::hub::Hub;
use crate::live::parties::LiveUrls;

/// Photo Frame's site at `site`, its registration at the live AS, and Alice's earlier
/// approval of it there.
pub fn parties(urls: &LiveUrls, site: &str) -> SiteParties {
    let at = frame_places(urls, site);
    let mut parties = photo_frame(&at, redirect_307::attacker_site(&label(site), &at));
    parties.changes.as_state = Some(redirect_307::approved_before);
    parties
}

/// What the visitor sees happen.
pub fn walkthrough(site: &str) -> String {
    format!(
        "Open {site}/ in the browser: Photo Frame, the attacker's app registered at this AS and \
         approved by alice before, sends you to the AS. Sign in as alice. Because she approved it \
         before, the AS answers the login form with a redirect straight to {site}/cb: with 307 \
         the browser posts the same form body, her password included, to the attacker; with 303 \
         it follows with a GET that carries only the code."
    )
}

/// The goal on what Photo Frame's server holds.
pub fn goal(hub: &Hub) -> Option<String> {
    hub.with_actor::<Attacker, _>(ATTACKER, |a| redirect_307::goal_of(a.loot()))
        .flatten()
}
