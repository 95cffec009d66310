//! `oauth-lab serve --record FILE`: the live session as a scenario file that
//! `oauth-lab run --scenario FILE` replays in-process (docs/scenarios.md).
//!
//! The file is the live world (seed, profile, defenses, the URLs the parties listened at:
//! [`crate::world::LiveSite`]) and, in arrival order, everything that reached it from
//! outside its parties' code, each as the learner input that replays it, with the
//! trace's length when it arrived: an outside party's request
//! ([`LearnerInput::External`]), a user action ([`LearnerInput::Act`]), a defense change
//! ([`LearnerInput::Defense`]). The replay's messages take no simulated time, so the
//! recorder also notes the live clock whenever its second changes at a step
//! ([`LearnerInput::ClockAt`]): the replay's actors then read the same second, and the
//! tokens they sign carry the same `iat` and `exp`.
//!
//! The file is rewritten as the session goes (at most every [`WRITE_EVERY`], never
//! under the world's lock), each time to a temporary file renamed over it, so a crash
//! loses at most the last moments and never leaves half a file.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use super::hub::{InputSink, StepSink};
use super::record_check::divergence;
use crate::actors::SimTime;
use crate::scenario::Scenario;
use crate::sim::{LearnerInput, Step, Trace};
use crate::terminal_text::printable;
use crate::world::{LiveSite, WorldSpec};

/// How often, at most, the file is rewritten while inputs arrive.
pub const WRITE_EVERY: Duration = Duration::from_millis(200);

/// Why a recording cannot start or be written.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("{0} already exists; choose another file for --record, or add --force to overwrite it")]
    Exists(PathBuf),
    #[error("cannot write the recording {0}: {1}")]
    Write(PathBuf, io::Error),
    #[error("cannot describe the recording as TOML: {0}")]
    Toml(#[from] toml::ser::Error),
}

/// A finished recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// How many inputs the file holds.
    pub inputs: usize,
    /// What they are, in words ([`inputs_in_words`]).
    pub in_words: String,
    /// How its replay differs from the live session, if it does (the file says so too).
    pub divergence: Option<String>,
}

/// What the recorder has so far.
struct State {
    world: WorldSpec,
    /// The second of the live clock the replay's clock is at.
    second: u64,
    /// Inputs or steps not written yet.
    dirty: bool,
    stop: bool,
    /// The last write failed (said once on stderr, until a write works again).
    failing: bool,
    /// How the replay differs from the live session, once checked.
    divergence: Option<String>,
}

struct Shared {
    path: PathBuf,
    state: Mutex<State>,
    wake: Condvar,
}

/// A live session being recorded to a file.
pub struct Recorder {
    shared: Arc<Shared>,
    writer: Option<JoinHandle<()>>,
}

impl Recorder {
    /// A recording to `path` of a world with this seed and these defenses (its URLs
    /// come with [`Recorder::begin`]). An existing file is refused unless `force`.
    pub fn create(path: &Path, force: bool, world: WorldSpec) -> Result<Recorder, RecordError> {
        if !force && path.exists() {
            return Err(RecordError::Exists(path.to_path_buf()));
        }
        let shared = Arc::new(Shared {
            path: path.to_path_buf(),
            state: Mutex::new(State {
                world: WorldSpec {
                    attack: None,
                    workshop: None,
                    inputs: Vec::new(),
                    ..world
                },
                second: 0,
                dirty: false,
                stop: false,
                failing: false,
                divergence: None,
            }),
            wake: Condvar::new(),
        });
        Ok(Recorder {
            shared,
            writer: None,
        })
    }

    /// The live world's URLs are known: writes the file a first time (so that a path
    /// that cannot be written shows now) and keeps it up to date from now on.
    pub fn begin(&mut self, site: LiveSite) -> Result<(), RecordError> {
        lock(&self.shared.state).world.live = Some(Box::new(site));
        self.shared.write()?;
        let shared = Arc::clone(&self.shared);
        self.writer = Some(std::thread::spawn(move || shared.keep_written()));
        Ok(())
    }

    /// The sink for the live world's steps: it notes the live clock's second.
    pub fn step_sink(&self) -> StepSink {
        let shared = Arc::clone(&self.shared);
        Box::new(move |step: &Step| {
            let mut s = lock(&shared.state);
            if s.clock_at(step.index, SimTime(step.time_ms)) {
                shared.wake.notify_one();
            }
        })
    }

    /// The sink for the live world's inputs ([`super::LiveOptions::inputs`]); what
    /// arrives before [`Recorder::begin`] is kept and written then.
    pub fn input_sink(&self) -> InputSink {
        let shared = Arc::clone(&self.shared);
        Box::new(move |at: usize, now: SimTime, input: &LearnerInput| {
            let mut s = lock(&shared.state);
            s.clock_at(at, now);
            s.world.inputs.push((at, input.clone()));
            s.dirty = true;
            shared.wake.notify_one();
        })
    }

