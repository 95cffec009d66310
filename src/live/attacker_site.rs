//! The attacker's site in live mode (`serve --attack ID`): the attack's own attacker
//! actor as a fourth party on its own loopback address (127.0.0.4, port base+3), so a
//! real browser that visits it is attacked by the attacker's code over real HTTP. What
//! the attack achieves is computed as in the simulation: by the honest parties' code
//! under the defenses in force, then by the attack's own goal predicate on what the
//! attacker holds (docs/ARCHITECTURE.md rule 1).
//!
//! Only attacks whose attacker acts from a site of its own (RFC 9700 §3, A1) can take
//! part: an attacker that reads or rewrites other parties' messages needs a position
//! on the wire that a site on its own address does not have.

use super::hub::Hub;
use super::parties::LiveUrls;
use crate::actors::ActorId;
use crate::attacks::attacker::Attacker;
use crate::attacks::catalog::open_redirect_on_error as ore;
use crate::attacks::setup::ATTACKER;
use crate::attacks::{Attack, Capability};

/// An attack whose attacker acts over live HTTP from its own site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttackSite {
    /// `open-redirect-on-error`: the site sends its visitor to the AS with a redirect
    /// URI the AS never registered; an AS that redirects the error anyway lands her on
    /// the site's look-alike sign-in page (RFC 6749 §4.1.2.1, RFC 9700 §4.11.2).
    OpenRedirectOnError,
}

impl AttackSite {
    /// The site of `attack`, or the one-line reason (naming the attack) why its
    /// attacker cannot act over live HTTP.
    pub fn of(attack: &dyn Attack) -> Result<AttackSite, String> {
        let info = attack.info();
        if info.id == ore::ATTACK.info().id {
            return Ok(AttackSite::OpenRedirectOnError);
        }
        let positions: Vec<&str> = info
            .capabilities
            .iter()
            .filter(|c| **c != Capability::WebAttacker)
            .map(|c| c.label())
            .collect();
        Err(if positions.is_empty() {
            format!(
                "{}: its attacker's moves do not run over live HTTP yet; live mode has the attacker's site of {} only",
                info.id,
                ore::ATTACK.info().id
            )
        } else {
            format!(
                "{}: its attacker needs more than a site of its own ({}), and live mode gives it only its own address",
                info.id,
                positions.join(", ")
            )
        })
    }

    /// The attacker actor's id (its listener's party).
    pub fn actor_id() -> ActorId {
        ActorId::new(ATTACKER)
    }

    /// The attack.
    pub fn attack(self) -> &'static dyn Attack {
        match self {
            AttackSite::OpenRedirectOnError => &ore::ATTACK,
        }
    }

    /// The attacker actor at `site` (its base URL), aimed at the live parties.
    pub fn actor(self, urls: &LiveUrls, site: &str) -> Attacker {
        let label = format!("Attacker ({})", super::parties::host_of(site));
        match self {
            AttackSite::OpenRedirectOnError => {
                let lure = ore::lure(&urls.auth_server, site);
                // In the simulation the lure arrives by e-mail; here the visitor of
                // the site's front page is sent to it.
                ore::attacker_site(&label, site, &urls.auth_server).with_redirect("/", &lure)
            }
        }
    }

    /// The URL a victim opens to be attacked.
    pub fn entry(self, site: &str) -> String {
        format!("{site}/")
    }

    /// What the visitor sees happen, for the start banner.
    pub fn walkthrough(self, site: &str) -> String {
        match self {
            AttackSite::OpenRedirectOnError => format!(
                "Open {site}/ in the browser. The site sends you to the AS's /authorize with its own \
                 {site}/signin as redirect_uri. An AS that redirects the error there lands you on a \
                 look-alike sign-in page; signing in there as alice hands her password to the attacker. \
                 An AS that refuses shows its own error page instead."
            ),
        }
    }

    /// The attack's goal, evaluated on what the attacker's site holds now.
    pub fn goal(self, hub: &Hub) -> Option<String> {
        match self {
            AttackSite::OpenRedirectOnError => hub
                .with_actor::<Attacker, _>(ATTACKER, |a| ore::goal_of(a.loot()))
                .flatten(),
        }
    }
}
