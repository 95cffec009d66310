//! `code-replay`: after the Photos app has redeemed its code, an attacker who read the
//! authorization response (from a log) redeems the same code again (RFC 6749 §4.1.2).
//! A careful AS refuses the second redemption and revokes what the first one issued.

use crate::actors::Defenses;
use crate::actors::defenses::DefenseId;
use crate::actors::native_app::NativeAppConfig;
use crate::attacks::attacker::{Attacker, Kit, Moves, Playbook};
use crate::attacks::playbook_parts::*;
use crate::attacks::setup::*;
use crate::attacks::{Attack, AttackInfo, Capability, Stopper};
use crate::sim::Simulation;

pub const LOG_READER: &str = "log-reader";

pub struct CodeReplay;

static INFO: AttackInfo = AttackInfo {
    id: "code-replay",
    title: "Replay of a used authorization code",
    story: "Alice signs in to the Photos app. Her authorization response — code included — lands in a log the \
            attacker can read. After the app has redeemed the code, the attacker redeems it again as the public \
            client photos-app. An AS that lets codes be used twice hands out a second set of tokens; a careful one \
            refuses, and revokes the tokens of the first redemption too, since someone else clearly holds the code.",
    capabilities: &[Capability::ResponseReader],
    setup: "The Photos app (public client); an interceptor that copies authorization responses to the attacker's log.",
    steps: &[
        "Read Alice's authorization response from the log",
        "After the app has used it, POST /token with the same code as photos-app",
        "GET rs.example/photos with the new access token",
    ],
    goal: "the attacker holds an access token the RS accepts for Alice's photos",
    stoppers: &[
        Stopper::alone(
            DefenseId::OneTimeCodes,
            "the second redemption is refused (RFC 6749 §4.1.2)",
        ),
        Stopper::alone(
            DefenseId::Pkce,
            "the replay cannot bring the code_verifier (RFC 7636 §4.6)",
        ),
        Stopper::failing_the_flow(
            DefenseId::PkceRequired,
            "an app that sends no challenge gets no code at all",
        ),
    ],
    references: "RFC 6749 §4.1.2, §10.5; RFC 9700 §4.5",
};

struct Replay;

impl Playbook for Replay {
    fn on_input(&mut self, kit: &mut Kit, ctx: &mut Moves<'_, '_>, name: &str, _value: &str) {
        if name == "replay" {
            let why = "Attacker: replays the code it read in the log, as photos-app.";
            redeem_last_code_as_photos_app(kit, ctx, why, None);
        }
    }
}

impl Attack for CodeReplay {
    fn info(&self) -> &'static AttackInfo {
        &INFO
    }

    fn build_world(&self, seed: u64, defenses: Defenses) -> Simulation {
        let mut sim = native_app_world(seed, defenses, NativeAppConfig::custom_scheme());
        sim.add_actor(Box::new(
            Attacker::new(LOG_READER, "Attacker (log reader)", &[], Replay).fetching_photos(),
        ));
        read_authorization_responses(
            &mut sim,
            LOG_READER,
            "a log of authorization responses (A3)",
        );
        sim.push_script(instruct(
            LOG_READER,
            "replay",
            "Later, the attacker replays the code from the log.",
        ));
        sim
    }

    fn goal(&self, sim: &Simulation) -> Option<String> {
        holds_alices_photos(
            sim,
            LOG_READER,
            "the replayed code bought the attacker a token the RS accepts for Alice's photos",
        )
    }
}

pub static ATTACK: CodeReplay = CodeReplay;
