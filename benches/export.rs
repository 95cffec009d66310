//! Each export of the default flow as a whole process (`oauth-lab export --format F`,
//! started, run and its output read), and the rendering alone in process. Goal: every
//! export under 50 ms as a whole process.
//!
//! `cargo bench --bench export` prints one summary line per format.

use std::hint::black_box;
use std::process::Command;
mod support;

use std::time::Duration;

use support::mean_time;

use criterion::{Criterion, criterion_group, criterion_main};
use oauth_lab::actors::Defenses;
use oauth_lab::export::{self, Diagram, ExportFormat, Notes, Theme, WorldSummary};
use oauth_lab::sim::world::{DEFAULT_SEED, default_flow};

const FORMATS: [(ExportFormat, &str); 5] = [
    (ExportFormat::Mermaid, "mermaid"),
    (ExportFormat::Plantuml, "plantuml"),
    (ExportFormat::Markdown, "markdown"),
    (ExportFormat::Svg, "svg"),
    (ExportFormat::Html, "html"),
];

fn process(format: &str) -> usize {
    let out = Command::new(env!("CARGO_BIN_EXE_oauth-lab"))
        .args(["export", "--format", format])
        .output()
        .expect("oauth-lab runs");
    assert!(out.status.success());
    out.stdout.len()
}

fn in_process(format: ExportFormat) -> usize {
    let mut sim = default_flow(DEFAULT_SEED, Defenses::bcp());
    sim.run_until_idle();
    let world = WorldSummary {
        profile: "bcp".into(),
        differences: vec![],
        seed: DEFAULT_SEED,
        attack: None,
    };
    let d = Diagram::build(sim.trace(), "bench", world, None, Notes::Short);
    export::export(&d, sim.trace(), format, Theme::Light).len()
}

fn bench(c: &mut Criterion) {
    for (format, name) in FORMATS {
        c.bench_function(&format!("export/process/{name}"), |b| {
            b.iter(|| black_box(process(name)))
        });
        c.bench_function(&format!("export/in-process/{name}"), |b| {
            b.iter(|| black_box(in_process(format)))
        });
    }
    println!();
    for (format, name) in FORMATS {
        let bytes = process(name);
        let whole = mean_time(Duration::from_secs(2), || {
            black_box(process(name));
        });
        let render = mean_time(Duration::from_secs(1), || {
            black_box(in_process(format));
        });
        println!(
            "export summary: {name:<8} {bytes:>7} bytes; whole process {:.1} ms; flow + render in process {:.1} ms",
            whole.as_secs_f64() * 1e3,
            render.as_secs_f64() * 1e3
        );
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(2)).warm_up_time(Duration::from_millis(500));
    targets = bench
}
criterion_main!(benches);
