//! The lesson file schema, as written in TOML (`lessons/README.md` documents it).
//!
//! Every table refuses unknown keys, and the values that later checks may complain
//! about keep their position in the file (`toml::Spanned`), so a problem is reported
//! as `file:line:column`.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use toml::Spanned;

/// One lesson file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonFile {
    /// A short slug: `pkce-code-interception`.
    pub id: Spanned<String>,
    /// Its place in the course (`oauth-lab learn 4`).
    pub number: Option<Spanned<u32>>,
    pub title: String,
    /// `beginner`, `intermediate` or `advanced`.
    pub level: Spanned<String>,
    /// How long it takes, in words: `15 min`.
    pub duration: String,
    /// One paragraph shown in the lesson list and at the start.
    #[serde(default)]
    pub summary: String,
    pub goals: Vec<String>,
    /// RFC sections and book pointers ("OAuth 2 in Action, ch. 7"): pointers only.
    pub references: Vec<String>,
    /// The world the lesson runs.
    pub world: WorldFile,
    /// More worlds, each starting from `world`, that parts can switch to by name.
    #[serde(default)]
    pub worlds: BTreeMap<String, WorldFile>,
    /// The parts, in order (`[[part]]`).
    #[serde(rename = "part")]
    pub parts: Vec<Spanned<PartFile>>,
}

/// The world a lesson (or a part) runs: a profile, toggles, an attack, a seed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorldFile {
    /// `naive`, `rfc6749` or `bcp`.
    pub profile: Option<Spanned<String>>,
    #[serde(default)]
    pub enable: Vec<Spanned<String>>,
    #[serde(default)]
    pub disable: Vec<Spanned<String>>,
    /// `NAME=VALUE`, as `--set`: `pkce=plain`, `redirect-matching=prefix`.
    #[serde(default)]
    pub set: Vec<Spanned<String>>,
    /// An attack from the catalog (`"none"` in a named world removes the main one).
    pub attack: Option<Spanned<String>>,
    pub seed: Option<u64>,
    /// A scenario file (relative to the lesson file) whose world, with its inputs, this
    /// world is; the keys above are then left out.
    pub scenario: Option<Spanned<String>>,
}

/// One part, as written: `kind` says which fields it may have.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartFile {
    /// `narration`, `predict`, `quiz`, `checkpoint` or `try`.
    pub kind: Spanned<String>,
    /// The named world this part runs in (default: the lesson's `world`).
    pub world: Option<Spanned<String>>,
    /// The step the part is about.
    pub step: Option<Spanned<StepRef>>,
    /// Narration: the last step of a range that starts at `step`.
    pub until: Option<Spanned<StepRef>>,
    /// Predict: the question is asked before this step is delivered.
    pub before: Option<Spanned<StepRef>>,
    /// Narration text.
    pub text: Option<Spanned<String>>,
    /// Predict and quiz: the question.
    pub question: Option<Spanned<String>>,
    /// Predict: what the simulation computes as the answer.
    pub compute: Option<Spanned<String>>,
    /// Predict: the choices offered; the computed answer must be one of them.
    pub choices: Option<Vec<Spanned<String>>>,
    /// Predict: shown after the answer.
    pub explanation: Option<Spanned<String>>,
    /// Quiz: the options, each with an explanation.
    pub options: Option<Vec<Spanned<OptionFile>>>,
    /// Checkpoint (the assertion), predict with `compute = "check"`, try (what
    /// recognises that it has been done).
    pub check: Option<Spanned<CheckFile>>,
    /// Try: what the learner is asked to do.
    pub instruction: Option<Spanned<String>>,
    /// Try: the world the learner should reach.
    pub target: Option<Spanned<TargetFile>>,
    /// Try: a hint shown on request.
    pub hint: Option<Spanned<String>>,
    /// Try: learner inputs that do it (used by `lessons check` and tests).
    pub solution: Option<Vec<Spanned<SolutionFile>>>,
}

/// A quiz option.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionFile {
    pub text: String,
    #[serde(default)]
    pub correct: bool,
    pub explain: Option<String>,
}

/// What the learner's world should look like when a try is done.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetFile {
    pub profile: Option<Spanned<String>>,
    #[serde(default)]
    pub enable: Vec<Spanned<String>>,
    #[serde(default)]
    pub disable: Vec<Spanned<String>>,
    #[serde(default)]
    pub set: Vec<Spanned<String>>,
    /// The attack the learner should have launched (`"none"`: no attack).
    pub attack: Option<Spanned<String>>,
    /// Kinds of learner input that must have been applied: `edit`, `replay`, `drop`,
    /// `forward`, `hold`, `advance-clock`, `act`.
    #[serde(default)]
    pub inputs: Vec<Spanned<String>>,
}