    /// The recording so far, as the file holds it.
    pub fn scenario(&self) -> Scenario {
        lock(&self.shared.state).scenario()
    }

    /// Stops keeping the file up to date, replays it once against `live` (the session's
    /// trace, [`super::record_check`]) and writes it a last time, saying in its notes
    /// when the replay differs.
    pub fn finish(mut self, live: &Trace) -> Result<Recorded, RecordError> {
        self.stop_writer();
        let world = lock(&self.shared.state).world.clone();
        let divergence = divergence(&world, live);
        lock(&self.shared.state).divergence = divergence.clone();
        self.shared.write()?;
        Ok(Recorded {
            inputs: world.inputs.len(),
            in_words: inputs_in_words(&world.inputs),
            divergence,
        })
    }

    pub fn path(&self) -> &Path {
        &self.shared.path
    }

    fn stop_writer(&mut self) {
        lock(&self.shared.state).stop = true;
        self.shared.wake.notify_one();
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.stop_writer();
    }
}

/// The recorded inputs counted by kind, in words, in a fixed order, kinds with none left
/// out: `3 requests, 1 defense change, 12 clock readings` (or `nothing` when empty).
pub fn inputs_in_words(inputs: &[(usize, LearnerInput)]) -> String {
    const KINDS: [(&str, &str); 7] = [
        ("request", "requests"),
        ("browser action", "browser actions"),
        ("defense change", "defense changes"),
        ("request held", "requests held"),
        ("intercept decision", "intercept decisions"),
        ("clock reading", "clock readings"),
        ("other input", "other inputs"),
    ];
    let kind = |i: &LearnerInput| match i {
        LearnerInput::External { .. } => 0,
        LearnerInput::Act { .. } => 1,
        LearnerInput::Defense { .. } => 2,
        LearnerInput::HoldSent { .. } => 3,
        LearnerInput::Intercepted { .. } => 4,
        LearnerInput::ClockAt { .. } => 5,
        _ => 6,
    };
    let mut counts = [0usize; KINDS.len()];
    for (_, i) in inputs {
        counts[kind(i)] += 1;
    }
    let parts: Vec<String> = (counts.iter().zip(KINDS))
        .filter(|(n, _)| **n > 0)
        .map(|(n, (one, many))| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect();
    if parts.is_empty() {
        "nothing".to_string()
    } else {
        parts.join(", ")
    }
}

impl State {
    /// Notes the live clock at step `at` when its second is not the replay's; whether
    /// it did.
    fn clock_at(&mut self, at: usize, now: SimTime) -> bool {
        let second = now.0 / 1000;
        if second == self.second {
            return false;
        }
        self.second = second;
        self.world
            .inputs
            .push((at, LearnerInput::ClockAt { ms: now.0 }));
        self.dirty = true;
        true
    }

    fn scenario(&self) -> Scenario {
        let mut s = Scenario::of(self.world.clone(), 0);
        s.title = Some("A live session (oauth-lab serve --record)".into());
        let replay = match &self.divergence {
            None => {
                "`oauth-lab run --scenario` replays it on the simulated bus at the recorded URLs."
                    .to_string()
            }
            Some(why) => format!(
                "`oauth-lab run --scenario` replays it on the simulated bus at the recorded URLs, but not faithfully: {why}."
            ),
        };
        s.notes = Some(format!(
            "What reached the live world from outside, in arrival order; {replay}"
        ));
        s
    }
}

impl Shared {
    /// Writes the file: a temporary file next to it, synced, renamed over it.
    fn write(&self) -> Result<(), RecordError> {
        // Serialized outside the lock: the live world's steps wait on it.
        let scenario = {
            let mut s = lock(&self.state);
            s.dirty = false;
            s.scenario()
        };
        let text = scenario.to_toml()?;
        replace_file(&self.path, text.as_bytes())
            .map_err(|e| RecordError::Write(self.path.clone(), e))
    }

    /// Rewrites the file whenever something new arrived, at most every
    /// [`WRITE_EVERY`], until told to stop.
    fn keep_written(&self) {
        loop {
            {
                let s = lock(&self.state);
                let (s, _) = self
                    .wake
                    .wait_timeout_while(s, WRITE_EVERY, |s| !s.dirty && !s.stop)
                    .unwrap_or_else(|p| p.into_inner());
                if s.stop {
                    return;
                }
            }
            // A failed write is said once and tried again with the next input.
            let result = self.write();
            let mut s = lock(&self.state);
            match result {
                Err(e) if !s.failing => {
                    s.failing = true;
                    let line = format!("warning: {e}; trying again with the next input");
                    eprintln!("{}", printable(&line));
                }
                Err(_) => {}
                Ok(()) => s.failing = false,
            }
            drop(s);
            std::thread::sleep(WRITE_EVERY);
        }
    }
}

/// Replaces `path` with `bytes` atomically: a crash leaves the old file or the new one.
fn replace_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "recording".into());
    let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let mut file = std::fs::File::create(&temp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&temp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temp);
    })
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}
