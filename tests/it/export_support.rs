//! The worlds every export is tested on: the default flow, an attack that succeeds, the
//! same attack blocked, a world with a learner's edit carrying hostile characters, and
//! a diagram whose title, label and note are hostile; plus the real-renderer plumbing
//! (a missing tool fails under CI=true and is skipped with a notice elsewhere).

use std::path::{Path, PathBuf};
use std::process::Command;

use oauth_lab::actors::Defenses;
use oauth_lab::attacks::{self, Verdict};
use oauth_lab::export::{self, Diagram, ExportFormat, Notes, Theme, WorldSummary};
use oauth_lab::sim::Trace;
use oauth_lab::sim::world::{DEFAULT_SEED, default_flow};
use oauth_lab::testing::{edit_and_release, hold_until};

/// Characters that mean something in Mermaid, PlantUML, Markdown, XML or HTML.
pub const HOSTILE: &str = "\"<>&;#end%%-->";
/// The same, percent-encoded for a query string.
const HOSTILE_QUERY: &str = "%22%3C%3E%26%3B%23end%25%25--%3E";
/// The attack run succeeding (naive) and blocked (bcp).
pub const ATTACK: &str = "code-interception";

/// A finished run and its diagram.
pub struct Case {
    pub name: &'static str,
    pub trace: Trace,
    pub diagram: Diagram,
}

impl Case {
    pub fn render(&self, format: ExportFormat) -> String {
        export::export(&self.diagram, &self.trace, format, Theme::Light)
    }

    pub fn render_themed(&self, format: ExportFormat, theme: Theme) -> String {
        export::export(&self.diagram, &self.trace, format, theme)
    }
}

fn world(profile: &str, attack: Option<&str>) -> WorldSummary {
    WorldSummary {
        profile: profile.into(),
        differences: vec![],
        seed: DEFAULT_SEED,
        attack: attack.map(|id| {
            let info = attacks::find(id).expect("attack exists").info();
            (info.id.into(), info.title.into(), info.goal.into())
        }),
    }
}

pub fn default_case(notes: Notes) -> Case {
    let mut sim = default_flow(DEFAULT_SEED, Defenses::bcp());
    sim.run_until_idle();
    let trace = sim.into_trace();
    let diagram = Diagram::build(&trace, "Default flow", world("bcp", None), None, notes);
    Case {
        name: match notes {
            Notes::None => "default-notes-none",
            Notes::Short => "default",
            Notes::Full => "default-notes-full",
        },
        trace,
        diagram,
    }
}

/// The attack under `naive` (it succeeds) or `bcp` (it is blocked).
pub fn attack_case(profile: &str) -> (Case, Verdict) {
    let defenses = oauth_lab::actors::Profile::parse(profile)
        .expect("profile")
        .defenses();
    let run = attacks::run_attack(
        attacks::find(ATTACK).expect("attack"),
        DEFAULT_SEED,
        defenses,
    );
    let trace = run.sim.trace().clone();
    let diagram = Diagram::build(
        &trace,
        &format!("Attack {ATTACK}"),
        world(profile, Some(ATTACK)),
        Some(&run.verdict),
        Notes::Short,
    );
    let name = if run.verdict.succeeded() {
        "attack-succeeds"
    } else {
        "attack-blocked"
    };
    (
        Case {
            name,
            trace,
            diagram,
        },
        run.verdict,
    )
}

/// Puts the hostile characters in a new header and (for a request) a query parameter.
fn hostile_edit(wire: &str) -> String {
    let (first, rest) = wire.split_once("\r\n").expect("a start line");
    let first = if first.starts_with("HTTP/") {
        first.to_string()
    } else {
        let (method, rest) = first.split_once(' ').expect("method");
        let (target, version) = rest.rsplit_once(' ').expect("version");
        let sep = if target.contains('?') { '&' } else { '?' };
        format!("{method} {target}{sep}note={HOSTILE_QUERY} {version}")
    };
    format!("{first}\r\nX-Learner-Note: {HOSTILE}\r\n{rest}")
}

/// The default flow with intercept on: the learner edits the first held message
/// (`Simulation::apply(LearnerInput::Edit …)` through the harness).
pub fn edited_case() -> Case {
    let mut sim = default_flow(DEFAULT_SEED, Defenses::bcp());
    let held = hold_until(&mut sim, |_| true);
    edit_and_release(&mut sim, held.id, hostile_edit(&held.wire));
    let trace = sim.into_trace();
    let diagram = Diagram::build(
        &trace,
        "Learner edit",
        world("bcp", None),
        None,
        Notes::Full,
    );
    Case {
        name: "learner-edit",
        trace,
        diagram,
    }
}

/// The default flow's diagram with hostile text in the title, a lane, a label and a note.
pub fn hostile_case() -> Case {
    let mut case = default_case(Notes::Short);
    case.name = "hostile";
    let d = &mut case.diagram;
    d.title = format!("Title {HOSTILE}");
    d.lanes[0].label = format!("Lane {HOSTILE}");
    d.rows[0].label = format!("GET /{HOSTILE}");
    d.rows[0].note = format!("Note {HOSTILE} end");
    d.rows[1].label = format!("end {HOSTILE}");
    case
}

/// Every world the renderers judge.
pub fn all_cases() -> Vec<Case> {
    vec![
        default_case(Notes::Short),
        default_case(Notes::None),
        default_case(Notes::Full),
        attack_case("naive").0,
        attack_case("bcp").0,
        edited_case(),
        hostile_case(),
    ]
}

/// A fresh directory for one test's files.
pub fn out_dir(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("export")
        .join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The folder of the Node scripts.
pub fn renderers() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/renderers")
}

fn on_path(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Whether `what` is available. Missing: a failure under CI=true, else a printed notice
/// and `false` (the caller returns: skipped, never passed silently).
pub fn require(what: &str, available: bool) -> bool {
    if available {
        return true;
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("{what} is missing; .ci/install-renderers installs it");
    }
    eprintln!(
        "SKIPPED: {what} is missing (run .ci/install-renderers); this renderer test did not run"
    );
    false
}

/// Whether the tool is on PATH (see [`require`]).
pub fn require_tool(tool: &str) -> bool {
    require(tool, on_path(tool))
}

/// Whether Node, Chromium and the npm packages of tests/renderers are there.
pub fn require_node_renderers() -> bool {
    require_tool("node")
        && require_tool("chromium")
        && require(
            "tests/renderers/node_modules (npm ci)",
            renderers().join("node_modules/mermaid").is_dir()
                && renderers().join("node_modules/playwright-core").is_dir(),
        )
}

/// The scratch folder of renderer test `test` and every export case, when the Node
/// renderers are there (see [`require_node_renderers`]; `None`: the test is skipped).
pub fn node_cases(test: &str) -> Option<(PathBuf, Vec<Case>)> {
    require_node_renderers().then(|| (out_dir(test), all_cases()))
}

/// Runs a Node script of tests/renderers; returns its JSON lines (panics on a crash
/// without output).
pub fn node(script: &str, args: &[PathBuf]) -> Vec<serde_json::Value> {
    let out = Command::new("node")
        .arg(renderers().join(script))
        .args(args)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    assert!(
        !lines.is_empty(),
        "{script} printed nothing: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    lines
}

/// Writes `text` to `dir/name`.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

/// Writes each case's `format` rendering to `dir/NAME.ext`; returns the paths in order.
pub fn write_cases(dir: &Path, cases: &[Case], format: ExportFormat, ext: &str) -> Vec<PathBuf> {
    cases
        .iter()
        .map(|c| write(dir, &format!("{}.{ext}", c.name), &c.render(format)))
        .collect()
}
