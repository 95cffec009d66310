//! Reading a scenario file. Every problem is reported as `file:line:column: problem`
//! (unknown keys, an unknown profile, defense or attack, an input that cannot be read
//! or that the world cannot take, a step the run never reaches), and nothing is
//! half-loaded: a file with any problem gives no scenario.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::check::{Problem, check};
use super::model::{Bookmark, Scenario};
use crate::files::regular_file::read_regular_text;
use crate::files::source::{Diagnostic, Report, Source};
use crate::workshop::{Position, Quirk, Setting};
use crate::world::WorldError;
use crate::world::changes::{apply_changes, parse_profile};
use crate::world::file::{InputAt, Seed, check_inputs_version, check_version};
use crate::world::{AttackId, LiveSite, WorldSpec};

/// The largest scenario file read (1 MiB); larger ones are refused before parsing.
pub const SCENARIO_FILE_LIMIT: u64 = 1 << 20;

/// The file as written, each value that may be wrong with its place in the file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioToml {
    version: Spanned<u32>,
    title: Option<String>,
    notes: Option<String>,
    seed: Spanned<Seed>,
    profile: Spanned<String>,
    attack: Option<Spanned<String>>,
    position: Option<Spanned<String>>,
    #[serde(default)]
    quirks: Vec<Spanned<String>>,
    #[serde(default)]
    set: Vec<Spanned<String>>,
    live: Option<Spanned<LiveSite>>,
    selected: Option<Spanned<usize>>,
    #[serde(default)]
    bookmarks: Vec<BookmarkToml>,
    /// Read as tables first, so that each keeps its place (and each of its values),
    /// and its unknown keys show.
    #[serde(default)]
    inputs: Vec<Spanned<InputTable>>,
}

/// One `[[bookmarks]]` table as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BookmarkToml {
    name: String,
    step: Spanned<usize>,
}

/// One `[[inputs]]` table as written.
type InputTable = BTreeMap<String, Spanned<toml::Value>>;

/// Why a scenario file cannot be used: every problem found, each at its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError(pub Vec<Diagnostic>);

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.0.iter().map(Diagnostic::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for ScenarioError {}

/// Reads a scenario file: a regular file of at most [`SCENARIO_FILE_LIMIT`] bytes of
/// UTF-8 text (a FIFO or a device is refused without waiting on it).
pub fn load_file(path: &Path) -> Result<Scenario, ScenarioError> {
    let name = path.display().to_string();
    match read_regular_text(path, SCENARIO_FILE_LIMIT) {
        Ok(text) => parse(&Source::new(name, text)),
        Err(e) => Err(ScenarioError(vec![
            Source::new(name, "").diagnostic(None, format!("cannot read the file: {e}")),
        ])),
    }
}

/// Reads a scenario from its text, checking the world and replaying every input.
pub fn parse(source: &Source) -> Result<Scenario, ScenarioError> {
    let raw: ScenarioToml = toml::from_str(&source.text)
        .map_err(|e| ScenarioError(vec![source.diagnostic(e.span(), e.message().trim_end())]))?;
    let mut report = Report::new(source);
    let world = read_world(&raw, &mut report);
    let scenario = match world {
        Some(world) if report.diagnostics.is_empty() => Scenario {
            title: raw.title,
            notes: raw.notes,
            world,
            selected: raw.selected.as_ref().map_or(0, |s| *s.get_ref()),
            bookmarks: (raw.bookmarks.iter())
                .map(|b| Bookmark {
                    name: b.name.clone(),
                    step: *b.step.get_ref(),
                })
                .collect(),
        },
        _ => return Err(ScenarioError(report.diagnostics)),
    };
    for problem in check(&scenario) {
        let (span, message) = match problem {
            Problem::Input {
                index,
                key,
                message,
            } => (raw.inputs.get(index).map(|t| span_of(t, key)), message),
            Problem::Selected(message) => (raw.selected.as_ref().map(Spanned::span), message),
            Problem::Bookmark { index, message } => {
                (raw.bookmarks.get(index).map(|b| b.step.span()), message)
            }
        };
        report.error(span, message);
    }
    if report.diagnostics.is_empty() {
        Ok(scenario)
    } else {
        Err(ScenarioError(report.diagnostics))
    }
}

/// The world of the file (version, profile, changes, attack, inputs), or `None` when
/// a part of it could not be read; each problem is reported at its place.
fn read_world(raw: &ScenarioToml, report: &mut Report) -> Option<WorldSpec> {
    let version = *raw.version.get_ref();
    let has_workshop = raw.position.is_some() || !raw.quirks.is_empty();
    match check_version(version, has_workshop, raw.live.is_some()) {
        Err(WorldError::Version { found, supported }) => {
            let why = format!(
                "unsupported scenario file version {found}; this build reads versions 1 to {supported}"
            );
            report.error(Some(raw.version.span()), why);
        }
        Err(e) => report.error(Some(raw.version.span()), e.to_string()),
        Ok(()) => {}
    }
    let workshop = read_workshop(raw, report);
    let profile = parse_profile(raw.profile.get_ref())
        .map_err(|e| report.error(Some(raw.profile.span()), e.to_string()))
        .ok();
    let mut defenses = profile.map(|p| p.defenses()).unwrap_or_default();
    apply_changes(
        &mut defenses,
        &[],
        &[],
        &raw.set,
        |s| s.get_ref().as_str(),
        |s, e| report.error(Some(s.span()), e.to_string()),
    );
    let attack = match &raw.attack {
        Some(a) => AttackId::parse(a.get_ref())
            .map(Some)
            .map_err(|e| report.error(Some(a.span()), e.to_string()))
            .ok()?,
        None => None,
    };
    let live = read_live(raw, report)?;
    let inputs: Vec<_> = raw
        .inputs
        .iter()
        .filter_map(|t| read_input(t, report))
        .collect();
    if let Err(e) = check_inputs_version(version, inputs.iter().map(|(_, i)| i)) {
        report.error(Some(raw.version.span()), e.to_string());
    }
    Some(WorldSpec {
        seed: raw.seed.get_ref().0,
        profile: profile?,
        defenses,
        attack,
        workshop: workshop?,
        live,
        inputs,
    })
}

/// Reports `item` as an unknown `what` at its place, with the `valid` names.
fn unknown<'a>(
    report: &mut Report,
    item: &Spanned<String>,
    what: &str,
    valid: impl Iterator<Item = &'a str>,
) {
    let names: Vec<&str> = valid.collect();
    let why = format!(
        "unknown {what} `{}`; valid: {}",
        item.get_ref(),
        names.join(", ")
    );
    report.error(Some(item.span()), why);
}

