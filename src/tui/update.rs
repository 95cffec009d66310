//! The one function that changes the UI's state: it hands each action to its handler
//! (here, or in [`super::nav`], [`super::world_changes`], [`super::mouse`], lesson
//! mode's handlers). It does no I/O and starts no thread: work for the event loop
//! (saving progress, computing the matrix) is queued in `app.tasks`.

use crate::actors::defenses::DEFENSES;

use super::action::Action;
use super::app::{App, Level, Overlay, Pane, SPEEDS, Tab, Task};
use super::attacks;
use super::console;
use super::lesson::handlers as lesson;
use super::mouse;
use super::nav::{
    at_end, end_of_run_notice, gate, gated_notice, menu_move, next, scroll, select, set_tab,
};
use super::world_changes as world;

/// Applies one action.
pub fn update(app: &mut App, action: Action) {
    // The welcome goes away at the first key; the key still does what it does.
    let from_learner = !matches!(
        action,
        Action::Resize(..) | Action::Tick(_) | Action::MatrixCell(_) | Action::MatrixDone
    );
    if app.overlay == Some(Overlay::Welcome) && from_learner {
        app.overlay = None;
        if matches!(action, Action::Close) {
            return;
        }
    }
    if changes_world(&action) && !lesson::world_unlocked(app) {
        app.notify(Level::Info, lesson::LOCKED);
        return;
    }
    if console::challenge_handlers::locks(app, &action) {
        app.notify(Level::Info, console::challenge_handlers::LOCKED);
        return;
    }
    apply(app, action);
    lesson::refresh_try(app);
    console::handlers::refresh(app);
}

/// Whether an action changes the world (refused in a lesson outside its "your turn" parts).
fn changes_world(action: &Action) -> bool {
    matches!(
        action,
        Action::OpenDefenses
            | Action::ToggleDefense(_)
            | Action::CycleProfile
            | Action::AdvanceClock(_)
            | Action::ToggleIntercept
            | Action::ForwardHeld
            | Action::ForwardAllHeld
            | Action::CycleHoldTarget
            | Action::StartRunTo
            | Action::DropHeld
            | Action::EditHeld
            | Action::ReplaySelected
            | Action::EditSubmit
            | Action::OpenAttacks
            | Action::LaunchAttack(_)
            | Action::HappyPath
    ) || matches!(action, Action::Console(a) if a.changes_world())
}

