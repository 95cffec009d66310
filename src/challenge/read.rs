//! Reading and checking a challenge file: every problem is reported as
//! `file:line:column: problem`, and a file with any problem gives no challenge.

use std::ops::Range;

use toml::Spanned;

use super::file::{ChallengeFile, DeploymentFile, FixFile};
use super::model::{Challenge, Debrief, Hint};
use crate::actors::defenses::Defenses;
use crate::files::source::{Diagnostic, Report, Source, is_file_id};
use crate::lesson::world::apply_toggles;
use crate::workshop::{Position, Quirk, Setting};
use crate::world::WorldSpec;
use crate::world::changes::parse_profile;

/// The largest challenge file read (1 MiB); larger ones are refused before parsing.
pub const CHALLENGE_FILE_LIMIT: u64 = 1 << 20;

/// The seed of a deployment that names none.
pub const DEFAULT_SEED: u64 = crate::sim::world::DEFAULT_SEED;

/// Reads and checks a challenge.
pub fn load(source: &Source) -> Result<Challenge, Vec<Diagnostic>> {
    let raw: ChallengeFile = toml::from_str(&source.text)
        .map_err(|e| vec![source.diagnostic(e.span(), e.message().trim_end())])?;
    let mut report = Report::new(source);
    let challenge = check(&raw, source, &mut report);
    match challenge {
        Some(c) if report.diagnostics.is_empty() => Ok(c),
        _ => Err(report.diagnostics),
    }
}

fn span<T>(s: &Spanned<T>) -> Option<Range<usize>> {
    Some(s.span())
}

/// A text that must say something.
fn text(s: &Spanned<String>, what: &str, report: &mut Report) -> String {
    if s.get_ref().trim().is_empty() {
        report.error(span(s), format!("{what} is empty"));
    }
    s.get_ref().trim().to_string()
}

