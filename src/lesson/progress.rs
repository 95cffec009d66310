//! Saved progress, one JSON file per lesson in the user's data directory
//! (`$XDG_DATA_HOME/oauth-lab/lessons/ID.json`, or `~/.local/share/oauth-lab/…`).
//! Writes are atomic (a temporary file, then rename); a file that cannot be read or
//! parsed is moved aside with a warning and the lesson starts afresh.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The version of the progress file format.
pub const PROGRESS_VERSION: u32 = 1;

/// The learner's answer to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerRecord {
    /// The 0-based index of the choice.
    pub choice: usize,
    /// The choice's text.
    pub text: String,
    pub correct: bool,
}

/// Progress through one lesson.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub version: u32,
    pub lesson: String,
    /// Indices of the parts done.
    pub parts_done: BTreeSet<usize>,
    /// The first answer to each question (part index → answer); later answers do not
    /// change the score.
    pub answers: BTreeMap<usize, AnswerRecord>,
    pub completed: bool,
}

impl Progress {
    pub fn new(lesson: &str) -> Self {
        Progress {
            version: PROGRESS_VERSION,
            lesson: lesson.to_string(),
            parts_done: BTreeSet::new(),
            answers: BTreeMap::new(),
            completed: false,
        }
    }

    /// Questions answered right the first time.
    pub fn score(&self) -> usize {
        self.answers.values().filter(|a| a.correct).count()
    }

    /// The first part not done yet, among `parts` parts.
    pub fn resume_at(&self, parts: usize) -> usize {
        (0..parts)
            .find(|i| !self.parts_done.contains(i))
            .unwrap_or(parts)
    }
}

/// A progress file that was loaded, with a warning if it had to be set aside.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub progress: Progress,
    pub warning: Option<String>,
}

/// Where progress files live.
#[derive(Debug, Clone)]
pub struct ProgressStore {
    dir: PathBuf,
}

/// The user's data directory for oauth-lab: `$XDG_DATA_HOME/oauth-lab`, else
/// `$HOME/.local/share/oauth-lab`.
pub fn default_data_dir() -> Option<PathBuf> {
    let xdg = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let base = xdg.filter(|p| p.is_absolute()).or_else(|| {
        std::env::var_os("HOME")
            .filter(|v| !v.is_empty())
            .map(|h| PathBuf::from(h).join(".local/share"))
    })?;
    Some(base.join("oauth-lab"))
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl ProgressStore {
    /// A store in `dir` (the `--state-dir`), or in the default data directory.
    pub fn new(dir: Option<PathBuf>) -> Self {
        let dir = dir
            .or_else(default_data_dir)
            .unwrap_or_else(|| PathBuf::from(".oauth-lab"));
        ProgressStore { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The progress file of a lesson.
    pub fn path(&self, id: &str) -> PathBuf {
        let safe: String = id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        self.dir.join("lessons").join(format!("{safe}.json"))
    }

    /// Loads a lesson's progress; a missing file is a fresh start, a bad one is moved
    /// aside with a warning. Never fails.
    pub fn load(&self, id: &str) -> Loaded {
        let path = self.path(id);
        let fresh = Progress::new(id);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Loaded {
                    progress: fresh,
                    warning: None,
                };
            }
            Err(e) => {
                return Loaded {
                    progress: fresh,
                    warning: Some(self.set_aside(&path, &format!("cannot be read ({e})"))),
                };
            }
        };
        match serde_json::from_slice::<Progress>(&bytes) {
            Ok(p) if p.version == PROGRESS_VERSION && p.lesson == id => Loaded {
                progress: p,
                warning: None,
            },
            Ok(p) if p.version != PROGRESS_VERSION => Loaded {
                progress: fresh,
                warning: Some(self.set_aside(
                    &path,
                    &format!("has format version {}, not {PROGRESS_VERSION}", p.version),
                )),
            },
            Ok(p) => Loaded {
                progress: fresh,
                warning: Some(self.set_aside(&path, &format!("belongs to lesson `{}`", p.lesson))),
            },
            Err(e) => Loaded {
                progress: fresh,
                warning: Some(self.set_aside(&path, &format!("is corrupt ({e})"))),
            },
        }
    }

    /// Moves a bad file to `NAME.corrupt` (or `NAME.corrupt.N`), and says so.
    fn set_aside(&self, path: &Path, why: &str) -> String {
        let mut target = path.with_extension("json.corrupt");
        let mut n = 1;
        while target.exists() {
            target = path.with_extension(format!("json.corrupt.{n}"));
            n += 1;
        }
        match std::fs::rename(path, &target) {
            Ok(()) => format!(
                "warning: the progress file {} {why}; moved it to {} and started this lesson afresh",
                path.display(),
                target.display()
            ),
            Err(e) => format!(
                "warning: the progress file {} {why}, and could not be moved aside ({e}); starting this lesson afresh",
                path.display()
            ),
        }
    }

    /// Saves progress atomically: a temporary file in the same directory, then rename.
    pub fn save(&self, progress: &Progress) -> std::io::Result<()> {
        if !valid_id(&progress.lesson) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "invalid lesson id",
            ));
        }
        let path = self.path(&progress.lesson);
        let dir = path.parent().unwrap_or(&self.dir);
        std::fs::create_dir_all(dir)?;
        let tmp = dir.join(format!(
            ".{}.json.tmp-{}",
            progress.lesson,
            std::process::id()
        ));
        let json = serde_json::to_string_pretty(progress).map_err(std::io::Error::other)?;
        let result = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(json.as_bytes())?;
            f.write_all(b"\n")?;
            f.sync_all()?;
            std::fs::rename(&tmp, &path)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }

    /// Forgets a lesson's progress. Returns whether there was any.
    pub fn reset(&self, id: &str) -> std::io::Result<bool> {
        match std::fs::remove_file(self.path(id)) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Forgets every lesson's progress. Returns how many files were removed.
    pub fn reset_all(&self) -> std::io::Result<usize> {
        let dir = self.dir.join("lessons");
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        let mut n = 0;
        for entry in entries {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "json") {
                std::fs::remove_file(&path)?;
                n += 1;
            }
        }
        Ok(n)
    }
}