fn apply(app: &mut App, action: Action) {
    match action {
        Action::Next => next(app),
        Action::Prev => {
            if app.cursor > 0 {
                select(app, app.cursor - 1);
            } else {
                app.notify(Level::Info, "This is the first step.");
            }
        }
        Action::First => select(app, 0),
        Action::Last if gate(app).is_some() => {
            let last = app.timeline.len().saturating_sub(1);
            select(app, last);
            gated_notice(app);
        }
        Action::Last => {
            app.timeline.run_to_end();
            let last = app.timeline.len().saturating_sub(1);
            select(app, last);
            end_of_run_notice(app);
        }
        Action::Select(i) => {
            if i < app.timeline.len() {
                select(app, i);
            }
        }
        Action::JumpToChange if gate(app).is_some() => gated_notice(app),
        Action::JumpToChange => match app.changed.as_ref().map(|d| d.index) {
            Some(i) if i < app.timeline.len() => select(app, i),
            Some(i) => {
                app.timeline.run_to_end();
                select(app, i.min(app.timeline.len().saturating_sub(1)));
            }
            None => app.notify(Level::Info, "Nothing changed yet: toggle a defense with d."),
        },
        Action::TogglePlay => {
            app.playing = !app.playing;
            app.play_elapsed_ms = 0;
            if app.playing && at_end(app) {
                select(app, 0);
            }
        }
        Action::Faster => app.speed = (app.speed + 1).min(SPEEDS.len() - 1),
        Action::Slower => app.speed = app.speed.saturating_sub(1),
        Action::Tick(ms) => {
            if app.playing && app.overlay.is_none() {
                app.play_elapsed_ms += ms;
                let every = SPEEDS[app.speed.min(SPEEDS.len() - 1)].0;
                if app.play_elapsed_ms >= every {
                    app.play_elapsed_ms = 0;
                    next(app);
                    if at_end(app) {
                        app.playing = false;
                    }
                }
            }
        }
        Action::FocusNext | Action::FocusPrev => {
            let mut panes = vec![Pane::Diagram];
            if app.lesson.is_some() {
                panes.insert(0, Pane::Lesson);
            }
            if !app.presenter {
                panes.push(Pane::Inspector);
            }
            if app.is_intercepting() || app.held_count() > 0 {
                panes.push(Pane::Intercept);
            }
            // The "What happened" pane, where the last frame drew one.
            if app
                .screen
                .last()
                .is_some_and(|d| d.areas.narration.height > 0)
            {
                panes.push(Pane::Narration);
            }
            let i = panes.iter().position(|p| *p == app.focus).unwrap_or(0);
            let n = panes.len();
            let j = if action == Action::FocusNext {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            };
            app.focus = panes[j];
        }
        Action::SetTab(tab) => set_tab(app, tab),
        Action::NextTab => set_tab(app, Tab::ALL[(app.tab.index() + 1) % Tab::ALL.len()]),
        Action::PrevTab => set_tab(
            app,
            Tab::ALL[(app.tab.index() + Tab::ALL.len() - 1) % Tab::ALL.len()],
        ),
        Action::Scroll(d) => scroll(app, d),
        Action::ToggleHelp => {
            app.overlay = match app.overlay {
                Some(Overlay::Help { .. }) => None,
                _ => Some(Overlay::Help { scroll: 0 }),
            }
        }
        Action::OpenDefenses => app.overlay = Some(Overlay::Defenses { selected: 0 }),
        Action::Close => {
            if app.overlay.is_some() {
                app.overlay = None;
            } else if app.playing {
                app.playing = false;
            } else {
                app.notice = None;
            }
        }
        Action::MenuMove(d) => menu_move(app, d),
        Action::MenuActivate => match app.overlay.clone() {
            Some(Overlay::Defenses { selected }) => {
                if !lesson::world_unlocked(app) {
                    app.notify(Level::Info, lesson::LOCKED);
                } else if let Some(info) = DEFENSES.get(selected) {
                    world::toggle_defense(app, info.id);
                }
            }
            Some(Overlay::Attacks { selected }) | Some(Overlay::Matrix { selected }) => {
                if !lesson::world_unlocked(app) {
                    app.notify(Level::Info, lesson::LOCKED);
                } else if let Some(entry) = app.catalog.get(selected) {
                    let id = entry.id.clone();
                    world::launch_attack(app, &id);
                }
            }
            Some(Overlay::Lessons { selected }) => {
                if let Some(l) = app.library.lessons.get(selected) {
                    let id = l.id.clone();
                    lesson::start(app, &id);
                }
            }
            _ => {}
        },
        Action::MenuValue(step) => {
            if let Some(Overlay::Defenses { selected }) = app.overlay {
                if !lesson::world_unlocked(app) {
                    app.notify(Level::Info, lesson::LOCKED);
                } else if let Some(info) = DEFENSES.get(selected) {
                    world::cycle_defense(app, info.id, step);
                }
            }
        }
        Action::ToggleDefense(id) => world::toggle_defense(app, id),
        Action::CycleProfile => world::cycle_profile(app),
        Action::AdvanceClock(secs) => world::advance_clock(app, secs),
        Action::ToggleIntercept => world::toggle_intercept(app),
        Action::ForwardHeld => world::forward_held(app),
        Action::ForwardAllHeld => world::forward_all_held(app),
        Action::CycleHoldTarget => world::cycle_hold_target(app),
        Action::StartRunTo => super::run_to::start(app),
        Action::RunToKey(code) => super::run_to::key(app, code),
        Action::DropHeld => world::drop_held(app),
        Action::EditHeld => world::edit_held(app),
        Action::ReplaySelected => world::replay(app),
        Action::Edit(key) => {
            if let Some(Overlay::Editor(ed)) = &mut app.overlay {
                ed.error = None;
                ed.error_line = None;
                ed.key(key);
            }
        }
        Action::Paste(text) if matches!(app.overlay, Some(Overlay::Console(_))) => {
            console::handlers::paste(app, &text)
        }
        Action::Paste(text) => {
            if let Some(Overlay::Editor(ed)) = &mut app.overlay {
                ed.error = None;
                ed.error_line = None;
                ed.paste(&text);
            }
        }
        Action::EditFixLength => {
            if let Some(Overlay::Editor(ed)) = &mut app.overlay {
                ed.fix_content_length();
                ed.validate();
            }
        }
        Action::EditSubmit => world::submit_edit(app),
        Action::TogglePresenter => {
            app.presenter = !app.presenter;
            if app.presenter && app.focus == Pane::Inspector {
                app.focus = Pane::Diagram;
            }
        }
        Action::OpenAttacks => {
            if app.catalog.is_empty() {
                app.notify(
                    Level::Problem,
                    "The attack catalog is not part of this build yet: no attacks to launch.",
                );
            } else {
                app.overlay = Some(Overlay::Attacks { selected: 0 });
            }
        }
        Action::LaunchAttack(id) => world::launch_attack(app, &id),
        Action::HappyPath => world::happy_path(app),
        Action::SaveScenario if app.challenge.is_some() => {
            console::challenge_handlers::save_solution(app)
        }
        Action::SaveScenario => world::save_scenario(app),
        Action::ExportAll => world::export_all(app),
        Action::OpenMatrix => {
            app.overlay = Some(Overlay::Matrix { selected: 0 });
            if app.catalog.is_empty() {
                app.notify(
                    Level::Problem,
                    "No attack catalog in this build: the matrix is empty.",
                );
            } else if !app.matrix.running && app.matrix.cells.is_empty() {
                app.matrix.running = true;
                app.matrix.columns = attacks::matrix_columns();
                app.matrix.expected = app.catalog.len() * app.matrix.columns.len();
                app.tasks.push(Task::ComputeMatrix {
                    seed: app.timeline.spec.seed,
                });
            }
        }
        Action::MatrixCell(cell) => app.matrix.cells.push(cell),
        Action::MatrixDone => app.matrix.running = false,
        Action::Resize(w, h) => app.size = (w, h),
        Action::Click(x, y) => mouse::click(app, x, y),
        Action::Wheel { x, y, down } => mouse::wheel(app, x, y, down),
        Action::OpenLessons => {
            let selected =
                app.lesson
                    .as_ref()
                    .and_then(|m| {
                        app.library
                            .lessons
                            .iter()
                            .position(|l| l.id == m.lesson().id)
                    })
                    .or_else(|| {
                        // The first lesson not completed.
                        app.library.lessons.iter().position(|l| {
                            !app.library.saved.get(&l.id).is_some_and(|p| p.completed)
                        })
                    })
                    .unwrap_or(0);
            if app.library.lessons.is_empty() {
                let why = app
                    .library
                    .problems
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "no lesson files".into());
                app.notify(Level::Problem, format!("No lessons to offer: {why}"));
            } else {
                app.overlay = Some(Overlay::Lessons { selected });
            }
        }
        Action::StartLesson(id) => lesson::start(app, &id),
        Action::LeaveLesson => lesson::leave(app),
        Action::LessonContinue => lesson::next_part(app),
        Action::LessonBack => lesson::prev_part(app),
        Action::LessonAnswer(i) => lesson::answer(app, i),
        Action::LessonHint => lesson::hint(app),
        Action::LessonSkip => lesson::skip(app),
        Action::Console(a) => console::handlers::apply(app, a),
        Action::Quit => app.should_quit = true,
    }
}
