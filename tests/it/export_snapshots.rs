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

/// The snapshotted exports: snapshot name, the world's profile (`None`: the default
/// flow, no attack) and the format.
const SNAPSHOTS: [(&str, Option<&str>, ExportFormat); 5] = [
    ("mermaid_default_flow", None, ExportFormat::Mermaid),
    ("mermaid_attack_blocked", Some("bcp"), ExportFormat::Mermaid),
    ("plantuml_default_flow", None, ExportFormat::Plantuml),
    (
        "plantuml_attack_succeeds",
        Some("naive"),
        ExportFormat::Plantuml,
    ),
    ("markdown_default_flow", None, ExportFormat::Markdown),
];

#[test]
fn text_exports_match_their_snapshots() {
    for (name, attack_profile, format) in SNAPSHOTS {
        let case = match attack_profile {
            None => default_case(Notes::Short),
            Some(profile) => attack_case(profile).0,
        };
        insta::assert_snapshot!(name, case.render(format));
    }
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
