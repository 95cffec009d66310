//! One walk over a diagram row for the text sequence-diagram formats (Mermaid,
//! PlantUML): the message arrow and its note, an event's note, and the verdict after
//! the row. Each format says how it writes those parts through [`SequenceSyntax`].

use super::diagram::{Diagram, Line, Outcome, Row, RowKind};
use super::escape::wrap_lines;

/// How one text format writes the parts of a sequence diagram.
pub trait SequenceSyntax {
    /// Text escaped for a label or a note.
    fn esc(&self, text: &str) -> String;
    /// The line break inside a note.
    fn line_break(&self) -> &'static str;
    /// The separator between the two ends of a span of participants.
    fn span_separator(&self) -> &'static str;
    /// A message line from `from` to `to` labelled `title` (already escaped).
    fn message(&self, from: &str, to: &str, line: Line, r: &Row, title: &str) -> String;
    /// A note over `over` attached to a message.
    fn message_note(&self, over: &str, text: &str) -> String;
    /// A note over `over` for an event that is no message.
    fn event_note(&self, over: &str, text: &str) -> String;
    /// The verdict's note over every participant (`all`).
    fn verdict_note(&self, all: &str, outcome: Outcome, headline: &str, detail: &str) -> String;

    /// Note text broken into lines of about 60 characters.
    fn note_text(&self, text: &str) -> String {
        wrap_lines(text, 60)
            .iter()
            .map(|l| self.esc(l))
            .collect::<Vec<_>>()
            .join(self.line_break())
    }

    /// The participants from lane `a` to lane `b` (one when they are the same).
    fn span(&self, ids: &[String], a: usize, b: usize) -> String {
        if a == b {
            ids[a].clone()
        } else {
            format!("{}{}{}", ids[a], self.span_separator(), ids[b])
        }
    }
}

/// Writes row `r` of `d` (its message or event, its note, and the verdict that follows
/// it, if any), each line starting with `indent`.
pub fn write_row(
    syntax: &impl SequenceSyntax,
    out: &mut String,
    d: &Diagram,
    ids: &[String],
    r: &Row,
    indent: &str,
) {
    let all = syntax.span(ids, 0, ids.len().saturating_sub(1));
    let mut lines = Vec::new();
    match r.kind {
        RowKind::Message { from, to, line } => {
            let title = syntax.esc(&r.title());
            lines.push(syntax.message(&ids[from], &ids[to], line, r, &title));
            if !r.note.is_empty() {
                let over = syntax.span(ids, from.min(to), from.max(to));
                lines.push(syntax.message_note(&over, &syntax.note_text(&r.note)));
            }
        }
        RowKind::Event { lanes } => {
            let over = lanes
                .map(|(a, b)| syntax.span(ids, a, b))
                .unwrap_or(all.clone());
            let mut text = syntax.esc(&r.title());
            if !r.note.is_empty() {
                text.push_str(syntax.line_break());
                text.push_str(&syntax.note_text(&r.note));
            }
            lines.push(syntax.event_note(&over, &text));
        }
    }
    if let Some(v) = d.verdict_after(r.step) {
        let headline = syntax.esc(&v.headline);
        let detail = syntax.note_text(&v.detail);
        lines.push(syntax.verdict_note(&all, v.outcome, &headline, &detail));
    }
    for line in lines {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
}
