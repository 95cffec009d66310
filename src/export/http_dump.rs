//! The raw wire text of every message, each preceded by a comment line naming the step.

use crate::sim::{StepKind, Trace};

pub fn render(trace: &Trace) -> String {
    let mut out = String::new();
    for s in &trace.steps {
        if s.kind == StepKind::Event {
            out.push_str(&format!(
                "### step {} · {} · {}\n\n",
                s.index, s.from, s.summary
            ));
            continue;
        }
        out.push_str(&format!(
            "### step {} · {} → {} · {}{}\n",
            s.index,
            s.from,
            s.to,
            s.channel.label(),
            if s.is_attacker() { " · ATTACKER" } else { "" }
        ));
        out.push_str(&s.wire.replace("\r\n", "\n"));
        if !s.wire.ends_with('\n') {
            out.push('\n');
        }
        out.push('\n');
    }
    out
}
