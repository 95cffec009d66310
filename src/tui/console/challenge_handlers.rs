//! What the challenge keys do, and the locks of challenge mode (see [`super::challenge`]).
//! Progress (hints used, the solution) is saved by queueing a task.

use crate::challenge::grade::{Graded, grade_fixed};
use crate::challenge::{Challenge, ChallengeProgress};
use crate::sim::LearnerInput;
use crate::terminal_text::one_line;
use crate::tui::action::Action;
use crate::tui::app::{App, Level, Overlay, Task};
use crate::tui::nav::{select, show_world};
use crate::tui::timeline::Timeline;
use crate::tui::world_changes::load;
use crate::world::WorldSpec;

use super::challenge::{ChallengeMode, FixedRun};
use super::state::{Console, ConsoleAction, Window};

/// The notice for an action a challenge locks.
pub const LOCKED: &str = "In a challenge the deployment is undisclosed: the defense panel, profiles, attacks, matrix and lessons are locked. B shows the briefing, H a hint.";

/// Whether the action is locked in the challenge being played (before and after it is
/// solved: the deployment stays what it was). An export would print the deployment's
/// defenses: it waits until the challenge is solved.
pub fn locks(app: &App, action: &Action) -> bool {
    let unsolved = app.challenge.as_ref().is_some_and(|c| !c.is_solved());
    (unsolved && *action == Action::ExportAll)
        || app.challenge.is_some()
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

/// Opens the app in `challenge`: its world at step 0, the console open, the briefing
/// shown. `progress` is what was saved (hints already used count).
pub fn start(app: &mut App, challenge: Challenge, progress: ChallengeProgress) {
    load(app, challenge.world().clone());
    app.lesson = None;
    app.challenge = Some(ChallengeMode::new(challenge, progress));
    app.console = Console {
        open: true,
        ..Default::default()
    };
    app.presenter = false;
    app.overlay = Some(Overlay::Console(Window::Briefing { scroll: 0 }));
}

/// `S` in a challenge: the learner's moves saved as a solution (a scenario file that
/// `oauth-lab challenge check ID --solution FILE` grades). The file does not carry the
/// deployment: its world is the position on `naive`, so opening it shows no secret.
pub fn save_solution(app: &mut App) {
    let Some(c) = &app.challenge else { return };
    let naive = crate::actors::defenses::Profile::Naive;
    let world = WorldSpec {
        profile: naive,
        defenses: naive.defenses(),
        workshop: Some(crate::workshop::Setting::from(c.challenge.position)),
        ..app.timeline.spec.clone()
    };
    let mut scenario = crate::scenario::Scenario::of(world, app.cursor);
    scenario.title = Some(format!("A solution to challenge {}", c.challenge.id));
    scenario.notes = Some(format!(
        "Grade it with `oauth-lab challenge check {} --solution FILE`: only the moves count; the deployment is not in this file (its world is the position on naive).",
        c.challenge.id
    ));
    let dir = match &app.library.store {
        Some(store) => crate::scenario::save::folder_in(store.dir()),
        None => crate::scenario::save::default_folder(),
    };
    app.tasks.push(Task::SaveScenario { dir, scenario });
}

/// `H`: asks before showing the next hint (it costs points).
pub fn ask_hint(app: &mut App) {
    let Some(c) = &app.challenge else { return };
    let n = c.challenge.hints.len();
    if c.progress.hints_used >= n {
        app.notify(
            Level::Info,
            format!("No more hints: all {n} are in the briefing (B)."),
        );
        return;
    }
    app.overlay = Some(Overlay::Console(Window::HintAsk));
}

/// `y` to the question: the next hint, in the briefing window; saved at once.
pub fn show_hint(app: &mut App) {
    let Some(c) = &mut app.challenge else { return };
    if c.progress.hints_used < c.challenge.hints.len() {
        c.progress.hints_used += 1;
    }
    let n = c.progress.hints_used;
    app.tasks.push(Task::SaveChallenge(c.progress.clone()));
    app.overlay = Some(Overlay::Console(Window::Briefing { scroll: 0 }));
    app.notify(
        Level::Info,
        format!("Hint {n} is at the end of the briefing."),
    );
}

/// `D`: the debrief, only once solved.
pub fn open_debrief(app: &mut App) {
    match &app.challenge {
        Some(c) if c.is_solved() => {
            app.overlay = Some(Overlay::Console(Window::Debrief { scroll: 0 }));
        }
        Some(_) => app.notify(
            Level::Info,
            "The debrief opens once the challenge is solved: reach the goal first (B: briefing).",
        ),
        None => {}
    }
}

/// `f` in the debrief: the learner's moves replayed against the deployment with the
/// fix (graded as `challenge check` grades), shown in the diagram at the step where
/// they were stopped; `f` again goes back to the learner's own world.
pub fn show_fixed(app: &mut App) {
    let Some(c) = &mut app.challenge else { return };
    if c.debrief().is_none() {
        return;
    }
    if let Some(back) = c.fixed.take() {
        let t = Timeline::replay(back.mine, back.cursor + 1, app.timeline.generation + 1);
        show_world(app, t);
        select(app, back.cursor);
        app.overlay = None;
        app.notify(
            Level::Info,
            "Back to your own run on the deployment (f in the debrief shows the fixed one).",
        );
        return;
    }
    let mine = app.timeline.spec.clone();
    let cursor = app.cursor;
    let graded = grade_fixed(&c.challenge, &mine.inputs);
    let words = fixed_words(&graded);
    let fixed = WorldSpec {
        inputs: founded(&mine.inputs, &graded),
        ..c.challenge.fixed_world()
    };
    let at = graded
        .hit
        .as_ref()
        .map(|h| h.step)
        .or(graded.refusal.as_ref().map(|r| r.step))
        .unwrap_or(graded.trace.steps.len().saturating_sub(1));
    c.fixed = Some(FixedRun {
        words: words.clone(),
        mine,
        cursor,
    });
    let t = Timeline::replay(fixed, graded.trace.steps.len(), app.timeline.generation + 1);
    show_world(app, t);
    select(app, at);
    app.overlay = Some(Overlay::Console(Window::Debrief { scroll: 0 }));
    app.notify(Level::Changed, words);
}

/// The learner's inputs without the moves the grading did not make (they carried a
/// code or token the attacker never obtained in the fixed run).
fn founded(inputs: &[(usize, LearnerInput)], g: &Graded) -> Vec<(usize, LearnerInput)> {
    let mut skip: Vec<usize> = g.unfounded.iter().map(|u| u.at).collect();
    (inputs.iter())
        .filter(|(at, input)| {
            let attacker_move = matches!(
                input,
                LearnerInput::AttackerMove { .. } | LearnerInput::Act { .. }
            );
            match skip.iter().position(|s| s == at) {
                Some(i) if attacker_move => {
                    skip.remove(i);
                    false
                }
                _ => true,
            }
        })
        .cloned()
        .collect()
}

/// Where the moves went against the fixed deployment, in words.
pub fn fixed_words(g: &Graded) -> String {
    if let Some(h) = &g.hit {
        return format!(
            "With the fix, your moves still reach the goal at step {}: {}",
            h.step,
            one_line(&h.what)
        );
    }
    let mut s = "With the fix, your moves no longer reach the goal.".to_string();
    if let Some(u) = g.unfounded.first() {
        s.push_str(&format!(
            " Your move due after step {} was not made: it carries an artifact ({}) the attacker never obtained in this run.",
            u.at.saturating_sub(1),
            u.kind.field()
        ));
    }
    if let Some(r) = &g.refusal {
        s.push_str(&format!(
            " Stopped at step {}: {} answered {} — {}",
            r.step,
            one_line(&r.to),
            one_line(&r.status),
            one_line(&r.why)
        ));
    }
    s
}

/// After every action: the challenge is solved the moment one of its goals holds at
/// or before the selected step; the solution is saved and the debrief opens.
pub fn refresh(app: &mut App) {
    let goal = app.console.goal.clone();
    let cursor = app.cursor;
    let Some(c) = &mut app.challenge else { return };
    if c.solved.is_some() || c.fixed.is_some() {
        return;
    }
    let ids = c.challenge.goal_ids();
    let Some(g) = goal.filter(|g| ids.contains(&g.goal.as_str()) && g.step <= cursor) else {
        return;
    };
    let score = c.challenge.score(c.progress.hints_used);
    c.progress.solve(&g.goal, g.step, score);
    c.solved = Some(g);
    app.tasks.push(Task::SaveChallenge(c.progress.clone()));
    app.overlay = Some(Overlay::Console(Window::Debrief { scroll: 0 }));
}
