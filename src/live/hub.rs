//! The live world: the same sans-IO actors as the simulation, each call to one of them
//! made under one lock, their outboxes carried out over real TCP, every delivered
//! message recorded as a trace step (docs/ARCHITECTURE.md, `live/`).
//!
//! One lock over the whole world makes every actor call atomic: two redemptions of one
//! code, or two refreshes of one refresh token, are handled one after the other by the
//! AS's own code, so single use (RFC 6749 §4.1.2) and rotation (RFC 9700 §4.14.2) hold
//! under parallel requests. The lock is never held while waiting on the network, nor
//! while the AS's RS256 signatures are made: they are promised under it and made by the
//! listener's task after (`protocol::deferred_sign`, [`Hub::request`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Instant;

use rand_chacha::ChaCha20Rng;
use tokio::sync::{mpsc, oneshot};

use super::hold::{self, Holds, Passage};
use super::lanes::Lane;
use crate::actors::rng::RngTree;
use crate::actors::{
    Actor, ActorId, ActorKind, Ctx, Defenses, Delivery, MsgId, Origin, Outgoing, SimTime,
    UserAction,
};
use crate::protocol::deferred_sign::{self, Promises};
use crate::protocol::http_wire::{self, Request, Response};
use crate::sim::decode::{decode_wire, summary};
use crate::sim::lazy::Lazy;
use crate::sim::live_intercept::intercept_event;
use crate::sim::trace::ActorInfo;
use crate::sim::{Channel, LearnerInput, Step, StepKind, Trace};
use crate::world::changes::set_value_of;

/// Called with every step as it is recorded (the log lines, the recorder, the UI).
pub type StepSink = Box<dyn Fn(&Step) + Send + Sync>;

/// Called with what reaches the world from outside its parties' code, as the learner
/// input that replays it, with the trace's length and the clock when it arrived: an
/// outside party's request, a user action, a defense change (`serve --record`).
pub type InputSink = Box<dyn Fn(usize, SimTime, &LearnerInput) + Send + Sync>;

/// Which party, if any, takes a request that `from` is about to send, so that it is
/// never sent: the attacker stopping its own browser at a step (the simulation's
/// capturing tap, RFC 9700 §3 A1 acting through its own user agent).
pub type Stop = Box<dyn Fn(&ActorId, &Request) -> Option<ActorId> + Send + Sync>;

/// One party of the live world: an actor and its RNG (the child of the seed named by
/// its id, as in the simulation).
struct Party {
    actor: Box<dyn Actor + Send>,
    rng: ChaCha20Rng,
}

/// What the lock guards.
struct World {
    parties: Vec<Party>,
    index: BTreeMap<ActorId, usize>,
    defenses: Defenses,
    next_id: u64,
    trace: Trace,
    /// Requests whose answer a server connection waits for, by message id.
    waiters: HashMap<MsgId, oneshot::Sender<Answer>>,
    /// The attacker's parties (its site, its own browser): what they send is the
    /// attacker's, as in the simulation.
    attackers: BTreeSet<ActorId>,
}

/// A party's answer to a request from a listener, with the RS256 signatures promised
/// in it, made by the listener's task once the world lock is released
/// (`protocol::deferred_sign`).
struct Answer {
    response: Response,
    promises: Promises,
}

/// The parties' state at one moment ([`Hub::state`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartiesNow {
    /// Steps in the trace then: the state is the one after step `steps - 1`.
    pub steps: usize,
    /// The live clock then.
    pub now: SimTime,
    /// Each party's id, label and state sections, in the order they were started.
    pub parties: Vec<(ActorId, String, Vec<crate::actors::StateSection>)>,
}

/// Who sent a request that arrived on a listener.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    pub id: ActorId,
    pub kind: ActorKind,
    /// The message id the sender gave the request, for a party of this world.
    pub msg: Option<MsgId>,
    /// The outside party's lane, for a sender outside this world.
    pub lane: Option<Lane>,
}

