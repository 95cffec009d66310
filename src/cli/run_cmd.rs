//! `oauth-lab run`: one full flow, printed as a transcript, raw HTTP or JSON.

use std::path::PathBuf;

use clap::Args;

use super::WorldArgs;
use crate::export::{self, Format};
use crate::terminal_text::printable;

#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub world: WorldArgs,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Run an attack instead of the plain flow (see `oauth-lab attacks list`).
    #[arg(long, short, value_name = "ID")]
    pub attack: Option<String>,
    /// Replay a scenario file (its world and the learner's inputs) instead of the world
    /// the other options describe.
    #[arg(long, value_name = "FILE", conflicts_with_all = SCENARIO_CONFLICTS)]
    pub scenario: Option<PathBuf>,
}

/// The world options a scenario file replaces.
pub const SCENARIO_CONFLICTS: [&str; 6] = ["profile", "enable", "disable", "set", "seed", "attack"];

impl Default for RunArgs {
    fn default() -> Self {
        RunArgs {
            world: WorldArgs::default(),
            format: Format::Text,
            attack: None,
            scenario: None,
        }
    }
}

/// Runs the world the options describe (the default flow, or an attack) to its end
/// and returns the rendered output. The text transcript quotes message text, which may
/// hold anything: its control characters are escaped ([`printable`]); JSON escapes
/// them itself, and `http` is the raw wire text.
pub fn run(args: &RunArgs) -> anyhow::Result<String> {
    let out = render(args)?;
    Ok(match args.format {
        Format::Text => printable(&out).into_owned(),
        _ => out,
    })
}

fn render(args: &RunArgs) -> anyhow::Result<String> {
    let spec = match &args.scenario {
        Some(path) => crate::scenario::load_file(path)?.world,
        None => args.world.spec(args.attack.as_deref())?,
    };
    let run = spec.run();
    let (Some(attack), Some(verdict)) = (spec.attack, run.verdict) else {
        let title = format!(
            "oauth-lab — Authorization Code Flow · {}",
            spec.describe_defenses()
        );
        return Ok(export::render(run.sim.trace(), args.format, &title));
    };
    let info = attack.info();
    let title = format!(
        "oauth-lab — attack {} · {}\n{}",
        info.id,
        spec.describe_defenses(),
        info.title
    );
    let mut out = export::render(run.sim.trace(), args.format, &title);
    if args.format == Format::Text {
        out.push_str(&format!("\nGoal: {}\n{}\n", info.goal, verdict.banner()));
    } else {
        eprintln!("{}", verdict.banner());
    }
    Ok(out)
}
