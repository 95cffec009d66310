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

    /// Plays `script`, steps separated by `;`, each `KEYS > TEXT`: sends the
    /// space-separated tmux key names, then waits for the text. Returns the last screen.
    fn play(&self, script: &str, deadline: Instant) -> String {
        let mut screen = String::new();
        for step in script.split(';') {
            let (keys, text) = step.split_once('>').expect("a step is `KEYS > TEXT`");
            self.keys(&keys.split_whitespace().collect::<Vec<_>>());
            screen = self.wait_for(text.trim(), deadline);
        }
        screen
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

/// A shell line that prints `icanon` when the terminal is in cooked mode again and
/// `-icanon` when it was left raw.
const STTY_MODE: &str = "stty -a | tr ' ' '\\n' | grep -x -- '-*icanon'";

/// Waits for the [`STTY_MODE`] line and checks that raw mode is off.
fn assert_cooked(tmux: &Tmux, deadline: Instant, when: &str) {
    let s = tmux.wait_for("icanon", deadline);
    assert!(
        s.lines().any(|l| l.trim() == "icanon"),
        "raw mode is off again {when}:\n{s}"
    );
}

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A tmux server of our own (`oauth-lab-{name}-{pid}`) running the program with
/// `env` and `args` in a 120×40 pane, and the deadline `secs` from now. When the
/// program ends, the pane's shell prints `EXIT STATUS n` and the [`STTY_MODE`] line,
/// then waits so that the pane can be read. `None`, with a notice, where tmux is not
/// installed; under CI (`CI=true`) a missing tmux is a failure instead.
fn session(name: &str, what: &str, secs: u64, env: &str, args: &str) -> Option<(Tmux, Instant)> {
    if !tmux_available() {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "tmux is required under CI for the end-to-end {what} test"
        );
        eprintln!("NOTICE: tmux is not installed; skipping the end-to-end {what} test.");
        return None;
    }
    let script = format!("{env} '{BIN}' {args}; echo \"EXIT STATUS $?\"; {STTY_MODE}; sleep 60");
    let deadline = Instant::now() + Duration::from_secs(secs);
    let tmux = Tmux {
        socket: format!("oauth-lab-{name}-{}", std::process::id()),
    };
    tmux.start(&script);
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
    let Some((tmux, deadline)) = session("test", "TUI", 90, "", "") else {
        return;
    };
    // First launch: the happy path at step 0 with the welcome; then step through the flow.
    let s = tmux.play(
        " > Welcome to oauth-lab; > step 0/; Right > step 1/; \
         Right Right Right Right Right Right Right Right > step 9/",
        deadline,
    );
    assert!(s.contains("authorize"), "{s}");
    // Back one step; toggle a defense: PKCE off re-runs the world from its seed; then
    // launch the first attack of the catalog and run it to the end.
    tmux.play(
        "Left > step 8/; d > Defenses; Down Down Space > pkce off; Escape > re-ran from seed; \
         a > Attacks; Enter > attack:; End > ATTACK",
        deadline,
    );
    // Quit cleanly: the shell prints the exit status on the restored screen.
    quit_cleanly(&tmux, deadline, "Sequence diagram");
}

