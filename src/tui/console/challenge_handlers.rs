//! What the challenge keys do, and the locks of challenge mode (see [`super::challenge`]).

use crate::tui::action::Action;
use crate::tui::app::{App, Level, Overlay};
use crate::tui::nav::select;
use crate::tui::timeline::{MAX_STEPS, Timeline};
use crate::tui::world_changes::load;
use crate::workshop::run_watching;
use crate::world::WorldSpec;

use super::challenge::{ChallengeMode, FixedRun, fixed_words};
use super::state::{ConsoleAction, Window};

/// The notice for an action a challenge locks.
pub const LOCKED: &str = "In a challenge the deployment is undisclosed: the defense panel, profiles, attacks, matrix and lessons are locked. B shows the briefing, H a hint.";

/// Whether the action is locked in the challenge being played (before and after it is
/// solved: the deployment stays what it was).
pub fn locks(app: &App, action: &Action) -> bool {
    app.challenge.is_some()
        && matches!(
            action,
            Action::OpenDefenses
                | Action::ToggleDefense(_)
                | Action::CycleProfile
                | Action::OpenAttacks
                | Action::LaunchAttack(_)
                | Action::HappyPath
                | Action::OpenMatrix
                | Action::OpenLessons
                | Action::StartLesson(_)
                | Action::Console(ConsoleAction::ChoosePosition)
        )
}

/// The app opened in a challenge: its world at step 0, the console open, the briefing
/// shown.
pub fn start(app: &mut App, mode: ChallengeMode) {
    load(app, mode.world.clone());
    app.lesson = None;
    app.challenge = Some(mode);
    app.console = super::Console {
        open: true,
        ..Default::default()
    };
    app.presenter = false;
    app.overlay = Some(Overlay::Console(Window::Briefing { scroll: 0 }));
}

/// `H`: asks before showing the next hint (it costs points).
pub fn ask_hint(app: &mut App) {
    let Some(c) = &app.challenge else { return };
    if c.hints_shown >= c.hints.len() {
        app.notify(
            Level::Info,
            format!(
                "No more hints: all {} are in the briefing (B).",
                c.hints.len()
            ),
        );
        return;
    }
    app.overlay = Some(Overlay::Console(Window::HintAsk));
}

/// `y` to the question: the next hint, in the briefing window (and saved).
pub fn show_hint(app: &mut App) {
    let Some(c) = &mut app.challenge else { return };
    if c.hints_shown < c.hints.len() {
        c.hints_shown += 1;
    }
    let n = c.hints_shown;
    app.overlay = Some(Overlay::Console(Window::Briefing { scroll: 0 }));
    app.notify(
        Level::Info,
        format!("Hint {n} is at the end of the briefing."),
    );
}

/// `D`: the debrief, only once solved.
pub fn open_debrief(app: &mut App) {
    match &app.challenge {
        Some(c) if c.solved.is_some() => {
            app.overlay = Some(Overlay::Console(Window::Debrief { scroll: 0 }));
        }
        Some(_) => app.notify(
            Level::Info,
            "The debrief opens once the challenge is solved: reach the goal first (B: briefing).",
        ),
        None => {}
    }
}

/// `f` in the debrief: the same moves, replayed against the deployment with the fix.
pub fn show_fixed(app: &mut App) {
    let Some(c) = &app.challenge else { return };
    let Some(d) = c.debrief() else { return };
    let spec = WorldSpec {
        defenses: d.fixed.clone(),
        inputs: app.timeline.spec.inputs.clone(),
        ..c.world.clone()
    };
    let watched = run_watching(spec.build(), &spec.inputs, MAX_STEPS, c.goals());
    let (sim, hit) = (watched.sim, watched.hit);
    let steps = sim.trace().steps.len();
    let run = FixedRun {
        goal: hit.map(Into::into),
        steps,
    };
    let t = Timeline::replay(spec, steps, app.timeline.generation + 1);
    crate::tui::nav::show_world(app, t);
    select(app, steps.saturating_sub(1));
    let words = fixed_words(&run);
    if let Some(c) = &mut app.challenge {
        c.fixed = Some(run);
    }
    app.overlay = Some(Overlay::Console(Window::Debrief { scroll: 0 }));
    app.notify(Level::Changed, words);
}

/// After every action: the challenge is solved the moment one of its goals holds.
pub fn refresh(app: &mut App) {
    let goal = app.console.goal.clone();
    let Some(c) = &mut app.challenge else { return };
    if c.solved.is_some() || c.fixed.is_some() {
        return;
    }
    let Some(g) = goal.filter(|g| c.goals.contains(&g.goal)) else {
        return;
    };
    if g.step > app.cursor {
        return;
    }
    c.solved = Some(g);
    app.overlay = Some(Overlay::Console(Window::Debrief { scroll: 0 }));
}
