//! `pkce-plain-observed`: with `plain`, the challenge *is* the verifier. An attacker who
//! reads authorization requests (A4) and responses (A3) redeems the code with the
//! challenge it saw (RFC 7636 §7.2).

use crate::actors::defenses::DefenseId;
use crate::actors::native_app::NativeAppConfig;
use crate::actors::well_known as wk;
use crate::actors::{ActorId, Defenses};
use crate::attacks::attacker::{Attacker, Kit, Moves, Playbook};
use crate::attacks::interceptors::{Tap, TapAction, is_request};
use crate::attacks::playbook_parts::*;
use crate::attacks::setup::*;
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::protocol::http_wire::{Request, Response};
use crate::sim::Simulation;

pub const EVIL_APP: &str = "evil-app";

pub struct PkcePlainObserved;

static INFO: AttackInfo = AttackInfo {
    id: "pkce-plain-observed",
    title: "PKCE plain: the challenge read from the request is the verifier",
    story: "An older version of the Photos app implements only PKCE `plain`, so its code_challenge is its \
            code_verifier. A malicious app on Alice's phone sees the authorization request (it reads the system \
            browser's URLs) and claims the app's custom scheme, so it also receives the code. It redeems the code \
            with the challenge it saw as the verifier.",
    capabilities: &[Capability::RequestReader, Capability::ResponseReader],
    setup: "The Photos app (public client) implements only the plain PKCE method; a malicious app reads authorization \
            requests and claims the com.example.photos: scheme.",
    steps: &[
        "Read the authorization request; keep code_challenge",
        "Receive com.example.photos:/cb?code=… from the OS",
        "POST /token as photos-app with code_verifier = the observed challenge",
    ],
    goal: "the malicious app holds an access token the RS accepts for Alice's photos",
    stoppers: &[
        Stopper::failing_the_flow(DefenseId::RejectPkcePlain, "with PKCE on, the plain-only app's requests are refused (plain is not allowed): it cannot sign in at all, so no code is ever bound to a readable challenge (RFC 7636 §4.2, §7.2)").needing(&[DefenseId::Pkce]),
        Stopper::alone(DefenseId::ParRequired, "the app pushes its request, challenge included, over the back channel; the browser's URL carries only client_id and request_uri, so the malicious app reads no challenge and has no verifier to send (RFC 9126 §1, §4)").needing(&[DefenseId::Pkce]),
    ],
    references: "RFC 7636 §4.2, §7.2; RFC 9700 §2.1.1",
};

#[derive(Default)]
struct Observer {
    challenge: Option<String>,
}

impl Playbook for Observer {
    fn on_observed(&mut self, _kit: &mut Kit, ctx: &mut Moves<'_, '_>, wire: &str) {
        if let Some(url) = request_url(wire) {
            let q = query(&url);
            self.challenge = q.first("code_challenge").map(str::to_string);
            if let Some(m) = q.first("code_challenge_method") {
                ctx.note(format!(
                    "Malicious app: saw the authorization request; code_challenge_method is {m}."
                ));
            }
        }
    }

    fn on_request(
        &mut self,
        kit: &mut Kit,
        ctx: &mut Moves<'_, '_>,
        _req: &Request,
    ) -> Option<Response> {
        let why = "Malicious app: got the code; redeeming it with the observed challenge as the verifier.";
        redeem_last_code_as_photos_app(kit, ctx, why, self.challenge.as_deref());
        None
    }
}

impl Attack for PkcePlainObserved {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let app = NativeAppConfig {
            pkce_plain_only: true,
            ..NativeAppConfig::custom_scheme()
        };
        let mut sim = native_app_world(seed, defenses, app);
        sim.add_actor(Box::new(
            Attacker::new(EVIL_APP, "Malicious app", &[], Observer::default()).fetching_photos(),
        ));
        sim.add_interceptor(Box::new(Tap::new(
            "authorization-request reader (A4)",
            |env| is_request(env, wk::BROWSER, wk::AS, "/authorize"),
            TapAction::CopyTo(ActorId::new(EVIL_APP)),
        )));
        scheme_squatter(&mut sim, EVIL_APP);
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        holds_alices_photos(
            sim,
            EVIL_APP,
            "the malicious app redeemed Alice's code with the observed plain challenge",
        )
    }
}

pub static ATTACK: PkcePlainObserved = PkcePlainObserved;
