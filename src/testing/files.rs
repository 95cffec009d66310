//! Scratch files for tests.

use std::path::PathBuf;

/// An empty scratch directory `oauth-lab-{what}-{pid}-{name}` under the system's
/// temporary directory (removed first if an earlier run left it).
pub fn temp_dir(what: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("oauth-lab-{what}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Like [`temp_dir`], created (empty).
pub fn scratch_dir(what: &str, name: &str) -> PathBuf {
    let dir = temp_dir(what, name);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}
