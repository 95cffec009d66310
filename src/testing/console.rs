//! The attacker console in tests: a workshop world opened through the keys, templates
//! opened, fields filled from loot or typed, moves sent.

use ratatui::crossterm::event::KeyCode;

use super::tui::{ch, ctrl, key, keys, press_n};
use crate::actors::defenses::Profile;
use crate::tui::app::{App, Overlay};
use crate::tui::console::{Compose, Window};
use crate::tui::timeline::WorldSpec;
use crate::tui::{Action, press, update};
use crate::workshop::{Position, Template};

/// The app on the happy path under `profile` at 120 × 40, the welcome closed.
pub fn launch_profile(profile: Profile) -> App {
    let mut app = App::new(WorldSpec::happy_path(
        crate::sim::world::DEFAULT_SEED,
        profile,
    ));
    update(&mut app, Action::Resize(120, 40));
    press(&mut app, key(KeyCode::Esc));
    app
}

/// `A`, then the position picker down to `p` and Enter.
pub fn choose_position(app: &mut App, p: Position) {
    press(app, ch('A'));
    let i = Position::ALL
        .iter()
        .position(|q| *q == p)
        .expect("a position");
    press_n(app, KeyCode::Down, i);
    press(app, key(KeyCode::Enter));
}

/// The console's Compose list down to `t`, and Enter: the compose window opens.
pub fn open_template(app: &mut App, t: Template) {
    press(app, ch('2'));
    let now = app.console.template_selected;
    let i = Template::ALL
        .iter()
        .position(|q| *q == t)
        .expect("a template");
    press_n(
        app,
        KeyCode::Down,
        (i + Template::ALL.len() - now) % Template::ALL.len(),
    );
    press(app, key(KeyCode::Enter));
}

/// The compose window, if open.
pub fn compose(app: &App) -> Option<&Compose> {
    match &app.overlay {
        Some(Overlay::Console(Window::Compose(c))) => Some(c),
        _ => None,
    }
}

/// Tab to the field `name` of the open compose window.
pub fn to_field(app: &mut App, name: &str) {
    for _ in 0..16 {
        let c = compose(app).expect("the compose window is open");
        if c.field_name() == name {
            return;
        }
        press(app, key(KeyCode::Tab));
    }
    panic!("the template has no field {name}");
}

/// Fills field `name` from loot: Ctrl-F, then the first item of kind `kind` and Enter.
pub fn pick_field(app: &mut App, name: &str, kind: &str) {
    to_field(app, name);
    press(app, ctrl('f'));
    let c = compose(app).expect("the compose window is open");
    let i = (c.pickables.iter())
        .position(|p| p.kind == kind)
        .unwrap_or_else(|| panic!("loot offers no {kind}: {:?}", c.pickables));
    press_n(app, KeyCode::Down, i);
    press(app, key(KeyCode::Enter));
}

/// Types `value` into field `name`: Ctrl-E, the characters, Enter.
pub fn type_field(app: &mut App, name: &str, value: &str) {
    to_field(app, name);
    press(app, ctrl('e'));
    let seq: Vec<_> = value.chars().map(ch).collect();
    keys(app, &seq);
    press(app, key(KeyCode::Enter));
}

/// The app as `oauth-lab challenge start ID --state-dir DIR` opens it, at 120 × 40.
pub fn challenge_app(id: &str, dir: &std::path::Path) -> App {
    let c = crate::challenge::bundled::find(id).expect("a bundled challenge");
    let store = crate::lesson::ProgressStore::new(Some(dir.to_path_buf()));
    let progress = store
        .load_record::<crate::challenge::ChallengeProgress>(&c.id)
        .progress;
    let mut app = crate::cli::tui_cmd::challenge_app(c, progress, store);
    update(&mut app, Action::Resize(120, 40));
    app
}

/// The moves that solve `stolen-scheme` (and code interception on the phone): run to
/// the end, redeem the code the squatting app got as the Photos app, call the API with
/// the access token.
pub fn steal_through_the_scheme(app: &mut App) {
    press(app, key(KeyCode::End));
    open_template(app, Template::RedeemCode);
    pick_field(app, "code", "code");
    type_field(
        app,
        "client_id",
        crate::actors::well_known::NATIVE_CLIENT_ID,
    );
    type_field(
        app,
        "redirect_uri",
        crate::actors::well_known::NATIVE_REDIRECT_URI,
    );
    press(app, ctrl('s'));
    press(app, key(KeyCode::End));
    open_template(app, Template::CallApi);
    pick_field(app, "access_token", "access_token");
    press(app, ctrl('s'));
    press(app, key(KeyCode::End));
}