/// The live world shared by the listeners and the transport.
pub struct Hub {
    world: Mutex<World>,
    /// Each request in flight from a party of this world (back channel, or the
    /// simulated browser), by its connection's two ends (the party's local address,
    /// the listener's address): the listener that receives it reads both and so knows
    /// who sent it and under which message id. One end is not enough: the same local
    /// port is handed out at once for connections to different addresses (a load
    /// generator's connection to the RS and the RS's own call to the AS can share it).
    outgoing: Mutex<HashMap<(SocketAddr, SocketAddr), (ActorId, MsgId)>>,
    /// Which party listens at which socket address.
    listeners: Mutex<BTreeMap<SocketAddr, ActorId>>,
    started: Instant,
    sink: Option<StepSink>,
    /// Where the inputs go, once someone listens ([`Hub::on_input`]).
    inputs: OnceLock<InputSink>,
    /// Transport tasks and waiting server requests not finished yet.
    in_flight: AtomicUsize,
    /// Requests the parties send, for the transport to carry.
    departures: mpsc::UnboundedSender<Departure>,
    /// The intercept: requests held before their party sees them.
    holds: Holds,
    /// Requests the parties' owners take before they leave ([`Hub::stop_requests`]).
    stops: OnceLock<Stop>,
}

/// A request a party sends, on its way to the transport; it counts as in flight until
/// the transport is done with it.
pub struct Departure {
    pub from: ActorId,
    pub id: MsgId,
    pub request: Request,
    _busy: InFlight,
}

impl Hub {
    /// A world of these actors under `defenses`; RNGs are children of `seed`.
    pub fn new(
        seed: u64,
        defenses: Defenses,
        actors: Vec<Box<dyn Actor + Send>>,
        sink: Option<StepSink>,
    ) -> (Arc<Hub>, mpsc::UnboundedReceiver<Departure>) {
        let tree = RngTree::new(seed);
        let mut index = BTreeMap::new();
        let mut infos = Vec::new();
        let mut parties = Vec::new();
        let mut attackers = BTreeSet::new();
        for actor in actors {
            let id = actor.id().clone();
            if actor.kind().is_attacker() {
                attackers.insert(id.clone());
            }
            infos.push(ActorInfo::of(actor.as_ref()));
            index.insert(id.clone(), parties.len());
            parties.push(Party {
                rng: tree.child(id.as_str()),
                actor,
            });
        }
        let (departures, departing) = mpsc::unbounded_channel();
        let hub = Arc::new(Hub {
            world: Mutex::new(World {
                parties,
                index,
                trace: Trace::new(seed, defenses.clone(), infos),
                defenses,
                next_id: 0,
                waiters: HashMap::new(),
                attackers,
            }),
            outgoing: Mutex::new(HashMap::new()),
            listeners: Mutex::new(BTreeMap::new()),
            started: Instant::now(),
            sink,
            inputs: OnceLock::new(),
            in_flight: AtomicUsize::new(0),
            departures,
            holds: Holds::default(),
            stops: OnceLock::new(),
        });
        (hub, departing)
    }

    fn lock(&self) -> MutexGuard<'_, World> {
        // A panic in one actor call must not take the server down with it.
        self.world.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Live mode's clock: real milliseconds since the world started, on the simulated
    /// calendar (docs/ARCHITECTURE.md rule 3 holds below the front ends; live mode is
    /// the front end that brings real time in).
    pub fn now(&self) -> SimTime {
        SimTime(self.started.elapsed().as_millis() as u64)
    }

    /// Hands every input from now on to `sink`; `false` if another sink has it already.
    pub fn on_input(&self, sink: InputSink) -> bool {
        self.inputs.set(sink).is_ok()
    }

    fn note_input(&self, w: &World, now: SimTime, input: LearnerInput) {
        if let Some(sink) = self.inputs.get() {
            sink(w.trace.steps.len(), now, &input);
        }
    }

    /// Hands every request `stop` names a taker for to that taker (as an observed
    /// copy) instead of sending it; `false` if a stop is set already.
    pub fn stop_requests(&self, stop: Stop) -> bool {
        self.stops.set(stop).is_ok()
    }

