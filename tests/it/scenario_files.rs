//! Scenario files: a world saved from the UI with `S` replays byte for byte from the
//! command line and reopens where it was saved; the shipped scenarios load and replay;
//! each malformed file is refused at its exact `file:line:column`.

use std::path::{Path, PathBuf};

use oauth_lab::cli::tui_cmd::TuiArgs;
use oauth_lab::files::source::Source;
use oauth_lab::scenario::{self, Scenario};
use oauth_lab::sim::{LearnerInput, Origin};
use oauth_lab::testing::{
    ch, ctrl, key, keys, launch_saving_to, press_and_save, press_n, replace_editor_body,
    run_program, temp_dir,
};
use oauth_lab::tui::app::Level;
use oauth_lab::tui::press;
use ratatui::crossterm::event::KeyCode;

use super::BIN;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// `oauth-lab ARGS…`, which must succeed; its standard output.
fn oauth_lab_ok(args: &[&str]) -> String {
    let ran = run_program(BIN, args, "");
    assert!(ran.success(), "{args:?} failed: {}", ran.stderr);
    ran.stdout
}

/// The UI driven by keys: intercept on, the token response edited, the client's API
/// call dropped, the clock advanced, the run taken to its end and a step selected;
/// then `S`. Returns the app and the file it saved.
fn save_from_the_ui(dir: &Path) -> (oauth_lab::tui::App, PathBuf) {
    let mut app = launch_saving_to(dir);
    press_n(&mut app, KeyCode::Right, 17);
    keys(&mut app, &[ch('i'), key(KeyCode::Right), ch('e')]);
    let body = r#"{"error":"access_denied"}"#;
    replace_editor_body(&mut app, body);
    keys(&mut app, &[ctrl('l'), ctrl('s')]);
    assert_eq!(app.overlay, None, "the edit is sent");
    assert_eq!(app.step().unwrap().origin, Origin::Learner);
    // The client reacts to the error; hold whatever it sends next and drop it.
    while app.held_count() == 0 && !app.timeline.is_finished() {
        press(&mut app, key(KeyCode::Right));
    }
    if app.held_count() > 0 {
        press(&mut app, ch('x'));
    }
    keys(&mut app, &[ch('i'), ch('t'), key(KeyCode::End)]);
    press_n(&mut app, KeyCode::Left, 2);
    let kinds: Vec<&str> = app
        .timeline
        .spec
        .inputs
        .iter()
        .map(|(_, i)| match i {
            LearnerInput::SetHold { .. } => "hold",
            LearnerInput::Edit { .. } => "edit",
            LearnerInput::Drop { .. } => "drop",
            LearnerInput::AdvanceClock { .. } => "clock",
            _ => "other",
        })
        .collect();
    assert!(
        ["hold", "edit", "clock"].iter().all(|k| kinds.contains(k)),
        "{kinds:?}"
    );
    press_and_save(&mut app, ch('S'));
    let notice = app.notice.clone().expect("a notice names the file");
    assert_eq!(notice.level, Level::Changed, "{}", notice.text);
    let saved = std::fs::read_dir(dir.join("scenarios"))
        .expect("the scenario folder")
        .map(|e| e.unwrap().path())
        .collect::<Vec<_>>();
    assert_eq!(saved.len(), 1, "{saved:?}");
    let path = saved[0].clone();
    assert!(
        notice.text.contains(&path.display().to_string()),
        "{}",
        notice.text
    );
    (app, path)
}

