//! The one reading of "a profile, then these changes": `--profile` / `--enable` /
//! `--disable` / `--set NAME=VALUE` on the command line, `profile` / `enable` /
//! `disable` / `set` in a lesson's `[world]`, and `set` in a saved world.

use super::error::WorldError;
use crate::actors::defenses::{DefenseError, DefenseId, Defenses, Profile};

/// `naive`, `rfc6749` or `bcp`.
pub fn parse_profile(name: &str) -> Result<Profile, WorldError> {
    Profile::parse(name).ok_or_else(|| DefenseError::UnknownProfile(name.to_string()).into())
}

/// One change to a profile's defenses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Turn a defense on (its safe value).
    Enable(DefenseId),
    /// Turn a defense off.
    Disable(DefenseId),
    /// Set a defense to a value (`pkce` = `plain`), checked when it is applied.
    Set(DefenseId, String),
}

impl Change {
    /// Reads `NAME=VALUE` (spaces around either side are ignored).
    pub fn parse_set(pair: &str) -> Result<Change, WorldError> {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| WorldError::NotAPair(pair.to_string()))?;
        let id = DefenseId::parse(name.trim())?;
        Ok(Change::Set(id, value.trim().to_string()))
    }

    /// Makes the change; a value the defense does not have is refused with the valid ones.
    pub fn apply(&self, d: &mut Defenses) -> Result<(), DefenseError> {
        match self {
            Change::Enable(id) => d.set_on(*id, true),
            Change::Disable(id) => d.set_on(*id, false),
            Change::Set(id, value) => d.set_value(*id, value)?,
        }
        Ok(())
    }
}

/// Reads the three lists of changes in the order they apply: every enable, every
/// disable, then every `NAME=VALUE`. Each item is read with `text` (a plain string, or
/// a string with its place in a file) and comes back with its change or its problem.
pub fn read_changes<'a, T>(
    enable: &'a [T],
    disable: &'a [T],
    set: &'a [T],
    text: impl Fn(&T) -> &str,
) -> Vec<(&'a T, Result<Change, WorldError>)> {
    let name = |t: &T| DefenseId::parse(text(t)).map_err(WorldError::from);
    let enables = enable.iter().map(|t| (t, name(t).map(Change::Enable)));
    let disables = disable.iter().map(|t| (t, name(t).map(Change::Disable)));
    let sets = set.iter().map(|t| (t, Change::parse_set(text(t))));
    enables.chain(disables).chain(sets).collect()
}

/// Applies the three lists of changes to `d` (see [`read_changes`]); each item's
/// problem goes to `on_error` with the item, and the other items still apply.
pub fn apply_changes<T>(
    d: &mut Defenses,
    enable: &[T],
    disable: &[T],
    set: &[T],
    text: impl Fn(&T) -> &str,
    mut on_error: impl FnMut(&T, WorldError),
) {
    for (item, change) in read_changes(enable, disable, set, text) {
        if let Err(e) = change.and_then(|c| c.apply(d).map_err(WorldError::from)) {
            on_error(item, e);
        }
    }
}

/// `profile` with the changes applied, or the first problem.
pub fn resolve_defenses(
    profile: Profile,
    enable: &[String],
    disable: &[String],
    set: &[String],
) -> Result<Defenses, WorldError> {
    let mut d = profile.defenses();
    let mut first = None;
    apply_changes(&mut d, enable, disable, set, String::as_str, |_, e| {
        first.get_or_insert(e);
    });
    first.map_or(Ok(d), Err)
}

/// The value a defense has in `d`, as `--set` takes it (`off`, `plain`, `prefix`, `600`):
/// setting it on any defenses gives `d`'s value back.
pub fn set_value_of(d: &Defenses, id: DefenseId) -> String {
    match id {
        // Its label (`60 s`, `never expires`) is for reading, not for `--set`.
        DefenseId::CodeLifetime => match d.code_lifetime_secs {
            Some(secs) => secs.to_string(),
            None => "off".into(),
        },
        other => d.value_label(other),
    }
}

/// How `d` differs from `profile`'s defenses, as `--set` takes it, in catalog order.
pub fn differences_as_set(profile: Profile, d: &Defenses) -> Vec<String> {
    profile
        .defenses()
        .differences(d)
        .into_iter()
        .map(|id| format!("{}={}", id.name(), set_value_of(d, id)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_apply_in_order_and_report_each_problem() {
        let mut d = Profile::Bcp.defenses();
        let mut problems = Vec::new();
        apply_changes(
            &mut d,
            &["state".to_string()],
            &["state".to_string(), "nope".to_string()],
            &["pkce=plain".to_string(), "pkce".to_string()],
            String::as_str,
            |item, e| problems.push(format!("{item}: {e}")),
        );
        // Disables come after enables: `state` ends off.
        assert!(!d.state);
        assert_eq!(d.value_label(DefenseId::Pkce), "plain");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("nope: unknown defense `nope`"));
        assert_eq!(
            problems[1],
            "pkce: `pkce` should be NAME=VALUE, e.g. \"pkce=plain\""
        );
    }

    #[test]
    fn the_first_problem_stops_a_resolve() {
        let err = resolve_defenses(Profile::Naive, &[], &[], &["pkce=sha1".into()]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid value `sha1` for `pkce`; valid values: off, plain, S256"
        );
        assert_eq!(
            parse_profile("strict").unwrap_err().to_string(),
            "unknown profile `strict`; valid profiles: naive, rfc6749, bcp, fapi2"
        );
    }

    #[test]
    fn differences_as_set_give_the_defenses_back() {
        for profile in Profile::ALL {
            for other in Profile::ALL {
                let mut d = other.defenses();
                d.set_value(DefenseId::CodeLifetime, "600").unwrap();
                let set = differences_as_set(profile, &d);
                let back = resolve_defenses(profile, &[], &[], &set).unwrap();
                assert_eq!(back, d, "{profile:?} -> {other:?}: {set:?}");
            }
        }
    }
}
