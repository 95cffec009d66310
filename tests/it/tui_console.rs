//! The attacker console driven by keys.

use oauth_lab::actors::defenses::Profile;
use oauth_lab::testing::*;
use oauth_lab::tui::app::App;
use oauth_lab::tui::timeline::WorldSpec;
use oauth_lab::tui::{Action, press, update};
use ratatui::crossterm::event::KeyCode;

#[test]
fn explore() {
    let mut app = App::new(WorldSpec::happy_path(7, Profile::Naive));
    update(&mut app, Action::Resize(120, 40));
    keys(&mut app, &[key(KeyCode::Esc), ch('A')]);
    println!("{}", screen(&app));
    press_n(&mut app, KeyCode::Down, 1);
    press(&mut app, key(KeyCode::Enter));
    println!("{}", screen(&app));
    press_n(&mut app, KeyCode::Right, 30);
    println!("{}", screen(&app));
    press(&mut app, ch('2'));
    println!("{}", screen(&app));
    press(&mut app, key(KeyCode::Enter));
    println!("{}", screen(&app));
    press(&mut app, ctrl('s'));
    println!("{}", screen(&app));
    press(&mut app, ctrl('f'));
    println!("{}", screen(&app));
    press(&mut app, key(KeyCode::Enter));
    println!("{}", screen(&app));
    press(&mut app, ctrl('s'));
    println!("{}", screen(&app));
    press_n(&mut app, KeyCode::Right, 6);
    println!("{}", screen(&app));
}
