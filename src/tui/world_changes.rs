//! The handlers that change the world: defenses and profiles (a re-run from the seed,
//! with the first difference pointed out), the simulated clock, intercept mode and the
//! held messages, attacks, scenarios saved and opened. Each says in a notice what it did.

use crate::actors::defenses::{DefenseId, Defenses, Profile};
use crate::scenario::Scenario;
use crate::sim::{LearnerInput, MsgId, StepKind};
use crate::terminal_text::one_line;
use crate::world::AttackId;

use super::app::{App, Level, Overlay, Pane, Task};
use super::editor::Editor;
use super::nav::{clamp_held, select, show_world, update_verdict};
use super::timeline::{DiffKind, Difference, Timeline, WorldSpec};

fn describe_difference(d: &Difference) -> String {
    match d.what {
        DiffKind::Message => format!(
            "First change: step {}, {}. Press c to jump there.",
            d.index, d.detail
        ),
        DiffKind::Handling => {
            let mut s = format!(
                "First change: step {} is handled differently (see its narration)",
                d.index
            );
            if let Some((i, _, _)) = &d.message {
                s.push_str(&format!(
                    "; first different message: step {i}, {}",
                    d.detail
                ));
            }
            s.push_str(". Press c to jump there.");
            s
        }
        DiffKind::Length if d.after.is_empty() => format!(
            "The run now stops after step {} (it used to go on with “{}”).",
            d.index.saturating_sub(1),
            d.before
        ),
        DiffKind::Length => format!(
            "The run now goes on past step {} with “{}”. Press c to jump there.",
            d.index.saturating_sub(1),
            d.after
        ),
    }
}

pub fn rebuild_with(app: &mut App, defenses: Defenses, profile: Profile, what: String) {
    let (timeline, diff) = app.timeline.with_defenses(defenses, profile);
    app.timeline = timeline;
    let last = app.timeline.len().saturating_sub(1);
    let kept = app.cursor <= last;
    app.cursor = app.cursor.min(last);
    app.held_selected = 0;
    update_verdict(app);
    let mut text = format!("{what} — re-ran from seed {}.", app.timeline.spec.seed);
    match &diff {
        Some(d) => {
            text.push(' ');
            text.push_str(&describe_difference(d));
        }
        None => text.push_str(" Nothing in this run changes: this defense guards against something that does not happen here."),
    }
    if !kept {
        text.push_str(&format!(
            " The run is shorter now: you are at its last step, {last}."
        ));
    }
    app.changed = diff;
    app.notify(Level::Changed, text);
}

pub fn toggle_defense(app: &mut App, id: DefenseId) {
    let mut d = app.timeline.spec.defenses.clone();
    d.toggle(id);
    let label = format!("{id} {}", d.value_label(id));
    let profile = app.timeline.spec.profile;
    rebuild_with(app, d, profile, label);
}

/// Sets the defense to its next (or previous) setting: `pkce` goes off → plain → S256.
pub fn cycle_defense(app: &mut App, id: DefenseId, step: i32) {
    let mut d = app.timeline.spec.defenses.clone();
    let Some(value) = super::defense_values::next(&d, id, step) else {
        return;
    };
    if let Err(e) = d.set_value(id, &value) {
        app.notify(Level::Problem, e.to_string());
        return;
    }
    let label = format!("{id} {}", d.value_label(id));
    let profile = app.timeline.spec.profile;
    rebuild_with(app, d, profile, label);
}

pub fn advance_clock(app: &mut App, secs: u64) {
    let at = app.cursor + 1;
    let branched = at < app.timeline.len();
    match app
        .timeline
        .apply_at(at, LearnerInput::AdvanceClock { secs })
    {
        Ok(()) => {
            app.timeline.advance();
            let last = app.timeline.len().saturating_sub(1);
            select(app, last);
            let mut text = format!(
                "The clock moved on {}. Step on to see what has expired.",
                crate::actors::clock::duration_label(secs)
            );
            if branched {
                text.push_str(&format!(
                    " The steps after {} were replaced: this is a new branch of the run.",
                    at - 1
                ));
            }
            app.notify(Level::Changed, text);
        }
        Err(e) => app.notify(Level::Problem, e.to_string()),
    }
}

