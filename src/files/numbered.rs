//! Creating something under the first free numbered name (`stem-1`, `stem-2`, …), so
//! that nothing the program wrote before is ever overwritten.

use std::io;
use std::path::{Path, PathBuf};

/// Creates the first of `path_for(1)`, `path_for(2)`, … `path_for(max)` that `create`
/// succeeds on, and returns that path and what `create` gave. `create` must refuse a
/// taken name with `ErrorKind::AlreadyExists` (as `create_dir` and `create_new` do);
/// when every name is taken the error says `all_taken`.
pub fn create_first_free<T>(
    max: u32,
    path_for: impl Fn(u32) -> PathBuf,
    create: impl Fn(&Path) -> io::Result<T>,
    all_taken: impl FnOnce() -> String,
) -> io::Result<(PathBuf, T)> {
    for n in 1..=max {
        let path = path_for(n);
        match create(&path) {
            Ok(made) => return Ok((path, made)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::new(io::ErrorKind::AlreadyExists, all_taken()))
}
