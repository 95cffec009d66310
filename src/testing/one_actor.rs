//! One actor alone, without a bus: its own defenses, RNG, clock and message ids. A test
//! hands it a request, an input or its start, and reads what it sent back. The same
//! [`Ctx`] the simulation builds is built here, so the actor cannot tell the difference.

use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

use crate::actors::{
    Actor, ActorId, Ctx, Defenses, Delivery, MsgId, Origin, Outgoing, SimTime, UserAction,
};
use crate::protocol::http_wire::{Request, Response, parse_request, render_request};

/// One actor and everything a [`Ctx`] needs.
pub struct OneActor<A> {
    pub actor: A,
    pub defenses: Defenses,
    pub rng: ChaCha20Rng,
    pub now: SimTime,
    /// The last message id handed out.
    pub next_id: u64,
    /// The notes of the last handler run.
    pub notes: Vec<String>,
}

impl<A: Actor> OneActor<A> {
    /// `actor` under `defenses`, with an RNG seeded from `seed`, at time zero.
    pub fn new(actor: A, defenses: Defenses, seed: u64) -> Self {
        Self::with_rng(actor, defenses, ChaCha20Rng::seed_from_u64(seed))
    }

    /// `actor` under `defenses` with the given RNG, at time zero.
    pub fn with_rng(actor: A, defenses: Defenses, rng: ChaCha20Rng) -> Self {
        OneActor {
            actor,
            defenses,
            rng,
            now: SimTime::ZERO,
            next_id: 0,
            notes: Vec::new(),
        }
    }

    /// Checks that a note of the last handler run contains `needle`.
    pub fn assert_noted(&self, needle: &str) {
        assert!(
            self.notes.iter().any(|n| n.contains(needle)),
            "no note contains {needle:?}: {:?}",
            self.notes
        );
    }

    /// Runs one handler of the actor; keeps its notes and returns what it sent.
    fn handle(&mut self, f: impl FnOnce(&mut A, &mut Ctx<'_>)) -> Vec<Outgoing> {
        let OneActor {
            actor,
            defenses,
            rng,
            now,
            next_id,
            notes,
        } = self;
        let me = actor.id().clone();
        let mut ctx = Ctx::new(*now, defenses, rng, me, next_id);
        f(actor, &mut ctx);
        *notes = ctx.notes().to_vec();
        ctx.take_outbox()
    }

    /// The actor's start.
    pub fn start(&mut self) -> Vec<Outgoing> {
        self.handle(|a, ctx| a.start(ctx))
    }

    /// A user action for the actor.
    pub fn input(&mut self, action: &UserAction) -> Vec<Outgoing> {
        self.handle(|a, ctx| a.on_input(ctx, action))
    }

    /// A request delivered with `meta`.
    pub fn deliver(&mut self, req: Request, meta: &Delivery) -> Vec<Outgoing> {
        self.handle(|a, ctx| a.on_request(ctx, req, meta))
    }

    /// A request from the browser (message 1); the response the actor sent last.
    pub fn answer(&mut self, req: Request) -> Response {
        let meta = delivery(1, "browser", self.actor.id().as_str());
        match self.deliver(req, &meta).pop() {
            Some(Outgoing::Response { response, .. }) => response,
            other => panic!("expected a response, got {other:?}"),
        }
    }

    /// Like [`OneActor::answer`], with the request through wire text first, as the bus
    /// sends it (a request whose wire text does not parse back goes as is).
    pub fn answer_via_wire(&mut self, req: Request) -> Response {
        let req = parse_request(&render_request(&req)).unwrap_or(req);
        self.answer(req)
    }
}

/// The delivery of honest request `id` from `from` to `to`, which waits for a reply.
pub fn delivery(id: u64, from: &str, to: &str) -> Delivery {
    Delivery {
        id: MsgId(id),
        from: ActorId::new(from),
        to: ActorId::new(to),
        in_reply_to: None,
        origin: Origin::Honest,
        expects_reply: true,
    }
}
