//! `oauth-lab attacks list|show|matrix`.

use clap::{Args, Subcommand, ValueEnum};

use crate::actors::defenses::Profile;
use crate::attacks::{self, Attack, matrix};
use crate::sim::world::DEFAULT_SEED;
use crate::world::AttackId;

#[derive(Debug, Clone, Args)]
pub struct AttacksArgs {
    #[command(subcommand)]
    pub command: AttacksCommand,
}

#[derive(Debug, Clone, Subcommand)]
pub enum AttacksCommand {
    /// Every attack: id, title, attacker capabilities, declared stoppers.
    List {
        #[arg(long, short, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// One attack's story, steps, goal and stoppers.
    Show {
        /// The attack id (see `oauth-lab attacks list`).
        id: String,
    },
    /// Every attack under naive, rfc6749, bcp, and bcp with each single defense off.
    Matrix {
        #[arg(long, short, value_enum, default_value_t = MatrixFormat::Text)]
        format: MatrixFormat,
        /// Seed of the runs.
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MatrixFormat {
    Text,
    Markdown,
    Json,
    /// A self-contained HTML page.
    Html,
    /// A standalone SVG grid.
    Svg,
}

/// Finds an attack or explains which ids exist.
pub fn lookup(id: &str) -> anyhow::Result<&'static dyn Attack> {
    Ok(AttackId::parse(id)?.attack())
}

pub fn render(args: &AttacksArgs) -> anyhow::Result<String> {
    Ok(match &args.command {
        AttacksCommand::List {
            format: ListFormat::Json,
        } => {
            let infos: Vec<_> = attacks::catalog().iter().map(|a| a.info()).collect();
            serde_json::to_string_pretty(&infos)? + "\n"
        }
        AttacksCommand::List {
            format: ListFormat::Text,
        } => {
            let mut out = String::from(
                "Attacks (run one with `oauth-lab run --attack ID --profile naive`)\n\n",
            );
            for a in attacks::catalog() {
                let i = a.info();
                out.push_str(&format!("{:<26} {}\n", i.id, i.title));
                let caps: Vec<&str> = i.capabilities.iter().map(|c| c.label()).collect();
                out.push_str(&format!("{:<26} attacker: {}\n", "", caps.join("; ")));
                let stops: Vec<String> = i.stoppers.iter().map(|s| s.claim()).collect();
                out.push_str(&format!(
                    "{:<26} stopped by: {}  ({})\n\n",
                    "",
                    stops.join(", "),
                    i.references
                ));
            }
            out
        }
        AttacksCommand::Show { id } => {
            let i = lookup(id)?.info();
            let mut out = format!(
                "{} — {}\n\n{}\n\nAttacker: {}\nSetup: {}\n\nSteps:\n",
                i.id,
                i.title,
                crate::export::text::wrap(i.story, 88, "").trim_end(),
                i.capabilities
                    .iter()
                    .map(|c| c.label())
                    .collect::<Vec<_>>()
                    .join("; "),
                i.setup
            );
            for (n, s) in i.steps.iter().enumerate() {
                out.push_str(&format!("  {}. {s}\n", n + 1));
            }
            out.push_str(&format!(
                "\nGoal: {}\n\nStopped by (each alone unless it says what it needs):\n",
                i.goal
            ));
            let width = i
                .stoppers
                .iter()
                .map(|s| s.claim().len())
                .max()
                .unwrap_or(0);
            for s in i.stoppers {
                out.push_str(&format!("  {:<width$}  {}\n", s.claim(), s.why));
            }
            out.push_str(&format!("\nReferences: {}\n", i.references));
            for p in Profile::CLASSIC {
                out.push_str(&format!(
                    "\n  oauth-lab run --attack {} --profile {}",
                    i.id,
                    p.name()
                ));
            }
            out.push('\n');
            out
        }
        AttacksCommand::Matrix { format, seed } => {
            let m = matrix::compute(*seed);
            match format {
                MatrixFormat::Text => m.to_text(),
                MatrixFormat::Markdown => m.to_markdown(),
                MatrixFormat::Json => m.to_json() + "\n",
                MatrixFormat::Html => crate::export::matrix::html(&m),
                MatrixFormat::Svg => crate::export::matrix::svg(&m),
            }
        }
    })
}