pub fn toggle_intercept(app: &mut App) {
    let on = !app.is_intercepting();
    let at = app.cursor + 1;
    let branched = at < app.timeline.len();
    let applied = app
        .timeline
        .apply_at(at, LearnerInput::SetHold { on })
        .and_then(|()| {
            if on {
                app.timeline.apply(LearnerInput::HoldQueued)
            } else {
                Ok(())
            }
        });
    match applied {
        Ok(()) => {
            app.held_selected = 0;
            let mut text = if on {
                let queued = app.timeline.sim().held().len();
                format!(
                    "Intercept on: held {queued} message{} already on {} way; every message sent from now on is held at the bus too. f forwards, w forwards all, x drops, e edits, r replays the selected step, o holds only one actor's, u runs to a step.",
                    if queued == 1 { "" } else { "s" },
                    if queued == 1 { "its" } else { "their" }
                )
            } else {
                "Intercept off: held messages are released.".to_string()
            };
            if branched {
                text.push_str(&format!(
                    " (The steps after {} were cut: a new branch.)",
                    at - 1
                ));
            }
            if on {
                app.focus = Pane::Intercept;
            } else if app.focus == Pane::Intercept {
                app.focus = Pane::Diagram;
            }
            app.notify(Level::Changed, text);
        }
        Err(e) => app.notify(Level::Problem, e.to_string()),
    }
}

fn with_held(app: &mut App, f: impl FnOnce(&mut App, MsgId)) {
    let held = app.timeline.sim().held();
    if held.is_empty() {
        let hint = if app.is_intercepting() {
            "Nothing is held yet: press → to let the world move until a message is sent."
        } else {
            "Nothing is held. Press i for intercept mode: messages are then held before delivery."
        };
        app.notify(Level::Info, hint);
        return;
    }
    let id = held[app.held_selected.min(held.len() - 1)].id;
    f(app, id);
}

fn apply_and_deliver(app: &mut App, input: LearnerInput, done: &str) {
    match app.timeline.apply(input) {
        Ok(()) => {
            clamp_held(app);
            let before = app.timeline.len();
            if app.timeline.advance() || app.timeline.len() > before {
                select(app, app.timeline.len() - 1);
            }
            app.notify(Level::Changed, done.to_string());
        }
        Err(e) => app.notify(Level::Problem, e.to_string()),
    }
}

pub fn replay(app: &mut App) {
    let Some(step) = app.step() else { return };
    if step.wire.is_empty() || step.kind == StepKind::Observed {
        app.notify(
            Level::Problem,
            "This step carries no message to replay: select a request or a response.",
        );
        return;
    }
    if !app.intercepting_or_notify(
        "Replay is part of intercept mode: press i first, then r on the step to send again.",
    ) {
        return;
    }
    let i = app.cursor;
    apply_and_deliver(
        app,
        LearnerInput::Replay { step: i },
        &format!("Replayed the message of step {i}: it is sent again, exactly as it was."),
    );
}

pub fn submit_edit(app: &mut App) {
    let Some(Overlay::Editor(ed)) = &mut app.overlay else {
        return;
    };
    if !ed.validate() {
        // The message stays held; the error is shown inline.
        return;
    }
    let input = LearnerInput::Edit {
        id: ed.msg,
        wire: ed.wire(),
    };
    match app.timeline.apply(input) {
        Ok(()) => {
            app.overlay = None;
            clamp_held(app);
            if app.timeline.advance() {
                select(app, app.timeline.len() - 1);
            }
            app.notify(
                Level::Changed,
                "Your edited message was delivered (marked ✎). The receiver parsed exactly what you typed.",
            );
        }
        Err(e) => {
            if let Some(Overlay::Editor(ed)) = &mut app.overlay {
                ed.error = Some(e.to_string());
            }
        }
    }
}

/// Shows a new world for `spec`, from its first step (a new generation of the run).
pub fn load(app: &mut App, spec: WorldSpec) {
    let mut t = Timeline::new(spec);
    t.generation = app.timeline.generation + 1;
    show_world(app, t);
}

pub fn launch_attack(app: &mut App, id: &str) {
    let attack = match AttackId::parse(id) {
        Ok(a) => a,
        Err(e) => {
            app.notify(Level::Problem, e.to_string());
            return;
        }
    };
    let spec = app.timeline.spec.with_attack(Some(attack));
    load(app, spec);
    app.overlay = None;
    let (title, story) = app
        .catalog
        .iter()
        .find(|a| a.id == id)
        .map(|a| (a.title.clone(), a.story.clone()))
        .unwrap_or_else(|| (id.to_string(), String::new()));
    app.notify(
        Level::Changed,
        format!("Attack launched: {title}. {story} Step with → (or space to play); the verdict shows at the end."),
    );
}

/// The next profile (naive → rfc6749 → bcp → …), its defenses, and a re-run.
pub fn cycle_profile(app: &mut App) {
    let next = next_profile(app.timeline.spec.profile);
    rebuild_with(
        app,
        next.defenses(),
        next,
        format!("Profile {}", next.name()),
    );
}

/// The classic profile after `now` (`p` cycles naive → rfc6749 → bcp).
pub fn next_profile(now: Profile) -> Profile {
    let all = Profile::CLASSIC;
    let i = all.iter().position(|p| *p == now).unwrap_or(0);
    all[(i + 1) % all.len()]
}

