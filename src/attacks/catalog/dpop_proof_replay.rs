//! `dpop-proof-replay`: the attacker reads a whole API request in a log — the access
//! token and its DPoP proof — and sends it again, byte for byte, then at another URL. The
//! proof was signed by the right key, so only the server's memory stops the first
//! replay: its `jti` cache and `iat` window (RFC 9449 §11.1). The second fails anyway:
//! the proof names one method and URL (`htm`, `htu`) and hashes one token (`ath`).

use crate::actors::Defenses;
use crate::actors::defenses::DefenseId;
use crate::attacks::attacker::{Kit, Moves, Playbook};
use crate::attacks::playbook_parts::*;
use crate::attacks::setup::*;
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::sim::Simulation;

pub const LOG_READER: &str = "log-reader";

pub struct DpopProofReplay;

static INFO: AttackInfo = AttackInfo {
    id: "dpop-proof-replay",
    title: "A captured request replayed, DPoP proof and all",
    story: "The request log in front of the photo API keeps headers, so Mallory gets Photo Printer's API call whole: \
            Alice's DPoP-bound access token and the proof that came with it, signed by Photo Printer's key. She \
            cannot make a new proof, but she can send the same one again. Then she tries it on another URL, \
            Alice's private passport scan.",
    capabilities: &[Capability::AccessTokenReader],
    setup: "A request log in front of rs.example that Mallory can read (it gets a copy of Photo Printer's first API call).",
    steps: &[
        "Read Photo Printer's GET rs.example/photos in the log: Authorization and DPoP headers",
        "Send the same request again, byte for byte",
        "Send the same headers to GET rs.example/photos/a3",
    ],
    goal: "the attacker obtains Alice's photos with the replayed request",
    stoppers: &[Stopper::alone(DefenseId::DpopProofReplayCheck, "the RS remembers the proof's jti and accepts a proof only within 60 s of its iat: the same proof twice is a replay (RFC 9449 §11.1); at another URL the proof's htu does not match anyway (§4.3)").needing(&[DefenseId::Dpop])],
    references: "RFC 9449 §4.3, §11.1; RFC 9700 §4.10.1",
};

#[derive(Default)]
struct Replay {
    logged: Option<LoggedRequest>,
}

impl Playbook for Replay {
    fn on_observed(&mut self, _kit: &mut Kit, ctx: &mut Moves<'_, '_>, wire: &str) {
        if let Some(r) = LoggedRequest::read(wire).filter(|r| r.token().is_some()) {
            ctx.note(format!(
                "Log reader: the log shows Photo Printer's {} {} with its Authorization header{}.",
                r.method,
                r.url,
                if r.proof.is_some() {
                    " and its DPoP proof"
                } else {
                    " (no DPoP proof: a bearer token)"
                }
            ));
            self.logged = Some(r);
        }
    }

    fn on_input(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, name: &str, _value: &str) {
        let Some(logged) = self.logged.clone() else {
            return;
        };
        match name {
            "replay" => {
                ctx.note(format!(
                    "Log reader: sends {} {} again with the same headers, byte for byte.",
                    logged.method, logged.url
                ));
                kit.send(ctx, logged.replayed_to(&logged.url), "api");
            }
            "replay-elsewhere" => {
                let url = format!("{}/a3", photos_api());
                ctx.note(format!(
                    "Log reader: sends the same headers to {url}. {}",
                    if logged.proof.is_some() {
                        "The proof inside names htm GET and htu https://rs.example/photos, and its ath hashes this one token: the RS compares them with the request it gets."
                    } else {
                        "A bearer token carries no statement of where it may be used."
                    }
                ));
                kit.send(ctx, logged.replayed_to(&url), "api");
            }
            _ => {}
        }
    }
}

impl Attack for DpopProofReplay {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut sim = request_log_world(seed, defenses, LOG_READER, Replay::default());
        sim.push_script(instruct(
            LOG_READER,
            "replay",
            "The attacker replays the logged request.",
        ));
        sim.push_script(instruct(
            LOG_READER,
            "replay-elsewhere",
            "The attacker tries the same headers at another URL.",
        ));
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        holds_alices_photos(
            sim,
            LOG_READER,
            "the RS accepted the replayed request and handed over Alice's photos",
        )
    }
}

pub static ATTACK: DpopProofReplay = DpopProofReplay;
