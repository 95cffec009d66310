//! Scenarios: a world plus what the learner did in it, saved as a TOML file that
//! anyone can open again (`oauth-lab tui --scenario FILE`, `oauth-lab run --scenario
//! FILE`). `docs/scenarios.md` documents the file with an annotated example.
//!
//! - [`model`]: the [`Scenario`] (a [`crate::world::WorldSpec`] with its inputs, the
//!   selected step, a title, notes and bookmarks) and its file text;
//! - [`read`]: reading a file, every problem reported as `file:line:column: problem`;
//! - [`check`]: replaying the inputs one by one, so that an input the world cannot
//!   take is refused at its place in the file;
//! - [`save`]: writing a scenario under a new, unique name.
//!
//! Layers: this module builds on `world` (and below) and on the lesson files' source
//! positions and careful file reading; the UI, the command line and lessons build on it.

pub mod check;
pub mod model;
pub mod read;
pub mod save;

pub use model::{Bookmark, Scenario};
pub use read::{ScenarioError, load_file, parse};
