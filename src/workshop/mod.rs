//! The workshop engine: the learner plays the attacker. Everything here sits below the
//! UI and the command line, and above the attacks it reuses.
//!
//! - [`Position`]: an RFC 9700 §3 attacker position (web attacker, reader of
//!   authorization responses — a leaked log, or a malicious app on the custom scheme —,
//!   reader of authorization requests, counterfeit RS, malicious AS, reader of leaked
//!   client storage). [`Position::build`] makes its world: the honest parties, the
//!   catalog's attacker actors and taps (`attacks::{attacker, interceptors, setup}`),
//!   no attacker script. [`Position::actors`] lists the attacker's actors, the one that
//!   makes the learner's moves first. A deployment may add [`Quirk`]s (a client that
//!   logs its callback URLs, a legacy browser, …). A `WorldSpec` carries both
//!   ([`Setting`]), and saves them in its file form.
//! - Moves: [`Template`]s turn fields into a [`Move`] (raw HTTP text the learner sees and
//!   may edit); [`Move::to_input`] gives the learner input
//!   (`sim::LearnerInput::AttackerMove`, or `Act` for Mallory's own browser) that the
//!   timeline applies like any other input, so moves replay, step back and save.
//!   A missing field or text that does not parse is a [`MoveError`].
//! - [`Loot::of`]: every message that reached the attacker's actors up to a step, with
//!   its artifacts (codes, state, tokens, URLs, cookies), each with its step.
//! - [`GoalWatch`]: the catalog's goal predicates evaluated after every step; the first
//!   that holds and its step ([`run_watching`] for a whole run, which does not make a
//!   move carrying a code or token the attacker never obtained in that run:
//!   [`unknown_secret`]).
//!
//! Typical use by a front end:
//!
//! ```
//! use std::collections::BTreeMap;
//! use oauth_lab::workshop::{ArtifactKind, Loot, Position, Template};
//! use oauth_lab::world::WorldSpec;
//! use oauth_lab::actors::defenses::Profile;
//!
//! let mut spec = WorldSpec::happy_path(7, Profile::Naive);
//! spec.workshop = Some(Position::ResponseReader.into());
//! let sim = spec.run_to(40);
//! let loot = Loot::of(sim.trace(), sim.trace().steps.len());
//! let code = loot.of_kind(ArtifactKind::Code).next().expect("a code leaked");
//! let fields = BTreeMap::from([("code".to_string(), code.value.clone())]);
//! let mv = Template::RedeemCode.render(Position::ResponseReader.actor(), &fields).unwrap();
//! assert!(mv.text.starts_with("POST /token HTTP/1.1"));
//! let _input = mv.to_input().unwrap(); // hand it to the timeline
//! ```

pub mod goals;
pub mod loot;
pub mod orders;
pub mod position;
pub mod quirk;
pub mod setting;
pub mod template;

pub use goals::{GoalHit, GoalWatch, Unfounded, Watched, run_watching, unknown_secret};
pub use loot::{Artifact, ArtifactKind, Loot};
pub use position::Position;
pub use quirk::Quirk;
pub use setting::Setting;
pub use template::{Field, Move, MoveError, MoveKind, Template};
