//! `redirect-uri-lax`: the AS compares redirect URIs loosely (by prefix, or host only),
//! so a URI that climbs out of `/cb` with `..` is accepted. The code lands on the
//! client's home page, whose third-party content receives it in `Referer`; the attacker
//! injects it into its own session (RFC 9700 §4.1).

use crate::actors::Defenses;
use crate::actors::client::ClientConfig;
use crate::actors::defenses::DefenseId;
use crate::actors::well_known as wk;
use crate::attacks::attacker::{Attacker, Kit, Moves, Playbook};
use crate::attacks::playbook_parts::*;
use crate::attacks::setup::*;
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::protocol::http_wire::{Request, Response};
use crate::protocol::requests::{AuthorizationRequest, RawParams};
use crate::sim::Simulation;
use crate::sim::world::WorldBuilder;

pub struct RedirectUriLax;

/// The manipulated redirect URI: a path traversal out of the registered `/cb`.
pub const TRAVERSAL_REDIRECT_URI: &str = "https://client.example/cb/../";

static INFO: AttackInfo = AttackInfo {
    id: "redirect-uri-lax",
    title: "Lax redirect URI matching sends the code elsewhere",
    story: "Mallory starts a sign-in at Photo Printer and stops at the AS. She rewrites the authorization URL's \
            redirect_uri to https://client.example/cb/../ — which starts with the registered URI and is on the right \
            host — and lures Alice to it. A lax AS accepts it; the code lands on Photo Printer's home page, which \
            shows an ad served by attacker.example; Alice's legacy browser (from before 2020) sends the page's full \
            URL, code included, in Referer. Mallory opens the real callback with that code in her own browser.",
    capabilities: &[Capability::WebAttacker],
    setup: "Photo Printer's home page shows third-party content from attacker.example; Alice's browser is a legacy one \
            whose default referrer policy is no-referrer-when-downgrade (today's default sends only the origin).",
    steps: &[
        "Start a sign-in at Photo Printer; stop at the AS and keep the authorization URL",
        "Change redirect_uri to https://client.example/cb/../ and send Alice to the URL",
        "Read the code from the Referer of the ad request; open the callback with it in the attacker's browser",
    ],
    goal: "the attacker's session at Photo Printer shows Alice's photos",
    stoppers: &[
        Stopper::alone(
            DefenseId::RedirectMatching,
            "exact string matching refuses the manipulated URI (RFC 9700 §4.1.3)",
        ),
        Stopper::alone(
            DefenseId::TokenRedirectUriCheck,
            "the code was issued for …/cb/../, not the /cb the client redeems it with (RFC 6749 §4.1.3)",
        ),
        Stopper::alone(
            DefenseId::ParRequired,
            "the redirect URI is in the request the client pushed; the AS ignores one written into the URL, and the code goes to /cb (RFC 9126 §4, §5)",
        ),
    ],
    references: "RFC 9700 §4.1; RFC 6749 §3.1.2, §4.1.3",
};

struct Lax {
    own: OwnSession,
    /// The manipulated redirect URI: [`TRAVERSAL_REDIRECT_URI`], or its live twin.
    traversal: String,
}

impl Playbook for Lax {
    fn on_observed(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, wire: &str) {
        let Some(url) = request_url(wire) else { return };
        let q = query(&url);
        self.own.remember(&url);
        let base = url.split('?').next().unwrap_or(&url).to_string();
        let changed = AuthorizationRequest::from_params(q).replace("redirect_uri", &self.traversal);
        kit.redirects.insert("/".into(), changed.url(&base));
        ctx.note(format!(
            "Attacker: rewrote redirect_uri to {} in its own authorization URL; its page now redirects there.",
            self.traversal
        ));
    }

    fn on_request(
        &mut self,
        kit: &mut Kit,
        ctx: &mut Moves<'_, '_>,
        req: &Request,
    ) -> Option<Response> {
        self.own.inject_from_referer(kit, ctx, req);
        None
    }
}

/// Photo Printer's home page at `client` shows the ad of the attacker's site at `site`.
pub(crate) fn show_ad(client: &mut ClientConfig, site: &str) {
    client.home_page_third_party = Some(format!("{site}/ad.gif"));
}

/// The attacker's site at `site`, labelled `label`: it redirects its visitors to its
/// own authorization request with the redirect URI climbing out of the client's
/// callback `callback`, and opens the callback with the code an ad's `Referer` leaks.
pub(crate) fn attacker_site(label: &str, site: &str, callback: &str) -> Attacker {
    Attacker::new(ATTACKER, label, &[site], lax_at(callback))
}

fn lax_at(callback: &str) -> Lax {
    Lax {
        own: OwnSession::at(callback),
        traversal: format!("{callback}/../"),
    }
}

impl Attack for RedirectUriLax {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut w = WorldBuilder::standard(seed, defenses);
        show_ad(&mut w.client, ATTACKER_ORIGIN);
        let mut sim = referer_sink_world(w, lax_at(wk::CLIENT_REDIRECT_URI));
        sim.push_script(alice_opens_the_attackers_page());
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        attacker_session_shows_alice(sim)
    }
}

pub static ATTACK: RedirectUriLax = RedirectUriLax;
