//! The attacker console (`A`): the learner plays the attacker of the current world.
//!
//! The learner picks a position — exactly the capabilities of one RFC 9700 §3 attacker
//! the catalog models — and then:
//!
//! - **Loot** lists every copy the position has received so far, the artifacts pulled
//!   out of it (codes, tokens, state values, URLs, cookies), each with its step;
//! - **Compose** fills a move template from loot and shows its raw HTTP in the editor,
//!   where it stays, with its error, until it parses and every field is filled;
//! - **Send** applies the move as a learner input: it goes on the bus as the
//!   attacker's message, the honest parties handle it with their own code, and it
//!   replays, steps back, saves (`S`) and exports (`E`) like any other input.
//!
//! The catalog's goal predicates are watched on the world after every action; the
//! banner says which holds and from which step ([`goal`]). In a challenge
//! ([`challenge`]) the deployment is undisclosed: the defense panel and the matrix are
//! locked, the briefing and hints are a key away, and the debrief and the fixed
//! deployment wait until the goal is reached.
//!
//! The console is state and handlers like the rest of the UI: [`keys`] maps keys to
//! [`ConsoleAction`]s, [`handlers`] applies them; the views are `view::console*`.
//! What a position yields, the templates and the goal predicates come from
//! [`crate::workshop`].

pub mod challenge;
pub mod challenge_handlers;
pub mod compose;
pub mod goal;
pub mod handlers;
pub mod keys;
pub mod state;
pub mod world;

pub use challenge::ChallengeMode;
pub use compose::Compose;
pub use state::{Console, ConsoleAction, GoalBanner, Section, Window};
pub use world::{loot, position};
