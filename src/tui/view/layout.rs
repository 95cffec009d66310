//! Where each pane goes: pure functions of the app and the screen size. The render pass
//! records the result in the app's [`Screen`](crate::tui::screen::Screen), where the
//! mouse handlers look positions up.

use ratatui::layout::{Direction, Rect};

use crate::tui::app::{App, Tab};
use crate::tui::screen::{Areas, StepRows};

/// The fewest rows the lesson pane takes when a "What happened" pane shares its room.
const LESSON_MIN_H: u16 = 9;

/// Columns of the diagram's left gutter: marker, step number, space.
pub const GUTTER: u16 = 5;

/// Rows each step takes in the diagram (label row and arrow row; a spacer in presenter mode).
pub fn rows_per_step(app: &App) -> u16 {
    if app.presenter { 3 } else { 2 }
}

/// `r` cut in two: its first `at` columns (`Horizontal`) or rows (`Vertical`), and the
/// rest.
fn cut(r: Rect, direction: Direction, at: u16) -> (Rect, Rect) {
    let (mut first, mut rest) = (r, r);
    match direction {
        Direction::Horizontal => {
            first.width = at;
            rest.x += at;
            rest.width -= at;
        }
        Direction::Vertical => {
            first.height = at;
            rest.y += at;
            rest.height -= at;
        }
    }
    (first, rest)
}

fn shows_intercept(app: &App) -> bool {
    app.is_intercepting() || app.held_count() > 0
}

/// Diagram and inspector side by side, unless the screen is narrow and tall enough to
/// stack them (the diagram needs height more than width).
fn side_by_side(area: Rect) -> bool {
    area.width >= 100 || area.height < 36
}

/// The areas for a screen of `area` (at least 80×24; smaller screens show a notice).
pub fn areas_in(app: &App, area: Rect) -> Areas {
    let title = Rect {
        height: area.height.min(1),
        ..area
    };
    let status = Rect {
        y: area.bottom().saturating_sub(1),
        height: area.height.min(1),
        ..area
    };
    let mut top = area.y + 1;
    let bottom = area.bottom().saturating_sub(1);
    let banner = (app.verdict.is_some() || super::console_banner::wanted(app)).then(|| {
        let r = Rect::new(area.x, top, area.width, 3.min(bottom.saturating_sub(top)));
        top += r.height;
        r
    });
    let avail = bottom.saturating_sub(top);
    // Lesson mode: the lesson pane leads, above a smaller "what happened" pane.
    let (lesson, bottom, avail) = if app.lesson.is_some() {
        let step_h = if app.presenter {
            0
        } else if area.height >= 40 {
            5
        } else if area.height >= 30 {
            4
        } else {
            0
        };
        let share = if app.presenter || area.height < 30 {
            50
        } else {
            45
        };
        let share_h = (avail.saturating_sub(step_h) * share / 100)
            .max(9)
            .min(avail.saturating_sub(step_h) / 2 + 2);
        // The lesson pane and "What happened" share the bottom: the lesson pane takes
        // what its text needs (up to its share), "What happened" what its text needs
        // of the rest, and the diagram above gets what neither needs.
        let (lesson_h, step_h) = if step_h == 0 {
            (share_h, 0)
        } else {
            let bottom_h = share_h + step_h;
            let lesson_need = super::lesson::height_needed(app, area.width);
            let lesson_h = lesson_need.clamp(share_h.min(LESSON_MIN_H), share_h);
            let narration_need =
                super::narration::height_needed(app, area.width.saturating_sub(2)) + 2;
            (lesson_h, narration_need.clamp(step_h, bottom_h - lesson_h))
        };
        let r = Rect::new(
            area.x,
            bottom.saturating_sub(step_h + lesson_h),
            area.width,
            lesson_h.min(avail),
        );
        let narration = Rect::new(area.x, bottom - step_h, area.width, step_h);
        let middle_h = avail.saturating_sub(step_h + lesson_h);
        (Some((r, narration)), top + middle_h, middle_h)
    } else {
        (None, bottom, avail)
    };
    let narration_h = if lesson.is_some() {
        0
    } else if app.presenter {
        (avail / 3).max(8)
    } else {
        // The pane grows to fit a long narration (a notice plus the step's notes), up
        // to two fifths of the room, so that nothing is cut off unseen.
        let base = if area.height >= 40 { 7 } else { 6 };
        let needed = super::narration::height_needed(app, area.width.saturating_sub(2)) + 2;
        needed.clamp(base, (avail * 2 / 5).max(base))
    }
    .min(avail / 2);
    let narration = match lesson {
        Some((_, n)) => n,
        None => Rect::new(area.x, bottom - narration_h, area.width, narration_h),
    };
    let lesson = lesson.map(|(r, _)| r);
    let middle = Rect::new(area.x, top, area.width, avail - narration_h);
    let intercept_on = shows_intercept(app);

    if app.presenter {
        let (diagram, intercept) = if intercept_on {
            let w = (middle.width / 3).max(30).min(middle.width / 2);
            (
                Rect {
                    width: middle.width - w,
                    ..middle
                },
                Some(Rect {
                    x: middle.right() - w,
                    width: w,
                    ..middle
                }),
            )
        } else {
            (middle, None)
        };
        return Areas {
            title,
            banner,
            diagram,
            inspector: None,
            tabs: None,
            intercept,
            narration,
            lesson,
            status,
        };
    }

    let side_by_side = side_by_side(area);
    let (diagram, mut right) = if side_by_side {
        cut(middle, Direction::Horizontal, middle.width * 11 / 20)
    } else {
        cut(middle, Direction::Vertical, middle.height / 2)
    };
    let intercept = intercept_on.then(|| {
        if side_by_side {
            let h = (right.height / 3).clamp(5, 9).min(right.height / 2);
            right.height -= h;
            Rect {
                y: right.bottom(),
                height: h,
                ..right
            }
        } else {
            let w = (right.width * 2 / 5).max(30).min(right.width / 2);
            right.width -= w;
            Rect {
                x: right.right(),
                width: w,
                ..right
            }
        }
    });
    let tabs = Rect::new(
        right.x + 1,
        right.y + 1,
        right.width.saturating_sub(2),
        right.height.saturating_sub(2).min(1),
    );
    Areas {
        title,
        banner,
        diagram,
        inspector: Some(right),
        tabs: Some(tabs),
        intercept,
        narration,
        lesson,
        status,
    }
}

