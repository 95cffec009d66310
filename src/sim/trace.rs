//! The append-only trace: one [`Step`] per arrow (a delivered message) or event. It is
//! what the transcript, the UI, exporters and lessons read (docs/ARCHITECTURE.md rule 4). Its JSON
//! form is versioned: see `docs/trace-schema.md`.

use serde::{Deserialize, Serialize};

use super::bus::Channel;
use super::decode::Decoded;
use super::lazy::Lazy;
use crate::actors::{Actor, ActorId, ActorKind, Defenses, MsgId, Origin, SimTime};

/// The version of the JSON trace schema.
pub const TRACE_SCHEMA_VERSION: u32 = 1;

/// What a step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    Request,
    Response,
    /// A copy of a message delivered to an attacker by an interceptor.
    Observed,
    /// Not a message: the clock moved, a user acted, a message was dropped.
    Event,
}

/// One arrow of the sequence diagram.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    pub index: usize,
    /// Simulated milliseconds since the start.
    pub time_ms: u64,
    pub from: ActorId,
    pub to: ActorId,
    pub channel: Channel,
    pub kind: StepKind,
    pub origin: Origin,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msg_id: Option<MsgId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to: Option<MsgId>,
    /// The message whose handling sent this one (e.g. the callback that made the client
    /// call the token endpoint).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<MsgId>,
    /// A one-line label: `GET /authorize?…`, `302 → client.example/cb` (derived from
    /// `wire` when first read).
    pub summary: Lazy<String>,
    /// The HTTP/1.1 wire text exactly as delivered (empty for events).
    pub wire: String,
    /// The decoded view of `wire` (derived when first read).
    pub decoded: Lazy<Decoded>,
    /// What the receiver did and why.
    pub annotation: String,
}

impl Step {
    /// An event: what `to` did or had done to it (a person's action, a scripted move),
    /// with nothing on the wire. Its index is set when it joins the trace.
    pub fn event(
        at: SimTime,
        (from, to): (&ActorId, &ActorId),
        origin: Origin,
        summary: String,
        annotation: String,
    ) -> Step {
        Step {
            index: 0,
            time_ms: at.0,
            from: from.clone(),
            to: to.clone(),
            channel: Channel::FrontChannel,
            kind: StepKind::Event,
            origin,
            msg_id: None,
            in_reply_to: None,
            cause: None,
            summary: Lazy::ready(summary),
            wire: String::new(),
            decoded: Default::default(),
            annotation,
        }
    }

    pub fn is_attacker(&self) -> bool {
        self.origin == Origin::Attacker
    }
}

/// An actor as listed in the trace header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorInfo {
    pub id: ActorId,
    pub kind: ActorKind,
    pub label: String,
    pub addresses: Vec<String>,
    /// Whether the attacker controls this actor (an attacker lane in the UI).
    #[serde(default)]
    pub attacker: bool,
}

impl ActorInfo {
    /// How `actor` is listed: its id, kind, lane label and addresses; an attacker's own
    /// actor is an attacker lane.
    pub fn of(actor: &dyn Actor) -> ActorInfo {
        ActorInfo {
            id: actor.id().clone(),
            kind: actor.kind(),
            label: actor.label(),
            addresses: actor.addresses(),
            attacker: actor.kind().is_attacker(),
        }
    }
}

/// A whole run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    pub schema_version: u32,
    pub seed: u64,
    pub defenses: Defenses,
    pub actors: Vec<ActorInfo>,
    pub steps: Vec<Step>,
}

impl Trace {
    pub fn new(seed: u64, defenses: Defenses, actors: Vec<ActorInfo>) -> Self {
        Trace {
            schema_version: TRACE_SCHEMA_VERSION,
            seed,
            defenses,
            actors,
            steps: Vec::new(),
        }
    }

    /// Steps delivered to `to` whose request line or status line contains `needle`.
    pub fn find<'a>(&'a self, to: &'a str, needle: &'a str) -> impl Iterator<Item = &'a Step> + 'a {
        self.steps.iter().filter(move |s| {
            s.to.as_str() == to && s.wire.lines().next().unwrap_or("").contains(needle)
        })
    }

    /// The response step answering the request with `id`.
    pub fn response_to(&self, id: MsgId) -> Option<&Step> {
        self.steps
            .iter()
            .find(|s| s.kind == StepKind::Response && s.in_reply_to == Some(id))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
