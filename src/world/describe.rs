//! A world in words: the labels the command line, the lessons and the UI print.

use super::spec::WorldSpec;

impl WorldSpec {
    /// Each defense that differs from the profile, with its value: `pkce off`.
    pub fn differences(&self) -> Vec<String> {
        self.profile
            .defenses()
            .differences(&self.defenses)
            .into_iter()
            .map(|name| format!("{name} {}", self.defenses.value_label(name)))
            .collect()
    }

    /// `profile bcp`, or `profile bcp, pkce off, state off`.
    pub fn describe_defenses(&self) -> String {
        let mut s = format!("profile {}", self.profile.name());
        let diffs = self.differences();
        if !diffs.is_empty() {
            s.push_str(&format!(", {}", diffs.join(", ")));
        }
        s
    }

    /// `profile naive, pkce S256 · attack code-interception`.
    pub fn describe(&self) -> String {
        let mut s = self.describe_defenses();
        if let Some(id) = self.attack_id() {
            s.push_str(&format!(" · attack {id}"));
        }
        s
    }

    /// The short form for a status bar: `bcp`, `bcp, pkce off, state off`, or
    /// `bcp +3 changes` beyond two.
    pub fn defenses_label(&self) -> String {
        let name = self.profile.name();
        let diffs = self.differences();
        match diffs.len() {
            0 => name.to_string(),
            1 | 2 => format!("{name}, {}", diffs.join(", ")),
            n => format!("{name} +{n} changes"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::defenses::{DefenseId, Profile};
    use crate::world::AttackId;

    #[test]
    fn labels_name_the_profile_and_what_differs() {
        let mut w = WorldSpec::happy_path(1, Profile::Bcp);
        assert_eq!(w.describe(), "profile bcp");
        assert_eq!(w.defenses_label(), "bcp");
        w.defenses.set_on(DefenseId::Pkce, false);
        w.attack = Some(AttackId::parse("code-interception").unwrap());
        assert_eq!(w.describe_defenses(), "profile bcp, pkce off");
        assert_eq!(
            w.describe(),
            "profile bcp, pkce off · attack code-interception"
        );
        assert_eq!(w.defenses_label(), "bcp, pkce off");
        w.defenses.set_on(DefenseId::State, false);
        w.defenses
            .set_value(DefenseId::CodeLifetime, "600")
            .unwrap();
        assert_eq!(w.defenses_label(), "bcp +3 changes");
    }
}
