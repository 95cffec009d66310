//! The one diagram model every export draws: lanes, one row per trace step (arrow or
//! event), the marks on learner and attacker messages, the verdict at the step where it
//! happened, optional notes and the legend. It is built from the trace alone (and the
//! attack's verdict, itself computed from the finished run), so every format carries the
//! same facts.

use crate::actors::ActorKind;
use crate::attacks::Verdict;
use crate::sim::{Channel, Origin, Step, StepKind, Trace};
use crate::world::WorldSpec;

/// How much narration goes with each step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Notes {
    /// Arrows only.
    None,
    /// The first sentence of what the receiver did.
    #[default]
    Short,
    /// Everything the receiver noted.
    Full,
}

/// The world the run happened in, as the learner chose it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorldSummary {
    pub profile: String,
    /// `name value` for each defense that differs from the profile.
    pub differences: Vec<String>,
    pub seed: u64,
    /// The attack's id, title and goal, when the run is an attack.
    pub attack: Option<(String, String, String)>,
}

impl WorldSummary {
    /// The world a [`WorldSpec`] describes.
    pub fn of(spec: &WorldSpec) -> WorldSummary {
        WorldSummary {
            profile: spec.profile.name().to_string(),
            differences: spec.differences(),
            seed: spec.seed,
            attack: spec.attack.map(|a| {
                let info = a.attack().info();
                (info.id.into(), info.title.into(), info.goal.into())
            }),
        }
    }

    /// `profile bcp, pkce off, seed 2026`.
    pub fn line(&self) -> String {
        let mut parts = vec![format!("profile {}", self.profile)];
        parts.extend(self.differences.iter().cloned());
        parts.push(format!("seed {}", self.seed));
        parts.join(", ")
    }
}

/// A vertical lane: one actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    /// The actor id on the bus (`browser`, `as`, …).
    pub id: String,
    /// What the actor is (`Alice's browser`, …).
    pub label: String,
    /// Whether the attacker is or controls this actor.
    pub attacker: bool,
}

/// How an arrow is drawn (the legend names each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    /// Through the browser (RFC 6749 §1.3.1): a solid arrow.
    Front,
    /// Server to server: a dashed arrow.
    Back,
    /// A copy an attacker's interceptor saw (RFC 9700 §3): a dotted arrow.
    Observed,
}

/// Who sent or altered a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Honest,
    /// ✎ the learner edited or replayed it.
    Learner,
    /// ⚠ the attacker sent or altered it.
    Attacker,
}

impl Mark {
    /// The symbol put before a marked label.
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Honest => "",
            Mark::Learner => "✎",
            Mark::Attacker => "⚠",
        }
    }
}

/// What a row shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A delivered message: an arrow from lane to lane.
    Message { from: usize, to: usize, line: Line },
    /// Not a message (a person acts, time passes): a note over `lanes` (all lanes when
    /// `None`).
    Event { lanes: Option<(usize, usize)> },
}

/// One step of the trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The trace's step index (what `BLOCKED at step N` counts).
    pub step: usize,
    pub kind: RowKind,
    pub mark: Mark,
    /// Method or status and a short target: `GET /authorize?…`, `302 → client.example/cb?…`.
    pub label: String,
    /// The narration chosen with [`Notes`] (empty for none).
    pub note: String,
    pub is_request: bool,
}

impl Row {
    /// `12 · ⚠ GET /cb?…`: the step number, the mark and the label.
    pub fn title(&self) -> String {
        match self.mark {
            Mark::Honest => format!("{} · {}", self.step, self.label),
            m => format!("{} · {} {}", self.step, m.symbol(), self.label),
        }
    }
}

/// How the attack ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Succeeded,
    Blocked,
    /// The honest flow was refused before the attacker's first move.
    FailedBeforeAttack,
}

/// The verdict, drawn under the row where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerdictMark {
    /// The step it is drawn after.
    pub after_step: usize,
    pub outcome: Outcome,
    /// `SUCCEEDED`, `BLOCKED at step 12`, `FAILED before the attack, at step 3`.
    pub headline: String,
    /// The goal reached, or who refused what.
    pub detail: String,
}

impl VerdictMark {
    /// `headline — detail`.
    pub fn line(&self) -> String {
        format!("{} — {}", self.headline, self.detail)
    }
}

/// What the whole diagram shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagram {
    pub title: String,
    pub world: WorldSummary,
    pub lanes: Vec<Lane>,
    pub rows: Vec<Row>,
    pub verdict: Option<VerdictMark>,
}

/// A legend entry: what to draw, and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LegendKey {
    Line(Line),
    Mark(Mark),
    AttackerBand,
    Verdict,
}

