//! Writing a scenario to a folder under a name of its own, never over another file.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::model::Scenario;
use crate::files::numbered::create_first_free;

/// Most numbered names tried in one folder before giving up.
const MAX_NUMBER: u32 = 9999;

/// The file name stem of a scenario: its attack's id, or `happy-path`.
pub fn stem(s: &Scenario) -> &'static str {
    s.world.attack_id().unwrap_or("happy-path")
}

/// Writes `s` into `dir` (created if missing) as `STEM-N.toml` with the first `N` not
/// taken; the file is created exclusively, so an existing file is never overwritten.
/// Returns the path written.
pub fn save_new(dir: &Path, s: &Scenario) -> io::Result<PathBuf> {
    let text = s
        .to_toml()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
    std::fs::create_dir_all(dir)?;
    let stem = stem(s);
    let (path, mut file) = create_first_free(
        MAX_NUMBER,
        |n| dir.join(format!("{stem}-{n}.toml")),
        |path| OpenOptions::new().write(true).create_new(true).open(path),
        || format!("{MAX_NUMBER} scenarios named {stem}-N.toml already exist there"),
    )?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    Ok(path)
}

/// The scenario folder inside a data folder (the one lesson progress is saved in).
pub fn folder_in(data_dir: &Path) -> PathBuf {
    data_dir.join("scenarios")
}

/// The scenario folder when no data folder is given: `$XDG_DATA_HOME/oauth-lab/scenarios`
/// (or `~/.local/share/oauth-lab/scenarios`), else `.oauth-lab/scenarios`.
pub fn default_folder() -> PathBuf {
    let data = crate::lesson::progress::default_data_dir();
    folder_in(&data.unwrap_or_else(|| PathBuf::from(".oauth-lab")))
}
