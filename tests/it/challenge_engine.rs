//! The workshop engine: positions, loot, moves from templates, the goal watch. Each
//! move is made the way a learner makes it: after the world has run as far as it goes,
//! with values picked from the loot.

use oauth_lab::actors::Defenses;
use oauth_lab::actors::defenses::{DefenseId, Profile};
use oauth_lab::actors::well_known as wk;
use oauth_lab::testing::*;
use oauth_lab::workshop::{ArtifactKind, Position, Template};
use oauth_lab::world::{MAX_STEPS, WorldSpec};

/// The first artifact of `kind` in the loot of the world run to its end, and the length
/// of that run (where the next move goes).
fn pick(spec: &WorldSpec, kind: ArtifactKind) -> Option<(String, usize)> {
    let (sim, loot) = loot_at(spec, MAX_STEPS);
    let a = loot.of_kind(kind).next()?;
    Some((a.value.clone(), sim.trace().steps.len()))
}

/// The malicious app redeems the code it was handed as photos-app (no verifier).
fn squatter_redeems(defenses: Defenses) -> WorldSpec {
    let mut spec = workshop_world(Position::SchemeSquatter, defenses, &[]);
    let (code, at) = pick(&spec, ArtifactKind::Code).expect("a code in the loot");
    let redeem = [
        ("code", code.as_str()),
        ("client_id", wk::NATIVE_CLIENT_ID),
        ("redirect_uri", wk::NATIVE_REDIRECT_URI),
    ];
    add_move(&mut spec, at, Template::RedeemCode, &redeem);
    spec
}

/// Then it calls the API with the access token it got, if it got one.
fn squatter_moves(defenses: Defenses) -> WorldSpec {
    let mut spec = squatter_redeems(defenses);
    if let Some((token, at)) = pick(&spec, ArtifactKind::AccessToken) {
        add_move(
            &mut spec,
            at,
            Template::CallApi,
            &[("access_token", token.as_str())],
        );
    }
    spec
}

#[test]
fn a_squatting_app_redeems_the_code_it_reads_and_the_goal_watch_names_the_step() {
    let spec = squatter_moves(Profile::Naive.defenses());
    let (sim, hit) = play(&spec, &["code-interception"]);
    let hit = hit.expect("the goal holds");
    assert_eq!(hit.goal, "code-interception");
    assert!(hit.what.contains("Alice's photos"), "{}", hit.what);
    let step = &sim.trace().steps[hit.step];
    assert_eq!(
        step.to.as_str(),
        "evil-app",
        "the goal holds when the photos reach the app"
    );
    assert!(step.wire.starts_with("HTTP/1.1 200"), "{}", step.wire);
}

#[test]
fn with_pkce_the_same_moves_get_no_token() {
    let mut d = Profile::Naive.defenses();
    d.set_on(DefenseId::Pkce, true);
    let spec = squatter_redeems(d);
    let (sim, hit) = play(&spec, &["code-interception"]);
    assert_eq!(hit, None);
    let answer = sim.trace().steps.last().expect("a step");
    assert!(answer.wire.starts_with("HTTP/1.1 400"), "{}", answer.wire);
    assert!(answer.wire.contains("invalid_grant"), "{}", answer.wire);
}

#[test]
fn a_log_reader_injects_alices_code_into_mallorys_own_session() {
    let mut spec = workshop_world(Position::ResponseReader, Profile::Naive.defenses(), &[]);
    add_move(&mut spec, 0, Template::OwnLogin, &[("stop", "authorize")]);
    let (code, at) = pick(&spec, ArtifactKind::Code).expect("a code in the loot");
    let m = Template::InjectCallback
        .render("attacker", &fields(&[("code", &code), ("into", "mallory")]))
        .unwrap();
    spec.inputs.push((at, m.to_input().unwrap()));
    let (sim, hit) = play(&spec, &["code-injection"]);
    let hit = hit.unwrap_or_else(|| panic!("{}", transcript(&sim, 0)));
    assert_eq!(hit.goal, "code-injection");
    // The stopped request is in the loot, from Mallory's browser.
    let (_, loot) = loot_at(&spec, MAX_STEPS);
    assert!(
        loot.copies
            .iter()
            .any(|c| c.wire.starts_with("GET /authorize"))
    );
}

#[test]
fn loot_lists_each_artifact_once_with_the_step_it_arrived() {
    let spec = workshop_world(Position::ResponseReader, Profile::Naive.defenses(), &[]);
    let (sim, loot) = loot_at(&spec, MAX_STEPS);
    let code = loot.of_kind(ArtifactKind::Code).collect::<Vec<_>>();
    assert_eq!(code.len(), 1);
    let step = &sim.trace().steps[code[0].step];
    assert_eq!(step.to.as_str(), "attacker");
    assert!(step.wire.contains(&code[0].value));
    // Before the copy arrives, the loot has no code.
    let before = oauth_lab::workshop::Loot::of(sim.trace(), code[0].step);
    assert_eq!(before.of_kind(ArtifactKind::Code).count(), 0);
}

#[test]
fn moves_replay_byte_identically_and_survive_the_file_form() {
    let spec = squatter_moves(Profile::Naive.defenses());
    let text = toml::to_string(&spec).unwrap();
    assert!(text.starts_with("version = 2\n"), "{text}");
    assert!(text.contains("position = \"scheme-squatter\""), "{text}");
    assert!(text.contains("input = \"attacker_move\""), "{text}");
    let back: WorldSpec = toml::from_str(&text).unwrap();
    assert_eq!(back, spec);
    let (a, b) = (spec.run().sim.into_trace(), back.run().sim.into_trace());
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
}

#[test]
fn a_move_by_an_honest_actor_or_with_bad_text_is_refused() {
    let spec = workshop_world(Position::WebAttacker, Profile::Naive.defenses(), &[]);
    let mut sim = spec.build();
    let send = |by: &str, text: &str| oauth_lab::sim::LearnerInput::AttackerMove {
        by: oauth_lab::actors::ActorId::new(by),
        verb: oauth_lab::sim::AttackerVerb::Send,
        text: text.into(),
    };
    let err = sim
        .apply(send(
            wk::CLIENT,
            "GET / HTTP/1.1\r\nhost: as.example\r\n\r\n",
        ))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "client is not one of the attacker's actors"
    );
    let err = sim.apply(send("attacker", "GET nowhere")).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("the edited text is not a valid HTTP message"),
        "{err}"
    );
    let err = Template::CallApi
        .render("attacker", &fields(&[]))
        .unwrap_err();
    assert_eq!(err.to_string(), "the field `access_token` is empty");
}
