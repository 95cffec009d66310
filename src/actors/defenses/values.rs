//! The types a defense's setting can have, and how each is read from `--set NAME=VALUE`
//! and shown to learners. `on`/`off` (and `true`/`false`) work for every defense; the
//! [`DefenseValue`] of a type adds the values only it has.

use serde::{Deserialize, Serialize};

/// Which PKCE method the client uses (RFC 7636 §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PkceMethod {
    Off,
    Plain,
    #[serde(rename = "S256")]
    S256,
}

/// How the AS compares a `redirect_uri` with the registered ones (RFC 9700 §4.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RedirectMatching {
    /// Exact string comparison (RFC 9700 §2.1), loopback ports excepted (RFC 8252 §7.3).
    Exact,
    /// Any URI that starts with a registered one.
    Prefix,
    /// Any URI on the host of a registered one.
    HostOnly,
}

/// A type a defense's setting can have.
pub trait DefenseValue: Sized {
    /// The values [`DefenseValue::parse`] accepts besides `on`/`off`, or a description
    /// of them, as listed in the error for an invalid one.
    const VALID: &'static str;

    /// Whether this value is a safe ("on") setting.
    fn is_on(&self) -> bool;

    /// A value other than `on`/`off`/`true`/`false`, or `None` if the text names none.
    fn parse(text: &str) -> Option<Self>;

    /// The value as learners see it.
    fn label(&self) -> String;
}

/// A plain switch: only `on` and `off`.
impl DefenseValue for bool {
    const VALID: &'static str = "on, off";

    fn is_on(&self) -> bool {
        *self
    }

    fn parse(_text: &str) -> Option<Self> {
        None
    }

    fn label(&self) -> String {
        if *self { "on" } else { "off" }.into()
    }
}

/// Only S256 counts as on: `plain` protects nothing against a reader of the
/// authorization request (RFC 7636 §7.2).
impl DefenseValue for PkceMethod {
    const VALID: &'static str = "off, plain, S256";

    fn is_on(&self) -> bool {
        *self == PkceMethod::S256
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "plain" => Some(PkceMethod::Plain),
            "S256" | "s256" => Some(PkceMethod::S256),
            _ => None,
        }
    }

    fn label(&self) -> String {
        match self {
            PkceMethod::Off => "off",
            PkceMethod::Plain => "plain",
            PkceMethod::S256 => "S256",
        }
        .into()
    }
}

/// Only exact matching counts as on (RFC 9700 §4.1.3).
impl DefenseValue for RedirectMatching {
    const VALID: &'static str = "exact, prefix, host-only";

    fn is_on(&self) -> bool {
        *self == RedirectMatching::Exact
    }

    fn parse(text: &str) -> Option<Self> {
        match text {
            "exact" => Some(RedirectMatching::Exact),
            "prefix" => Some(RedirectMatching::Prefix),
            "host-only" => Some(RedirectMatching::HostOnly),
            _ => None,
        }
    }

    fn label(&self) -> String {
        match self {
            RedirectMatching::Exact => "exact",
            RedirectMatching::Prefix => "prefix",
            RedirectMatching::HostOnly => "host-only",
        }
        .into()
    }
}

/// A lifetime in seconds of simulated time; `None` never expires. Any lifetime counts
/// as on (RFC 6749 §4.1.2 asks for a short one, RFC 9700 §4.5.3 recommends it).
impl DefenseValue for Option<u64> {
    const VALID: &'static str = "a number of seconds, or off";

    fn is_on(&self) -> bool {
        self.is_some()
    }

    fn parse(text: &str) -> Option<Self> {
        text.parse().ok().map(Some)
    }

    fn label(&self) -> String {
        match self {
            Some(secs) => format!("{secs} s"),
            None => "never expires".into(),
        }
    }
}
