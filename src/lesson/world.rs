//! A lesson's worlds: each a [`WorldSpec`] with the name the lesson file gives it,
//! read from the file's `[world]` and `[worlds.NAME]` tables with every problem
//! reported at its place in the file.

use std::ops::{Deref, DerefMut};

use crate::actors::defenses::{Defenses, Profile};
use crate::sim::world::DEFAULT_SEED;
use crate::world::changes::{apply_changes, parse_profile};
use crate::world::{AttackId, WorldSpec};

use super::model::WorldFile;
use crate::files::source::Report;
use toml::Spanned;

pub use crate::world::WorldRun;

/// The name of a lesson's main world.
pub const MAIN_WORLD: &str = "main";

/// A resolved world, with its name in the lesson.
#[derive(Debug, Clone)]
pub struct LessonWorld {
    /// `main`, or the name under `[worlds.NAME]`.
    pub name: String,
    pub spec: WorldSpec,
}

impl Deref for LessonWorld {
    type Target = WorldSpec;

    fn deref(&self) -> &WorldSpec {
        &self.spec
    }
}

impl DerefMut for LessonWorld {
    fn deref_mut(&mut self) -> &mut WorldSpec {
        &mut self.spec
    }
}

pub(super) fn profile_of(name: &Spanned<String>, report: &mut Report) -> Option<Profile> {
    parse_profile(name.get_ref())
        .map_err(|e| report.error(Some(name.span()), e.to_string()))
        .ok()
}

/// Applies `enable`, `disable` and `set` to `d`, reporting unknown names and values.
pub fn apply_toggles(
    d: &mut Defenses,
    enable: &[Spanned<String>],
    disable: &[Spanned<String>],
    set: &[Spanned<String>],
    report: &mut Report,
) {
    apply_changes(
        d,
        enable,
        disable,
        set,
        |s| s.get_ref().as_str(),
        |s, e| report.error(Some(s.span()), e.to_string()),
    );
}

/// Finds an attack by id, reporting an unknown one. `"none"` is no attack.
#[allow(clippy::result_unit_err)]
pub fn attack_of(id: &Spanned<String>, report: &mut Report) -> Result<Option<AttackId>, ()> {
    if id.get_ref() == "none" {
        return Ok(None);
    }
    AttackId::parse(id.get_ref())
        .map(Some)
        .map_err(|e| report.error(Some(id.span()), e.to_string()))
}

/// Resolves a world file; a named world starts from `base` (the main world).
pub fn resolve(
    name: &str,
    file: &WorldFile,
    base: Option<&LessonWorld>,
    report: &mut Report,
) -> LessonWorld {
    let mut spec = match base {
        Some(b) => b.spec.clone(),
        None => WorldSpec::happy_path(DEFAULT_SEED, Profile::Bcp),
    };
    if let Some(p) = &file.profile
        && let Some(profile) = profile_of(p, report)
    {
        spec.profile = profile;
        spec.defenses = profile.defenses();
    }
    apply_toggles(
        &mut spec.defenses,
        &file.enable,
        &file.disable,
        &file.set,
        report,
    );
    if let Some(a) = &file.attack
        && let Ok(attack) = attack_of(a, report)
    {
        spec.attack = attack;
    }
    if let Some(seed) = file.seed {
        spec.seed = seed;
    }
    LessonWorld {
        name: name.to_string(),
        spec,
    }
}
