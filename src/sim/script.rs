//! What the people in the world do, in order: a script event is applied when the
//! network is idle (nothing in flight), so each one starts a new exchange.

use serde::{Deserialize, Serialize};

use crate::actors::{ActorId, UserAction};

/// One scripted happening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum ScriptEvent {
    /// A person acts (e.g. Alice opens a URL).
    Input {
        to: ActorId,
        action: UserAction,
        narration: String,
    },
    /// Simulated time passes.
    AdvanceClock { secs: u64, narration: String },
}
