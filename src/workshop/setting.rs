//! [`Setting`]: the part of a world description a workshop world adds — where the
//! attacker sits and the deployment's quirks.

use serde::{Deserialize, Serialize};

use super::{Position, Quirk};
use crate::actors::Defenses;
use crate::sim::Simulation;

/// Where the attacker sits, and the quirks of the deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Setting {
    pub position: Position,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quirks: Vec<Quirk>,
}

impl From<Position> for Setting {
    fn from(position: Position) -> Self {
        Setting {
            position,
            quirks: Vec::new(),
        }
    }
}

impl Setting {
    /// The world, built, not yet run.
    pub fn build(&self, seed: u64, defenses: Defenses) -> Simulation {
        self.position.build(seed, defenses, &self.quirks)
    }
}
