//! The console's keys: in its windows, in its pane, and in a challenge.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::state::{ConsoleAction as C, Section, Window};
use crate::tui::app::{App, Pane};
use crate::tui::editor::EditKey;

/// What a key means to the console: one of its actions, or one of the app's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meaning {
    Console(C),
    Quit,
    Help,
}

fn act(a: C) -> Option<Meaning> {
    Some(Meaning::Console(a))
}

/// The action a key means in a console window.
pub fn window_key(app: &App, window: &Window, key: KeyEvent) -> Option<Meaning> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match window {
        Window::Compose(c) if c.picker.is_some() => match key.code {
            KeyCode::Esc => act(C::Close),
            KeyCode::Up => act(C::Move(-1)),
            KeyCode::Down => act(C::Move(1)),
            KeyCode::Enter => act(C::Activate),
            _ => None,
        },
        Window::Compose(c) if c.typing.is_some() => match key.code {
            KeyCode::Esc => act(C::Close),
            KeyCode::Enter => act(C::Activate),
            KeyCode::Backspace => act(C::Edit(EditKey::Backspace)),
            KeyCode::Char(ch) if !ctrl => act(C::Edit(EditKey::Char(ch))),
            _ => None,
        },
        Window::Compose(_) => compose_key(key, ctrl),
        Window::Positions { .. } => match key.code {
            KeyCode::Esc | KeyCode::Char('A') => act(C::Close),
            KeyCode::Char('q') => Some(Meaning::Quit),
            KeyCode::Up | KeyCode::Char('k') => act(C::Move(-1)),
            KeyCode::Down | KeyCode::Char('j') => act(C::Move(1)),
            KeyCode::Enter | KeyCode::Char(' ') => act(C::Activate),
            KeyCode::Char('?') => Some(Meaning::Help),
            _ => None,
        },
        Window::HintAsk => match key.code {
            KeyCode::Char('y') | KeyCode::Char('Y') => act(C::HintYes),
            KeyCode::Char('q') => Some(Meaning::Quit),
            _ => act(C::Close),
        },
        Window::Briefing { .. } | Window::Debrief { .. } => match key.code {
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('B') => act(C::Close),
            KeyCode::Char('q') => Some(Meaning::Quit),
            KeyCode::Up | KeyCode::Char('k') => act(C::Scroll(-1)),
            KeyCode::Down | KeyCode::Char('j') => act(C::Scroll(1)),
            KeyCode::PageUp => act(C::Scroll(-10)),
            KeyCode::PageDown | KeyCode::Char(' ') => act(C::Scroll(10)),
            KeyCode::Char('H') if app.challenge.is_some() => act(C::Hint),
            KeyCode::Char('f') if matches!(window, Window::Debrief { .. }) => act(C::ShowFixed),
            _ => None,
        },
    }
}

/// The compose window: the editor's keys, plus the fields and sending.
fn compose_key(key: KeyEvent, ctrl: bool) -> Option<Meaning> {
    if ctrl {
        return match key.code {
            KeyCode::Char('s') | KeyCode::Char('d') => act(C::Send),
            KeyCode::Char('l') => act(C::FixLength),
            KeyCode::Char('n') => act(C::Field(1)),
            KeyCode::Char('p') => act(C::Field(-1)),
            KeyCode::Char('f') => act(C::Pick),
            KeyCode::Char('e') => act(C::TypeField),
            KeyCode::Char('r') => act(C::Reset),
            KeyCode::Char('q') => act(C::Close),
            _ => None,
        };
    }
    match key.code {
        KeyCode::Esc => act(C::Close),
        KeyCode::F(2) => act(C::Send),
        KeyCode::F(3) => act(C::Pick),
        KeyCode::F(4) => act(C::TypeField),
        KeyCode::Tab => act(C::Field(1)),
        KeyCode::BackTab => act(C::Field(-1)),
        code => EditKey::from_code(code).and_then(|k| act(C::Edit(k))),
    }
}

/// The keys of the console pane and of a challenge, which come before the others while
/// no window is open: `A` everywhere; `B`, `H`, `D` in a challenge; and, while the
/// pane is open, its lists (↑↓ Enter, `1` `2` `[` `]`) and `P`.
pub fn pane_key(app: &App, key: KeyEvent) -> Option<Meaning> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return None;
    }
    match key.code {
        KeyCode::Char('A') => return act(C::Toggle),
        KeyCode::Char('B') if app.challenge.is_some() => return act(C::Briefing),
        KeyCode::Char('H') if app.challenge.is_some() => return act(C::Hint),
        KeyCode::Char('D') if app.challenge.is_some() => return act(C::Debrief),
        _ => {}
    }
    if !app.console.open || matches!(app.focus, Pane::Intercept | Pane::Lesson) {
        return None;
    }
    match key.code {
        KeyCode::Up | KeyCode::Char('k') => act(C::Move(-1)),
        KeyCode::Down | KeyCode::Char('j') => act(C::Move(1)),
        KeyCode::Enter => act(C::Activate),
        KeyCode::Char('1') => act(C::Section(Section::Loot)),
        KeyCode::Char('2') => act(C::Section(Section::Compose)),
        KeyCode::Char('[') | KeyCode::Char(']') => act(C::Section(match app.console.section {
            Section::Loot => Section::Compose,
            Section::Compose => Section::Loot,
        })),
        KeyCode::Char('P') if app.challenge.is_none() => act(C::ChoosePosition),
        _ => None,
    }
}
