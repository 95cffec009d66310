//! Everything the learner (or the event loop) can ask of the UI, and the key map.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::app::{App, Overlay, Pane, Tab};
use super::attacks::MatrixCell;
use super::editor::EditKey;

/// One thing to do. `update` is the only place that acts on these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Next step (taking a new one at the end of the run so far).
    Next,
    Prev,
    First,
    /// Run to the end and select the last step.
    Last,
    /// Select an existing step.
    Select(usize),
    /// Jump to the step that changed at the last rebuild.
    JumpToChange,
    TogglePlay,
    Faster,
    Slower,
    /// Time passing in the event loop, in milliseconds (drives play).
    Tick(u64),
    FocusNext,
    FocusPrev,
    SetTab(Tab),
    NextTab,
    PrevTab,
    /// Scroll the focused pane (positive = down).
    Scroll(i32),
    ToggleHelp,
    OpenDefenses,
    /// Close the open overlay.
    Close,
    /// Move the selection in the open list (defenses, attacks, held messages).
    MenuMove(i32),
    /// Toggle or launch the selected list item.
    MenuActivate,
    /// Set the selected defense to its next (positive) or previous setting.
    MenuValue(i32),
    /// Toggle a defense.
    ToggleDefense(crate::actors::DefenseId),
    CycleProfile,
    AdvanceClock(u64),
    ToggleIntercept,
    ForwardHeld,
    /// Deliver every held message (holding stays on).
    ForwardAllHeld,
    /// Hold only the messages to the next actor (then to everyone again).
    CycleHoldTarget,
    /// Start typing the step number to run to.
    StartRunTo,
    /// A key while the step number is typed (a digit, Backspace, Enter or Esc).
    RunToKey(KeyCode),
    DropHeld,
    EditHeld,
    ReplaySelected,
    Edit(EditKey),
    /// Text pasted into the editor (one bracketed paste, inserted as one edit).
    Paste(String),
    EditSubmit,
    EditFixLength,
    TogglePresenter,
    OpenAttacks,
    LaunchAttack(String),
    /// Back to the happy path from an attack.
    HappyPath,
    /// Save the world (inputs and selected step) as a scenario file (`S`).
    SaveScenario,
    /// Export the world in every format (`E`).
    ExportAll,
    OpenMatrix,
    MatrixCell(MatrixCell),
    MatrixDone,
    Resize(u16, u16),
    Click(u16, u16),
    Wheel {
        x: u16,
        y: u16,
        down: bool,
    },
    /// The lesson list (`L`).
    OpenLessons,
    /// Start or resume a lesson by id or number.
    StartLesson(String),
    /// Leave lesson mode.
    LeaveLesson,
    /// Enter in a lesson: on to the next part (when this one is done).
    LessonContinue,
    /// Back to the previous part.
    LessonBack,
    /// Answer the waiting question with this choice (0-based).
    LessonAnswer(usize),
    /// Show the try's hint.
    LessonHint,
    /// Skip the try.
    LessonSkip,
    /// An attacker console or challenge action.
    Console(super::console::state::ConsoleAction),
    Quit,
}

