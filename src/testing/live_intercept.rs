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

/// Forwards whatever the intercept holds, as it comes, until the live world is idle
/// (at most [`LIVE_WAIT`]); returns the requests forwarded, in order. Requests whose
/// wire text starts with `except` stay held (until their timeout).
pub fn live_forward_until_idle(server: &LiveServer, except: Option<&str>) -> Vec<HeldView> {
    let until = Instant::now() + LIVE_WAIT;
    let mut forwarded = Vec::new();
    let mut quiet = 0;
    while Instant::now() < until {
        let held = server.hub().holds().held();
        for h in held {
            if except.is_some_and(|e| h.wire.starts_with(e)) {
                continue;
            }
            if server.hub().holds().forward(h.id, None) {
                forwarded.push(h);
            }
        }
        quiet = if server.hub().is_idle() { quiet + 1 } else { 0 };
        if quiet == 2 {
            return forwarded;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("the live world settles within {LIVE_WAIT:?} with every held request forwarded");
}