    /// Makes `party` the attacker's (its own browser): an attacker lane, and what it
    /// sends is the attacker's.
    pub fn controlled_by_attacker(&self, party: &ActorId) {
        let mut w = self.lock();
        w.attackers.insert(party.clone());
        for info in w.trace.actors.iter_mut().filter(|a| a.id == *party) {
            info.attacker = true;
        }
    }

    /// Notes that `party` listens at `addr`.
    pub fn listen(&self, addr: SocketAddr, party: &ActorId) {
        lock(&self.listeners).insert(addr, party.clone());
    }

    /// The party listening at `addr`, if any.
    pub fn party_at(&self, addr: SocketAddr) -> Option<ActorId> {
        lock(&self.listeners).get(&addr).cloned()
    }

    /// Starts every actor (discovery, key fetches), in the order they were given.
    pub fn start(self: &Arc<Self>) {
        let n = self.lock().parties.len();
        for i in 0..n {
            let mut w = self.lock();
            let (outbox, _notes, me) = w.call(i, self.now(), |actor, ctx| actor.start(ctx));
            self.dispatch(&mut w, &me, outbox);
        }
    }

    /// Hands a user action to a party (the simulated browser in tests: "open this URL").
    pub fn input(self: &Arc<Self>, to: &ActorId, action: UserAction) -> bool {
        let mut w = self.lock();
        let Some(&i) = w.index.get(to) else {
            return false;
        };
        let act = LearnerInput::Act {
            to: to.clone(),
            action: action.clone(),
        };
        self.note_input(&w, self.now(), act);
        let (outbox, notes, me) = w.call(i, self.now(), |actor, ctx| actor.on_input(ctx, &action));
        let step = event_step(
            self.now(),
            to,
            crate::sim::simulation::action_label(&action),
            notes.join(" "),
        );
        self.record(&mut w, step);
        self.dispatch(&mut w, &me, outbox);
        true
    }

    /// Who sent a request that reached the listener at `at` from `peer`.
    pub fn sender_of(&self, peer: SocketAddr, at: SocketAddr, lane: &Lane) -> Sender {
        let known = lock(&self.outgoing).get(&(peer, at)).cloned();
        match known {
            Some((id, msg)) => {
                let kind = {
                    let w = self.lock();
                    w.index.get(&id).map(|&i| w.parties[i].actor.kind())
                };
                Sender {
                    kind: kind.unwrap_or(ActorKind::Client),
                    id,
                    msg: Some(msg),
                    lane: None,
                }
            }
            None => Sender {
                id: lane.id(),
                kind: lane.kind(),
                msg: None,
                lane: Some(*lane),
            },
        }
    }

    /// Delivers a request that arrived on `to`'s listener and waits for `to`'s answer
    /// (or gives up after `deadline`: 504, RFC 9110 §15.6.5).
    pub async fn request(
        self: &Arc<Self>,
        to: &ActorId,
        from: &Sender,
        wire: String,
        deadline: std::time::Duration,
    ) -> Response {
        let _busy = InFlight::new(self);
        let line = hold::request_line(&wire);
        let on_hold = || self.held_sent(to, from);
        let wire = match self.holds.pass(&from.id, to, wire, on_hold).await {
            Passage::Deliver { wire, held: None } => wire,
            Passage::Deliver {
                wire,
                held: Some((waited, edited)),
            } => {
                let how = if edited {
                    "edited by the learner"
                } else {
                    "as it was"
                };
                let what = format!("held {}, then forwarded {how}", hold::seconds(waited));
                let edit = edited.then(|| wire.clone());
                self.intercepted(to, from, &line, &what, edit, None);
                wire
            }
            Passage::Answer { response, why } => {
                let answer =
                    http_wire::render_response(&super::limits::with_length(response.clone()));
                self.intercepted(to, from, &line, &why, None, Some(answer));
                return response;
            }
        };
        let (tx, rx) = oneshot::channel();
        let id = {
            let mut w = self.lock();
            let id = from.msg.unwrap_or_else(|| w.allocate());
            w.waiters.insert(id, tx);
            self.deliver_request(&mut w, to, from, id, &wire);
            id
        };
        let resp = match tokio::time::timeout(deadline, rx).await {
            Ok(Ok(Answer {
                mut response,
                promises,
            })) => {
                if !promises.is_empty() {
                    // On this connection's task, the world lock released: parallel
                    // requests' signatures are made on both cores at once.
                    let signed = promises.keep();
                    signed.apply_response(&mut response);
                    let mut w = self.lock();
                    if let Some(&i) = w.index.get(to) {
                        w.parties[i].actor.keep_promises(&signed);
                    }
                }
                response
            }
            _ => {
                self.lock().waiters.remove(&id);
                let mut resp = http_wire::response(http::StatusCode::GATEWAY_TIMEOUT);
                http_wire::set_header(resp.headers_mut(), "content-type", "text/plain");
                *resp.body_mut() = format!(
                    "{to} gave no answer within {} s (live mode's reply deadline).\n",
                    deadline.as_secs()
                )
                .into_bytes();
                resp
            }
        };
        if from.msg.is_none() {
            self.answered_outside(to, from, id, &http_wire::render_response(&resp));
        }
        resp
    }

