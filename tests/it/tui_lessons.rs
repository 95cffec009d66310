//! Lesson mode, driven through the UI's own key map and `update` function: lesson 4
//! from its first part to its summary (right and wrong answers, the score, the gate
//! before a predicted step, the try done in the UI), the lesson list, saved progress and
//! resuming, and every built-in lesson walked to its end.

use oauth_lab::lesson::{self, ProgressStore};
use oauth_lab::testing::*;
use oauth_lab::tui::app::{App, Overlay, Pane};
use oauth_lab::tui::lesson::{Library, Phase};
use oauth_lab::tui::tasks::perform_saves;
use oauth_lab::tui::{Action, press, render_to_text, update};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

fn enter(app: &mut App) {
    press(app, key(KeyCode::Enter));
}

/// The app at 120×40 with lesson `id` started (progress kept in memory).
fn start(id: &str) -> App {
    let mut app = launch();
    update(&mut app, Action::StartLesson(id.to_string()));
    app
}

fn mode(app: &App) -> &oauth_lab::tui::lesson::LessonMode {
    app.lesson.as_ref().expect("lesson mode")
}

fn kind(app: &App) -> &'static str {
    mode(app).run.part().map_or("end", |p| p.body.kind())
}

fn position(app: &App) -> usize {
    mode(app).run.position()
}

fn score(app: &App) -> usize {
    mode(app).score().0
}

/// Presses Enter (answering questions on the way with their first choice) until the
/// current part is of `kind`.
fn continue_to(app: &mut App, kind_wanted: &str) {
    for _ in 0..60 {
        if kind(app) == kind_wanted {
            return;
        }
        if mode(app).phase == Phase::Ask {
            press(app, digit(0));
        }
        enter(app);
    }
    panic!("never reached a {kind_wanted} part");
}

/// The 0-based index of the right choice of the waiting prediction, computed by the
/// lesson engine (not written in the file).
fn right_choice(app: &mut App) -> usize {
    let m = app.lesson.as_mut().expect("lesson mode");
    let pos = m.run.position();
    let answer = m.run.computed_answer(pos).expect("computable");
    m.run
        .choices(pos)
        .iter()
        .position(|c| *c == answer)
        .expect("the answer is a choice")
}

/// In the open defense panel: down to PKCE, on (S256), close.
fn pkce_on_in_the_open_panel(app: &mut App) {
    for k in [
        key(KeyCode::Down),
        key(KeyCode::Down),
        ch(' '),
        key(KeyCode::Esc),
    ] {
        press(app, k);
    }
}

fn digit(i: usize) -> KeyEvent {
    ch((b'1' + i as u8) as char)
}

