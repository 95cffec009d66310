//! Options that choose the world: profile, individual defenses, seed.

use clap::Args;

use crate::actors::defenses::{DefenseError, DefenseId, Defenses, Profile};
use crate::sim::world::DEFAULT_SEED;

#[derive(Debug, Clone, Args)]
pub struct WorldArgs {
    /// Defense profile to start from: naive (all off), rfc6749 (a 2012 deployment), bcp (RFC 9700, all on).
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
    /// The defenses these options describe.
    pub fn defenses(&self) -> Result<Defenses, DefenseError> {
        let profile = Profile::parse(&self.profile)
            .ok_or_else(|| DefenseError::UnknownProfile(self.profile.clone()))?;
        let mut d = profile.defenses();
        for name in &self.enable {
            d.set_on(DefenseId::parse(name)?, true);
        }
        for name in &self.disable {
            d.set_on(DefenseId::parse(name)?, false);
        }
        for pair in &self.set {
            let (name, value) = pair.split_once('=').ok_or_else(|| DefenseError::BadValue {
                name: pair.clone(),
                value: String::new(),
                valid: "NAME=VALUE, e.g. pkce=plain".into(),
            })?;
            d.set_value(DefenseId::parse(name.trim())?, value.trim())?;
        }
        Ok(d)
    }

    /// A one-line description: `profile bcp, pkce off`.
    pub fn describe(&self, d: &Defenses) -> String {
        let base = Profile::parse(&self.profile)
            .map(|p| p.defenses())
            .unwrap_or_default();
        let diffs: Vec<String> = base
            .differences(d)
            .into_iter()
            .map(|n| format!("{n} {}", d.value_label(n)))
            .collect();
        if diffs.is_empty() {
            format!("profile {}", self.profile)
        } else {
            format!("profile {}, {}", self.profile, diffs.join(", "))
        }
    }
}
