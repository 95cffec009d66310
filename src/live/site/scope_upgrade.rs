//! `scope-upgrade` live: Photo Frame, the attacker's own client registered at the live
//! AS, asks its visitor for read access only, then asks the live token endpoint for
//! write access too and deletes one of her photos at the live RS (RFC 6749 §3.3, §6).

use super::{SiteParties, frame_places, label, photo_frame};
use crate::actors::resource_server::ResourceServer;
use crate::actors::well_known as wk;
use crate::attacks::catalog::scope_upgrade;
use crate::live::hub::Hub;
use crate::live::parties::LiveUrls;

/// Photo Frame's site at `site`, and its registration at the live AS.
pub fn parties(urls: &LiveUrls, site: &str) -> SiteParties {
    let at = frame_places(urls, site);
    photo_frame(&at, scope_upgrade::attacker_site(&label(site), &at))
}

/// What the visitor sees happen.
pub fn walkthrough(site: &str, resource_server: &str) -> String {
    format!(
        "Open {site}/ in the browser: Photo Frame, the attacker's app registered at this AS, sends \
         you to the AS asking to read alice's photos. Sign in as alice and approve. At the token \
         endpoint Photo Frame asks for photos.write as well; an AS that does not hold it to what \
         she approved hands it a token with which it deletes photo a1 at {resource_server}. Check \
         with curl that her photo list is one shorter."
    )
}

/// The goal on the live RS.
pub fn goal(hub: &Hub) -> Option<String> {
    hub.with_actor::<ResourceServer, _>(wk::RS, scope_upgrade::goal_of)
        .flatten()
}
