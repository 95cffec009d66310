//! One log line per message (`oauth-lab serve` without a terminal): text for people,
//! JSON Lines for tools. A line names the parties, the method and path or the status,
//! and never a query string, body or header value — codes, tokens and secrets travel
//! there (docs/ARCHITECTURE.md, secrets).

use serde_json::json;

use crate::actors::SimTime;
use crate::sim::{Channel, Step, StepKind};
use crate::terminal_text::one_line;

/// The format of the log lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// `09:00:01.234  #7  browser ──▶ as  GET /authorize`.
    Text,
    /// One JSON object per line.
    Json,
}

/// The message's first line without its query: `GET /authorize`, `302 Found → /cb`.
pub fn headline(step: &Step) -> String {
    if step.kind == StepKind::Event {
        return one_line(step.summary.get()).into_owned();
    }
    let first = step.wire.lines().next().unwrap_or("");
    let mut parts = first.split(' ');
    let head = if first.starts_with("HTTP/") {
        let _version = parts.next();
        let rest: Vec<&str> = parts.collect();
        let mut s = rest.join(" ");
        if let Some(loc) = step.decoded.get().header("location") {
            s.push_str(&format!(" → {}", without_query(loc)));
        }
        s
    } else {
        let method = parts.next().unwrap_or("");
        let target = parts.next().unwrap_or("");
        format!("{method} {}", without_query(target))
    };
    one_line(&head).into_owned()
}

fn without_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// The log line of one step.
pub fn render(step: &Step, format: LogFormat) -> String {
    let time = SimTime(step.time_ms).clock_label();
    match format {
        LogFormat::Text => {
            let arrow = match (step.kind, step.channel) {
                (StepKind::Event, _) => "──",
                (_, Channel::BackChannel) => "══▶",
                _ => "──▶",
            };
            format!(
                "{time}  #{:<4} {:>14} {arrow} {:<14} {}",
                step.index,
                one_line(step.from.as_str()),
                one_line(step.to.as_str()),
                headline(step)
            )
        }
        LogFormat::Json => json!({
            "step": step.index,
            "time": time,
            "from": step.from.as_str(),
            "to": step.to.as_str(),
            "kind": step.kind,
            "channel": step.channel.label(),
            "message": headline(step),
        })
        .to_string(),
    }
}