/// The legend every format shows, in this order.
pub const LEGEND: &[(LegendKey, &str)] = &[
    (
        LegendKey::Line(Line::Front),
        "solid arrow: front channel, through Alice's browser (redirects, pages, forms)",
    ),
    (
        LegendKey::Line(Line::Back),
        "dashed arrow: back channel, server to server (the browser never sees it)",
    ),
    (
        LegendKey::Line(Line::Observed),
        "dotted arrow: a copy an attacker's interceptor observed",
    ),
    (
        LegendKey::Mark(Mark::Learner),
        "✎ a message the learner edited or replayed",
    ),
    (
        LegendKey::Mark(Mark::Attacker),
        "⚠ a message the attacker sent or altered",
    ),
    (LegendKey::AttackerBand, "shaded band: the attacker's steps"),
    (
        LegendKey::Verdict,
        "verdict: SUCCEEDED, or BLOCKED at the refused step",
    ),
];

/// Lane order: the user's side first, the servers, then whoever else, attackers last.
fn lane_rank(kind: ActorKind, attacker: bool) -> u8 {
    if attacker {
        return 6;
    }
    match kind {
        ActorKind::Browser => 0,
        ActorKind::NativeApp => 1,
        ActorKind::Client => 2,
        ActorKind::AuthorizationServer => 3,
        ActorKind::ResourceServer => 4,
        ActorKind::Site => 5,
        ActorKind::Attacker => 6,
    }
}

fn lanes_of(trace: &Trace) -> Vec<Lane> {
    let mut actors: Vec<_> = trace.actors.iter().collect();
    actors.sort_by_key(|a| lane_rank(a.kind, a.attacker || a.kind.is_attacker()));
    let mut lanes: Vec<Lane> = actors
        .into_iter()
        .map(|a| Lane {
            id: a.id.as_str().to_string(),
            label: a.label.clone(),
            attacker: a.attacker || a.kind.is_attacker(),
        })
        .collect();
    // An id that appears in a message but was never listed still gets a lane.
    for s in trace.steps.iter().filter(|s| s.kind != StepKind::Event) {
        for id in [&s.from, &s.to] {
            if !lanes.iter().any(|l| l.id == id.as_str()) {
                lanes.push(Lane {
                    id: id.as_str().to_string(),
                    label: id.as_str().to_string(),
                    attacker: s.origin == Origin::Attacker,
                });
            }
        }
    }
    lanes
}

/// The path of a URL with `?…` when it had a query: `/authorize?…`.
fn short_target(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let path = rest.find('/').map(|i| &rest[i..]).unwrap_or("/");
    match path.split_once('?') {
        Some((p, _)) => format!("{p}?…"),
        None => path.to_string(),
    }
}

/// Method or status and a short target.
fn label_of(step: &Step) -> String {
    let d = &*step.decoded;
    let label = match (&d.method, &d.url, d.status) {
        (Some(m), Some(u), _) => format!("{m} {}", short_target(u)),
        (_, _, Some(status)) => match d.header("location") {
            Some(loc) => {
                let host = loc
                    .split_once("://")
                    .map(|(_, r)| r.split('/').next().unwrap_or(""))
                    .unwrap_or("");
                format!("{status} → {host}{}", short_target(loc))
            }
            None => step.summary.to_string(),
        },
        _ => step.summary.to_string(),
    };
    super::escape::truncate(&super::escape::one_line(&label), 56)
}

/// The first sentence of the annotation (short notes) or all of it (full notes).
fn note_of(step: &Step, notes: Notes) -> String {
    let text = super::escape::one_line(step.annotation.trim());
    match notes {
        Notes::None => String::new(),
        Notes::Full => text,
        Notes::Short => match text.find(". ") {
            Some(i) => text[..=i].to_string(),
            None => text,
        },
    }
}

fn mark_of(origin: Origin) -> Mark {
    match origin {
        Origin::Honest => Mark::Honest,
        Origin::Learner => Mark::Learner,
        Origin::Attacker => Mark::Attacker,
    }
}

fn row_of(step: &Step, lanes: &[Lane], notes: Notes) -> Row {
    let lane = |id: &str| lanes.iter().position(|l| l.id == id);
    let kind = match step.kind {
        StepKind::Event => RowKind::Event {
            lanes: match (lane(step.from.as_str()), lane(step.to.as_str())) {
                (Some(a), Some(b)) => Some((a.min(b), a.max(b))),
                (Some(a), None) | (None, Some(a)) => Some((a, a)),
                (None, None) => None,
            },
        },
        kind => RowKind::Message {
            from: lane(step.from.as_str()).unwrap_or(0),
            to: lane(step.to.as_str()).unwrap_or(0),
            line: match (kind, step.channel) {
                (StepKind::Observed, _) | (_, Channel::Observed) => Line::Observed,
                (_, Channel::BackChannel) => Line::Back,
                (_, Channel::FrontChannel) => Line::Front,
            },
        },
    };
    let label = match step.kind {
        StepKind::Event => super::escape::one_line(&step.summary),
        _ => label_of(step),
    };
    Row {
        step: step.index,
        kind,
        mark: mark_of(step.origin),
        label,
        note: note_of(step, notes),
        is_request: step.kind == StepKind::Request,
    }
}

