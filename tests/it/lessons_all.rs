//! Every lesson in `lessons/` runs its worlds and passes every checkpoint and computed
//! prediction: a lesson that drifts from the simulation fails here.

use std::path::Path;

use oauth_lab::lesson::{self, Eval, LessonRun, PartBody, Progress, Source, bundled};

fn lesson_files() -> Vec<std::path::PathBuf> {
    lesson::lesson_files(Path::new("lessons")).expect("lessons/ exists")
}

#[test]
fn every_lesson_file_checks_clean() {
    let files = lesson_files();
    assert!(
        files.len() >= 13,
        "the course has at least 13 lessons, found {}",
        files.len()
    );
    let mut problems = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        problems.extend(lesson::check_source(Source::new(
            f.display().to_string(),
            text,
        )));
    }
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(lines.is_empty(), "lesson problems:\n{}", lines.join("\n"));
}

#[test]
fn the_built_in_course_is_the_lessons_directory() {
    let files = lesson_files();
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let built_in: Vec<&str> = bundled::FILES.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        names, built_in,
        "src/lesson/bundled.rs lists every file of lessons/, in order"
    );
    for (name, text) in bundled::FILES {
        assert_eq!(std::fs::read_to_string(name).unwrap(), *text, "{name}");
    }
}

#[test]
fn lessons_are_numbered_one_to_n_with_unique_ids() {
    let (lessons, problems) = bundled::lessons();
    assert!(problems.is_empty(), "{problems:?}");
    let numbers: Vec<u32> = lessons.iter().filter_map(|l| l.number).collect();
    assert_eq!(numbers, (1..=lessons.len() as u32).collect::<Vec<_>>());
    let mut ids: Vec<&str> = lessons.iter().map(|l| l.id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), lessons.len());
    for l in &lessons {
        assert!(
            l.references
                .iter()
                .any(|r| r.contains("RFC") || r.contains("OpenID")),
            "{} cites a section",
            l.id
        );
        assert!(l.max_score() > 0, "{} asks at least one question", l.id);
    }
}

/// Walks every lesson with the library API, answering each prediction with the
/// computed answer and each quiz with its right option: full score, completed.
#[test]
fn a_perfect_learner_gets_full_marks_everywhere() {
    let (lessons, _) = bundled::lessons();
    for l in lessons {
        let id = l.id.clone();
        let max = l.max_score();
        let mut run = LessonRun::new(l, Progress::new(&id));
        while let Some(part) = run.part().cloned() {
            let i = run.position();
            run.enter();
            match &part.body {
                PartBody::Predict { choices, .. } => {
                    let answer = run.computed_answer(i).unwrap();
                    let k = choices.iter().position(|c| *c == answer).unwrap();
                    assert!(run.answer(i, k).unwrap().correct, "{id} part {i}");
                }
                PartBody::Quiz { options, .. } => {
                    let k = options.iter().position(|o| o.correct).unwrap();
                    assert!(run.answer(i, k).unwrap().correct, "{id} part {i}");
                }
                PartBody::Checkpoint { .. } => {
                    let o = run.evaluate_checkpoint(i).unwrap();
                    assert!(o.passed, "{id} part {i}: {}", o.detail);
                }
                _ => {}
            }
            run.complete_part();
        }
        assert!(run.progress().completed, "{id}");
        assert_eq!(run.progress().score(), max, "{id}");
    }
}

/// A try is recognised in the learner's world once it matches the target.
#[test]
fn a_try_is_recognised_only_when_done() {
    let (lessons, _) = bundled::lessons();
    let l = lesson::find(&lessons, "4").expect("lesson 4").clone();
    let (i, _) = l
        .parts
        .iter()
        .enumerate()
        .find(|(_, p)| matches!(p.body, PartBody::Try { .. }))
        .expect("lesson 4 has a try");
    let world = l.worlds[l.parts[i].world].clone();
    let run = LessonRun::new(l, Progress::new("pkce-code-interception"));
    let before = world.run();
    let status = run.try_status(i, Eval::of(&world, &before.sim)).unwrap();
    assert!(!status.done);
    assert!(
        status.missing.iter().any(|m| m.contains("pkce")),
        "{:?}",
        status.missing
    );
    let mut after = world.clone();
    after
        .defenses
        .set_on(oauth_lab::actors::DefenseId::Pkce, true);
    let done = after.run();
    assert!(run.try_status(i, Eval::of(&after, &done.sim)).unwrap().done);
}

