//! Live mode's handlers: on the main screen only the keys of live mode's help
//! ([`LIVE_KEYS`](crate::tui::help::LIVE_KEYS)) act; a key becomes the simulation UI's [`Action`] (the same key
//! map); what means the same live (moving through the steps, the inspector's tabs,
//! scrolling, help, the editor's keys) goes to the shared [`update`]; defenses apply to
//! the live hub; intercept keys act on the requests the hub holds; what needs a
//! simulated run (stepping, play, attacks, lessons, the console, saving) says in one
//! line why it is not here.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

use super::state::LiveApp;
use crate::actors::defenses::{DEFENSES, DefenseId, Defenses, Profile};
use crate::live::hold;
use crate::live::parties::server_ids;
use crate::sim::MsgId;
use crate::tui::action::{Action, map_key};
use crate::tui::app::{Level, Overlay, Tab};
use crate::tui::editor::Editor;
use crate::tui::help::{LiveWindow, live_handles};
use crate::tui::timeline::{ActorState, StepState};
use crate::tui::update::update;

/// Why stepping keys do nothing live.
pub const NOT_STEPPED: &str =
    "Live mode shows each message as it arrives: there is nothing to play, step ahead or run to.";
/// Why `c` does nothing live.
pub const NOT_RERUN: &str = "Live mode does not re-run the past: a defense you change applies to the next request that arrives.";
/// Why the clock keys do nothing live.
pub const REAL_CLOCK: &str = "Live mode runs on the real clock: it cannot be moved on.";
/// Why `r` does nothing live.
pub const NO_REPLAY: &str = "Replay re-sends a message on the simulated bus; live, send it again from your browser, your client or curl.";
/// Why the attack keys do nothing live.
pub const NO_ATTACKS: &str = "The attack list and matrix run simulated worlds (oauth-lab without serve); to run an attack live, start serve --attack ID.";
/// Why the lesson keys do nothing live.
pub const NO_LESSONS: &str =
    "Lessons run in the simulation (oauth-lab learn, or L in oauth-lab): live mode has none.";
/// Why the console keys do nothing live.
pub const NO_CONSOLE: &str = "The attacker console drives the simulation's attacker (oauth-lab without serve), not live traffic.";
/// Why `S` and `E` do nothing live.
pub const NO_SAVE: &str = "S and E save a simulated run (seed, defenses, inputs); live traffic cannot be re-run from a seed.";

/// Said for a key of the main screen that live mode does not list
/// ([`LIVE_KEYS`](crate::tui::help::LIVE_KEYS)) and
/// that means nothing in the simulation either.
pub const NOT_A_LIVE_KEY: &str = "That key does nothing in live mode: ? lists the keys that do.";

/// Handles one key. On the main screen only the keys live mode's help lists
/// ([`LIVE_KEYS`](crate::tui::help::LIVE_KEYS)) act; any other says in one line why it
/// does nothing.
pub fn key(live: &mut LiveApp, key: KeyEvent) {
    if key.kind == KeyEventKind::Release {
        return;
    }
    let on_screen = live.app.overlay.is_none() && live.app.run_to.is_none();
    if on_screen && !live_handles(LiveWindow::Screen, &key) {
        let why = map_key(&live.app, key).and_then(|a| refusal(&a));
        live.app.notify(Level::Info, why.unwrap_or(NOT_A_LIVE_KEY));
        return;
    }
    if on_screen {
        let step = match key.code {
            KeyCode::Char('<') => Some(-1),
            KeyCode::Char('>') => Some(1),
            _ => None,
        };
        if let Some(d) = step {
            with_held(live, |live, _| {
                let last = live.held.len() - 1;
                live.held_selected = (live.held_selected as i64 + d).clamp(0, last as i64) as usize;
            });
            return;
        }
    }
    if let Some(action) = map_key(&live.app, key) {
        apply(live, action);
    }
}

/// Why an action of the simulation's UI has no meaning live, if it has none.
pub fn refusal(action: &Action) -> Option<&'static str> {
    Some(match action {
        Action::TogglePlay
        | Action::Faster
        | Action::Slower
        | Action::StartRunTo
        | Action::RunToKey(_) => NOT_STEPPED,
        Action::JumpToChange => NOT_RERUN,
        Action::AdvanceClock(_) => REAL_CLOCK,
        Action::ReplaySelected => NO_REPLAY,
        Action::OpenAttacks
        | Action::LaunchAttack(_)
        | Action::HappyPath
        | Action::OpenMatrix
        | Action::MatrixCell(_)
        | Action::MatrixDone => NO_ATTACKS,
        Action::OpenLessons
        | Action::StartLesson(_)
        | Action::LeaveLesson
        | Action::LessonContinue
        | Action::LessonBack
        | Action::LessonAnswer(_)
        | Action::LessonHint
        | Action::LessonSkip => NO_LESSONS,
        Action::Console(_) => NO_CONSOLE,
        Action::SaveScenario | Action::ExportAll => NO_SAVE,
        _ => return None,
    })
}

