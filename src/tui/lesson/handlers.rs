//! Lesson mode's handlers: starting, leaving and following a lesson part by part.
//!
//! Like every handler, nothing here does I/O: progress is saved by queueing
//! [`Task::SaveProgress`], which the event loop's task runner carries out.

use crate::lesson::check::At;
use crate::lesson::locate::locate;
use crate::lesson::{CheckResult, Eval, Lesson, LessonRun, PartBody};
use crate::sim::Simulation;
use crate::tui::app::{App, Level, Overlay, Pane, Task};
use crate::tui::nav::{at_end, select, show_world};
use crate::tui::timeline::{MAX_STEPS, Timeline, WorldSpec};
use crate::world::AttackId;

use super::state::{LessonMode, Phase, letter, try_missing, ui_spec};

/// Whether the learner may change the world now (always outside lesson mode; in a
/// lesson, in the "your turn" parts and after the end).
pub fn world_unlocked(app: &App) -> bool {
    app.lesson
        .as_ref()
        .is_none_or(|l| matches!(l.phase, Phase::Try(_) | Phase::Finished))
}

/// The notice for a world change refused during a lesson.
pub const LOCKED: &str = "In a lesson the world follows the lesson: you change it yourself in the “Your turn” parts. (L → x leaves the lesson to explore freely.)";

/// Starts (or resumes) the lesson `id` of the library.
pub fn start(app: &mut App, id: &str) {
    let Some(l) = app.library.lessons.iter().find(|l| l.matches(id)).cloned() else {
        app.notify(Level::Problem, format!("There is no lesson `{id}`."));
        return;
    };
    let progress = app.library.progress(&l.id);
    let mut run = LessonRun::new(l, progress);
    let parts = run.lesson().parts.len();
    let fresh = run.position() == 0 || run.is_finished();
    let notice = if run.is_finished() {
        run.goto(0);
        Some(format!(
            "You finished this lesson before (score {}/{}): starting again from part 1. Only first answers count.",
            run.progress().score(),
            run.lesson().max_score()
        ))
    } else if run.position() > 0 {
        Some(format!(
            "Resuming at part {} of {parts}: the parts before it are done. Backspace goes back a part.",
            run.position() + 1
        ))
    } else {
        None
    };
    app.lesson = Some(LessonMode {
        run,
        phase: Phase::Read,
        focus: None,
        gate: None,
        scroll: Default::default(),
        hint: false,
        try_key: None,
        tried: Default::default(),
    });
    app.overlay = None;
    app.playing = false;
    app.focus = Pane::Lesson;
    enter(app);
    if fresh {
        show_intro(app);
    }
    if let Some(n) = notice {
        app.notify(Level::Info, n);
    }
}

/// Puts the lesson's first screen (summary and goals) over part 1, which is set up
/// behind it and takes over on Enter.
fn show_intro(app: &mut App) {
    if let Some(mode) = app.lesson.as_mut()
        && !mode.is_intro()
        && mode.phase != Phase::Finished
    {
        let part = std::mem::replace(&mut mode.phase, Phase::Read);
        mode.phase = Phase::Intro(Box::new(part));
        mode.scroll.set(0);
    }
}

/// Keeps the learner's world of a try part being left, to give it back on return.
fn keep_tried(app: &mut App) {
    if let Some(mode) = app.lesson.as_mut()
        && mode.is_trying()
    {
        let pos = mode.run.position();
        mode.tried
            .insert(pos, (app.timeline.spec.clone(), app.cursor));
    }
}

/// Starts a lesson that is not in the library yet (`oauth-lab learn --file`).
pub fn start_lesson(app: &mut App, l: Lesson) {
    let id = l.id.clone();
    app.library.add(l);
    start(app, &id);
}

/// Leaves lesson mode (progress is already saved).
pub fn leave(app: &mut App) {
    if app.lesson.take().is_some() {
        app.overlay = None;
        if app.focus == Pane::Lesson {
            app.focus = Pane::Diagram;
        }
        let level = match app.library.save_error {
            None => Level::Info,
            Some(_) => Level::Problem,
        };
        let words = app.library.progress_words();
        app.notify(
            level,
            format!("You left the lesson; {words}. L lists the lessons."),
        );
    }
}

