//! `oauth-lab export`: one run (the default flow or an attack) as Mermaid, PlantUML,
//! a Markdown handout, SVG or a self-contained HTML page, to stdout or a file.

use std::path::PathBuf;

use clap::Args;

use super::WorldArgs;
use super::run_cmd::SCENARIO_CONFLICTS;
use crate::export::{self, Diagram, ExportFormat, Notes, Theme, WorldSummary};

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
    /// Export a scenario file (its world and the learner's inputs, its title) instead of
    /// the world the other options describe.
    #[arg(long, value_name = "FILE", conflicts_with_all = SCENARIO_CONFLICTS)]
    pub scenario: Option<PathBuf>,
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
            scenario: None,
        }
    }
}

/// Runs the world the options describe and renders it.
pub fn render(args: &ExportArgs) -> anyhow::Result<String> {
    let (spec, scenario_title) = match &args.scenario {
        Some(path) => {
            let scenario = crate::scenario::load_file(path)?;
            (scenario.world, scenario.title)
        }
        None => (args.world.spec(args.attack.as_deref())?, None),
    };
    let run = spec.run();
    let trace = run.sim.trace();
    let title = match scenario_title {
        Some(title) => format!("oauth-lab — {title}"),
        None => export::folder::title(&spec),
    };
    let world = WorldSummary::of(&spec);
    let d = Diagram::build(trace, &title, world, run.verdict.as_ref(), args.notes);
    Ok(export::export(&d, trace, args.format, args.theme))
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
