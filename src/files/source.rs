//! The text of a file the program reads (a lesson, a scenario), positions in it and
//! diagnostics: every problem found in such a file is reported as
//! `file:line:column: what is wrong`.

use std::fmt;
use std::ops::Range;

use crate::terminal_text::{one_line, printable};

/// A problem in a file, at a 1-based line and column (columns count characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The file name and message come from the file system and the file: their control
/// characters are escaped, so printing a diagnostic never drives the terminal.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            one_line(&self.file),
            self.line,
            self.column,
            printable(&self.message)
        )
    }
}

/// A lesson file's name and text, which turns byte offsets into line and column.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    pub text: String,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            name: name.into(),
            text: text.into(),
        }
    }

    /// The 1-based line and column of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = self.text[line_start..offset].chars().count() + 1;
        (line, column)
    }

    /// A diagnostic at the start of `span` (or at the top of the file without one).
    pub fn diagnostic(&self, span: Option<Range<usize>>, message: impl Into<String>) -> Diagnostic {
        let (line, column) = span.map_or((1, 1), |s| self.position(s.start));
        Diagnostic {
            file: self.name.clone(),
            line,
            column,
            message: message.into(),
        }
    }
}

/// Whether `id` is a usable id for a lesson or challenge file: not empty, and only
/// lower-case letters, digits and dashes (it is also the file's name).
pub fn is_file_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Loads every file of a built-in list (path in the repository, text) with `load`:
/// what loaded, in the order of the list, and the problems of the files that did not
/// (a file that fails to load is reported, not fatal).
pub fn load_listed<T>(
    files: &[(&str, &str)],
    load: impl Fn(Source) -> Result<T, Vec<Diagnostic>>,
) -> (Vec<T>, Vec<Diagnostic>) {
    let mut loaded = Vec::new();
    let mut problems = Vec::new();
    for (name, text) in files {
        match load(Source::new(*name, *text)) {
            Ok(t) => loaded.push(t),
            Err(d) => problems.extend(d),
        }
    }
    (loaded, problems)
}

/// Collects diagnostics for one source.
#[derive(Debug)]
pub struct Report<'a> {
    pub source: &'a Source,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Report<'a> {
    pub fn new(source: &'a Source) -> Self {
        Report {
            source,
            diagnostics: Vec::new(),
        }
    }

    pub fn error(&mut self, span: Option<Range<usize>>, message: impl Into<String>) {
        let d = self.source.diagnostic(span, message);
        if !self.diagnostics.contains(&d) {
            self.diagnostics.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let s = Source::new("x.toml", "a = 1\nbé = 2\n");
        assert_eq!(s.position(0), (1, 1));
        assert_eq!(s.position(6), (2, 1));
        assert_eq!(s.position(9), (2, 3));
        assert_eq!(
            s.diagnostic(Some(6..7), "bad").to_string(),
            "x.toml:2:1: bad"
        );
    }
}
