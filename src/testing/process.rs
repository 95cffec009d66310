//! Running the program as a user would: a child process with arguments, environment
//! and standard input, its exit code and its output.

use std::ffi::OsStr;
use std::io::Write;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// What a finished child process left.
#[derive(Debug)]
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

impl From<Output> for Ran {
    fn from(out: Output) -> Self {
        Ran {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// A program to run as a child process, its output captured.
pub struct Program {
    cmd: Command,
}

impl Program {
    pub fn new(path: impl AsRef<OsStr>) -> Self {
        let mut cmd = Command::new(path);
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        Program { cmd }
    }

    pub fn args<S: AsRef<OsStr>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.cmd.args(args);
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Self {
        self.cmd.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Self {
        self.cmd.env_remove(key);
        self
    }

    /// Starts it with its standard input closed.
    pub fn start(mut self) -> Child {
        self.cmd
            .stdin(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{:?} does not start: {e}", self.cmd))
    }

    /// Runs it with `input` on its standard input (then closed), to its end.
    pub fn run(mut self, input: &str) -> Ran {
        let mut child = self
            .cmd
            .stdin(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{:?} does not start: {e}", self.cmd));
        child
            .stdin
            .take()
            .expect("a piped standard input")
            .write_all(input.as_bytes())
            .expect("the program takes its input");
        child.wait_with_output().expect("the program ends").into()
    }
}

/// Runs `program` with `args` and `input` on its standard input, to its end.
pub fn run_program(program: &str, args: &[&str], input: &str) -> Ran {
    Program::new(program).args(args).run(input)
}

/// The output of a child that must end within `limit`; one still running then is
/// killed and the test fails, naming `what`.
pub fn finished_within(mut child: Child, limit: Duration, what: &str) -> Ran {
    let deadline = Instant::now() + limit;
    loop {
        if child.try_wait().expect("the child's status").is_some() {
            return child.wait_with_output().expect("its output").into();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().expect("its output");
            panic!(
                "{what} still ran after {limit:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The lines a child writes to `stream` (its stdout or stderr, taken from it), as they
/// come; the channel ends when the child closes the stream.
pub fn lines_of(stream: impl std::io::Read + Send + 'static) -> std::sync::mpsc::Receiver<String> {
    use std::io::BufRead;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stream)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

/// Reads `lines` until one `pick` takes (within `limit` each); every line read comes
/// back too, for the failure message.
pub fn wait_for_line<T>(
    lines: &std::sync::mpsc::Receiver<String>,
    limit: Duration,
    mut pick: impl FnMut(&str) -> Option<T>,
) -> (T, Vec<String>) {
    let mut read = Vec::new();
    loop {
        let line = lines
            .recv_timeout(limit)
            .unwrap_or_else(|_| panic!("no awaited line within {limit:?}; read: {read:?}"));
        let picked = pick(&line);
        read.push(line);
        if let Some(t) = picked {
            return (t, read);
        }
    }
}

/// Sends signal `name` (`INT`, `TERM`) to `child`, as `kill -NAME PID` does.
pub fn send_signal(child: &Child, name: &str) {
    let sent = Command::new("kill")
        .args([format!("-{name}"), child.id().to_string()])
        .status()
        .is_ok_and(|s| s.success());
    assert!(sent, "kill -{name} {} ran", child.id());
}

/// Whether `program args…` runs and succeeds (a language runtime and its library are
/// installed). Missing: a failure under CI (`CI=true`), else a printed notice and
/// `false`, and the caller skips its test.
pub fn runtime_available(program: &str, args: &[&str], what: &str) -> bool {
    let works = std::process::Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !works {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "{what} is required under CI (.ci/run installs it)"
        );
        eprintln!("NOTICE: {what} is not installed; skipping this test.");
    }
    works
}