/// How much of the part's world the UI shows.
enum Want {
    /// Leave the length alone (a new world shows its first step).
    Keep,
    /// At least this many steps.
    Len(usize),
    /// Exactly this many: a prediction waits before the next one.
    Gate(usize),
    /// Run to the end.
    Full,
    /// Leave the screen as it is, whatever world it shows.
    Stay,
    /// The learner's own world of a try done before, at the step they had selected.
    Tried(WorldSpec, usize),
}

/// Sets the UI up for the current part: its world, the steps it is about, its phase.
pub(crate) fn enter(app: &mut App) {
    let Some(mode) = app.lesson.as_mut() else {
        return;
    };
    mode.scroll.set(0);
    mode.hint = false;
    mode.gate = None;
    mode.focus = None;
    mode.try_key = None;
    app.playing = false;
    app.notice = None;
    if mode.run.is_finished() {
        mode.phase = Phase::Finished;
        save(app);
        return;
    }
    let pos = mode.run.position();
    let Some(part) = mode.run.part().cloned() else {
        return;
    };
    mode.run.enter();
    let spec = ui_spec(&mode.run.lesson().worlds[part.world]);
    let focus_step = mode.run.focus_step(pos);
    let full = mode.run.world_run(part.world).sim.trace().clone();
    let at = |r: &Option<At>| r.as_ref().and_then(|r| locate(&full, r.get_ref()).ok());
    let same_world = app.timeline.spec == spec && app.timeline.sim().inputs().is_empty();
    let (want, phase, focus) = match &part.body {
        PartBody::Narration { step, until, .. } => match at(step) {
            Some(a) => {
                let b = at(until).unwrap_or(a).max(a);
                (Want::Len(b + 1), Phase::Read, Some((a, b)))
            }
            None => (Want::Keep, Phase::Read, None),
        },
        PartBody::Quiz { step, .. } => {
            let phase = recalled(&mut mode.run, pos);
            match at(step) {
                Some(i) => (Want::Len(i + 1), phase, Some((i, i))),
                // A question about facts outside the simulation: the screen stays as it is.
                None => (Want::Stay, phase, None),
            }
        }
        // Answered before: the answer given, and the world run on past the step it
        // asked about, as it was after answering.
        PartBody::Predict { .. } if mode.run.progress().answers.contains_key(&pos) => (
            Want::Full,
            recalled(&mut mode.run, pos),
            focus_step.map(|i| (i, i)),
        ),
        PartBody::Predict { .. } => {
            let gate = match focus_step {
                Some(i) => i,
                None if same_world => app.timeline.len(),
                None => 0,
            };
            (Want::Gate(gate), Phase::Ask, focus_step.map(|i| (i, i)))
        }
        PartBody::Checkpoint { check, .. } => {
            let step = check_step(check).and_then(|r| locate(&full, r.get_ref()).ok());
            let outcome = mode.run.evaluate_checkpoint(pos).unwrap_or(CheckResult {
                passed: false,
                detail: "not a checkpoint".into(),
                unresolved: None,
            });
            (Want::Full, Phase::Checked(outcome), step.map(|i| (i, i)))
        }
        PartBody::Try { .. } => match mode.tried.get(&pos) {
            Some((spec, cursor)) => (Want::Tried(spec.clone(), *cursor), Phase::Try(None), None),
            None => (Want::Full, Phase::Try(None), None),
        },
    };
    mode.phase = phase;
    mode.focus = focus;
    if let Want::Gate(g) = want {
        mode.gate = Some(g);
    }
    let generation = app.timeline.generation + 1;
    let tried_cursor = match &want {
        Want::Tried(_, c) => Some(*c),
        _ => None,
    };
    let rebuilt = match want {
        Want::Gate(g) if !same_world || app.timeline.len() > g => {
            show_world(app, Timeline::replay(spec, g, generation));
            true
        }
        Want::Len(n) | Want::Gate(n) if same_world => {
            while app.timeline.len() < n && app.timeline.advance() {}
            false
        }
        Want::Len(n) | Want::Gate(n) => {
            show_world(app, Timeline::replay(spec, n, generation));
            true
        }
        Want::Full if same_world => {
            app.timeline.run_to_end();
            false
        }
        Want::Full => {
            show_world(app, Timeline::replay(spec, MAX_STEPS, generation));
            true
        }
        Want::Tried(spec, _) if app.timeline.spec == spec => false,
        Want::Tried(spec, _) => {
            show_world(app, Timeline::replay(spec, MAX_STEPS, generation));
            true
        }
        Want::Keep if same_world => false,
        Want::Stay => false,
        Want::Keep => {
            show_world(app, Timeline::new(spec));
            true
        }
    };
    let len = app.timeline.len();
    let last = len.saturating_sub(1);
    // A gate after the end of a run that is all on screen holds nothing back.
    if let Some(mode) = app.lesson.as_mut()
        && mode
            .gate
            .is_some_and(|g| len <= g && app.timeline.is_finished())
    {
        mode.gate = None;
    }
    let cursor = match (focus, &part.body) {
        _ if tried_cursor.is_some() => tried_cursor.unwrap_or(0).min(last),
        (None, PartBody::Quiz { .. }) => app.cursor.min(last),
        (Some((a, _)), _) if a < len => a,
        (_, PartBody::Predict { .. }) => last,
        (_, PartBody::Try { .. }) => last,
        (_, PartBody::Checkpoint { .. }) if rebuilt => last,
        _ if rebuilt => 0,
        _ => app.cursor.min(last),
    };
    app.cursor = usize::MAX; // force `select` to refresh the view state
    select(app, cursor);
    if app.overlay == Some(Overlay::Welcome) {
        app.overlay = None;
    }
    refresh_try(app);
}

