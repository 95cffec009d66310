//! The views: `impl Widget for &App` lays the panes out and draws each from the app's
//! state (the UI is a view over the trace). They import the state and pure helpers,
//! never a handler; what they clamp when drawing, and where they drew, they leave in
//! the app's [`Screen`](super::screen::Screen).

pub mod chrome;
pub mod clock;
pub mod console;
pub mod console_banner;
pub mod console_challenge;
pub mod console_windows;
pub mod diagram;
pub mod inspector;
pub mod intercept;
pub mod layout;
pub mod lesson;
pub mod matrix;
pub mod narration;
pub mod overlays;
pub mod util;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::app::{App, MIN_HEIGHT, MIN_WIDTH, Overlay};
use super::screen::{Areas, Drawn, StepRows};

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            chrome::too_small(area, buf);
            return;
        }
        let a = layout::areas_in(self, area);
        let rows = layout::step_rows(self, a.diagram);
        chrome::title(self, a.title, buf);
        if let Some(b) = a.banner {
            if self.verdict.is_some() {
                chrome::banner(self, b, buf);
            } else {
                console_banner::render(self, b, buf);
            }
        }
        diagram::render(self, a.diagram, &rows, buf);
        let inspector_max = match (a.inspector, a.tabs) {
            (Some(r), Some(_)) if self.console.open => {
                console::render(self, r, buf);
                None
            }
            (Some(r), Some(tabs)) => inspector::render(self, r, tabs, buf),
            _ => None,
        };
        if let Some(r) = a.intercept {
            intercept::render(self, r, buf);
        }
        let narration_max =
            (a.narration.height > 0).then(|| narration::render(self, a.narration, buf));
        let lesson_scroll = a
            .lesson
            .map(|r| lesson::render(self, r, a.narration.height == 0, buf));
        chrome::status(self, a.status, buf);
        if area == Rect::new(0, 0, self.size.0, self.size.1) {
            remember(self, a, rows, lesson_scroll, inspector_max);
            self.screen.narration_max_scroll.set(narration_max);
        }
        match &self.overlay {
            None => {}
            Some(Overlay::Welcome) => overlays::welcome(area, buf),
            Some(Overlay::Help { scroll }) => {
                overlays::help(*scroll, self.timeline.is_live(), area, buf)
            }
            Some(Overlay::Defenses { selected }) => overlays::defenses(self, *selected, area, buf),
            Some(Overlay::Attacks { selected }) => overlays::attacks(self, *selected, area, buf),
            Some(Overlay::Matrix { selected }) => matrix::render(self, *selected, area, buf),
            Some(Overlay::Editor(ed)) => overlays::editor(ed, area, buf),
            Some(Overlay::Lessons { selected }) => lesson::list(self, *selected, area, buf),
            Some(Overlay::Console(w)) => console_windows::render(self, w, area, buf),
        }
    }
}

/// Writes back what this frame clamped (the diagram's first step, the lesson pane's
/// scroll, the inspector's last page) and records where it drew the panes, steps and
/// tabs, for the handlers.
fn remember(
    app: &App,
    areas: Areas,
    steps: StepRows,
    lesson_scroll: Option<u16>,
    inspector_max: Option<u16>,
) {
    app.screen.diagram_top.set(steps.top);
    app.screen.inspector_max_scroll.set(inspector_max);
    if let (Some(mode), Some(s)) = (&app.lesson, lesson_scroll) {
        mode.scroll.set(s);
    }
    let tabs = areas
        .tabs
        .map(|t| layout::tab_spans(t, app.tab).0)
        .unwrap_or_default();
    app.screen.record(Drawn { areas, steps, tabs });
}

/// The screen as plain text, one line per row with trailing spaces removed (for
/// snapshots, the end-to-end test and the README).
pub fn buffer_text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut line = String::new();
        let mut skip = 0;
        for x in area.left()..area.right() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf.cell((x, y)).map(|c| c.symbol()).unwrap_or(" ");
            line.push_str(sym);
            skip = util::width(sym).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
