//! Saved progress, one JSON file per lesson in the user's data directory
//! (`$XDG_DATA_HOME/oauth-lab/lessons/ID.json`, or `~/.local/share/oauth-lab/…`), and
//! in the same store any other kind of [`Record`] in its own folder (the workshop's
//! challenges: `challenges/ID.json`), with the same guarantees:
//!
//! - Reads never hang: only a regular file of at most 1 MiB is read.
//! - A file that cannot be read or parsed, or whose content is impossible for its
//!   lesson (more right answers than questions, parts that do not exist), is moved
//!   aside with a warning and the lesson starts afresh.
//! - Writes are atomic and stay in the state directory: a temporary file created
//!   exclusively there (`O_CREAT|O_EXCL|O_NOFOLLOW`, mode 0600, so a symbolic link
//!   planted at its name is never followed), then renamed over the file.
//! - Two sessions on one lesson never lose each other's work: a save takes the
//!   store's lock file (`.progress.lock`), re-reads the saved progress and merges
//!   it with its own ([`merge`]).

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::compile::Lesson;
use crate::files::regular_file::read_regular;

/// The largest progress file read (1 MiB): a real one is a few kilobytes.
pub const PROGRESS_FILE_LIMIT: u64 = 1 << 20;

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
    /// When the lesson was first completed (Unix seconds, stamped by the store when it
    /// first saves the lesson completed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<u64>,
}

