//! Files never hang the program, never make it write outside its state directory and
//! never lose progress: FIFOs and devices refused at once, oversized lesson files
//! refused before parsing, a planted symbolic link never followed, two processes
//! saving one lesson both kept, failed saves reported, absurd progress set aside.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Child;
use std::time::Duration;

use oauth_lab::lesson::progress::AnswerRecord;
use oauth_lab::lesson::{Progress, ProgressStore};
use oauth_lab::testing::{Program, Ran, finished_within, scratch_dir};

use crate::BIN;

/// A fresh, empty temporary directory for this test.
fn temp_dir(name: &str) -> PathBuf {
    scratch_dir("files", name)
}

fn mkfifo(path: &Path) {
    let out = Program::new("mkfifo").args([path]).run("");
    assert!(out.success(), "mkfifo {}", path.display());
}

/// The program with `args` and `env` (and no lesson directory from the environment).
fn lab(args: &[&str], env: &[(&str, &Path)]) -> Program {
    env.iter().fold(
        Program::new(BIN).args(args).env_remove("OAUTH_LAB_LESSONS"),
        |p, (k, v)| p.env(k, v),
    )
}

/// The program started with `args` and `env`, its standard input closed.
fn spawn(args: &[&str], env: &[(&str, &Path)]) -> Child {
    lab(args, env).start()
}

/// The run exited with `code` and said `needle` on standard error.
fn assert_said(out: &Ran, code: i32, needle: &str, what: &str) {
    assert_eq!(out.code, Some(code), "{what}: {}", out.stderr);
    assert!(out.stderr.contains(needle), "{what}: {}", out.stderr);
}

/// The process start-up is not what is measured: a refusal takes milliseconds, a FIFO
/// blocks forever. Five seconds leaves room for a loaded machine.
const QUICK: Duration = Duration::from_secs(5);

/// A run refused at once: what it is, its arguments and environment, its exit status
/// and what its standard error says.
type Refusal<'a> = (
    &'a str,
    Vec<&'a str>,
    Vec<(&'a str, &'a Path)>,
    i32,
    &'a str,
);

#[test]
fn fifos_and_devices_are_refused_at_once_wherever_a_file_is_read() {
    let dir = temp_dir("fifo");
    let fifo = dir.join("lesson.toml");
    mkfifo(&fifo);
    let fifo_arg = fifo.to_str().unwrap();
    let dir_arg = dir.to_str().unwrap();
    // A FIFO at a progress path is set aside like a damaged file.
    let state = temp_dir("fifo-state");
    std::fs::create_dir_all(state.join("lessons")).unwrap();
    mkfifo(&state.join("lessons/whole-flow.json"));
    let state_arg = state.to_str().unwrap();
    let cases: Vec<Refusal> = vec![
        (
            "learn --file FIFO",
            vec!["learn", "--file", fifo_arg, "--print"],
            vec![],
            2,
            "it is a FIFO (named pipe), not a regular file",
        ),
        (
            "learn --file /dev/zero",
            vec!["learn", "--file", "/dev/zero", "--print"],
            vec![],
            2,
            "it is a character device",
        ),
        (
            "lessons check FIFO",
            vec!["lessons", "check", fifo_arg],
            vec![],
            1,
            "FIFO",
        ),
        (
            "lessons check DIR with a FIFO",
            vec!["lessons", "check", dir_arg],
            vec![],
            1,
            "lesson.toml:1:1: cannot read the file: it is a FIFO",
        ),
        (
            "lessons list with a FIFO in OAUTH_LAB_LESSONS",
            vec!["lessons", "list"],
            vec![("OAUTH_LAB_LESSONS", dir.as_path())],
            2,
            "lesson.toml:1:1: cannot read the file: it is a FIFO",
        ),
        (
            "lessons list with OAUTH_LAB_LESSONS a FIFO",
            vec!["lessons", "list"],
            vec![("OAUTH_LAB_LESSONS", fifo.as_path())],
            2,
            "cannot read the directory: it is a FIFO (named pipe), not a directory",
        ),
        (
            "lessons list with a FIFO progress file",
            vec!["lessons", "list", "--state-dir", state_arg],
            vec![],
            0,
            "whole-flow.json cannot be read (it is a FIFO",
        ),
    ];
    for (what, args, env, code, says) in cases {
        let out = finished_within(spawn(&args, &env), QUICK, what);
        assert_said(&out, code, says, what);
    }
    assert!(!state.join("lessons/whole-flow.json").exists());
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(state);
}

