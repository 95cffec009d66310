//! Moving around without changing the world: selecting a step, stepping on (up to a
//! lesson's gate), scrolling the focused pane, moving a list's selection, switching
//! tabs. The handlers share these; they change the UI state only.
//!
//! Nothing here knows the screen's layout: the views keep the selected step in sight
//! and clamp scroll offsets when they draw.

use crate::actors::defenses::DEFENSES;

use super::app::{App, Level, Overlay, Pane, Tab};
use super::attacks;
use super::timeline::Timeline;

/// Whether the last step of a finished run is selected.
pub fn at_end(app: &App) -> bool {
    app.cursor + 1 >= app.timeline.len() && app.timeline.is_finished()
}

/// Selects step `i` (the last one if `i` is past it).
pub fn select(app: &mut App, i: usize) {
    let last = app.timeline.len().saturating_sub(1);
    let i = i.min(last);
    if i != app.cursor {
        app.inspector_scroll = 0;
        app.narration_scroll = 0;
        app.notice = None;
    }
    app.cursor = i;
    update_verdict(app);
}

/// Moves the selection `d` steps (negative: back), within the run so far.
pub fn select_by(app: &mut App, d: i32) {
    let last = app.timeline.len().saturating_sub(1) as i64;
    let i = (app.cursor as i64 + d as i64).clamp(0, last) as usize;
    select(app, i);
}

/// Shows a new world `t` from its first step, forgetting the old one's view state.
pub fn show_world(app: &mut App, t: Timeline) {
    app.timeline = t;
    app.cursor = 0;
    app.screen.diagram_top.set(0);
    app.held_selected = 0;
    app.changed = None;
    app.inspector_scroll = 0;
    app.narration_scroll = 0;
    app.verdict = None;
}

/// While a prediction waits: how many steps the learner may see.
pub fn gate(app: &App) -> Option<usize> {
    app.lesson.as_ref().and_then(|l| l.gate)
}

/// Stops play and says why the next step is held back.
pub fn gated_notice(app: &mut App) {
    let n = app.lesson.as_ref().map_or(0, |l| l.choice_count());
    app.playing = false;
    app.notify(
        Level::Info,
        format!(
            "The next step is what the question asks about: answer it first (1–{n}), then watch it happen."
        ),
    );
}

/// The next step: an existing one, or a new one the world takes at the end of the run.
pub fn next(app: &mut App) {
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

/// At the end of the run so far: what is holding it up, or what to do next.
pub fn end_of_run_notice(app: &mut App) {
    let held = app.held_count();
    if held > 0 {
        app.notify(
            Level::Info,
            format!(
                "{held} message(s) held at the bus: f forward · x drop · e edit (Tab to the intercept pane to choose)."
            ),
        );
    } else if at_end(app) {
        let msg = if app.timeline.spec.attack.is_some() {
            "End of the attack. d toggles a defense and re-runs it; a picks another attack."
        } else {
            "End of the flow. Home starts over · d changes defenses · a launches an attack · t advances the clock."
        };
        app.notify(Level::Info, msg);
    }
}

pub fn set_tab(app: &mut App, tab: Tab) {
    app.tab = tab;
    app.inspector_scroll = 0;
    if app.presenter {
        app.presenter = false;
        app.notify(
            Level::Info,
            format!(
                "Left presenter mode to show the inspector's {} tab (F returns to it).",
                tab.title()
            ),
        );
    }
}

/// Scrolls the open overlay, or else the focused pane (positive = down).
pub fn scroll(app: &mut App, d: i32) {
    match &mut app.overlay {
        Some(Overlay::Help { scroll }) => {
            *scroll = (*scroll as i32 + d).clamp(0, 500) as u16;
            return;
        }
        Some(Overlay::Matrix { .. }) => {
            menu_move(app, d.signum());
            return;
        }
        _ => {}
    }
    match app.focus {
        Pane::Diagram => select_by(app, d),
        Pane::Inspector => scroll_inspector(app, d),
        Pane::Intercept => menu_move(app, d),
        Pane::Lesson => scroll_lesson(app, d),
        Pane::Narration => scroll_narration(app, d),
    }
}

/// Scrolls the "What happened" pane, from where the last frame drew it up to its
/// last page.
pub fn scroll_narration(app: &mut App, d: i32) {
    let max = app.screen.narration_max_scroll.get().unwrap_or(0);
    let from = app.narration_scroll.min(max);
    app.narration_scroll = (from as i32 + d).clamp(0, max as i32) as u16;
}

/// Scrolls the inspector, from where the last frame drew it up to its last page.
pub fn scroll_inspector(app: &mut App, d: i32) {
    let max = app.screen.inspector_max_scroll.get().unwrap_or(2000);
    let from = app.inspector_scroll.min(max);
    app.inspector_scroll = (from as i32 + d).clamp(0, max as i32) as u16;
}

/// Scrolls the lesson pane; the view stops it at the end of the text it draws.
pub fn scroll_lesson(app: &mut App, d: i32) {
    if let Some(mode) = &app.lesson {
        let s = (mode.scroll.get() as i32 + d).clamp(0, u16::MAX as i32) as u16;
        mode.scroll.set(s);
    }
}

/// Moves the selection in the open list (defenses, attacks, lessons) or among the
/// held messages, wrapping around.
pub fn menu_move(app: &mut App, d: i32) {
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
        Some(Overlay::Attacks { selected }) | Some(Overlay::Matrix { selected }) => {
            *selected = step(*selected, n_attacks)
        }
        Some(Overlay::Lessons { selected }) => *selected = step(*selected, n_lessons),
        _ => {
            let n = app.held_count();
            app.held_selected = step(app.held_selected, n);
        }
    }
}

/// Keeps the held-message selection inside the held list.
pub fn clamp_held(app: &mut App) {
    let n = app.held_count();
    app.held_selected = app.held_selected.min(n.saturating_sub(1));
}

/// At the end of an attack's run, works out the verdict for the banner.
pub fn update_verdict(app: &mut App) {
    app.verdict = None;
    let Some(id) = app.timeline.spec.attack else {
        return;
    };
    if !at_end(app) {
        return;
    }
    app.verdict = attacks::verdict(&id, app.timeline.sim());
}
