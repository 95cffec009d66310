//! The command line (`clap`): `run`, `defenses`, and the shared world options.

pub mod attacks_cmd;
pub mod challenge_cmd;
pub mod defenses_cmd;
pub mod export_cmd;
pub mod lessons_cmd;
pub mod progress_cmd;
pub mod run_cmd;
pub mod serve_banner;
pub mod serve_cmd;
pub mod tui_cmd;
pub mod world_args;

use clap::{Parser, Subcommand};

pub use world_args::WorldArgs;

const EXAMPLES: &str = "\
Examples:
  oauth-lab                                  the terminal UI (the transcript when not on a terminal)
  oauth-lab tui --attack mix-up --profile naive
                                             the UI, starting with an attack
  oauth-lab learn 4                          lesson 4 of the course (PKCE and code interception)
  oauth-lab lessons list                     the course and your progress
  oauth-lab challenge list                   the workshop's challenges (play the attacker)
  oauth-lab progress --format json           lessons and challenges done, to hand in
  oauth-lab run                              the default flow under the bcp profile
  oauth-lab run --profile naive              the same flow with every defense off
  oauth-lab run --disable pkce --format http the raw HTTP of every message, without PKCE
  oauth-lab run --set pkce=plain --seed 7    PKCE plain, another seed
  oauth-lab run --format json > trace.json   the trace as versioned JSON
  oauth-lab defenses                         every defense, its RFC section and profiles
  oauth-lab attacks list                     the attack catalog
  oauth-lab run --attack csrf-login --profile naive
                                             an attack's transcript and verdict
  oauth-lab attacks matrix                   every attack under every profile
  oauth-lab export --format mermaid          the flow as a Mermaid sequence diagram
  oauth-lab export -f svg --theme dark -o flow.svg
                                             an SVG drawing for dark slides
  oauth-lab export -f html --attack code-interception --profile naive -o attack.html
                                             a self-contained page that steps through an attack
  oauth-lab export -f markdown --notes full  a Markdown handout with every message
  oauth-lab export -f html --scenario scenarios/csrf-edit-state.toml -o csrf.html
                                             a saved scenario (world + the learner's moves) as a page
  oauth-lab attacks matrix --format html     the matrix as a page (also svg)
  oauth-lab serve                            live mode: client, AS and RS on real HTTP (ports 9000-9002)";

/// `oauth-lab serve --help`'s examples.
pub const SERVE_EXAMPLES: &str = "\
Examples:
  oauth-lab serve                            client :9000, AS :9001, RS :9002; the UI on a terminal
  oauth-lab serve --no-tui                   the start banner (URLs, clients, a curl walk-through), then
                                             one log line per message
  oauth-lab serve --profile naive --port-base 8000 --format json
                                             every defense off, ports 8000-8002, JSON log lines
  oauth-lab serve --record session.toml      the session as a scenario: oauth-lab run --scenario session.toml
                                             replays it
  oauth-lab serve --attack csrf-login --profile naive
                                             the attacker's site too, on http://127.0.0.4:9003";

/// See the OAuth 2.0 Authorization Code Flow — and break it.
#[derive(Debug, Parser)]
#[command(name = "oauth-lab", version, about, after_help = EXAMPLES, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// With no command: the options of `oauth-lab tui` (`--profile`, `--attack`, `--presenter`, …).
    #[command(flatten)]
    pub tui: tui_cmd::TuiArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one full flow and print its trace.
    #[command(after_help = EXAMPLES)]
    Run(run_cmd::RunArgs),
    /// List every defense toggle with a one-line explanation and its RFC section.
    Defenses(defenses_cmd::DefensesArgs),
    /// The attack catalog and the attack × defense matrix.
    Attacks(attacks_cmd::AttacksArgs),
    /// Export a run as Mermaid, PlantUML, a Markdown handout, SVG or an HTML page.
    #[command(after_help = EXAMPLES)]
    Export(export_cmd::ExportArgs),
    /// The lessons: list them, check lesson files, reset progress.
    Lessons(lessons_cmd::LessonsArgs),
    /// Follow a lesson (a guided course over the simulation).
    Learn(lessons_cmd::LearnArgs),
    /// Live mode: the client, the AS and the RS on real HTTP over loopback, for a real
    /// browser, curl or your own OAuth client; the UI over their traffic on a terminal,
    /// else one log line per message.
    #[command(after_help = SERVE_EXAMPLES)]
    Serve(serve_cmd::ServeArgs),
    /// The workshop's challenges: play the attacker against an undisclosed deployment.
    Challenge(challenge_cmd::ChallengeArgs),
    /// Every lesson and challenge with completion, score, hints and time: the file a
    /// learner hands in.
    Progress(progress_cmd::ProgressArgs),
    /// The terminal UI (the default when stdout is a terminal): the flow as a live
    /// sequence diagram with an inspector, defense toggles, attacks and intercept mode.
    Tui(tui_cmd::TuiArgs),
}