impl Progress {
    pub fn new(lesson: &str) -> Self {
        Progress {
            version: PROGRESS_VERSION,
            lesson: lesson.to_string(),
            parts_done: BTreeSet::new(),
            answers: BTreeMap::new(),
            completed: false,
            completed_at: None,
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

/// Saved progress merged with the progress of this session: the union of the parts
/// done, for each question the better answer (a right one over a wrong one, else the
/// one saved first), and a completed lesson stays completed.
pub fn merge(saved: &Progress, mine: &Progress) -> Progress {
    let mut out = mine.clone();
    out.parts_done.extend(saved.parts_done.iter().copied());
    for (part, theirs) in &saved.answers {
        match out.answers.get(part) {
            Some(ours) if ours.correct && !theirs.correct => {}
            _ => {
                out.answers.insert(*part, theirs.clone());
            }
        }
    }
    out.completed |= saved.completed;
    out.completed_at = earliest(saved.completed_at, mine.completed_at);
    out
}

/// The earlier of two times, either of which may be missing.
pub fn earliest(a: Option<u64>, b: Option<u64>) -> Option<u64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// A kind of progress the store keeps, one JSON file per id in its folder.
pub trait Record: Serialize + DeserializeOwned + Clone {
    /// The folder under the data directory (`lessons`, `challenges`).
    const FOLDER: &'static str;
    /// What one is called in messages (`lesson`, `challenge`).
    const NOUN: &'static str;
    /// The version of its file format.
    const VERSION: u32;
    /// A fresh record for this id.
    fn fresh(id: &str) -> Self;
    fn id(&self) -> &str;
    fn version(&self) -> u32;
    /// The saved record merged with this session's: nothing either session did is lost.
    fn merge(saved: &Self, mine: &Self) -> Self;
    /// Why a record is impossible whatever its lesson or challenge says, if it is.
    fn damage(&self) -> Option<String>;
    /// Whether it is completed (solved) without a time of completion yet.
    fn completion_unstamped(&self) -> bool;
    /// Records the time of completion (Unix seconds).
    fn stamp(&mut self, unix_secs: u64);
}

impl Record for Progress {
    const FOLDER: &'static str = "lessons";
    const NOUN: &'static str = "lesson";
    const VERSION: u32 = PROGRESS_VERSION;

    fn fresh(id: &str) -> Self {
        Progress::new(id)
    }

    fn id(&self) -> &str {
        &self.lesson
    }

    fn version(&self) -> u32 {
        self.version
    }

    fn merge(saved: &Self, mine: &Self) -> Self {
        merge(saved, mine)
    }

    fn damage(&self) -> Option<String> {
        let p = self;
        (p.parts_done.len() > MAX_PARTS
            || p.answers.len() > MAX_PARTS
            || p.parts_done.last().is_some_and(|i| *i >= MAX_PARTS)
            || p.answers.keys().last().is_some_and(|i| *i >= MAX_PARTS))
        .then(|| {
            format!(
                "is damaged ({} parts done and {} answers; no lesson has more than {MAX_PARTS} parts)",
                p.parts_done.len(),
                p.answers.len()
            )
        })
    }

    fn completion_unstamped(&self) -> bool {
        self.completed && self.completed_at.is_none()
    }

    fn stamp(&mut self, unix_secs: u64) {
        self.completed_at = Some(unix_secs);
    }
}

/// Why a progress file's content is impossible for its lesson, if it is.
pub fn damage(p: &Progress, lesson: &Lesson) -> Option<String> {
    let parts = lesson.parts.len();
    if let Some(i) = p.parts_done.iter().find(|i| **i >= parts) {
        return Some(format!(
            "is damaged (it lists part {} done, the lesson has {parts} parts)",
            i + 1
        ));
    }
    if let Some(i) = p.answers.keys().find(|i| {
        lesson
            .parts
            .get(**i)
            .is_none_or(|part| !part.body.is_question())
    }) {
        return Some(format!(
            "is damaged (it has an answer for part {}, which is not a question)",
            i + 1
        ));
    }
    if p.score() > lesson.max_score() {
        return Some(format!(
            "is damaged (score {}/{})",
            p.score(),
            lesson.max_score()
        ));
    }
    None
}

/// A progress file that was loaded, with a warning if it had to be set aside.
#[derive(Debug, Clone)]
pub struct Loaded<R = Progress> {
    pub progress: R,
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
        self.record_path::<Progress>(id)
    }

    /// The file of a record of kind `R`.
    pub fn record_path<R: Record>(&self, id: &str) -> PathBuf {
        self.dir
            .join(R::FOLDER)
            .join(format!("{}.json", safe_name(id)))
    }

    /// The lock file that serialises saves (one for the store: a save takes
    /// milliseconds). It stays in place: removing it would let two sessions lock two
    /// different files of the same name.
    fn lock_path(&self) -> PathBuf {
        self.dir.join(".progress.lock")
    }

    /// Loads a lesson's progress; a missing file is a fresh start, a bad one is moved
    /// aside with a warning. Never fails, never blocks.
    pub fn load(&self, id: &str) -> Loaded {
        self.load_record(id)
    }

    /// Loads a record of kind `R` as [`ProgressStore::load`] loads a lesson's.
    pub fn load_record<R: Record>(&self, id: &str) -> Loaded<R> {
        let path = self.record_path::<R>(id);
        let fresh = || Loaded {
            progress: R::fresh(id),
            warning: None,
        };
        let set_aside = |why: String| Loaded {
            progress: R::fresh(id),
            warning: Some(self.set_aside(&path, &why, R::NOUN)),
        };
        match read_progress::<R>(&path, id) {
            Ok(Some(p)) => Loaded {
                progress: p,
                warning: None,
            },
            Ok(None) => fresh(),
            Err(why) => set_aside(why),
        }
    }

    /// Loads a lesson's progress as [`ProgressStore::load`] does, and also sets aside
    /// a file whose content is impossible for this lesson ([`damage`]).
    pub fn load_for(&self, lesson: &Lesson) -> Loaded {
        let loaded = self.load(&lesson.id);
        match damage(&loaded.progress, lesson) {
            Some(why) => Loaded {
                progress: Progress::new(&lesson.id),
                warning: Some(self.set_aside(&self.path(&lesson.id), &why, "lesson")),
            },
            None => loaded,
        }
    }

    /// Moves a bad file to `NAME.corrupt` (or `NAME.corrupt.N`), and says so.
    fn set_aside(&self, path: &Path, why: &str, noun: &str) -> String {
        let mut target = path.with_extension("json.corrupt");
        let mut n = 1;
        while target.symlink_metadata().is_ok() {
            target = path.with_extension(format!("json.corrupt.{n}"));
            n += 1;
        }
        match std::fs::rename(path, &target) {
            Ok(()) => format!(
                "warning: the progress file {} {why}; moved it to {} and started this {noun} afresh",
                path.display(),
                target.display()
            ),
            Err(e) => format!(
                "warning: the progress file {} {why}, and could not be moved aside ({e}); starting this {noun} afresh",
                path.display()
            ),
        }
    }

    /// Saves progress: under the store's lock, merged with what is saved ([`merge`]),
    /// written to a temporary file created exclusively in the same directory, then
    /// renamed over the progress file.
    pub fn save(&self, progress: &Progress) -> std::io::Result<()> {
        self.save_record(progress)
    }

    /// Saves a record of kind `R` as [`ProgressStore::save`] saves a lesson's. A record
    /// completed for the first time is stamped with the time (the store is the edge
    /// where the wall clock may be read; the simulation never reads it).
    pub fn save_record<R: Record>(&self, progress: &R) -> std::io::Result<()> {
        if !valid_id(progress.id()) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "invalid id",
            ));
        }
        let path = self.record_path::<R>(progress.id());
        let dir = path.parent().unwrap_or(&self.dir).to_path_buf();
        std::fs::create_dir_all(&dir)?;
        let _lock = self.lock()?;
        let mut merged = match read_progress::<R>(&path, progress.id()) {
            Ok(Some(saved)) => R::merge(&saved, progress),
            // Nothing usable is saved: this session's progress replaces it.
            _ => progress.clone(),
        };
        if merged.completion_unstamped() {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            merged.stamp(now);
        }
        let mut json = serde_json::to_string_pretty(&merged).map_err(std::io::Error::other)?;
        json.push('\n');
        let (tmp, mut file) = create_temp(&dir, progress.id())?;
        let result = (|| {
            file.write_all(json.as_bytes())?;
            file.sync_all()?;
            std::fs::rename(&tmp, &path)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }

    /// Takes the store's lock file (created if need be, never through a symbolic
    /// link), waiting at most [`LOCK_WAIT`] for another session to release it. The
    /// lock is released when the returned file is dropped.
    fn lock(&self) -> std::io::Result<File> {
        let path = self.lock_path();
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true);
        no_follow_private(&mut options);
        let file = options.open(&path)?;
        let deadline = Instant::now() + LOCK_WAIT;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(file),
                Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        format!(
                            "{} stayed locked by another session for {} s",
                            path.display(),
                            LOCK_WAIT.as_secs()
                        ),
                    ));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(e),
            }
        }
    }

    /// Forgets a lesson's progress. Returns whether there was any.
    pub fn reset(&self, id: &str) -> std::io::Result<bool> {
        self.reset_record::<Progress>(id)
    }

    /// Forgets a record of kind `R`. Returns whether there was one.
    pub fn reset_record<R: Record>(&self, id: &str) -> std::io::Result<bool> {
        let _lock = match self.lock() {
            Ok(l) => Some(l),
            // No state directory: nothing was ever saved.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        match std::fs::remove_file(self.record_path::<R>(id)) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Forgets every lesson's progress. Returns how many files were removed.
    pub fn reset_all(&self) -> std::io::Result<usize> {
        self.reset_all_records::<Progress>()
    }

    /// Forgets every record of kind `R`. Returns how many files were removed.
    pub fn reset_all_records<R: Record>(&self) -> std::io::Result<usize> {
        let dir = self.dir.join(R::FOLDER);
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

/// How long a save waits for another session's save of the same lesson.
pub const LOCK_WAIT: Duration = Duration::from_secs(10);

/// The largest number of parts a progress file may list, whatever the lesson: a file
/// listing more is damaged (a lesson has tens of parts).
pub const MAX_PARTS: usize = 10_000;

/// A lesson id made safe as a file name.
fn safe_name(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The saved record at `path`: `None` if there is none, or why it is unusable.
fn read_progress<R: Record>(path: &Path, id: &str) -> Result<Option<R>, String> {
    let bytes = match read_regular(path, PROGRESS_FILE_LIMIT) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot be read ({e})")),
    };
    let p = serde_json::from_slice::<R>(&bytes).map_err(|e| format!("is corrupt ({e})"))?;
    if p.version() != R::VERSION {
        return Err(format!(
            "has format version {}, not {}",
            p.version(),
            R::VERSION
        ));
    }
    if p.id() != id {
        return Err(format!("belongs to {} `{}`", R::NOUN, p.id()));
    }
    match p.damage() {
        Some(why) => Err(why),
        None => Ok(Some(p)),
    }
}

/// Options for a file only this user may read, opened without following a symbolic
/// link at its name (POSIX `open()`: `O_NOFOLLOW`, mode 0600).
fn no_follow_private(options: &mut OpenOptions) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW).mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = options;
}

/// Creates a new temporary file next to the progress file. `O_CREAT|O_EXCL` fails on
/// any existing name, a symbolic link included, so a name that is taken is skipped,
/// never followed.
fn create_temp(dir: &Path, lesson: &str) -> std::io::Result<(PathBuf, File)> {
    let mut last = None;
    for n in 0..100u32 {
        let tmp = dir.join(format!(".{lesson}.json.tmp-{}-{n}", std::process::id()));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        no_follow_private(&mut options);
        match options.open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary file name")))
}