#[test]
fn lesson_4_from_start_to_summary() {
    let mut app = start("4");
    assert_eq!(app.focus, Pane::Lesson);
    // The lesson's first screen: its summary and goals, from the lesson file.
    assert!(mode(&app).is_intro());
    let s = render_to_text(&app, 120, 40);
    let l = mode(&app).lesson().clone();
    assert!(s.contains("Lesson 4 · PKCE") && s.contains("Goals:"), "{s}");
    assert!(s.contains(&l.goals[0][..40]), "{s}");
    assert!(
        s.contains(&l.summary.trim().lines().next().unwrap()[..40]),
        "{s}"
    );
    // Enter starts part 1, already set up behind it.
    enter(&mut app);
    assert_eq!(kind(&app), "narration");
    assert!(!mode(&app).is_intro());
    let s = render_to_text(&app, 120, 40);
    assert!(
        s.contains("Lesson 4 · PKCE") && s.contains("part 1/13"),
        "{s}"
    );
    // Backspace from part 1 shows the first screen again.
    press(&mut app, key(KeyCode::Backspace));
    assert!(mode(&app).is_intro());
    enter(&mut app);
    // The narration highlights its step in the diagram: the app's sign-in event.
    let (a, _) = mode(&app).focus.expect("a focus step");
    assert_eq!(app.cursor, a);
    assert_eq!(app.timeline.trace().steps[a].from.as_str(), "photos-app");

    // The first prediction waits before the attacker's token request.
    continue_to(&mut app, "predict");
    assert_eq!(position(&app), 4);
    assert_eq!(mode(&app).phase, Phase::Ask);
    let gate = mode(&app).gate.expect("a gate");
    assert_eq!(app.timeline.len(), gate);
    let asked = app
        .lesson
        .as_mut()
        .unwrap()
        .run
        .world_run(0)
        .sim
        .trace()
        .steps[gate]
        .clone();
    assert!(asked.summary.contains("token") && asked.origin == oauth_lab::sim::Origin::Attacker);
    // The learner cannot step past the predicted step, by any key.
    for k in [
        key(KeyCode::Right),
        key(KeyCode::End),
        ch('l'),
        ch('G'),
        ch(' '),
    ] {
        press(&mut app, k);
        update(&mut app, Action::Tick(5_000));
        assert!(app.timeline.len() <= gate, "{k:?} stepped past the gate");
        assert!(app.cursor < gate);
    }
    // Enter does not skip the question either.
    enter(&mut app);
    assert_eq!(position(&app), 4);
    // World changes wait for the "your turn" part.
    press(&mut app, ch('d'));
    assert_eq!(app.overlay, None);
    assert!(app.notice.as_ref().unwrap().text.contains("Your turn"));

    // A wrong answer: the score stays, the right answer and the explanation show.
    let right = right_choice(&mut app);
    assert_eq!(mode(&app).run.choices(4)[right], "succeeds");
    press(&mut app, digit(1 - right));
    match &mode(&app).phase {
        Phase::Answered { feedback, .. } => {
            assert!(!feedback.correct);
            assert_eq!(feedback.right_text, "succeeds");
        }
        p => panic!("not answered: {p:?}"),
    }
    assert_eq!(score(&app), 0);
    let s = render_to_text(&app, 120, 40);
    assert!(
        s.contains("Not this time") && s.contains("the simulation's answer"),
        "{s}"
    );
    // …and the world runs on past the step the question waited for.
    assert!(app.playing);
    press(&mut app, key(KeyCode::End));
    assert!(app.timeline.len() > gate);
    assert!(app.verdict.as_ref().is_some_and(|v| v.verdict.succeeded()));

    // A checkpoint is checked against the world.
    enter(&mut app);
    assert_eq!(kind(&app), "checkpoint");
    assert!(matches!(&mode(&app).phase, Phase::Checked(o) if o.passed));

    // The next prediction, in the PKCE world, answered right (with a letter): +1.
    continue_to(&mut app, "predict");
    assert_eq!(
        app.timeline
            .spec
            .defenses
            .value_label(oauth_lab::actors::DefenseId::Pkce),
        "S256"
    );
    let right = right_choice(&mut app);
    press(&mut app, ch((b'a' + right as u8) as char));
    assert_eq!(score(&app), 1);
    // Answering again later does not change the score.
    enter(&mut app);
    press(&mut app, key(KeyCode::Backspace));
    assert_eq!(kind(&app), "predict");
    press(&mut app, digit(0));
    press(&mut app, digit(3));
    assert_eq!(score(&app), 1);
    enter(&mut app);
    // The error prediction, right: +1.
    assert_eq!(kind(&app), "predict");
    let right = right_choice(&mut app);
    press(&mut app, digit(right));
    assert_eq!(score(&app), 2);

    // The quiz, answered wrong: every explanation shows.
    continue_to(&mut app, "quiz");
    press(&mut app, digit(1));
    assert_eq!(score(&app), 2);
    let s = render_to_text(&app, 120, 40);
    assert!(
        s.contains("your answer") && s.contains("RFC 7636 §4.2"),
        "{s}"
    );

    // The try: done in the UI by toggling PKCE in the defense panel.
    enter(&mut app);
    assert_eq!(kind(&app), "try");
    assert!(matches!(&mode(&app).phase, Phase::Try(Some(s)) if !s.done));
    enter(&mut app);
    assert_eq!(kind(&app), "try", "Enter does not pass an undone try");
    press(&mut app, ch('h'));
    assert!(mode(&app).hint);
    assert!(render_to_text(&app, 120, 40).contains("Hint:"));
    press(&mut app, ch('d'));
    assert!(matches!(app.overlay, Some(Overlay::Defenses { .. })));
    pkce_on_in_the_open_panel(&mut app);
    assert!(
        matches!(&mode(&app).phase, Phase::Try(Some(s)) if s.done),
        "{:?}",
        mode(&app).phase
    );
    assert!(app.verdict.as_ref().is_some_and(|v| !v.verdict.succeeded()));

    // The end: a summary with the score.
    enter(&mut app);
    assert_eq!(mode(&app).phase, Phase::Finished);
    assert!(mode(&app).run.progress().completed);
    let s = render_to_text(&app, 120, 40);
    assert!(s.contains("LESSON COMPLETE — score 2/4"), "{s}");
    let saved = app.library.saved.get("pkce-code-interception").unwrap();
    assert!(saved.completed && saved.score() == 2);
}

