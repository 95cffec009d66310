//! How the attacker's actors carry out the learner's moves
//! ([`crate::sim::LearnerInput::AttackerMove`]): [`Learner`] wraps an actor's playbook
//! (its server behaviour, if any) and adds the orders. What it sends goes on the bus as
//! the attacker's message; answers are filed into the actor's loot by the attacker's
//! own code (a token response, an API answer).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::actors::well_known as wk;
use crate::attacks::attacker::{Kit, Moves, Playbook, Purpose};
use crate::attacks::setup::ATTACKER_BROWSER;
use crate::protocol::http_wire::{self, Request, Response};
use crate::protocol::token_response::TokenResponse;
use crate::sim::AttackerVerb;

/// Where Mallory's own sign-in stops next, shared between the attacker and its taps
/// (`Send`, as every playbook: live mode runs attackers on server threads).
pub type StopAt = Arc<Mutex<Option<Stop>>>;

/// Where Mallory's own sign-in stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Her browser's request to the AS's authorization endpoint.
    Authorize,
    /// Her browser's request back to Photo Printer's callback (her own code and state).
    Callback,
}

/// A playbook that carries out the learner's orders and otherwise behaves as `inner`.
pub struct Learner {
    inner: Box<dyn Playbook>,
    /// The origin of the actor's site, where lures are served (none: it serves none).
    site: Option<&'static str>,
    /// Shared with the taps that stop Mallory's sign-in (none: this actor cannot).
    stop: Option<StopAt>,
    /// Responses served by path, one per lure.
    lures: BTreeMap<String, Response>,
}

impl Learner {
    pub fn new(inner: Box<dyn Playbook>, site: Option<&'static str>, stop: Option<StopAt>) -> Self {
        Learner {
            inner,
            site,
            stop,
            lures: BTreeMap::new(),
        }
    }

    fn send(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, wire: &str) {
        let Ok(req) = http_wire::parse_request(wire) else {
            ctx.note("The attacker's request does not parse; nothing is sent.");
            return;
        };
        let purpose = purpose_of(&req);
        kit.send(ctx, req, purpose);
    }

    fn lure(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, wire: &str) {
        let (Some(site), Ok(resp)) = (self.site, http_wire::parse_response(wire)) else {
            ctx.note("This actor serves no pages: Alice is not lured anywhere.");
            return;
        };
        let path = format!("/lure/{}", self.lures.len() + 1);
        self.lures.insert(path.clone(), resp);
        kit.drive(
            ctx,
            wk::BROWSER,
            &format!("{site}{path}"),
            "Alice follows the attacker's link (in an email, a chat, an ad).",
        );
    }

    fn own_login(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, at: &str) {
        let Some(stop) = &self.stop else {
            ctx.note("This actor has no browser of its own to sign in with.");
            return;
        };
        *stop.lock().unwrap_or_else(|p| p.into_inner()) = Some(if at == "authorize" {
            Stop::Authorize
        } else {
            Stop::Callback
        });
        kit.drive(
            ctx,
            ATTACKER_BROWSER,
            &format!("{}/login", wk::CLIENT_ORIGIN),
            "Mallory starts her own sign-in at Photo Printer.",
        );
    }
}

/// Why the attacker sends a request, read from where it goes: a token endpoint's answer
/// is filed as tokens (RFC 6749 §5.1), the photo API's as photos.
fn purpose_of(req: &Request) -> Purpose {
    if req.uri().path().ends_with("/token") {
        "token"
    } else if req.uri().path().starts_with("/photos") {
        "api"
    } else {
        "learner"
    }
}

impl Playbook for Learner {
    fn start(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>) {
        self.inner.start(kit, ctx);
    }

    fn on_request(
        &mut self,
        kit: &mut Kit,
        ctx: &mut Moves<'_, '_>,
        req: &Request,
    ) -> Option<Response> {
        match self.lures.get(req.uri().path()) {
            Some(resp) => Some(resp.clone()),
            None => self.inner.on_request(kit, ctx, req),
        }
    }

    fn on_observed(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, wire: &str) {
        self.inner.on_observed(kit, ctx, wire);
    }

    fn on_tokens(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, tokens: &TokenResponse) {
        self.inner.on_tokens(kit, ctx, tokens);
    }

    fn on_api(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, resp: &Response) {
        self.inner.on_api(kit, ctx, resp);
    }

    fn on_other_response(
        &mut self,
        kit: &mut Kit,
        ctx: &mut Moves<'_, '_>,
        purpose: Purpose,
        resp: &Response,
    ) {
        self.inner.on_other_response(kit, ctx, purpose, resp);
    }

    fn on_input(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, name: &str, value: &str) {
        match name {
            n if n == AttackerVerb::Send.order_name() => self.send(kit, ctx, value),
            n if n == AttackerVerb::Lure.order_name() => self.lure(kit, ctx, value),
            n if n == AttackerVerb::OwnLogin.order_name() => self.own_login(kit, ctx, value),
            _ => self.inner.on_input(kit, ctx, name, value),
        }
    }
}
