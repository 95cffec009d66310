//! End to end: the real binary in a tmux pane (120×40). It steps through the flow,
//! toggles a defense, launches an attack and quits cleanly. Skipped, with a notice,
//! where tmux is not installed. The screen is polled for text, never slept on blindly.

use std::process::Command;
use std::time::{Duration, Instant};

use oauth_lab::testing::{Tmux, assert_cooked, quit_cleanly, tmux_session};

use crate::BIN;

/// A tmux server of our own running the program (see [`tmux_session`]).
fn session(name: &str, what: &str, secs: u64, env: &str, args: &str) -> Option<(Tmux, Instant)> {
    tmux_session(BIN, name, what, secs, env, args)
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
