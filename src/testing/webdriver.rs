//! A real browser for tests: Debian's `chromedriver` started on a free loopback port,
//! and the capabilities that make it run headless Chromium with a fresh profile. The
//! WebDriver client itself (fantoccini) is a dev-dependency, so the tests speak it; this
//! module only owns the processes and the scratch profile, and ends them on drop.
//!
//! A missing `chromium` or `chromedriver` skips the test with a notice, or fails it
//! under CI (`CI=true`); `.ci/install-renderers` installs both.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::files::scratch_dir;

/// How long chromedriver may take to listen.
const DRIVER_START: Duration = Duration::from_secs(10);

/// A running chromedriver, killed (and its profile directory removed) on drop.
pub struct Chromedriver {
    child: Child,
    port: u16,
    chromium: PathBuf,
    profile: PathBuf,
}

impl Chromedriver {
    /// Starts chromedriver for the test `what`; `None`, with a notice, where Chromium
    /// or chromedriver is not installed (a failure under CI instead).
    pub fn start(what: &str) -> Option<Chromedriver> {
        let (Some(driver), Some(chromium)) = (
            on_path("chromedriver"),
            on_path("chromium").or_else(|| on_path("chromium-browser")),
        ) else {
            assert!(
                std::env::var("CI").map_or(true, |v| v != "true"),
                "chromium and chromedriver (Debian: chromium, chromium-driver) are required under CI for the real-browser {what} test"
            );
            eprintln!(
                "NOTICE: chromium or chromedriver is not installed (Debian: chromium, chromium-driver); skipping the real-browser {what} test."
            );
            return None;
        };
        // chromedriver has no "any free port" option: take one from the kernel and
        // hand it over (nothing else binds loopback ports here in between).
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("a free loopback port for chromedriver: {e}"));
        let mut cmd = Command::new(&driver);
        // A process group of its own, so that drop ends Chromium with it.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
        let child = cmd
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", driver.display()));
        let profile = scratch_dir("chromium-profile", &port.to_string());
        let mut me = Chromedriver {
            child,
            port,
            chromium,
            profile,
        };
        me.wait_listening();
        Some(me)
    }

    fn wait_listening(&mut self) {
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        let until = Instant::now() + DRIVER_START;
        while Instant::now() < until {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("chromedriver ended before listening on {addr}: {status}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("chromedriver did not listen on {addr} within {DRIVER_START:?}");
    }

    /// The WebDriver endpoint, `http://127.0.0.1:{port}`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// W3C WebDriver capabilities for headless Chromium with a fresh profile of its
    /// own. The flags: no sandbox (tests run as root in containers), no GPU, and none of
    /// Chromium's own background traffic (updates, sync, QUIC probes) so that the only
    /// requests it makes are the page's.
    pub fn capabilities(&self) -> serde_json::Map<String, serde_json::Value> {
        let args: Vec<String> = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1000,700",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([format!("--user-data-dir={}", self.profile.display())])
        .collect();
        let caps = serde_json::json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": self.chromium.display().to_string(),
                "args": args,
            },
        });
        match caps {
            serde_json::Value::Object(map) => map,
            _ => unreachable!("a JSON object literal"),
        }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // The whole group: chromedriver and the Chromium it started.
        #[cfg(unix)]
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// The first executable `name` on `PATH`.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        p.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}
