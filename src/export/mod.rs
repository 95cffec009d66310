//! Renderings of a trace: a readable transcript, the raw HTTP of every message,
//! versioned JSON (`docs/trace-schema.md`), and the diagram exports (Mermaid, PlantUML,
//! a Markdown handout, SVG, a self-contained HTML page) drawn from one
//! [`diagram::Diagram`] model. They only read the trace (and an attack's verdict).

pub mod details;
pub mod diagram;
pub mod escape;
pub mod folder;
pub mod html;
pub mod http_dump;
pub mod markdown;
pub mod matrix;
pub mod mermaid;
pub mod narrate;
pub mod plantuml;
pub mod sequence_text;
pub mod svg;
pub mod text;

use crate::sim::Trace;

pub use diagram::{Diagram, Notes, WorldSummary};
pub use svg::Theme;

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

/// The output formats of `oauth-lab export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// A Mermaid 11 `sequenceDiagram`.
    Mermaid,
    /// A PlantUML sequence diagram.
    Plantuml,
    /// A Markdown handout with the Mermaid diagram and every message.
    Markdown,
    /// A standalone SVG 1.1 drawing.
    Svg,
    /// One self-contained offline HTML page that steps through the run.
    Html,
}

impl ExportFormat {
    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Mermaid => "mmd",
            ExportFormat::Plantuml => "puml",
            ExportFormat::Markdown => "md",
            ExportFormat::Svg => "svg",
            ExportFormat::Html => "html",
        }
    }
}

/// Renders the diagram of a run in an export format.
pub fn export(d: &Diagram, trace: &Trace, format: ExportFormat, theme: Theme) -> String {
    match format {
        ExportFormat::Mermaid => mermaid::render(d),
        ExportFormat::Plantuml => plantuml::render(d),
        ExportFormat::Markdown => markdown::render(d, trace, &mermaid::render(d)),
        ExportFormat::Svg => svg::render(d, theme),
        ExportFormat::Html => html::render(d, trace, theme),
    }
}
