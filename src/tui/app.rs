//! The UI's whole state. The handlers change it, one action at a time; the views read
//! it (`impl Widget for &App`) and write back only what they clamped when drawing
//! ([`Screen`]).

use std::cell::RefCell;

use crate::actors::defenses::Profile;

use super::attacks::{AttackEntry, MatrixCell, VerdictView};
use super::editor::Editor;
use super::inspect::Derived;
use super::lesson::library::Library;
use super::lesson::state::LessonMode;
pub use super::panes::{Pane, Tab};
use super::screen::Screen;
use super::timeline::{Difference, Timeline, WorldSpec};

/// The smallest screen the full UI is drawn on; below it a notice asks for more room.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Play speeds: milliseconds between steps, and their labels.
pub const SPEEDS: [(u64, &str); 5] = [
    (4000, "¼×"),
    (2000, "½×"),
    (1000, "1×"),
    (500, "2×"),
    (250, "4×"),
];
/// The speed at start (1 step a second).
pub const DEFAULT_SPEED: usize = 2;

/// A window drawn over the panes.
#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    /// The first-launch welcome.
    Welcome,
    Help {
        scroll: u16,
    },
    Defenses {
        selected: usize,
    },
    Attacks {
        selected: usize,
    },
    /// The attack × defense matrix, one row selected (Enter launches its attack).
    Matrix {
        selected: usize,
    },
    Editor(Editor),
    /// The lesson list (`L`).
    Lessons {
        selected: usize,
    },
    /// A window of the attacker console (`A`).
    Console(super::console::state::Window),
}

/// How a notice reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Changed,
    Problem,
}

/// A one-off message at the top of the narration pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub level: Level,
    pub text: String,
}

/// Work the event loop does outside `update` (which stays free of threads and I/O).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Task {
    /// Compute the attack × profile matrix in the background.
    ComputeMatrix { seed: u64 },
    /// Save a lesson's progress (in the library's progress store, if it has one).
    SaveProgress(crate::lesson::Progress),
    /// Export the world in every diagram format into a new folder under `dir` (`E`).
    ExportAll {
        dir: std::path::PathBuf,
        spec: crate::world::WorldSpec,
    },
    /// Save the world as a new scenario file in `dir` (`S`).
    SaveScenario {
        dir: std::path::PathBuf,
        scenario: crate::scenario::Scenario,
    },
    /// Save a challenge's progress (in the library's progress store, if it has one).
    SaveChallenge(crate::challenge::ChallengeProgress),
}

/// The attack matrix: computed cells, and whether the computation is running.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MatrixPanel {
    pub columns: Vec<String>,
    pub cells: Vec<MatrixCell>,
    pub running: bool,
    pub expected: usize,
}

/// The whole UI state.
pub struct App {
    pub timeline: Timeline,
    /// The step number being typed after `u` (run to step N), if any.
    pub run_to: Option<String>,
    /// The selected step (an index into the trace).
    pub cursor: usize,
    pub focus: Pane,
    pub tab: Tab,
    pub inspector_scroll: u16,
    /// How far the "What happened" pane is scrolled (back to 0 on another step).
    pub narration_scroll: u16,
    /// What the last frame drew (the diagram's first step, where the panes went).
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub presenter: bool,
    pub playing: bool,
    pub speed: usize,
    pub play_elapsed_ms: u64,
    pub held_selected: usize,
    pub notice: Option<Notice>,
    /// The first step that changed at the last rebuild, marked `Δ` in the diagram.
    pub changed: Option<Difference>,
    /// The screen size, from the last resize.
    pub size: (u16, u16),
    pub should_quit: bool,
    pub tasks: Vec<Task>,
    pub catalog: Vec<AttackEntry>,
    pub verdict: Option<VerdictView>,
    pub matrix: MatrixPanel,
    /// The lessons on offer and the learner's progress in them.
    pub library: Library,
    /// Lesson mode: the lesson being followed.
    pub lesson: Option<LessonMode>,
    /// The attacker console (`A`).
    pub console: super::console::state::Console,
    /// Challenge mode: the challenge being played.
    pub challenge: Option<super::console::challenge::ChallengeMode>,
    /// Derived, expensive view data (token signature checks) for the selected step.
    pub(crate) derived: RefCell<Option<Derived>>,
}

impl App {
    /// The happy path under `profile`, at step 0, with the welcome shown.
    pub fn new(spec: WorldSpec) -> Self {
        App {
            timeline: Timeline::new(spec),
            run_to: None,
            cursor: 0,
            focus: Pane::Diagram,
            tab: Tab::Raw,
            inspector_scroll: 0,
            narration_scroll: 0,
            screen: Screen::default(),
            overlay: Some(Overlay::Welcome),
            presenter: false,
            playing: false,
            speed: DEFAULT_SPEED,
            play_elapsed_ms: 0,
            held_selected: 0,
            notice: None,
            changed: None,
            size: (120, 40),
            should_quit: false,
            tasks: Vec::new(),
            catalog: super::attacks::catalog(),
            verdict: None,
            matrix: MatrixPanel::default(),
            library: Library::builtin(),
            lesson: None,
            console: Default::default(),
            challenge: None,
            derived: RefCell::new(None),
        }
    }

    /// The default first launch: the happy path under `bcp`.
    pub fn default_launch() -> Self {
        App::new(WorldSpec::happy_path(
            crate::sim::world::DEFAULT_SEED,
            Profile::Bcp,
        ))
    }

    /// The selected step.
    pub fn step(&self) -> Option<&crate::sim::Step> {
        self.timeline.trace().steps.get(self.cursor)
    }

    pub fn speed_label(&self) -> &'static str {
        SPEEDS[self.speed.min(SPEEDS.len() - 1)].1
    }

    pub fn is_intercepting(&self) -> bool {
        self.timeline.sim().is_holding()
    }

    /// Whether intercept mode is on; when it is not, shows `notice` (what needs it and
    /// how to turn it on) and returns false.
    pub fn intercepting_or_notify(&mut self, notice: &str) -> bool {
        let on = self.is_intercepting();
        if !on {
            self.notify(Level::Info, notice);
        }
        on
    }

    pub fn held_count(&self) -> usize {
        self.timeline.sim().held().len()
    }

    /// Whether the screen is too small for the full UI.
    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_WIDTH || self.size.1 < MIN_HEIGHT
    }

    pub fn notify(&mut self, level: Level, text: impl Into<String>) {
        self.notice = Some(Notice {
            level,
            text: text.into(),
        });
    }
}