fn check(raw: &ChallengeFile, source: &Source, report: &mut Report) -> Option<Challenge> {
    let id = raw.id.get_ref();
    if !is_file_id(id) {
        report.error(
            span(&raw.id),
            format!("id `{id}` should be lower-case letters, digits and dashes"),
        );
    }
    let stem = std::path::Path::new(&source.name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if stem != id && source.name.ends_with(".toml") {
        report.error(
            span(&raw.id),
            format!("id `{id}` differs from the file name `{stem}.toml`"),
        );
    }
    let title = text(&raw.title, "the title", report);
    let difficulty = *raw.difficulty.get_ref();
    if !(1..=3).contains(&difficulty) {
        report.error(
            span(&raw.difficulty),
            format!("difficulty {difficulty} should be 1, 2 or 3"),
        );
    }
    let points = *raw.points.get_ref();
    if points == 0 {
        report.error(span(&raw.points), "points should be more than 0");
    }
    let b = raw.briefing.get_ref();
    let story = text(&b.story, "the story", report);
    let goal_words = text(&b.goal, "the goal", report);
    let position = Position::parse(b.position.get_ref());
    if position.is_none() {
        let names: Vec<&str> = Position::ALL.iter().map(|p| p.name()).collect();
        report.error(
            span(&b.position),
            format!(
                "unknown position `{}`; valid: {}",
                b.position.get_ref(),
                names.join(", ")
            ),
        );
    }
    let deployment = raw.deployment.get_ref();
    let defenses = deployment_defenses(deployment, report);
    let quirks = quirks(deployment, position, report);
    let goals = goals(raw, report);
    let hints = hints(raw, points, report);
    let d = raw.debrief.get_ref();
    let what = text(&d.what, "the debrief's `what`", report);
    let references: Vec<String> = (d.references.get_ref().iter())
        .map(|r| text(r, "a reference", report))
        .collect();
    if references.is_empty() {
        report.error(span(&d.references), "the debrief names no RFC section");
    }
    let (defenses, position) = (defenses?, position?);
    let (fixed, fix_words) = fix(d.fix.get_ref(), &defenses, report);
    if fixed == defenses {
        report.error(span(&d.fix), "the fix changes no defense of the deployment");
    }
    let mut world = WorldSpec::happy_path(
        deployment
            .seed
            .as_ref()
            .map_or(DEFAULT_SEED, |s| *s.get_ref()),
        parse_profile(deployment.profile.get_ref()).ok()?,
    );
    world.defenses = defenses;
    world.workshop = Some(Setting { position, quirks });
    Some(Challenge {
        id: id.clone(),
        title,
        difficulty,
        points,
        story,
        position,
        goal_words,
        goals,
        hints,
        world,
        fixed,
        debrief: Debrief {
            what,
            fix_words,
            references,
        },
        file: source.name.clone(),
    })
}

fn deployment_defenses(d: &DeploymentFile, report: &mut Report) -> Option<Defenses> {
    let profile = parse_profile(d.profile.get_ref())
        .map_err(|e| report.error(span(&d.profile), e.to_string()))
        .ok()?;
    let mut defenses = profile.defenses();
    apply_toggles(&mut defenses, &d.enable, &d.disable, &d.set, report);
    Some(defenses)
}

fn quirks(d: &DeploymentFile, position: Option<Position>, report: &mut Report) -> Vec<Quirk> {
    let mut out = Vec::new();
    for q in &d.quirks {
        match Quirk::parse(q.get_ref()) {
            Some(quirk) => {
                if let Some(p) = position
                    && !quirk.fits(p)
                {
                    let world = if p.on_the_phone() {
                        "the phone"
                    } else {
                        "the web client"
                    };
                    report.error(
                        span(q),
                        format!(
                            "the quirk `{}` has no party to change in the world of {} ({world})",
                            quirk.name(),
                            p.name()
                        ),
                    );
                }
                out.push(quirk);
            }
            None => {
                let names: Vec<&str> = Quirk::ALL.iter().map(|q| q.name()).collect();
                report.error(
                    span(q),
                    format!(
                        "unknown quirk `{}`; valid: {}",
                        q.get_ref(),
                        names.join(", ")
                    ),
                );
            }
        }
    }
    out
}

fn goals(raw: &ChallengeFile, report: &mut Report) -> Vec<&'static dyn crate::attacks::Attack> {
    if raw.goals.get_ref().is_empty() {
        report.error(
            span(&raw.goals),
            "no goal: name at least one catalog attack whose goal solves it",
        );
    }
    (raw.goals.get_ref().iter())
        .filter_map(|g| {
            let found = crate::attacks::find(g.get_ref());
            if found.is_none() {
                let why = format!(
                    "unknown goal `{}`; valid: the attack ids of `oauth-lab attacks list`",
                    g.get_ref()
                );
                report.error(span(g), why);
            }
            found
        })
        .collect()
}

fn hints(raw: &ChallengeFile, points: u32, report: &mut Report) -> Vec<Hint> {
    let hints: Vec<Hint> = (raw.hints.iter())
        .map(|h| Hint {
            text: text(&h.get_ref().text, "a hint", report),
            cost: *h.get_ref().cost.get_ref(),
        })
        .collect();
    if hints.is_empty() {
        report.error(span(&raw.points), "the challenge has no hint");
    }
    let total: u32 = hints.iter().map(|h| h.cost).sum();
    if total >= points
        && let Some(last) = raw.hints.last()
    {
        report.error(
            span(&last.get_ref().cost),
            format!(
                "the hints cost {total} points in all, not less than the {points} a solution earns"
            ),
        );
    }
    hints
}

/// The deployment's defenses with the fix applied, and the fix in words.
fn fix(f: &FixFile, deployment: &Defenses, report: &mut Report) -> (Defenses, Vec<String>) {
    let mut fixed = deployment.clone();
    apply_toggles(&mut fixed, &f.enable, &f.disable, &f.set, report);
    let words = (f.enable.iter().map(|e| format!("enable {}", e.get_ref())))
        .chain(f.disable.iter().map(|e| format!("disable {}", e.get_ref())))
        .chain(f.set.iter().map(|e| format!("set {}", e.get_ref())))
        .collect();
    (fixed, words)
}
