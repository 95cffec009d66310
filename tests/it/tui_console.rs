//! The attacker console driven by keys: a position chosen, loot arriving, moves
//! composed from templates with fields picked from loot, sent as learner inputs, and
//! the goal banner the moment a catalog goal holds.

use oauth_lab::actors::defenses::Profile;
use oauth_lab::actors::well_known as wk;
use oauth_lab::sim::{LearnerInput, StepKind};
use oauth_lab::testing::*;
use oauth_lab::tui::app::App;
use oauth_lab::tui::press;
use oauth_lab::workshop::{ArtifactKind, Loot, Position, Template};
use ratatui::crossterm::event::KeyCode;

/// The first step at or after `from` sent from `from_actor` to `to` whose wire text
/// contains `needle`.
fn step_to(app: &App, from: usize, from_actor: &str, to: &str, needle: &str) -> usize {
    let steps = &app.timeline.trace().steps;
    steps
        .iter()
        .skip(from)
        .find(|s| s.from.as_str() == from_actor && s.to.as_str() == to && s.wire.contains(needle))
        .unwrap_or_else(|| panic!("no step {from_actor} → {to} with {needle}"))
        .index
}

#[test]
fn a_code_the_squatting_app_reads_is_redeemed_from_loot_and_the_goal_banner_shows() {
    let mut app = launch_profile(Profile::Naive);
    choose_position(&mut app, Position::SchemeSquatter);
    assert!(app.console.open, "the console opens with the position");
    let s = screen(&app);
    assert!(s.contains("Attacker console · scheme-squatter"), "{s}");
    assert!(s.contains("Nothing yet"), "{s}");

    // The world runs: Alice signs in to the Photos app; the OS hands the malicious app
    // the authorization response (RFC 8252 §8.1).
    press(&mut app, key(KeyCode::End));
    let loot = Loot::of(app.timeline.trace(), app.cursor + 1);
    let code = loot
        .of_kind(ArtifactKind::Code)
        .next()
        .expect("the squatter got Alice's code")
        .clone();
    let s = screen(&app);
    assert!(
        s.contains(&format!("step {:>3} · to evil-app", code.step)),
        "{s}"
    );
    assert!(s.contains(&code.value[..12]), "{s}");

    // Compose the redemption: the code picked from loot, the app's public client_id
    // and redirect URI typed.
    open_template(&mut app, Template::RedeemCode);
    pick_field(&mut app, "code", "code");
    type_field(&mut app, "client_id", wk::NATIVE_CLIENT_ID);
    type_field(&mut app, "redirect_uri", wk::NATIVE_REDIRECT_URI);
    let c = compose(&app).expect("still composing");
    assert_eq!(c.values["code"], (code.value.clone(), Some(code.step)));
    assert!(c.editor.wire().contains(&format!("code={}", code.value)));
    assert!(screen(&app).contains(&format!("from step {}: ", code.step)));
    let sent_at = app.timeline.len();
    press(&mut app, ctrl('s'));
    assert!(compose(&app).is_none(), "sent: the window closes");
    assert!(
        matches!(
            app.timeline.spec.inputs.last(),
            Some((at, LearnerInput::AttackerMove { .. })) if *at == sent_at
        ),
        "the move is a learner input: {:?}",
        app.timeline.spec.inputs
    );
    assert!(app.console.goal.is_none(), "no goal yet");

    // The AS answers the app with its own code: Alice's tokens.
    press(&mut app, key(KeyCode::End));
    let answer = step_to(&app, sent_at, wk::AS, "evil-app", "access_token");
    assert_eq!(app.timeline.trace().steps[answer].kind, StepKind::Response);

    // Call the photo API with the access token picked from loot.
    open_template(&mut app, Template::CallApi);
    pick_field(&mut app, "access_token", "access_token");
    press(&mut app, ctrl('s'));
    press(&mut app, key(KeyCode::End));
    let photos = step_to(&app, answer, wk::RS, "evil-app", "alice");
    let goal = app.console.goal.clone().expect("a goal holds");
    assert_eq!(goal.goal, "code-interception");
    assert_eq!(goal.step, photos, "it holds from the RS's answer on");
    let s = screen(&app);
    assert!(
        s.contains(&format!("GOAL REACHED at step {photos}")),
        "the banner names the step:\n{s}"
    );
    assert!(s.contains(&goal.title), "{s}");

    // Stepping back before that step hides the banner; the run replays identically.
    keys(&mut app, &[key(KeyCode::Home)]);
    assert!(!screen(&app).contains("GOAL REACHED"));
    let replayed = app.timeline.spec.run_to(usize::MAX);
    assert_eq!(replayed.trace(), app.timeline.trace());
}

#[test]
fn a_template_with_an_empty_field_stays_in_the_editor_with_its_error() {
    let mut app = launch_profile(Profile::Naive);
    choose_position(&mut app, Position::ResponseReader);
    open_template(&mut app, Template::RedeemCode);
    let before = app.timeline.spec.inputs.clone();
    press(&mut app, ctrl('s'));
    let c = compose(&app).expect("the move stays in the editor");
    let err = c.editor.error.clone().expect("an error");
    assert!(err.contains("the field `code` is empty"), "{err}");
    assert!(
        c.editor.wire().contains("code=__code__"),
        "{}",
        c.editor.wire()
    );
    let s = screen(&app);
    assert!(s.contains("✘ not sent — the field `code` is empty"), "{s}");
    assert_eq!(app.timeline.spec.inputs, before, "nothing was sent");

    // Text that does not parse stays too, with the parser's words.
    type_field(&mut app, "code", "abc");
    assert!(compose(&app).unwrap().editor.error.is_none());
    keys(&mut app, &[key(KeyCode::Home), ch(' ')]);
    press(&mut app, ctrl('s'));
    let c = compose(&app).expect("the move stays in the editor");
    let err = c.editor.error.clone().expect("an error");
    assert!(err.contains("not a valid HTTP message"), "{err}");
    assert_eq!(app.timeline.spec.inputs, before, "nothing was sent");
    // Esc leaves it unsent.
    press(&mut app, key(KeyCode::Esc));
    assert!(compose(&app).is_none());
    assert_eq!(app.timeline.spec.inputs, before);
}
