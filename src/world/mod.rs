//! One description of a world, shared by the command line, the lessons and the UI:
//! seed, profile and defenses, an attack from the catalog, and the learner's inputs
//! ([`WorldSpec`]); one reading of "a profile plus changes" ([`changes`]); the labels
//! that describe a world ([`describe`]); its stable file form ([`file`]); and a recorded
//! live world ([`live_site`]).
//!
//! Layers: this module builds on `attacks` (and below); lessons, exports, the UI and
//! the command line build on it.

pub mod attack_id;
pub mod changes;
pub mod describe;
pub mod error;
pub mod file;
pub mod live_site;
pub mod spec;

pub use attack_id::AttackId;
pub use changes::Change;
pub use error::WorldError;
pub use live_site::LiveSite;
pub use spec::{MAX_STEPS, WorldRun, WorldSpec};