/// The phase of a question part: its recorded answer if there is one, else waiting.
fn recalled(run: &mut LessonRun, part: usize) -> Phase {
    match run.recall(part) {
        Some((choice, feedback)) => Phase::Answered { choice, feedback },
        None => Phase::Ask,
    }
}

/// The step a checkpoint is about, if it names one (the first, for combinations).
fn check_step(c: &crate::lesson::Checkpoint) -> Option<&At> {
    use crate::lesson::check::Assertion as A;
    match &c.assertion {
        A::Verdict { at, .. } => at.as_ref(),
        A::All(v) | A::Any(v) => v.iter().find_map(check_step),
        A::Not(inner) => check_step(inner),
        single => single.single_step(),
    }
}

fn save(app: &mut App) {
    let Some(mode) = &app.lesson else { return };
    let p = mode.run.progress().clone();
    app.library.saved.insert(p.lesson.clone(), p.clone());
    if app.library.store.is_some() {
        app.tasks.push(Task::SaveProgress(p));
    }
}

/// Answers the current question with the 0-based `choice`.
pub fn answer(app: &mut App, choice: usize) {
    let Some(mode) = app.lesson.as_mut() else {
        return;
    };
    if mode.phase != Phase::Ask {
        return;
    }
    let n = mode.choice_count();
    if choice >= n {
        app.notify(
            Level::Info,
            format!(
                "There are {n} choices: press 1–{n} (or a–{}).",
                letter(n - 1)
            ),
        );
        return;
    }
    let pos = mode.run.position();
    let is_predict = matches!(
        mode.run.part().map(|p| &p.body),
        Some(PartBody::Predict { .. })
    );
    match mode.run.answer(pos, choice) {
        Ok(feedback) => {
            mode.phase = Phase::Answered { choice, feedback };
            mode.gate = None;
            mode.scroll.set(0);
            save(app);
            if is_predict && !at_end(app) {
                // Let the world run on, so the learner sees the outcome.
                app.playing = true;
                app.play_elapsed_ms = 0;
            }
        }
        Err(e) => app.notify(Level::Problem, e.to_string()),
    }
}