/// Applies one action the live way.
pub fn apply(live: &mut LiveApp, action: Action) {
    if let Some(why) = refusal(&action) {
        live.app.notify(Level::Info, why);
        return;
    }
    let app = &mut live.app;
    match action {
        Action::Quit => app.should_quit = true,
        Action::Resize(w, h) => {
            live.size = (w, h);
            fit(live);
        }
        Action::Next if app.cursor + 1 >= app.timeline.len() => app.notify(
            Level::Info,
            "This is the newest message; new ones appear as they arrive.",
        ),
        Action::Last => {
            let last = app.timeline.len().saturating_sub(1);
            crate::tui::nav::select(app, last);
        }
        Action::Tick(_) => {}
        Action::MenuActivate => {
            if let Some(Overlay::Defenses { selected }) = app.overlay
                && let Some(info) = DEFENSES.get(selected)
            {
                toggle_defense(live, info.id);
            }
        }
        Action::MenuValue(step) => {
            if let Some(Overlay::Defenses { selected }) = app.overlay
                && let Some(info) = DEFENSES.get(selected)
            {
                cycle_defense(live, info.id, step);
            }
        }
        Action::ToggleDefense(id) => toggle_defense(live, id),
        Action::CycleProfile => cycle_profile(live),
        Action::ToggleIntercept => toggle_intercept(live),
        Action::CycleHoldTarget => cycle_hold_target(live),
        Action::ForwardHeld => forward_held(live),
        Action::ForwardAllHeld => {
            let n = live.hub.holds().forward_all();
            live.app.notify(
                Level::Changed,
                format!("Forwarded {n} held request(s) as they were."),
            );
            refresh_held(live);
        }
        Action::DropHeld => drop_held(live),
        Action::EditHeld => edit_held(live),
        Action::EditSubmit => submit_edit(live),
        other => {
            update(app, other);
            refresh_state(live);
        }
    }
}

/// While the State tab is shown, asks the hub for every party's state now (the hub
/// takes no snapshot when nobody looks).
pub fn refresh_state(live: &mut LiveApp) {
    if live.app.tab != Tab::State {
        return;
    }
    let now = live.hub.state();
    let state = StepState {
        now: now.now,
        actors: (now.parties.into_iter())
            .map(|(id, label, sections)| ActorState {
                id,
                label,
                sections,
            })
            .collect(),
    };
    let after = now.steps.saturating_sub(1);
    live.app.timeline.set_live_state(after, state);
}

/// Takes in the steps recorded since the last refresh; a learner on the newest step
/// moves on with the traffic.
pub fn refresh_trace(live: &mut LiveApp) {
    let app = &mut live.app;
    let len = app.timeline.len();
    let on_newest = app.cursor + 1 >= len;
    app.timeline.set_live_trace(live.hub.trace());
    let new_len = app.timeline.len();
    if new_len > len && on_newest {
        // Moved directly, not with `select`: a notice the learner has not read yet stays.
        app.cursor = new_len - 1;
        app.inspector_scroll = 0;
        app.narration_scroll = 0;
    }
}

/// Reads what the intercept holds now (their countdowns too).
pub fn refresh_held(live: &mut LiveApp) {
    live.held = live.hub.holds().held();
    live.held_selected = live.held_selected.min(live.held.len().saturating_sub(1));
    fit(live);
}

/// Gives the panes the screen minus the held-request pane.
fn fit(live: &mut LiveApp) {
    let (w, h) = live.size;
    let panes = (w, h.saturating_sub(live.held_pane_height()));
    if live.app.size != panes {
        update(&mut live.app, Action::Resize(panes.0, panes.1));
    }
}

/// Puts `defenses` in force for the next request, and on screen.
fn set_defenses(live: &mut LiveApp, defenses: Defenses, profile: Profile, what: String) {
    live.hub.set_defenses(defenses.clone());
    let spec = &mut live.app.timeline.spec;
    spec.defenses = defenses;
    spec.profile = profile;
    live.app.notify(
        Level::Changed,
        format!(
            "{what}: in force from the next request that arrives (live mode does not re-run what already happened)."
        ),
    );
}

fn toggle_defense(live: &mut LiveApp, id: DefenseId) {
    let mut d = live.app.timeline.spec.defenses.clone();
    d.toggle(id);
    let what = format!("{id} {}", d.value_label(id));
    let profile = live.app.timeline.spec.profile;
    set_defenses(live, d, profile, what);
}

