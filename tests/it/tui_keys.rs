//! Key sequences driving the UI's own key map and `update` function, with assertions
//! on the app's state (the world behind the screen, the cursor, the verdict).

use oauth_lab::attacks::Verdict;
use oauth_lab::sim::{Origin, Step, StepKind};
use oauth_lab::testing::*;
use oauth_lab::tui::app::{App, Overlay, Pane, Tab};
use oauth_lab::tui::{Action, press, render_to_text, update};
use ratatui::crossterm::event::KeyCode;

/// The step is the AS's `invalid_grant` (RFC 6749 §5.2).
fn assert_invalid_grant(answer: &Step) {
    assert_eq!(
        answer.decoded.param("error").as_deref(),
        Some("invalid_grant"),
        "{}",
        answer.wire
    );
}

/// The index of the first step whose request line contains `needle`, sent to `to`.
fn find(app: &App, to: &str, needle: &str) -> usize {
    app.timeline
        .trace()
        .find(to, needle)
        .next()
        .unwrap_or_else(|| panic!("no step to {to} with {needle}"))
        .index
}

#[test]
fn first_key_closes_the_welcome_and_still_steps() {
    let mut app = launch();
    assert_eq!(app.overlay, Some(Overlay::Welcome));
    assert_eq!(app.cursor, 0);
    press(&mut app, key(KeyCode::Right));
    assert_eq!(app.overlay, None);
    assert_eq!(app.cursor, 1);
}

#[test]
fn stepping_back_is_instant_and_forward_again_is_identical() {
    let mut app = launch();
    press_n(&mut app, KeyCode::Right, 20);
    let trace = app.timeline.trace().clone();
    let state = app.timeline.state_at(12).cloned();
    for _ in 0..8 {
        press(&mut app, key(KeyCode::Left));
    }
    assert_eq!(app.cursor, 12);
    // Back does not touch the world: the cached state is shown.
    assert_eq!(app.timeline.len(), trace.steps.len());
    assert_eq!(app.timeline.state_at(app.cursor).cloned(), state);
    press(&mut app, ch('g'));
    assert_eq!(app.cursor, 0);
    press_n(&mut app, KeyCode::Right, 20);
    assert_eq!(app.timeline.trace(), &trace);
    press(&mut app, key(KeyCode::End));
    assert!(app.timeline.is_finished());
    assert_eq!(app.cursor, app.timeline.len() - 1);
}

#[test]
fn toggling_a_defense_keeps_the_cursor_and_points_at_the_change() {
    let mut app = launch();
    press_n(&mut app, KeyCode::Right, 12);
    press(&mut app, ch('d'));
    // Down twice: `pkce`.
    press_n(&mut app, KeyCode::Down, 2);
    press(&mut app, ch(' '));
    assert!(
        !app.timeline
            .spec
            .defenses
            .is_on(oauth_lab::actors::DefenseId::Pkce)
    );
    assert_eq!(app.cursor, 12);
    let change = app.changed.clone().expect("a change is pointed out");
    let notice = app.notice.clone().expect("a notice").text;
    assert!(notice.contains("code_challenge"), "{notice}");
    press(&mut app, key(KeyCode::Esc));
    press(&mut app, ch('c'));
    let jumped = change.message.map(|m| m.0).unwrap_or(change.index);
    assert!(app.cursor == change.index || app.cursor == jumped);
}

#[test]
fn profiles_cycle_and_rerun() {
    let mut app = launch();
    press_n(&mut app, KeyCode::Right, 5);
    for expected in ["naive", "rfc6749", "bcp"] {
        press(&mut app, ch('p'));
        assert_eq!(app.timeline.spec.profile.name(), expected);
        assert_eq!(app.cursor, 5);
    }
}

