//! Whole screens of the terminal UI, rendered into a `TestBackend` and compared with
//! `insta` snapshots (`tests/it/snapshots/it__tui_snapshots__*.snap`). The app is driven by its
//! own key map and update function, exactly as the event loop drives it.

use oauth_lab::testing::*;
use oauth_lab::tui::app::{App, Tab};
use oauth_lab::tui::{Action, press, update};
use ratatui::crossterm::event::KeyCode;

/// The first launch at `w` × `h`, welcome dismissed, at step `n`.
fn at_step(n: usize, w: u16, h: u16) -> App {
    let mut app = launch_at(w, h);
    update(&mut app, Action::Close);
    press_n(&mut app, KeyCode::Right, n);
    app
}

#[test]
fn first_launch_shows_the_welcome_at_step_0() {
    let app = launch();
    let s = screen(&app);
    assert!(s.contains("Welcome to oauth-lab") && s.contains("step 0/"));
    insta::assert_snapshot!("first_launch_120x40", s);
}

#[test]
fn happy_path_authorization_request_raw() {
    insta::assert_snapshot!("step_9_raw_120x40", screen(&at_step(9, 120, 40)));
}

#[test]
fn inspector_tabs() {
    let mut app = at_step(9, 120, 40);
    press(&mut app, ch('2'));
    assert_eq!(app.tab, Tab::Params);
    insta::assert_snapshot!("step_9_params", screen(&app));
    press_n(&mut app, KeyCode::Right, 10);
    for (c, name) in [
        ('3', "step_19_tokens"),
        ('4', "step_19_pkce"),
        ('5', "step_19_state"),
    ] {
        press(&mut app, ch(c));
        insta::assert_snapshot!(name, screen(&app));
    }
}

#[test]
fn defense_panel_after_turning_pkce_off() {
    let mut app = at_step(19, 120, 40);
    keys(
        &mut app,
        &[ch('d'), key(KeyCode::Down), key(KeyCode::Down), ch(' ')],
    );
    insta::assert_snapshot!("defense_panel", screen(&app));
    press(&mut app, key(KeyCode::Esc));
    insta::assert_snapshot!("after_pkce_off", screen(&app));
}

#[test]
fn help_lists_the_keys() {
    let mut app = at_step(3, 120, 40);
    press(&mut app, ch('?'));
    insta::assert_snapshot!("help", screen(&app));
}

#[test]
fn intercept_editing_shows_a_parse_error_inline() {
    let mut app = at_step(17, 120, 40);
    keys(&mut app, &[ch('i'), ch('f'), ch('e')]);
    // Break the status line of the held token response.
    keys(
        &mut app,
        &[
            key(KeyCode::Home),
            key(KeyCode::Delete),
            key(KeyCode::Delete),
        ],
    );
    press(&mut app, ctrl('s'));
    let s = screen(&app);
    assert!(s.contains("not sent"), "{s}");
    assert_eq!(app.held_count(), 1);
    insta::assert_snapshot!("intercept_editing_error", s);
}

#[test]
fn presenter_mode() {
    let mut app = at_step(16, 120, 40);
    press(&mut app, ch('F'));
    assert!(app.presenter);
    insta::assert_snapshot!("presenter_120x40", screen(&app));
}

#[test]
fn smallest_full_screen_80x24() {
    insta::assert_snapshot!("step_9_80x24", screen(&at_step(9, 80, 24)));
}

#[test]
fn below_80x24_asks_for_room() {
    let app = at_step(2, 60, 20);
    let s = screen(&app);
    assert!(s.contains("enlarge the terminal"), "{s}");
    insta::assert_snapshot!("too_small_60x20", s);
}

/// Launches `code-interception` under `naive` from the picker and runs it to the end.
fn code_interception_naive() -> App {
    let mut app = at_step(0, 120, 40);
    press(&mut app, ch('p')); // bcp → naive
    assert_eq!(app.timeline.spec.profile.name(), "naive");
    launch_attack(&mut app, "code-interception");
    app
}

#[test]
fn attack_succeeds_then_is_blocked() {
    let mut app = code_interception_naive();
    let s = screen(&app);
    assert!(s.contains("ATTACK SUCCEEDED"), "{s}");
    insta::assert_snapshot!("attack_code_interception_naive", s);
    // PKCE on: the same attack, re-run from the seed, is blocked.
    keys(
        &mut app,
        &[
            ch('d'),
            key(KeyCode::Down),
            key(KeyCode::Down),
            ch(' '),
            key(KeyCode::Esc),
            key(KeyCode::End),
        ],
    );
    let s = screen(&app);
    assert!(s.contains("ATTACK BLOCKED"), "{s}");
    insta::assert_snapshot!("attack_code_interception_pkce", s);
}

/// Lesson 4 started from the lesson list (`L`, down to lesson 4, Enter) at `w` × `h`.
fn lesson_4(w: u16, h: u16) -> App {
    let mut app = at_step(0, w, h);
    press(&mut app, ch('L'));
    press_n(&mut app, KeyCode::Down, 3);
    press(&mut app, key(KeyCode::Enter));
    app
}

/// Enter until the first prediction of lesson 4 (part 5) waits for an answer.
fn lesson_4_first_prediction(w: u16, h: u16) -> App {
    let mut app = lesson_4(w, h);
    // Past the lesson's first screen, then parts 1–4.
    press_n(&mut app, KeyCode::Enter, 5);
    app
}

#[test]
fn lesson_list() {
    let mut app = at_step(0, 120, 40);
    press(&mut app, ch('L'));
    press_n(&mut app, KeyCode::Down, 3);
    let s = screen(&app);
    assert!(s.contains("Lessons") && s.contains("not started"), "{s}");
    insta::assert_snapshot!("lesson_list", s);
}

#[test]
fn lesson_prediction_waiting_for_an_answer() {
    let app = lesson_4_first_prediction(120, 40);
    let s = screen(&app);
    assert!(s.contains("PREDICT") && s.contains("answer first"), "{s}");
    insta::assert_snapshot!("lesson_predict_waiting_120x40", s);
    let app = lesson_4_first_prediction(80, 24);
    insta::assert_snapshot!("lesson_predict_waiting_80x24", screen(&app));
}

#[test]
fn lesson_feedback_after_answering() {
    let mut app = lesson_4_first_prediction(120, 40);
    // Wrong: the attack succeeds. The world then runs on; End shows the outcome.
    press(&mut app, ch('2'));
    press(&mut app, key(KeyCode::End));
    let s = screen(&app);
    assert!(
        s.contains("Not this time") && s.contains("ATTACK SUCCEEDED"),
        "{s}"
    );
    insta::assert_snapshot!("lesson_feedback_wrong", s);
}

#[test]
fn lesson_summary() {
    let mut app = lesson_4(120, 40);
    let mut guard = 0;
    while !screen(&app).contains("LESSON COMPLETE") {
        guard += 1;
        assert!(guard < 60, "{}", screen(&app));
        let s = screen(&app);
        if s.contains("YOUR TURN") {
            press(&mut app, ch('s'));
        } else {
            // Questions get their first choice; other parts continue.
            press(&mut app, ch('1'));
            press(&mut app, key(KeyCode::Enter));
        }
    }
    insta::assert_snapshot!("lesson_summary", screen(&app));
}

#[test]
fn lesson_in_presenter_mode() {
    let mut app = lesson_4_first_prediction(120, 40);
    press(&mut app, ch('F'));
    insta::assert_snapshot!("lesson_presenter_120x40", screen(&app));
}
