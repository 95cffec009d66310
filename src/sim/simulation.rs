//! The driver: delivers one envelope per [`Simulation::step`], records the trace, and
//! applies the learner's inputs (docs/ARCHITECTURE.md rule 3: a run is seed + defenses + inputs).

use std::any::Any;
use std::collections::{BTreeMap, VecDeque};

use rand_chacha::ChaCha20Rng;
use serde::{Deserialize, Serialize};

use super::bus::{Channel, Decision, Directory, Envelope, Interceptor, Queue};
use super::decode::{decode_wire, summary};
use super::lane::{Lane, Outsider};
use super::lazy::Lazy;
use super::live_intercept::intercept_event;
use super::script::ScriptEvent;
use super::trace::{ActorInfo, Step, StepKind, Trace};
use crate::actors::clock::duration_label;
use crate::actors::defenses::{DefenseError, DefenseId};
use crate::actors::rng::RngTree;
use crate::actors::{
    Actor, ActorId, Ctx, Defenses, Delivery, MsgId, Origin, Outgoing, SimTime, UserAction,
};
use crate::protocol::http_wire::{self, WireError};

/// Milliseconds a front-channel hop takes (through the user's browser).
pub const FRONT_CHANNEL_LATENCY_MS: u64 = 40;
/// Milliseconds a back-channel hop takes (server to server).
pub const BACK_CHANNEL_LATENCY_MS: u64 = 10;
/// Milliseconds before an interceptor's copy reaches its reader.
pub const OBSERVED_LATENCY_MS: u64 = 1;

/// Something the learner does mid-run; recorded with the step it happened at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "input")]
pub enum LearnerInput {
    /// Advance the simulated clock.
    AdvanceClock { secs: u64 },
    /// Start or stop holding messages before delivery (intercept mode): from now on,
    /// every message sent is held.
    SetHold { on: bool },
    /// While holding, also hold every message already sent but not yet delivered (what
    /// the UI does when intercept is turned on, so no queued message slips through).
    HoldQueued,
    /// While holding, hold only the messages addressed to this actor (the others are
    /// delivered); `None` holds every message again.
    HoldOnlyTo { actor: Option<ActorId> },
    /// Deliver a held message.
    Forward { id: MsgId },
    /// Deliver every held message, in the order they were sent (holding stays on).
    ForwardAll,
    /// Discard a held message.
    Drop { id: MsgId },
    /// Replace a held message's wire text, then deliver it.
    Edit { id: MsgId, wire: String },
    /// Send the message of an earlier step again.
    Replay { step: usize },
    /// A user action (e.g. Alice opens a URL).
    Act { to: ActorId, action: UserAction },
    /// The learner, playing the attacker, orders one of the attacker's actors (`by`) to
    /// make a move. The text is checked here — an HTTP request for
    /// [`AttackerVerb::Send`], an HTTP response for [`AttackerVerb::Lure`] — and the
    /// actor carries the move out with its own code (`workshop` gives the attacker's
    /// actors that code): what it sends goes on the bus as the attacker's message.
    AttackerMove {
        by: ActorId,
        verb: AttackerVerb,
        text: String,
    },
    /// A request that reached the world from a party outside it, as it arrived (live
    /// mode, `serve --record`: a real browser, curl, the learner's own client): `lane`
    /// is the outside party, drawn as an actor of its own from its first request on;
    /// `to` is the party whose listener received `wire`.
    External {
        lane: Lane,
        to: ActorId,
        wire: String,
    },
    /// The clock reads at least `ms` (it never goes back); no step is recorded. A
    /// recorded live session keeps the live clock's second this way, so the tokens the
    /// replay signs carry the same `iat` and `exp` (RFC 7519 §4.1.4, §4.1.6).
    ClockAt { ms: u64 },
    /// Sets one defense, as `--set NAME=VALUE` does, for every message handled from
    /// now on (live mode's defense toggles apply to the next request).
    Defense { name: String, value: String },
    /// Live mode's intercept held the request `from` had sent to `to` (`serve
    /// --record`): the first such request in flight waits among the held messages
    /// until [`LearnerInput::Intercepted`] releases it ([`super::live_intercept`]).
    HoldSent { from: ActorId, to: ActorId },
    /// Live mode's intercept let go of a request from `from` to `to` (`request`: its
    /// method and path; `what`: how, as the live trace said): recorded as the same
    /// event step. The request [`LearnerInput::HoldSent`] held, if any, is then
    /// delivered as it was, or as `edited`, or never: its sender gets the intercept's
    /// `answer` instead. A request from outside the world is held before it reaches
    /// it: an [`LearnerInput::External`] follows when it was forwarded.
    Intercepted {
        from: ActorId,
        to: ActorId,
        request: String,
        what: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        edited: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        answer: Option<String>,
    },
}