fn verdict_mark(trace: &Trace, verdict: &Verdict) -> VerdictMark {
    let last = trace.steps.last().map(|s| s.index).unwrap_or(0);
    match verdict {
        Verdict::Succeeded { goal } => VerdictMark {
            after_step: last,
            outcome: Outcome::Succeeded,
            headline: "SUCCEEDED".into(),
            detail: goal.clone(),
        },
        Verdict::Blocked { step: Some(n), by } => VerdictMark {
            after_step: *n,
            outcome: Outcome::Blocked,
            headline: format!("BLOCKED at step {n}"),
            detail: by.clone(),
        },
        Verdict::Blocked { step: None, by } => VerdictMark {
            after_step: last,
            outcome: Outcome::Blocked,
            headline: "BLOCKED".into(),
            detail: by.clone(),
        },
        Verdict::FlowFailed { step, by } => VerdictMark {
            after_step: *step,
            outcome: Outcome::FailedBeforeAttack,
            headline: format!("FAILED before the attack, at step {step}"),
            detail: by.clone(),
        },
    }
}

impl Diagram {
    /// What the handouts say of a run that was no attack.
    pub fn no_attack_words(&self) -> String {
        format!(
            "No attack in this run: the flow ran to its end ({} steps).",
            self.rows.len()
        )
    }

    /// The diagram of a finished run; `verdict` when the run was an attack.
    pub fn build(
        trace: &Trace,
        title: &str,
        world: WorldSummary,
        verdict: Option<&Verdict>,
        notes: Notes,
    ) -> Diagram {
        let lanes = lanes_of(trace);
        let rows = trace
            .steps
            .iter()
            .map(|s| row_of(s, &lanes, notes))
            .collect();
        Diagram {
            title: super::escape::one_line(title),
            world,
            rows,
            verdict: verdict.map(|v| verdict_mark(trace, v)),
            lanes,
        }
    }

    /// The verdict if it is drawn right after the row of `step`.
    pub fn verdict_after(&self, step: usize) -> Option<&VerdictMark> {
        self.verdict.as_ref().filter(|v| v.after_step == step)
    }

    /// The rows with the runs of consecutive attacker rows grouped: `(attacker, rows)`.
    pub fn bands(&self) -> Vec<(bool, &[Row])> {
        let mut out: Vec<(bool, &[Row])> = Vec::new();
        let mut start = 0;
        for i in 1..=self.rows.len() {
            let attacker = |r: &Row| r.mark == Mark::Attacker;
            if i == self.rows.len() || attacker(&self.rows[i]) != attacker(&self.rows[start]) {
                out.push((attacker(&self.rows[start]), &self.rows[start..i]));
                start = i;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::world::default_flow;

    fn world() -> WorldSummary {
        WorldSummary {
            profile: "bcp".into(),
            differences: vec![],
            seed: 1,
            attack: None,
        }
    }

    #[test]
    fn default_flow_has_front_and_back_arrows_and_no_marks() {
        let mut sim = default_flow(1, Default::default());
        sim.run_until_idle();
        let d = Diagram::build(sim.trace(), "t", world(), None, Notes::Short);
        assert_eq!(d.lanes[0].id, "browser");
        assert_eq!(d.rows.len(), sim.trace().steps.len());
        let lines: Vec<Line> = d
            .rows
            .iter()
            .filter_map(|r| match r.kind {
                RowKind::Message { line, .. } => Some(line),
                _ => None,
            })
            .collect();
        assert!(lines.contains(&Line::Front) && lines.contains(&Line::Back));
        assert!(d.rows.iter().all(|r| r.mark == Mark::Honest));
        let token = d.rows.iter().find(|r| r.label == "POST /token").unwrap();
        assert!(matches!(
            token.kind,
            RowKind::Message {
                line: Line::Back,
                ..
            }
        ));
        assert_eq!(d.bands().len(), 1);
    }

    #[test]
    fn short_targets_hide_the_query() {
        assert_eq!(
            short_target("https://as.example/authorize?x=1"),
            "/authorize?…"
        );
        assert_eq!(short_target("https://as.example"), "/");
    }
}
