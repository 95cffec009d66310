//! The attack × defense matrix window (`m`): Enter launches the selected attack, and
//! at 80 × 24 every row stays on one line.

use oauth_lab::actors::defenses::Profile;
use oauth_lab::attacks::{self, outcome};
use oauth_lab::testing::*;
use oauth_lab::tui::app::{App, Overlay};
use oauth_lab::tui::attacks::MatrixCell;
use oauth_lab::tui::{Action, press, update};
use ratatui::crossterm::event::KeyCode;

/// The matrix open at `w` × `h`, its profile columns computed (each a real run of the
/// attack under the profile), the single-defense columns left out.
fn matrix_at(w: u16, h: u16) -> App {
    let mut app = launch_at(w, h);
    update(&mut app, Action::Close);
    press(&mut app, ch('m'));
    assert!(matches!(app.overlay, Some(Overlay::Matrix { .. })));
    let seed = app.timeline.spec.seed;
    for a in attacks::catalog() {
        for (column, p) in Profile::CLASSIC.iter().enumerate() {
            let run = outcome::run_attack(*a, seed, p.defenses());
            let cell = MatrixCell {
                attack: a.info().id.to_string(),
                column,
                verdict: run.verdict,
            };
            update(&mut app, Action::MatrixCell(cell));
        }
    }
    update(&mut app, Action::MatrixDone);
    app
}

#[test]
fn enter_in_the_matrix_launches_the_selected_attack() {
    let mut app = matrix_at(120, 40);
    let k = app
        .catalog
        .iter()
        .position(|a| a.id == "code-interception")
        .expect("in the catalog");
    press_n(&mut app, KeyCode::Down, k);
    assert!(screen(&app).contains("▶ code-interception"));
    press(&mut app, key(KeyCode::Enter));
    assert_eq!(app.overlay, None, "the matrix closes on launch");
    assert_eq!(
        app.timeline.spec.attack.map(|a| a.attack().info().id),
        Some("code-interception")
    );
}

#[test]
fn the_matrix_fits_80_by_24_one_row_per_attack() {
    let mut app = matrix_at(80, 24);
    let s = screen(&app);
    let ids: Vec<String> = app.catalog.iter().map(|a| a.id.clone()).collect();
    // No row wraps: every line shows at most one attack, each shown one once,
    // with its three profile cells on its own line.
    for line in s.lines() {
        let n = ids
            .iter()
            .filter(|id| line.contains(&format!(" {id} ")))
            .count();
        assert!(n <= 1, "two attacks on one line:\n{s}");
    }
    let first = &ids[0];
    let row = s
        .lines()
        .find(|l| l.contains(&format!("▶ {first}")))
        .unwrap_or_else(|| panic!("{first} is selected:\n{s}"));
    assert_eq!(
        row.matches('⚠').count() + row.matches('✔').count() + row.matches('∅').count(),
        3,
        "{row}"
    );
    insta::assert_snapshot!("matrix_80x24", s);
    // The rows scroll with the selection: the last attack comes into sight.
    press_n(&mut app, KeyCode::Down, ids.len() - 1);
    let s = screen(&app);
    let last = ids.last().expect("attacks");
    assert!(s.contains(&format!("▶ {last}")), "{s}");
}
