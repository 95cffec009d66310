//! The file form of a challenge (`challenges/*.toml`, format in docs/challenges.md):
//! every value that may be wrong keeps its place in the file, so that a problem is
//! reported as `file:line:column`.

use serde::Deserialize;
use toml::Spanned;

/// A challenge file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChallengeFile {
    pub id: Spanned<String>,
    pub title: Spanned<String>,
    /// 1 (warm-up) to 3 (hard).
    pub difficulty: Spanned<u32>,
    /// What a solution earns before hints are paid for.
    pub points: Spanned<u32>,
    pub briefing: Spanned<BriefingFile>,
    /// Never shown before the challenge is solved.
    pub deployment: Spanned<DeploymentFile>,
    /// Catalog attack ids whose goal predicates solve it (any one).
    pub goals: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    pub hints: Vec<Spanned<HintFile>>,
    /// Never shown before the challenge is solved.
    pub debrief: Spanned<DebriefFile>,
}

/// What the learner is told.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BriefingFile {
    pub story: Spanned<String>,
    /// Where the learner's attacker sits (`web-attacker`, `response-reader`, …).
    pub position: Spanned<String>,
    /// The goal, in plain words.
    pub goal: Spanned<String>,
}

/// The undisclosed deployment: defenses as a profile and changes, and quirks.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeploymentFile {
    #[serde(default)]
    pub seed: Option<Spanned<u64>>,
    pub profile: Spanned<String>,
    #[serde(default)]
    pub enable: Vec<Spanned<String>>,
    #[serde(default)]
    pub disable: Vec<Spanned<String>>,
    #[serde(default)]
    pub set: Vec<Spanned<String>>,
    #[serde(default)]
    pub quirks: Vec<Spanned<String>>,
}

/// One hint.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HintFile {
    pub text: Spanned<String>,
    pub cost: Spanned<u32>,
}

/// What the learner reads once it is solved.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DebriefFile {
    /// What was wrong.
    pub what: Spanned<String>,
    /// The fix, as defense changes to the deployment.
    pub fix: Spanned<FixFile>,
    /// The RFC sections.
    pub references: Spanned<Vec<Spanned<String>>>,
}

/// The fix: defense changes, as a lesson's world takes them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixFile {
    #[serde(default)]
    pub enable: Vec<Spanned<String>>,
    #[serde(default)]
    pub disable: Vec<Spanned<String>>,
    #[serde(default)]
    pub set: Vec<Spanned<String>>,
}