#[test]
fn lesson_files_over_one_mib_are_refused_before_parsing() {
    let dir = temp_dir("big");
    let big = dir.join("big.toml");
    let mut f = std::fs::File::create(&big).unwrap();
    writeln!(f, "id = \"big\"\ntitle = \"{}\"", "x".repeat(1 << 20)).unwrap();
    drop(f);
    let what = "lessons check of a 1 MiB file";
    let out = finished_within(
        spawn(&["lessons", "check", big.to_str().unwrap()], &[]),
        QUICK,
        what,
    );
    let says = "cannot read the file: it is larger than the limit of 1 MiB";
    assert_said(&out, 1, says, what);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_empty_lesson_directory_and_an_unknown_reset_are_errors() {
    let dir = temp_dir("empty");
    let out = lab(&["lessons", "check", dir.to_str().unwrap()], &[]).run("");
    let says = "no lesson files (*.toml) in this directory";
    assert_said(&out, 1, says, "lessons check of an empty directory");
    let out = lab(
        &[
            "lessons",
            "reset",
            "no-such-lesson",
            "--state-dir",
            dir.to_str().unwrap(),
        ],
        &[],
    )
    .run("");
    assert_said(
        &out,
        2,
        "no lesson `no-such-lesson`",
        "lessons reset of an unknown lesson",
    );
    let _ = std::fs::remove_dir_all(dir);
}

fn answer(correct: bool) -> AnswerRecord {
    AnswerRecord {
        choice: 0,
        text: "succeeds".into(),
        correct,
    }
}

#[test]
fn a_symbolic_link_planted_at_the_temporary_name_is_never_followed() {
    let dir = temp_dir("symlink");
    let outside = dir.join("outside.txt");
    std::fs::write(&outside, "untouched").unwrap();
    let state = dir.join("state");
    let lessons = state.join("lessons");
    std::fs::create_dir_all(&lessons).unwrap();
    // The temporary names a save of this process would try first.
    for n in 0..3 {
        let name = format!(".whole-flow.json.tmp-{}-{n}", std::process::id());
        std::os::unix::fs::symlink(&outside, lessons.join(name)).unwrap();
    }
    let store = ProgressStore::new(Some(state.clone()));
    let mut p = Progress::new("whole-flow");
    p.parts_done.extend([0, 1]);
    store.save(&p).unwrap();
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "untouched");
    assert_eq!(store.load("whole-flow").progress, p);
    // The file is the user's alone.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(store.path("whole-flow"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    // A symbolic link at the lock file's name is refused, not followed.
    let _ = std::fs::remove_file(state.join(".progress.lock"));
    std::os::unix::fs::symlink(&outside, state.join(".progress.lock")).unwrap();
    assert!(store.save(&p).is_err());
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "untouched");
    let _ = std::fs::remove_dir_all(dir);
}

/// Set by [`two_processes_saving_one_lesson_lose_nothing`] for the copies of this test
/// binary it starts: each saves a share of the parts, one at a time.
const WRITER_ENV: &str = "OAUTH_LAB_TEST_PROGRESS_WRITER";

/// The body of a writer process (does nothing in a normal test run).
#[test]
fn progress_writer_process() {
    let Ok(spec) = std::env::var(WRITER_ENV) else {
        return;
    };
    let (state, who) = spec.split_once('|').unwrap();
    let who: usize = who.parse().unwrap();
    let store = ProgressStore::new(Some(PathBuf::from(state)));
    // Each session keeps its own progress in memory, as `learn` does, and saves it
    // after every part; writer 0 also completes the lesson.
    let mut mine = store.load("whole-flow").progress;
    for part in (who..40).step_by(2) {
        mine.parts_done.insert(part);
        if part % 4 == who {
            mine.answers.insert(part, answer(who == 0));
        }
        if who == 0 && part == 38 {
            mine.completed = true;
        }
        store.save(&mine).unwrap();
    }
}