    /// Records a request the listener refused before the party saw it (a limit).
    pub fn refused(
        &self,
        party: &ActorId,
        from: &Sender,
        head: &http::request::Parts,
        status: http::StatusCode,
        why: &str,
    ) {
        let mut w = self.lock();
        self.add_lane(&mut w, from);
        let summary = format!(
            "{} {} refused by the listener: {}",
            head.method,
            head.uri.path(),
            status.as_u16()
        );
        let mut step = event_step(
            self.now(),
            party,
            summary,
            format!("{party}'s listener: {why}."),
        );
        step.from = from.id.clone();
        self.record(&mut w, step);
    }

    /// The intercept (held requests, in live mode's UI).
    pub fn holds(&self) -> &Holds {
        &self.holds
    }

    /// Records what the intercept did with a request on its way to `party`.
    /// `edited`: the learner's text it went on as; `answer`: the sender's answer
    /// instead (as it reads it over TCP), when the party never saw it. Noted as the
    /// input that replays it ([`LearnerInput::Intercepted`]).
    fn intercepted(
        &self,
        party: &ActorId,
        from: &Sender,
        line: &str,
        what: &str,
        edited: Option<String>,
        answer: Option<String>,
    ) {
        let mut w = self.lock();
        self.add_lane(&mut w, from);
        let now = self.now();
        let input = LearnerInput::Intercepted {
            from: from.id.clone(),
            to: party.clone(),
            request: line.to_string(),
            what: what.to_string(),
            // A request from outside the world replays as it reached it (`External`).
            edited: edited.filter(|_| from.msg.is_some()),
            answer: answer.filter(|_| from.msg.is_some()),
        };
        self.note_input(&w, now, input);
        let step = intercept_event(now, (&from.id, party), line, what);
        self.record(&mut w, step);
    }

    /// Notes that the intercept holds a request one of the world's parties sent
    /// ([`LearnerInput::HoldSent`]: its replay holds it from then on).
    fn held_sent(&self, party: &ActorId, from: &Sender) {
        if from.msg.is_some() {
            let w = self.lock();
            let input = LearnerInput::HoldSent {
                from: from.id.clone(),
                to: party.clone(),
            };
            self.note_input(&w, self.now(), input);
        }
    }

    /// An outside party gets its own lane the first time it sends something.
    fn add_lane(&self, w: &mut World, from: &Sender) {
        if let Some(lane) = from.lane
            && !w.trace.actors.iter().any(|a| a.id == from.id)
        {
            w.trace.actors.push(ActorInfo {
                id: from.id.clone(),
                kind: lane.kind(),
                label: lane.label().to_string(),
                addresses: Vec::new(),
                attacker: false,
            });
        }
    }

