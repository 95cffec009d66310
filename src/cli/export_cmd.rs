//! `oauth-lab export`: one run (the default flow or an attack) as Mermaid, PlantUML,
//! a Markdown handout, SVG or a self-contained HTML page, to stdout or a file.

use std::path::PathBuf;

use clap::Args;

use super::WorldArgs;
use crate::actors::defenses::{Defenses, Profile};
use crate::export::{self, Diagram, ExportFormat, Notes, Theme, WorldSummary};
use crate::sim::world::default_flow;

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, short, value_enum)]
    pub format: ExportFormat,
    #[command(flatten)]
    pub world: WorldArgs,
    /// Export an attack's run instead of the plain flow (see `oauth-lab attacks list`).
    #[arg(long, short, value_name = "ID")]
    pub attack: Option<String>,
    /// Narration with each step: none, short (first sentence) or full.
    #[arg(long, value_enum, default_value_t = Notes::Short)]
    pub notes: Notes,
    /// Colours of the SVG and HTML exports.
    #[arg(long, value_enum, default_value_t = Theme::Light)]
    pub theme: Theme,
    /// Write to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl ExportArgs {
    /// Options for `format` with everything else at its default.
    pub fn new(format: ExportFormat) -> Self {
        ExportArgs {
            format,
            world: WorldArgs::default(),
            attack: None,
            notes: Notes::Short,
            theme: Theme::Light,
            output: None,
        }
    }
}

fn summary(world: &WorldArgs, defenses: &Defenses) -> WorldSummary {
    let base = Profile::parse(&world.profile)
        .map(|p| p.defenses())
        .unwrap_or_default();
    WorldSummary {
        profile: world.profile.clone(),
        differences: base
            .differences(defenses)
            .into_iter()
            .map(|n| format!("{n} {}", defenses.value_label(n)))
            .collect(),
        seed: world.seed,
        attack: None,
    }
}

/// Runs the world the options describe and renders it.
pub fn render(args: &ExportArgs) -> anyhow::Result<String> {
    let defenses = args.world.defenses()?;
    let mut world = summary(&args.world, &defenses);
    let out = match &args.attack {
        Some(id) => {
            let attack = super::attacks_cmd::lookup(id)?;
            let info = attack.info();
            world.attack = Some((info.id.into(), info.title.into(), info.goal.into()));
            let title = format!("oauth-lab — attack {}: {}", info.id, info.title);
            let run = crate::attacks::run_attack(attack, args.world.seed, defenses);
            let trace = run.sim.trace();
            let d = Diagram::build(trace, &title, world, Some(&run.verdict), args.notes);
            export::export(&d, trace, args.format, args.theme)
        }
        None => {
            let mut sim = default_flow(args.world.seed, defenses);
            sim.run_until_idle();
            let title = "oauth-lab — Authorization Code Flow";
            let d = Diagram::build(sim.trace(), title, world, None, args.notes);
            export::export(&d, sim.trace(), args.format, args.theme)
        }
    };
    Ok(out)
}

/// `oauth-lab export`: the rendering on stdout, or written to `--output` (then the
/// returned text is empty and a line on stderr says where it went).
pub fn run(args: &ExportArgs) -> anyhow::Result<String> {
    let out = render(args)?;
    match &args.output {
        None => Ok(out),
        Some(path) => {
            std::fs::write(path, &out)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
            eprintln!("wrote {} bytes to {}", out.len(), path.display());
            Ok(String::new())
        }
    }
}
