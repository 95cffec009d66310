//! The actor contract: sans-IO state machines that take `(now, message)` and return
//! the messages they send (docs/ARCHITECTURE.md, `actors/`). An actor never reads a
//! clock, sleeps or spawns; everything it needs arrives in [`Ctx`].

use std::any::Any;

use rand_chacha::ChaCha20Rng;
use serde::{Deserialize, Serialize};

use super::clock::SimTime;
use super::defenses::Defenses;
use crate::protocol::deferred_sign::Signatures;
use crate::protocol::http_wire::{Request, Response, WireError};

/// A message's id, unique within a run and increasing in send order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MsgId(pub u64);

/// Who put a message on the bus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// An honest actor.
    Honest,
    /// An attacker, or an honest message an attacker altered.
    Attacker,
    /// The learner, by editing or replaying in intercept mode.
    Learner,
}

/// The name of an actor on the bus (`browser`, `client`, `as`, `rs`, `attacker`, …).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ActorId(pub String);

impl ActorId {
    pub fn new(s: &str) -> Self {
        ActorId(s.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ActorId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What kind of party an actor is; the UI draws a lane per actor and the bus uses the
/// kind to tell front-channel from back-channel messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActorKind {
    /// The user agent (RFC 6749 §1.1).
    Browser,
    /// A confidential web client (RFC 6749 §2.1).
    Client,
    /// A public native client (RFC 8252).
    NativeApp,
    /// The authorization server.
    AuthorizationServer,
    /// The resource server.
    ResourceServer,
    /// Any other web site (a CDN, an analytics host).
    Site,
    /// An attacker with the capabilities of RFC 9700 §3.
    Attacker,
}

impl ActorKind {
    pub fn is_attacker(self) -> bool {
        self == ActorKind::Attacker
    }
}

/// What the person at the browser, or a native app's user, does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum UserAction {
    /// Type a URL or follow a link (a top-level GET navigation).
    Navigate { url: String },
    /// Someone sends the person a link (`via`: "an e-mail from attacker.example"); the
    /// person decides whether to open it (the browser's person model).
    LinkReceived { url: String, via: String },
    /// Start the app's sign-in (a native app opens the system browser).
    StartLogin,
    /// Any actor-specific instruction (attacks use these to trigger their steps).
    Custom { name: String, value: String },
}

/// Metadata of a delivered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: MsgId,
    pub from: ActorId,
    pub to: ActorId,
    /// For a response: the request it answers.
    pub in_reply_to: Option<MsgId>,
    pub origin: Origin,
    /// Whether the sender waits for a response (false for a custom-scheme URL handed
    /// to an app by the OS).
    pub expects_reply: bool,
}

impl Delivery {
    /// The handle to answer this request with, now or later.
    pub fn reply_handle(&self) -> ReplyTo {
        ReplyTo {
            request: self.id,
            requester: self.from.clone(),
        }
    }
}

/// Where a response goes: the request it answers and who sent it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyTo {
    pub request: MsgId,
    pub requester: ActorId,
}

/// Something an actor asks the bus to do.
#[derive(Debug, Clone)]
pub enum Outgoing {
    /// Send a request to whoever serves its URL (or to `to`, if given).
    Request {
        id: MsgId,
        to: Option<ActorId>,
        request: Request,
        expects_reply: bool,
    },
    /// Answer an earlier request.
    Response { reply: ReplyTo, response: Response },
    /// Hand a user action to another actor (e.g. an app opening the system browser).
    Input {
        to: ActorId,
        action: UserAction,
        why: String,
    },
}

/// Everything an actor may use while handling one message: the simulated time, the
/// defenses, its own RNG, and the outbox.
pub struct Ctx<'a> {
    pub now: SimTime,
    pub defenses: &'a Defenses,
    pub rng: &'a mut ChaCha20Rng,
    pub me: ActorId,
    next_id: &'a mut u64,
    pub(crate) outbox: Vec<Outgoing>,
    pub(crate) notes: Vec<String>,
}