    fn deliver_request(
        self: &Arc<Self>,
        w: &mut World,
        to: &ActorId,
        from: &Sender,
        id: MsgId,
        wire: &str,
    ) {
        let now = self.now();
        self.add_lane(w, from);
        let Some(&i) = w.index.get(to) else { return };
        if let Some(lane) = from.lane {
            let to = to.clone();
            let wire = wire.to_string();
            self.note_input(w, now, LearnerInput::External { lane, to, wire });
        }
        let meta = Delivery {
            id,
            from: from.id.clone(),
            to: to.clone(),
            in_reply_to: None,
            origin: Origin::Honest,
            expects_reply: true,
        };
        let ((mut outbox, notes, me), promises) = match http_wire::parse_request(wire) {
            Ok(req) => {
                let req = over_plain_http(req);
                w.call_deferring(i, now, |actor, ctx| actor.on_request(ctx, req, &meta))
            }
            Err(e) => {
                // The HTTP layer's own answer, as in the simulation (RFC 9112 §3, §6.1).
                let status = e.status();
                let mut resp = http_wire::response(status);
                http_wire::set_header(resp.headers_mut(), "content-type", "text/plain");
                *resp.body_mut() = format!("malformed request: {e}").into_bytes();
                let reply = Outgoing::Response {
                    reply: meta.reply_handle(),
                    response: resp,
                };
                let note = format!("{to}: malformed HTTP ({e}); answered {}.", status.as_u16());
                ((vec![reply], vec![note], to.clone()), Promises::default())
            }
        };
        let step = message_step(
            now,
            from.id.clone(),
            to.clone(),
            channel_of(from.kind),
            StepKind::Request,
            id,
            None,
            wire,
            notes,
        );
        self.record(w, step);
        if !promises.is_empty()
            && let [Outgoing::Response { reply, .. }] = outbox.as_slice()
            && w.waiters.contains_key(&reply.request)
            && let Some(Outgoing::Response { reply, response }) = outbox.pop()
            && let Some(tx) = w.waiters.remove(&reply.request)
        {
            if let Err(unsent) = tx.send(Answer { response, promises }) {
                // The receiver hung up: nobody to tell, but the AS's record still
                // gets its token.
                w.keep_now(i, &mut [], &mut [], unsent.promises);
            }
            return;
        }
        // Signatures promised for anything else are made now, under the lock.
        w.keep_now(i, &mut outbox, &mut [], promises);
        self.dispatch(w, &me, outbox);
    }

    /// Delivers a response that came back over TCP to the party that sent request `id`.
    pub fn response(self: &Arc<Self>, to: &ActorId, from: &ActorId, id: MsgId, wire: &str) {
        let now = self.now();
        let mut w = self.lock();
        let Some(&i) = w.index.get(to) else { return };
        let kind = w.parties[i].actor.kind();
        let reply_id = w.allocate();
        let meta = Delivery {
            id: reply_id,
            from: from.clone(),
            to: to.clone(),
            in_reply_to: Some(id),
            origin: Origin::Honest,
            expects_reply: false,
        };
        let (outbox, notes, me) = match http_wire::parse_response(wire) {
            Ok(resp) => w.call(i, now, |actor, ctx| actor.on_response(ctx, resp, &meta)),
            Err(e) => w.call(i, now, |actor, ctx| {
                actor.on_unreadable_response(ctx, &e, &meta)
            }),
        };
        let step = message_step(
            now,
            from.clone(),
            to.clone(),
            channel_of(kind),
            StepKind::Response,
            reply_id,
            Some(id),
            wire,
            notes,
        );
        self.record(&mut w, step);
        self.dispatch(&mut w, &me, outbox);
    }

    /// Records the answer a listener wrote to a sender outside this world.
    pub fn answered_outside(&self, from: &ActorId, to: &Sender, request: MsgId, wire: &str) {
        let mut w = self.lock();
        let id = w.allocate();
        let step = message_step(
            self.now(),
            from.clone(),
            to.id.clone(),
            channel_of(to.kind),
            StepKind::Response,
            id,
            Some(request),
            wire,
            Vec::new(),
        );
        self.record(&mut w, step);
    }

