//! Saved progress: round trip, atomic writes, corrupt files moved aside, and an
//! end-to-end `oauth-lab learn 4` answering from scripted standard input.

use std::path::{Path, PathBuf};

use oauth_lab::lesson::progress::AnswerRecord;
use oauth_lab::lesson::{Progress, ProgressStore};
use oauth_lab::testing::{Ran, run_program};

use crate::BIN;

/// An empty state directory for one test.
fn state_dir(name: &str) -> PathBuf {
    oauth_lab::testing::scratch_dir("test", name)
}

/// `oauth-lab ARGS --state-dir DIR` with `input` on its standard input.
fn lab_cli(args: &[&str], dir: &Path, input: &str) -> Ran {
    let mut all = args.to_vec();
    all.extend(["--state-dir", dir.to_str().expect("a UTF-8 path")]);
    run_program(BIN, &all, input)
}

/// The saved progress of lesson 4 in `dir`.
fn saved_lesson_4(dir: &Path) -> Progress {
    serde_json::from_str(
        &std::fs::read_to_string(dir.join("lessons/pkce-code-interception.json")).unwrap(),
    )
    .unwrap()
}

fn sample() -> Progress {
    let mut p = Progress::new("pkce-code-interception");
    p.parts_done.extend([0, 1, 2, 4]);
    p.answers.insert(
        4,
        AnswerRecord {
            choice: 0,
            text: "succeeds".into(),
            correct: true,
        },
    );
    p.answers.insert(
        9,
        AnswerRecord {
            choice: 2,
            text: "invalid_request".into(),
            correct: false,
        },
    );
    p
}

