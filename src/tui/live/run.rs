//! Live mode's event loop, on the live server's runtime: keys and mouse as in the
//! simulation UI, a redraw whenever the hub records a step, and a tick that keeps the
//! held requests' countdowns current (and, while the State tab is shown, the parties'
//! state). The terminal is set up and restored (panic hook,
//! SIGTERM, SIGINT, SIGHUP) by the simulation UI's own code.

use std::io::stdout;
use std::time::Duration;

use futures::StreamExt;
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{EnableBracketedPaste, EnableMouseCapture, Event, EventStream};
use ratatui::crossterm::execute;
use tokio::sync::mpsc;

use super::handlers::{self, refresh_held, refresh_state, refresh_trace};
use super::state::LiveApp;
use crate::live::LiveServer;
use crate::tui::action::Action;
use crate::tui::run::{Signals, action_for_event, handle_burst, install_panic_hook, restore};

/// How often the countdowns of held requests are redrawn.
const TICK: Duration = Duration::from_millis(250);

/// Runs the live UI until the learner quits (`None`) or a signal arrives (its number).
/// `stepped` receives a message whenever the hub records a step.
pub fn run(
    server: &LiveServer,
    live: LiveApp,
    stepped: mpsc::UnboundedReceiver<()>,
) -> anyhow::Result<Option<i32>> {
    let signals = server.block_on(async { Signals::new() })?;
    let mut terminal = ratatui::try_init()?;
    install_panic_hook();
    let _ = execute!(stdout(), EnableMouseCapture, EnableBracketedPaste);
    let result = server.block_on(event_loop(&mut terminal, live, signals, stepped));
    restore();
    result
}

/// Handles one input event.
fn handle_event(live: &mut LiveApp, event: Event) {
    match event {
        Event::Key(key) => handlers::key(live, key),
        other => {
            if let Some(action) = action_for_event(&live.app, other) {
                handlers::apply(live, action);
            }
        }
    }
}

async fn event_loop(
    terminal: &mut DefaultTerminal,
    mut live: LiveApp,
    mut signals: Signals,
    mut stepped: mpsc::UnboundedReceiver<()>,
) -> anyhow::Result<Option<i32>> {
    let size = terminal.size()?;
    handlers::apply(&mut live, Action::Resize(size.width, size.height));
    refresh_trace(&mut live);
    refresh_held(&mut live);
    let mut events = EventStream::new();
    let mut ticks = tokio::time::interval(TICK);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    terminal.draw(|f| f.render_widget(&live, f.area()))?;
    loop {
        tokio::select! {
            // Signals first: a `kill` is answered whatever else is ready.
            biased;
            signal = signals.next() => return Ok(Some(signal)),
            event = events.next() => match event {
                Some(Ok(event)) => handle_burst(event, |e| {
                    handle_event(&mut live, e);
                    live.app.should_quit
                })?,
                Some(Err(e)) => return Err(e.into()),
                None => break,
            },
            Some(()) = stepped.recv() => {
                // A burst of steps costs one copy of the trace and one redraw.
                while stepped.try_recv().is_ok() {}
                refresh_trace(&mut live);
            }
            _ = ticks.tick() => {}
        }
        refresh_held(&mut live);
        refresh_state(&mut live);
        if live.app.should_quit {
            break;
        }
        terminal.draw(|f| f.render_widget(&live, f.area()))?;
    }
    Ok(None)
}