#[test]
fn the_lesson_world_is_the_lesson_engines_live_world() {
    let mut app = start("4");
    for _ in 0..12 {
        let m = app.lesson.as_ref().unwrap();
        let part = m.run.part().unwrap();
        let world = oauth_lab::tui::lesson::ui_spec(&m.lesson().worlds[part.world]);
        // (A quiz about facts outside the simulation leaves the screen as it was.)
        if let Some(sim) = m.run.sim()
            && app.timeline.spec == world
        {
            let (ui, live) = (&app.timeline.trace().steps, &sim.trace().steps);
            let n = ui.len().min(live.len());
            assert!(n > 0 || part.body.kind() == "predict");
            assert!(ui[..n] == live[..n], "part {}", m.run.position());
        } else {
            assert_eq!(part.body.kind(), "quiz");
        }
        if kind(&app) == "predict" || kind(&app) == "quiz" {
            press(&mut app, digit(0));
        }
        enter(&mut app);
    }
}

#[test]
fn the_lesson_list_shows_progress_and_starts_a_lesson() {
    let mut app = launch();
    press(&mut app, ch('L'));
    assert_eq!(app.overlay, Some(Overlay::Lessons { selected: 0 }));
    let s = render_to_text(&app, 120, 40);
    assert!(s.contains("not started") && s.contains("Capstone"), "{s}");
    press(&mut app, key(KeyCode::Esc));
    assert_eq!(app.overlay, None);
    assert!(app.lesson.is_none());
    // Down three times: lesson 4.
    press(&mut app, ch('L'));
    press_n(&mut app, KeyCode::Down, 3);
    enter(&mut app);
    assert_eq!(mode(&app).lesson().number, Some(4));
    // Past the lesson's first screen, then part 1 done.
    press_n(&mut app, KeyCode::Enter, 2);
    press(&mut app, ch('L'));
    let s = render_to_text(&app, 120, 40);
    assert!(s.contains("1/13 parts · score 0/4"), "{s}");
    // x leaves the lesson: the world is the learner's again.
    press(&mut app, ch('x'));
    assert!(app.lesson.is_none());
    press(&mut app, ch('d'));
    assert!(matches!(app.overlay, Some(Overlay::Defenses { .. })));
}