#[test]
fn two_processes_saving_one_lesson_lose_nothing() {
    let state = temp_dir("two-writers");
    let me = std::env::current_exe().unwrap();
    // The writer test's name in this binary: its module path without the crate.
    let module = module_path!().split_once("::").map_or("", |(_, m)| m);
    let writer_test = format!("{module}::progress_writer_process");
    let writers: Vec<Child> = (0..2)
        .map(|who| {
            Program::new(&me)
                .args(["--exact", &writer_test, "--nocapture"])
                .env(WRITER_ENV, format!("{}|{who}", state.display()))
                .start()
        })
        .collect();
    for w in writers {
        let out = finished_within(w, Duration::from_secs(60), "a writer process");
        assert!(out.success());
    }
    let store = ProgressStore::new(Some(state.clone()));
    let loaded = store.load("whole-flow");
    assert!(loaded.warning.is_none());
    let p = loaded.progress;
    assert_eq!(p.parts_done, (0..40).collect());
    assert!(p.completed, "the completion was lost");
    // Writer 0's answers are right, writer 1's wrong: both sets are kept.
    assert_eq!(p.answers.len(), 20);
    assert_eq!(p.score(), 10);
    let _ = std::fs::remove_dir_all(state);
}

#[test]
fn merged_saves_keep_the_better_answer_and_the_completion() {
    let state = temp_dir("merge");
    let store = ProgressStore::new(Some(state.clone()));
    let mut first = Progress::new("whole-flow");
    first.parts_done.extend([0, 1, 2]);
    first.answers.insert(2, answer(true));
    first.completed = true;
    store.save(&first).unwrap();
    // A second session that started before the first one saved.
    let mut second = Progress::new("whole-flow");
    second.parts_done.insert(3);
    second.answers.insert(2, answer(false));
    store.save(&second).unwrap();
    let saved = store.load("whole-flow").progress;
    assert_eq!(saved.parts_done, [0, 1, 2, 3].into());
    assert_eq!(saved.answers[&2], answer(true));
    assert!(saved.completed);
    let _ = std::fs::remove_dir_all(state);
}

#[test]
fn absurd_progress_files_are_set_aside_as_damaged() {
    let state = temp_dir("absurd");
    let store = ProgressStore::new(Some(state.clone()));
    let (lessons, _) = oauth_lab::lesson::available();
    let lesson = lessons.iter().find(|l| l.id == "whole-flow").unwrap();
    std::fs::create_dir_all(state.join("lessons")).unwrap();
    let path = store.path("whole-flow");

    // "score 50/4": fifty right answers in a lesson with a handful of questions.
    let mut p = Progress::new("whole-flow");
    for i in 0..50 {
        p.answers.insert(i, answer(true));
    }
    std::fs::write(&path, serde_json::to_string(&p).unwrap()).unwrap();
    let loaded = store.load_for(lesson);
    let w = loaded.warning.expect("a warning");
    assert!(w.contains("is damaged") && w.contains("moved it to"), "{w}");
    assert_eq!(loaded.progress, Progress::new("whole-flow"));
    assert!(!path.exists());

    // Parts the lesson does not have.
    let mut p = Progress::new("whole-flow");
    p.parts_done.insert(lesson.parts.len() + 5);
    std::fs::write(&path, serde_json::to_string(&p).unwrap()).unwrap();
    let w = store.load_for(lesson).warning.expect("a warning");
    assert!(w.contains("is damaged (it lists part"), "{w}");

    // Three million parts: refused by size, before parsing.
    let mut text = String::from("{\"version\":1,\"lesson\":\"whole-flow\",\"parts_done\":[");
    for i in 0..3_000_000 {
        text.push_str(&i.to_string());
        text.push(',');
    }
    text.push_str("0],\"answers\":{},\"completed\":false}");
    std::fs::write(&path, &text).unwrap();
    let w = store.load("whole-flow").warning.expect("a warning");
    assert!(w.contains("larger than the limit of 1 MiB"), "{w}");

    // Twenty thousand parts fit in the size limit but no lesson has them.
    let mut p = Progress::new("whole-flow");
    p.parts_done.extend(0..20_000);
    std::fs::write(&path, serde_json::to_string(&p).unwrap()).unwrap();
    let w = store.load("whole-flow").warning.expect("a warning");
    assert!(w.contains("is damaged (20000 parts done"), "{w}");
    let _ = std::fs::remove_dir_all(state);
}