    /// A transport failure seen by the party that sent request `id`: recorded as an
    /// event and handed to the party as an unreadable answer.
    pub fn transport_failed(self: &Arc<Self>, to: &ActorId, id: MsgId, why: &str) {
        let now = self.now();
        let mut w = self.lock();
        let Some(&i) = w.index.get(to) else { return };
        let meta = Delivery {
            id: MsgId(0),
            from: to.clone(),
            to: to.clone(),
            in_reply_to: Some(id),
            origin: Origin::Honest,
            expects_reply: false,
        };
        let error = http_wire::WireError::Syntax(format!("no HTTP answer: {why}"));
        let (outbox, notes, me) = w.call(i, now, |actor, ctx| {
            actor.on_unreadable_response(ctx, &error, &meta)
        });
        let step = event_step(
            now,
            to,
            format!("request #{} failed: {why}", id.0),
            notes.join(" "),
        );
        self.record(&mut w, step);
        self.dispatch(&mut w, &me, outbox);
    }

    fn record(&self, w: &mut World, mut step: Step) {
        step.index = w.trace.steps.len();
        if w.attackers.contains(&step.from) {
            step.origin = Origin::Attacker;
        }
        if let Some(sink) = &self.sink {
            sink(&step);
        }
        w.trace.steps.push(step);
    }

    /// Carries out what an actor asked for: answers go to the listener waiting for
    /// them, requests leave over TCP (unless a stop takes them), user actions go to the
    /// party they are for (the attacker driving its own browser) and are only noted
    /// when there is no such party.
    fn dispatch(self: &Arc<Self>, w: &mut World, me: &ActorId, outbox: Vec<Outgoing>) {
        for out in outbox {
            match out {
                Outgoing::Response { reply, response } => {
                    if let Some(tx) = w.waiters.remove(&reply.request) {
                        // The receiver may have hung up; then there is nobody to tell.
                        let _ = tx.send(Answer {
                            response,
                            promises: Promises::default(),
                        });
                    }
                }
                Outgoing::Request { id, request, .. } => {
                    if let Some(taker) = self.stops.get().and_then(|stop| stop(me, &request)) {
                        self.taken(w, me, &taker, &request);
                        continue;
                    }
                    let departure = Departure {
                        from: me.clone(),
                        id,
                        request,
                        _busy: InFlight::new(self),
                    };
                    // The receiver lives as long as the runtime; after shutdown
                    // there is nobody left to send for.
                    let _ = self.departures.send(departure);
                }
                Outgoing::Input { to, action, why } => {
                    let Some(&i) = w.index.get(&to) else {
                        let step = event_step(
                            self.now(),
                            &to,
                            crate::sim::simulation::action_label(&action),
                            why,
                        );
                        self.record(w, step);
                        continue;
                    };
                    let (outbox, notes, them) =
                        w.call(i, self.now(), |actor, ctx| actor.on_input(ctx, &action));
                    let mut step = event_step(
                        self.now(),
                        &to,
                        crate::sim::simulation::action_label(&action),
                        std::iter::once(why)
                            .chain(notes)
                            .collect::<Vec<_>>()
                            .join(" "),
                    );
                    step.from = me.clone();
                    self.record(w, step);
                    self.dispatch(w, &them, outbox);
                }
            }
        }
    }

    /// A request of `from` that `taker` takes before it is sent: recorded as an
    /// observed copy, handed to `taker`, never sent.
    fn taken(self: &Arc<Self>, w: &mut World, from: &ActorId, taker: &ActorId, request: &Request) {
        let Some(&i) = w.index.get(taker) else { return };
        let now = self.now();
        let wire = http_wire::render_request(request);
        let id = w.allocate();
        let meta = Delivery {
            id,
            from: from.clone(),
            to: taker.clone(),
            in_reply_to: None,
            origin: Origin::Attacker,
            expects_reply: false,
        };
        let (outbox, mut notes, them) =
            w.call(i, now, |actor, ctx| actor.on_observed(ctx, &wire, &meta));
        notes.insert(
            0,
            format!("{from}'s request goes to {taker} and is not sent."),
        );
        let mut step = message_step(
            now,
            from.clone(),
            taker.clone(),
            Channel::Observed,
            StepKind::Request,
            id,
            None,
            &wire,
            notes,
        );
        step.origin = Origin::Attacker;
        self.record(w, step);
        self.dispatch(w, &them, outbox);
    }

