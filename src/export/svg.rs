//! The diagram drawn by oauth-lab itself as a standalone SVG 1.1 file: no fonts,
//! scripts or images are fetched, so it is crisp on a projector and in slides. Every row
//! is a `<g class="row" data-step="N">` with a transparent hit area, which the HTML page
//! highlights and makes clickable.

use super::diagram::{Diagram, LEGEND, LegendKey, Line, Mark, Outcome, Row, RowKind};
use super::escape::{truncate, wrap_lines, xml};

/// The colour scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

struct Palette {
    background: &'static str,
    text: &'static str,
    muted: &'static str,
    lane_fill: &'static str,
    lane_stroke: &'static str,
    front: &'static str,
    back: &'static str,
    observed: &'static str,
    attacker: &'static str,
    attacker_band: &'static str,
    learner: &'static str,
    note_fill: &'static str,
    blocked: &'static str,
    blocked_fill: &'static str,
    succeeded_fill: &'static str,
}

const LIGHT: Palette = Palette {
    background: "#ffffff",
    text: "#1f2328",
    muted: "#57606a",
    lane_fill: "#f6f8fa",
    lane_stroke: "#8c959f",
    front: "#0969da",
    back: "#8250df",
    observed: "#6e7781",
    attacker: "#cf222e",
    attacker_band: "#ffebe9",
    learner: "#9a6700",
    note_fill: "#fff8c5",
    blocked: "#1a7f37",
    blocked_fill: "#dafbe1",
    succeeded_fill: "#ffebe9",
};

const DARK: Palette = Palette {
    background: "#0d1117",
    text: "#e6edf3",
    muted: "#9198a1",
    lane_fill: "#161b22",
    lane_stroke: "#3d444d",
    front: "#58a6ff",
    back: "#d2a8ff",
    observed: "#9198a1",
    attacker: "#ff7b72",
    attacker_band: "#3c1618",
    learner: "#e3b341",
    note_fill: "#2b2a1a",
    blocked: "#3fb950",
    blocked_fill: "#12261e",
    succeeded_fill: "#3c1618",
};

const FONT: &str = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif";
const MARGIN: f32 = 24.0;
const NUMBER_COLUMN: f32 = 36.0;
/// Average advance of a 12 px character (DejaVu Sans is wide).
const CHAR_W: f32 = 7.0;
const NOTE_CHAR_W: f32 = 6.2;
const NOTE_LINE: f32 = 14.0;
const HEADER_TOP: f32 = 74.0;
const HEADER_H: f32 = 40.0;

struct Layout {
    lane_gap: f32,
    width: f32,
    note_chars: usize,
}

impl Layout {
    fn new(d: &Diagram) -> Layout {
        let widest = d
            .lanes
            .iter()
            .map(|l| l.label.chars().count().max(l.id.chars().count()))
            .max()
            .unwrap_or(10);
        let lane_w = (widest as f32 * CHAR_W + 20.0).clamp(130.0, 270.0);
        let lane_gap = lane_w + 36.0;
        let width = (MARGIN * 2.0 + NUMBER_COLUMN + lane_gap * d.lanes.len().max(1) as f32)
            .max(
                MARGIN * 2.0
                    + d.title.chars().count().max(d.world.line().chars().count()) as f32 * CHAR_W,
            )
            .max(760.0);
        let note_chars = ((width - MARGIN * 2.0 - NUMBER_COLUMN) / NOTE_CHAR_W) as usize;
        Layout {
            lane_gap,
            width,
            note_chars,
        }
    }

    fn x(&self, lane: usize) -> f32 {
        MARGIN + NUMBER_COLUMN + self.lane_gap * (lane as f32 + 0.5)
    }

    fn lane_w(&self) -> f32 {
        self.lane_gap - 36.0
    }
}

fn text(out: &mut String, x: f32, y: f32, attrs: &str, body: &str) {
    out.push_str(&format!(
        "<text x=\"{x:.1}\" y=\"{y:.1}\" {attrs}>{}</text>\n",
        xml(body)
    ));
}

