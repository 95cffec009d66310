//! The readable transcript: one numbered line per arrow, the receiver's annotation
//! under it, attacker steps marked.

use crate::actors::clock::SimTime;
use crate::sim::{Channel, Origin, StepKind, Trace};

/// Wraps `text` to `width` columns, each line prefixed by `indent`.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn channel_tag(c: Channel) -> &'static str {
    match c {
        Channel::FrontChannel => "front",
        Channel::BackChannel => "back ",
        Channel::Observed => "seen ",
    }
}

pub fn render(trace: &Trace, title: &str) -> String {
    let mut out = format!("{title}\nseed {}\n\nActors:\n", trace.seed);
    for a in &trace.actors {
        let where_ = if a.addresses.is_empty() {
            "user agent".to_string()
        } else {
            a.addresses.join(", ")
        };
        out.push_str(&format!(
            "  {:<16} {}  ({where_})\n",
            a.id.as_str(),
            a.label
        ));
    }
    out.push_str("\nChannels: front = through Alice's browser (redirects, pages, forms); back = server to server.\n\n");
    for s in &trace.steps {
        let time = SimTime(s.time_ms).clock_label();
        if s.kind == StepKind::Event {
            out.push_str(&format!(
                "{:>3}  {time}  ── {} {} ──\n",
                s.index, s.from, s.summary
            ));
        } else {
            let arrow = match s.kind {
                StepKind::Observed => "··▶",
                _ if s.channel == Channel::BackChannel => "══▶",
                _ => "──▶",
            };
            let mark = match s.origin {
                Origin::Attacker => "  ⚠ ATTACKER",
                Origin::Learner => "  ✎ LEARNER",
                Origin::Honest => "",
            };
            out.push_str(&format!(
                "{:>3}  {time}  {:>10} {arrow} {:<10} {}  {}{mark}\n",
                s.index,
                s.from.as_str(),
                s.to.as_str(),
                channel_tag(s.channel),
                s.summary
            ));
        }
        if !s.annotation.is_empty() {
            out.push_str(&wrap(&s.annotation, 92, "                      "));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_width() {
        assert_eq!(wrap("aa bb cc", 5, "> "), "> aa bb\n> cc\n");
        assert_eq!(wrap("", 5, "> "), "");
    }
}
