//! The rough edges a learner hit in the UI, each replayed as the key sequence that
//! showed it, with what the screen or the app's state must say now.

use oauth_lab::actors::defenses::{DEFENSES, DefenseId};
use oauth_lab::testing::*;
use oauth_lab::tui::press;
use ratatui::crossterm::event::KeyCode;

/// The row of the defense panel that lists `id`.
fn defense_row(id: DefenseId) -> usize {
    DEFENSES
        .iter()
        .position(|d| d.id == id)
        .unwrap_or_else(|| panic!("{id} is listed"))
}

/// The text rows inside the inspector's border, below its tab bar, at 120 × 40.
fn inspector_body(app: &oauth_lab::tui::app::App) -> Vec<String> {
    let text = screen(app);
    let drawn = app.screen.last().expect("a frame was drawn");
    let r = drawn.areas.inspector.expect("the inspector is shown");
    text.lines()
        .skip(r.y as usize + 2)
        .take(r.height.saturating_sub(3) as usize)
        .map(|l| {
            l.chars()
                .skip(r.x as usize + 1)
                .take(r.width.saturating_sub(2) as usize)
                .collect::<String>()
                .trim()
                .to_string()
        })
        .collect()
}

#[test]
fn a_scrolled_inspector_is_not_blank_after_a_rerun() {
    let mut app = launch();
    press_n(&mut app, KeyCode::Right, 19);
    keys(&mut app, &[ch('3'), key(KeyCode::Tab)]);
    screen(&app);
    press_n(&mut app, KeyCode::PageDown, 6);
    screen(&app);
    press(&mut app, ch('d'));
    press_n(&mut app, KeyCode::Down, defense_row(DefenseId::Pkce));
    keys(&mut app, &[key(KeyCode::Enter), key(KeyCode::Esc)]);
    let body = inspector_body(&app);
    assert!(
        body.iter().any(|l| !l.is_empty()),
        "the inspector drew nothing:\n{}",
        screen(&app)
    );
    // Scrolling up from there moves at once: the scroll stopped at the last page.
    let last_page = app.screen.inspector_max_scroll.get().expect("drawn");
    press(&mut app, key(KeyCode::Up));
    assert_eq!(app.inspector_scroll, last_page.saturating_sub(1));
}

#[test]
fn the_defense_panel_sets_every_value_a_defense_takes() {
    let mut app = launch();
    press(&mut app, key(KeyCode::Right));
    press(&mut app, ch('d'));
    press_n(&mut app, KeyCode::Down, defense_row(DefenseId::Pkce));
    // bcp has S256; → wraps round to off, then plain.
    press_n(&mut app, KeyCode::Right, 2);
    let d = &app.timeline.spec.defenses;
    assert_eq!(d.value_label(DefenseId::Pkce), "plain");
    // The re-run is a real one: the authorization request carries the plain method.
    press(&mut app, key(KeyCode::Esc));
    press(&mut app, key(KeyCode::End));
    let trace = app.timeline.trace();
    assert!(
        trace
            .steps
            .iter()
            .any(|s| s.wire.contains("code_challenge_method=plain")),
        "no request carries code_challenge_method=plain"
    );
    press(&mut app, ch('d'));
    press_n(
        &mut app,
        KeyCode::Down,
        defense_row(DefenseId::RedirectMatching),
    );
    press(&mut app, key(KeyCode::Right));
    assert_eq!(
        app.timeline
            .spec
            .defenses
            .value_label(DefenseId::RedirectMatching),
        "prefix"
    );
    let row = defense_row(DefenseId::CodeLifetime);
    press_n(
        &mut app,
        KeyCode::Up,
        defense_row(DefenseId::RedirectMatching),
    );
    press_n(&mut app, KeyCode::Down, row);
    let mut seen = Vec::new();
    for _ in 0..3 {
        press(&mut app, key(KeyCode::Right));
        seen.push(
            app.timeline
                .spec
                .defenses
                .value_label(DefenseId::CodeLifetime),
        );
    }
    assert!(seen.contains(&"600 s".to_string()), "{seen:?}");
    // The panel names the settings it offers.
    let text = screen(&app);
    assert!(text.contains("←→ value"), "{text}");
}

#[test]
fn a_tab_key_in_presenter_mode_says_it_left_presenter_mode() {
    let mut app = launch();
    keys(&mut app, &[key(KeyCode::Right), ch('F'), ch('2')]);
    assert!(!app.presenter);
    let notice = app.notice.as_ref().expect("a notice").text.clone();
    assert!(notice.contains("Left presenter mode"), "{notice}");
}