fn line_style(p: &Palette, line: Line, mark: Mark) -> (String, &'static str) {
    let color = match (mark, line) {
        (Mark::Attacker, _) => p.attacker,
        (Mark::Learner, _) => p.learner,
        (_, Line::Front) => p.front,
        (_, Line::Back) => p.back,
        (_, Line::Observed) => p.observed,
    };
    let dash = match line {
        Line::Front => "",
        Line::Back => " stroke-dasharray=\"7 4\"",
        Line::Observed => " stroke-dasharray=\"2 3\"",
    };
    (
        format!("stroke=\"{color}\" stroke-width=\"1.6\"{dash}"),
        color,
    )
}

fn arrow(out: &mut String, p: &Palette, x1: f32, x2: f32, y: f32, line: Line, mark: Mark) {
    let (style, color) = line_style(p, line, mark);
    if (x1 - x2).abs() < 1.0 {
        // A message to itself: a small loop on the right of the lane.
        out.push_str(&format!(
            "<path d=\"M{x1:.1} {:.1} h28 v12 h-24\" fill=\"none\" {style}/>\n",
            y - 6.0
        ));
        out.push_str(&format!(
            "<polygon points=\"{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}\" fill=\"{color}\"/>\n",
            x1,
            y + 6.0,
            x1 + 8.0,
            y + 2.0,
            x1 + 8.0,
            y + 10.0
        ));
        return;
    }
    let dir = if x2 > x1 { 1.0 } else { -1.0 };
    let tip = x2 - dir * 2.0;
    out.push_str(&format!(
        "<line x1=\"{x1:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" {style}/>\n",
        tip - dir * 8.0
    ));
    out.push_str(&format!(
        "<polygon points=\"{tip:.1},{y:.1} {:.1},{:.1} {:.1},{:.1}\" fill=\"{color}\"/>\n",
        tip - dir * 10.0,
        y - 4.5,
        tip - dir * 10.0,
        y + 4.5
    ));
}

fn row_height(r: &Row, notes: usize) -> f32 {
    match r.kind {
        RowKind::Message { .. } => {
            30.0 + notes as f32 * NOTE_LINE + if notes > 0 { 4.0 } else { 0.0 }
        }
        RowKind::Event { .. } => 30.0 + notes as f32 * NOTE_LINE,
    }
}