/// The computed answer of every prediction, written out: the simulation, not the
/// grader, must produce these (the test above only checks that the grader agrees with
/// itself). A change here is a change in what the lessons teach.
#[test]
fn every_prediction_computes_the_answer_written_here() {
    let expected: &[(&str, usize, &str)] = &[
        ("whole-flow", 3, "303"),
        ("whole-flow", 6, "200"),
        ("whole-flow", 11, "no"),
        ("front-and-back-channel", 5, "307"),
        ("state-and-csrf", 2, "succeeds"),
        ("state-and-csrf", 5, "client"),
        ("pkce-code-interception", 4, "succeeds"),
        ("pkce-code-interception", 8, "POST /token"),
        ("pkce-code-interception", 9, "invalid_grant"),
        ("code-injection", 2, "succeeds"),
        ("code-injection", 5, "invalid_grant"),
        ("redirect-uri-validation", 4, "succeeds"),
        ("redirect-uri-validation", 5, "POST /token"),
        ("redirect-uri-validation", 6, "400"),
        ("redirect-uri-validation", 10, "blocked"),
        ("one-time-codes-and-replay", 1, "succeeds"),
        ("one-time-codes-and-replay", 2, "invalid_grant"),
        ("pkce-downgrade", 3, "succeeds"),
        ("pkce-downgrade", 5, "POST /token"),
        ("pkce-downgrade", 6, "GET /authorize"),
        ("pkce-downgrade", 10, "invalid_request"),
        ("mix-up-and-iss", 3, "succeeds"),
        ("mix-up-and-iss", 8, "succeeds"),
        ("mix-up-and-iss", 11, "client"),
        ("refresh-tokens", 3, "succeeds"),
        ("refresh-tokens", 4, "succeeds"),
        ("refresh-tokens", 6, "401"),
        ("access-tokens-jwt", 6, "succeeds"),
        ("access-tokens-jwt", 7, "invalid_token"),
        ("access-tokens-jwt", 9, "succeeds"),
        ("access-tokens-jwt", 11, "rs"),
        ("access-tokens-jwt", 13, "succeeds"),
        ("oidc-id-tokens-and-nonce", 6, "succeeds"),
        ("oidc-id-tokens-and-nonce", 7, "client"),
        ("oidc-id-tokens-and-nonce", 9, "blocked"),
        ("capstone-naive-to-bcp", 2, "23"),
        ("capstone-naive-to-bcp", 6, "16"),
        ("capstone-naive-to-bcp", 9, "14"),
        ("capstone-naive-to-bcp", 10, "13"),
        ("capstone-naive-to-bcp", 14, "9"),
        ("pushed-authorization-requests", 1, "201"),
        ("pushed-authorization-requests", 6, "succeeds"),
        ("pushed-authorization-requests", 7, "blocked"),
        ("sender-constrained-tokens-with-dpop", 1, "no"),
        ("sender-constrained-tokens-with-dpop", 9, "succeeds"),
        (
            "sender-constrained-tokens-with-dpop",
            10,
            "invalid_dpop_proof",
        ),
        ("sender-constrained-tokens-with-dpop", 12, "succeeds"),
        ("sender-constrained-tokens-with-dpop", 14, "succeeds"),
        ("private-key-jwt-and-audience-injection", 1, "no"),
        ("private-key-jwt-and-audience-injection", 4, "succeeds"),
        ("private-key-jwt-and-audience-injection", 7, "as"),
    ];
    let (lessons, _) = bundled::lessons();
    let mut computed = Vec::new();
    for l in lessons {
        let id = l.id.clone();
        let mut run = LessonRun::new(l, Progress::new(&id));
        while let Some(part) = run.part().cloned() {
            let i = run.position();
            run.enter();
            if let PartBody::Predict { .. } = &part.body {
                computed.push((id.clone(), i, run.computed_answer(i).unwrap()));
            }
            run.complete_part();
        }
    }
    let computed: Vec<(&str, usize, &str)> = computed
        .iter()
        .map(|(id, i, a)| (id.as_str(), *i, a.as_str()))
        .collect();
    assert_eq!(computed, expected);
}
