//! Intercept in live mode: with holding on, a request that reaches a listener (from an
//! outside party or a party's back channel) waits here before its party sees it, until
//! the learner forwards it (as it is or edited), drops it, or it has waited the hold
//! timeout.
//!
//! A held request never hangs silently: its connection gets an answer in every case.
//!
//! - forwarded: the party handles the (possibly edited) wire text and answers as usual;
//! - dropped: `502 Bad Gateway` (RFC 9110 §15.6.3) — the intercept stands between the
//!   sender and the party like a gateway, and it gave no answer of the party's;
//! - held longer than the timeout: `504 Gateway Timeout` (RFC 9110 §15.6.5).
//!
//! Each held request waits on a oneshot channel with a tokio timeout of its own, so
//! holding one request blocks neither the other requests nor the runtime's workers.

use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

use crate::actors::ActorId;
use crate::protocol::http_wire::{self, Response};

/// How long a request stays held when `--hold-timeout` is not given: below the 30 s the
/// parties' own back-channel calls wait for an answer, so a held token request ends
/// with the intercept's 504 rather than with its caller giving up first.
pub const DEFAULT_HOLD_TIMEOUT: Duration = Duration::from_secs(20);

/// A held request's number, in the order they were held.
pub type HoldId = u64;

/// What the learner decided about a held request.
#[derive(Debug)]
enum Release {
    /// Deliver this wire text (the original, or the learner's edit).
    Forward {
        wire: String,
        edited: bool,
    },
    Drop,
}

/// How a request's passage through the intercept ended.
#[derive(Debug)]
pub enum Passage {
    /// Not held, or forwarded: deliver this wire text.
    Deliver {
        wire: String,
        /// `Some` when it was held: how long, and whether the learner edited it.
        held: Option<(Duration, bool)>,
    },
    /// Dropped or timed out: this is the sender's answer; the party never saw it.
    Answer {
        response: Response,
        /// What happened, in one sentence, for the trace.
        why: String,
    },
}

/// A held request as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldView {
    pub id: HoldId,
    pub from: ActorId,
    pub to: ActorId,
    pub wire: String,
    /// Time left before the request gets its 504.
    pub remaining: Duration,
}

struct Held {
    id: HoldId,
    from: ActorId,
    to: ActorId,
    wire: String,
    deadline: Instant,
    release: oneshot::Sender<Release>,
}

struct State {
    on: bool,
    /// Hold only requests to this party (`None`: every party).
    only_to: Option<ActorId>,
    timeout: Duration,
    next: HoldId,
    held: Vec<Held>,
}

/// The intercept's state, shared by the listeners and the UI.
pub struct Holds {
    state: Mutex<State>,
}

impl Default for Holds {
    fn default() -> Self {
        Holds {
            state: Mutex::new(State {
                on: false,
                only_to: None,
                timeout: DEFAULT_HOLD_TIMEOUT,
                next: 0,
                held: Vec::new(),
            }),
        }
    }
}

impl Holds {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether arriving requests are held.
    pub fn is_on(&self) -> bool {
        self.lock().on
    }

    /// Turns holding on or off. Turning it off forwards whatever is held, as it is;
    /// returns how many were forwarded.
    pub fn set_on(&self, on: bool) -> usize {
        self.lock().on = on;
        if on { 0 } else { self.forward_all() }
    }

    /// The party whose requests are held (`None`: all).
    pub fn only_to(&self) -> Option<ActorId> {
        self.lock().only_to.clone()
    }

    /// Holds only requests to `party` (`None`: all parties).
    pub fn set_only_to(&self, party: Option<ActorId>) {
        self.lock().only_to = party;
    }

    /// How long a request stays held before it gets its 504.
    pub fn timeout(&self) -> Duration {
        self.lock().timeout
    }

    /// Sets the hold timeout for requests held from now on.
    pub fn set_timeout(&self, timeout: Duration) {
        self.lock().timeout = timeout;
    }

    /// The requests held now, oldest first.
    pub fn held(&self) -> Vec<HeldView> {
        let now = Instant::now();
        self.lock()
            .held
            .iter()
            .map(|h| HeldView {
                id: h.id,
                from: h.from.clone(),
                to: h.to.clone(),
                wire: h.wire.clone(),
                remaining: h.deadline.saturating_duration_since(now),
            })
            .collect()
    }

