//! `scope-upgrade`: the attacker's own client asks the token endpoint for more scope
//! than Alice consented to (RFC 6749 §3.3, §6; RFC 6819 §5.1.5.1).

use crate::actors::Defenses;
use crate::actors::defenses::DefenseId;
use crate::actors::resource_server::ResourceServer;
use crate::actors::well_known as wk;
use crate::attacks::attacker::{Attacker, Kit, Moves, Playbook};
use crate::attacks::setup::*;
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::protocol::http_wire::{Request, Response};
use crate::protocol::requests::RawParams;
use crate::protocol::secret::Secret;
use crate::protocol::token_response::TokenResponse;
use crate::sim::Simulation;

pub struct ScopeUpgrade;

static INFO: AttackInfo = AttackInfo {
    id: "scope-upgrade",
    title: "More scope at the token endpoint than Alice consented to",
    story: "Photo Frame, Mallory's app, asks Alice only to *read* her photos, and she agrees. At the token endpoint \
            Photo Frame quietly asks for photos.read photos.write. An AS that does not hold the token request to \
            the consented scope issues a token that can delete Alice's photos — and Photo Frame deletes one.",
    capabilities: &[Capability::WebAttacker],
    setup: "The attacker's client photo-frame is registered at the AS for photos.read and photos.write.",
    steps: &[
        "Send Alice to as.example/authorize for photo-frame with scope photos.read",
        "Redeem the code with scope=openid photos.read photos.write",
        "DELETE rs.example/photos/a1",
    ],
    goal: "one of Alice's photos is deleted by the attacker",
    stoppers: &[Stopper::alone(
        DefenseId::ConsentedScopeEnforced,
        "the AS refuses scope beyond what was consented (invalid_scope; RFC 6749 §3.3, §6)",
    )],
    references: "RFC 6749 §3.3, §6; RFC 6819 §5.1.5.1",
};

/// Photo Frame's server: redeems Alice's code asking for more scope, then deletes a
/// photo with the token.
struct Upgrade {
    at: FramePlaces,
}

impl Playbook for Upgrade {
    fn on_request(
        &mut self,
        kit: &mut Kit,
        ctx: &mut Moves<'_, '_>,
        req: &Request,
    ) -> Option<Response> {
        if req.uri().path() == "/cb"
            && let Some(code) =
                query(&crate::protocol::http_wire::url_string(req.uri())).first("code")
        {
            ctx.note("Photo Frame: redeems Alice's code, asking for photos.write as well.");
            let request = self
                .at
                .redemption(code)
                .param("scope", "openid photos.read photos.write");
            kit.request_tokens(ctx, &self.at.token_endpoint(), &request);
        }
        None
    }

    fn on_tokens(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, t: &TokenResponse) {
        kit.call_api(
            ctx,
            http::Method::DELETE,
            &format!("{}/a1", self.at.photos_api()),
            t.access_token.expose(),
        );
    }
}

/// Photo Frame's site at `at.site`, labelled `label`: `/` asks Alice for read access
/// only; its callback redeems the code for more.
pub(crate) fn attacker_site(label: &str, at: &FramePlaces) -> Attacker {
    let upgrade = Upgrade { at: at.clone() };
    frame_site_at(at, label, upgrade, "openid photos.read", "frame-state-7")
}

/// The goal on the RS: one of Alice's photos is gone.
pub(crate) fn goal_of(rs: &ResourceServer) -> Option<String> {
    rs.deleted_photo_of(wk::ALICE).then(|| {
        "Photo Frame deleted one of Alice's photos with a write scope she never granted".to_string()
    })
}

impl Attack for ScopeUpgrade {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut sim = world_with_attacker_client(seed, defenses);
        sim.add_actor(Box::new(attacker_site(
            "Attacker (Photo Frame at attacker.example)",
            &FramePlaces::simulated(),
        )));
        sim.push_script(navigate(
            wk::BROWSER,
            &format!("{ATTACKER_ORIGIN}/"),
            "Alice opens Photo Frame and connects it to her photos (read only).",
        ));
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        goal_of(sim.actor::<ResourceServer>(wk::RS)?)
    }
}

pub static ATTACK: ScopeUpgrade = ScopeUpgrade;
