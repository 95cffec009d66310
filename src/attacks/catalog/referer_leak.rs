//! `referer-leak`: the client's callback page embeds a third-party resource; the
//! browser sends the callback URL, code included, in `Referer`, and the third party
//! injects the code into its own session (RFC 9700 §4.2).

use crate::actors::Defenses;
use crate::actors::client::ClientConfig;
use crate::actors::defenses::DefenseId;
use crate::attacks::attacker::{Attacker, Kit, Moves, Playbook};
use crate::attacks::playbook_parts::*;
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
        Stopper::alone(
            DefenseId::ReferrerPolicy,
            "Referrer-Policy: no-referrer on the callback page sends no Referer (RFC 9700 §4.2.4)",
        ),
        Stopper::alone(
            DefenseId::OneTimeCodes,
            "the code was already redeemed by the client (RFC 6749 §4.1.2)",
        ),
        Stopper::alone(
            DefenseId::Pkce,
            "the attacker's session verifier does not match Alice's challenge (RFC 9700 §4.2.4)",
        ),
        NO_CODE_WITHOUT_PKCE,
        Stopper::alone(
            DefenseId::Nonce,
            "the ID token's nonce is Alice's, not the attacker session's",
        ),
    ],
    references: "RFC 9700 §4.2; RFC 6749 §4.1.2",
};

#[derive(Default)]
struct Pixel {
    own: OwnSession,
}

impl Playbook for Pixel {
    fn on_request(
        &mut self,
        kit: &mut Kit,
        ctx: &mut Moves<'_, '_>,
        req: &Request,
    ) -> Option<Response> {
        self.own.inject_from_referer(kit, ctx, req);
        None
    }

    fn on_observed(&mut self, _kit: &mut Kit, ctx: &mut Moves<'_, '_>, wire: &str) {
        self.own.remember_captured(ctx, wire, "waits");
    }
}

/// Photo Printer's callback page at `client` embeds the pixel of the attacker's site
/// at `site`.
pub(crate) fn embed_pixel(client: &mut ClientConfig, site: &str) {
    client.callback_page_third_party = Some(format!("{site}/pixel.gif"));
}

/// The attacker's site at `site`, labelled `label`: serves the pixel and opens the
/// client's callback `callback` in its own browser with the code a `Referer` leaks.
pub(crate) fn attacker_site(label: &str, site: &str, callback: &str) -> Attacker {
    let pixel = Pixel {
        own: OwnSession::at(callback),
    };
    Attacker::new(ATTACKER, label, &[site], pixel)
}

impl Attack for RefererLeak {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut w = WorldBuilder::standard(seed, defenses);
        embed_pixel(&mut w.client, ATTACKER_ORIGIN);
        let mut sim = referer_sink_world(w, Pixel::default());
        sim.push_script(alice_signs_in());
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        attacker_session_shows_alice(sim)
    }
}

pub static ATTACK: RefererLeak = RefererLeak;