/// The action a key means in the app's current mode, if any.
pub fn map_key(app: &App, key: KeyEvent) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(key.code, KeyCode::Char('c')) {
        return Some(Action::Quit);
    }
    if app.run_to.is_some() {
        return Some(Action::RunToKey(key.code));
    }
    match &app.overlay {
        Some(Overlay::Editor(_)) => return editor_key(key, ctrl),
        Some(Overlay::Help { .. }) => {
            return match key.code {
                KeyCode::Esc | KeyCode::Char('?') | KeyCode::Enter => Some(Action::Close),
                KeyCode::Char('q') => Some(Action::Quit),
                KeyCode::Up | KeyCode::Char('k') => Some(Action::Scroll(-1)),
                KeyCode::Down | KeyCode::Char('j') => Some(Action::Scroll(1)),
                KeyCode::PageUp => Some(Action::Scroll(-10)),
                KeyCode::PageDown | KeyCode::Char(' ') => Some(Action::Scroll(10)),
                _ => None,
            };
        }
        Some(Overlay::Defenses { .. }) => {
            return match key.code {
                KeyCode::Right | KeyCode::Char('l') => Some(Action::MenuValue(1)),
                KeyCode::Left | KeyCode::Char('h') => Some(Action::MenuValue(-1)),
                KeyCode::Char('p') => Some(Action::CycleProfile),
                code => list_key(code, 'd'),
            };
        }
        Some(Overlay::Attacks { .. }) => {
            return match key.code {
                KeyCode::Char('h') | KeyCode::Char('0') => Some(Action::HappyPath),
                code => list_key(code, 'a'),
            };
        }
        Some(Overlay::Matrix { .. }) => {
            // The matrix runs a row on Enter only, and has no help of its own.
            return match key.code {
                KeyCode::Char(' ') | KeyCode::Char('?') => None,
                code => list_key(code, 'm'),
            };
        }
        Some(Overlay::Lessons { .. }) => {
            return match key.code {
                KeyCode::Char('x') if app.lesson.is_some() => Some(Action::LeaveLesson),
                code => list_key(code, 'L'),
            };
        }
        Some(Overlay::Console(w)) => {
            return console_meaning(super::console::keys::window_key(app, w, key));
        }
        Some(Overlay::Welcome) | None => {}
    }
    if let Some(action) = lesson_key(app, key) {
        return Some(action);
    }
    if let Some(action) = console_meaning(super::console::keys::pane_key(app, key)) {
        return Some(action);
    }
    let in_diagram = app.focus == Pane::Diagram;
    let in_held = app.focus == Pane::Intercept;
    Some(match key.code {
        KeyCode::Right | KeyCode::Char('l') => Action::Next,
        KeyCode::Left | KeyCode::Char('h') => Action::Prev,
        KeyCode::Down | KeyCode::Char('j') if in_diagram => Action::Next,
        KeyCode::Up | KeyCode::Char('k') if in_diagram => Action::Prev,
        KeyCode::Down | KeyCode::Char('j') if in_held => Action::MenuMove(1),
        KeyCode::Up | KeyCode::Char('k') if in_held => Action::MenuMove(-1),
        KeyCode::Down | KeyCode::Char('j') => Action::Scroll(1),
        KeyCode::Up | KeyCode::Char('k') => Action::Scroll(-1),
        KeyCode::PageDown => Action::Scroll(10),
        KeyCode::PageUp => Action::Scroll(-10),
        KeyCode::Home | KeyCode::Char('g') => Action::First,
        KeyCode::End | KeyCode::Char('G') => Action::Last,
        KeyCode::Char(' ') => Action::TogglePlay,
        KeyCode::Char('+') | KeyCode::Char('=') => Action::Faster,
        KeyCode::Char('-') | KeyCode::Char('_') => Action::Slower,
        KeyCode::Tab => Action::FocusNext,
        KeyCode::BackTab => Action::FocusPrev,
        KeyCode::Char('1') => Action::SetTab(Tab::Raw),
        KeyCode::Char('2') => Action::SetTab(Tab::Params),
        KeyCode::Char('3') => Action::SetTab(Tab::Tokens),
        KeyCode::Char('4') => Action::SetTab(Tab::Pkce),
        KeyCode::Char('5') => Action::SetTab(Tab::State),
        KeyCode::Char(']') => Action::NextTab,
        KeyCode::Char('[') => Action::PrevTab,
        KeyCode::Char('d') => Action::OpenDefenses,
        KeyCode::Char('c') => Action::JumpToChange,
        KeyCode::Char('p') => Action::CycleProfile,
        KeyCode::Char('t') => Action::AdvanceClock(60),
        KeyCode::Char('T') => Action::AdvanceClock(600),
        KeyCode::Char('i') => Action::ToggleIntercept,
        KeyCode::Char('f') => Action::ForwardHeld,
        KeyCode::Char('w') => Action::ForwardAllHeld,
        KeyCode::Char('o') => Action::CycleHoldTarget,
        KeyCode::Char('u') => Action::StartRunTo,
        KeyCode::Char('x') => Action::DropHeld,
        KeyCode::Char('e') => Action::EditHeld,
        KeyCode::Char('r') => Action::ReplaySelected,
        KeyCode::Char('F') => Action::TogglePresenter,
        KeyCode::Char('a') => Action::OpenAttacks,
        KeyCode::Char('m') => Action::OpenMatrix,
        KeyCode::Char('?') => Action::ToggleHelp,
        KeyCode::Char('L') => Action::OpenLessons,
        KeyCode::Char('S') => Action::SaveScenario,
        KeyCode::Char('E') => Action::ExportAll,
        KeyCode::Esc => Action::Close,
        KeyCode::Enter if app.overlay.is_some() => Action::Close,
        KeyCode::Char('q') => Action::Quit,
        _ => return None,
    })
}

