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
use super::site::{self, SiteParties};
use crate::actors::{ActorId, ActorKind, Defenses};
use crate::attacks::catalog::{
    consent_clickjacking, csrf_login, implicit_injection, open_redirect_on_error as ore,
    redirect_307, redirect_uri_lax, referer_leak, scope_upgrade,
};
use crate::attacks::setup::{ATTACKER, sign_in_url};
use crate::attacks::{Attack, Capability};
use crate::sim::world::DEFAULT_SEED;

/// An attack whose attacker acts over live HTTP from its own site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttackSite {
    /// `open-redirect-on-error`: the site sends its visitor to the AS with a redirect
    /// URI the AS never registered; an AS that redirects the error anyway lands her on
    /// the site's look-alike sign-in page (RFC 6749 §4.1.2.1, RFC 9700 §4.11.2).
    OpenRedirectOnError,
    /// `csrf-login`: the attacker's own browser stops at the callback of its own
    /// sign-in, and the site redirects its visitor there (RFC 6749 §10.12).
    CsrfLogin,
    /// `referer-leak`: the client's callback page embeds the site's pixel, whose
    /// `Referer` brings the visitor's code to the attacker (RFC 9700 §4.2).
    RefererLeak,
    /// `consent-clickjacking`: the site frames the AS's consent page for the
    /// attacker's own client under a decoy (RFC 9700 §4.16).
    ConsentClickjacking,
    /// `redirect-uri-lax`: the site sends its visitor to the attacker's own
    /// authorization request with a redirect URI that climbs out of `/cb`; the code
    /// leaks from the client's home page in `Referer` (RFC 9700 §4.1).
    RedirectUriLax,
    /// `redirect-307-credentials`: the attacker's own client waits at its callback for
    /// the login form a 307 re-posts (RFC 9700 §4.12).
    Redirect307,
    /// `scope-upgrade`: the attacker's own client redeems a read-only consent for
    /// write access (RFC 6749 §3.3).
    ScopeUpgrade,
    /// `implicit-token-injection`: the access token the attacker's own client gets for
    /// its visitor goes into the attacker's implicit sign-in (RFC 9700 §4.3).
    ImplicitTokenInjection,
}

impl AttackSite {
    /// Every attack that runs live, in the order the README lists them.
    pub const ALL: [AttackSite; 8] = [
        AttackSite::OpenRedirectOnError,
        AttackSite::CsrfLogin,
        AttackSite::RefererLeak,
        AttackSite::ConsentClickjacking,
        AttackSite::RedirectUriLax,
        AttackSite::Redirect307,
        AttackSite::ScopeUpgrade,
        AttackSite::ImplicitTokenInjection,
    ];