impl<'a> Ctx<'a> {
    pub fn new(
        now: SimTime,
        defenses: &'a Defenses,
        rng: &'a mut ChaCha20Rng,
        me: ActorId,
        next_id: &'a mut u64,
    ) -> Self {
        Ctx {
            now,
            defenses,
            rng,
            me,
            next_id,
            outbox: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn allocate(&mut self) -> MsgId {
        *self.next_id += 1;
        MsgId(*self.next_id)
    }

    /// Queues a request under a new id, to `to` or else to whoever serves its URL.
    fn queue_request(
        &mut self,
        to: Option<ActorId>,
        request: Request,
        expects_reply: bool,
    ) -> MsgId {
        let id = self.allocate();
        self.outbox.push(Outgoing::Request {
            id,
            to,
            request,
            expects_reply,
        });
        id
    }

    /// Sends a request to whoever serves its URL; returns its id, which the response's
    /// `in_reply_to` will carry.
    pub fn send(&mut self, request: Request) -> MsgId {
        self.queue_request(None, request, true)
    }

    /// Sends a request that gets no response (a custom-scheme URL handed to an app).
    pub fn send_no_reply(&mut self, request: Request) -> MsgId {
        self.queue_request(None, request, false)
    }

    /// Sends a request to a specific actor, whatever its URL says.
    pub fn send_to(&mut self, to: ActorId, request: Request) -> MsgId {
        self.queue_request(Some(to), request, true)
    }

    /// Answers a request (now, or later for a parked one).
    pub fn reply(&mut self, reply: ReplyTo, response: Response) {
        self.outbox.push(Outgoing::Response { reply, response });
    }

    /// Hands a user action to another actor.
    pub fn input(&mut self, to: ActorId, action: UserAction, why: impl Into<String>) {
        self.outbox.push(Outgoing::Input {
            to,
            action,
            why: why.into(),
        });
    }

    /// Records what the actor did and why; the trace step's annotation is made of these.
    pub fn note(&mut self, text: impl Into<String>) {
        self.notes.push(text.into());
    }

    /// The notes so far (for tests of a single handler).
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// Takes the outbox (for tests of a single handler).
    pub fn take_outbox(&mut self) -> Vec<Outgoing> {
        std::mem::take(&mut self.outbox)
    }
}

/// One section of an actor's state, for the inspector's State tab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateSection {
    pub title: String,
    pub rows: Vec<(String, String)>,
}

impl StateSection {
    pub fn new(title: &str) -> Self {
        StateSection {
            title: title.to_string(),
            rows: Vec::new(),
        }
    }

    pub fn row(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.rows.push((key.into(), value.into()));
        self
    }

    pub fn push(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.rows.push((key.into(), value.into()));
    }
}

/// The identity methods of an [`Actor`] whose id is its `id` field: its `kind`, and
/// the lane's `label` and `addresses`, each computed from the actor by a closure.
///
/// ```text
/// impl Actor for Client {
///     actor_identity!(
///         kind: ActorKind::Client,
///         label: |c| format!("Client ({})", c.config.name),
///         addresses: |c| vec![c.config.origin.clone()],
///     );
///     // start, on_request, snapshot, ...
/// }
/// ```
macro_rules! actor_identity {
    (kind: $kind:expr, label: $label:expr, addresses: $addresses:expr $(,)?) => {
        fn id(&self) -> &$crate::actors::ActorId {
            &self.id
        }

        fn kind(&self) -> $crate::actors::ActorKind {
            $kind
        }

        fn label(&self) -> String {
            let label: fn(&Self) -> String = $label;
            label(self)
        }

        fn addresses(&self) -> Vec<String> {
            let addresses: fn(&Self) -> Vec<String> = $addresses;
            addresses(self)
        }
    };
}
pub(crate) use actor_identity;

/// A party in the world. `Any` lets the simulation hand out an actor as its concrete
/// type (`&dyn Actor` upcasts to `&dyn Any`, then `downcast_ref`).
pub trait Actor: Any {
    fn id(&self) -> &ActorId;
    fn kind(&self) -> ActorKind;
    /// A human label for the lane: "Browser (Alice)".
    fn label(&self) -> String;
    /// The addresses this actor answers: origins such as `https://as.example` or
    /// `http://127.0.0.1`, or custom schemes such as `com.example.photos:`.
    fn addresses(&self) -> Vec<String>;
    /// Called once when the world starts (e.g. discovery, fetching the JWKS).
    fn start(&mut self, _ctx: &mut Ctx<'_>) {}
    /// A request arrived.
    fn on_request(&mut self, ctx: &mut Ctx<'_>, request: Request, meta: &Delivery);
    /// A response to one of this actor's requests arrived.
    fn on_response(&mut self, _ctx: &mut Ctx<'_>, _response: Response, _meta: &Delivery) {}
    /// A response to one of this actor's requests arrived but cannot be read: its
    /// framing or syntax is broken (RFC 9112 §6.3). An actor that waits on the answer
    /// gives up and tells its user; by default the response is only noted as ignored.
    fn on_unreadable_response(&mut self, ctx: &mut Ctx<'_>, error: &WireError, _meta: &Delivery) {
        ctx.note(format!(
            "{}: could not parse the response ({error}); ignored.",
            self.id()
        ));
    }
    /// A user action (from the world's script, a learner, or another actor).
    fn on_input(&mut self, _ctx: &mut Ctx<'_>, _action: &UserAction) {}
    /// A copy of someone else's message, delivered by an interceptor (RFC 9700 §3
    /// attacker capabilities A3–A5). The wire text is what was seen.
    fn on_observed(&mut self, _ctx: &mut Ctx<'_>, _wire: &str, _meta: &Delivery) {}
    /// Live mode made the RS256 signatures this actor was promised while it ran under
    /// the world lock (`protocol::deferred_sign`): whatever it stored with a
    /// placeholder now gets the real token. Only an actor that keeps the tokens it
    /// signs has anything to do.
    fn keep_promises(&mut self, _signed: &Signatures) {}
    /// What the actor holds now.
    fn snapshot(&self) -> Vec<StateSection>;
}
