//! The file layer: reading files the program did not write (lessons, progress,
//! scenarios) and reporting their problems at `file:line:column`.
//!
//! - `regular_file`: a regular file read with a size limit, never blocking on a FIFO
//!   or a device;
//! - `source`: a file's text with line and column positions, and the diagnostics
//!   found in it;
//! - `control_chars`: the check that TOML text holds no terminal control characters;
//! - `numbered`: creating a file or folder under the first free numbered name.
//!
//! It sits below `lesson` and `scenario`, which both read files through it.

pub mod control_chars;
pub mod numbered;
pub mod regular_file;
pub mod source;