impl LearnerInput {
    /// Whether this input is live mode's intercept (scenario format version 4).
    pub fn is_live_intercept(&self) -> bool {
        matches!(
            self,
            LearnerInput::HoldSent { .. } | LearnerInput::Intercepted { .. }
        )
    }
}

/// What the learner orders an attacker's actor to do (RFC 9700 §3: only what its
/// position allows; the honest parties answer with their own code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AttackerVerb {
    /// Send this HTTP request (wire text) from the actor.
    Send,
    /// Serve this HTTP response (wire text) at the actor's site and lure Alice's browser
    /// to it: a link (a `302`) or a page.
    Lure,
    /// Start Mallory's own sign-in at Photo Printer in her browser and stop it where the
    /// text says: `authorize` (the request to the AS) or `callback` (the request back to
    /// the client, with Mallory's own code and state).
    OwnLogin,
}

impl AttackerVerb {
    /// The instruction's name as the actor receives it (`UserAction::Custom`).
    pub fn order_name(self) -> &'static str {
        match self {
            AttackerVerb::Send => "learner-send",
            AttackerVerb::Lure => "learner-lure",
            AttackerVerb::OwnLogin => "learner-own-login",
        }
    }

    /// The narration of the move in the trace.
    fn narration(self, by: &ActorId) -> String {
        match self {
            AttackerVerb::Send => {
                format!("The learner, as the attacker, sends a request from {by}.")
            }
            AttackerVerb::Lure => {
                format!("The learner, as the attacker, lures Alice to a page {by} serves.")
            }
            AttackerVerb::OwnLogin => {
                "The learner, as the attacker, starts Mallory's own sign-in.".to_string()
            }
        }
    }
}