#[test]
fn a_scenario_saved_with_s_replays_byte_for_byte_and_reopens_where_it_was() {
    let dir = temp_dir("scenario", "roundtrip");
    let (app, path) = save_from_the_ui(&dir);
    let file = path.to_str().unwrap();
    // `run --scenario` gives exactly the trace the UI showed.
    let json = oauth_lab_ok(&["run", "--scenario", file, "--format", "json"]);
    assert_eq!(json, app.timeline.trace().to_json() + "\n");
    let http = oauth_lab_ok(&["run", "--scenario", file, "--format", "http"]);
    assert_eq!(
        http,
        oauth_lab::export::render(app.timeline.trace(), oauth_lab::export::Format::Http, "")
    );
    // `tui --scenario` reopens it at the selected step, on the same run.
    let args = TuiArgs {
        scenario: Some(path.clone()),
        ..TuiArgs::default()
    };
    let mut reopened = args.app().expect("the scenario opens");
    assert_eq!(reopened.cursor, app.cursor);
    assert_eq!(reopened.overlay, None);
    let n = reopened.timeline.len();
    assert!(n > app.cursor);
    assert_eq!(
        reopened.timeline.trace().steps,
        app.timeline.trace().steps[..n]
    );
    assert_eq!(reopened.timeline.spec, app.timeline.spec);
    press(&mut reopened, key(KeyCode::End));
    assert_eq!(reopened.timeline.trace(), app.timeline.trace());
    // Without a terminal, `tui --scenario` prints what `run --scenario` prints.
    let transcript = oauth_lab_ok(&["run", "--scenario", file]);
    let tui = oauth_lab_ok(&["tui", "--scenario", file]);
    assert!(tui.ends_with(&transcript), "{tui}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn saving_twice_never_overwrites() {
    let dir = temp_dir("scenario", "twice");
    let mut app = launch_saving_to(&dir);
    press_and_save(&mut app, ch('S'));
    press_n(&mut app, KeyCode::Right, 3);
    press_and_save(&mut app, ch('S'));
    let folder = dir.join("scenarios");
    let first = scenario::load_file(&folder.join("happy-path-1.toml")).unwrap();
    let second = scenario::load_file(&folder.join("happy-path-2.toml")).unwrap();
    assert_eq!((first.selected, second.selected), (0, 3));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every shipped scenario.
fn shipped() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo("scenarios"))
        .expect("scenarios/")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_shipped_scenario_loads_and_replays() {
    let files = shipped();
    assert!(files.len() >= 5, "{files:?}");
    for path in files {
        let s: Scenario =
            scenario::load_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(s.title.is_some() && s.notes.is_some(), "{}", path.display());
        let run = s.world.run();
        let trace = run.sim.trace();
        assert!(s.selected < trace.steps.len());
        for b in &s.bookmarks {
            assert!(b.step < trace.steps.len(), "{}: {}", path.display(), b.name);
        }
        // Written back, it reads the same.
        let text = s.to_toml().unwrap();
        let back = scenario::parse(&Source::new(path.display().to_string(), text)).unwrap();
        assert_eq!(back, s);
        let out = oauth_lab_ok(&["run", "--scenario", path.to_str().unwrap()]);
        assert!(out.contains(&s.world.describe_defenses()), "{out}");
    }
}

/// `run --scenario FILE` fails with exit code 2 and exactly these problems.
fn refused(file: &str) -> Vec<String> {
    let ran = run_program(BIN, &["run", "--scenario", file], "");
    assert_eq!(ran.code, Some(2), "{file}: {}", ran.stderr);
    assert!(ran.stdout.is_empty(), "nothing half-loaded: {}", ran.stdout);
    let text = ran
        .stderr
        .strip_prefix("error: ")
        .expect("an error")
        .trim_end();
    text.lines().map(str::to_string).collect()
}

#[test]
fn malformed_scenarios_are_refused_at_their_place() {
    let cases: &[(&str, &[&str])] = &[
        (
            "bad-unknown-key",
            &["4:1: unknown field `colour`, expected one of"],
        ),
        (
            "bad-unknown-defense",
            &["4:20: unknown defense `telepathy`; valid names: state,"],
        ),
        (
            "bad-unknown-attack",
            &["4:10: unknown attack `teleport`; valid ids: code-interception,"],
        ),
        (
            "bad-version",
            &["1:11: unsupported scenario file version 7; this build reads versions 1 to 4"],
        ),
        (
            "bad-edit-wire",
            &[
                "14:8: this input does not apply at step 2: the edited text is not a valid HTTP message:",
            ],
        ),
        (
            "bad-unreached-step",
            &["11:6: this input is made at step 900, but the world stops after 36 steps"],
        ),
        (
            "bad-input-key",
            &[
                "9:11: unknown key `minutes` in this `advance_clock` input; its keys are: at, input, secs",
            ],
        ),
        (
            "bad-live-attack",
            &["4:10: a recorded live world has no attack and no workshop position"],
        ),
        (
            "bad-live-version",
            &["1:11: a recorded live world needs format version 3"],
        ),
        (
            "bad-live-defense",
            &[
                "14:9: this input does not apply at step 6: invalid value `sha1` for `pkce`; valid values: off, plain, S256",
            ],
        ),
        (
            "bad-selected",
            &[
                "5:12: step 400 is past the end of the run (it has 35 steps, 0–34)",
                "9:8: step 401 is past the end of the run (it has 35 steps, 0–34)",
            ],
        ),
    ];
    let dir = repo("tests/fixtures/scenarios");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut named: Vec<String> = cases.iter().map(|(n, _)| format!("{n}.toml")).collect();
    named.sort();
    assert_eq!(files, named, "every fixture has its expected position");
    for (name, expected) in cases {
        let path = dir.join(format!("{name}.toml"));
        let file = path.to_str().unwrap();
        let got = refused(file);
        assert_eq!(got.len(), expected.len(), "{name}: {got:?}");
        for (line, want) in got.iter().zip(expected.iter()) {
            let want = format!("{file}:{want}");
            assert!(
                line.starts_with(&want),
                "{name}:\n got: {line}\nwant: {want}"
            );
        }
    }
}

/// `run --scenario FILE` refuses `file` before parsing it, saying why.
fn assert_unreadable(file: &Path, why: &str) {
    let f = file.to_str().unwrap();
    assert_eq!(
        refused(f),
        [format!("{f}:1:1: cannot read the file: {why}")]
    );
}

#[test]
fn directories_and_oversized_files_are_refused_before_parsing() {
    let dir = temp_dir("scenario", "refused");
    std::fs::create_dir_all(&dir).unwrap();
    assert_unreadable(&dir, "it is a directory, not a regular file");
    let big = dir.join("big.toml");
    std::fs::write(&big, "#".repeat((1 << 20) + 1)).unwrap();
    assert_unreadable(&big, "it is larger than the limit of 1 MiB");
    // A title with control characters is printed with them escaped.
    let hostile = dir.join("hostile.toml");
    std::fs::write(
        &hostile,
        "version = 1\nseed = 1\nprofile = \"bcp\"\n\"\\u001b[2Jx\" = 1\n",
    )
    .unwrap();
    let line = refused(hostile.to_str().unwrap()).join("\n");
    assert!(!line.contains('\u{1b}'), "{line:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_lesson_world_can_be_a_scenario_file() {
    let dir = temp_dir("scenario", "lesson");
    std::fs::create_dir_all(&dir).unwrap();
    let lesson = std::fs::read_to_string(repo("lessons/01-whole-flow.toml")).unwrap();
    let world = "[world]\nprofile = \"bcp\"\n";
    assert!(lesson.contains(world));
    std::fs::copy(repo("scenarios/code-replay.toml"), dir.join("replay.toml")).unwrap();
    let with = |world: &str| {
        let path = dir.join("lesson.toml");
        std::fs::write(&path, lesson.replace("[world]\nprofile = \"bcp\"\n", world)).unwrap();
        (
            path.display().to_string(),
            oauth_lab::lesson::load_file(&path),
        )
    };
    let (_, ok) = with("[world]\nscenario = \"replay.toml\"\n");
    let ok = ok.unwrap_or_else(|d| panic!("{d:?}"));
    let replay = scenario::load_file(&dir.join("replay.toml")).unwrap();
    assert_eq!(ok.worlds[0].spec, replay.world);
    assert!(
        !ok.worlds[0].spec.inputs.is_empty(),
        "the inputs come along"
    );
    let line = lesson[..lesson.find(world).unwrap()].lines().count() + 2;
    let (name, missing) = with("[world]\nscenario = \"missing.toml\"\n");
    let problems: Vec<String> = missing.unwrap_err().iter().map(|d| d.to_string()).collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    let want = format!(
        "{name}:{line}:12: in scenario {}:1:1: cannot read the file:",
        dir.join("missing.toml").display()
    );
    assert!(problems[0].starts_with(&want), "{}\n{want}", problems[0]);
    let (_, both) = with("[world]\nscenario = \"replay.toml\"\nprofile = \"naive\"\n");
    let problems: Vec<String> = both.unwrap_err().iter().map(|d| d.to_string()).collect();
    assert!(
        problems[0].contains("takes its whole world from the file"),
        "{problems:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
