//! Running the program as a user would: a child process with arguments and standard
//! input, its exit code and its output.

use std::io::Write;
use std::process::{Command, Stdio};

/// What a finished child process left.
pub struct Ran {
    /// The exit code (`None` when killed by a signal).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }
}

/// Runs `program` with `args`, writes `input` to its standard input and closes it, and
/// waits for it to end.
pub fn run_program(program: &str, args: &[&str], input: &str) -> Ran {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program} does not start: {e}"));
    child
        .stdin
        .take()
        .expect("a piped standard input")
        .write_all(input.as_bytes())
        .expect("the program takes its input");
    let out = child.wait_with_output().expect("the program ends");
    Ran {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
