//! oauth-lab: see the OAuth 2.0 Authorization Code Flow, and break it.
//!
//! A deterministic, in-process world in which a browser, a client, an authorization
//! server and a resource server exchange real HTTP/1.1 messages. Layers, top to bottom:
//!
//! - [`world`]: one description of a world (seed, defenses, attack, learner inputs),
//!   shared by the command line, the lessons and the UI, and its file form;
//! - [`sim`]: clock, seeded RNG tree, network bus, trace, [`sim::Defenses`], the driver;
//! - [`actors`]: sans-IO state machines for every party;
//! - [`protocol`]: the vocabulary (HTTP wire text, OAuth parameters and errors, PKCE, JWT).
//!
//! Arrows point down only: `protocol` knows nothing of the simulation.
#![forbid(unsafe_code)]

pub mod actors;
pub mod attacks;
pub mod challenge;
pub mod cli;
pub mod export;
pub mod files;
pub mod lesson;
pub mod live;
pub mod protocol;
pub mod scenario;
pub mod sim;
pub mod terminal_text;
#[doc(hidden)]
pub mod testing;
pub mod tui;
pub mod workshop;
pub mod world;
