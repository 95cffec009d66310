//! A world as a file: the stable, versioned form of a [`WorldSpec`] (TOML or JSON).
//!
//! ```toml
//! version = 1
//! seed = 2026
//! profile = "bcp"
//! attack = "code-interception"      # optional
//! set = ["pkce=off", "state=off"]   # only what differs from the profile, as --set takes it
//!
//! [[inputs]]                        # the learner's inputs, each after `at` steps
//! at = 5
//! input = "advance_clock"
//! secs = 60
//! ```
//!
//! Version 2 adds a workshop world: `position = "response-reader"` (where the learner's
//! attacker sits) and `quirks = ["callback-log"]`, and the attacker's moves as inputs
//! (`input = "attacker_move"`, `by`, `verb`, `text`). A world without a position is
//! still written as version 1, byte for byte as before, and both versions are read.
//!
//! Version 3 adds a recorded live session (`oauth-lab serve --record`): a `[live]`
//! table with the URLs the parties listened at, and what reached them from outside as
//! inputs (`input = "external"`, `lane`, `to`, `wire`; `input = "clock_at"`, `ms`;
//! `input = "defense"`, `name`, `value`).
//!
//! Fields it does not know are left alone, so that a larger file (a scenario with a
//! title and notes) can carry a world among its own fields. A seed above the largest
//! TOML integer is written as a string of digits.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::attack_id::AttackId;
use super::changes::{differences_as_set, parse_profile, resolve_defenses};
use super::error::WorldError;
use super::live_site::LiveSite;
use super::spec::WorldSpec;
use crate::sim::LearnerInput;
use crate::workshop::{Position, Quirk, Setting};

/// The newest version of the form this build writes and reads.
pub const FORMAT_VERSION: u32 = 4;
/// The version a workshop world is written with.
pub const WORKSHOP_FORMAT_VERSION: u32 = 2;
/// The version a recorded live world is written with.
pub const LIVE_FORMAT_VERSION: u32 = 3;
/// The version a recorded live world is written with when it holds what the intercept
/// did ([`LearnerInput::HoldSent`], [`LearnerInput::Intercepted`]); without those it is
/// written as version 3, which builds from before version 4 read.
pub const LIVE_INTERCEPT_FORMAT_VERSION: u32 = 4;
/// The version written for a world without a workshop setting (readable by builds
/// from before version 2).
pub const PLAIN_FORMAT_VERSION: u32 = 1;

/// The file form, field by field.
#[derive(Serialize, Deserialize)]
struct WorldFile {
    version: u32,
    seed: Seed,
    profile: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    attack: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    position: Option<Position>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    quirks: Vec<Quirk>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    set: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    live: Option<LiveSite>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    inputs: Vec<InputAt>,
}

/// A learner input and the number of steps the run had when it was made.
#[derive(Serialize, Deserialize)]
pub struct InputAt {
    pub at: usize,
    #[serde(flatten)]
    pub input: LearnerInput,
}

impl Serialize for WorldSpec {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        WorldFile::from(self).serialize(s)
    }
}

impl<'de> Deserialize<'de> for WorldSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        WorldFile::deserialize(d)?
            .into_spec()
            .map_err(serde::de::Error::custom)
    }
}

impl From<&WorldSpec> for WorldFile {
    fn from(w: &WorldSpec) -> Self {
        WorldFile {
            version: version_of(w),
            seed: Seed(w.seed),
            profile: w.profile.name().to_string(),
            attack: w.attack_id().map(str::to_string),
            position: w.workshop.as_ref().map(|s| s.position),
            quirks: (w.workshop.iter()).flat_map(|s| s.quirks.clone()).collect(),
            set: differences_as_set(w.profile, &w.defenses),
            live: w.live.as_deref().cloned(),
            inputs: (w.inputs.iter())
                .map(|(at, input)| InputAt {
                    at: *at,
                    input: input.clone(),
                })
                .collect(),
        }
    }
}

