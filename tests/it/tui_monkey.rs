//! A monkey at the keyboard: thousands of random keys, clicks, wheel turns and resizes
//! (1×1 up to 300×100), each followed by a render at the current size. Seeded, so a
//! failure replays exactly. Nothing may panic.

use oauth_lab::testing::launch_at;
use oauth_lab::tui::app::App;
use oauth_lab::tui::{Action, press, update};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Keys the app knows, and some it does not. Costly ones (those that re-run the world)
/// are in the list once, cheap ones several times, so the run stays quick.
fn random_key(rng: &mut StdRng) -> KeyEvent {
    const CHARS: &[char] = &[
        'l', 'l', 'l', 'h', 'h', 'j', 'k', 'g', ' ', '+', '-', '1', '2', '3', '4', '5', '[', ']',
        'd', 'c', 'p', 't', 'i', 'f', 'x', 'e', 'r', 'F', 'a', 'm', '?', 'z', 'q', '0', 'T', 'G',
        // Lesson mode: the list, choices, hint, skip.
        'L', 'L', 'L', '1', '2', '6', 'b', 's', 's',
    ];
    const CODES: &[KeyCode] = &[
        KeyCode::Right,
        KeyCode::Right,
        KeyCode::Right,
        KeyCode::Left,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Down,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Enter,
        KeyCode::Enter,
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Backspace,
        KeyCode::Delete,
        KeyCode::F(2),
    ];
    let code = if rng.random_bool(0.55) {
        KeyCode::Char(CHARS[rng.random_range(0..CHARS.len())])
    } else {
        CODES[rng.random_range(0..CODES.len())]
    };
    let modifiers = if rng.random_bool(0.05) {
        KeyModifiers::CONTROL
    } else {
        KeyModifiers::NONE
    };
    KeyEvent::new(code, modifiers)
}

fn random_size(rng: &mut StdRng) -> (u16, u16) {
    if rng.random_bool(0.3) {
        (rng.random_range(1..=90), rng.random_range(1..=30))
    } else {
        (rng.random_range(80..=300), rng.random_range(24..=100))
    }
}

/// Returns how many events found the app in lesson mode.
fn monkey(seed: u64, events: usize) -> usize {
    let mut in_lesson = 0;
    let mut rng = StdRng::seed_from_u64(seed);
    let (mut w, mut h) = (120, 40);
    let mut app = launch_at(w, h);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    for i in 0..events {
        match rng.random_range(0..100) {
            0..=5 => {
                (w, h) = random_size(&mut rng);
                terminal.backend_mut().resize(w, h);
                update(&mut app, Action::Resize(w, h));
            }
            6..=8 => update(
                &mut app,
                Action::Click(rng.random_range(0..w.max(1)), rng.random_range(0..h.max(1))),
            ),
            9..=10 => update(
                &mut app,
                Action::Wheel {
                    x: rng.random_range(0..w.max(1)),
                    y: rng.random_range(0..h.max(1)),
                    down: rng.random_bool(0.5),
                },
            ),
            11..=13 => update(&mut app, Action::Tick(rng.random_range(0..3000))),
            _ => {
                let key = random_key(&mut rng);
                // Quitting would end the session: note it, and carry on.
                press(&mut app, key);
                app.should_quit = false;
            }
        }
        // Background work is not run here; drop it like a closed event loop would.
        app.tasks.clear();
        terminal
            .draw(|f| f.render_widget(&app, f.area()))
            .unwrap_or_else(|e| panic!("seed {seed}, event {i}: draw failed: {e}"));
        assert!(
            app.cursor < app.timeline.len().max(1),
            "seed {seed}, event {i}"
        );
        if app.lesson.is_some() {
            in_lesson += 1;
        }
    }
    in_lesson
}

#[test]
fn monkey_keys_and_resizes_never_panic() {
    let mut in_lesson = 0;
    for seed in [1, 2, 3] {
        in_lesson += monkey(seed, 1500);
    }
    // Lesson mode is reachable (`L`, Enter) and was exercised too.
    assert!(in_lesson > 100, "only {in_lesson} events in lesson mode");
}

#[test]
fn every_size_from_1x1_renders() {
    let app = App::default_launch();
    for w in (1..=300).step_by(7).chain([1, 2, 79, 80, 81]) {
        for h in (1..=100).step_by(5).chain([1, 23, 24, 25]) {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
            terminal
                .draw(|f| f.render_widget(&app, f.area()))
                .unwrap_or_else(|e| panic!("{w}×{h}: {e}"));
        }
    }
}