fn draw_row(out: &mut String, d: &Diagram, l: &Layout, p: &Palette, r: &Row, y: f32) -> f32 {
    let left = MARGIN;
    let right = l.width - MARGIN;
    // An event's note is written inside its box; a message's under the arrow.
    let event_box = match r.kind {
        RowKind::Event { lanes } => {
            let (a, b) = lanes.unwrap_or((0, d.lanes.len().saturating_sub(1)));
            let x1 = (l.x(a) - l.lane_w() / 2.0).max(left + NUMBER_COLUMN);
            let x2 = (l.x(b) + l.lane_w() / 2.0).min(right);
            Some((x1, x2))
        }
        RowKind::Message { .. } => None,
    };
    let note_chars = event_box
        .map(|(x1, x2)| ((x2 - x1 - 12.0) / NOTE_CHAR_W) as usize)
        .unwrap_or(l.note_chars);
    let notes = if r.note.is_empty() {
        Vec::new()
    } else {
        wrap_lines(&r.note, note_chars.max(12))
    };
    let h = row_height(r, notes.len());
    out.push_str(&format!(
        "<g class=\"row\" id=\"row-{0}\" data-step=\"{0}\">\n",
        r.step
    ));
    out.push_str(&format!(
        "<rect class=\"hit\" x=\"{left:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{h:.1}\" fill=\"{}\" fill-opacity=\"{}\"/>\n",
        right - left,
        p.attacker_band,
        if r.mark == Mark::Attacker { "1" } else { "0" }
    ));
    text(
        out,
        left + 4.0,
        y + 17.0,
        &format!("font-size=\"11\" fill=\"{}\"", p.muted),
        &r.step.to_string(),
    );
    let label_color = match r.mark {
        Mark::Attacker => p.attacker,
        Mark::Learner => p.learner,
        Mark::Honest => p.text,
    };
    let mut label = r.label.clone();
    if r.mark != Mark::Honest {
        label = format!("{} {label}", r.mark.symbol());
    }
    match r.kind {
        RowKind::Message { from, to, line } => {
            let (x1, x2) = (l.x(from), l.x(to));
            let half = label.chars().count() as f32 * CHAR_W / 2.0;
            let cx = ((x1 + x2) / 2.0).clamp(left + NUMBER_COLUMN + half, right - half);
            text(
                out,
                cx,
                y + 12.0,
                &format!("font-size=\"12\" text-anchor=\"middle\" fill=\"{label_color}\""),
                &label,
            );
            arrow(out, p, x1, x2, y + 20.0, line, r.mark);
            for (k, n) in notes.iter().enumerate() {
                text(
                    out,
                    left + NUMBER_COLUMN,
                    y + 36.0 + k as f32 * NOTE_LINE,
                    &format!(
                        "font-size=\"11\" font-style=\"italic\" fill=\"{}\"",
                        p.muted
                    ),
                    n,
                );
            }
        }
        RowKind::Event { .. } => {
            let (x1, x2) = event_box.unwrap_or((left, right));
            out.push_str(&format!(
                "<rect x=\"{x1:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"4\" fill=\"{}\" stroke=\"{}\"/>\n",
                y + 3.0,
                x2 - x1,
                h - 6.0,
                p.note_fill,
                p.lane_stroke
            ));
            let chars = ((x2 - x1 - 12.0) / CHAR_W) as usize;
            text(
                out,
                (x1 + x2) / 2.0,
                y + 19.0,
                &format!("font-size=\"12\" text-anchor=\"middle\" fill=\"{label_color}\""),
                &truncate(&label, chars.max(8)),
            );
            for (k, n) in notes.iter().enumerate() {
                text(
                    out,
                    x1 + 6.0,
                    y + 33.0 + k as f32 * NOTE_LINE,
                    &format!(
                        "font-size=\"11\" font-style=\"italic\" fill=\"{}\"",
                        p.muted
                    ),
                    n,
                );
            }
        }
    }
    out.push_str("</g>\n");
    h
}

fn draw_verdict(
    out: &mut String,
    d: &Diagram,
    l: &Layout,
    p: &Palette,
    y: f32,
    step: usize,
) -> f32 {
    let Some(v) = d.verdict_after(step) else {
        return 0.0;
    };
    let (stroke, fill) = match v.outcome {
        Outcome::Succeeded => (p.attacker, p.succeeded_fill),
        Outcome::Blocked | Outcome::FailedBeforeAttack => (p.blocked, p.blocked_fill),
    };
    let lines = wrap_lines(&v.detail, l.note_chars);
    let h = 30.0 + lines.len() as f32 * NOTE_LINE;
    out.push_str(&format!(
        "<g class=\"verdict\"><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{h:.1}\" rx=\"6\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"2\"/>\n",
        MARGIN,
        y + 2.0,
        l.width - MARGIN * 2.0
    ));
    text(
        out,
        MARGIN + 12.0,
        y + 20.0,
        &format!("font-size=\"13\" font-weight=\"bold\" fill=\"{stroke}\""),
        &v.headline,
    );
    for (k, line) in lines.iter().enumerate() {
        text(
            out,
            MARGIN + 12.0,
            y + 36.0 + k as f32 * NOTE_LINE,
            &format!("font-size=\"11\" fill=\"{}\"", p.text),
            line,
        );
    }
    out.push_str("</g>\n");
    h + 8.0
}