/// One learner input of a try's solution.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SolutionFile {
    /// Applied right after this step is recorded.
    pub after: Spanned<StepRef>,
    /// Send the message of this step again.
    pub replay: Option<Spanned<StepRef>>,
    /// Advance the simulated clock by this many seconds.
    pub advance_clock: Option<u64>,
}

/// An assertion over the trace (see `lessons/README.md`, "Checkpoints").
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckFile {
    /// The assertion in words, shown to the learner.
    pub says: Option<String>,
    pub step: Option<Spanned<StepRef>>,
    pub exists: Option<bool>,
    pub status: Option<u16>,
    pub param: Option<Spanned<String>>,
    #[serde(rename = "in")]
    pub place: Option<Spanned<String>>,
    pub header: Option<String>,
    pub jwt: Option<String>,
    pub claim: Option<String>,
    pub jwt_header: Option<String>,
    pub value: Option<String>,
    pub contains: Option<String>,
    pub absent: Option<bool>,
    pub error: Option<String>,
    pub annotation: Option<String>,
    pub summary: Option<String>,
    pub wire: Option<String>,
    pub verdict: Option<Spanned<String>>,
    pub by: Option<String>,
    pub at: Option<Spanned<StepRef>>,
    pub defense: Option<Spanned<String>>,
    pub is: Option<Spanned<String>>,
    pub attack: Option<Spanned<String>>,
    pub input: Option<Spanned<String>>,
    pub succeeding: Option<Vec<Spanned<String>>>,
    pub succeeding_count: Option<usize>,
    pub all: Option<Vec<Spanned<CheckFile>>>,
    pub any: Option<Vec<Spanned<CheckFile>>>,
    pub not: Option<Box<Spanned<CheckFile>>>,
}

/// A reference to a step: its index, or (better) a locator that finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepRef {
    Index(usize),
    Locate(Box<Locator>),
}

/// Finds a step by what it is rather than where it is, so lessons survive small
/// changes of the trace. Every given field must match; `nth` picks among matches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Locator {
    pub from: Option<String>,
    pub to: Option<String>,
    /// `METHOD /path`: a request with this method and URL path (`POST /token`).
    pub request: Option<String>,
    /// A response with this status.
    pub status: Option<u16>,
    /// `request`, `response`, `event`, `observed`.
    pub kind: Option<String>,
    /// `honest`, `attacker`, `learner`.
    pub origin: Option<String>,
    /// Text the step's one-line summary contains.
    pub summary: Option<String>,
    /// Text the step's annotation contains (case-insensitive).
    pub annotation: Option<String>,
    /// A parameter the message carries (query, form, location or JSON).
    pub has: Option<String>,
    /// Instead of the matched request, the response to it.
    #[serde(default)]
    pub reply: bool,
    /// Which match: 1 = first (default), 2 = second, -1 = last.
    pub nth: Option<i64>,
}

impl<'de> Deserialize<'de> for StepRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = StepRef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a step index (integer) or a locator table such as { to = \"as\", request = \"POST /token\" }")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<StepRef, E> {
                usize::try_from(v)
                    .map(StepRef::Index)
                    .map_err(|_| E::custom("a step index cannot be negative"))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<StepRef, E> {
                Ok(StepRef::Index(v as usize))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<StepRef, A::Error> {
                Locator::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|l| StepRef::Locate(Box::new(l)))
            }
        }
        d.deserialize_any(V)
    }
}

impl fmt::Display for StepRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepRef::Index(i) => write!(f, "step {i}"),
            StepRef::Locate(l) => write!(f, "{l}"),
        }
    }
}

impl fmt::Display for Locator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        let mut s = |k: &str, v: &Option<String>| {
            if let Some(v) = v {
                parts.push(format!("{k} = {v:?}"));
            }
        };
        s("from", &self.from);
        s("to", &self.to);
        s("request", &self.request);
        s("kind", &self.kind);
        s("origin", &self.origin);
        s("summary", &self.summary);
        s("annotation", &self.annotation);
        s("has", &self.has);
        if let Some(st) = self.status {
            parts.push(format!("status = {st}"));
        }
        if self.reply {
            parts.push("reply = true".into());
        }
        if let Some(n) = self.nth {
            parts.push(format!("nth = {n}"));
        }
        write!(f, "{{ {} }}", parts.join(", "))
    }
}
