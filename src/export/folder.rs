//! Every diagram format of one world, written into a new folder: what the UI's `E` key
//! does. The folder is new each time (`flow-1`, `flow-2`, … or the attack's id), so an
//! export never overwrites an earlier one.

use std::io;
use std::path::{Path, PathBuf};

use super::{Diagram, ExportFormat, Notes, Theme, WorldSummary, export};
use crate::files::numbered::create_first_free;
use crate::world::WorldSpec;

/// The file each format is written to.
pub const FILES: [(ExportFormat, &str); 5] = [
    (ExportFormat::Mermaid, "flow.mmd"),
    (ExportFormat::Plantuml, "flow.puml"),
    (ExportFormat::Markdown, "handout.md"),
    (ExportFormat::Svg, "flow.svg"),
    (ExportFormat::Html, "flow.html"),
];

/// The most folders of one name tried before giving up.
const MAX_NUMBER: u32 = 9_999;

/// The title of a world's export: the attack's id and title, or the plain flow.
pub fn title(spec: &WorldSpec) -> String {
    match spec.attack {
        Some(a) => {
            let info = a.attack().info();
            format!("oauth-lab — attack {}: {}", info.id, info.title)
        }
        None => "oauth-lab — Authorization Code Flow".to_string(),
    }
}

/// Runs `spec` to its end and writes every format into a new folder under `parent`;
/// returns that folder.
pub fn write_all(spec: &WorldSpec, parent: &Path) -> io::Result<PathBuf> {
    let run = spec.run();
    let trace = run.sim.trace();
    let d = Diagram::build(
        trace,
        &title(spec),
        WorldSummary::of(spec),
        run.verdict.as_ref(),
        Notes::Short,
    );
    std::fs::create_dir_all(parent)?;
    let stem = spec.attack.map(|a| a.attack().info().id).unwrap_or("flow");
    let (dir, ()) = create_first_free(
        MAX_NUMBER,
        |n| parent.join(format!("{stem}-{n}")),
        |dir| std::fs::create_dir(dir),
        || format!("{MAX_NUMBER} exports named {stem} already exist"),
    )?;
    for (format, name) in FILES {
        std::fs::write(dir.join(name), export(&d, trace, format, Theme::Light))?;
    }
    Ok(dir)
}
