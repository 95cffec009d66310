//! The test harness: one vocabulary for every test of the crate, unit and integration.
//!
//! - `world`: the standard world (with extra client registrations), driven by user
//!   actions, probes that send a request through the bus and return its answer, and
//!   intercept mode (hold, edit, release);
//! - `attempt`: an attack run under some defenses, with assertions on its verdict;
//! - `dpop`: DPoP keys and proofs made by hand, and the proofs a step carries;
//! - `step_kinds`: the kinds of steps a trace holds (who, what, where, which status),
//!   to compare a live trace with a simulated one;
//! - `trace` and `step`: finders of steps and readers of their wire text and
//!   decoded view;
//! - `one_actor`: one actor alone, with its own defenses, RNG and clock: request in,
//!   response out;
//! - `stubs`: fake sites, a fake authorization server, fake apps;
//! - `http` and `oauth`: request builders and response readers;
//! - `tui`: keys, the launched app, the screen as text;
//! - `live`: live mode on ephemeral loopback ports, Alice's browser driving it over
//!   real HTTP, a blocking HTTP client and raw sockets;
//! - `webdriver`: chromedriver and headless Chromium for real-browser tests;
//! - `files` and `process`: scratch directories, the program run as a child process.
//!
//! Every item is re-exported here (`use oauth_lab::testing::*`), except the short-named
//! step readers of `step`. Not part of the program: nothing outside tests calls it.

mod attempt;
mod console;
mod dpop;
mod files;
mod http;
mod intercept;
mod live;
mod live_intercept;
mod live_tui;
mod oauth;
mod one_actor;
mod process;
pub mod step;
mod step_kinds;
mod stubs;
mod tmux;
mod trace;
mod tui;
mod webdriver;
mod workshop;
mod world;

pub use attempt::*;
pub use console::*;
pub use dpop::*;
pub use files::*;
pub use http::*;
pub use intercept::*;
pub use live::*;
pub use live_intercept::*;
pub use live_tui::*;
pub use oauth::*;
pub use one_actor::*;
pub use process::*;
pub use step_kinds::*;
pub use stubs::*;
pub use tmux::*;
pub use trace::*;
pub use tui::*;
pub use webdriver::*;
pub use workshop::*;
pub use world::*;
