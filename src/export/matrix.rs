//! The attack × defense matrix as a standalone SVG 1.1 grid and as a self-contained HTML
//! page. Each cell is the verdict of a real run (computed by `attacks::matrix`).

use super::escape::xml;
use crate::attacks::Verdict;
use crate::attacks::matrix::Matrix;

const FONT: &str = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif";
const CELL_W: f32 = 30.0;
const CELL_H: f32 = 22.0;
const HEAD_H: f32 = 190.0;
const MARGIN: f32 = 20.0;
const SUCCEEDS: &str = "#cf222e";
const BLOCKED: &str = "#2da44e";
const NO_FLOW: &str = "#8c959f";

const INTRO: &str = "SUCCEEDS = the attack's goal was reached; blocked@N = the attack was refused at step N; no-flow@N = the honest flow failed at step N, before the attack began. Columns: the three profiles, then bcp with one defense off.";

/// The colour, the mark and the CSS class of a verdict's cell.
fn cell_style(v: &Verdict) -> (&'static str, &'static str, &'static str) {
    if v.succeeded() {
        (SUCCEEDS, "✗", "succeeds")
    } else if v.flow_failed() {
        (NO_FLOW, "–", "no-flow")
    } else {
        (BLOCKED, "✓", "blocked")
    }
}

/// The matrix as an SVG grid: a red cell where the attack succeeded, green where it was
/// blocked (the cell's tooltip has the step and who refused).
pub fn svg(m: &Matrix) -> String {
    let label_w = m
        .rows
        .iter()
        .map(|(id, _)| id.chars().count())
        .max()
        .unwrap_or(10) as f32
        * 7.0
        + 16.0;
    let width = (MARGIN * 2.0 + label_w + CELL_W * m.columns.len() as f32 + 40.0).max(640.0);
    let top = MARGIN + 40.0 + HEAD_H;
    let height = top + CELL_H * m.rows.len() as f32 + MARGIN + 40.0;
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"{FONT}\">\n<title>Attack × defense matrix (seed {})</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n",
        m.seed
    );
    out.push_str(&format!(
        "<text x=\"{MARGIN}\" y=\"{:.1}\" font-size=\"16\" font-weight=\"bold\" fill=\"#1f2328\">Attack × defense matrix (seed {})</text>\n",
        MARGIN + 14.0,
        m.seed
    ));
    out.push_str(&format!(
        "<text x=\"{MARGIN}\" y=\"{:.1}\" font-size=\"11\" fill=\"#57606a\">{}</text>\n",
        MARGIN + 32.0,
        xml(INTRO)
    ));
    let x0 = MARGIN + label_w;
    for (c, col) in m.columns.iter().enumerate() {
        let x = x0 + CELL_W * (c as f32 + 0.5);
        out.push_str(&format!(
            "<text transform=\"translate({x:.1},{:.1}) rotate(-60)\" font-size=\"11\" fill=\"#1f2328\">{}</text>\n",
            top - 6.0,
            xml(&col.name)
        ));
    }
    for (r, (id, verdicts)) in m.rows.iter().enumerate() {
        let y = top + CELL_H * r as f32;
        out.push_str(&format!(
            "<text x=\"{MARGIN}\" y=\"{:.1}\" font-size=\"12\" fill=\"#1f2328\">{}</text>\n",
            y + 15.0,
            xml(id)
        ));
        for (c, v) in verdicts.iter().enumerate() {
            let x = x0 + CELL_W * c as f32;
            let (fill, mark, _) = cell_style(v);
            out.push_str(&format!(
                "<g><title>{}: {} under {}</title><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\" stroke=\"#ffffff\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#ffffff\">{mark}</text></g>\n",
                xml(id),
                xml(&v.banner()),
                xml(&m.columns[c].name),
                CELL_W,
                CELL_H,
                x + CELL_W / 2.0,
                y + 15.0
            ));
        }
    }
    let ly = top + CELL_H * m.rows.len() as f32 + 24.0;
    out.push_str(&format!(
        "<rect x=\"{MARGIN}\" y=\"{:.1}\" width=\"14\" height=\"14\" fill=\"{SUCCEEDS}\"/><text x=\"{:.1}\" y=\"{ly:.1}\" font-size=\"11\" fill=\"#1f2328\">✗ the attack succeeded</text>\n<rect x=\"{:.1}\" y=\"{:.1}\" width=\"14\" height=\"14\" fill=\"{BLOCKED}\"/><text x=\"{:.1}\" y=\"{ly:.1}\" font-size=\"11\" fill=\"#1f2328\">✓ the attack was blocked</text>\n<rect x=\"{:.1}\" y=\"{:.1}\" width=\"14\" height=\"14\" fill=\"{NO_FLOW}\"/><text x=\"{:.1}\" y=\"{ly:.1}\" font-size=\"11\" fill=\"#1f2328\">– the honest flow failed first</text>\n",
        ly - 11.0,
        MARGIN + 20.0,
        MARGIN + 200.0,
        ly - 11.0,
        MARGIN + 220.0,
        MARGIN + 400.0,
        ly - 11.0,
        MARGIN + 420.0
    ));
    out.push_str("</svg>\n");
    out
}

/// The matrix as one self-contained HTML page: a table with a cell per run.
pub fn html(m: &Matrix) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
    );
    out.push_str(&format!(
        "<title>Attack × defense matrix (seed {})</title>\n",
        m.seed
    ));
    out.push_str("<style>\nbody { font: 13px/1.4 \"DejaVu Sans\", Verdana, Arial, sans-serif; margin: 16px; color: #1f2328; }\ntable { border-collapse: collapse; }\nth, td { border: 1px solid #d0d7de; padding: 2px 4px; text-align: center; }\nth.col { writing-mode: vertical-rl; transform: rotate(180deg); font-weight: normal; white-space: nowrap; }\ntd.attack { text-align: left; font-family: monospace; }\ntd.succeeds { background: #cf222e; color: #fff; font-weight: bold; }\ntd.blocked { background: #dafbe1; color: #1a7f37; }\ntd.no-flow { background: #eaeef2; color: #57606a; }\n@media print { td.succeeds { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }\n</style>\n</head>\n<body>\n");
    out.push_str(&format!(
        "<h1>Attack × defense matrix (seed {})</h1>\n<p>{}</p>\n<table>\n<thead><tr><th>attack</th>",
        m.seed,
        xml(INTRO)
    ));
    for c in &m.columns {
        out.push_str(&format!("<th class=\"col\">{}</th>", xml(&c.name)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (id, verdicts) in &m.rows {
        out.push_str(&format!("<tr><td class=\"attack\">{}</td>", xml(id)));
        for (c, v) in verdicts.iter().enumerate() {
            out.push_str(&format!(
                "<td class=\"{}\" title=\"{} under {}: {}\">{}</td>",
                cell_style(v).2,
                xml(id),
                xml(&m.columns[c].name),
                xml(&v.banner()),
                xml(&v.cell())
            ));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</body>\n</html>\n");
    out
}