#[test]
fn progress_round_trips() {
    let dir = state_dir("round-trip");
    let store = ProgressStore::new(Some(dir.clone()));
    assert_eq!(
        store.load("pkce-code-interception").progress,
        Progress::new("pkce-code-interception")
    );
    let p = sample();
    store.save(&p).unwrap();
    let loaded = store.load("pkce-code-interception");
    assert!(loaded.warning.is_none());
    assert_eq!(loaded.progress, p);
    assert_eq!(loaded.progress.score(), 1);
    assert_eq!(loaded.progress.resume_at(13), 3);
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(dir.join("lessons"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["pkce-code-interception.json".to_string()]);
    assert!(store.reset("pkce-code-interception").unwrap());
    assert!(!store.reset("pkce-code-interception").unwrap());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_file_truncated_mid_write_is_moved_aside_with_a_warning() {
    let dir = state_dir("truncated");
    let store = ProgressStore::new(Some(dir.clone()));
    store.save(&sample()).unwrap();
    let path = store.path("pkce-code-interception");
    let full = std::fs::read(&path).unwrap();
    std::fs::write(&path, &full[..full.len() / 2]).unwrap();
    let loaded = store.load("pkce-code-interception");
    let warning = loaded.warning.expect("a warning");
    assert!(
        warning.contains("is corrupt") && warning.contains("moved it to"),
        "{warning}"
    );
    assert_eq!(loaded.progress, Progress::new("pkce-code-interception"));
    assert!(!path.exists());
    assert_eq!(
        std::fs::read(path.with_extension("json.corrupt")).unwrap(),
        &full[..full.len() / 2]
    );
    // The next save works, and a second bad file does not overwrite the first one set aside.
    store.save(&sample()).unwrap();
    std::fs::write(&path, b"{").unwrap();
    assert!(store.load("pkce-code-interception").warning.is_some());
    assert!(path.with_extension("json.corrupt.1").exists());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn garbage_and_unreadable_files_never_crash() {
    let dir = state_dir("garbage");
    let store = ProgressStore::new(Some(dir.clone()));
    std::fs::create_dir_all(dir.join("lessons")).unwrap();
    let path = store.path("state-and-csrf");
    std::fs::write(&path, [0xff, 0xfe, 0x00, 0x13, 0x37, b'x']).unwrap();
    let loaded = store.load("state-and-csrf");
    assert!(loaded.warning.is_some_and(|w| w.contains("warning:")));
    assert_eq!(loaded.progress.score(), 0);
    // Valid JSON of another shape, or of another lesson.
    std::fs::write(&path, br#"{"hello": "world"}"#).unwrap();
    assert!(store.load("state-and-csrf").warning.is_some());
    let mut other = sample();
    other.lesson = "someone-else".into();
    std::fs::write(&path, serde_json::to_string(&other).unwrap()).unwrap();
    assert!(
        store
            .load("state-and-csrf")
            .warning
            .is_some_and(|w| w.contains("belongs to lesson"))
    );
    // A directory where the file should be cannot be read.
    std::fs::create_dir_all(&path).unwrap();
    let loaded = store.load("state-and-csrf");
    assert!(loaded.warning.is_some());
    assert!(!path.is_dir(), "the directory was moved aside");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_binary_warns_about_a_corrupt_file_and_goes_on() {
    let dir = state_dir("binary-corrupt");
    std::fs::create_dir_all(dir.join("lessons")).unwrap();
    std::fs::write(dir.join("lessons/whole-flow.json"), "not json at all").unwrap();
    let out = lab_cli(&["lessons", "list"], &dir, "");
    assert!(out.success());
    let err = &out.stderr;
    assert!(
        err.contains("warning: the progress file") && err.contains("whole-flow.json"),
        "{err}"
    );
    assert!(out.stdout.contains("not started"));
    std::fs::remove_dir_all(dir).unwrap();
}

/// `oauth-lab learn 4` with answers on standard input: it asks the first prediction,
/// takes the answer, shows the computed one, and reaches the end with progress saved.
#[test]
fn learn_4_end_to_end_with_scripted_answers() {
    let dir = state_dir("learn-4");
    // Answers: predictions and quizzes take a number (a wrong first try is fine);
    // the try takes commands.
    let script = "7\n1\n2\n2\n1\nenable pkce\n";
    let out = lab_cli(&["learn", "4", "--interactive"], &dir, script);
    let stdout = &out.stdout;
    assert!(out.success(), "{stdout}\n{}", out.stderr);
    assert!(stdout.contains("Will the attack succeed?"), "{stdout}");
    assert!(
        stdout.contains("Please type a number from 1 to 2."),
        "{stdout}"
    );
    assert!(
        stdout.contains("✓ Right: the simulation says succeeds."),
        "{stdout}"
    );
    assert!(stdout.contains("✓ Done"), "{stdout}");
    assert!(stdout.contains("══ End of lesson 4"), "{stdout}");
    let saved = saved_lesson_4(&dir);
    assert!(saved.completed);
    assert_eq!(saved.score(), 4);
    // Listed as done.
    let list = lab_cli(&["lessons", "list"], &dir, "");
    assert!(list.stdout.contains("done, score 4/4"));
    // Reset forgets it.
    let reset = lab_cli(&["lessons", "reset", "4"], &dir, "");
    assert!(reset.stdout.contains("forgotten"));
    assert!(!dir.join("lessons/pkce-code-interception.json").exists());
    std::fs::remove_dir_all(dir).unwrap();
}

/// Stopping half-way saves progress, and the next run resumes there.
#[test]
fn learn_stops_at_end_of_input_and_resumes() {
    let dir = state_dir("learn-resume");
    let run = |script: &str| {
        let out = lab_cli(&["learn", "4", "--interactive"], &dir, script);
        assert!(out.success());
        out.stdout
    };
    let first = run("2\n");
    assert!(first.contains("✗ The simulation says succeeds."), "{first}");
    let saved = saved_lesson_4(&dir);
    assert!(!saved.completed);
    assert_eq!(saved.answers.len(), 1);
    let second = run("q\n");
    assert!(second.contains("Resuming at part"), "{second}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn learn_without_a_terminal_prints_the_lesson_with_answers() {
    let dir = state_dir("learn-print");
    let out = lab_cli(&["learn", "4"], &dir, "");
    assert!(out.success());
    let stdout = &out.stdout;
    assert!(
        stdout.contains("Answer, computed by running the simulation: succeeds"),
        "{stdout}"
    );
    assert!(stdout.contains("══ End of lesson 4"));
    assert!(
        !dir.join("lessons/pkce-code-interception.json").exists(),
        "printing saves nothing"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
