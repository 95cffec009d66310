//! Lessons: a guided course over the simulation. Lessons are data (`lessons/*.toml`,
//! documented in `lessons/README.md`); this module parses them with positions,
//! validates them against the simulation, runs them ([`LessonRun`]) and saves progress.
//!
//! Lessons only read the trace (docs/ARCHITECTURE.md rule 4), and the right answer of every
//! prediction about the simulation is computed by running it, never written in the
//! file (rule 1).
//!
//! - [`source`]: positions and `file:line:column` diagnostics;
//! - [`model`]: the file schema; [`lesson`]: the compiled lesson;
//! - [`world`]: the worlds a lesson runs; [`locate`]: step references;
//! - [`check`]: the checkpoint vocabulary; [`validate`]: `lessons check`;
//! - [`run`]: [`LessonRun`]; [`progress`]: saved progress; [`terminal`]: the
//!   plain-terminal runner of `oauth-lab learn`.

pub mod bundled;
pub mod check;
pub mod compile;
pub mod locate;
pub mod model;
pub mod progress;
pub mod run;
pub mod runs;
pub mod spoilers;
pub mod target;
pub mod terminal;
pub mod validate;
pub mod world;

use std::path::{Path, PathBuf};

pub use crate::files::source::{Diagnostic, Source};
pub use check::{CheckResult, Checkpoint, Eval};
pub use compile::{Lesson, Part, PartBody};
pub use progress::{Progress, ProgressStore};
pub use run::{Feedback, LessonRun, TryStatus};

/// The file layer lessons are read with, at its former place (see [`crate::files`]).
pub use crate::files::{control_chars, regular_file, source};

/// The largest lesson file read (1 MiB); larger ones are refused before parsing.
pub const LESSON_FILE_LIMIT: u64 = 1 << 20;

/// The environment variable naming a directory of lessons to use instead of the
/// built-in ones.
pub const LESSONS_DIR_ENV: &str = "OAUTH_LAB_LESSONS";

/// Joins the lines of each paragraph of TOML text into one line; blank lines separate
/// paragraphs, and lines starting with `- ` or `  ` keep their line break.
pub fn reflow(text: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in text.trim().lines() {
        let t = line.trim_end();
        if t.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            continue;
        }
        let keep = t.trim_start().starts_with("- ") || t.starts_with("  ");
        if current.is_empty() {
            current.push_str(if keep { t } else { t.trim_start() });
        } else if keep {
            current.push('\n');
            current.push_str(t);
        } else {
            current.push(' ');
            current.push_str(t.trim_start());
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs.join("\n\n")
}

/// Reads, parses and compiles one lesson file.
pub fn load_file(path: &Path) -> Result<Lesson, Vec<Diagnostic>> {
    let name = path.display().to_string();
    match regular_file::read_regular_text(path, LESSON_FILE_LIMIT) {
        Ok(text) => compile::load(Source::new(name, text)),
        Err(e) => Err(vec![
            Source::new(name, "").diagnostic(None, format!("cannot read the file: {e}")),
        ]),
    }
}

/// Loads, compiles and checks a lesson against the simulation: every problem found.
pub fn check_source(source: Source) -> Vec<Diagnostic> {
    match compile::load(source) {
        Ok(l) => validate::check(&l),
        Err(d) => d,
    }
}

/// The `*.toml` files of a directory, sorted by name. Anything but a directory (a
/// FIFO named in `OAUTH_LAB_LESSONS`, say) is refused without being opened.
pub fn lesson_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(dir)?;
    if !meta.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("it is {}, not a directory", regular_file::kind_of(&meta)),
        ));
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    Ok(files)
}

/// Sorts lessons by number (unnumbered last), then id.
pub fn sort(lessons: &mut [Lesson]) {
    lessons.sort_by(|a, b| {
        (a.number.unwrap_or(u32::MAX), &a.id).cmp(&(b.number.unwrap_or(u32::MAX), &b.id))
    });
}

/// Every lesson of a directory, and the problems of the files that do not load.
pub fn load_dir(dir: &Path) -> (Vec<Lesson>, Vec<Diagnostic>) {
    let mut lessons = Vec::new();
    let mut problems = Vec::new();
    match lesson_files(dir) {
        Ok(files) => {
            for f in files {
                match load_file(&f) {
                    Ok(l) => lessons.push(l),
                    Err(d) => problems.extend(d),
                }
            }
        }
        Err(e) => problems.push(
            Source::new(dir.display().to_string(), "")
                .diagnostic(None, format!("cannot read the directory: {e}")),
        ),
    }
    sort(&mut lessons);
    (lessons, problems)
}

/// The lessons to offer: those of `$OAUTH_LAB_LESSONS` if set, else the built-in course.
pub fn available() -> (Vec<Lesson>, Vec<Diagnostic>) {
    match std::env::var_os(LESSONS_DIR_ENV).filter(|v| !v.is_empty()) {
        Some(dir) => load_dir(Path::new(&dir)),
        None => bundled::lessons(),
    }
}

/// Finds a lesson by id or number.
pub fn find<'a>(lessons: &'a [Lesson], key: &str) -> Option<&'a Lesson> {
    lessons.iter().find(|l| l.matches(key))
}

/// A lesson and the learner's progress in it, for the lesson list.
#[derive(Debug, Clone)]
pub struct Listed {
    pub id: String,
    pub number: Option<u32>,
    pub title: String,
    pub level: String,
    pub duration: String,
    pub parts: usize,
    pub parts_done: usize,
    pub score: usize,
    pub max_score: usize,
    pub completed: bool,
    pub warning: Option<String>,
}

impl Listed {
    /// How far the learner got, for the lesson lists: `done`, `N/M parts` or
    /// `not started`, with the score after `sep` once there is one.
    pub fn progress_text(&self, sep: &str) -> String {
        let score = format!("score {}/{}", self.score, self.max_score);
        if self.completed {
            format!("done{sep}{score}")
        } else if self.parts_done > 0 {
            format!("{}/{} parts{sep}{score}", self.parts_done, self.parts)
        } else {
            "not started".to_string()
        }
    }
}

/// A lesson and the learner's progress in it (e.g. progress the UI keeps in memory).
pub fn listed(l: &Lesson, p: &Progress, warning: Option<String>) -> Listed {
    Listed {
        id: l.id.clone(),
        number: l.number,
        title: l.title.clone(),
        level: l.level.clone(),
        duration: l.duration.clone(),
        parts: l.parts.len(),
        parts_done: p.parts_done.iter().filter(|i| **i < l.parts.len()).count(),
        score: p.score(),
        max_score: l.max_score(),
        completed: p.completed,
        warning,
    }
}

/// Every lesson with its saved progress.
pub fn list_with_progress(lessons: &[Lesson], store: &ProgressStore) -> Vec<Listed> {
    lessons
        .iter()
        .map(|l| {
            let loaded = store.load_for(l);
            listed(l, &loaded.progress, loaded.warning)
        })
        .collect()
}