/// The keys every list overlay (defenses, attacks, matrix, lessons) shares: Esc or the
/// key that opened it closes it, `q` quits, ↑↓ (`k` `j`) move, Enter or Space act on
/// the selected row, `?` opens the help.
fn list_key(code: KeyCode, opened_by: char) -> Option<Action> {
    match code {
        KeyCode::Esc => Some(Action::Close),
        KeyCode::Char(c) if c == opened_by => Some(Action::Close),
        KeyCode::Char('q') => Some(Action::Quit),
        KeyCode::Up | KeyCode::Char('k') => Some(Action::MenuMove(-1)),
        KeyCode::Down | KeyCode::Char('j') => Some(Action::MenuMove(1)),
        KeyCode::Enter | KeyCode::Char(' ') => Some(Action::MenuActivate),
        KeyCode::Char('?') => Some(Action::ToggleHelp),
        _ => None,
    }
}

/// The action a console key means.
fn console_meaning(m: Option<super::console::keys::Meaning>) -> Option<Action> {
    use super::console::keys::Meaning;
    m.map(|m| match m {
        Meaning::Console(a) => Action::Console(a),
        Meaning::Quit => Action::Quit,
        Meaning::Help => Action::ToggleHelp,
    })
}

/// The keys of lesson mode, which come before the others: Enter, Backspace, the
/// choices of a waiting question, and `h` / `s` in a try.
fn lesson_key(app: &App, key: KeyEvent) -> Option<Action> {
    let mode = app.lesson.as_ref()?;
    match key.code {
        KeyCode::Enter => Some(Action::LessonContinue),
        KeyCode::Backspace => Some(Action::LessonBack),
        KeyCode::Char(c @ '1'..='9') if mode.is_asking() => {
            Some(Action::LessonAnswer(c as usize - '1' as usize))
        }
        KeyCode::Char(c @ 'a'..='z') if mode.is_asking() => {
            let i = c as usize - 'a' as usize;
            (i < mode.choice_count()).then_some(Action::LessonAnswer(i))
        }
        KeyCode::Char('h') if mode.is_trying() => Some(Action::LessonHint),
        KeyCode::Char('s') if mode.is_trying() => Some(Action::LessonSkip),
        KeyCode::Down | KeyCode::Char('j') if app.focus == Pane::Lesson => Some(Action::Scroll(1)),
        KeyCode::Up | KeyCode::Char('k') if app.focus == Pane::Lesson => Some(Action::Scroll(-1)),
        KeyCode::PageDown if app.focus == Pane::Lesson => Some(Action::Scroll(5)),
        KeyCode::PageUp if app.focus == Pane::Lesson => Some(Action::Scroll(-5)),
        _ => None,
    }
}

fn editor_key(key: KeyEvent, ctrl: bool) -> Option<Action> {
    if ctrl {
        return match key.code {
            KeyCode::Char('s') | KeyCode::Char('d') => Some(Action::EditSubmit),
            KeyCode::Char('l') => Some(Action::EditFixLength),
            KeyCode::Char('q') => Some(Action::Close),
            _ => None,
        };
    }
    match key.code {
        KeyCode::Esc => Some(Action::Close),
        KeyCode::F(2) => Some(Action::EditSubmit),
        code => EditKey::from_code(code).map(Action::Edit),
    }
}
