//! The built-in course: the files of `lessons/`, compiled into the binary so that
//! `oauth-lab learn` works from any directory. A test checks this list against the
//! directory.

use super::{Diagnostic, Lesson, compile, sort};
use crate::files::source::load_listed;

/// Every built-in lesson file: its path in the repository and its text.
pub const FILES: &[(&str, &str)] = &[
    (
        "lessons/01-whole-flow.toml",
        include_str!("../../lessons/01-whole-flow.toml"),
    ),
    (
        "lessons/02-front-and-back-channel.toml",
        include_str!("../../lessons/02-front-and-back-channel.toml"),
    ),
    (
        "lessons/03-state-and-csrf.toml",
        include_str!("../../lessons/03-state-and-csrf.toml"),
    ),
    (
        "lessons/04-pkce-code-interception.toml",
        include_str!("../../lessons/04-pkce-code-interception.toml"),
    ),
    (
        "lessons/05-code-injection.toml",
        include_str!("../../lessons/05-code-injection.toml"),
    ),
    (
        "lessons/06-redirect-uri-validation.toml",
        include_str!("../../lessons/06-redirect-uri-validation.toml"),
    ),
    (
        "lessons/07-one-time-codes-and-replay.toml",
        include_str!("../../lessons/07-one-time-codes-and-replay.toml"),
    ),
    (
        "lessons/08-pkce-downgrade.toml",
        include_str!("../../lessons/08-pkce-downgrade.toml"),
    ),
    (
        "lessons/09-mix-up-and-iss.toml",
        include_str!("../../lessons/09-mix-up-and-iss.toml"),
    ),
    (
        "lessons/10-refresh-tokens.toml",
        include_str!("../../lessons/10-refresh-tokens.toml"),
    ),
    (
        "lessons/11-access-tokens-jwt.toml",
        include_str!("../../lessons/11-access-tokens-jwt.toml"),
    ),
    (
        "lessons/12-oidc-id-tokens-and-nonce.toml",
        include_str!("../../lessons/12-oidc-id-tokens-and-nonce.toml"),
    ),
    (
        "lessons/13-capstone-naive-to-bcp.toml",
        include_str!("../../lessons/13-capstone-naive-to-bcp.toml"),
    ),
    (
        "lessons/14-pushed-authorization-requests.toml",
        include_str!("../../lessons/14-pushed-authorization-requests.toml"),
    ),
    (
        "lessons/15-sender-constrained-tokens-with-dpop.toml",
        include_str!("../../lessons/15-sender-constrained-tokens-with-dpop.toml"),
    ),
    (
        "lessons/16-private-key-jwt-and-audience-injection.toml",
        include_str!("../../lessons/16-private-key-jwt-and-audience-injection.toml"),
    ),
];

/// The built-in lessons, compiled (a file that fails to load is reported, not fatal).
pub fn lessons() -> (Vec<Lesson>, Vec<Diagnostic>) {
    let (mut out, problems) = load_listed(FILES, compile::load);
    sort(&mut out);
    (out, problems)
}
