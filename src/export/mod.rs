//! Renderings of a trace: a readable transcript, the raw HTTP of every message, and
//! versioned JSON (`docs/trace-schema.md`). They only read the trace (DESIGN.md rule 4).

pub mod http_dump;
pub mod narrate;
pub mod text;

use crate::sim::Trace;

/// The output formats of `oauth-lab run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A numbered transcript with what each receiver did and why.
    Text,
    /// The raw HTTP/1.1 wire text of every message.
    Http,
    /// The trace as JSON (schema in docs/trace-schema.md).
    Json,
}

/// Renders a trace in the given format.
pub fn render(trace: &Trace, format: Format, title: &str) -> String {
    match format {
        Format::Text => text::render(trace, title),
        Format::Http => http_dump::render(trace),
        Format::Json => trace.to_json() + "\n",
    }
}