impl WorldFile {
    /// The world this file describes, checked: version, profile, defenses, attack.
    fn into_spec(self) -> Result<WorldSpec, WorldError> {
        check_version(
            self.version,
            self.position.is_some() || !self.quirks.is_empty(),
            self.live.is_some(),
        )?;
        if let Some(site) = &self.live {
            if self.attack.is_some() || self.position.is_some() {
                return Err(WorldError::LiveWithScript);
            }
            site.check()?;
        }
        check_inputs_version(self.version, self.inputs.iter().map(|i| &i.input))?;
        let profile = parse_profile(&self.profile)?;
        let workshop = match self.position {
            Some(position) => Some(Setting {
                position,
                quirks: self.quirks,
            }),
            None if !self.quirks.is_empty() => return Err(WorldError::QuirksWithoutPosition),
            None => None,
        };
        Ok(WorldSpec {
            seed: self.seed.0,
            profile,
            defenses: resolve_defenses(profile, &[], &[], &self.set)?,
            attack: self.attack.as_deref().map(AttackId::parse).transpose()?,
            workshop,
            live: self.live.map(Box::new),
            inputs: self.inputs.into_iter().map(|i| (i.at, i.input)).collect(),
        })
    }
}

/// The version a world is written with: 4 for a recorded live world with the
/// intercept's inputs, 3 for another recorded live world, 2 with a
/// workshop setting, else 1.
pub fn version_of(w: &WorldSpec) -> u32 {
    if w.inputs.iter().any(|(_, i)| i.is_live_intercept()) {
        LIVE_INTERCEPT_FORMAT_VERSION
    } else if w.live.is_some() {
        LIVE_FORMAT_VERSION
    } else if w.workshop.is_some() {
        WORKSHOP_FORMAT_VERSION
    } else {
        PLAIN_FORMAT_VERSION
    }
}