    /// A copy of the trace so far.
    pub fn trace(&self) -> Trace {
        self.lock().trace.clone()
    }

    /// Every party's state now ([`Actor::snapshot`]: codes, tokens, sessions, as the
    /// simulation's State tab shows them), read under the lock together with how many
    /// steps the trace has. Only the live UI's State tab asks, while it is shown: the
    /// hub never takes snapshots on its own.
    pub fn state(&self) -> PartiesNow {
        let w = self.lock();
        PartiesNow {
            steps: w.trace.steps.len(),
            now: self.now(),
            parties: (w.parties.iter())
                .map(|p| (p.actor.id().clone(), p.actor.label(), p.actor.snapshot()))
                .collect(),
        }
    }

    /// The defenses in force.
    pub fn defenses(&self) -> Defenses {
        self.lock().defenses.clone()
    }

    /// Changes the defenses; the next message is handled under the new ones.
    pub fn set_defenses(&self, defenses: Defenses) {
        let mut w = self.lock();
        for id in w.defenses.differences(&defenses) {
            let name = id.name().to_string();
            let value = set_value_of(&defenses, id);
            self.note_input(&w, self.now(), LearnerInput::Defense { name, value });
        }
        w.trace.defenses = defenses.clone();
        w.defenses = defenses;
    }

    /// Reads one party as its concrete type.
    pub fn with_actor<T: Actor, R>(&self, id: &str, read: impl FnOnce(&T) -> R) -> Option<R> {
        let w = self.lock();
        let &i = w.index.get(&ActorId::new(id))?;
        let any: &dyn std::any::Any = w.parties[i].actor.as_ref();
        any.downcast_ref::<T>().map(read)
    }

    /// Whether no request is in flight and no listener waits for an answer.
    pub fn is_idle(&self) -> bool {
        self.in_flight.load(Ordering::SeqCst) == 0
    }

    /// Notes that party `from` sends request `id` over the connection from `local`
    /// to `server`.
    pub(super) fn note_outgoing(
        &self,
        local: SocketAddr,
        server: SocketAddr,
        from: &ActorId,
        id: MsgId,
    ) {
        lock(&self.outgoing).insert((local, server), (from.clone(), id));
    }

    pub(super) fn forget_outgoing(&self, local: SocketAddr, server: SocketAddr) {
        lock(&self.outgoing).remove(&(local, server));
    }
}

impl World {
    fn allocate(&mut self) -> MsgId {
        self.next_id += 1;
        MsgId(self.next_id)
    }