#[test]
fn advancing_the_clock_expires_the_code() {
    let mut app = launch();
    // Stop right after the AS's redirect carrying the code.
    let redirect = loop {
        press(&mut app, key(KeyCode::Right));
        let s = app.step().unwrap();
        if s.kind == StepKind::Response && s.decoded.param("code").is_some() {
            break app.cursor;
        }
        assert!(app.cursor < 40, "no code redirect found");
    };
    let before = app.timeline.sim().now();
    press(&mut app, ch('T')); // +10 min: the bcp code lifetime is 60 s
    assert_eq!(app.cursor, redirect + 1);
    assert!(app.step().unwrap().summary.contains("10 min"));
    assert!(app.timeline.sim().now().0 >= before.0 + 600_000);
    press(&mut app, key(KeyCode::End));
    let token = find(&app, "as", "/token");
    let answer = app
        .timeline
        .trace()
        .steps
        .iter()
        .find(|s| s.index > token && s.kind == StepKind::Response && s.from.as_str() == "as")
        .expect("the AS answers");
    assert_invalid_grant(answer);
}

#[test]
fn intercept_hold_edit_with_an_error_then_forward() {
    let mut app = launch();
    press_n(&mut app, KeyCode::Right, 17);
    press(&mut app, ch('i'));
    assert!(app.is_intercepting());
    assert_eq!(app.focus, Pane::Intercept);
    // The token request was on its way: intercept holds it too. Forwarded, its answer is held.
    assert_eq!(app.held_count(), 1);
    press(&mut app, ch('f'));
    assert_eq!(app.held_count(), 1);
    let len = app.timeline.len();
    press(&mut app, ch('e'));
    assert!(matches!(app.overlay, Some(Overlay::Editor(_))));
    // Typing `q` in the editor is text, not quit.
    press(&mut app, key(KeyCode::Home));
    press(&mut app, ch('q'));
    assert!(!app.should_quit);
    press(&mut app, ctrl('s'));
    match &app.overlay {
        Some(Overlay::Editor(ed)) => assert!(ed.error.is_some()),
        other => panic!("the editor should stay open, got {other:?}"),
    }
    assert_eq!(app.held_count(), 1, "nothing is lost");
    press(&mut app, key(KeyCode::Esc));
    assert_eq!(app.overlay, None);
    assert_eq!(app.held_count(), 1);
    assert_eq!(app.timeline.len(), len);
    press(&mut app, ch('f'));
    assert_eq!(app.timeline.len(), len + 1);
    assert!(app.step().unwrap().decoded.param("access_token").is_some());
    // The client reacts: its API call is now the message held.
    let held = &app.timeline.sim().held()[0];
    assert_eq!((held.from.as_str(), held.to.as_str()), ("client", "rs"));
}

#[test]
fn intercept_edit_is_delivered_as_typed() {
    let mut app = launch();
    press_n(&mut app, KeyCode::Right, 17);
    keys(&mut app, &[ch('i'), ch('f'), ch('e')]);
    // Replace the body with an OAuth error: the client must see exactly that.
    let body = r#"{"error":"access_denied"}"#;
    replace_editor_body(&mut app, body);
    press(&mut app, ctrl('l'));
    press(&mut app, ctrl('s'));
    assert_eq!(app.overlay, None, "sent");
    let step = app.step().unwrap();
    assert_eq!(step.origin, Origin::Learner);
    assert!(step.wire.ends_with(body));
    assert_eq!(
        step.decoded.param("error").as_deref(),
        Some("access_denied")
    );
}

#[test]
fn replaying_the_token_request_is_refused() {
    let mut app = launch();
    press(&mut app, key(KeyCode::End));
    let token = find(&app, "as", "/token");
    press(&mut app, ch('i'));
    press(&mut app, ch('g'));
    press_n(&mut app, KeyCode::Right, token);
    assert_eq!(app.cursor, token);
    press(&mut app, ch('r'));
    let replayed = app.step().unwrap().clone();
    assert_eq!(replayed.origin, Origin::Learner);
    assert_eq!(replayed.wire, app.timeline.trace().steps[token].wire);
    // The AS answers the replay. The replayed DPoP proof is an hour old by now (the
    // world's last step is Alice's visit an hour later), so the AS refuses it before it
    // looks at the code (dpop-proof-replay-check, RFC 9449 §11.1).
    press(&mut app, key(KeyCode::Right));
    let held_or_delivered = app.held_count() > 0 || app.step().unwrap().kind == StepKind::Response;
    assert!(held_or_delivered);
    if app.held_count() > 0 {
        press(&mut app, ch('f'));
    }
    let answer = app.step().unwrap();
    assert_eq!(
        answer.decoded.param("error").as_deref(),
        Some("invalid_dpop_proof"),
        "{}",
        answer.wire
    );
    assert!(answer.wire.contains("window"), "{}", answer.wire);
}

