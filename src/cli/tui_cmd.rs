//! `oauth-lab tui` (and `oauth-lab` alone): the terminal UI when stdout is a terminal,
//! otherwise one line saying so and the transcript.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Args;

use super::WorldArgs;
use crate::export::Format;
use crate::lesson::{Lesson, ProgressStore};
use crate::tui::app::{App, Overlay};
use crate::tui::lesson::{Library, start_lesson, ui_spec};
use crate::tui::world_changes::open_scenario;
use crate::tui::{Action, update};
use crate::world::WorldSpec;

#[derive(Debug, Clone, Default, Args)]
pub struct TuiArgs {
    #[command(flatten)]
    pub world: WorldArgs,
    /// Start in presenter mode: fewer panes, larger narration (for a projector). `F` toggles it.
    #[arg(long)]
    pub presenter: bool,
    /// Launch this attack from the catalog (`oauth-lab attacks list` shows the ids).
    #[arg(long, value_name = "ID")]
    pub attack: Option<String>,
    /// Where lesson progress is saved, and scenarios (`S`) in its `scenarios` folder
    /// (default: $XDG_DATA_HOME/oauth-lab).
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    /// Open a scenario file where it was saved (its world, inputs and selected step).
    #[arg(long, value_name = "FILE", conflicts_with_all = super::run_cmd::SCENARIO_CONFLICTS)]
    pub scenario: Option<PathBuf>,
}

/// The line printed instead of the UI when stdout is not a terminal.
pub const NOT_A_TERMINAL: &str = "oauth-lab: stdout is not a terminal, so the interactive UI is not started; printing the transcript instead (as `oauth-lab run`).";

/// The line printed instead of the UI when the terminal is `TERM=dumb`.
pub const DUMB_TERMINAL: &str = "oauth-lab: TERM=dumb cannot show the full-screen UI (no cursor addressing), so it is not started; printing the transcript instead (as `oauth-lab run`).";

impl TuiArgs {
    /// The world these options describe.
    pub fn spec(&self) -> anyhow::Result<WorldSpec> {
        Ok(self.world.spec(self.attack.as_deref())?)
    }

    /// The app as it opens: the happy path at step 0 with the welcome, the attack, or
    /// the scenario where it was saved.
    pub fn app(&self) -> anyhow::Result<App> {
        if let Some(path) = &self.scenario {
            let scenario = crate::scenario::load_file(path)?;
            let mut app = App::new(scenario.world.clone());
            open_scenario(&mut app, &scenario);
            app.presenter = self.presenter;
            return Ok(app);
        }
        let spec = self.spec()?;
        let mut app = App::new(spec.with_attack(None));
        if let Some(id) = spec.attack {
            update(&mut app, Action::LaunchAttack(id.to_string()));
        }
        app.presenter = self.presenter;
        if app.overlay == Some(Overlay::Welcome) && self.attack.is_some() {
            app.overlay = None;
        }
        Ok(app)
    }
}

/// Opens the UI (returning nothing to print), or returns the line and the transcript
/// when stdout is not a terminal or the terminal is `TERM=dumb`.
pub fn run(args: &TuiArgs) -> anyhow::Result<String> {
    let app = args.app()?;
    let terminal = std::io::stdout().is_terminal();
    let dumb = crate::tui::run::dumb_terminal();
    if terminal && !dumb {
        let mut app = app;
        app.library = Library::with_store(ProgressStore::new(args.state_dir.clone()));
        crate::tui::run::run(app)?;
        return Ok(String::new());
    }
    // Not a terminal: exactly what `oauth-lab run` prints for the same options
    // (with the attack's verdict when there is an attack).
    drop(app);
    let run_args = super::run_cmd::RunArgs {
        world: args.world.clone(),
        format: Format::Text,
        attack: args.attack.clone(),
        scenario: args.scenario.clone(),
    };
    let notice = if terminal {
        DUMB_TERMINAL
    } else {
        NOT_A_TERMINAL
    };
    Ok(format!("{notice}\n{}", super::run_cmd::run(&run_args)?))
}

/// The UI in lesson mode (`oauth-lab learn`): the lesson's world, its progress loaded
/// from `store` (and saved there as the learner goes), at its first unfinished part.
pub fn lesson_app(lesson: Lesson, store: ProgressStore, presenter: bool) -> App {
    let mut app = App::new(ui_spec(&lesson.worlds[0]));
    app.library = Library::with_store(store);
    app.presenter = presenter;
    app.overlay = None;
    let warnings = app.library.warnings.clone();
    start_lesson(&mut app, lesson);
    if let Some(w) = warnings.first() {
        app.notify(crate::tui::app::Level::Problem, w.clone());
    }
    app
}

/// Runs the UI in lesson mode until the learner quits.
pub fn learn(lesson: Lesson, store: ProgressStore, presenter: bool) -> anyhow::Result<()> {
    crate::tui::run::run(lesson_app(lesson, store, presenter))
}

/// The UI in a challenge (`oauth-lab challenge start`): the challenge's world with the
/// attacker console open and the briefing shown; `progress` is what was saved (hints
/// already taken count), and the store is where hints and the solution are saved.
pub fn challenge_app(
    challenge: crate::challenge::Challenge,
    progress: crate::challenge::ChallengeProgress,
    store: ProgressStore,
) -> App {
    let mut app = App::new(challenge.world().clone());
    app.library = Library::with_store(store);
    app.overlay = None;
    crate::tui::console::challenge_handlers::start(&mut app, challenge, progress);
    app
}

/// Runs the UI in a challenge until the learner quits, when standard output is a
/// terminal that can show it; returns whether it ran.
pub fn play_challenge(
    challenge: crate::challenge::Challenge,
    progress: crate::challenge::ChallengeProgress,
    store: ProgressStore,
) -> anyhow::Result<bool> {
    if !std::io::stdout().is_terminal() || crate::tui::run::dumb_terminal() {
        return Ok(false);
    }
    crate::tui::run::run(challenge_app(challenge, progress, store))?;
    Ok(true)
}