/// Whether a file of `version` can be read, and can hold a workshop setting or a live
/// world if it has one.
pub fn check_version(version: u32, has_workshop: bool, has_live: bool) -> Result<(), WorldError> {
    if !(PLAIN_FORMAT_VERSION..=FORMAT_VERSION).contains(&version) {
        return Err(WorldError::Version {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    if has_workshop && version < WORKSHOP_FORMAT_VERSION {
        return Err(WorldError::WorkshopNeedsVersion(WORKSHOP_FORMAT_VERSION));
    }
    if has_live && version < LIVE_FORMAT_VERSION {
        return Err(WorldError::LiveNeedsVersion(LIVE_FORMAT_VERSION));
    }
    Ok(())
}

/// Whether a file of `version` can hold these inputs: the intercept's need version 4.
pub fn check_inputs_version<'a>(
    version: u32,
    mut inputs: impl Iterator<Item = &'a LearnerInput>,
) -> Result<(), WorldError> {
    if version < LIVE_INTERCEPT_FORMAT_VERSION && inputs.any(|i| i.is_live_intercept()) {
        return Err(WorldError::InterceptNeedsVersion(
            LIVE_INTERCEPT_FORMAT_VERSION,
        ));
    }
    Ok(())
}

/// A seed: a TOML integer when it fits one, otherwise a string of digits.
pub struct Seed(pub u64);

impl Serialize for Seed {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if i64::try_from(self.0).is_ok() {
            s.serialize_u64(self.0)
        } else {
            s.serialize_str(&self.0.to_string())
        }
    }
}

impl<'de> Deserialize<'de> for Seed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct SeedVisitor;
        impl Visitor<'_> for SeedVisitor {
            type Value = Seed;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a seed: a whole number from 0 to 18446744073709551615")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Seed, E> {
                Ok(Seed(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Seed, E> {
                u64::try_from(v)
                    .map(Seed)
                    .map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Seed, E> {
                v.parse()
                    .map(Seed)
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        d.deserialize_any(SeedVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actors::defenses::Profile;
    use crate::actors::well_known as wk;
    use crate::actors::{ActorId, UserAction};

    /// A world with differences, an attack and inputs of several kinds that all apply.
    fn busy_world() -> WorldSpec {
        let mut w = WorldSpec::parse(
            7,
            "rfc6749",
            &["iss-parameter".into()],
            &["state".into()],
            &["pkce=plain".into(), "code-lifetime=600".into()],
            None,
        )
        .unwrap();
        let mut sim = w.build();
        sim.run_to_len(3);
        sim.apply(LearnerInput::SetHold { on: true }).unwrap();
        while sim.held().is_empty() {
            sim.step().expect("a message to hold");
        }
        let id = sim.held()[0].id;
        sim.apply(LearnerInput::Forward { id }).unwrap();
        sim.apply(LearnerInput::SetHold { on: false }).unwrap();
        sim.run_to_len(12);
        sim.apply(LearnerInput::AdvanceClock { secs: 90 }).unwrap();
        let step = (sim.trace().steps.iter())
            .position(|s| s.kind == crate::sim::StepKind::Request)
            .expect("a request to replay");
        sim.apply(LearnerInput::Replay { step }).unwrap();
        sim.apply(LearnerInput::Act {
            to: ActorId::new(wk::BROWSER),
            action: UserAction::Navigate {
                url: "https://client.example/".into(),
            },
        })
        .unwrap();
        sim.apply(LearnerInput::SetHold { on: true }).unwrap();
        sim.apply(LearnerInput::HoldQueued).unwrap();
        sim.apply(LearnerInput::HoldOnlyTo {
            actor: Some(ActorId::new(wk::AS)),
        })
        .unwrap();
        sim.apply(LearnerInput::ForwardAll).unwrap();
        sim.apply(LearnerInput::SetHold { on: false }).unwrap();
        w.inputs = sim.inputs().to_vec();
        w
    }

    #[test]
    fn a_world_survives_toml_and_runs_the_same() {
        let w = busy_world();
        assert!(w.inputs.len() >= 6);
        let text = toml::to_string(&w).unwrap();
        assert!(
            text.starts_with("version = 1\nseed = 7\nprofile = \"rfc6749\"\n"),
            "{text}"
        );
        assert!(
            text.contains(r#"set = ["state=off", "pkce=plain", "iss-parameter=on"]"#),
            "{text}"
        );
        let back: WorldSpec = toml::from_str(&text).unwrap();
        assert_eq!(back, w);
        let (a, b) = (w.run().sim.into_trace(), back.run().sim.into_trace());
        assert_eq!(a, b);
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap()
        );
    }

    #[test]
    fn a_larger_file_can_carry_a_world_among_its_own_fields() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Scenario {
            title: String,
            #[serde(flatten)]
            world: WorldSpec,
        }
        let s = Scenario {
            title: "a busy morning".into(),
            world: busy_world(),
        };
        let text = toml::to_string(&s).unwrap();
        assert!(text.contains("title = \"a busy morning\""), "{text}");
        assert_eq!(toml::from_str::<Scenario>(&text).unwrap(), s);
    }

    #[test]
    fn a_world_with_an_attack_survives_json() {
        let mut w = WorldSpec::happy_path(u64::MAX, Profile::Naive);
        w.attack = Some(AttackId::parse("code-interception").unwrap());
        let toml_text = toml::to_string(&w).unwrap();
        assert!(
            toml_text.contains("seed = \"18446744073709551615\""),
            "{toml_text}"
        );
        assert_eq!(toml::from_str::<WorldSpec>(&toml_text).unwrap(), w);
        let json = serde_json::to_string(&w).unwrap();
        assert_eq!(serde_json::from_str::<WorldSpec>(&json).unwrap(), w);
    }

    #[test]
    fn a_hand_written_world_reads_and_mistakes_are_named() {
        let w: WorldSpec = toml::from_str(
            "version = 1\nseed = 3\nprofile = \"bcp\"\nset = [\"pkce=off\"]\n\
             [[inputs]]\nat = 4\ninput = \"advance_clock\"\nsecs = 60\n",
        )
        .unwrap();
        assert_eq!(w.describe(), "profile bcp, pkce off");
        assert_eq!(w.inputs, vec![(4, LearnerInput::AdvanceClock { secs: 60 })]);
        let err = |text: &str| toml::from_str::<WorldSpec>(text).unwrap_err().to_string();
        for (text, named) in [
            ("version = 5\nseed = 1\nprofile = \"bcp\"", "version 5"),
            (
                "version = 3\nseed = 1\nprofile = \"bcp\"\n\
                 [[inputs]]\nat = 0\ninput = \"hold_sent\"\nfrom = \"client\"\nto = \"as\"\n",
                "needs format version 4",
            ),
            (
                "version = 1\nseed = 1\nprofile = \"bcp\"\nposition = \"web-attacker\"",
                "version 2",
            ),
            (
                "version = 2\nseed = 1\nprofile = \"bcp\"\nposition = \"wizard\"",
                "wizard",
            ),
            (
                "version = 1\nseed = 1\nprofile = \"x\"",
                "unknown profile `x`",
            ),
            (
                "version = 1\nseed = 1\nprofile = \"bcp\"\nattack = \"x\"",
                "unknown attack `x`",
            ),
            (
                "version = 1\nseed = 1\nprofile = \"bcp\"\nset = [\"pkce\"]",
                "should be NAME=VALUE",
            ),
            ("version = 1\nseed = -1\nprofile = \"bcp\"", "a seed"),
        ] {
            let e = err(text);
            assert!(e.contains(named), "{text:?} should name {named:?}: {e}");
        }
    }
}
