//! What the last frame drew, and where: the render pass writes it, handlers read it.
//!
//! No handler computes a layout. The views clamp what they draw (the diagram's first
//! step, the lesson pane's scroll) and write the clamped value back, and they record
//! where each pane, step and tab went, so that a mouse click lands on the frame the
//! learner saw. Only a frame drawn at the app's own screen size is remembered (a
//! preview at another size leaves this alone).

use std::cell::{Cell, RefCell};

use ratatui::layout::Rect;

use super::panes::Tab;

/// The panes of one screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub title: Rect,
    /// The verdict banner of an attack, when there is one.
    pub banner: Option<Rect>,
    /// The diagram block, borders included.
    pub diagram: Rect,
    /// The inspector block (absent in presenter mode).
    pub inspector: Option<Rect>,
    /// The inspector's tab bar (one row).
    pub tabs: Option<Rect>,
    /// The held-messages pane (intercept mode).
    pub intercept: Option<Rect>,
    pub narration: Rect,
    /// The lesson pane (lesson mode).
    pub lesson: Option<Rect>,
    pub status: Rect,
}

pub fn contains(r: Rect, x: u16, y: u16) -> bool {
    x >= r.x && x < r.right() && y >= r.y && y < r.bottom()
}

/// The window of steps the diagram showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepRows {
    /// The diagram's body: inside the border, below the lane header.
    pub body: Rect,
    /// The first step shown.
    pub top: usize,
    /// How many steps fit.
    pub visible: usize,
    /// Screen rows per step.
    pub rows_per_step: u16,
}

/// One frame's geometry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    pub areas: Areas,
    pub steps: StepRows,
    /// Each tab title's x range in the tab bar.
    pub tabs: Vec<(Tab, u16, u16)>,
}

impl Drawn {
    /// The step drawn at (x, y), if any, in a run of `len` steps.
    pub fn step_at(&self, len: usize, x: u16, y: u16) -> Option<usize> {
        let s = &self.steps;
        if !contains(s.body, x, y) {
            return None;
        }
        let i = s.top + ((y - s.body.y) / s.rows_per_step.max(1)) as usize;
        (i < len && i < s.top + s.visible).then_some(i)
    }

    /// The tab under (x, y), if any.
    pub fn tab_at(&self, x: u16, y: u16) -> Option<Tab> {
        let tabs = self.areas.tabs?;
        if y != tabs.y || !contains(tabs, x, y) {
            return None;
        }
        self.tabs
            .iter()
            .find(|(_, a, b)| x >= *a && x < *b)
            .map(|(t, _, _)| *t)
    }

    /// Whether (x, y) is in the pane `pick` chooses.
    pub fn in_pane(&self, pick: impl Fn(&Areas) -> Option<Rect>, x: u16, y: u16) -> bool {
        pick(&self.areas).is_some_and(|r| contains(r, x, y))
    }
}

/// The render pass's memory, kept in the app.
#[derive(Debug, Default)]
pub struct Screen {
    /// The first step the diagram shows; the view keeps the selected step in sight
    /// and writes the result back (a handler only resets it for a new world).
    pub diagram_top: Cell<usize>,
    /// The furthest the inspector could scroll in the last frame (`None` before the
    /// first): the view stops its scroll there, so a shorter step never draws blank.
    pub inspector_max_scroll: Cell<Option<u16>>,
    /// The furthest the "What happened" pane could scroll in the last frame (`None`
    /// before the first, or when no such pane was drawn).
    pub narration_max_scroll: Cell<Option<u16>>,
    last: RefCell<Option<Drawn>>,
}

impl Screen {
    pub fn record(&self, drawn: Drawn) {
        *self.last.borrow_mut() = Some(drawn);
    }

    /// The last frame drawn at the app's size (`None` before the first).
    pub fn last(&self) -> Option<Drawn> {
        self.last.borrow().clone()
    }
}
