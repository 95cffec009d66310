//! Live mode's intercept in tests: requests sent from threads of their own (so that a
//! held one does not block the test), and bounded waits for what the intercept holds.

use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::live::{LIVE_WAIT, live_call};
use crate::live::LiveServer;
use crate::live::hold::HeldView;
use crate::protocol::http_wire::{Request, Response};

/// Sends `req` from a thread of its own; join the handle for the answer.
pub fn live_call_in_background(req: Request) -> JoinHandle<Response> {
    std::thread::spawn(move || live_call(&req))
}

/// Waits until the intercept holds at least `count` requests (at most [`LIVE_WAIT`]);
/// returns them, oldest first.
pub fn live_wait_held(server: &LiveServer, count: usize) -> Vec<HeldView> {
    let until = Instant::now() + LIVE_WAIT;
    loop {
        let held = server.hub().holds().held();
        if held.len() >= count {
            return held;
        }
        assert!(
            Instant::now() < until,
            "{count} request(s) held within {LIVE_WAIT:?}; held: {held:?}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// What a test does with a held request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Release {
    Forward,
    /// Forward this text instead.
    Edit(String),
    /// Drop it: its sender gets a 502.
    Drop,
}

/// Forwards whatever the intercept holds, as it comes, until the live world is idle
/// (at most [`LIVE_WAIT`]); returns the requests forwarded, in order. Requests whose
/// wire text starts with `except` stay held (until their timeout).
pub fn live_forward_until_idle(server: &LiveServer, except: Option<&str>) -> Vec<HeldView> {
    let forward =
        |h: &HeldView| (!except.is_some_and(|e| h.wire.starts_with(e))).then_some(Release::Forward);
    live_release_until_idle(server, forward)
        .into_iter()
        .map(|(h, _)| h)
        .collect()
}

/// Releases whatever the intercept holds, as it comes, as `decide` says (`None`: it
/// stays held, until its timeout), until the live world is idle (at most
/// [`LIVE_WAIT`]); returns the requests released and how, in order.
pub fn live_release_until_idle(
    server: &LiveServer,
    decide: impl Fn(&HeldView) -> Option<Release>,
) -> Vec<(HeldView, Release)> {
    let until = Instant::now() + LIVE_WAIT;
    let holds = server.hub().holds();
    let mut released = Vec::new();
    let mut quiet = 0;
    while Instant::now() < until {
        for h in holds.held() {
            let Some(how) = decide(&h) else { continue };
            let done = match &how {
                Release::Forward => holds.forward(h.id, None),
                Release::Edit(wire) => holds.forward(h.id, Some(wire.clone())),
                Release::Drop => holds.drop_held(h.id),
            };
            if done {
                released.push((h, how));
            }
        }
        quiet = if server.hub().is_idle() { quiet + 1 } else { 0 };
        if quiet == 2 {
            return released;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("the live world settles within {LIVE_WAIT:?} with every held request released");
}