fn draw_legend(out: &mut String, p: &Palette, y: f32) -> f32 {
    let mut yy = y + 16.0;
    text(
        out,
        MARGIN,
        yy,
        &format!("font-size=\"12\" font-weight=\"bold\" fill=\"{}\"", p.text),
        "Legend",
    );
    for (key, meaning) in LEGEND {
        yy += 18.0;
        let sample_x = MARGIN + 4.0;
        match key {
            LegendKey::Line(line) => {
                arrow(out, p, sample_x, sample_x + 44.0, yy - 4.0, *line, Mark::Honest)
            }
            LegendKey::Mark(m) => text(
                out,
                sample_x + 14.0,
                yy,
                &format!(
                    "font-size=\"13\" fill=\"{}\"",
                    if *m == Mark::Attacker { p.attacker } else { p.learner }
                ),
                m.symbol(),
            ),
            LegendKey::AttackerBand => out.push_str(&format!(
                "<rect x=\"{sample_x:.1}\" y=\"{:.1}\" width=\"44\" height=\"14\" fill=\"{}\"/>\n",
                yy - 11.0,
                p.attacker_band
            )),
            LegendKey::Verdict => out.push_str(&format!(
                "<rect x=\"{sample_x:.1}\" y=\"{:.1}\" width=\"44\" height=\"14\" rx=\"3\" fill=\"{}\" stroke=\"{}\"/>\n",
                yy - 11.0,
                p.blocked_fill,
                p.blocked
            )),
        }
        text(
            out,
            MARGIN + 60.0,
            yy,
            &format!("font-size=\"11\" fill=\"{}\"", p.text),
            meaning,
        );
    }
    yy - y + 12.0
}

/// The SVG document.
pub fn render(d: &Diagram, theme: Theme) -> String {
    let p = match theme {
        Theme::Light => &LIGHT,
        Theme::Dark => &DARK,
    };
    let l = Layout::new(d);
    let mut body = String::new();
    let mut y = HEADER_TOP + HEADER_H + 14.0;
    for r in &d.rows {
        let yr = y;
        y += draw_row(&mut body, d, &l, p, r, yr);
        y += draw_verdict(&mut body, d, &l, p, y, r.step);
    }
    let rows_bottom = y + 6.0;
    let legend_h = draw_legend(&mut body, p, rows_bottom + 8.0);
    let height = rows_bottom + 8.0 + legend_h + MARGIN;

    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{w:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {w:.0} {height:.0}\" font-family=\"{FONT}\">\n",
        w = l.width
    );
    out.push_str(&format!("<title>{}</title>\n", xml(&d.title)));
    out.push_str(&format!(
        "<rect width=\"100%\" height=\"100%\" fill=\"{}\"/>\n",
        p.background
    ));
    text(
        &mut out,
        MARGIN,
        MARGIN + 14.0,
        &format!("font-size=\"16\" font-weight=\"bold\" fill=\"{}\"", p.text),
        &d.title,
    );
    text(
        &mut out,
        MARGIN,
        MARGIN + 34.0,
        &format!("font-size=\"12\" fill=\"{}\"", p.muted),
        &d.world.line(),
    );
    for (i, lane) in d.lanes.iter().enumerate() {
        let x = l.x(i);
        let (stroke, label) = if lane.attacker {
            (p.attacker, format!("⚠ {}", lane.label))
        } else {
            (p.lane_stroke, lane.label.clone())
        };
        out.push_str(&format!(
            "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{rows_bottom:.1}\" stroke=\"{}\" stroke-width=\"1\" stroke-dasharray=\"3 3\"/>\n",
            HEADER_TOP + HEADER_H,
            p.lane_stroke
        ));
        out.push_str(&format!(
            "<rect x=\"{:.1}\" y=\"{HEADER_TOP:.1}\" width=\"{:.1}\" height=\"{HEADER_H:.1}\" rx=\"5\" fill=\"{}\" stroke=\"{stroke}\" stroke-width=\"1.2\"/>\n",
            x - l.lane_w() / 2.0,
            l.lane_w(),
            p.lane_fill
        ));
        let chars = ((l.lane_w() - 10.0) / CHAR_W) as usize;
        text(
            &mut out,
            x,
            HEADER_TOP + 17.0,
            &format!(
                "font-size=\"12\" font-weight=\"bold\" text-anchor=\"middle\" fill=\"{}\"",
                p.text
            ),
            &truncate(&label, chars),
        );
        text(
            &mut out,
            x,
            HEADER_TOP + 32.0,
            &format!(
                "font-size=\"11\" text-anchor=\"middle\" fill=\"{}\"",
                p.muted
            ),
            &truncate(&lane.id, chars),
        );
    }
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}
