//! A [`Scenario`] and its file text.

use serde::{Deserialize, Serialize};

use crate::world::WorldSpec;
use crate::world::file::version_of;

/// A named step: `authorization redirect` at step 3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bookmark {
    pub name: String,
    pub step: usize,
}

/// A world and what the learner did: its seed, defenses, attack and inputs (in the
/// world), the step that was selected, and an optional title, notes and bookmarks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    pub title: Option<String>,
    pub notes: Option<String>,
    pub world: WorldSpec,
    /// The selected step (an index into the trace).
    pub selected: usize,
    pub bookmarks: Vec<Bookmark>,
}

/// The file's fields in the order they are written. The world's own fields (seed,
/// profile, attack, set) come from its file form; its inputs go last, as tables.
#[derive(Serialize)]
struct ScenarioOut<'a> {
    version: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notes: Option<&'a str>,
    #[serde(flatten)]
    world: toml::Table,
    selected: usize,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    bookmarks: &'a [Bookmark],
    #[serde(skip_serializing_if = "Option::is_none")]
    inputs: Option<toml::Value>,
}

impl Scenario {
    /// A world with the first step selected and nothing else.
    pub fn of(world: WorldSpec, selected: usize) -> Self {
        Scenario {
            title: None,
            notes: None,
            world,
            selected,
            bookmarks: Vec::new(),
        }
    }

    /// The scenario as the text of a scenario file (the version of its world's form:
    /// 1, or 2 for a workshop world).
    pub fn to_toml(&self) -> Result<String, toml::ser::Error> {
        let mut world = toml::Table::try_from(&self.world)?;
        world.remove("version");
        let inputs = world.remove("inputs");
        toml::to_string(&ScenarioOut {
            version: version_of(&self.world),
            title: self.title.as_deref(),
            notes: self.notes.as_deref(),
            world,
            selected: self.selected,
            bookmarks: &self.bookmarks,
            inputs,
        })
    }
}
