//! The diagram as a Mermaid 11 `sequenceDiagram`: front channel `->>` (solid), back
//! channel `-->>` (dashed), observed copies `--)` (dashed, open head); attacker steps in a
//! red `rect`; the verdict and the legend as notes.

use super::diagram::{Diagram, LEGEND, LegendKey, Line, Outcome, Row};
use super::escape::mermaid as esc;
use super::sequence_text::{SequenceSyntax, write_row};

/// The background of the attacker's steps.
const ATTACKER_RECT: &str = "rgba(214, 39, 40, 0.14)";

/// A participant id Mermaid accepts whatever the actor is called (`as` and `end` are
/// keywords): `p_` and the id's letters and digits, made unique by its index if needed.
pub fn participant_ids(d: &Diagram) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for (i, lane) in d.lanes.iter().enumerate() {
        let clean: String = lane
            .id
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let mut id = format!("p_{clean}");
        if ids.contains(&id) {
            id = format!("{id}_{i}");
        }
        ids.push(id);
    }
    ids
}

fn arrow(line: Line) -> &'static str {
    match line {
        Line::Front => "->>",
        Line::Back => "-->>",
        Line::Observed => "--)",
    }
}

/// Mermaid's way of writing the parts of a row.
struct Mermaid;

impl SequenceSyntax for Mermaid {
    fn esc(&self, text: &str) -> String {
        esc(text)
    }

    fn line_break(&self) -> &'static str {
        "<br/>"
    }

    fn span_separator(&self) -> &'static str {
        ","
    }

    fn message(&self, from: &str, to: &str, line: Line, _r: &Row, title: &str) -> String {
        format!("{from}{}{to}: {title}", arrow(line))
    }

    fn message_note(&self, over: &str, text: &str) -> String {
        format!("Note over {over}: {text}")
    }

    fn event_note(&self, over: &str, text: &str) -> String {
        format!("Note over {over}: {text}")
    }

    fn verdict_note(&self, all: &str, outcome: Outcome, headline: &str, detail: &str) -> String {
        let symbol = match outcome {
            Outcome::Succeeded => "⚠",
            Outcome::Blocked | Outcome::FailedBeforeAttack => "🛡",
        };
        format!("Note over {all}: {symbol} {headline}<br/>{detail}")
    }
}

fn legend(ids: &[String]) -> String {
    let all = Mermaid.span(ids, 0, ids.len().saturating_sub(1));
    let lines: Vec<String> = LEGEND
        .iter()
        .map(|(key, text)| {
            let sample = match key {
                LegendKey::Line(l) => format!("{} ", arrow(*l)),
                _ => String::new(),
            };
            esc(&format!("{sample}{text}"))
        })
        .collect();
    format!("    Note over {all}: Legend<br/>{}\n", lines.join("<br/>"))
}

/// The Mermaid source.
pub fn render(d: &Diagram) -> String {
    let ids = participant_ids(d);
    let mut out = String::from("sequenceDiagram\n");
    out.push_str(&format!("    title {}\n", esc(&d.title)));
    for (lane, id) in d.lanes.iter().zip(&ids) {
        let who = if lane.attacker {
            format!("⚠ {}", lane.label)
        } else {
            lane.label.clone()
        };
        out.push_str(&format!("    participant {id} as {}\n", esc(&who)));
    }
    for (attacker, rows) in d.bands() {
        if attacker {
            out.push_str(&format!("    rect {ATTACKER_RECT}\n"));
            for r in rows {
                write_row(&Mermaid, &mut out, d, &ids, r, "        ");
            }
            out.push_str("    end\n");
        } else {
            for r in rows {
                write_row(&Mermaid, &mut out, d, &ids, r, "    ");
            }
        }
    }
    if !ids.is_empty() {
        out.push_str(&legend(&ids));
    }
    out
}
