//! Pieces the attack playbooks share: a stopper several attacks declare, the
//! redemption of a stolen code in the Photos app's name, the goals "the attacker holds
//! Alice's photos" and "… Alice's password", the attacker's site and its own waiting
//! sign-in, the ways a leaked code reaches that sign-in, and the Photos app's own
//! later refresh.

use crate::actors::defenses::DefenseId;
use crate::actors::well_known as wk;
use crate::actors::{ActorId, UserAction};
use crate::attacks::Stopper;
use crate::attacks::attacker::{Attacker, Kit, Loot, Moves, Playbook};
use crate::attacks::setup::*;
use crate::protocol::http_wire::Request;
use crate::sim::world::WorldBuilder;
use crate::sim::{ScriptEvent, Simulation};

/// An AS that requires PKCE (RFC 9700 §2.1.1) grants a client that sends no challenge
/// no code at all: the honest sign-in fails before any code can be stolen.
pub const NO_CODE_WITHOUT_PKCE: Stopper = Stopper::failing_the_flow(
    DefenseId::PkceRequired,
    "without PKCE at the client the AS grants no code at all",
);

/// Redeems the last code in the loot as the Photos app (a public client, RFC 6749
/// §4.1.3) with `verifier`, after noting `why`. Nothing happens without a code.
pub fn redeem_last_code_as_photos_app(
    kit: &mut Kit,
    ctx: &mut Moves<'_, '_>,
    why: &str,
    verifier: Option<&str>,
) {
    if let Some(code) = kit.loot.codes.last().cloned() {
        ctx.note(why);
        let request = redemption_as_photos_app(&code, verifier);
        kit.request_tokens(ctx, &token_endpoint(), &request);
    }
}

/// The goal of the attacks that end at the RS: the attacker `id` got Alice's photo
/// list; `what` says how.
pub fn holds_alices_photos(sim: &Simulation, id: &str, what: &str) -> Option<String> {
    let loot = sim.actor::<Attacker>(id)?.loot();
    loot.has_photos_of(wk::ALICE).then(|| what.to_string())
}

/// The goal of the attacks that phish: the attacker `id` received Alice's password;
/// `what` says how.
pub fn holds_alices_password(sim: &Simulation, id: &str, what: &str) -> Option<String> {
    let loot = sim.actor::<Attacker>(id)?.loot();
    has_alices_password(loot).then(|| what.to_string())
}

/// Whether `loot` holds a password of Alice's (a form body that reached the attacker).
pub fn has_alices_password(loot: &Loot) -> bool {
    loot.passwords.iter().any(|(u, _)| u == wk::ALICE)
}

/// Adds the attacker's web site at attacker.example (RFC 9700 §3 A1), run by
/// `playbook`.
pub fn add_attacker_site(sim: &mut Simulation, playbook: impl Playbook) {
    let site = Attacker::new(
        ATTACKER,
        "Attacker (attacker.example)",
        &[ATTACKER_ORIGIN],
        playbook,
    );
    sim.add_actor(Box::new(site));
}

/// Alice follows a link to the attacker's page.
pub fn alice_opens_the_attackers_page() -> ScriptEvent {
    navigate(
        wk::BROWSER,
        &format!("{ATTACKER_ORIGIN}/"),
        "Alice follows a link to the attacker's page.",
    )
}

/// The attacker starts its own sign-in at Photo Printer and stops its browser at the
/// AS, handing the authorization request to `reader` (see [`stop_own_sign_in_at_as`]).
pub fn stop_own_printer_sign_in(sim: &mut Simulation, reader: &str) {
    stop_own_sign_in_at_as(sim, reader, &sign_in_url(wk::CLIENT_ORIGIN));
}

/// `reader` reads the AS's authorization responses to Alice's browser (RFC 9700 §3 A3).
pub fn read_alices_authorization_responses(sim: &mut Simulation, reader: &str) {
    read_authorization_responses(sim, reader, "authorization-response reader (A3)");
}

impl OwnSession {
    /// Remembers the attacker's own captured authorization request in `wire`, if it is
    /// one, and notes what its session at the client `waits` with ("waits", "now
    /// waits"). Returns whether it was one.
    pub fn remember_captured(&mut self, ctx: &mut Moves<'_, '_>, wire: &str, waits: &str) -> bool {
        let Some(url) = request_url(wire) else {
            return false;
        };
        self.remember(&url);
        ctx.note(format!(
            "Attacker: stopped its own sign-in at the AS; its session at the client {waits} with {}.",
            own_values_in(&url)
        ));
        true
    }

    /// Injects the code of the authorization response in `wire` (with its `iss`),
    /// after noting `why`.
    pub fn inject_from_response(
        &mut self,
        kit: &mut Kit,
        ctx: &mut Moves<'_, '_>,
        wire: &str,
        why: &str,
    ) {
        if let Some(loc) = location(wire)
            && let Some(code) = query(&loc).first("code")
        {
            ctx.note(why);
            self.inject(kit, ctx, code, query(&loc).first("iss"));
        }
    }

    /// Injects the code a request's `Referer` leaked (RFC 9700 §4.2).
    pub fn inject_from_referer(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, req: &Request) {
        if let Some((code, iss)) = code_in_referer(req) {
            self.inject(kit, ctx, &code, iss.as_deref());
        }
    }
}

/// The world of the `Referer` leaks (RFC 9700 §4.2.4) built from `w`: the attacker's
/// site run by `playbook`, Alice on a legacy browser that sends full URLs in `Referer`,
/// and the attacker's own sign-in waiting at Photo Printer.
pub fn referer_sink_world(w: WorldBuilder, playbook: impl Playbook) -> Simulation {
    let mut sim = w.build();
    add_attacker_site(&mut sim, playbook);
    alice_uses_a_legacy_browser(&mut sim);
    stop_own_printer_sign_in(&mut sim, ATTACKER);
    sim
}

/// Later, the Photos app refreshes its access token itself (RFC 6749 §6): with rotation
/// (RFC 9700 §4.14.2), this is when a refresh token used twice shows.
pub fn photos_app_refreshes_later() -> ScriptEvent {
    ScriptEvent::Input {
        to: ActorId::new(wk::NATIVE_APP),
        action: UserAction::Custom {
            name: "refresh".into(),
            value: String::new(),
        },
        narration: "Later, the Photos app refreshes its access token.".into(),
    }
}