    /// The site of `attack`, or the one-line reason (naming the attack) why its
    /// attacker cannot act over live HTTP.
    pub fn of(attack: &dyn Attack) -> Result<AttackSite, String> {
        let info = attack.info();
        if let Some(site) = Self::ALL
            .into_iter()
            .find(|s| s.attack().info().id == info.id)
        {
            return Ok(site);
        }
        let positions: Vec<&str> = info
            .capabilities
            .iter()
            .filter(|c| **c != Capability::WebAttacker)
            .map(|c| c.label())
            .collect();
        Err(if positions.is_empty() && !has_a_site(attack) {
            format!(
                "{}: its attacker has no site for a browser to visit: it sends its own requests to the AS and the RS, as curl can to the live ones",
                info.id
            )
        } else if positions.is_empty() {
            let live: Vec<&str> = Self::ALL.iter().map(|s| s.attack().info().id).collect();
            format!(
                "{}: its attacker's moves do not run over live HTTP yet; live mode has the attacker's sites of {} only",
                info.id,
                live.join(", ")
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
            AttackSite::CsrfLogin => &csrf_login::ATTACK,
            AttackSite::RefererLeak => &referer_leak::ATTACK,
            AttackSite::ConsentClickjacking => &consent_clickjacking::ATTACK,
            AttackSite::RedirectUriLax => &redirect_uri_lax::ATTACK,
            AttackSite::Redirect307 => &redirect_307::ATTACK,
            AttackSite::ScopeUpgrade => &scope_upgrade::ATTACK,
            AttackSite::ImplicitTokenInjection => &implicit_injection::TOKEN,
        }
    }

    /// The attacker's parties at `site` (its base URL), aimed at the live parties: the
    /// site itself first.
    pub fn parties(self, urls: &LiveUrls, site: &str) -> SiteParties {
        match self {
            AttackSite::OpenRedirectOnError => site::open_redirect_on_error::parties(urls, site),
            AttackSite::CsrfLogin => site::csrf_login::parties(urls, site),
            AttackSite::RefererLeak => site::referer_leak::parties(urls, site),
            AttackSite::ConsentClickjacking => site::consent_clickjacking::parties(urls, site),
            AttackSite::RedirectUriLax => site::redirect_uri_lax::parties(urls, site),
            AttackSite::Redirect307 => site::redirect_307::parties(urls, site),
            AttackSite::ScopeUpgrade => site::scope_upgrade::parties(urls, site),
            AttackSite::ImplicitTokenInjection => {
                site::implicit_token_injection::parties(urls, site)
            }
        }
    }

    /// The URL a victim opens to be attacked.
    pub fn entry(self, site: &str) -> String {
        match self {
            AttackSite::ConsentClickjacking => site::consent_clickjacking::entry(site),
            _ => format!("{site}/"),
        }
    }

    /// What the victim opens in her browser, in order, as the simulation's script has
    /// her do: the attacker's site, or the client where her sign-in leaks something.
    pub fn victim_opens(self, urls: &LiveUrls, site: &str) -> Vec<String> {
        match self {
            AttackSite::OpenRedirectOnError
            | AttackSite::CsrfLogin
            | AttackSite::RedirectUriLax
            | AttackSite::Redirect307
            | AttackSite::ScopeUpgrade
            | AttackSite::ImplicitTokenInjection => vec![self.entry(site)],
            AttackSite::RefererLeak => vec![sign_in_url(&urls.client)],
            AttackSite::ConsentClickjacking => vec![sign_in_url(&urls.client), self.entry(site)],
        }
    }

    /// What the visitor sees happen, for the start banner.
    pub fn walkthrough(self, urls: &LiveUrls, site: &str) -> String {
        match self {
            AttackSite::OpenRedirectOnError => site::open_redirect_on_error::walkthrough(site),
            AttackSite::CsrfLogin => site::csrf_login::walkthrough(site, &urls.client),
            AttackSite::RefererLeak => site::referer_leak::walkthrough(site, &urls.client),
            AttackSite::ConsentClickjacking => {
                site::consent_clickjacking::walkthrough(site, &urls.client)
            }
            AttackSite::RedirectUriLax => site::redirect_uri_lax::walkthrough(site, &urls.client),
            AttackSite::Redirect307 => site::redirect_307::walkthrough(site),
            AttackSite::ScopeUpgrade => {
                site::scope_upgrade::walkthrough(site, &urls.resource_server)
            }
            AttackSite::ImplicitTokenInjection => {
                site::implicit_token_injection::walkthrough(site, &urls.client)
            }
        }
    }

    /// The attack's goal, evaluated on the live world now.
    pub fn goal(self, hub: &Hub, urls: &LiveUrls) -> Option<String> {
        match self {
            AttackSite::OpenRedirectOnError => site::open_redirect_on_error::goal(hub),
            AttackSite::CsrfLogin => site::csrf_login::goal(hub, urls),
            AttackSite::RefererLeak => site::referer_leak::goal(hub, urls),
            AttackSite::ConsentClickjacking => site::consent_clickjacking::goal(hub),
            AttackSite::RedirectUriLax => site::redirect_uri_lax::goal(hub, urls),
            AttackSite::Redirect307 => site::redirect_307::goal(hub),
            AttackSite::ScopeUpgrade => site::scope_upgrade::goal(hub),
            AttackSite::ImplicitTokenInjection => site::implicit_token_injection::goal(hub, urls),
        }
    }
}

/// Whether any attacker actor of `attack`'s world has an address of its own, read from
/// the world the attack builds.
fn has_a_site(attack: &dyn Attack) -> bool {
    let sim = attack.build(DEFAULT_SEED, Defenses::naive());
    sim.trace()
        .actors
        .iter()
        .any(|a| (a.attacker || a.kind == ActorKind::Attacker) && !a.addresses.is_empty())
}