#[test]
fn a_panic_restores_the_terminal_before_printing() {
    // After the panic, the shell shows whether the terminal is back in cooked mode.
    let env = "OAUTH_LAB_TEST_PANIC=1 RUST_BACKTRACE=0";
    let Some((tmux, deadline)) = session("panic", "TUI panic", 60, env, "tui") else {
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
    assert_cooked(&tmux, deadline, "after the panic");
}

#[test]
fn learn_4_answers_a_prediction_and_reaches_the_end_in_tmux() {
    let dir = oauth_lab::testing::temp_dir("learn-tmux", "4");
    let args = format!("learn 4 --state-dir '{}'", dir.display());
    let Some((tmux, deadline)) = session("learn", "lesson-mode", 120, "", &args) else {
        return;
    };
    // Lesson mode opens on the lesson's summary and goals; Enter starts part 1.
    let s = tmux.wait_for("Goals:", deadline);
    assert!(
        s.contains("Lesson 4 · PKCE") && s.contains("13 parts"),
        "{s}"
    );
    let s = tmux.play("Enter > part 1/13", deadline);
    assert!(s.contains("NARRATION"), "{s}");
    // To the first prediction: it waits before the attacker's token request.
    let s = tmux.play(
        "Enter Enter Enter Enter > part 5/13; > answer first",
        deadline,
    );
    assert!(s.contains("Will the attack succeed?"), "{s}");
    // Stepping on is refused until it is answered. Answer it (right: the attack
    // succeeds), and see the score change.
    let s = tmux.play(
        "Right > answer it first; 1 > Right: the simulation says succeeds",
        deadline,
    );
    assert!(s.contains("score 1/4"), "{s}");
    // On through the lesson: two more predictions and the quiz, answered right. Then
    // the try: turn PKCE on in the defense panel; the lesson recognises it. The end:
    // the summary with the score.
    tmux.play(
        "Enter Enter Enter Enter > part 9/13; 2 > score 2/4; Enter > part 10/13; \
         2 > score 3/4; Enter Enter > part 12/13; 1 > score 4/4; \
         Enter > YOUR TURN; d > Defenses; Down Down Space Escape > ✓ Done; \
         Enter > LESSON COMPLETE — score 4/4",
        deadline,
    );
    // Quit cleanly; the progress is saved in the state directory.
    quit_cleanly(&tmux, deadline, "LESSON COMPLETE");
    let saved = std::fs::read_to_string(dir.join("lessons/pkce-code-interception.json"))
        .expect("progress saved");
    assert!(saved.contains("\"completed\": true"), "{saved}");
    let _ = std::fs::remove_dir_all(&dir);
}

impl Tmux {
    /// The pane's whole history, wrapped lines joined.
    fn history(&self) -> String {
        let out = self.cmd(&["capture-pane", "-p", "-J", "-S", "-", "-t", "lab"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A tmux format (`#{alternate_on}`) evaluated for the pane.
    fn format(&self, f: &str) -> String {
        let out = self.cmd(&["display-message", "-p", "-t", "lab", f]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// The process id of the program the pane's shell started.
    fn program_pid(&self, deadline: Instant) -> String {
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

/// The terminal modes a full-screen program sets, as tmux sees them.
const MODES: &str = "alt=#{alternate_on} any=#{mouse_any_flag} button=#{mouse_button_flag} standard=#{mouse_standard_flag} sgr=#{mouse_sgr_flag} cursor=#{cursor_flag}";

#[test]
fn signals_restore_the_terminal_and_exit_with_128_plus_the_signal() {
    for (signal, number) in [("TERM", 15), ("INT", 2), ("HUP", 1)] {
        let name = format!("signal-{signal}");
        let Some((tmux, deadline)) = session(&name, "signal", 60, "", "tui") else {
            return;
        };
        tmux.wait_for("Welcome to oauth-lab", deadline);
        // The UI is on the alternate screen with the mouse tracked and the cursor hidden.
        let running = tmux.format(MODES);
        assert!(
            running.contains("alt=1") && running.contains("any=1") && running.contains("cursor=0"),
            "{running}"
        );
        let pid = tmux.program_pid(deadline);
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap();
        assert!(status.success());
        let s = tmux.wait_for("EXIT STATUS", deadline);
        assert!(
            s.contains(&format!("EXIT STATUS {}", 128 + number)),
            "SIG{signal}:\n{s}"
        );
        assert!(
            !s.contains("Sequence diagram"),
            "SIG{signal}: the alternate screen was left:\n{s}"
        );
        assert_eq!(
            tmux.format(MODES),
            "alt=0 any=0 button=0 standard=0 sgr=0 cursor=1",
            "SIG{signal}"
        );
        assert_cooked(&tmux, deadline, &format!("after SIG{signal}"));
    }
}

#[test]
fn a_large_bracketed_paste_is_one_edit_and_the_limit_is_stated() {
    let Some((tmux, deadline)) = session("paste", "paste", 120, "", "tui") else {
        return;
    };
    tmux.wait_for("Welcome to oauth-lab", deadline);
    // To the held token response, then into the editor (as in the tui_keys tests).
    for _ in 0..17 {
        tmux.keys(&["Right"]);
    }
    tmux.play("> step 17/; i Right e > Edit held message", deadline);

    // 1 MiB less a little: 9,000-odd lines, inserted at once.
    let dir = oauth_lab::testing::temp_dir("paste-tmux", "big");
    std::fs::create_dir_all(&dir).unwrap();
    let mut text = String::new();
    let mut n = 0;
    while text.len() < 1_000_000 {
        n += 1;
        text.push_str(&format!("pasted line {n:05} {}\n", "x".repeat(90)));
    }
    text.push_str("END-OF-PASTE");
    let file = dir.join("paste.txt");
    std::fs::write(&file, &text).unwrap();
    let started = Instant::now();
    let out = tmux.cmd(&["load-buffer", "-b", "big", file.to_str().unwrap()]);
    assert!(out.status.success());
    let out = tmux.cmd(&["paste-buffer", "-p", "-b", "big", "-t", "lab"]);
    assert!(out.status.success());
    let s = tmux.wait_for("END-OF-PASTE", deadline);
    eprintln!(
        "a {} KiB bracketed paste was on screen after {:?}",
        text.len() >> 10,
        started.elapsed()
    );
    assert!(s.contains(&format!("pasted line {n:05}")), "{s}");

    // More than the room left: refused whole, with the limit stated inline.
    std::fs::write(&file, "y".repeat(100_000)).unwrap();
    tmux.cmd(&["load-buffer", "-b", "more", file.to_str().unwrap()]);
    tmux.cmd(&["paste-buffer", "-p", "-b", "more", "-t", "lab"]);
    let s = tmux.wait_for("the paste was not inserted", deadline);
    assert!(s.contains("limit of 1 MiB"), "{s}");
    assert!(!s.contains("yyyy"), "{s}");

    // Still responsive: Esc closes the editor, q quits.
    tmux.keys(&["Escape"]);
    while tmux.screen().contains("Edit held message") {
        assert!(Instant::now() < deadline, "Esc did not close the editor");
        std::thread::sleep(Duration::from_millis(50));
    }
    quit_cleanly(&tmux, deadline, "Sequence diagram");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn term_dumb_prints_the_transcript_with_a_notice() {
    let args = "tui --profile naive";
    let Some((tmux, deadline)) = session("dumb", "TERM=dumb", 60, "TERM=dumb", args) else {
        return;
    };
    let s = tmux.wait_for("EXIT STATUS", deadline);
    assert!(s.contains("EXIT STATUS 0"), "{s}");
    assert_eq!(tmux.format("#{alternate_on}"), "0");
    let history = tmux.history();
    let first = history.lines().next().unwrap_or("");
    assert_eq!(
        first,
        oauth_lab::cli::tui_cmd::DUMB_TERMINAL,
        "the notice is the first line:\n{history}"
    );
    assert!(history.contains("Authorization Code Flow"), "{history}");
    assert!(!history.contains("Welcome to oauth-lab"), "{history}");
}

#[test]
fn term_dumb_runs_a_lesson_as_plain_text() {
    let dir = oauth_lab::testing::temp_dir("dumb-learn", "1");
    let args = format!("learn 1 --state-dir '{}'", dir.display());
    let what = "TERM=dumb lesson";
    let Some((tmux, deadline)) = session("dumb-learn", what, 60, "TERM=dumb", &args) else {
        return;
    };
    tmux.wait_for("Your answer", deadline);
    assert_eq!(tmux.format("#{alternate_on}"), "0");
    tmux.play("q Enter > EXIT STATUS 0", deadline);
    let history = tmux.history();
    assert!(
        history.contains("oauth-lab: TERM=dumb cannot show the full-screen UI")
            && history.contains("══ Lesson"),
        "{history}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