/// The diagram's body: inside the border, below the lane header.
pub fn diagram_body(diagram: Rect) -> Rect {
    Rect::new(
        diagram.x + 1,
        diagram.y + 2,
        diagram.width.saturating_sub(2),
        diagram.height.saturating_sub(3),
    )
}

/// How many steps fit in a diagram body (one row is kept for the "next" hint).
pub fn steps_fitting(app: &App, body: Rect) -> usize {
    (body.height.saturating_sub(1) / rows_per_step(app)).max(1) as usize
}

/// The steps the diagram in `diagram` shows: from the app's remembered first step,
/// moved as little as possible to keep the selected step in sight.
pub fn step_rows(app: &App, diagram: Rect) -> StepRows {
    let body = diagram_body(diagram);
    let visible = steps_fitting(app, body);
    let top = window_top(
        app.screen.diagram_top.get(),
        app.cursor,
        visible,
        app.timeline.len(),
    );
    StepRows {
        body,
        top,
        visible,
        rows_per_step: rows_per_step(app),
    }
}

/// The first step to show so that `cursor` is visible, moving `top` as little as
/// possible, and never leaving room below the last of `len` steps while earlier ones
/// are hidden (after the window grows).
pub fn window_top(top: usize, cursor: usize, visible: usize, len: usize) -> usize {
    let visible = visible.max(1);
    let top = top.min(len.saturating_sub(visible));
    if cursor < top {
        cursor
    } else if cursor >= top + visible {
        cursor + 1 - visible
    } else {
        top
    }
}

/// A tab's title as the tab bar shows it: `[2 Params]` when selected, ` 1 Raw ` when
/// not; on a narrow bar (80 columns) the short forms `1 Raw│[2 Par]│3 Tok…`, so that
/// all five stay visible.
pub fn tab_text(tab: Tab, selected: bool, compact: bool) -> String {
    let n = tab.index() + 1;
    let title = if compact {
        tab.short_title()
    } else {
        tab.title()
    };
    match (selected, compact) {
        (true, _) => format!("[{n} {title}]"),
        (false, false) => format!(" {n} {title} "),
        (false, true) => format!("{n} {title}"),
    }
}

/// Whether the tab bar of `tabs` needs the short titles.
fn compact_tabs(tabs: Rect) -> bool {
    let full: usize = Tab::ALL
        .iter()
        .map(|t| super::util::width(&tab_text(*t, false, false)) + 1)
        .sum();
    full > tabs.width as usize
}

/// The x ranges of the tab titles in the tab bar (each followed by a `│`), and whether
/// they are the short ones.
pub fn tab_spans(tabs: Rect, selected: Tab) -> (Vec<(Tab, u16, u16)>, bool) {
    let compact = compact_tabs(tabs);
    let mut x = tabs.x;
    let mut out = Vec::new();
    for t in Tab::ALL {
        let w = super::util::width(&tab_text(t, t == selected, compact)) as u16;
        out.push((t, x, x + w));
        x += w + 1;
    }
    (out, compact)
}
