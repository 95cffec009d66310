//! An attack of the catalog, named by its id: checked against the catalog when it is
//! read, so a world never names an attack that does not exist.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::error::WorldError;
use crate::attacks::{self, Attack, AttackInfo};

/// The id of an attack in the catalog (`code-interception`, `mix-up`, …).
#[derive(Clone, Copy)]
pub struct AttackId(&'static dyn Attack);

impl AttackId {
    /// The catalog attack with this id.
    pub fn parse(id: &str) -> Result<AttackId, WorldError> {
        attacks::find(id)
            .map(AttackId)
            .ok_or_else(|| WorldError::UnknownAttack(id.to_string()))
    }

    pub fn as_str(self) -> &'static str {
        self.0.info().id
    }

    /// The attack itself: its world and its goal.
    pub fn attack(self) -> &'static dyn Attack {
        self.0
    }

    pub fn info(self) -> &'static AttackInfo {
        self.0.info()
    }
}

impl std::ops::Deref for AttackId {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for AttackId {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for AttackId {}

impl fmt::Debug for AttackId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for AttackId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for AttackId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for AttackId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let id = String::deserialize(d)?;
        AttackId::parse(&id).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_catalog_ids_parse() {
        let a = AttackId::parse("code-interception").unwrap();
        assert_eq!(&*a, "code-interception");
        assert_eq!(a.attack().info().id, "code-interception");
        let err = AttackId::parse("teleport").unwrap_err().to_string();
        assert!(
            err.starts_with("unknown attack `teleport`; valid ids: "),
            "{err}"
        );
        assert!(err.contains("code-interception"), "{err}");
    }
}
