//! The text exports stay stable between changes (insta snapshots), and every export is
//! deterministic: the same world gives the same bytes.

use crate::export_support::*;
use oauth_lab::export::{ExportFormat, Notes, Theme};

const FORMATS: [ExportFormat; 5] = [
    ExportFormat::Mermaid,
    ExportFormat::Plantuml,
    ExportFormat::Markdown,
    ExportFormat::Svg,
    ExportFormat::Html,
];

#[test]
fn mermaid_default_flow() {
    insta::assert_snapshot!(default_case(Notes::Short).render(ExportFormat::Mermaid));
}

#[test]
fn mermaid_attack_blocked() {
    insta::assert_snapshot!(attack_case("bcp").0.render(ExportFormat::Mermaid));
}

#[test]
fn plantuml_default_flow() {
    insta::assert_snapshot!(default_case(Notes::Short).render(ExportFormat::Plantuml));
}

#[test]
fn plantuml_attack_succeeds() {
    insta::assert_snapshot!(attack_case("naive").0.render(ExportFormat::Plantuml));
}

#[test]
fn markdown_default_flow() {
    insta::assert_snapshot!(default_case(Notes::Short).render(ExportFormat::Markdown));
}

#[test]
fn every_format_is_deterministic() {
    for format in FORMATS {
        for theme in [Theme::Light, Theme::Dark] {
            let a = attack_case("bcp").0.render_themed(format, theme);
            let b = attack_case("bcp").0.render_themed(format, theme);
            assert!(a == b, "{format:?} {theme:?} differs between two runs");
            let a = edited_case().render_themed(format, theme);
            let b = edited_case().render_themed(format, theme);
            assert!(
                a == b,
                "{format:?} {theme:?} with an edit differs between two runs"
            );
        }
    }
}

#[test]
fn every_format_carries_the_same_facts() {
    let (succeeded, _) = attack_case("naive");
    let (blocked, verdict) = attack_case("bcp");
    let edited = edited_case();
    let blocked_at = blocked.diagram.verdict.clone().expect("a verdict");
    assert!(!verdict.succeeded());
    for format in FORMATS {
        let out = succeeded.render(format);
        assert!(out.contains("SUCCEEDED"), "{format:?}: verdict");
        assert!(out.contains('⚠'), "{format:?}: attacker mark");
        let out = blocked.render(format);
        assert!(
            out.contains(&blocked_at.headline),
            "{format:?}: {}",
            blocked_at.headline
        );
        let out = edited.render(format);
        assert!(out.contains('✎'), "{format:?}: learner mark");
        for lane in &edited.diagram.lanes {
            assert!(
                out.contains(&lane.id) || out.contains(&lane.label),
                "{format:?}: lane {}",
                lane.id
            );
        }
        assert!(
            out.contains("front channel") && out.contains("back channel"),
            "{format:?}: legend"
        );
    }
}