#[test]
fn code_interception_succeeds_under_naive_and_pkce_blocks_it_at_the_token_request() {
    let mut app = launch();
    press(&mut app, ch('p')); // naive
    launch_attack(&mut app, "code-interception");
    let v = app.verdict.clone().expect("a verdict at the end");
    assert!(v.verdict.succeeded(), "{v:?}");
    assert!(render_to_text(&app, 120, 40).contains("ATTACK SUCCEEDED"));

    press(&mut app, ch('d'));
    press(&mut app, key(KeyCode::Down));
    press(&mut app, key(KeyCode::Down));
    press(&mut app, ch(' '));
    press(&mut app, key(KeyCode::Esc));
    press(&mut app, key(KeyCode::End));
    let v = app.verdict.clone().expect("a verdict at the end");
    match &v.verdict {
        Verdict::Blocked { step: Some(n), by } => {
            let step = &app.timeline.trace().steps[*n];
            assert!(step.summary.contains("/token"), "{}", step.summary);
            assert!(by.contains("invalid_grant"), "{by}");
        }
        other => panic!("expected BLOCKED at a step, got {other:?}"),
    }
    let s = render_to_text(&app, 120, 40);
    assert!(s.contains("ATTACK BLOCKED at step"), "{s}");
}

#[test]
fn back_to_the_happy_path() {
    let mut app = launch();
    launch_attack(&mut app, "code-interception");
    assert!(app.timeline.spec.attack.is_some());
    press(&mut app, ch('a'));
    press(&mut app, ch('h'));
    assert!(app.timeline.spec.attack.is_none());
    assert_eq!(app.cursor, 0);
}

#[test]
fn tabs_focus_help_presenter_and_quit() {
    let mut app = launch();
    press(&mut app, key(KeyCode::Tab));
    assert_eq!(app.focus, Pane::Inspector);
    press(&mut app, ch(']'));
    assert_eq!(app.tab, Tab::Params);
    press(&mut app, ch('['));
    press(&mut app, ch('['));
    assert_eq!(app.tab, Tab::State);
    press(&mut app, key(KeyCode::Down));
    assert_eq!(app.inspector_scroll, 1);
    press(&mut app, key(KeyCode::BackTab));
    assert_eq!(app.focus, Pane::Diagram);
    press(&mut app, ch('?'));
    assert!(matches!(app.overlay, Some(Overlay::Help { .. })));
    press(&mut app, key(KeyCode::Esc));
    press(&mut app, ch('F'));
    assert!(app.presenter);
    press(&mut app, ch('F'));
    assert!(!app.presenter);
    press(&mut app, ch('q'));
    assert!(app.should_quit);
}

#[test]
fn play_steps_on_ticks_and_speed_changes() {
    let mut app = launch();
    press(&mut app, ch(' '));
    assert!(app.playing);
    update(&mut app, Action::Tick(1000));
    assert_eq!(app.cursor, 1);
    press(&mut app, ch('+'));
    update(&mut app, Action::Tick(500));
    assert_eq!(app.cursor, 2);
    press(&mut app, ch(' '));
    update(&mut app, Action::Tick(5000));
    assert_eq!(app.cursor, 2);
}

#[test]
fn mouse_click_selects_a_step_and_wheel_scrolls() {
    let mut app = launch();
    press(&mut app, key(KeyCode::Right));
    press_n(&mut app, KeyCode::Right, 9);
    // Find the screen row of step 3's arrow: the gutter shows its number.
    let screen = render_to_text(&app, 120, 40);
    let row = screen
        .lines()
        .position(|l| l.chars().skip(1).take(4).collect::<String>() == "   3")
        .expect("step 3 is on screen");
    update(&mut app, Action::Click(20, row as u16));
    assert_eq!(app.cursor, 3);
    update(
        &mut app,
        Action::Wheel {
            x: 20,
            y: row as u16,
            down: true,
        },
    );
    assert_eq!(app.cursor, 4);
}