/// Whether this process can write in a directory it made read-only (root can).
fn read_only_is_enforced(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let probe = dir.join("probe");
    let enforced = std::fs::write(&probe, "x").is_err();
    let _ = std::fs::remove_file(&probe);
    enforced
}

#[test]
fn a_failed_save_is_reported_and_the_scripted_run_exits_non_zero() {
    let dir = temp_dir("failed-save");
    // A state directory that is a regular file: no save can succeed, even as root.
    let not_a_dir = dir.join("state-file");
    std::fs::write(&not_a_dir, "").unwrap();
    let mut states = vec![not_a_dir];
    // A read-only state directory, where permissions are enforced.
    let read_only = dir.join("read-only");
    std::fs::create_dir_all(&read_only).unwrap();
    if read_only_is_enforced(&read_only) {
        states.push(read_only.clone());
    } else {
        eprintln!(
            "NOTICE: running as a user that can write a read-only directory; checking the file-as-directory case only."
        );
    }
    for state in &states {
        let state = state.to_str().unwrap();
        let out = lab(&["learn", "4", "--interactive", "--state-dir", state], &[])
            .run("1\n1\n2\n2\n1\nenable pkce\n");
        let stdout = &out.stdout;
        assert!(stdout.contains("══ End of lesson 4"), "{stdout}");
        assert!(!stdout.contains("Progress saved."), "{stdout}");
        assert!(
            stdout.contains("error: could not save progress in"),
            "{stdout}"
        );
        assert!(
            stdout.contains("Progress NOT saved (see the error above)."),
            "{stdout}"
        );
        assert_said(&out, 2, "error: could not save progress", "a failed save");
    }
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o755));
    let _ = std::fs::remove_dir_all(dir);
}

/// The UI in lesson mode with progress saved in `state`: a few parts done, then the
/// lesson left. Returns the notice shown on leaving.
fn leave_after_three_parts(state: &Path) -> String {
    use oauth_lab::tui::{Action, update};
    let lessons = oauth_lab::lesson::available().0;
    let l1 = oauth_lab::lesson::find(&lessons, "1").unwrap().clone();
    let store = ProgressStore::new(Some(state.to_path_buf()));
    let mut app = oauth_lab::cli::tui_cmd::lesson_app(l1, store, false);
    update(&mut app, Action::Resize(120, 40));
    for _ in 0..3 {
        update(&mut app, Action::LessonContinue);
        oauth_lab::tui::tasks::perform_saves(&mut app);
    }
    update(&mut app, Action::LeaveLesson);
    app.notice.expect("a notice").text
}

#[test]
fn the_ui_says_saved_only_when_the_save_succeeded() {
    let dir = temp_dir("ui-save");
    let good = dir.join("good");
    let said = leave_after_three_parts(&good);
    assert!(said.contains("your progress is saved"), "{said}");
    assert!(good.join("lessons/whole-flow.json").exists());
    // A state directory that is a regular file: every save fails.
    let bad = dir.join("bad");
    std::fs::write(&bad, "").unwrap();
    let said = leave_after_three_parts(&bad);
    assert!(said.contains("your progress could NOT be saved"), "{said}");
    assert!(!said.contains("your progress is saved"), "{said}");
    let _ = std::fs::remove_dir_all(dir);
}
