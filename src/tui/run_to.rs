//! Run to step N (intercept mode): the learner types a step number after `u`; the
//! world then moves on, forwarding each held message as a recorded learner input, until
//! the run has that step or nothing moves. Intercept stays on afterwards.

use crossterm::event::KeyCode;

use super::app::{App, Level};
use super::nav::{clamp_held, select};
use crate::sim::LearnerInput;

/// Longest step number the prompt takes.
const MAX_DIGITS: usize = 4;

/// Starts the prompt (intercept mode only).
pub fn start(app: &mut App) {
    if !app
        .intercepting_or_notify("Run to step N is part of intercept mode: press i first, then u.")
    {
        return;
    }
    app.run_to = Some(String::new());
    show_prompt(app);
}

/// A key while the number is typed: digits, Backspace, Enter runs, Esc cancels.
pub fn key(app: &mut App, code: KeyCode) {
    let Some(typed) = app.run_to.as_mut() else {
        return;
    };
    match code {
        KeyCode::Char(c) if c.is_ascii_digit() && typed.len() < MAX_DIGITS => typed.push(c),
        KeyCode::Backspace => {
            typed.pop();
        }
        KeyCode::Esc => {
            app.run_to = None;
            app.notify(Level::Info, "Run to step: cancelled.");
            return;
        }
        KeyCode::Enter => {
            let typed = app.run_to.take().unwrap_or_default();
            match typed.parse::<usize>() {
                Ok(n) => run_to(app, n),
                Err(_) => app.notify(Level::Info, "Run to step: no number typed, nothing ran."),
            }
            return;
        }
        _ => {}
    }
    show_prompt(app);
}

fn show_prompt(app: &mut App) {
    let typed = app.run_to.clone().unwrap_or_default();
    app.notify(
        Level::Info,
        format!("Run to step: {typed}▏ (type the step number; Enter runs, Esc cancels)"),
    );
}

/// Moves the world on until step `n` exists, forwarding the earliest held message
/// whenever nothing else can move.
fn run_to(app: &mut App, n: usize) {
    let mut forwarded = 0usize;
    while app.timeline.len() <= n {
        if app.timeline.advance() {
            continue;
        }
        let Some(id) = app.timeline.sim().held().first().map(|e| e.id) else {
            break;
        };
        if let Err(e) = app.timeline.apply(LearnerInput::Forward { id }) {
            app.notify(Level::Problem, e.to_string());
            return;
        }
        forwarded += 1;
    }
    clamp_held(app);
    let last = app.timeline.len().saturating_sub(1);
    select(app, last.min(n));
    let reached = if app.timeline.len() > n {
        format!("Ran to step {n}")
    } else {
        format!("The run stopped at step {last} before step {n}")
    };
    app.notify(
        Level::Changed,
        format!(
            "{reached}, forwarding {forwarded} held message{} on the way; intercept stays on.",
            if forwarded == 1 { "" } else { "s" }
        ),
    );
}
