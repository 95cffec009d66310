//! The terminal and the event loop: raw mode, alternate screen, mouse capture and
//! bracketed paste; a panic hook and signal handlers (SIGTERM, SIGINT, SIGHUP) that
//! restore the terminal; and a tokio loop that turns crossterm events, play ticks and
//! background results into actions.

use std::io::stdout;
use std::time::Duration;

use futures::StreamExt;
use ratatui::DefaultTerminal;
use ratatui::crossterm::cursor::Show;
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event, EventStream, MouseButton, MouseEventKind,
};
use ratatui::crossterm::execute;
use tokio::sync::mpsc;

use super::action::{Action, map_key};
use super::app::App;
use super::tasks;
use super::update::update;

/// Milliseconds between play ticks.
pub const TICK_MS: u64 = 50;

/// Events handled before the screen is drawn again: a burst of input (a paste into a
/// terminal without bracketed paste, keys held down) costs one redraw, not one each.
const EVENTS_PER_DRAW: usize = 4096;

/// Whether the terminal cannot draw a full-screen UI (`TERM=dumb`: no cursor
/// addressing, no alternate screen).
pub fn dumb_terminal() -> bool {
    std::env::var_os("TERM").is_some_and(|t| t == "dumb")
}

/// Restores the terminal: bracketed paste and mouse off, cursor shown, raw mode off,
/// main screen back.
pub fn restore() {
    let _ = execute!(stdout(), DisableBracketedPaste, DisableMouseCapture, Show);
    ratatui::restore();
}

/// Installs a panic hook that restores the terminal, then prints the panic as usual.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Runs the UI until the learner quits. A termination signal restores the terminal
/// and ends the process with the conventional status, 128 + the signal's number.
pub fn run(app: App) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .enable_io()
        .build()?;
    let signals = runtime.block_on(async { Signals::new() })?;
    let mut terminal = ratatui::try_init()?;
    install_panic_hook();
    let _ = execute!(stdout(), EnableMouseCapture, EnableBracketedPaste);
    let result = runtime.block_on(event_loop(&mut terminal, app, signals));
    restore();
    match result {
        Ok(Some(signal)) => std::process::exit(128 + signal),
        Ok(None) => Ok(()),
        Err(e) => Err(e),
    }
}

/// The signals that end the UI: SIGTERM (`kill`), SIGINT (`kill -INT`; the key Ctrl-C
/// arrives as a key in raw mode) and SIGHUP (the terminal went away).
#[cfg(unix)]
pub struct Signals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
    hup: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Signals {
    pub fn new() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
            hup: signal(SignalKind::hangup())?,
        })
    }

    /// The number of the next signal received.
    pub async fn next(&mut self) -> i32 {
        tokio::select! {
            _ = self.term.recv() => libc::SIGTERM,
            _ = self.int.recv() => libc::SIGINT,
            _ = self.hup.recv() => libc::SIGHUP,
        }
    }
}

#[cfg(not(unix))]
pub struct Signals;

#[cfg(not(unix))]
impl Signals {
    pub fn new() -> std::io::Result<Self> {
        Ok(Signals)
    }

    /// Ctrl-C outside raw mode: status 130, as for SIGINT.
    pub async fn next(&mut self) -> i32 {
        let _ = tokio::signal::ctrl_c().await;
        2
    }
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
        Event::Paste(text) => Some(Action::Paste(text)),
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

/// Handles one input event: the action it means, if any.
fn handle_event(app: &mut App, event: Event) {
    panic_if_asked(&event);
    if let Some(action) = action_for_event(app, event) {
        update(app, action);
    }
}

/// Handles `first`, then the input already waiting behind it (a burst of keys, a
/// paste) before the next draw, up to [`EVENTS_PER_DRAW`] events; `handle` says whether
/// to stop (the learner quit). (Polled directly: polling the event stream outside its
/// `select` would leave its wake-up thread holding a waker nobody waits on.)
pub fn handle_burst(first: Event, mut handle: impl FnMut(Event) -> bool) -> std::io::Result<()> {
    if handle(first) {
        return Ok(());
    }
    for _ in 0..EVENTS_PER_DRAW {
        if !matches!(event::poll(Duration::ZERO), Ok(true)) {
            break;
        }
        if handle(event::read()?) {
            break;
        }
    }
    Ok(())
}

/// Runs the UI until the learner quits (`None`) or a signal arrives (its number).
async fn event_loop(
    terminal: &mut DefaultTerminal,
    mut app: App,
    mut signals: Signals,
) -> anyhow::Result<Option<i32>> {
    let size = terminal.size()?;
    update(&mut app, Action::Resize(size.width, size.height));
    let mut events = EventStream::new();
    let mut ticks = tokio::time::interval(Duration::from_millis(TICK_MS));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let (tx, mut rx) = mpsc::unbounded_channel::<Action>();
    terminal.draw(|f| f.render_widget(&app, f.area()))?;
    loop {
        tokio::select! {
            // Signals first: a learner's `kill` is answered whatever else is ready.
            biased;
            signal = signals.next() => return Ok(Some(signal)),
            event = events.next() => match event {
                Some(Ok(event)) => handle_burst(event, |e| {
                    handle_event(&mut app, e);
                    app.should_quit
                })?,
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
    Ok(None)
}
