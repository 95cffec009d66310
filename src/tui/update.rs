//! The one function that changes the UI's state. It does no I/O and starts no thread:
//! background work is queued in `app.tasks` for the event loop.

use crate::actors::defenses::{DEFENSES, Profile};
use crate::sim::{LearnerInput, StepKind};

use super::action::Action;
use super::app::{App, Level, Overlay, Pane, SPEEDS, Tab, Task};
use super::attacks;
use super::editor::Editor;
use super::lesson;
use super::timeline::{DiffKind, Difference, Timeline, WorldSpec};
use super::view::layout;

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
    apply(app, action);
    lesson::refresh_try(app);
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
            | Action::DropHeld
            | Action::EditHeld
            | Action::ReplaySelected
            | Action::EditSubmit
            | Action::OpenAttacks
            | Action::LaunchAttack(_)
            | Action::HappyPath
    )
}

/// While a prediction waits: how many steps the learner may see.
fn gate(app: &App) -> Option<usize> {
    app.lesson.as_ref().and_then(|l| l.gate)
}

fn gated_notice(app: &mut App) {
    let n = app.lesson.as_ref().map_or(0, |l| l.choice_count());
    app.playing = false;
    app.notify(
        Level::Info,
        format!(
            "The next step is what the question asks about: answer it first (1–{n}), then watch it happen."
        ),
    );
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
                    toggle_defense(app, info.name);
                }
            }
            Some(Overlay::Attacks { selected }) => {
                if !lesson::world_unlocked(app) {
                    app.notify(Level::Info, lesson::LOCKED);
                } else if let Some(entry) = app.catalog.get(selected) {
                    let id = entry.id.clone();
                    launch_attack(app, &id);
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
        Action::ToggleDefense(name) => toggle_defense(app, &name),
        Action::CycleProfile => {
            let all = Profile::ALL;
            let i = all
                .iter()
                .position(|p| *p == app.timeline.spec.profile)
                .unwrap_or(0);
            let next = all[(i + 1) % all.len()];
            rebuild_with(
                app,
                next.defenses(),
                next,
                format!("Profile {}", next.name()),
            );
        }
        Action::AdvanceClock(secs) => advance_clock(app, secs),
        Action::ToggleIntercept => toggle_intercept(app),
        Action::ForwardHeld => with_held(app, |app, id| {
            apply_and_deliver(
                app,
                LearnerInput::Forward { id },
                "Forwarded the held message.",
            )
        }),
        Action::DropHeld => with_held(app, |app, id| {
            match app.timeline.apply(LearnerInput::Drop { id }) {
                Ok(()) => app.notify(
                    Level::Changed,
                    "Dropped: the message will never arrive. Step on to see who notices.",
                ),
                Err(e) => app.notify(Level::Problem, e.to_string()),
            }
            clamp_held(app);
        }),
        Action::EditHeld => with_held(app, |app, id| {
            if let Some(env) = app.timeline.sim().held().iter().find(|e| e.id == id) {
                app.overlay = Some(Overlay::Editor(Editor::new(id, &env.wire)));
            }
        }),
        Action::ReplaySelected => replay(app),
        Action::Edit(key) => {
            if let Some(Overlay::Editor(ed)) = &mut app.overlay {
                ed.key(key);
                ed.error = None;
                ed.error_line = None;
            }
        }
        Action::EditFixLength => {
            if let Some(Overlay::Editor(ed)) = &mut app.overlay {
                ed.fix_content_length();
                ed.validate();
            }
        }
        Action::EditSubmit => submit_edit(app),
        Action::TogglePresenter => {
            app.presenter = !app.presenter;
            if app.presenter && app.focus == Pane::Inspector {
                app.focus = Pane::Diagram;
            }
            keep_visible(app);
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
        Action::LaunchAttack(id) => launch_attack(app, &id),
        Action::HappyPath => {
            let spec = WorldSpec {
                attack: None,
                ..app.timeline.spec.clone()
            };
            load(app, spec);
            app.overlay = None;
            app.notify(Level::Info, "Back to the happy path.");
        }
        Action::OpenMatrix => {
            app.overlay = Some(Overlay::Matrix { scroll: 0 });
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
        Action::Resize(w, h) => {
            app.size = (w, h);
            keep_visible(app);
        }
        Action::Click(x, y) => click(app, x, y),
        Action::Wheel { x, y, down } => wheel(app, x, y, down),
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
        Action::Quit => app.should_quit = true,
    }
}

fn at_end(app: &App) -> bool {
    app.cursor + 1 >= app.timeline.len() && app.timeline.is_finished()
}

pub(crate) fn select(app: &mut App, i: usize) {
    let last = app.timeline.len().saturating_sub(1);
    let i = i.min(last);
    if i != app.cursor {
        app.inspector_scroll = 0;
        app.notice = None;
    }
    app.cursor = i;
    keep_visible(app);
    update_verdict(app);
}

fn next(app: &mut App) {
    if let Some(g) = gate(app)
        && app.cursor + 1 >= g
    {
        gated_notice(app);
        return;
    }
    if app.cursor + 1 < app.timeline.len() {
        select(app, app.cursor + 1);
    } else if app.timeline.advance() {
        select(app, app.timeline.len() - 1);
    } else {
        end_of_run_notice(app);
    }
}

fn end_of_run_notice(app: &mut App) {
    let held = app.held_count();
    if held > 0 {
        app.notify(
            Level::Info,
            format!(
                "{held} message(s) held at the bus: f forward · x drop · e edit (Tab to the intercept pane to choose)."
            ),
        );
    } else if app.timeline.is_finished() && app.cursor + 1 >= app.timeline.len() {
        let msg = if app.timeline.spec.attack.is_some() {
            "End of the attack. d toggles a defense and re-runs it; a picks another attack."
        } else {
            "End of the flow. Home starts over · d changes defenses · a launches an attack · t advances the clock."
        };
        app.notify(Level::Info, msg);
    }
}

fn set_tab(app: &mut App, tab: Tab) {
    app.tab = tab;
    app.inspector_scroll = 0;
    if app.presenter {
        app.presenter = false;
    }
}

fn scroll(app: &mut App, d: i32) {
    match &mut app.overlay {
        Some(Overlay::Help { scroll }) | Some(Overlay::Matrix { scroll }) => {
            *scroll = (*scroll as i32 + d).clamp(0, 500) as u16;
            return;
        }
        _ => {}
    }
    match app.focus {
        Pane::Diagram => {
            let last = app.timeline.len().saturating_sub(1) as i64;
            let i = (app.cursor as i64 + d as i64).clamp(0, last) as usize;
            select(app, i);
        }
        Pane::Inspector => {
            app.inspector_scroll = (app.inspector_scroll as i32 + d).clamp(0, 2000) as u16;
        }
        Pane::Intercept => menu_move(app, d),
        Pane::Lesson => lesson::scroll(app, d),
    }
}

fn menu_move(app: &mut App, d: i32) {
    let step = |sel: usize, n: usize| -> usize {
        if n == 0 {
            0
        } else {
            (sel as i64 + d as i64).rem_euclid(n as i64) as usize
        }
    };
    let n_attacks = app.catalog.len();
    let n_lessons = app.library.lessons.len();
    match &mut app.overlay {
        Some(Overlay::Defenses { selected }) => *selected = step(*selected, DEFENSES.len()),
        Some(Overlay::Attacks { selected }) => *selected = step(*selected, n_attacks),
        Some(Overlay::Lessons { selected }) => *selected = step(*selected, n_lessons),
        _ => {
            let n = app.held_count();
            app.held_selected = step(app.held_selected, n);
        }
    }
}

/// Keeps the cursor inside the diagram's window.
pub(crate) fn keep_visible(app: &mut App) {
    let visible = layout::visible_steps(app);
    app.diagram_top = layout::window_top(app.diagram_top, app.cursor, visible, app.timeline.len());
}

fn describe_difference(d: &Difference) -> String {
    match d.what {
        DiffKind::Message => format!(
            "First change: step {}, {}. Press c to jump there.",
            d.index, d.detail
        ),
        DiffKind::Handling => {
            let mut s = format!(
                "First change: step {} is handled differently (see its narration)",
                d.index
            );
            if let Some((i, _, _)) = &d.message {
                s.push_str(&format!(
                    "; first different message: step {i}, {}",
                    d.detail
                ));
            }
            s.push_str(". Press c to jump there.");
            s
        }
        DiffKind::Length if d.after.is_empty() => format!(
            "The run now stops after step {} (it used to go on with “{}”).",
            d.index.saturating_sub(1),
            d.before
        ),
        DiffKind::Length => format!(
            "The run now goes on past step {} with “{}”. Press c to jump there.",
            d.index.saturating_sub(1),
            d.after
        ),
    }
}

fn rebuild_with(
    app: &mut App,
    defenses: crate::actors::defenses::Defenses,
    profile: Profile,
    what: String,
) {
    let (timeline, diff) = app.timeline.with_defenses(defenses, profile);
    app.timeline = timeline;
    let last = app.timeline.len().saturating_sub(1);
    let kept = app.cursor <= last;
    app.cursor = app.cursor.min(last);
    app.held_selected = 0;
    keep_visible(app);
    update_verdict(app);
    let mut text = format!("{what} — re-ran from seed {}.", app.timeline.spec.seed);
    match &diff {
        Some(d) => {
            text.push(' ');
            text.push_str(&describe_difference(d));
        }
        None => text.push_str(" Nothing in this run changes: this defense guards against something that does not happen here."),
    }
    if !kept {
        text.push_str(&format!(
            " The run is shorter now: you are at its last step, {last}."
        ));
    }
    app.changed = diff;
    app.notify(Level::Changed, text);
}

fn toggle_defense(app: &mut App, name: &str) {
    let mut d = app.timeline.spec.defenses.clone();
    match d.toggle(name) {
        Ok(_) => {
            let label = format!("{name} {}", d.value_label(name));
            let profile = app.timeline.spec.profile;
            rebuild_with(app, d, profile, label);
        }
        Err(e) => app.notify(Level::Problem, e.to_string()),
    }
}

fn advance_clock(app: &mut App, secs: u64) {
    let at = app.cursor + 1;
    let branched = at < app.timeline.len();
    match app
        .timeline
        .apply_at(at, LearnerInput::AdvanceClock { secs })
    {
        Ok(()) => {
            app.timeline.advance();
            let last = app.timeline.len().saturating_sub(1);
            select(app, last);
            let mut text = format!(
                "The clock moved on {}. Step on to see what has expired.",
                crate::actors::clock::duration_label(secs)
            );
            if branched {
                text.push_str(&format!(
                    " The steps after {} were replaced: this is a new branch of the run.",
                    at - 1
                ));
            }
            app.notify(Level::Changed, text);
        }
        Err(e) => app.notify(Level::Problem, e.to_string()),
    }
}

fn toggle_intercept(app: &mut App) {
    let on = !app.is_intercepting();
    let at = app.cursor + 1;
    let branched = at < app.timeline.len();
    match app.timeline.apply_at(at, LearnerInput::SetHold { on }) {
        Ok(()) => {
            app.held_selected = 0;
            let mut text = if on {
                "Intercept on: every message sent from now on is held at the bus. → steps; f forwards, x drops, e edits, r replays the selected step.".to_string()
            } else {
                "Intercept off: held messages are released.".to_string()
            };
            if branched {
                text.push_str(&format!(
                    " (The steps after {} were cut: a new branch.)",
                    at - 1
                ));
            }
            if on {
                app.focus = Pane::Intercept;
            } else if app.focus == Pane::Intercept {
                app.focus = Pane::Diagram;
            }
            keep_visible(app);
            app.notify(Level::Changed, text);
        }
        Err(e) => app.notify(Level::Problem, e.to_string()),
    }
}

fn clamp_held(app: &mut App) {
    let n = app.held_count();
    app.held_selected = app.held_selected.min(n.saturating_sub(1));
}

fn with_held(app: &mut App, f: impl FnOnce(&mut App, crate::sim::MsgId)) {
    let held = app.timeline.sim().held();
    if held.is_empty() {
        let hint = if app.is_intercepting() {
            "Nothing is held yet: press → to let the world move until a message is sent."
        } else {
            "Nothing is held. Press i for intercept mode: messages are then held before delivery."
        };
        app.notify(Level::Info, hint);
        return;
    }
    let id = held[app.held_selected.min(held.len() - 1)].id;
    f(app, id);
}

fn apply_and_deliver(app: &mut App, input: LearnerInput, done: &str) {
    match app.timeline.apply(input) {
        Ok(()) => {
            clamp_held(app);
            let before = app.timeline.len();
            if app.timeline.advance() || app.timeline.len() > before {
                select(app, app.timeline.len() - 1);
            }
            app.notify(Level::Changed, done.to_string());
        }
        Err(e) => app.notify(Level::Problem, e.to_string()),
    }
}

fn replay(app: &mut App) {
    let Some(step) = app.step() else { return };
    if step.wire.is_empty() || step.kind == StepKind::Observed {
        app.notify(
            Level::Problem,
            "This step carries no message to replay: select a request or a response.",
        );
        return;
    }
    if !app.is_intercepting() {
        app.notify(
            Level::Info,
            "Replay is part of intercept mode: press i first, then r on the step to send again.",
        );
        return;
    }
    let i = app.cursor;
    apply_and_deliver(
        app,
        LearnerInput::Replay { step: i },
        &format!("Replayed the message of step {i}: it is sent again, exactly as it was."),
    );
}

fn submit_edit(app: &mut App) {
    let Some(Overlay::Editor(ed)) = &mut app.overlay else {
        return;
    };
    if !ed.validate() {
        // The message stays held; the error is shown inline.
        return;
    }
    let input = LearnerInput::Edit {
        id: ed.msg,
        wire: ed.wire(),
    };
    match app.timeline.apply(input) {
        Ok(()) => {
            app.overlay = None;
            clamp_held(app);
            if app.timeline.advance() {
                select(app, app.timeline.len() - 1);
            }
            app.notify(
                Level::Changed,
                "Your edited message was delivered (marked ✎). The receiver parsed exactly what you typed.",
            );
        }
        Err(e) => {
            if let Some(Overlay::Editor(ed)) = &mut app.overlay {
                ed.error = Some(e.to_string());
            }
        }
    }
}

fn load(app: &mut App, spec: WorldSpec) {
    let generation = app.timeline.generation + 1;
    let mut t = Timeline::new(spec);
    t.generation = generation;
    app.timeline = t;
    app.cursor = 0;
    app.diagram_top = 0;
    app.held_selected = 0;
    app.changed = None;
    app.inspector_scroll = 0;
    app.verdict = None;
    keep_visible(app);
}

fn launch_attack(app: &mut App, id: &str) {
    let spec = WorldSpec {
        attack: Some(id.to_string()),
        ..app.timeline.spec.clone()
    };
    load(app, spec);
    app.overlay = None;
    let (title, story) = app
        .catalog
        .iter()
        .find(|a| a.id == id)
        .map(|a| (a.title.clone(), a.story.clone()))
        .unwrap_or_else(|| (id.to_string(), String::new()));
    app.notify(
        Level::Changed,
        format!("Attack launched: {title}. {story} Step with → (or space to play); the verdict shows at the end."),
    );
}

/// At the end of an attack's run, works out the verdict for the banner.
pub(crate) fn update_verdict(app: &mut App) {
    app.verdict = None;
    let Some(id) = app.timeline.spec.attack.clone() else {
        return;
    };
    if !(app.timeline.is_finished() && app.cursor + 1 >= app.timeline.len()) {
        return;
    }
    app.verdict = attacks::verdict(&id, app.timeline.sim());
}

/// Mouse click: select a step in the diagram, a tab in the inspector, or focus a pane.
fn click(app: &mut App, x: u16, y: u16) {
    if app.overlay.is_some() || app.too_small() {
        return;
    }
    let areas = layout::areas(app);
    if let Some(i) = layout::step_at(app, &areas, x, y) {
        app.focus = Pane::Diagram;
        select(app, i);
    } else if let Some(tab) = layout::tab_at(&areas, app.tab, x, y) {
        app.focus = Pane::Inspector;
        set_tab(app, tab);
    } else if areas.inspector.is_some_and(|r| layout::contains(r, x, y)) {
        app.focus = Pane::Inspector;
    } else if areas.intercept.is_some_and(|r| layout::contains(r, x, y)) {
        app.focus = Pane::Intercept;
    } else if areas.lesson.is_some_and(|r| layout::contains(r, x, y)) {
        app.focus = Pane::Lesson;
    }
}

fn wheel(app: &mut App, x: u16, y: u16, down: bool) {
    if app.too_small() {
        return;
    }
    let d = if down { 1 } else { -1 };
    if app.overlay.is_some() {
        scroll(app, d * 3);
        return;
    }
    let areas = layout::areas(app);
    if areas.inspector.is_some_and(|r| layout::contains(r, x, y)) {
        app.inspector_scroll = (app.inspector_scroll as i32 + d * 3).clamp(0, 2000) as u16;
    } else if areas.lesson.is_some_and(|r| layout::contains(r, x, y)) {
        lesson::scroll(app, d * 2);
    } else if layout::contains(areas.diagram, x, y) {
        let last = app.timeline.len().saturating_sub(1) as i64;
        let i = (app.cursor as i64 + d as i64).clamp(0, last) as usize;
        select(app, i);
    }
}