#[test]
fn progress_is_saved_and_a_lesson_resumes_at_the_first_unfinished_part() {
    let dir = temp_dir("tui-lessons", "resume");
    let store = ProgressStore::new(Some(dir.clone()));
    let lessons = lesson::available().0;
    let l4 = lesson::find(&lessons, "4").unwrap().clone();
    let mut app = oauth_lab::cli::tui_cmd::lesson_app(l4.clone(), store.clone(), false);
    update(&mut app, Action::Resize(120, 40));
    continue_to(&mut app, "predict");
    let right = right_choice(&mut app);
    press(&mut app, digit(right));
    perform_saves(&mut app);
    let saved = store.load(&l4.id).progress;
    assert_eq!(saved.score(), 1);
    assert!(saved.parts_done.contains(&4));
    assert_eq!(saved.resume_at(l4.parts.len()), 5);
    press(&mut app, ch('q'));
    assert!(app.should_quit);

    // A new session resumes at part 6, the first not done.
    let mut again = oauth_lab::cli::tui_cmd::lesson_app(l4.clone(), store.clone(), false);
    update(&mut again, Action::Resize(120, 40));
    assert_eq!(position(&again), 5);
    assert!(
        again
            .notice
            .as_ref()
            .unwrap()
            .text
            .contains("Resuming at part 6")
    );
    assert_eq!(score(&again), 1);
    // And the list, from a library with this store, shows it.
    let lib = Library::with_store(store.clone());
    let listed = lib.listed();
    let row = listed.iter().find(|l| l.id == l4.id).unwrap();
    assert_eq!((row.parts_done, row.score), (5, 1));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_try_can_be_skipped_and_every_lesson_reaches_its_end() {
    let lessons = lesson::available().0;
    assert!(lessons.len() >= 13);
    for l in &lessons {
        let app = walk(&l.id, |app| {
            // Every screen renders, at both sizes.
            let _ = render_to_text(app, 80, 24);
        });
        assert!(mode(&app).run.progress().completed, "{}", l.id);
        let s = render_to_text(&app, 120, 40);
        assert!(s.contains("LESSON COMPLETE"), "{}: {s}", l.id);
    }
}

/// Walks lesson `id` to its end: predictions get the computed answer, quizzes their
/// first option, tries are skipped; `look` sees the app after every key.
fn walk(id: &str, mut look: impl FnMut(&mut App)) -> App {
    let mut app = start(id);
    let mut guard = 0;
    while mode(&app).phase != Phase::Finished {
        guard += 1;
        assert!(guard < 200, "{id} never ends");
        look(&mut app);
        match kind(&app) {
            "predict" | "quiz" => {
                let right = match kind(&app) {
                    "predict" => right_choice(&mut app),
                    _ => 0,
                };
                press(&mut app, digit(right));
                press(&mut app, key(KeyCode::End));
                enter(&mut app);
            }
            "try" => press(&mut app, ch('s')),
            _ => enter(&mut app),
        }
    }
    app
}

#[test]
fn a_try_recognises_a_replay_done_in_intercept_mode() {
    // Lesson 7's try: replay the client's token request by hand.
    let mut app = start("7");
    continue_to(&mut app, "try");
    assert!(matches!(&mode(&app).phase, Phase::Try(Some(s)) if !s.done));
    let token = app
        .timeline
        .trace()
        .steps
        .iter()
        .find(|s| {
            s.to.as_str() == "as" && s.summary.contains("POST") && s.summary.contains("token")
        })
        .expect("a token request")
        .index;
    // Select the token response, intercept, select the request, replay it.
    update(&mut app, Action::Select(token + 1));
    press(&mut app, ch('i'));
    update(&mut app, Action::Select(token));
    press(&mut app, ch('r'));
    for _ in 0..6 {
        press(&mut app, ch('f'));
    }
    assert!(
        matches!(&mode(&app).phase, Phase::Try(Some(s)) if s.done),
        "{:?}\n{}",
        mode(&app).phase,
        render_to_text(&app, 120, 40)
    );
}

#[test]
fn the_lesson_pane_reads_at_80x24_and_in_presenter_mode() {
    let mut app = start("4");
    update(&mut app, Action::Resize(80, 24));
    continue_to(&mut app, "predict");
    let s = render_to_text(&app, 80, 24);
    assert!(
        s.contains("PREDICT") && s.contains("1) succeeds") && s.contains("2) blocked"),
        "{s}"
    );
    press(&mut app, ch('F'));
    let s = render_to_text(&app, 120, 40);
    assert!(
        s.contains("Will the attack succeed?") && s.contains("1) succeeds"),
        "{s}"
    );
    for (w, h) in [(1, 1), (20, 5), (79, 23), (80, 24), (300, 100)] {
        update(&mut app, Action::Resize(w, h));
        let _ = render_to_text(&app, w, h);
    }
}

/// The screen with each offered choice (`1) 303`) taken out, so what is left can be
/// searched for an answer given away.
fn without_choices(screen: &str, choices: &[String]) -> String {
    let mut s = screen.to_string();
    for (i, c) in choices.iter().enumerate() {
        s = s.replace(&format!("{}) {c}", i + 1), "");
    }
    s
}

/// The no-spoiler rule on rendered screens: at every waiting prediction of every built-in
/// lesson, at 80×24, 120×40 and 200×60, the world is held before the step it asks about
/// (so no diagram row shows it or a later one), the status bar gives no step total, and
/// the computed answer appears nowhere on the screen except among the offered choices.
#[test]
fn no_waiting_question_shows_its_answer_on_screen() {
    let mut checked = 0;
    for l in &lesson::available().0 {
        walk(&l.id, |app| {
            if kind(app) != "predict" || mode(app).phase != Phase::Ask {
                return;
            }
            let pos = position(app);
            let m = app.lesson.as_mut().expect("lesson mode");
            let answer = m.run.computed_answer(pos).expect("an answer");
            let choices = m.run.choices(pos);
            let asked = m.run.focus_step(pos);
            let world = m.run.part().expect("a part").world;
            // Actor names label the diagram's lanes whatever happens.
            let actor = m
                .run
                .world_run(world)
                .sim
                .trace()
                .steps
                .iter()
                .any(|st| answer == st.from.0 || answer == st.to.0)
                || answer == "nobody";
            let shown = app.timeline.len();
            if let Some(asked) = asked {
                assert!(
                    shown <= asked,
                    "{} part {}: {shown} steps on screen, the question asks before step {asked}",
                    l.id,
                    pos + 1
                );
            }
            // An answer that the steps already delivered carry too (an earlier
            // `200 OK`), or a plain word (`no`), says nothing by appearing.
            let delivered: String = app.timeline.sim().trace().steps[..shown]
                .iter()
                .map(|st| format!("{} {} {}\n", &*st.summary, st.wire, st.annotation))
                .collect();
            let common = actor
                        || ["yes", "no"].contains(&answer.as_str())
                        // A count of attacks (`4`) is a tab number and a step index too.
                        || (answer.len() < 3 && answer.bytes().all(|b| b.is_ascii_digit()))
                        || lesson::spoilers::names(&delivered, &answer);
            for (w, h) in [(80, 24), (120, 40), (200, 60)] {
                let s = render_to_text(app, w, h);
                assert!(
                    !s.contains(&format!("step {}/", app.cursor)),
                    "{} part {}: the status bar shows the step total\n{s}",
                    l.id,
                    pos + 1
                );
                let rest = without_choices(&s, &choices);
                assert!(
                    common || !lesson::spoilers::names(&rest, &answer),
                    "{} part {} at {w}×{h}: `{answer}` is on screen outside the choices\n{s}",
                    l.id,
                    pos + 1
                );
            }
            checked += 1;
        });
    }
    assert!(checked >= 30, "only {checked} predictions checked");
}

/// Lesson 1 up to its first checkpoint (part 3): the lesson's first screen, then parts 1–2.
#[test]
fn a_checkpoint_shows_the_values_it_found() {
    let mut app = start("1");
    continue_to(&mut app, "checkpoint");
    assert!(matches!(&mode(&app).phase, Phase::Checked(o) if o.passed));
    let s = render_to_text(&app, 120, 40);
    // A combined check names what each of its parts found, not "all hold".
    let i = app
        .timeline
        .trace()
        .steps
        .iter()
        .position(|st| st.summary.starts_with("GET as.example/authorize"))
        .expect("the authorization request");
    let state = app.timeline.trace().steps[i]
        .decoded
        .param("state")
        .expect("state");
    assert!(
        s.contains("response_type = code") && s.contains(&format!("state = {state}")),
        "{s}"
    );
    assert!(!s.contains("all hold"), "{s}");
}

#[test]
fn going_back_to_an_answered_question_shows_the_answer_given() {
    let mut app = start("4");
    continue_to(&mut app, "predict");
    let pos = position(&app);
    let gate = mode(&app).gate.expect("a gate");
    let right = right_choice(&mut app);
    let wrong = 1 - right;
    press(&mut app, digit(wrong));
    enter(&mut app);
    assert_eq!(kind(&app), "checkpoint");
    // Back: the answer given and its grade, not a fresh question; the world is not
    // held back any more, as after answering.
    press(&mut app, key(KeyCode::Backspace));
    assert_eq!(position(&app), pos);
    match &mode(&app).phase {
        Phase::Answered { choice, feedback } => {
            assert_eq!(*choice, wrong);
            assert!(!feedback.correct);
            assert_eq!(feedback.right, right);
        }
        p => panic!("a fresh question again: {p:?}"),
    }
    assert_eq!(mode(&app).gate, None);
    assert!(app.timeline.len() > gate);
    let s = render_to_text(&app, 120, 40);
    assert!(
        s.contains("Not this time") && s.contains("← your answer"),
        "{s}"
    );
    // Keys do not answer it again: the score stays.
    press(&mut app, digit(right));
    assert_eq!(score(&app), 0);

    // A quiz, the same way.
    continue_to(&mut app, "quiz");
    let quiz = position(&app);
    press(&mut app, digit(1));
    enter(&mut app);
    press(&mut app, key(KeyCode::Backspace));
    assert_eq!(position(&app), quiz);
    assert!(
        matches!(&mode(&app).phase, Phase::Answered { choice: 1, .. }),
        "{:?}",
        mode(&app).phase
    );
    assert!(render_to_text(&app, 120, 40).contains("← your answer"));
}

#[test]
fn going_back_over_a_done_try_keeps_the_learners_world() {
    let mut app = start("4");
    continue_to(&mut app, "try");
    let try_part = position(&app);
    // Done in the UI: PKCE turned on in the defense panel.
    press(&mut app, ch('d'));
    pkce_on_in_the_open_panel(&mut app);
    assert!(matches!(&mode(&app).phase, Phase::Try(Some(s)) if s.done));
    let learners = app.timeline.spec.clone();
    enter(&mut app);
    // Back to the try: the learner's world, still done.
    press(&mut app, key(KeyCode::Backspace));
    assert_eq!(position(&app), try_part);
    assert_eq!(app.timeline.spec, learners);
    assert!(
        matches!(&mode(&app).phase, Phase::Try(Some(s)) if s.done),
        "{:?}",
        mode(&app).phase
    );
    // Further back, and forward over it again: still the learner's world.
    press(&mut app, key(KeyCode::Backspace));
    assert!(position(&app) < try_part);
    enter(&mut app);
    assert_eq!(position(&app), try_part);
    assert_eq!(app.timeline.spec, learners);
    assert!(matches!(&mode(&app).phase, Phase::Try(Some(s)) if s.done));
}

/// Lesson 4 part 2 asks the learner to look at the AS's note on step 4: at every size
/// the note can be read in full — in the "What happened" pane, which takes the room
/// the lesson pane does not need, or at 80 × 24 in the lesson pane, scrolled.
#[test]
fn the_as_note_of_lesson_4_part_2_reads_in_full_at_every_size() {
    for (w, h) in [(200, 60), (120, 40), (80, 24)] {
        let mut app = start("4");
        update(&mut app, Action::Resize(w, h));
        press_n(&mut app, KeyCode::Enter, 2);
        assert_eq!(position(&app), 1);
        let note = app.step().expect("step 4").annotation.clone();
        assert!(note.contains("AS: no code_challenge"), "{note}");
        let last_words: Vec<&str> = note.split_whitespace().rev().take(4).collect();
        let mut s = render_to_text(&app, w, h);
        for _ in 0..10 {
            if last_words.iter().all(|word| s.contains(word)) {
                break;
            }
            press(&mut app, key(KeyCode::PageDown));
            s = render_to_text(&app, w, h);
        }
        let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
        let flat = flat.replace(['│', '┃'], "");
        let flat = flat.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains(&note.split_whitespace().collect::<Vec<_>>().join(" ")),
            "{w}×{h}: the note is not all on screen\n{s}"
        );
        assert!(!s.contains("cut off"), "{s}");
    }
}
