//! Options that choose the world: profile, individual defenses, seed.

use clap::Args;

use crate::sim::world::DEFAULT_SEED;
use crate::world::{WorldError, WorldSpec};

#[derive(Debug, Clone, Args)]
pub struct WorldArgs {
    /// Defense profile to start from: naive (all off), rfc6749 (a 2012 deployment), bcp (RFC 9700), fapi2 (FAPI 2.0: bcp, PAR, private_key_jwt).
    #[arg(long, short, default_value = "bcp", value_name = "PROFILE")]
    pub profile: String,
    /// Turn a defense on (repeatable). `oauth-lab defenses` lists the names.
    #[arg(long, value_name = "NAME")]
    pub enable: Vec<String>,
    /// Turn a defense off (repeatable).
    #[arg(long, value_name = "NAME")]
    pub disable: Vec<String>,
    /// Set a defense to a value, e.g. pkce=plain, redirect-matching=prefix, code-lifetime=600.
    #[arg(long, value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Seed of the run's randomness: the same seed gives the same trace.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    pub seed: u64,
}

impl Default for WorldArgs {
    fn default() -> Self {
        WorldArgs {
            profile: "bcp".into(),
            enable: Vec::new(),
            disable: Vec::new(),
            set: Vec::new(),
            seed: DEFAULT_SEED,
        }
    }
}

impl WorldArgs {
    /// The world these options describe, running `attack` (an id from the catalog).
    pub fn spec(&self, attack: Option<&str>) -> Result<WorldSpec, WorldError> {
        WorldSpec::parse(
            self.seed,
            &self.profile,
            &self.enable,
            &self.disable,
            &self.set,
            attack,
        )
    }
}
