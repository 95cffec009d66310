//! `code-interception`: a malicious app claims the same custom URI scheme as the Photos
//! app, receives the authorization response, and redeems the code first (RFC 7636 §1,
//! RFC 8252 §8.1). PKCE is the public client's only proof that it started the flow.

use crate::actors::Defenses;
use crate::actors::defenses::DefenseId;
use crate::actors::native_app::NativeAppConfig;
use crate::attacks::attacker::{Attacker, Kit, Moves, Playbook};
use crate::attacks::playbook_parts::*;
use crate::attacks::setup::*;
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::protocol::http_wire::Request;
use crate::sim::Simulation;

pub const EVIL_APP: &str = "evil-app";

pub struct CodeInterception;

static INFO: AttackInfo = AttackInfo {
    id: "code-interception",
    title: "Authorization code interception by a malicious app",
    story: "Alice signs in to the Photos app on her phone. A malicious app she also installed claims the same \
            custom URI scheme, com.example.photos:. When the AS redirects to com.example.photos:/cb?code=…, \
            the OS hands the URL to the malicious app, which redeems the code as the public client photos-app.",
    capabilities: &[Capability::ResponseReader],
    setup: "The Photos app (public client, redirect com.example.photos:/cb) and a malicious app claiming the same scheme.",
    steps: &[
        "Wait for the OS to hand over com.example.photos:/cb?code=…",
        "POST /token with client_id=photos-app and the code (it cannot know any code_verifier)",
        "GET rs.example/photos with the access token",
    ],
    goal: "the malicious app holds an access token the RS accepts for Alice's photos",
    stoppers: &[
        Stopper::alone(
            DefenseId::Pkce,
            "the code is bound to a challenge only the real app can answer (RFC 7636 §4.6)",
        ),
        Stopper::failing_the_flow(
            DefenseId::PkceRequired,
            "an app that sends no challenge gets no code at all (RFC 9700 §2.1.1)",
        ),
    ],
    references: "RFC 7636 §1; RFC 8252 §8.1; RFC 9700 §4.5",
};

/// The malicious app: redeems whatever code reaches it, then fetches the photos.
struct SchemeSquatter;

impl Playbook for SchemeSquatter {
    fn on_request(
        &mut self,
        kit: &mut Kit,
        ctx: &mut Moves<'_, '_>,
        _req: &Request,
    ) -> Option<crate::protocol::http_wire::Response> {
        let why = "Malicious app: the OS handed it a com.example.photos: URL with a code in it; redeeming the code as photos-app.";
        redeem_last_code_as_photos_app(kit, ctx, why, None);
        None
    }
}

impl Attack for CodeInterception {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut sim = native_app_world(seed, defenses, NativeAppConfig::custom_scheme());
        sim.add_actor(Box::new(
            Attacker::new(EVIL_APP, "Malicious app", &[], SchemeSquatter).fetching_photos(),
        ));
        scheme_squatter(&mut sim, EVIL_APP);
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        let how = "the malicious app redeemed Alice's code and the RS handed it Alice's photos";
        holds_alices_photos(sim, EVIL_APP, how)
    }
}

pub static ATTACK: CodeInterception = CodeInterception;
