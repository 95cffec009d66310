//! The terminal UI's cost. `cargo bench --bench tui` prints:
//!
//! - the busiest screen (200×60: the token response selected with its JWTs decoded and
//!   verified, intercept mode on with a message held, a notice) rendered into a
//!   `TestBackend` — goal: under 1 ms per frame;
//! - a defense toggle to the redrawn frame (the world re-run from its seed, the first
//!   difference found, the screen drawn) — goal: under 16 ms.

/// The program's own allocator (see `src/main.rs`), so the bench measures what runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use oauth_lab::actors::DefenseId;
use oauth_lab::tui::app::{App, Tab};
use oauth_lab::tui::{Action, update};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn busiest() -> App {
    let mut app = App::default_launch();
    update(&mut app, Action::Resize(200, 60));
    update(&mut app, Action::Close);
    for _ in 0..18 {
        update(&mut app, Action::Next);
    }
    update(&mut app, Action::ToggleIntercept);
    update(&mut app, Action::Next); // the token response is now held
    update(&mut app, Action::ForwardHeld); // delivered; the client's API call is held
    update(&mut app, Action::SetTab(Tab::Tokens));
    app
}

fn bench(c: &mut Criterion) {
    let app = busiest();
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("test terminal");
    c.bench_function("busiest screen 200x60 (Tokens tab, intercept on)", |b| {
        b.iter(|| {
            terminal
                .draw(|f| f.render_widget(black_box(&app), f.area()))
                .expect("draw");
        })
    });

    let mut app = App::default_launch();
    update(&mut app, Action::Resize(200, 60));
    update(&mut app, Action::Close);
    update(&mut app, Action::Last);
    c.bench_function("toggle pkce → redrawn frame 200x60", |b| {
        b.iter(|| {
            update(&mut app, Action::ToggleDefense(DefenseId::Pkce));
            terminal
                .draw(|f| f.render_widget(&app, f.area()))
                .expect("draw");
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
