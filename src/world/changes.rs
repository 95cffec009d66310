//! The one reading of "a profile, then these changes": `--profile` / `--enable` /
//! `--disable` / `--set NAME=VALUE` on the command line, `profile` / `enable` /
//! `disable` / `set` in a lesson's `[world]`, and `set` in a saved world.

use super::error::WorldError;
use crate::actors::defenses::{DefenseError, Defenses, Profile};

/// `naive`, `rfc6749` or `bcp`.
pub fn parse_profile(name: &str) -> Result<Profile, WorldError> {
    Profile::parse(name).ok_or_else(|| DefenseError::UnknownProfile(name.to_string()).into())
}

/// One change to a profile's defenses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Turn a defense on (its safe value).
    Enable(String),
    /// Turn a defense off.
    Disable(String),
    /// Set a defense to a value (`pkce` = `plain`).
    Set(String, String),
}

impl Change {
    /// Reads `NAME=VALUE` (spaces around either side are ignored).
    pub fn parse_set(pair: &str) -> Result<Change, WorldError> {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| WorldError::NotAPair(pair.to_string()))?;
        Ok(Change::Set(
            name.trim().to_string(),
            value.trim().to_string(),
        ))
    }

    /// Makes the change; unknown names and values are refused with the valid ones.
    pub fn apply(&self, d: &mut Defenses) -> Result<(), DefenseError> {
        match self {
            Change::Enable(name) => d.set_on(name, true),
            Change::Disable(name) => d.set_on(name, false),
            Change::Set(name, value) => d.set_value(name, value),
        }
    }
}

/// The three lists of changes, in the order they apply: every enable, every disable,
/// then every `NAME=VALUE`. Each item is read with `text` (a plain string, or a string
/// with its place in a file); each item's problem goes to `on_error` with the item, and
/// the other items still apply.
pub fn apply_changes<T>(
    d: &mut Defenses,
    enable: &[T],
    disable: &[T],
    set: &[T],
    text: impl Fn(&T) -> &str,
    mut on_error: impl FnMut(&T, WorldError),
) {
    let enables = enable
        .iter()
        .map(|t| (t, Ok(Change::Enable(text(t).into()))));
    let disables = disable
        .iter()
        .map(|t| (t, Ok(Change::Disable(text(t).into()))));
    let sets = set.iter().map(|t| (t, Change::parse_set(text(t))));
    for (item, change) in enables.chain(disables).chain(sets) {
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
/// setting it on the profile's defenses gives `d`'s value back.
pub fn set_value_of(d: &Defenses, name: &str) -> String {
    match name {
        "pkce" | "redirect-matching" => d.value_label(name),
        "code-lifetime" => match d.code_lifetime_secs {
            Some(secs) => secs.to_string(),
            None => "off".into(),
        },
        other => match d.is_on(other) {
            Ok(true) => "on".into(),
            _ => "off".into(),
        },
    }
}

/// How `d` differs from `profile`'s defenses, as `--set` takes it, in catalog order.
pub fn differences_as_set(profile: Profile, d: &Defenses) -> Vec<String> {
    profile
        .defenses()
        .differences(d)
        .into_iter()
        .map(|name| format!("{name}={}", set_value_of(d, name)))
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
        assert_eq!(d.value_label("pkce"), "plain");
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
            "unknown profile `strict`; valid profiles: naive, rfc6749, bcp"
        );
    }

    #[test]
    fn differences_as_set_give_the_defenses_back() {
        for profile in Profile::ALL {
            for other in Profile::ALL {
                let mut d = other.defenses();
                d.set_value("code-lifetime", "600").unwrap();
                let set = differences_as_set(profile, &d);
                let back = resolve_defenses(profile, &[], &[], &set).unwrap();
                assert_eq!(back, d, "{profile:?} -> {other:?}: {set:?}");
            }
        }
    }
}
