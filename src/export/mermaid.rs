//! The diagram as a Mermaid 11 `sequenceDiagram`: front channel `->>` (solid), back
//! channel `-->>` (dashed), observed copies `--)` (dashed, open head); attacker steps in a
//! red `rect`; the verdict and the legend as notes.

use super::diagram::{Diagram, LEGEND, LegendKey, Line, Outcome, Row, RowKind};
use super::escape::{mermaid as esc, wrap_lines};

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

/// Note text broken into lines of about 60 characters.
fn note_text(text: &str) -> String {
    wrap_lines(text, 60)
        .iter()
        .map(|l| esc(l))
        .collect::<Vec<_>>()
        .join("<br/>")
}

fn span(ids: &[String], a: usize, b: usize) -> String {
    if a == b {
        ids[a].clone()
    } else {
        format!("{},{}", ids[a], ids[b])
    }
}

fn row(out: &mut String, d: &Diagram, ids: &[String], r: &Row, indent: &str) {
    let all = span(ids, 0, ids.len().saturating_sub(1));
    match r.kind {
        RowKind::Message { from, to, line } => {
            out.push_str(&format!(
                "{indent}{}{}{}: {}\n",
                ids[from],
                arrow(line),
                ids[to],
                esc(&r.title())
            ));
            if !r.note.is_empty() {
                out.push_str(&format!(
                    "{indent}Note over {}: {}\n",
                    span(ids, from.min(to), from.max(to)),
                    note_text(&r.note)
                ));
            }
        }
        RowKind::Event { lanes } => {
            let over = lanes.map(|(a, b)| span(ids, a, b)).unwrap_or(all.clone());
            let mut text = esc(&r.title());
            if !r.note.is_empty() {
                text.push_str("<br/>");
                text.push_str(&note_text(&r.note));
            }
            out.push_str(&format!("{indent}Note over {over}: {text}\n"));
        }
    }
    if let Some(v) = d.verdict_after(r.step) {
        let symbol = match v.outcome {
            Outcome::Succeeded => "⚠",
            Outcome::Blocked | Outcome::FailedBeforeAttack => "🛡",
        };
        out.push_str(&format!(
            "{indent}Note over {all}: {symbol} {}<br/>{}\n",
            esc(&v.headline),
            note_text(&v.detail)
        ));
    }
}

fn legend(ids: &[String]) -> String {
    let all = span(ids, 0, ids.len().saturating_sub(1));
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
                row(&mut out, d, &ids, r, "        ");
            }
            out.push_str("    end\n");
        } else {
            for r in rows {
                row(&mut out, d, &ids, r, "    ");
            }
        }
    }
    if !ids.is_empty() {
        out.push_str(&legend(&ids));
    }
    out
}
