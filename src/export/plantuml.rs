//! The diagram as a PlantUML sequence diagram: front channel `->` (solid), back channel
//! `-->` (dashed), observed copies `->>` in grey (thin head); attacker messages red inside
//! a `group`; the verdict as a note across all lanes; a `legend` block.

use super::diagram::{Diagram, LEGEND, LegendKey, Line, Mark, Outcome, Row};
use super::escape::plantuml as esc;
use super::mermaid::participant_ids;
use super::sequence_text::{SequenceSyntax, write_row};

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

/// PlantUML's way of writing the parts of a row.
struct PlantUml;

impl SequenceSyntax for PlantUml {
    fn esc(&self, text: &str) -> String {
        esc(text)
    }

    fn line_break(&self) -> &'static str {
        "\\n"
    }

    fn span_separator(&self) -> &'static str {
        ", "
    }

    fn message(&self, from: &str, to: &str, line: Line, r: &Row, title: &str) -> String {
        format!("{from} {} {to} : {title}", arrow(line, r.mark))
    }

    fn message_note(&self, over: &str, text: &str) -> String {
        format!("note over {over} : {text}")
    }

    fn event_note(&self, over: &str, text: &str) -> String {
        format!("hnote over {over} : {text}")
    }

    fn verdict_note(&self, all: &str, outcome: Outcome, headline: &str, detail: &str) -> String {
        let color = match outcome {
            Outcome::Succeeded => "#FFD6D6",
            Outcome::Blocked | Outcome::FailedBeforeAttack => "#D6F5D6",
        };
        format!("rnote over {all} {color} : **{headline}**\\n{detail}")
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
            write_row(&PlantUml, &mut out, d, &ids, r, "");
        }
        if attacker {
            out.push_str("end\n");
        }
    }
    out.push_str(&legend());
    out.push_str("@enduml\n");
    out
}