    /// Forwards held request `id`, with `edited` wire text if given; false when it is
    /// no longer held (forwarded, dropped or timed out meanwhile).
    pub fn forward(&self, id: HoldId, edited: Option<String>) -> bool {
        self.release(id, |h| match edited {
            Some(wire) => Release::Forward { wire, edited: true },
            None => Release::Forward {
                wire: h.wire.clone(),
                edited: false,
            },
        })
    }

    /// Drops held request `id` (its sender gets a 502); false when it is no longer held.
    pub fn drop_held(&self, id: HoldId) -> bool {
        self.release(id, |_| Release::Drop)
    }

    /// Forwards every held request as it is; returns how many.
    pub fn forward_all(&self) -> usize {
        let all: Vec<HoldId> = self.lock().held.iter().map(|h| h.id).collect();
        all.into_iter().filter(|&id| self.forward(id, None)).count()
    }

    fn release(&self, id: HoldId, decide: impl FnOnce(&Held) -> Release) -> bool {
        let held = {
            let mut s = self.lock();
            let Some(i) = s.held.iter().position(|h| h.id == id) else {
                return false;
            };
            s.held.remove(i)
        };
        let release = decide(&held);
        // The request's task may have ended meanwhile (its connection closed).
        held.release.send(release).is_ok()
    }

    /// The intercept's part in a request's delivery: passes it at once when holding is
    /// off (or aimed at another party); otherwise calls `on_hold` (the recorder notes
    /// it) and holds it until the learner decides or the timeout passes.
    pub async fn pass(
        &self,
        from: &ActorId,
        to: &ActorId,
        wire: String,
        on_hold: impl FnOnce(),
    ) -> Passage {
        let (mut rx, id, timeout) = {
            let mut s = self.lock();
            if !s.on || s.only_to.as_ref().is_some_and(|only| only != to) {
                return Passage::Deliver { wire, held: None };
            }
            s.next += 1;
            let id = s.next;
            let (tx, rx) = oneshot::channel();
            let timeout = s.timeout;
            s.held.push(Held {
                id,
                from: from.clone(),
                to: to.clone(),
                wire,
                deadline: Instant::now() + timeout,
                release: tx,
            });
            (rx, id, timeout)
        };
        on_hold();
        let since = Instant::now();
        let release = match tokio::time::timeout(timeout, &mut rx).await {
            Ok(release) => release.ok(),
            Err(_) => {
                let still_held = {
                    let mut s = self.lock();
                    let i = s.held.iter().position(|h| h.id == id);
                    i.map(|i| s.held.remove(i))
                };
                match still_held {
                    Some(_) => None,
                    // The learner's decision came in at the same moment: it is on its
                    // way (sent right after it left the list).
                    None => rx.await.ok(),
                }
            }
        };
        match release {
            Some(Release::Forward { wire, edited }) => Passage::Deliver {
                wire,
                held: Some((since.elapsed(), edited)),
            },
            Some(Release::Drop) => Passage::Answer {
                response: plain(
                    http::StatusCode::BAD_GATEWAY,
                    &format!(
                        "The learner dropped this request at oauth-lab's intercept; it never reached {to}.\n"
                    ),
                ),
                why: format!("dropped at the intercept: answered 502, {to} never saw it"),
            },
            None => Passage::Answer {
                response: plain(
                    http::StatusCode::GATEWAY_TIMEOUT,
                    &format!(
                        "This request was held at oauth-lab's intercept for longer than {} and never reached {to}.\n",
                        seconds(timeout)
                    ),
                ),
                why: format!(
                    "held longer than {} at the intercept: answered 504, {to} never saw it",
                    seconds(timeout)
                ),
            },
        }
    }
}

/// A request's method and path, without its query (codes and tokens travel there).
pub fn request_line(wire: &str) -> String {
    let mut parts = wire.lines().next().unwrap_or("").split(' ');
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("");
    let path = target.split(['?', '#']).next().unwrap_or(target);
    crate::terminal_text::one_line(&format!("{method} {path}")).into_owned()
}

/// `20 s`, `0.3 s`.
pub fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

fn plain(status: http::StatusCode, body: &str) -> Response {
    let mut resp = http_wire::response(status);
    http_wire::set_header(resp.headers_mut(), "content-type", "text/plain");
    *resp.body_mut() = body.as_bytes().to_vec();
    resp
}