fn cycle_defense(live: &mut LiveApp, id: DefenseId, step: i32) {
    let mut d = live.app.timeline.spec.defenses.clone();
    let Some(value) = crate::tui::defense_values::next(&d, id, step) else {
        return;
    };
    if let Err(e) = d.set_value(id, &value) {
        live.app.notify(Level::Problem, e.to_string());
        return;
    }
    let what = format!("{id} {}", d.value_label(id));
    let profile = live.app.timeline.spec.profile;
    set_defenses(live, d, profile, what);
}

fn cycle_profile(live: &mut LiveApp) {
    let next = crate::tui::world_changes::next_profile(live.app.timeline.spec.profile);
    set_defenses(
        live,
        next.defenses(),
        next,
        format!("Profile {}", next.name()),
    );
}

fn toggle_intercept(live: &mut LiveApp) {
    let holds = live.hub.holds();
    let on = !holds.is_on();
    let forwarded = holds.set_on(on);
    let text = if on {
        let whose = match holds.only_to() {
            Some(p) => format!("to {p}"),
            None => "to every party".to_string(),
        };
        format!(
            "Intercept ON: requests {whose} wait here before their party sees them (f forward · e edit · x drop · w forward all · < > choose). Each one left alone gets a 504 after {}.",
            hold::seconds(holds.timeout())
        )
    } else if forwarded > 0 {
        format!("Intercept off. The {forwarded} held request(s) went on as they were.")
    } else {
        "Intercept off: requests go straight to their party.".to_string()
    };
    live.app.notify(Level::Changed, text);
    refresh_held(live);
}

fn cycle_hold_target(live: &mut LiveApp) {
    let holds = live.hub.holds();
    let mut choices: Vec<Option<crate::actors::ActorId>> = vec![None];
    choices.extend(server_ids().into_iter().map(Some));
    let now = holds.only_to();
    let i = choices.iter().position(|c| *c == now).unwrap_or(0);
    let next = choices[(i + 1) % choices.len()].clone();
    let text = match &next {
        Some(p) => format!("Intercept holds only requests to {p}."),
        None => "Intercept holds requests to every party.".to_string(),
    };
    holds.set_only_to(next);
    live.app.notify(Level::Changed, text);
}

/// Runs `f` on the selected held request, or says there is none.
fn with_held(live: &mut LiveApp, f: impl FnOnce(&mut LiveApp, hold::HeldView)) {
    match live.selected_held().cloned() {
        Some(h) => f(live, h),
        None => {
            let text = if live.intercepting() {
                "Nothing is held yet: the next request that arrives will be."
            } else {
                "Nothing is held: press i to hold the requests that arrive."
            };
            live.app.notify(Level::Info, text);
        }
    }
}

/// Said when the learner acts on a request the intercept already let go of.
const GONE: &str = "That request is no longer held: it timed out (504) or its sender hung up.";

fn forward_held(live: &mut LiveApp) {
    release_held(live, true);
}

fn drop_held(live: &mut LiveApp) {
    release_held(live, false);
}

/// Forwards the selected held request as it is, or drops it (its sender gets a 502).
fn release_held(live: &mut LiveApp, forward: bool) {
    with_held(live, |live, h| {
        let holds = live.hub.holds();
        let line = hold::request_line(&h.wire);
        let text = match forward {
            true if holds.forward(h.id, None) => format!("Forwarded {line} to {} as it was.", h.to),
            false if holds.drop_held(h.id) => format!(
                "Dropped {line}: its sender got a 502 and {} never saw it.",
                h.to
            ),
            _ => GONE.to_string(),
        };
        live.app.notify(Level::Changed, text);
        refresh_held(live);
    })
}

fn edit_held(live: &mut LiveApp) {
    with_held(live, |live, h| {
        live.app.overlay = Some(Overlay::Editor(Editor::new(MsgId(h.id), &h.wire)));
    })
}

fn submit_edit(live: &mut LiveApp) {
    let Some(Overlay::Editor(ed)) = &mut live.app.overlay else {
        return;
    };
    if !ed.validate() {
        // Still held; the error is shown inline.
        return;
    }
    let (id, wire) = (ed.msg.0, ed.wire());
    let to = live
        .held
        .iter()
        .find(|h| h.id == id)
        .map(|h| h.to.to_string())
        .unwrap_or_default();
    if live.hub.holds().forward(id, Some(wire)) {
        live.app.overlay = None;
        live.app.notify(
            Level::Changed,
            format!("Your edited request went to {to}: it handles exactly what you typed."),
        );
        refresh_held(live);
    } else {
        // Nothing left to fix: the editor closes (its own errors say the message is
        // still held, which it no longer is).
        live.app.overlay = None;
        live.app
            .notify(Level::Problem, format!("{GONE} Your edit was not sent."));
        refresh_held(live);
    }
}
