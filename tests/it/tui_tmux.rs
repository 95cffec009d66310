//! End to end: the real binary in a tmux pane (120×40). It steps through the flow,
//! toggles a defense, launches an attack and quits cleanly. Skipped, with a notice,
//! where tmux is not installed. The screen is polled for text, never slept on blindly.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::BIN;

/// A tmux server of our own (its own socket), killed when dropped.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .env("TERM", "xterm-256color")
            .output()
            .expect("tmux runs")
    }

    fn start(&self, script: &str) {
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

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            let out = self.cmd(&["send-keys", "-t", "lab", k]);
            assert!(
                out.status.success(),
                "send-keys {k}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "lab"]).stdout).into_owned()
    }

    /// Waits until the screen contains `text`, or fails with the last screen.
    fn wait_for(&self, text: &str, deadline: Instant) -> String {
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {text:?}; the screen was:\n{s}");
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

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A tmux server of our own (`oauth-lab-{name}-{pid}`) running `script` in a 120×40
/// pane, and the deadline `secs` from now. `None`, with a notice, where tmux is not
/// installed.
fn session(name: &str, what: &str, secs: u64, script: &str) -> Option<(Tmux, Instant)> {
    if !tmux_available() {
        eprintln!("NOTICE: tmux is not installed; skipping the end-to-end {what} test.");
        return None;
    }
    let deadline = Instant::now() + Duration::from_secs(secs);
    let tmux = Tmux {
        socket: format!("oauth-lab-{name}-{}", std::process::id()),
    };
    tmux.start(script);
    Some((tmux, deadline))
}

/// `q` quits cleanly: exit status 0, and the alternate screen (showing `gone`) is left.
fn quit_cleanly(tmux: &Tmux, deadline: Instant, gone: &str) {
    tmux.keys(&["q"]);
    let s = tmux.wait_for("EXIT STATUS", deadline);
    assert!(s.contains("EXIT STATUS 0"), "{s}");
    assert!(!s.contains(gone), "the alternate screen was left:\n{s}");
}

#[test]
fn the_binary_steps_toggles_attacks_and_quits_in_tmux() {
    // The shell reports the exit status, then waits so that the pane can be read.
    let script = format!("'{BIN}'; echo \"EXIT STATUS $?\"; sleep 60");
    let Some((tmux, deadline)) = session("test", "TUI", 90, &script) else {
        return;
    };

    // First launch: the happy path at step 0 with the welcome.
    tmux.wait_for("Welcome to oauth-lab", deadline);
    tmux.wait_for("step 0/", deadline);

    // Step through the flow.
    tmux.keys(&["Right"]);
    tmux.wait_for("step 1/", deadline);
    tmux.keys(&[
        "Right", "Right", "Right", "Right", "Right", "Right", "Right", "Right",
    ]);
    let s = tmux.wait_for("step 9/", deadline);
    assert!(s.contains("authorize"), "{s}");
    tmux.keys(&["Left"]);
    tmux.wait_for("step 8/", deadline);

    // Toggle a defense: PKCE off re-runs the world from its seed.
    tmux.keys(&["d"]);
    tmux.wait_for("Defenses", deadline);
    tmux.keys(&["Down", "Down", "Space"]);
    tmux.wait_for("pkce off", deadline);
    tmux.keys(&["Escape"]);
    tmux.wait_for("re-ran from seed", deadline);

    // Launch the first attack of the catalog and run it to the end.
    tmux.keys(&["a"]);
    tmux.wait_for("Attacks", deadline);
    tmux.keys(&["Enter"]);
    tmux.wait_for("attack:", deadline);
    tmux.keys(&["End"]);
    tmux.wait_for("ATTACK", deadline);

    // Quit cleanly: the shell prints the exit status on the restored screen.
    quit_cleanly(&tmux, deadline, "Sequence diagram");
}

#[test]
fn a_panic_restores_the_terminal_before_printing() {
    // After the panic, the shell shows whether the terminal is back in cooked mode.
    let script = format!(
        "OAUTH_LAB_TEST_PANIC=1 RUST_BACKTRACE=0 '{BIN}' tui; echo \"EXIT STATUS $?\"; stty -a | tr ' ' '\\n' | grep -x -- '-*icanon'; sleep 60"
    );
    let Some((tmux, deadline)) = session("panic", "TUI panic", 60, &script) else {
        return;
    };
    tmux.wait_for("Welcome to oauth-lab", deadline);
    tmux.keys(&["!"]);
    let s = tmux.wait_for("EXIT STATUS", deadline);
    assert!(
        s.contains("test panic requested"),
        "the panic message is printed:\n{s}"
    );
    assert!(
        !s.contains("Sequence diagram"),
        "the alternate screen was left:\n{s}"
    );
    assert!(!s.contains("EXIT STATUS 0"), "{s}");
    let s = tmux.wait_for("icanon", deadline);
    assert!(
        s.lines().any(|l| l.trim() == "icanon"),
        "raw mode is off again:\n{s}"
    );
}

#[test]
fn learn_4_answers_a_prediction_and_reaches_the_end_in_tmux() {
    let dir = oauth_lab::testing::temp_dir("learn-tmux", "4");
    let script = format!(
        "'{BIN}' learn 4 --state-dir '{}'; echo \"EXIT STATUS $?\"; sleep 60",
        dir.display()
    );
    let Some((tmux, deadline)) = session("learn", "lesson-mode", 120, &script) else {
        return;
    };
    // Lesson mode opens at part 1, narration leading.
    let s = tmux.wait_for("part 1/13", deadline);
    assert!(
        s.contains("Lesson 4 · PKCE") && s.contains("NARRATION"),
        "{s}"
    );

    // To the first prediction: it waits before the attacker's token request.
    tmux.keys(&["Enter", "Enter", "Enter", "Enter"]);
    tmux.wait_for("part 5/13", deadline);
    let s = tmux.wait_for("answer first", deadline);
    assert!(s.contains("Will the attack succeed?"), "{s}");
    // Stepping on is refused until it is answered.
    tmux.keys(&["Right"]);
    tmux.wait_for("answer it first", deadline);
    // Answer it (right: the attack succeeds), and see the score change.
    tmux.keys(&["1"]);
    let s = tmux.wait_for("Right: the simulation says succeeds", deadline);
    assert!(s.contains("score 1/4"), "{s}");

    // On through the lesson: two more predictions and the quiz, answered right.
    tmux.keys(&["Enter", "Enter", "Enter", "Enter"]);
    tmux.wait_for("part 9/13", deadline);
    tmux.keys(&["2"]);
    tmux.wait_for("score 2/4", deadline);
    tmux.keys(&["Enter"]);
    tmux.wait_for("part 10/13", deadline);
    tmux.keys(&["2"]);
    tmux.wait_for("score 3/4", deadline);
    tmux.keys(&["Enter", "Enter"]);
    tmux.wait_for("part 12/13", deadline);
    tmux.keys(&["1"]);
    tmux.wait_for("score 4/4", deadline);

    // The try: turn PKCE on in the defense panel; the lesson recognises it.
    tmux.keys(&["Enter"]);
    tmux.wait_for("YOUR TURN", deadline);
    tmux.keys(&["d"]);
    tmux.wait_for("Defenses", deadline);
    tmux.keys(&["Down", "Down", "Space", "Escape"]);
    tmux.wait_for("✓ Done", deadline);

    // The end: the summary with the score.
    tmux.keys(&["Enter"]);
    tmux.wait_for("LESSON COMPLETE — score 4/4", deadline);

    // Quit cleanly; the progress is saved in the state directory.
    quit_cleanly(&tmux, deadline, "LESSON COMPLETE");
    let saved = std::fs::read_to_string(dir.join("lessons/pkce-code-interception.json"))
        .expect("progress saved");
    assert!(saved.contains("\"completed\": true"), "{saved}");
    let _ = std::fs::remove_dir_all(&dir);
}
