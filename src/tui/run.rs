//! The terminal and the event loop: raw mode, alternate screen, mouse capture, a panic
//! hook that restores the terminal before the panic is printed, and a tokio loop that
//! turns crossterm events, play ticks and background results into actions.

use std::io::stdout;
use std::time::Duration;

use futures::StreamExt;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{
    DisableMouseCapture, EnableMouseCapture, Event, EventStream, MouseButton, MouseEventKind,
};
use ratatui::crossterm::execute;
use tokio::sync::mpsc;

use super::action::{Action, map_key};
use super::app::App;
use super::tasks;
use super::update::update;

/// Milliseconds between play ticks.
pub const TICK_MS: u64 = 50;

/// Restores the terminal: mouse off, raw mode off, main screen back.
fn restore() {
    let _ = execute!(stdout(), DisableMouseCapture);
    ratatui::restore();
}

/// Installs a panic hook that restores the terminal, then prints the panic as usual.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Runs the UI until the learner quits.
pub fn run(app: App) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    let mut terminal = ratatui::try_init()?;
    install_panic_hook();
    let _ = execute!(stdout(), EnableMouseCapture);
    let result = runtime.block_on(event_loop(&mut terminal, app));
    restore();
    result
}

/// With `OAUTH_LAB_TEST_PANIC` set, the key `!` panics: the end-to-end test uses it
/// to check that a panic restores the terminal before its message is printed.
fn panic_if_asked(event: &Event) {
    if let Event::Key(k) = event
        && k.code == ratatui::crossterm::event::KeyCode::Char('!')
        && std::env::var_os("OAUTH_LAB_TEST_PANIC").is_some()
    {
        panic!("test panic requested with OAUTH_LAB_TEST_PANIC");
    }
}

/// The action an input event means, if any.
pub fn action_for_event(app: &App, event: Event) -> Option<Action> {
    match event {
        Event::Key(key) => map_key(app, key),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        Event::Mouse(m) => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(m.column, m.row)),
            MouseEventKind::ScrollDown => Some(Action::Wheel {
                x: m.column,
                y: m.row,
                down: true,
            }),
            MouseEventKind::ScrollUp => Some(Action::Wheel {
                x: m.column,
                y: m.row,
                down: false,
            }),
            _ => None,
        },
        _ => None,
    }
}

async fn event_loop(terminal: &mut DefaultTerminal, mut app: App) -> anyhow::Result<()> {
    let size = terminal.size()?;
    update(&mut app, Action::Resize(size.width, size.height));
    let mut events = EventStream::new();
    let mut ticks = tokio::time::interval(Duration::from_millis(TICK_MS));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let (tx, mut rx) = mpsc::unbounded_channel::<Action>();
    terminal.draw(|f| f.render_widget(&app, f.area()))?;
    loop {
        tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => {
                    panic_if_asked(&event);
                    if let Some(action) = action_for_event(&app, event) {
                        update(&mut app, action);
                    }
                }
                Some(Err(e)) => return Err(e.into()),
                None => break,
            },
            _ = ticks.tick(), if app.playing => update(&mut app, Action::Tick(TICK_MS)),
            Some(action) = rx.recv() => update(&mut app, action),
        }
        tasks::run_queued(&mut app, &tx);
        if app.should_quit {
            break;
        }
        terminal.draw(|f| f.render_widget(&app, f.area()))?;
    }
    Ok(())
}
