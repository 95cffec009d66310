//! A defense's name: parsed from what a learner typed, shown as it was declared.

use serde::{Serialize, Serializer};

use super::{DEFENSES, DefenseError, DefenseId, DefenseInfo};

impl DefenseId {
    /// The defense's row in [`DEFENSES`].
    pub fn info(self) -> &'static DefenseInfo {
        // The enum and the listing are generated from the same rows, in the same order.
        &DEFENSES[self as usize]
    }

    /// The name used by `--enable` / `--disable` and in lessons.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The defense with this name, or an error listing the valid names.
    pub fn parse(name: &str) -> Result<DefenseId, DefenseError> {
        DefenseId::ALL
            .iter()
            .copied()
            .find(|d| d.name() == name)
            .ok_or_else(|| DefenseError::UnknownName(name.to_string()))
    }
}

impl std::str::FromStr for DefenseId {
    type Err = DefenseError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        DefenseId::parse(name)
    }
}

/// The name, padded as the format asks (`{:<34}` in tables).
impl std::fmt::Display for DefenseId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.name())
    }
}

/// Serialized as its name, as the catalog's JSON has always shown it.
impl Serialize for DefenseId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}
