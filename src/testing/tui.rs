//! The terminal UI in tests: key events, the app launched at a given size, key
//! sequences, and the screen as text.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::tui::app::App;
use crate::tui::{Action, press, render_to_text, update};

/// A key without modifiers.
pub fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// A character key without modifiers.
pub fn ch(c: char) -> KeyEvent {
    key(KeyCode::Char(c))
}

/// A character key with Ctrl.
pub fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// The app as the program launches it, at `w` × `h` (the welcome still open).
pub fn launch_at(w: u16, h: u16) -> App {
    let mut app = App::default_launch();
    update(&mut app, Action::Resize(w, h));
    app
}

/// The app as the program launches it, at 120 × 40.
pub fn launch() -> App {
    launch_at(120, 40)
}

/// The app as the program launches it (120 × 40), saving progress, scenarios and
/// exports under `dir`.
pub fn launch_saving_to(dir: &std::path::Path) -> App {
    let mut app = launch();
    app.library = crate::tui::lesson::Library::with_store(crate::lesson::ProgressStore::new(Some(
        dir.to_path_buf(),
    )));
    app
}

/// Presses `k`, then runs the file writes it queued (as the event loop does).
pub fn press_and_save(app: &mut App, k: KeyEvent) {
    press(app, k);
    crate::tui::tasks::perform_saves(app);
}

/// Presses each key of `seq` in order.
pub fn keys(app: &mut App, seq: &[KeyEvent]) {
    for k in seq {
        press(app, *k);
    }
}

/// Presses `code` `n` times.
pub fn press_n(app: &mut App, code: KeyCode, n: usize) {
    for _ in 0..n {
        press(app, key(code));
    }
}

/// The screen at the app's size, as text.
pub fn screen(app: &App) -> String {
    render_to_text(app, app.size.0, app.size.1)
}

/// The inspector's selected tab, every line of it (not only what the pane shows),
/// wrapped to `width`, as text.
pub fn inspector_text(app: &App, width: usize) -> String {
    crate::tui::view::inspector::tab_lines(app, width)
        .iter()
        .map(|l| {
            l.spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Opens the attack picker, selects attack `id` and runs it to the end.
pub fn launch_attack(app: &mut App, id: &str) {
    press(app, ch('a'));
    let i = app
        .catalog
        .iter()
        .position(|a| a.id == id)
        .unwrap_or_else(|| panic!("{id} is in the catalog"));
    press_n(app, KeyCode::Down, i);
    keys(app, &[key(KeyCode::Enter), key(KeyCode::End)]);
}

/// Replaces the body of the message open in the intercept editor with `body`, keeping
/// its start line and headers (the blank line after them stays).
pub fn replace_editor_body(app: &mut App, body: &str) {
    if let Some(crate::tui::app::Overlay::Editor(ed)) = &mut app.overlay {
        let blank = ed
            .lines
            .iter()
            .position(|l| l.is_empty())
            .expect("a message has a blank line after its headers");
        ed.lines.truncate(blank + 1);
        ed.lines.push(body.to_string());
    }
}
