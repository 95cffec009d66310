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

use crate::BIN;

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

#[test]
fn a_challenge_hides_its_deployment_charges_for_hints_and_debriefs_once_solved() {
    let dir = temp_dir("console-challenge", "stolen-scheme");
    let mut app = challenge_app("stolen-scheme", &dir);
    let s = screen(&app);
    assert!(
        s.contains("Challenge stolen-scheme"),
        "the briefing opens:\n{s}"
    );
    press(&mut app, key(KeyCode::Esc));
    let s = screen(&app);
    assert!(s.contains("deployment undisclosed"), "{s}");
    assert!(!s.contains("rfc6749"), "the profile is not shown:\n{s}");

    // The defense panel, profiles, attacks and the matrix are locked.
    for k in ['d', 'p', 'a', 'm', 'L'] {
        press(&mut app, ch(k));
        assert!(app.overlay.is_none(), "{k} opens nothing");
        let n = app.notice.as_ref().expect("a notice").text.clone();
        assert!(n.contains("deployment is undisclosed"), "{k}: {n}");
    }
    // No debrief before it is solved.
    press(&mut app, ch('D'));
    assert!(app.overlay.is_none());
    assert!(!screen(&app).contains("What was wrong"));

    // A hint costs points: asked first; "no" shows nothing and costs nothing.
    press(&mut app, ch('H'));
    let s = screen(&app);
    assert!(s.contains("Hint 1 of 3 costs 10 point(s)"), "{s}");
    press(&mut app, ch('n'));
    assert_eq!(app.challenge.as_ref().unwrap().progress.hints_used, 0);
    keys(&mut app, &[ch('H'), ch('y')]);
    assert_eq!(app.challenge.as_ref().unwrap().progress.hints_used, 1);
    let s = screen(&app);
    assert!(
        s.contains("Hint 1 (−10)") && s.contains("Watch your loot"),
        "{s}"
    );
    oauth_lab::tui::tasks::perform_saves(&mut app);
    let saved = std::fs::read_to_string(dir.join("challenges/stolen-scheme.json"))
        .expect("the hint is saved");
    assert!(saved.contains("\"hints_used\": 1"), "{saved}");
    press(&mut app, key(KeyCode::Esc));

    // Solve it through the console; the debrief opens and the solution is saved.
    steal_through_the_scheme(&mut app);
    let c = app.challenge.as_ref().unwrap();
    let goal = c.solved.clone().expect("solved");
    assert_eq!(goal.goal, "code-interception");
    assert_eq!(c.progress.score, Some(90));
    let s = screen(&app);
    assert!(s.contains("SOLVED") && s.contains("What was wrong"), "{s}");
    assert!(s.contains("enable pkce") || s.contains("pkce"), "{s}");
    oauth_lab::tui::tasks::perform_saves(&mut app);
    let saved = std::fs::read_to_string(dir.join("challenges/stolen-scheme.json")).unwrap();
    assert!(saved.contains("\"solved\": true"), "{saved}");

    // S saves the moves as a solution that does not carry the deployment, and
    // `challenge check` grades it SOLVED.
    app.notice = None;
    keys(&mut app, &[key(KeyCode::Esc), ch('S')]);
    oauth_lab::tui::tasks::perform_saves(&mut app);
    let notice = app.notice.clone().expect("the save is reported").text;
    let file = std::fs::read_dir(dir.join("scenarios"))
        .expect("a scenarios folder")
        .next()
        .expect("a file")
        .unwrap()
        .path();
    assert!(notice.contains("Scenario saved"), "{notice}");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("position = \"scheme-squatter\""), "{text}");
    assert!(
        !text.contains("rfc6749"),
        "the deployment stays out:\n{text}"
    );
    let file = file.display().to_string();
    let check = run_program(
        BIN,
        &["challenge", "check", "stolen-scheme", "--solution", &file],
        "",
    );
    assert!(
        check.success() && check.stdout.contains("SOLVED"),
        "{check:?}"
    );

    // f: the same moves against the fixed deployment, stopped; f again: back.
    let mine = app.timeline.spec.clone();
    keys(&mut app, &[ch('D'), ch('f')]);
    let words = app.notice.as_ref().unwrap().text.clone();
    assert!(words.contains("no longer reach the goal"), "{words}");
    assert!(screen(&app).contains("with the fix"));
    assert!(app.console.goal.is_none(), "no goal in the fixed run");
    assert_ne!(app.timeline.spec.defenses, mine.defenses);
    press(&mut app, ch('f'));
    assert_eq!(app.timeline.spec, mine);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_challenge_is_solved_through_the_ui_in_tmux_and_the_progress_says_so() {
    let dir = temp_dir("console-tmux", "stolen-scheme");
    let args = format!(
        "challenge start stolen-scheme --state-dir '{}'",
        dir.display()
    );
    let Some((tmux, deadline)) = tmux_session(BIN, "console", "challenge", 120, "", &args) else {
        return;
    };
    // The briefing first; the deployment is not on screen.
    tmux.wait_for("Challenge stolen-scheme", deadline);
    tmux.wait_for("Goal: Get Alice's photos", deadline);
    // Each step: keys, then the text that shows they were taken (an Esc is never
    // followed at once by another key: the terminal would read Alt+key).
    tmux.play(
        "Escape > !Challenge stolen-scheme;\
         End > to evil-app;\
         2 > redeem-code;\
         Enter > Compose · redeem-code;\
         C-f > Pick the code;\
         Enter > from step;\
         Tab > ▶ client_id;\
         C-e > Enter sets it;\
         photos-app Enter > photos-app (typed);\
         Tab Tab > ▶ redirect_uri;\
         C-e > Enter sets it;\
         com.example.photos:/cb Enter > com.example.photos:/cb (typed);\
         C-s > Sent as the attacker's move;\
         End > end of the run;\
         Down Down > ▶ call-api;\
         Enter > Compose · call-api;\
         C-f > Pick the access_token;\
         Enter > from step;\
         C-s > Sent as the attacker's move;\
         End > Solved — debrief",
        deadline,
    );
    // The whole debrief, not a frame caught half drawn.
    let s = tmux.wait_for_all(&["What was wrong", "enable pkce", "score "], deadline);
    assert!(s.contains("score 100"), "no hint was taken:\n{s}");
    let s = tmux.play("Escape > GOAL REACHED at step", deadline);
    assert!(s.contains("challenge SOLVED"), "{s}");
    quit_cleanly(&tmux, deadline, "Attacker console");

    // What the facilitator collects says so too.
    let state = dir.display().to_string();
    let list = run_program(BIN, &["challenge", "list", "--state-dir", &state], "");
    assert!(list.success(), "{list:?}");
    let line = (list.stdout.lines())
        .find(|l| l.contains("stolen-scheme"))
        .expect("listed");
    assert!(line.contains("solved, score 100/100"), "{line}");
    let json = run_program(
        BIN,
        &["progress", "--format", "json", "--state-dir", &state],
        "",
    );
    assert!(json.success(), "{json:?}");
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let c = (v["challenges"].as_array().expect("challenges"))
        .iter()
        .find(|c| c["id"] == "stolen-scheme")
        .expect("stolen-scheme");
    assert_eq!(c["solved"], true, "{c}");
    assert_eq!(c["score"], 100, "{c}");
    assert_eq!(c["hints_used"], 0, "{c}");
    assert_eq!(c["goal"], "code-interception", "{c}");
    let _ = std::fs::remove_dir_all(&dir);
}
