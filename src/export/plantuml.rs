//! The diagram as a PlantUML sequence diagram: front channel `->` (solid), back channel
//! `-->` (dashed), observed copies `->>` in grey (thin head); attacker messages red inside
//! a `group`; the verdict as a note across all lanes; a `legend` block.

use super::diagram::{Diagram, LEGEND, LegendKey, Line, Mark, Outcome, Row, RowKind};
use super::escape::{plantuml as esc, wrap_lines};
use super::mermaid::participant_ids;

const ATTACKER_COLOR: &str = "#D62728";
const LEARNER_COLOR: &str = "#B8860B";
const OBSERVED_COLOR: &str = "#888888";

fn arrow(line: Line, mark: Mark) -> String {
    let color = match (mark, line) {
        (Mark::Attacker, _) => Some(ATTACKER_COLOR),
        (Mark::Learner, _) => Some(LEARNER_COLOR),
        (_, Line::Observed) => Some(OBSERVED_COLOR),
        _ => None,
    };
    let head = match color {
        Some(c) => format!("-[{c}]"),
        None => "-".to_string(),
    };
    match line {
        Line::Front => format!("{head}>"),
        Line::Back => format!("{head}->"),
        Line::Observed => format!("{head}>>"),
    }
}

/// Note text broken into lines (PlantUML's `\n`).
fn note_text(text: &str) -> String {
    wrap_lines(text, 60)
        .iter()
        .map(|l| esc(l))
        .collect::<Vec<_>>()
        .join("\\n")
}

fn span(ids: &[String], a: usize, b: usize) -> String {
    if a == b {
        ids[a].clone()
    } else {
        format!("{}, {}", ids[a], ids[b])
    }
}

fn row(out: &mut String, d: &Diagram, ids: &[String], r: &Row) {
    let all = span(ids, 0, ids.len().saturating_sub(1));
    match r.kind {
        RowKind::Message { from, to, line } => {
            out.push_str(&format!(
                "{} {} {} : {}\n",
                ids[from],
                arrow(line, r.mark),
                ids[to],
                esc(&r.title())
            ));
            if !r.note.is_empty() {
                out.push_str(&format!(
                    "note over {} : {}\n",
                    span(ids, from.min(to), from.max(to)),
                    note_text(&r.note)
                ));
            }
        }
        RowKind::Event { lanes } => {
            let over = lanes.map(|(a, b)| span(ids, a, b)).unwrap_or(all.clone());
            let mut text = esc(&r.title());
            if !r.note.is_empty() {
                text.push_str("\\n");
                text.push_str(&note_text(&r.note));
            }
            out.push_str(&format!("hnote over {over} : {text}\n"));
        }
    }
    if let Some(v) = d.verdict_after(r.step) {
        let color = match v.outcome {
            Outcome::Succeeded => "#FFD6D6",
            Outcome::Blocked | Outcome::FailedBeforeAttack => "#D6F5D6",
        };
        out.push_str(&format!(
            "rnote over {all} {color} : **{}**\\n{}\n",
            esc(&v.headline),
            note_text(&v.detail)
        ));
    }
}

fn legend() -> String {
    let mut out = String::from("legend bottom left\n");
    for (key, text) in LEGEND {
        let sample = match key {
            LegendKey::Line(Line::Front) => "->  ",
            LegendKey::Line(Line::Back) => "-->  ",
            LegendKey::Line(Line::Observed) => "->> (grey)  ",
            LegendKey::AttackerBand => "red arrows in a group:  ",
            _ => "",
        };
        out.push_str(&esc(&format!("{sample}{text}")));
        out.push('\n');
    }
    out.push_str("endlegend\n");
    out
}

/// The PlantUML source.
pub fn render(d: &Diagram) -> String {
    let ids = participant_ids(d);
    let mut out = String::from("@startuml\n");
    out.push_str("skinparam shadowing false\nskinparam sequenceMessageAlign center\n");
    out.push_str(&format!("title {}\n", esc(&d.title)));
    for (lane, id) in d.lanes.iter().zip(&ids) {
        let (label, color) = if lane.attacker {
            (format!("⚠ {}", lane.label), " #FFD6D6")
        } else {
            (lane.label.clone(), "")
        };
        out.push_str(&format!("participant \"{}\" as {id}{color}\n", esc(&label)));
    }
    for (attacker, rows) in d.bands() {
        if attacker {
            out.push_str("group ⚠ attacker\n");
        }
        for r in rows {
            row(&mut out, d, &ids, r);
        }
        if attacker {
            out.push_str("end\n");
        }
    }
    out.push_str(&legend());
    out.push_str("@enduml\n");
    out
}