/// Enter: on to the next part when this one is done.
pub fn next_part(app: &mut App) {
    let Some(mode) = app.lesson.as_mut() else {
        return;
    };
    match &mut mode.phase {
        Phase::Intro(part) => {
            mode.phase = std::mem::replace(part.as_mut(), Phase::Read);
            mode.scroll.set(0);
        }
        Phase::Ask => {
            let n = mode.choice_count();
            app.notify(
                Level::Info,
                format!(
                    "Choose an answer first: press 1–{n} (or a–{}).",
                    letter(n.saturating_sub(1))
                ),
            );
        }
        Phase::Try(st) if !st.as_ref().is_some_and(|s| s.done) => {
            let missing = st
                .as_ref()
                .map(try_missing)
                .unwrap_or_else(|| "do what the lesson asks".into());
            app.notify(
                Level::Info,
                format!("Not yet: {missing}. h shows a hint; s skips this part."),
            );
        }
        Phase::Finished => {
            let id = mode.lesson().id.clone();
            let i = app.library.lessons.iter().position(|l| l.id == id);
            match i.and_then(|i| app.library.lessons.get(i + 1)) {
                Some(next) => {
                    let id = next.id.clone();
                    start(app, &id);
                }
                None => {
                    app.overlay = Some(Overlay::Lessons { selected: 0 });
                }
            }
        }
        _ => {
            keep_tried(app);
            if let Some(mode) = app.lesson.as_mut() {
                mode.run.complete_part();
            }
            save(app);
            enter(app);
        }
    }
}

/// Backspace: back to the previous part.
pub fn prev_part(app: &mut App) {
    let Some(mode) = app.lesson.as_mut() else {
        return;
    };
    let pos = mode.run.position();
    if pos == 0 && !mode.is_intro() {
        // Back to the lesson's first screen.
        show_intro(app);
        return;
    }
    if pos == 0 {
        app.notify(Level::Info, "This is the start of the lesson.");
        return;
    }
    keep_tried(app);
    if let Some(mode) = app.lesson.as_mut() {
        mode.run.goto(pos - 1);
    }
    enter(app);
}

/// `h` in a try: show its hint.
pub fn hint(app: &mut App) {
    if let Some(mode) = app.lesson.as_mut()
        && mode.is_trying()
    {
        mode.hint = true;
    }
}

/// `s` in a try: skip it.
pub fn skip(app: &mut App) {
    let Some(mode) = app.lesson.as_mut() else {
        return;
    };
    if !mode.is_trying() {
        return;
    }
    keep_tried(app);
    let Some(mode) = app.lesson.as_mut() else {
        return;
    };
    mode.run.complete_part();
    save(app);
    enter(app);
    app.notify(Level::Info, "Skipped the try. Backspace goes back to it.");
}

/// The learner's world run to its end, as a throwaway copy (the check of a try is
/// about the whole run, whatever step the learner is on).
fn world_to_end(app: &App) -> Simulation {
    app.timeline.spec.run_to(MAX_STEPS)
}

/// In a try, re-evaluates whether the learner's world does what it asks (when the
/// world has changed), and says so when it newly does.
pub(crate) fn refresh_try(app: &mut App) {
    let Some(mode) = app.lesson.as_ref() else {
        return;
    };
    let Phase::Try(old) = &mode.phase else {
        return;
    };
    let key = (
        app.timeline.generation,
        app.timeline.spec.clone(),
        app.timeline.sim().inputs().len(),
        app.timeline.len(),
    );
    if mode.try_key.as_ref() == Some(&key) {
        return;
    }
    let was_done = old.as_ref().is_some_and(|s| s.done);
    let pos = mode.run.position();
    let attack = app.timeline.spec.attack.map(AttackId::attack);
    let copy = world_to_end(app);
    let mut status = mode.run.try_status(pos, Eval { sim: &copy, attack });
    if !status.as_ref().is_some_and(|s| s.done) && app.timeline.is_finished() {
        let sim = app.timeline.sim();
        let now = mode.run.try_status(pos, Eval { sim, attack });
        if now.as_ref().is_some_and(|s| s.done) {
            status = now;
        }
    }
    let done = status.as_ref().is_some_and(|s| s.done);
    if let Some(mode) = app.lesson.as_mut() {
        mode.phase = Phase::Try(status);
        mode.try_key = Some(key);
    }
    if done && !was_done {
        app.notify(
            Level::Changed,
            "✓ Done: the lesson recognises it. Step through to watch it (End jumps to the end); Enter continues.",
        );
    }
}
