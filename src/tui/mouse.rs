//! The mouse: a click selects a step or a tab or focuses a pane; the wheel scrolls what
//! it is over. Positions are looked up in the frame last drawn ([`super::screen`]): the
//! learner clicks on what they see.

use super::app::{App, Pane};
use super::nav::{
    scroll, scroll_inspector, scroll_lesson, scroll_narration, select, select_by, set_tab,
};

/// Mouse click: select a step in the diagram, a tab in the inspector, or focus a pane.
pub fn click(app: &mut App, x: u16, y: u16) {
    if app.overlay.is_some() || app.too_small() {
        return;
    }
    let Some(drawn) = app.screen.last() else {
        return;
    };
    if let Some(i) = drawn.step_at(app.timeline.len(), x, y) {
        app.focus = Pane::Diagram;
        select(app, i);
    } else if let Some(tab) = drawn.tab_at(x, y) {
        app.focus = Pane::Inspector;
        set_tab(app, tab);
    } else if drawn.in_pane(|a| a.inspector, x, y) {
        app.focus = Pane::Inspector;
    } else if drawn.in_pane(|a| a.intercept, x, y) {
        app.focus = Pane::Intercept;
    } else if drawn.in_pane(|a| a.lesson, x, y) {
        app.focus = Pane::Lesson;
    } else if drawn.in_pane(|a| Some(a.narration), x, y) {
        app.focus = Pane::Narration;
    }
}

/// Mouse wheel: scroll the open overlay, or the pane under the pointer.
pub fn wheel(app: &mut App, x: u16, y: u16, down: bool) {
    if app.too_small() {
        return;
    }
    let d = if down { 1 } else { -1 };
    if app.overlay.is_some() {
        scroll(app, d * 3);
        return;
    }
    let Some(drawn) = app.screen.last() else {
        return;
    };
    if drawn.in_pane(|a| a.inspector, x, y) {
        scroll_inspector(app, d * 3);
    } else if drawn.in_pane(|a| a.lesson, x, y) {
        scroll_lesson(app, d * 2);
    } else if drawn.in_pane(|a| Some(a.narration), x, y) {
        scroll_narration(app, d * 2);
    } else if drawn.in_pane(|a| Some(a.diagram), x, y) {
        select_by(app, d);
    }
}
