//! The built-in course: the files of `lessons/`, compiled into the binary so that
//! `oauth-lab learn` works from any directory. A test checks this list against the
//! directory.

use super::{Diagnostic, Lesson, Source, lesson, sort};

/// Every built-in lesson file: its path in the repository and its text.
pub const FILES: &[(&str, &str)] = &[
    ("lessons/04-pkce-code-interception.toml", include_str!("../../lessons/04-pkce-code-interception.toml")),
];

/// The built-in lessons, compiled (a file that fails to load is reported, not fatal).
pub fn lessons() -> (Vec<Lesson>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for (name, text) in FILES {
        match lesson::load(Source::new(*name, *text)) {
            Ok(l) => out.push(l),
            Err(d) => problems.extend(d),
        }
    }
    sort(&mut out);
    (out, problems)
}
