//! The built-in challenges: the files of `challenges/`, compiled into the binary so that
//! `oauth-lab challenge` works from any directory. A test checks this list against the
//! directory.

use super::model::Challenge;
use super::read::load;
use crate::files::source::{Diagnostic, load_listed};

/// Every built-in challenge file: its path in the repository and its text.
pub const FILES: &[(&str, &str)] = &[
    (
        "challenges/stolen-scheme.toml",
        include_str!("../../challenges/stolen-scheme.toml"),
    ),
    (
        "challenges/planted-session.toml",
        include_str!("../../challenges/planted-session.toml"),
    ),
    (
        "challenges/state-is-not-enough.toml",
        include_str!("../../challenges/state-is-not-enough.toml"),
    ),
    (
        "challenges/wrong-audience.toml",
        include_str!("../../challenges/wrong-audience.toml"),
    ),
    (
        "challenges/frame-redeems.toml",
        include_str!("../../challenges/frame-redeems.toml"),
    ),
    (
        "challenges/leaked-refresh.toml",
        include_str!("../../challenges/leaked-refresh.toml"),
    ),
    (
        "challenges/pixel-on-callback.toml",
        include_str!("../../challenges/pixel-on-callback.toml"),
    ),
    (
        "challenges/log-and-loose-codes.toml",
        include_str!("../../challenges/log-and-loose-codes.toml"),
    ),
    (
        "challenges/two-issuers.toml",
        include_str!("../../challenges/two-issuers.toml"),
    ),
    (
        "challenges/downgrade.toml",
        include_str!("../../challenges/downgrade.toml"),
    ),
    (
        "challenges/plain-sight.toml",
        include_str!("../../challenges/plain-sight.toml"),
    ),
    (
        "challenges/lax-and-leaky.toml",
        include_str!("../../challenges/lax-and-leaky.toml"),
    ),
];

/// The built-in challenges, in the order of the list (a file that fails to load is
/// reported, not fatal).
pub fn challenges() -> (Vec<Challenge>, Vec<Diagnostic>) {
    load_listed(FILES, |source| load(&source))
}

/// The built-in challenge with this id (or number in the list, from 1).
pub fn find(key: &str) -> Option<Challenge> {
    let (all, _) = challenges();
    let by_number = key.parse::<usize>().ok().and_then(|n| n.checked_sub(1));
    all.into_iter()
        .enumerate()
        .find(|(i, c)| c.id == key || by_number == Some(*i))
        .map(|(_, c)| c)
}