    /// Calls party `i` with a fresh `Ctx`; returns its outbox, its notes and its id.
    /// Any RS256 signature it asks for is made before this returns.
    fn call(
        &mut self,
        i: usize,
        now: SimTime,
        f: impl FnOnce(&mut dyn Actor, &mut Ctx<'_>),
    ) -> (Vec<Outgoing>, Vec<String>, ActorId) {
        let ((mut outbox, mut notes, me), promises) = self.call_deferring(i, now, f);
        self.keep_now(i, &mut outbox, &mut notes, promises);
        (outbox, notes, me)
    }

    /// Like [`World::call`], but the RS256 signatures the party asks for are only
    /// promised: placeholders stand for them in the outbox and in the party's records
    /// until the promises are kept (`protocol::deferred_sign`). The answer's notes
    /// must not quote a token; if one does, the promises are kept at once.
    fn call_deferring(
        &mut self,
        i: usize,
        now: SimTime,
        f: impl FnOnce(&mut dyn Actor, &mut Ctx<'_>),
    ) -> ((Vec<Outgoing>, Vec<String>, ActorId), Promises) {
        let World {
            parties,
            defenses,
            next_id,
            ..
        } = self;
        let party = &mut parties[i];
        let me = party.actor.id().clone();
        let mut ctx = Ctx::new(now, defenses, &mut party.rng, me.clone(), next_id);
        let ((), promises) = deferred_sign::deferring(|| f(party.actor.as_mut(), &mut ctx));
        let (mut outbox, mut notes) = (ctx.outbox, ctx.notes);
        if notes.iter().any(|n| deferred_sign::holds_placeholder(n)) {
            self.keep_now(i, &mut outbox, &mut notes, promises);
            return ((outbox, notes, me), Promises::default());
        }
        ((outbox, notes, me), promises)
    }

    /// Makes the signatures promised to party `i` now, under the lock, and puts them
    /// into its outbox, its notes and its records.
    fn keep_now(
        &mut self,
        i: usize,
        outbox: &mut [Outgoing],
        notes: &mut [String],
        promises: Promises,
    ) {
        if promises.is_empty() {
            return;
        }
        let signed = promises.keep();
        for out in outbox.iter_mut() {
            match out {
                Outgoing::Response { response, .. } => signed.apply_response(response),
                Outgoing::Request { request, .. } => {
                    signed.apply_headers(request.headers_mut());
                    signed.apply_bytes(request.body_mut());
                }
                Outgoing::Input { .. } => {}
            }
        }
        for note in notes.iter_mut() {
            *note = signed.apply(note);
        }
        self.parties[i].actor.keep_promises(&signed);
    }
}

/// Counts one unit of work in flight for [`Hub::is_idle`].
struct InFlight(Arc<Hub>);

impl InFlight {
    fn new(hub: &Arc<Hub>) -> Self {
        hub.in_flight.fetch_add(1, Ordering::SeqCst);
        InFlight(Arc::clone(hub))
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The wire parser resolves an origin-form target against `https://{Host}`; live
/// listeners speak plain http, so the request's URL says `http`.
fn over_plain_http(mut req: Request) -> Request {
    let uri = req.uri();
    if uri.scheme_str() == Some("https")
        && let Some(authority) = uri.authority()
    {
        let pq = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
        if let Ok(plain) = format!("http://{authority}{pq}").parse() {
            *req.uri_mut() = plain;
        }
    }
    req
}

/// Front channel for anything a browser sends or receives, back channel otherwise.
fn channel_of(kind: ActorKind) -> Channel {
    if kind == ActorKind::Browser {
        Channel::FrontChannel
    } else {
        Channel::BackChannel
    }
}

#[allow(clippy::too_many_arguments)]
fn message_step(
    now: SimTime,
    from: ActorId,
    to: ActorId,
    channel: Channel,
    kind: StepKind,
    id: MsgId,
    in_reply_to: Option<MsgId>,
    wire: &str,
    notes: Vec<String>,
) -> Step {
    let shared: Arc<str> = Arc::from(wire);
    Step {
        index: 0,
        time_ms: now.0,
        from,
        to,
        channel,
        kind,
        origin: Origin::Honest,
        msg_id: Some(id),
        in_reply_to,
        cause: None,
        summary: Lazy::of(shared.clone(), summary),
        decoded: Lazy::of(shared, decode_wire),
        wire: wire.to_string(),
        annotation: notes.join(" "),
    }
}

fn event_step(now: SimTime, to: &ActorId, summary: String, annotation: String) -> Step {
    Step::event(now, (to, to), Origin::Honest, summary, annotation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connection_is_known_by_both_its_ends_not_by_its_local_port_alone() {
        let (hub, _departing) = Hub::new(7, Defenses::default(), Vec::new(), None);
        let addr = |s: &str| s.parse::<SocketAddr>().expect("an address");
        let (port, rs, asrv) = (
            addr("127.0.0.1:40000"),
            addr("127.0.0.3:9002"),
            addr("127.0.0.2:9001"),
        );
        hub.note_outgoing(port, asrv, &ActorId::new("rs"), MsgId(5));
        let at_as = hub.sender_of(port, asrv, &Lane::LearnerClient);
        assert_eq!((at_as.id.as_str(), at_as.msg), ("rs", Some(MsgId(5))));
        // The same local port, handed out at once for a connection to the RS: an
        // outside party's, not the RS's own call.
        let at_rs = hub.sender_of(port, rs, &Lane::LearnerClient);
        assert_eq!((at_rs.msg, at_rs.lane), (None, Some(Lane::LearnerClient)));
        hub.forget_outgoing(port, asrv);
        assert_eq!(hub.sender_of(port, asrv, &Lane::Curl).msg, None);
    }
}
