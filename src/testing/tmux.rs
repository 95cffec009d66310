//! The real binary in a tmux pane (120×40), for end-to-end tests: keys sent by name,
//! the screen polled for text (never slept on blindly), the terminal's modes read back.
//! A missing tmux skips the test with a notice, or fails it under CI (`CI=true`).

use std::process::Command;
use std::time::{Duration, Instant};

/// A tmux server of our own (its own socket), killed when dropped.
pub struct Tmux {
    pub socket: String,
}

impl Tmux {
    pub fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env("TERM", "xterm-256color")
            .output()
            .expect("tmux runs")
    }

    pub fn start(&self, script: &str) {
        let out = self.cmd(&[
            "new-session",
            "-d",
            "-s",
            "lab",
            "-x",
            "120",
            "-y",
            "40",
            "sh",
            "-c",
            script,
        ]);
        assert!(
            out.status.success(),
            "tmux new-session: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            let out = self.cmd(&["send-keys", "-t", "lab", k]);
            assert!(
                out.status.success(),
                "send-keys {k}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "lab"]).stdout).into_owned()
    }

    /// Plays `script`, steps separated by `;`, each `KEYS > TEXT`: sends the
    /// space-separated tmux key names, then waits for the text (for `!TEXT`: until the
    /// text is gone). Returns the last screen.
    pub fn play(&self, script: &str, deadline: Instant) -> String {
        let mut screen = String::new();
        for step in script.split(';') {
            let (keys, text) = step.split_once('>').expect("a step is `KEYS > TEXT`");
            self.keys(&keys.split_whitespace().collect::<Vec<_>>());
            screen = match text.trim().strip_prefix('!') {
                Some(gone) => self.wait_gone(gone, deadline),
                None => self.wait_for(text.trim(), deadline),
            };
        }
        screen
    }

    /// Waits until the screen contains `text`, or fails with the last screen.
    pub fn wait_for(&self, text: &str, deadline: Instant) -> String {
        self.wait_until(deadline, &format!("{text:?}"), |s| s.contains(text))
    }

    /// Waits until the screen contains every one of `texts` (a frame can be captured
    /// half drawn), or fails with the last screen.
    pub fn wait_for_all(&self, texts: &[&str], deadline: Instant) -> String {
        self.wait_until(deadline, &format!("{texts:?}"), |s| {
            texts.iter().all(|t| s.contains(t))
        })
    }

    /// Waits until `text` is no longer on the screen (an overlay closed), or fails
    /// with the last screen.
    pub fn wait_gone(&self, text: &str, deadline: Instant) -> String {
        self.wait_until(deadline, &format!("{text:?} to go"), |s| !s.contains(text))
    }

    fn wait_until(&self, deadline: Instant, what: &str, done: impl Fn(&str) -> bool) -> String {
        loop {
            let s = self.screen();
            if done(&s) {
                return s;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; the screen was:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

/// A shell line that prints `icanon` when the terminal is in cooked mode again and
/// `-icanon` when it was left raw.
pub const STTY_MODE: &str = "stty -a | tr ' ' '\\n' | grep -x -- '-*icanon'";

/// Waits for the [`STTY_MODE`] line and checks that raw mode is off.
pub fn assert_cooked(tmux: &Tmux, deadline: Instant, when: &str) {
    let s = tmux.wait_for("icanon", deadline);
    assert!(
        s.lines().any(|l| l.trim() == "icanon"),
        "raw mode is off again {when}:\n{s}"
    );
}

pub fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A tmux server of our own (`oauth-lab-{name}-{pid}`) running the program `bin` with
/// `env` and `args` in a 120×40 pane, and the deadline `secs` from now. When the
/// program ends, the pane's shell prints `EXIT STATUS n` and the [`STTY_MODE`] line,
/// then waits so that the pane can be read. `None`, with a notice, where tmux is not
/// installed; under CI (`CI=true`) a missing tmux is a failure instead.
pub fn tmux_session(
    bin: &str,
    name: &str,
    what: &str,
    secs: u64,
    env: &str,
    args: &str,
) -> Option<(Tmux, Instant)> {
    if !tmux_available() {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "tmux is required under CI for the end-to-end {what} test"
        );
        eprintln!("NOTICE: tmux is not installed; skipping the end-to-end {what} test.");
        return None;
    }
    let script = format!("{env} '{bin}' {args}; echo \"EXIT STATUS $?\"; {STTY_MODE}; sleep 60");
    let deadline = Instant::now() + Duration::from_secs(secs);
    let tmux = Tmux {
        socket: format!("oauth-lab-{name}-{}", std::process::id()),
    };
    tmux.start(&script);
    Some((tmux, deadline))
}

/// `q` quits cleanly: exit status 0, and the alternate screen (showing `gone`) is left.
pub fn quit_cleanly(tmux: &Tmux, deadline: Instant, gone: &str) {
    tmux.keys(&["q"]);
    let s = tmux.wait_for("EXIT STATUS", deadline);
    assert!(s.contains("EXIT STATUS 0"), "{s}");
    assert!(!s.contains(gone), "the alternate screen was left:\n{s}");
}

impl Tmux {
    /// The pane's whole history, wrapped lines joined.
    pub fn history(&self) -> String {
        let out = self.cmd(&["capture-pane", "-p", "-J", "-S", "-", "-t", "lab"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A tmux format (`#{alternate_on}`) evaluated for the pane.
    pub fn format(&self, f: &str) -> String {
        let out = self.cmd(&["display-message", "-p", "-t", "lab", f]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// The process id of the program the pane's shell started.
    pub fn program_pid(&self, deadline: Instant) -> String {
        let shell = self.format("#{pane_pid}");
        loop {
            let out = Command::new("ps")
                .args(["-o", "pid=", "--ppid", &shell])
                .output()
                .expect("ps runs");
            let pid = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if !pid.is_empty() {
                return pid;
            }
            assert!(Instant::now() < deadline, "no child of the pane's shell");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}
