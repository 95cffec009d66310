//! The defenses a learner can toggle. Each one changes exactly the behaviour it names,
//! in the code of the actor that owns it; "on" is always the safe setting, and the
//! `bcp` profile (RFC 9700) has every defense on.
//!
//! Every defense is declared once, as a row of the table in `table.rs`.

mod declare;
mod id;
mod table;
mod values;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use table::{DEFENSES, DefenseId, Defenses};
pub use values::{DefenseValue, PkceMethod, RedirectMatching};

/// A named set of defenses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Every defense on: RFC 9700, OAuth 2.0 Security Best Current Practice — but for
    /// `par-required` and `private-key-jwt`, which change the flow's shape and which
    /// RFC 9700 does not require.
    Bcp,
    /// A typical 2012 deployment: `state`, lax redirect matching, nothing RFC 9700 added.
    Rfc6749,
    /// Every defense off.
    Naive,
    /// The FAPI 2.0 Security Profile's requirements, as far as this world models them:
    /// every defense on, `par-required` and `private-key-jwt` included.
    Fapi2,
}

impl Profile {
    /// The profiles the attack matrix has a column for, and the UI's `p` key cycles
    /// through; `fapi2` is chosen by name (`--profile fapi2`, a world file).
    pub const CLASSIC: [Profile; 3] = [Profile::Naive, Profile::Rfc6749, Profile::Bcp];

    /// Every profile, for parsing names and for `oauth-lab defenses`.
    pub const ALL: [Profile; 4] = [
        Profile::Naive,
        Profile::Rfc6749,
        Profile::Bcp,
        Profile::Fapi2,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Profile::Bcp => "bcp",
            Profile::Rfc6749 => "rfc6749",
            Profile::Naive => "naive",
            Profile::Fapi2 => "fapi2",
        }
    }

    pub fn parse(s: &str) -> Option<Profile> {
        Profile::ALL.into_iter().find(|p| p.name() == s)
    }

    pub fn description(self) -> &'static str {
        match self {
            Profile::Bcp => "every RFC 9700 defense on (OAuth 2.0 Security BCP)",
            Profile::Rfc6749 => {
                "a typical 2012 deployment: state on, prefix redirect matching, nothing RFC 9700 added"
            }
            Profile::Naive => "every defense off",
            Profile::Fapi2 => {
                "FAPI 2.0 Security Profile: bcp (DPoP included) plus pushed requests and private_key_jwt"
            }
        }
    }

    pub fn defenses(self) -> Defenses {
        match self {
            Profile::Bcp => Defenses::bcp(),
            Profile::Rfc6749 => Defenses::rfc6749(),
            Profile::Naive => Defenses::naive(),
            Profile::Fapi2 => Defenses::fapi2(),
        }
    }

    /// What the profile requires, in its own words, and the defense that models each
    /// requirement (only `fapi2` has such a list: FAPI 2.0 Security Profile §5.3).
    pub fn requirements(self) -> &'static [(&'static str, DefenseId)] {
        match self {
            Profile::Fapi2 => FAPI2_REQUIREMENTS,
            _ => &[],
        }
    }
}

/// The FAPI 2.0 Security Profile's requirements on the AS and the client that this world
/// models (FAPI 2.0 Security Profile §5.3.1, §5.3.2), each with its defense.
const FAPI2_REQUIREMENTS: &[(&str, DefenseId)] = &[
    ("sender-constrained tokens (DPoP)", DefenseId::Dpop),
    (
        "authorization requests only through PAR",
        DefenseId::ParRequired,
    ),
    ("PKCE with S256 at the client", DefenseId::Pkce),
    ("PKCE required by the AS", DefenseId::PkceRequired),
    ("no plain PKCE", DefenseId::RejectPkcePlain),
    (
        "private_key_jwt client authentication",
        DefenseId::PrivateKeyJwt,
    ),
    (
        "assertion audience: the issuer only",
        DefenseId::StrictAssertionAudience,
    ),
    ("iss in the authorization response", DefenseId::IssParameter),
    ("exact redirect URI matching", DefenseId::RedirectMatching),
    ("short code lifetime", DefenseId::CodeLifetime),
    ("no implicit grant", DefenseId::NoImplicitGrant),
];

/// Description of one toggle, for `oauth-lab defenses`, the UI and the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefenseInfo {
    pub id: DefenseId,
    /// The name used by `--enable` / `--disable`.
    pub name: &'static str,
    /// Who enforces it.
    pub owner: &'static str,
    pub explanation: &'static str,
    pub rfc: &'static str,
    /// The value when on, and when off, as shown to learners.
    pub on_value: &'static str,
    pub off_value: &'static str,
}

/// An unknown defense name or value, with the valid choices.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DefenseError {
    #[error("unknown defense `{0}`; valid names: {names}", names = defense_names().join(", "))]
    UnknownName(String),
    #[error("invalid value `{value}` for `{name}`; valid values: {valid}")]
    BadValue {
        name: String,
        value: String,
        valid: String,
    },
    #[error("unknown profile `{0}`; valid profiles: naive, rfc6749, bcp, fapi2")]
    UnknownProfile(String),
}

/// Every defense name.
pub fn defense_names() -> Vec<&'static str> {
    DefenseId::ALL.iter().map(|d| d.name()).collect()
}

/// The default code lifetime with `code-lifetime` on (RFC 9700 §4.5.3 recommends short).
pub const SHORT_CODE_LIFETIME_SECS: u64 = 60;

/// Stores the value `text` names in `slot`; `false` (and `slot` unchanged) if it names none.
fn parse_into<T: DefenseValue>(slot: &mut T, text: &str) -> bool {
    match T::parse(text) {
        Some(value) => {
            *slot = value;
            true
        }
        None => false,
    }
}

impl Defenses {
    /// Toggles the defense; returns whether it is now on.
    pub fn toggle(&mut self, id: DefenseId) -> bool {
        let now = !self.is_on(id);
        self.set_on(id, now);
        now
    }

    /// Sets a defense to a specific value: `pkce=plain`, `redirect-matching=prefix`,
    /// `code-lifetime=600`, or `on`/`off` for any defense.
    pub fn set_value(&mut self, id: DefenseId, value: &str) -> Result<(), DefenseError> {
        match value {
            "on" | "true" => self.set_on(id, true),
            "off" | "false" => self.set_on(id, false),
            other if self.set_parsed(id, other) => {}
            _ => {
                return Err(DefenseError::BadValue {
                    name: id.name().to_string(),
                    value: value.to_string(),
                    valid: id.valid_values().to_string(),
                });
            }
        }
        Ok(())
    }

    /// The defenses that differ between `self` and `other`.
    pub fn differences(&self, other: &Defenses) -> Vec<DefenseId> {
        DefenseId::ALL
            .iter()
            .copied()
            .filter(|&d| self.value_label(d) != other.value_label(d))
            .collect()
    }
}

impl Default for Defenses {
    fn default() -> Self {
        Self::bcp()
    }
}
