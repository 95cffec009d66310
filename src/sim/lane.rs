//! Lanes for parties outside the world: in live mode (`serve`), a request that did not
//! come from one of the world's own actors came from a real browser, from curl, or from
//! the learner's own client. Each is drawn as an actor of its own; a recorded live
//! session replays their requests ([`super::LearnerInput::External`]) from an
//! [`Outsider`] standing in for them.

use serde::{Deserialize, Serialize};

use crate::actors::{Actor, ActorId, ActorKind, Ctx, Delivery, StateSection};
use crate::protocol::http_wire::{Request, Response, WireError};

/// An outside party, as drawn in the diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lane {
    /// A real web browser (its `User-Agent` starts with `Mozilla/`).
    RealBrowser,
    /// curl (`curl/…`).
    Curl,
    /// Anything else: the learner's own client, an OAuth library, a script.
    LearnerClient,
}

impl Lane {
    /// The lane's actor id in the trace.
    pub fn id(self) -> ActorId {
        ActorId::new(match self {
            Lane::RealBrowser => "real-browser",
            Lane::Curl => "curl",
            Lane::LearnerClient => "learner-client",
        })
    }

    /// What kind of party the lane is: a browser's messages are front channel.
    pub fn kind(self) -> ActorKind {
        match self {
            Lane::RealBrowser => ActorKind::Browser,
            Lane::Curl | Lane::LearnerClient => ActorKind::Client,
        }
    }

    /// The lane whose actor id is `id`, if it is one.
    pub fn of_id(id: &str) -> Option<Lane> {
        [Lane::RealBrowser, Lane::Curl, Lane::LearnerClient]
            .into_iter()
            .find(|l| l.id().as_str() == id)
    }

    /// The party in a sentence: `curl`, `your client` (no article: curl is a
    /// program's name, and the other two are the reader's own).
    pub fn in_words(self) -> &'static str {
        match self {
            Lane::RealBrowser => "your browser",
            Lane::Curl => "curl",
            Lane::LearnerClient => "your client",
        }
    }

    /// The lane's label in the diagram.
    pub fn label(self) -> &'static str {
        match self {
            Lane::RealBrowser => "Your browser",
            Lane::Curl => "curl",
            Lane::LearnerClient => "Your client",
        }
    }
}

/// Stands in for an outside party when a recorded live session is replayed: it sends
/// what the recording says it sent and takes the answers, which the trace keeps. It
/// answers at no address, so no request reaches it.
pub struct Outsider {
    lane: Lane,
    id: ActorId,
    answers: usize,
}

impl Outsider {
    pub fn new(lane: Lane) -> Self {
        Outsider {
            lane,
            id: lane.id(),
            answers: 0,
        }
    }
}

impl Actor for Outsider {
    fn id(&self) -> &ActorId {
        &self.id
    }

    fn kind(&self) -> ActorKind {
        self.lane.kind()
    }

    fn label(&self) -> String {
        self.lane.label().to_string()
    }

    fn addresses(&self) -> Vec<String> {
        Vec::new()
    }

    fn on_request(&mut self, ctx: &mut Ctx<'_>, _request: Request, _meta: &Delivery) {
        ctx.note(format!(
            "{}: a party outside the world serves nothing here; no answer.",
            self.id
        ));
    }

    fn on_response(&mut self, _ctx: &mut Ctx<'_>, _response: Response, _meta: &Delivery) {
        self.answers += 1;
    }

    fn on_unreadable_response(&mut self, _ctx: &mut Ctx<'_>, _e: &WireError, _meta: &Delivery) {
        self.answers += 1;
    }

    fn snapshot(&self) -> Vec<StateSection> {
        vec![StateSection::new(self.lane.label()).row("answers received", self.answers.to_string())]
    }
}
