//! `oauth-lab run`: one full flow, printed as a transcript, raw HTTP or JSON.

use clap::Args;

use super::WorldArgs;
use crate::export::{self, Format};
use crate::sim::world::default_flow;

#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub world: WorldArgs,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

impl Default for RunArgs {
    fn default() -> Self {
        RunArgs {
            world: WorldArgs::default(),
            format: Format::Text,
        }
    }
}

/// Runs the default flow and returns the rendered output.
pub fn run(args: &RunArgs) -> anyhow::Result<String> {
    let defenses = args.world.defenses()?;
    let title = format!(
        "oauth-lab — Authorization Code Flow · {}",
        args.world.describe(&defenses)
    );
    let mut sim = default_flow(args.world.seed, defenses);
    sim.run_until_idle();
    Ok(export::render(sim.trace(), args.format, &title))
}
