//! A probe: an actor that sends scripted requests and keeps every response. Tests use
//! it to drive an endpoint with real messages through the bus.

use std::collections::VecDeque;

use super::{Actor, ActorId, ActorKind, Ctx, Delivery, MsgId, StateSection, UserAction};
use crate::protocol::http_wire::{self, Request, Response};

/// Sends each queued request when told to (`UserAction::Custom { name: "send" }`), or
/// all of them at start, and records the responses.
pub struct Probe {
    id: ActorId,
    kind: ActorKind,
    to_send: VecDeque<Request>,
    send_at_start: bool,
    /// (request id, wire text of the request) for every request sent.
    pub sent: Vec<(MsgId, String)>,
    /// (id of the request answered, response) for every response received.
    pub responses: Vec<(MsgId, Response)>,
    /// Requests that reached the probe (if anything routes to it).
    pub requests: Vec<Request>,
}

impl Probe {
    pub fn new(id: &str, kind: ActorKind) -> Self {
        Probe {
            id: ActorId::new(id),
            kind,
            to_send: VecDeque::new(),
            send_at_start: true,
            sent: Vec::new(),
            responses: Vec::new(),
            requests: Vec::new(),
        }
    }

    /// Queues a request to send.
    pub fn with_request(mut self, req: Request) -> Self {
        self.to_send.push_back(req);
        self
    }

    /// Sends one queued request per `send` input instead of all at start.
    pub fn one_at_a_time(mut self) -> Self {
        self.send_at_start = false;
        self
    }

    /// The response to the n-th request sent.
    pub fn response(&self, n: usize) -> Option<&Response> {
        let (id, _) = self.sent.get(n)?;
        self.responses
            .iter()
            .find(|(r, _)| r == id)
            .map(|(_, resp)| resp)
    }

    fn send_next(&mut self, ctx: &mut Ctx<'_>) {
        if let Some(req) = self.to_send.pop_front() {
            let wire = http_wire::render_request(&req);
            let id = ctx.send(req);
            self.sent.push((id, wire));
        }
    }
}

impl Actor for Probe {
    fn id(&self) -> &ActorId {
        &self.id
    }
    fn kind(&self) -> ActorKind {
        self.kind
    }
    fn label(&self) -> String {
        format!("Probe ({})", self.id)
    }
    fn addresses(&self) -> Vec<String> {
        vec![format!("https://{}.probe.example", self.id)]
    }
    fn start(&mut self, ctx: &mut Ctx<'_>) {
        if self.send_at_start {
            while !self.to_send.is_empty() {
                self.send_next(ctx);
            }
        }
    }
    fn on_input(&mut self, ctx: &mut Ctx<'_>, action: &UserAction) {
        if matches!(action, UserAction::Custom { name, .. } if name == "send") {
            self.send_next(ctx);
        }
    }
    fn on_request(&mut self, _ctx: &mut Ctx<'_>, request: Request, _meta: &Delivery) {
        self.requests.push(request);
    }
    fn on_response(&mut self, _ctx: &mut Ctx<'_>, response: Response, meta: &Delivery) {
        if let Some(id) = meta.in_reply_to {
            self.responses.push((id, response));
        }
    }
    fn snapshot(&self) -> Vec<StateSection> {
        vec![
            StateSection::new("Probe")
                .row("sent", self.sent.len().to_string())
                .row("responses", self.responses.len().to_string()),
        ]
    }
}