/// Why a learner input was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("no held message with id {0}")]
    NotHeld(u64),
    #[error("the edited text is not a valid HTTP message: {0}")]
    Parse(#[from] WireError),
    #[error("step {0} carries no message to replay")]
    NoMessage(usize),
    #[error("no actor called {0}")]
    NoActor(String),
    #[error("{0} is not one of the attacker's actors")]
    NotAttacker(String),
    #[error("Mallory's sign-in stops at `authorize` or `callback`, not `{0}`")]
    NoSuchStop(String),
    #[error("{0}")]
    Defense(#[from] DefenseError),
    #[error("no request from {0} to {1} is in flight")]
    NotSent(String, String),
}

struct Slot {
    actor: Box<dyn Actor>,
    rng: ChaCha20Rng,
}

/// Whether intercept mode (`on`, perhaps for one actor `only`) holds this message:
/// a message between parties, not an attacker's observed copy.
fn holds(on: bool, only: Option<&ActorId>, env: &Envelope) -> bool {
    on && env.channel != Channel::Observed && only.is_none_or(|a| *a == env.to)
}

/// A world in motion.
pub struct Simulation {
    seed: u64,
    defenses: Defenses,
    rng_tree: RngTree,
    slots: Vec<Slot>,
    index: BTreeMap<ActorId, usize>,
    directory: Directory,
    interceptors: Vec<Box<dyn Interceptor>>,
    queue: Queue,
    held: Vec<Envelope>,
    hold: bool,
    /// While holding: only messages to this actor are held.
    hold_only_to: Option<ActorId>,
    events: VecDeque<ScriptEvent>,
    script: VecDeque<ScriptEvent>,
    now: SimTime,
    next_id: u64,
    started: bool,
    trace: Trace,
    inputs: Vec<(usize, LearnerInput)>,
    /// Notes from interceptors and the bus, added to the next recorded step.
    pending_notes: Vec<String>,
    /// Actors whose messages count as the attacker's (e.g. the attacker's own browser).
    attacker_controlled: std::collections::BTreeSet<ActorId>,
    /// Messages take no simulated time (a recorded live session: its clock is the
    /// recorded one, [`LearnerInput::ClockAt`]).
    instant_hops: bool,
}

impl Simulation {
    pub fn new(seed: u64, defenses: Defenses) -> Self {
        Simulation {
            seed,
            trace: Trace::new(seed, defenses.clone(), Vec::new()),
            defenses,
            rng_tree: RngTree::new(seed),
            slots: Vec::new(),
            index: BTreeMap::new(),
            directory: Directory::default(),
            interceptors: Vec::new(),
            queue: Queue::default(),
            held: Vec::new(),
            hold: false,
            hold_only_to: None,
            events: VecDeque::new(),
            script: VecDeque::new(),
            now: SimTime::ZERO,
            next_id: 0,
            started: false,
            inputs: Vec::new(),
            pending_notes: Vec::new(),
            attacker_controlled: Default::default(),
            instant_hops: false,
        }
    }

    /// From now on, messages are delivered with no simulated latency.
    pub fn set_instant_hops(&mut self) {
        self.instant_hops = true;
    }

    /// Adds an actor the attacker controls (its own browser, its own client): its
    /// messages are marked as the attacker's in the trace.
    pub fn add_attacker_actor(&mut self, actor: Box<dyn Actor>) {
        let id = actor.id().clone();
        self.add_actor(actor);
        self.attacker_controlled.insert(id.clone());
        if let Some(info) = self.trace.actors.iter_mut().find(|a| a.id == id) {
            info.attacker = true;
        }
    }

    /// Whether an actor is the attacker or controlled by it.
    pub fn is_attacker(&self, id: &ActorId) -> bool {
        self.origin_of(id) == Origin::Attacker
    }

    /// Adds an actor; its RNG is the child of the seed named by its id.
    pub fn add_actor(&mut self, actor: Box<dyn Actor>) {
        let id = actor.id().clone();
        self.directory
            .register(&id, actor.kind(), &actor.addresses());
        self.trace.actors.push(ActorInfo::of(actor.as_ref()));
        let rng = self.rng_tree.child(id.as_str());
        self.index.insert(id, self.slots.len());
        self.slots.push(Slot { actor, rng });
    }

    /// Names the world (an attack id): every actor's RNG, present and future, is
    /// re-derived from the seed and that name, so the same actor draws other numbers in
    /// another world. Only before the world has started.
    pub fn set_rng_world(&mut self, world: &str) {
        if self.started {
            return;
        }
        self.rng_tree = RngTree::new(self.seed).in_world(world);
        for (id, &i) in &self.index {
            self.slots[i].rng = self.rng_tree.child(id.as_str());
        }
    }

    pub fn add_interceptor(&mut self, interceptor: Box<dyn Interceptor>) {
        self.interceptors.push(interceptor);
    }

    pub fn push_script(&mut self, event: ScriptEvent) {
        self.script.push_back(event);
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn defenses(&self) -> &Defenses {
        &self.defenses
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    pub fn into_trace(self) -> Trace {
        self.trace
    }

    /// The learner inputs applied so far, each with the step count at which it happened.
    pub fn inputs(&self) -> &[(usize, LearnerInput)] {
        &self.inputs
    }

    pub fn held(&self) -> &[Envelope] {
        &self.held
    }

    pub fn is_holding(&self) -> bool {
        self.hold
    }

    /// While holding, the one actor whose incoming messages are held (`None`: all).
    pub fn holding_only_to(&self) -> Option<&ActorId> {
        self.hold_only_to.as_ref()
    }

    /// Whether intercept mode holds this message: holding is on, it is a message between
    /// parties (not an attacker's observed copy), and it is addressed to the one actor
    /// held, if there is one.
    fn holds(&self, env: &Envelope) -> bool {
        holds(self.hold, self.hold_only_to.as_ref(), env)
    }

    /// Moves every queued message intercept mode now holds from the queue to the held
    /// list, in the order they were sent.
    fn hold_queued(&mut self) {
        let (on, only) = (self.hold, self.hold_only_to.clone());
        let mut caught = self.queue.take_where(|e| holds(on, only.as_ref(), e));
        caught.sort_by_key(|e| e.id);
        self.held.extend(caught);
    }

    /// Releases the held messages intercept mode no longer holds.
    fn release_unheld(&mut self) {
        let (keep, go): (Vec<_>, Vec<_>) = std::mem::take(&mut self.held)
            .into_iter()
            .partition(|e| self.holds(e));
        self.held = keep;
        for env in go {
            self.release(env);
        }
    }

    /// Messages in flight, in delivery order.
    pub fn in_flight(&self) -> impl Iterator<Item = &Envelope> {
        self.queue.iter()
    }

    /// The actors, in the order they were added.
    pub fn actors(&self) -> impl Iterator<Item = &dyn Actor> {
        self.slots.iter().map(|s| s.actor.as_ref())
    }

    /// The actor called `id`, as its concrete type.
    pub fn actor<T: Actor>(&self, id: &str) -> Option<&T> {
        let i = *self.index.get(&ActorId::new(id))?;
        (self.slots[i].actor.as_ref() as &dyn Any).downcast_ref::<T>()
    }

    /// The actor called `id`, mutably (for world setup before the run starts).
    pub fn actor_mut<T: Actor>(&mut self, id: &str) -> Option<&mut T> {
        let i = *self.index.get(&ActorId::new(id))?;
        (self.slots[i].actor.as_mut() as &mut dyn Any).downcast_mut::<T>()
    }

    pub fn actor_dyn(&self, id: &str) -> Option<&dyn Actor> {
        let i = *self.index.get(&ActorId::new(id))?;
        Some(self.slots[i].actor.as_ref())
    }

    /// Nothing in flight, nothing scheduled: the run is over (or waits on held messages).
    pub fn is_idle(&self) -> bool {
        self.started && self.queue.is_empty() && self.events.is_empty() && self.script.is_empty()
    }

    fn start(&mut self) {
        self.started = true;
        for i in 0..self.slots.len() {
            let outbox = self.with_ctx(i, |actor, ctx| actor.start(ctx)).0;
            let from = self.slots[i].actor.id().clone();
            self.dispatch(&from, outbox, None);
        }
    }

    /// Runs `f` on actor `i` with a fresh context; returns its outbox and notes.
    fn with_ctx(
        &mut self,
        i: usize,
        f: impl FnOnce(&mut dyn Actor, &mut Ctx<'_>),
    ) -> (Vec<Outgoing>, Vec<String>) {
        let slot = &mut self.slots[i];
        let me = slot.actor.id().clone();
        let mut ctx = Ctx::new(
            self.now,
            &self.defenses,
            &mut slot.rng,
            me,
            &mut self.next_id,
        );
        f(slot.actor.as_mut(), &mut ctx);
        (ctx.outbox, ctx.notes)
    }

    /// Delivers the next message (or applies the next event). Returns the index of the
    /// recorded step, or `None` when there is nothing left to do.
    pub fn step(&mut self) -> Option<usize> {
        if !self.started {
            self.start();
        }
        if let Some(event) = self.events.pop_front() {
            return Some(self.apply_event(event));
        }
        if let Some(env) = self.queue.pop() {
            return Some(self.deliver(env));
        }
        if !self.held.is_empty() {
            return None;
        }
        let event = self.script.pop_front()?;
        Some(self.apply_event(event))
    }

    /// Steps until nothing is left to do.
    pub fn run_until_idle(&mut self) -> usize {
        self.run_bounded(usize::MAX)
    }

    /// Steps at most `n` times; returns how many steps were taken.
    pub fn run_bounded(&mut self, n: usize) -> usize {
        let mut taken = 0;
        while taken < n && self.step().is_some() {
            taken += 1;
        }
        taken
    }

    /// Steps until the trace has `len` steps (or the run ends).
    pub fn run_to_len(&mut self, len: usize) {
        while self.trace.steps.len() < len && self.step().is_some() {}
    }

    fn record(&mut self, mut step: Step) -> usize {
        let index = self.trace.steps.len();
        step.index = index;
        if !self.pending_notes.is_empty() {
            let extra = std::mem::take(&mut self.pending_notes).join(" ");
            step.annotation = if step.annotation.is_empty() {
                extra
            } else {
                format!("{} {extra}", step.annotation)
            };
        }
        self.trace.steps.push(step);
        index
    }

    fn event_step(
        &self,
        from: &ActorId,
        to: &ActorId,
        summary: String,
        annotation: String,
    ) -> Step {
        // A person or actor acting: the attacker's own actors' events are its moves.
        let origin = self.origin_of(to);
        Step::event(self.now, (from, to), origin, summary, annotation)
    }

    fn apply_event(&mut self, event: ScriptEvent) -> usize {
        match event {
            ScriptEvent::AdvanceClock { secs, narration } => {
                self.now = self.now.plus_secs(secs);
                let world = ActorId::new("world");
                let step = self.event_step(
                    &world,
                    &world,
                    format!("⏱ {} pass", duration_label(secs)),
                    narration,
                );
                self.record(step)
            }
            ScriptEvent::Input {
                to,
                action,
                narration,
            } => {
                let Some(&i) = self.index.get(&to) else {
                    let step =
                        self.event_step(&to, &to, "input to a missing actor".into(), narration);
                    return self.record(step);
                };
                let (outbox, notes) = self.with_ctx(i, |actor, ctx| actor.on_input(ctx, &action));
                let label = action_label(&action);
                let annotation = std::iter::once(narration)
                    .chain(notes)
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ");
                let step = self.event_step(&to, &to, label, annotation);
                let index = self.record(step);
                self.dispatch(&to, outbox, None);
                index
            }
        }
    }

    fn deliver(&mut self, env: Envelope) -> usize {
        self.now = self.now.max(env.deliver_at);
        let Some(&i) = self.index.get(&env.to) else {
            let step = self.event_step(
                &env.from,
                &env.to,
                "undeliverable".into(),
                format!("No actor {} exists.", env.to),
            );
            return self.record(step);
        };
        let meta = Delivery {
            id: env.id,
            from: env.from.clone(),
            to: env.to.clone(),
            in_reply_to: env.in_reply_to,
            origin: env.origin,
            expects_reply: env.expects_reply,
        };
        let (kind, outbox, notes) = if env.channel == Channel::Observed {
            let (o, n) = self.with_ctx(i, |actor, ctx| actor.on_observed(ctx, &env.wire, &meta));
            (StepKind::Observed, o, n)
        } else if env.is_response() {
            match http_wire::parse_response(&env.wire) {
                Ok(resp) => {
                    let (o, n) = self.with_ctx(i, |actor, ctx| actor.on_response(ctx, resp, &meta));
                    (StepKind::Response, o, n)
                }
                Err(e) => {
                    let (o, n) =
                        self.with_ctx(i, |actor, ctx| actor.on_unreadable_response(ctx, &e, &meta));
                    (StepKind::Response, o, n)
                }
            }
        } else {
            match http_wire::parse_request(&env.wire) {
                Ok(req) => {
                    let (o, n) = self.with_ctx(i, |actor, ctx| actor.on_request(ctx, req, &meta));
                    (StepKind::Request, o, n)
                }
                Err(e) => {
                    // The receiver's HTTP layer answers 400 (RFC 9112 §3), or 501 for a
                    // transfer coding it does not implement (RFC 9112 §6.1).
                    let status = e.status();
                    let mut resp = http_wire::response(status);
                    http_wire::set_header(resp.headers_mut(), "content-type", "text/plain");
                    *resp.body_mut() = format!("malformed request: {e}").into_bytes();
                    let out = if env.expects_reply {
                        vec![Outgoing::Response {
                            reply: meta.reply_handle(),
                            response: resp,
                        }]
                    } else {
                        Vec::new()
                    };
                    (
                        StepKind::Request,
                        out,
                        vec![format!(
                            "{}: malformed HTTP ({e}); answered {}.",
                            env.to,
                            status.as_u16()
                        )],
                    )
                }
            }
        };
        let shared_wire: std::sync::Arc<str> = std::sync::Arc::from(env.wire.as_str());
        let step = Step {
            index: 0,
            time_ms: self.now.0,
            from: env.from.clone(),
            to: env.to.clone(),
            channel: env.channel,
            kind,
            origin: env.origin,
            msg_id: Some(env.id),
            in_reply_to: env.in_reply_to,
            cause: env.cause,
            // Views of the wire text, derived when a viewer first reads them.
            summary: Lazy::of(shared_wire.clone(), summary),
            decoded: Lazy::of(shared_wire, decode_wire),
            wire: env.wire.clone(),
            annotation: notes.join(" "),
        };
        let index = self.record(step);
        let to = env.to.clone();
        let cause = Some(env.id);
        self.dispatch(&to, outbox, cause);
        index
    }

    fn latency(&self, channel: Channel) -> u64 {
        if self.instant_hops {
            return 0;
        }
        match channel {
            Channel::FrontChannel => FRONT_CHANNEL_LATENCY_MS,
            Channel::BackChannel => BACK_CHANNEL_LATENCY_MS,
            Channel::Observed => OBSERVED_LATENCY_MS,
        }
    }

    fn origin_of(&self, id: &ActorId) -> Origin {
        if self.attacker_controlled.contains(id) {
            return Origin::Attacker;
        }
        match self.directory.kind(id) {
            Some(k) if k.is_attacker() => Origin::Attacker,
            _ => Origin::Honest,
        }
    }

    fn dispatch(&mut self, from: &ActorId, outbox: Vec<Outgoing>, cause: Option<MsgId>) {
        for out in outbox {
            match out {
                Outgoing::Request {
                    id,
                    to,
                    request,
                    expects_reply,
                } => {
                    let to = to.or_else(|| self.directory.resolve(request.uri()));
                    let Some(to) = to else {
                        self.pending_notes.push(format!(
                            "(Nobody answers {}; the request goes nowhere.)",
                            request.uri()
                        ));
                        continue;
                    };
                    let wire = http_wire::render_request(&request);
                    self.send(Envelope {
                        id,
                        channel: self.directory.channel_between(from, &to),
                        origin: self.origin_of(from),
                        from: from.clone(),
                        to,
                        wire,
                        in_reply_to: None,
                        expects_reply,
                        cause,
                        deliver_at: SimTime::ZERO,
                    });
                }
                Outgoing::Response { reply, response } => {
                    self.next_id += 1;
                    let to = reply.requester;
                    self.send(Envelope {
                        id: MsgId(self.next_id),
                        channel: self.directory.channel_between(from, &to),
                        origin: self.origin_of(from),
                        from: from.clone(),
                        to,
                        wire: http_wire::render_response(&response),
                        in_reply_to: Some(reply.request),
                        expects_reply: false,
                        cause,
                        deliver_at: SimTime::ZERO,
                    });
                }
                Outgoing::Input { to, action, why } => {
                    self.events.push_back(ScriptEvent::Input {
                        to,
                        action,
                        narration: why,
                    });
                }
            }
        }
    }

    /// Puts a new envelope through the interceptors, then on the queue (or on hold).
    fn send(&mut self, mut env: Envelope) {
        env.deliver_at = self.now.plus_ms(self.latency(env.channel));
        let mut copies = Vec::new();
        let mut captured = false;
        for icpt in self.interceptors.iter_mut() {
            match icpt.on_send(&env) {
                Decision::Pass => {}
                Decision::Drop => {
                    let what = format!("to {} is dropped", env.to);
                    self.pending_notes
                        .push(interception_note(icpt.name(), &env, &what));
                    return;
                }
                Decision::Delay(ms) => env.deliver_at = env.deliver_at.plus_ms(ms),
                Decision::Replace(wire) => {
                    env.wire = wire;
                    env.origin = Origin::Attacker;
                }
                Decision::CopyTo(reader) => copies.push(reader),
                Decision::Capture(reader) => {
                    let what = format!("to {} goes to {reader} and is not delivered", env.to);
                    self.pending_notes
                        .push(interception_note(icpt.name(), &env, &what));
                    copies.push(reader);
                    captured = true;
                    break;
                }
                Decision::Reroute(to) => {
                    let what = format!("meant for {} goes to {to} instead", env.to);
                    self.pending_notes
                        .push(interception_note(icpt.name(), &env, &what));
                    env.to = to;
                    env.origin = Origin::Attacker;
                }
            }
        }
        for reader in copies {
            self.next_id += 1;
            let copy = Envelope {
                id: MsgId(self.next_id),
                to: reader,
                channel: Channel::Observed,
                origin: Origin::Attacker,
                expects_reply: false,
                deliver_at: self.now.plus_ms(OBSERVED_LATENCY_MS),
                ..env.clone()
            };
            self.queue.push(copy);
        }
        if captured {
            return;
        }
        if self.holds(&env) {
            self.held.push(env);
        } else {
            self.queue.push(env);
        }
    }

    /// Applies a learner input now, and records it in the input log.
    pub fn apply(&mut self, input: LearnerInput) -> Result<(), InputError> {
        if !self.started {
            self.start();
        }
        self.apply_inner(input.clone())?;
        self.inputs.push((self.trace.steps.len(), input));
        Ok(())
    }

    fn take_held(&mut self, id: MsgId) -> Result<Envelope, InputError> {
        let pos = self
            .held
            .iter()
            .position(|e| e.id == id)
            .ok_or(InputError::NotHeld(id.0))?;
        Ok(self.held.remove(pos))
    }

    fn release(&mut self, mut env: Envelope) {
        env.deliver_at = env.deliver_at.max(self.now);
        self.queue.push(env);
    }

    fn apply_inner(&mut self, input: LearnerInput) -> Result<(), InputError> {
        match input {
            LearnerInput::AdvanceClock { secs } => {
                self.events.push_back(ScriptEvent::AdvanceClock {
                    secs,
                    narration: "The learner advanced the clock.".into(),
                });
            }
            LearnerInput::SetHold { on } => {
                self.hold = on;
                if !on {
                    self.hold_only_to = None;
                    self.release_unheld();
                }
            }
            LearnerInput::HoldQueued => self.hold_queued(),
            LearnerInput::HoldOnlyTo { actor } => {
                if let Some(a) = &actor
                    && !self.index.contains_key(a)
                {
                    return Err(InputError::NoActor(a.0.clone()));
                }
                self.hold_only_to = actor;
                self.release_unheld();
                self.hold_queued();
            }
            LearnerInput::Forward { id } => {
                let env = self.take_held(id)?;
                self.release(env);
            }
            LearnerInput::ForwardAll => {
                for env in std::mem::take(&mut self.held) {
                    self.release(env);
                }
            }
            LearnerInput::Drop { id } => {
                let env = self.take_held(id)?;
                self.pending_notes.push(format!(
                    "(The learner dropped the message from {} to {}.)",
                    env.from, env.to
                ));
            }
            LearnerInput::Edit { id, wire } => {
                if http_wire::looks_like_response(&wire) {
                    http_wire::parse_response(&wire)?;
                } else {
                    http_wire::parse_request(&wire)?;
                }
                let mut env = self.take_held(id)?;
                env.wire = wire;
                env.origin = Origin::Learner;
                self.release(env);
            }
            LearnerInput::Replay { step } => {
                let s = self
                    .trace
                    .steps
                    .get(step)
                    .ok_or(InputError::NoMessage(step))?;
                if s.wire.is_empty() || s.kind == StepKind::Observed {
                    return Err(InputError::NoMessage(step));
                }
                self.next_id += 1;
                let env = Envelope {
                    id: MsgId(self.next_id),
                    from: s.from.clone(),
                    to: s.to.clone(),
                    channel: s.channel,
                    origin: Origin::Learner,
                    wire: s.wire.clone(),
                    in_reply_to: s.in_reply_to,
                    expects_reply: s.kind == StepKind::Request,
                    cause: None,
                    deliver_at: self.now.plus_ms(self.latency(s.channel)),
                };
                self.queue.push(env);
            }
            LearnerInput::Act { to, action } => {
                if !self.index.contains_key(&to) {
                    return Err(InputError::NoActor(to.0));
                }
                self.events.push_back(ScriptEvent::Input {
                    to,
                    action,
                    narration: "The learner acted.".into(),
                });
            }
            LearnerInput::AttackerMove { by, verb, text } => {
                if !self.index.contains_key(&by) {
                    return Err(InputError::NoActor(by.0));
                }
                if !self.is_attacker(&by) {
                    return Err(InputError::NotAttacker(by.0));
                }
                match verb {
                    AttackerVerb::Send => drop(http_wire::parse_request(&text)?),
                    AttackerVerb::Lure => drop(http_wire::parse_response(&text)?),
                    AttackerVerb::OwnLogin if text == "authorize" || text == "callback" => {}
                    AttackerVerb::OwnLogin => return Err(InputError::NoSuchStop(text)),
                }
                let narration = verb.narration(&by);
                self.events.push_back(ScriptEvent::Input {
                    to: by,
                    action: UserAction::Custom {
                        name: verb.order_name().to_string(),
                        value: text,
                    },
                    narration,
                });
            }
            LearnerInput::External { lane, to, wire } => self.external(lane, to, wire)?,
            LearnerInput::ClockAt { ms } => self.now = self.now.max(SimTime(ms)),
            LearnerInput::Defense { name, value } => {
                self.defenses.set_value(DefenseId::parse(&name)?, &value)?;
                self.trace.defenses = self.defenses.clone();
            }
            LearnerInput::HoldSent { from, to } => self.hold_sent(from, to)?,
            LearnerInput::Intercepted {
                from,
                to,
                request,
                what,
                edited,
                answer,
            } => {
                if let Some(wire) = &edited {
                    http_wire::parse_request(wire)?;
                }
                let step = intercept_event(self.now, (&from, &to), &request, &what);
                self.record(step);
                let held = (self.held.iter())
                    .position(|e| e.from == from && e.to == to && !e.is_response());
                if let Some(i) = held {
                    let env = self.held.remove(i);
                    self.let_go(env, edited, answer);
                }
            }
        }
        Ok(())
    }

    /// Holds the first request `from` sent to `to` that is still in flight.
    fn hold_sent(&mut self, from: ActorId, to: ActorId) -> Result<(), InputError> {
        let mut sent = (self.queue).take_where(|e| {
            e.from == from && e.to == to && e.channel != Channel::Observed && !e.is_response()
        });
        sent.sort_by_key(|e| e.id);
        let mut sent = sent.into_iter();
        let first = sent.next().ok_or(InputError::NotSent(from.0, to.0))?;
        for env in sent {
            self.queue.push(env);
        }
        self.held.push(first);
        Ok(())
    }

    /// Lets a held request go as live mode's intercept did: as it was, `edited`, or
    /// answered by the intercept (its party never sees it).
    fn let_go(&mut self, mut env: Envelope, edited: Option<String>, answer: Option<String>) {
        match (edited, answer) {
            (_, Some(wire)) => {
                self.next_id += 1;
                let reply = Envelope {
                    id: MsgId(self.next_id),
                    channel: self.directory.channel_between(&env.to, &env.from),
                    origin: Origin::Honest,
                    from: env.to.clone(),
                    to: env.from.clone(),
                    wire,
                    in_reply_to: Some(env.id),
                    expects_reply: false,
                    cause: None,
                    deliver_at: self.now,
                };
                self.release(reply);
            }
            (Some(wire), None) => {
                env.wire = wire;
                env.origin = Origin::Learner;
                self.release(env);
            }
            (None, None) => self.release(env),
        }
    }

    /// Sends `wire` from the outside party `lane` (added to the world the first time)
    /// to `to`, as any message: through the interceptors, held in intercept mode.
    fn external(&mut self, lane: Lane, to: ActorId, wire: String) -> Result<(), InputError> {
        if !self.index.contains_key(&to) {
            return Err(InputError::NoActor(to.0));
        }
        let from = lane.id();
        if !self.index.contains_key(&from) {
            self.add_actor(Box::new(Outsider::new(lane)));
        }
        self.next_id += 1;
        self.send(Envelope {
            id: MsgId(self.next_id),
            channel: self.directory.channel_between(&from, &to),
            origin: self.origin_of(&from),
            from,
            to,
            wire,
            in_reply_to: None,
            expects_reply: true,
            cause: None,
            deliver_at: SimTime::ZERO,
        });
        Ok(())
    }

    /// Re-runs a recorded input log on a fresh world (built by the same builder): each
    /// input is applied when the trace reaches its step count, then the run continues
    /// until `len` steps exist (or to the end with `usize::MAX`). Inputs that fail now
    /// (because the defenses changed the run) are skipped.
    pub fn replay_inputs(&mut self, inputs: &[(usize, LearnerInput)], len: usize) {
        self.replay_inputs_with(inputs, len, |_| {});
    }

    /// [`Simulation::replay_inputs`], calling `after_step` with the world after every
    /// step it takes (e.g. to keep each step's state).
    pub fn replay_inputs_with(
        &mut self,
        inputs: &[(usize, LearnerInput)],
        len: usize,
        after_step: impl FnMut(&Simulation),
    ) {
        self.replay_inputs_where(inputs, len, |_, _| true, after_step);
    }

    /// [`Simulation::replay_inputs_with`], applying only the inputs `keep` accepts on
    /// the world as it is when each is due (e.g. an attacker's move that carries a
    /// secret the attacker never obtained in this run).
    pub fn replay_inputs_where(
        &mut self,
        inputs: &[(usize, LearnerInput)],
        len: usize,
        mut keep: impl FnMut(&Simulation, &LearnerInput) -> bool,
        mut after_step: impl FnMut(&Simulation),
    ) {
        let mut pending: VecDeque<&(usize, LearnerInput)> = inputs.iter().collect();
        let mut apply = |sim: &mut Simulation, input: &LearnerInput| {
            if keep(sim, input) {
                let _ = sim.apply(input.clone());
            }
        };
        loop {
            while let Some((at, input)) = pending.front().copied() {
                if *at > self.trace.steps.len() {
                    break;
                }
                pending.pop_front();
                apply(self, input);
            }
            if self.trace.steps.len() >= len {
                break;
            }
            if self.step().is_some() {
                after_step(self);
            } else {
                // Nothing moves until the next input: apply it now.
                match pending.pop_front() {
                    Some((_, input)) => apply(self, input),
                    None => break,
                }
            }
        }
    }
}

/// The note an interceptor's decision leaves: `(Name: the message from X {what}.)`.
fn interception_note(name: &str, env: &Envelope, what: &str) -> String {
    format!(
        "({}: the message from {} {what}.)",
        capitalized(name),
        env.from
    )
}

/// `s` with its first letter upper-case: an interceptor's name opens the note.
fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// A person's or an actor's action in words, as the trace's event steps name it:
/// `opens http://…`, `starts sign-in` (the simulation and live mode alike).
pub fn action_label(action: &UserAction) -> String {
    match action {
        UserAction::Navigate { url } => format!("opens {}", super::decode::short_url(url, 60)),
        UserAction::LinkReceived { url, .. } => {
            format!("gets a link to {}", super::decode::short_url(url, 60))
        }
        UserAction::StartLogin => "starts sign-in".to_string(),
        UserAction::Custom { name, .. } => name.clone(),
    }
}