#[test]
fn the_clock_shows_the_day_after_midnight() {
    let mut app = launch();
    assert!(screen(&app).contains("⧗ 09:00:0"), "{}", screen(&app));
    // T moves the clock 10 minutes: 90 presses take it past midnight (09:00 + 15 h).
    for _ in 0..90 {
        press(&mut app, ch('T'));
    }
    let status = screen(&app).lines().last().unwrap_or_default().to_string();
    assert!(status.contains("⧗ day 2 00:00:00"), "{status}");
    // A full day later it is day 3, not the same time of day again.
    oauth_lab::tui::update(&mut app, oauth_lab::tui::Action::AdvanceClock(86_400));
    let status = screen(&app).lines().last().unwrap_or_default().to_string();
    assert!(status.contains("⧗ day 3 00:00:00"), "{status}");
}

#[test]
fn what_happened_scrolls_when_its_text_is_longer_than_the_pane() {
    // At 80 × 24 the pane has room for a few lines; step 9's notes take more.
    let mut app = launch_at(80, 24);
    press(&mut app, key(KeyCode::Esc));
    press_n(&mut app, KeyCode::Right, 9);
    let note_end: String = {
        let a = &app.step().expect("step 9").annotation;
        a.split_whitespace()
            .rev()
            .take(3)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let s = screen(&app);
    assert!(s.contains("↓ more · Tab here to scroll"), "{s}");
    assert!(
        !s.contains(&note_end),
        "the end of the note is below: {note_end}\n{s}"
    );
    // Tab to the pane (after the inspector), then ↓ to its last page.
    while app.focus != oauth_lab::tui::app::Pane::Narration {
        press(&mut app, key(KeyCode::Tab));
        screen(&app);
    }
    assert!(screen(&app).contains("● What happened"));
    press_n(&mut app, KeyCode::Down, 30);
    let s = screen(&app);
    assert!(s.contains(&note_end), "{note_end}\n{s}");
    assert!(s.contains("↑ more"), "{s}");
    // The scroll stopped at the last page: one ↑ moves it at once.
    let last = app.narration_scroll;
    press(&mut app, key(KeyCode::Up));
    assert_eq!(app.narration_scroll, last - 1);
    // Another step starts at the top again.
    press(&mut app, key(KeyCode::Right));
    assert_eq!(app.narration_scroll, 0);
}

#[test]
fn labels_over_a_lifeline_keep_their_own_style() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let mut app = launch_at(120, 40);
    press(&mut app, key(KeyCode::Esc));
    press_n(&mut app, KeyCode::Right, 12);
    let mut term = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    term.draw(|f| f.render_widget(&app, f.area()))
        .expect("drawn");
    let buf = term.backend().buffer().clone();
    let drawn = app.screen.last().expect("a frame was drawn");
    let body = drawn.steps.body;
    // The lifelines: the columns of `│` on the hint row's line below the last step.
    let lane_row = (body.y..body.bottom())
        .rev()
        .find(|y| {
            let row: String = (body.x..body.right())
                .map(|x| buf[(x, *y)].symbol().to_string())
                .collect();
            row.contains('│') && row.chars().all(|c| c == '│' || c == ' ')
        })
        .expect("a row of lifelines alone");
    let lanes: Vec<u16> = (body.x..body.right())
        .filter(|x| buf[(*x, lane_row)].symbol() == "│")
        .collect();
    let text = |x: u16, y: u16| {
        let s = buf[(x, y)].symbol();
        s != " " && s != "│"
    };
    let mut crossings = 0;
    for y in body.y..lane_row {
        for &x in &lanes {
            // A label character on a lifeline, between two label characters.
            if text(x, y) && text(x - 1, y) && text(x + 1, y) {
                crossings += 1;
                assert_eq!(
                    buf[(x, y)].style(),
                    buf[(x - 1, y)].style(),
                    "row {y}, column {x} ({:?}) took the lifeline's style",
                    buf[(x, y)].symbol()
                );
            }
        }
    }
    assert!(crossings > 3, "only {crossings} labels cross a lifeline");
}

#[test]
fn the_params_tab_says_what_the_photo_apis_own_fields_are() {
    let mut app = launch();
    press(&mut app, key(KeyCode::End));
    let i = app
        .timeline
        .trace()
        .steps
        .iter()
        .position(|s| {
            s.decoded
                .json
                .as_ref()
                .is_some_and(|j| j.get("owner").is_some())
        })
        .expect("the photo API's answer");
    oauth_lab::tui::update(&mut app, oauth_lab::tui::Action::Select(i));
    press(&mut app, ch('2'));
    let s = screen(&app);
    assert!(s.contains("owner = alice"), "{s}");
    assert!(s.contains("whose photos these are"), "{s}");
    assert!(!s.contains("— —"), "{s}");
}