/// The workshop setting of the file (`position`, `quirks`): `Some(None)` when it has
/// none, `None` when a part could not be read (each problem reported at its place).
fn read_workshop(raw: &ScenarioToml, report: &mut Report) -> Option<Option<Setting>> {
    let mut ok = true;
    let quirks: Vec<Quirk> = (raw.quirks.iter())
        .filter_map(|q| {
            let found = Quirk::parse(q.get_ref());
            if found.is_none() {
                ok = false;
                unknown(report, q, "quirk", Quirk::ALL.iter().map(|q| q.name()));
            }
            found
        })
        .collect();
    let Some(p) = &raw.position else {
        if let Some(q) = raw.quirks.first() {
            report.error(
                Some(q.span()),
                WorldError::QuirksWithoutPosition.to_string(),
            );
            return None;
        }
        return Some(None);
    };
    let Some(position) = Position::parse(p.get_ref()) else {
        unknown(
            report,
            p,
            "position",
            Position::ALL.iter().map(|p| p.name()),
        );
        return None;
    };
    ok.then_some(Some(Setting { position, quirks }))
}

/// The recorded live world of the file (`[live]`), if it has one: `Some(None)` when it
/// has none, `None` when it cannot be used (the problem reported at its place).
fn read_live(raw: &ScenarioToml, report: &mut Report) -> Option<Option<Box<LiveSite>>> {
    let Some(site) = &raw.live else {
        return Some(None);
    };
    let scripted = raw.attack.as_ref().map(Spanned::span);
    let scripted = scripted.or(raw.position.as_ref().map(Spanned::span));
    let problem = match (scripted, site.get_ref().check()) {
        (Some(span), _) => Some((span, WorldError::LiveWithScript)),
        (None, Err(e)) => Some((site.span(), e)),
        (None, Ok(())) => None,
    };
    match problem {
        Some((span, e)) => {
            report.error(Some(span), e.to_string());
            None
        }
        None => Some(Some(Box::new(site.get_ref().clone()))),
    }
}

/// One `[[inputs]]` table: its step and its input, with no key the input does not have.
fn read_input(
    table: &Spanned<InputTable>,
    report: &mut Report,
) -> Option<(usize, crate::sim::LearnerInput)> {
    let span = Some(table.span());
    let plain: toml::Table = (table.get_ref().iter())
        .map(|(k, v)| (k.clone(), v.get_ref().clone()))
        .collect();
    let value = toml::Value::Table(plain);
    let read = match InputAt::deserialize(value) {
        Ok(read) => read,
        Err(e) => {
            let why = e.message().trim_end().to_string();
            report.error(span, format!("this input cannot be read: {why}"));
            return None;
        }
    };
    // The keys the input has, as it would be written: any other key is unknown.
    let known = toml::Table::try_from(&read).unwrap_or_default();
    let unknown: Vec<&String> = (table.get_ref().keys())
        .filter(|k| !known.contains_key(*k))
        .collect();
    if let Some(key) = unknown.first() {
        let span = Some(span_of(table, Some(key.as_str())));
        let mut keys: Vec<&String> = known.keys().collect();
        keys.sort();
        let keys: Vec<&str> = keys.into_iter().map(String::as_str).collect();
        report.error(
            span,
            format!(
                "unknown key `{key}` in this `{}` input; its keys are: {}",
                input_name(&known),
                keys.join(", ")
            ),
        );
        return None;
    }
    Some((read.at, read.input))
}

/// Where `key`'s value is in an input table (the table itself without the key).
fn span_of(table: &Spanned<InputTable>, key: Option<&str>) -> Range<usize> {
    key.and_then(|k| table.get_ref().get(k))
        .map_or(table.span(), Spanned::span)
}

/// The `input = "…"` name of an input as written.
fn input_name(table: &toml::Table) -> &str {
    table
        .get("input")
        .and_then(toml::Value::as_str)
        .unwrap_or("?")
}