/// Delivers the selected held message as it is.
pub fn forward_held(app: &mut App) {
    with_held(app, |app, id| {
        apply_and_deliver(
            app,
            LearnerInput::Forward { id },
            "Forwarded the held message.",
        )
    })
}

/// Drops the selected held message: it never arrives.
pub fn drop_held(app: &mut App) {
    with_held(app, |app, id| {
        match app.timeline.apply(LearnerInput::Drop { id }) {
            Ok(()) => app.notify(
                Level::Changed,
                "Dropped: the message will never arrive. Step on to see who notices.",
            ),
            Err(e) => app.notify(Level::Problem, e.to_string()),
        }
        clamp_held(app);
    })
}

/// Opens the selected held message's wire text in the editor.
pub fn edit_held(app: &mut App) {
    with_held(app, |app, id| {
        if let Some(env) = app.timeline.sim().held().iter().find(|e| e.id == id) {
            app.overlay = Some(Overlay::Editor(Editor::new(id, &env.wire)));
        }
    })
}

/// Leaves the attack: the happy path, same seed and defenses.
pub fn happy_path(app: &mut App) {
    let spec = app.timeline.spec.with_attack(None);
    load(app, spec);
    app.overlay = None;
    app.notify(Level::Info, "Back to the happy path.");
}

/// `S`: queues the world as it is — seed, defenses, attack, every input so far — and
/// the selected step, to be saved as a new scenario file in the scenario folder (next
/// to the lesson progress, in a `scenarios` folder); the event loop writes it and
/// names the file in a notice.
pub fn save_scenario(app: &mut App) {
    let dir = match &app.library.store {
        Some(store) => crate::scenario::save::folder_in(store.dir()),
        None => crate::scenario::save::default_folder(),
    };
    let scenario = Scenario::of(app.timeline.spec.clone(), app.cursor);
    app.tasks.push(Task::SaveScenario { dir, scenario });
}

/// `E`: queues the world as it is (seed, defenses, attack, every input so far) to be
/// exported in every diagram format into a new folder next to the scenario folder (an
/// `exports` folder); the event loop writes it and names the folder in a notice.
pub fn export_all(app: &mut App) {
    let dir = match &app.library.store {
        Some(store) => store.dir().join("exports"),
        None => crate::scenario::save::default_folder().with_file_name("exports"),
    };
    app.tasks.push(Task::ExportAll {
        dir,
        spec: app.timeline.spec.clone(),
    });
}

/// Shows a scenario's world as it was saved: its inputs applied where they were made,
/// the run taken as far as the last input (and the selected step), that step selected.
pub fn open_scenario(app: &mut App, s: &Scenario) {
    let last_input = s.world.inputs.iter().map(|(at, _)| *at).max().unwrap_or(0);
    let len = last_input.max(s.selected + 1);
    let t = Timeline::replay(s.world.clone(), len, app.timeline.generation + 1);
    show_world(app, t);
    app.overlay = None;
    select(app, s.selected);
    let what = match &s.title {
        Some(title) => format!("Scenario “{}”", one_line(title)),
        None => "Scenario".to_string(),
    };
    app.notify(
        Level::Changed,
        format!(
            "{what} opened: {}, {} input(s), at step {}.",
            s.world.describe(),
            s.world.inputs.len(),
            app.cursor
        ),
    );
}

/// Delivers every held message, in the order they were sent; intercept stays on.
pub fn forward_all_held(app: &mut App) {
    let count = app.timeline.sim().held().len();
    if count == 0 {
        with_held(app, |_, _| {});
        return;
    }
    apply_and_deliver(
        app,
        LearnerInput::ForwardAll,
        &format!(
            "Forwarded {count} held message{}; intercept stays on.",
            if count == 1 { "" } else { "s" }
        ),
    );
}

/// Holds only the messages to the next actor of the world (in lane order), and after
/// the last one, every message again.
pub fn cycle_hold_target(app: &mut App) {
    if !app.intercepting_or_notify(
        "Choosing whose messages to hold is part of intercept mode: press i first.",
    ) {
        return;
    }
    let actors: Vec<_> = app
        .timeline
        .sim()
        .actors()
        .map(|a| a.id().clone())
        .collect();
    let next = match app.timeline.sim().holding_only_to() {
        None => actors.first().cloned(),
        Some(now) => actors
            .iter()
            .position(|a| a == now)
            .and_then(|i| actors.get(i + 1))
            .cloned(),
    };
    let text = match &next {
        Some(a) => format!("Intercept holds only messages to {a}; the others are delivered."),
        None => "Intercept holds every message again.".to_string(),
    };
    match app.timeline.apply(LearnerInput::HoldOnlyTo { actor: next }) {
        Ok(()) => {
            clamp_held(app);
            app.notify(Level::Changed, text);
        }
        Err(e) => app.notify(Level::Problem, e.to_string()),
    }
}
