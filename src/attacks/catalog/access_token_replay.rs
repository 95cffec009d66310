//! `access-token-replay`: Alice's access token leaks from a request log (RFC 9700 §3,
//! A5) and the attacker calls the photo API with it. Audience, expiry and introspection
//! all pass — the token is for this RS, fresh and unrevoked — so only sender-constraint
//! stops it: a DPoP-bound token is useless without the client's private key (RFC 9449
//! §7; RFC 9700 §2.2.1, §4.10.1).

use crate::actors::Defenses;
use crate::actors::defenses::DefenseId;
use crate::actors::dpop::DpopHolder;
use crate::attacks::attacker::{Kit, Moves, Playbook};
use crate::attacks::playbook_parts::*;
use crate::attacks::setup::*;
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::protocol::http_wire;
use crate::sim::Simulation;

pub const LOG_READER: &str = "log-reader";

pub struct AccessTokenReplay;

static INFO: AttackInfo = AttackInfo {
    id: "access-token-replay",
    title: "A leaked access token replayed at the API",
    story: "A proxy in front of the photo API logs every request, headers included, and Mallory can read the log. \
            Photo Printer's call to the API is in it, with Alice's access token. Mallory sends the token to the API \
            herself. The token is for this RS, not expired and not revoked: a bearer token works for whoever holds \
            it. A DPoP-bound token also needs a proof signed with Photo Printer's private key, which never left \
            Photo Printer.",
    capabilities: &[Capability::AccessTokenReader],
    setup: "A request log in front of rs.example that Mallory can read (it gets a copy of Photo Printer's first API call).",
    steps: &[
        "Read Photo Printer's GET rs.example/photos in the log, with its Authorization header",
        "GET rs.example/photos with the token (with a DPoP proof of her own key if the token was sent as DPoP)",
    ],
    goal: "the attacker obtains Alice's photos from the RS with the leaked token",
    stoppers: &[Stopper::alone(
        DefenseId::Dpop,
        "the token is bound to Photo Printer's DPoP key (cnf.jkt): the RS refuses it as a bearer token and with a proof by any other key (RFC 9449 §7.1, §7.2)",
    )],
    references: "RFC 9700 §2.2.1, §3 (A5), §4.10.1; RFC 9449 §7; RFC 6750 §5.2",
};

#[derive(Default)]
struct Replay {
    logged: Option<LoggedRequest>,
}

impl Playbook for Replay {
    fn on_observed(&mut self, _kit: &mut Kit, ctx: &mut Moves<'_, '_>, wire: &str) {
        if let Some(r) = LoggedRequest::read(wire).filter(|r| r.token().is_some()) {
            ctx.note(format!(
                "Log reader: the log shows Photo Printer's {} {} with Authorization: {} <Alice's access token>.",
                r.method,
                r.url,
                if r.dpop_bound() { "DPoP" } else { "Bearer" }
            ));
            self.logged = Some(r);
        }
    }

    fn on_input(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, name: &str, _value: &str) {
        let Some(logged) = self.logged.clone().filter(|_| name == "replay-token") else {
            return;
        };
        let Some(token) = logged.token() else { return };
        let url = photos_api();
        if logged.dpop_bound() {
            // She cannot sign with Photo Printer's key; the best she can do is her own.
            let mut holder = DpopHolder::for_actor(ctx.rng());
            let mut req = http_wire::request(http::Method::GET, &url);
            holder.attach(ctx.now(), &mut req, Some(token));
            ctx.note(format!(
                "Log reader: the token was sent as DPoP; she calls the API with it and a proof signed by her own key (jkt {}), the only key she has.",
                holder.jkt()
            ));
            kit.send(ctx, req, "api");
        } else {
            ctx.note("Log reader: calls the API with Alice's token as a bearer token.");
            kit.call_api(ctx, http::Method::GET, &url, token);
        }
    }
}

impl Attack for AccessTokenReplay {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut sim = request_log_world(seed, defenses, LOG_READER, Replay::default());
        sim.push_script(instruct(
            LOG_READER,
            "replay-token",
            "The attacker uses the access token from the log.",
        ));
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        holds_alices_photos(
            sim,
            LOG_READER,
            "the RS took the leaked token from the attacker and handed over Alice's photos",
        )
    }
}

pub static ATTACK: AccessTokenReplay = AccessTokenReplay;