#[test]
fn the_matrix_is_a_background_task() {
    let mut app = launch();
    press(&mut app, ch('m'));
    assert!(matches!(app.overlay, Some(Overlay::Matrix { .. })));
    assert!(app.matrix.running);
    assert_eq!(
        app.tasks.len(),
        1,
        "queued for the event loop, not computed in update"
    );
    // The event loop would run it on a thread; here, a few cells by hand.
    let mut n = 0;
    oauth_lab::tui::attacks::compute_matrix(app.timeline.spec.seed, |cell| {
        update(&mut app, Action::MatrixCell(cell));
        n += 1;
        n < 3
    });
    update(&mut app, Action::MatrixDone);
    assert_eq!(app.matrix.cells.len(), 3);
    assert!(render_to_text(&app, 120, 40).contains("code-interception"));
}

#[test]
fn intercept_holds_what_was_already_queued_and_forward_all_releases_it() {
    let mut app = launch();
    press_n(&mut app, KeyCode::Right, 17);
    let queued = app.timeline.sim().in_flight().count();
    assert!(queued > 0, "a message is on its way at step 17");
    press(&mut app, ch('i'));
    assert_eq!(
        app.held_count(),
        queued,
        "turning intercept on holds what was queued"
    );
    let len = app.timeline.len();
    press(&mut app, key(KeyCode::Right));
    assert_eq!(app.timeline.len(), len, "nothing was let through");
    let before: Vec<_> = app.timeline.sim().held().iter().map(|e| e.id).collect();
    press(&mut app, ch('w'));
    assert!(
        app.timeline
            .sim()
            .held()
            .iter()
            .all(|e| !before.contains(&e.id)),
        "every message held before is delivered (what is held now was sent after)"
    );
    assert!(app.timeline.len() > len);
    assert!(app.is_intercepting(), "forward-all keeps intercept on");
    let inputs = app.timeline.inputs();
    assert!(
        inputs
            .iter()
            .any(|(_, i)| matches!(i, oauth_lab::sim::LearnerInput::ForwardAll))
    );
}

#[test]
fn intercept_can_hold_only_messages_to_one_actor() {
    let mut app = launch();
    press_n(&mut app, KeyCode::Right, 3);
    press(&mut app, ch('i'));
    let actors: Vec<String> = app
        .timeline
        .sim()
        .actors()
        .map(|a| a.id().to_string())
        .collect();
    let rs = actors.iter().position(|a| a == "rs").expect("an rs lane");
    press_n(&mut app, KeyCode::Char('o'), rs + 1);
    assert_eq!(
        app.timeline.sim().holding_only_to().map(|a| a.as_str()),
        Some("rs")
    );
    assert!(screen(&app).contains("only to rs"));
    press_n(&mut app, KeyCode::Right, 40);
    let held = app.timeline.sim().held();
    assert!(!held.is_empty(), "the client's API call is held");
    assert!(held.iter().all(|e| e.to.as_str() == "rs"), "{held:?}");
    // The replay of the recorded inputs gives the same world.
    let again = oauth_lab::tui::timeline::Timeline::replay(
        app.timeline.spec.clone(),
        app.timeline.len(),
        0,
    );
    assert_eq!(again.trace(), app.timeline.trace());
}

#[test]
fn run_to_step_n_forwards_held_messages_until_that_step() {
    let mut app = launch();
    press_n(&mut app, KeyCode::Right, 2);
    press(&mut app, ch('i'));
    keys(&mut app, &[ch('u'), ch('1'), ch('2'), key(KeyCode::Enter)]);
    assert_eq!(app.timeline.len(), 13, "steps 0..=12");
    assert_eq!(app.cursor, 12);
    assert!(app.is_intercepting());
    assert!(app.run_to.is_none());
    let text = app
        .notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default();
    assert!(text.starts_with("Ran to step 12"), "{text}");
    // Esc cancels without running.
    let len = app.timeline.len();
    keys(&mut app, &[ch('u'), ch('9'), key(KeyCode::Esc)]);
    assert_eq!(app.timeline.len(), len);
}
