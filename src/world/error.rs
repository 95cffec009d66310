//! Why a world description cannot be read.

use crate::actors::defenses::DefenseError;

/// A world description that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorldError {
    #[error(transparent)]
    Defense(#[from] DefenseError),
    #[error("`{0}` should be NAME=VALUE, e.g. \"pkce=plain\"")]
    NotAPair(String),
    #[error("unknown attack `{0}`; valid ids: {ids}", ids = crate::attacks::ids().join(", "))]
    UnknownAttack(String),
    #[error("unsupported world format version {found}; this build reads versions 1 to {supported}")]
    Version { found: u32, supported: u32 },
    #[error("a workshop world (position, quirks) needs format version {0}")]
    WorkshopNeedsVersion(u32),
    #[error("quirks belong to a workshop world: give its `position` too")]
    QuirksWithoutPosition,
    #[error("a recorded live world needs format version {0}")]
    LiveNeedsVersion(u32),
    #[error(
        "a recorded live world with the intercept's inputs (hold_sent, intercepted) needs format version {0}"
    )]
    InterceptNeedsVersion(u32),
    #[error("a recorded live world has no attack and no workshop position")]
    LiveWithScript,
    #[error("the recorded live world cannot be built: {0}")]
    Live(String),
}
