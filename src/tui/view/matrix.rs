//! The attack × defense matrix window (`m`): one row per attack, one column per
//! profile, then the defenses whose absence alone lets the attack through in `bcp`.
//! A row is selected (↑↓) and Enter launches its attack. On a narrow screen the cells
//! take their short forms and the last column gives way to the selected row's detail,
//! so that every row stays on one line.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

use super::overlays::window;
use super::util::{paint, put, put_row, truncate, width, wrap};
use crate::actors::defenses::Profile;
use crate::tui::app::{App, MatrixPanel};
use crate::tui::attacks::{AttackEntry, Verdict};
use crate::tui::theme::theme;

/// Columns of a profile cell in the full and the short form.
const CELL_FULL: usize = 14;
const CELL_SHORT: usize = 11;
/// The fewest columns worth giving the last column on a row.
const TAIL_MIN: usize = 16;
/// Rows of the selected attack's detail under the table.
const DETAIL_ROWS: u16 = 3;

/// A verdict as a cell: `⚠ SUCCEEDS`, `✔ blocked@12`, `∅ no-flow@3`, or in the short
/// form `⚠ SUCCEEDS`, `✔ @12`, `∅ flow@3`.
fn cell_text(v: &Verdict, short: bool) -> String {
    match v {
        Verdict::Succeeded { .. } => "⚠ SUCCEEDS".into(),
        Verdict::FlowFailed { step, .. } if short => format!("∅ flow@{step}"),
        Verdict::Blocked { step: Some(n), .. } if short => format!("✔ @{n}"),
        Verdict::Blocked { step: None, .. } if short => "✔".into(),
        v if v.flow_failed() => format!("∅ {}", v.cell()),
        v => format!("✔ {}", v.cell()),
    }
}

fn cell_style(v: Option<&Verdict>) -> Style {
    let t = theme();
    match v {
        None => t.dim,
        Some(v) if v.succeeded() => t.bad,
        Some(v) if v.flow_failed() => t.warn,
        Some(_) => t.ok,
    }
}

fn verdict_of<'a>(m: &'a MatrixPanel, attack: &str, col: usize) -> Option<&'a Verdict> {
    m.cells
        .iter()
        .find(|c| c.attack == attack && c.column == col)
        .map(|c| &c.verdict)
}

/// The last column for one attack: the defenses whose absence alone lets it succeed
/// in `bcp`, or why there is none to name yet.
fn without(m: &MatrixPanel, attack: &str) -> String {
    let first = Profile::CLASSIC.len();
    let singles: Vec<&str> = (first..m.columns.len())
        .filter(|col| verdict_of(m, attack, *col).is_some_and(Verdict::succeeded))
        .map(|col| m.columns[col].trim_start_matches("bcp-"))
        .collect();
    let all_known = (first..m.columns.len()).all(|col| verdict_of(m, attack, col).is_some());
    if !singles.is_empty() {
        singles.join(", ")
    } else if all_known && !m.columns.is_empty() {
        "— (no single defense is critical)".into()
    } else {
        "…".into()
    }
}

/// How the table fits a window `w` columns wide: the id column, the cell width,
/// whether cells are short, and the last column's width (0 = not in the rows).
struct Fit {
    idw: usize,
    cell: usize,
    short: bool,
    tail: usize,
}

fn fit(catalog: &[AttackEntry], w: usize) -> Fit {
    let longest = catalog.iter().map(|a| width(&a.id)).max().unwrap_or(6);
    let profiles = Profile::CLASSIC.len();
    // Mark, id, two spaces; then the cells; then the last column.
    let full = 2 + longest + 2 + profiles * CELL_FULL;
    if w >= full + TAIL_MIN {
        return Fit {
            idw: longest + 2,
            cell: CELL_FULL,
            short: false,
            tail: w - full,
        };
    }
    let idw = (longest + 2).min(w.saturating_sub(2 + profiles * CELL_SHORT).max(8));
    let used = 2 + idw + profiles * CELL_SHORT;
    let tail = w.saturating_sub(used);
    Fit {
        idw,
        cell: CELL_SHORT,
        short: true,
        tail: if tail >= TAIL_MIN { tail } else { 0 },
    }
}

/// Draws the matrix window with attack `selected` highlighted.
pub fn render(app: &App, selected: usize, area: Rect, buf: &mut Buffer) {
    let t = theme();
    let inner = window(
        area,
        buf,
        118,
        area.height.saturating_sub(2),
        "Attack × defense matrix",
        "↑↓ choose · Enter launch · Esc close",
    );
    if inner.height < 4 || inner.width < 20 {
        return;
    }
    let m = &app.matrix;
    let w = inner.width as usize;
    let f = fit(&app.catalog, w);
    let done = m.cells.len();
    let intro = if m.running {
        (
            format!(
                "Computing in the background… {done}/{} runs. Keep using the UI; this fills in as runs finish.",
                m.expected
            ),
            t.warn,
        )
    } else if app.catalog.is_empty() {
        ("No attack catalog in this build.".to_string(), t.base)
    } else {
        let cells = if f.short {
            "✔ @N = blocked at step N; ∅ flow@N = the honest flow failed at step N before the attack began."
        } else {
            "no-flow@N = the honest flow failed at step N before the attack began."
        };
        (
            format!(
                "{done} runs, each a real simulation (seed {}). SUCCEEDS = the attacker reached the goal; {cells}",
                app.timeline.spec.seed
            ),
            t.dim,
        )
    };
    let mut y = inner.y;
    let intro_rows = wrap(&intro.0, w);
    for line in intro_rows.iter().take(3) {
        put(buf, inner, inner.x, y, line, intro.1);
        y += 1;
    }
    y += 1;
    // The header.
    let mut header = format!("  {:<idw$}", "attack", idw = f.idw);
    for p in Profile::CLASSIC {
        header.push_str(&format!("{:<cell$}", p.name(), cell = f.cell));
    }
    if f.tail > 0 {
        let title = if f.short {
            "succeeds without"
        } else {
            "one defense off in bcp: succeeds without"
        };
        header.push_str(&truncate(title, f.tail));
    }
    put_row(buf, inner, y, &header, t.bold);
    y += 1;
    // The rows, scrolled to keep the selected one in sight.
    let rows = inner.bottom().saturating_sub(y + DETAIL_ROWS + 1).max(1) as usize;
    let first = selected.saturating_sub(rows.saturating_sub(1));
    for (i, a) in app.catalog.iter().enumerate().skip(first).take(rows) {
        let mark = if i == selected { "▶ " } else { "  " };
        let mut x = put(
            buf,
            inner,
            inner.x,
            y,
            &format!("{mark}{:<idw$}", truncate(&a.id, f.idw - 1), idw = f.idw),
            t.base,
        );
        for col in 0..Profile::CLASSIC.len() {
            let v = verdict_of(m, &a.id, col);
            let text = v.map_or("…".into(), |v| cell_text(v, f.short));
            let text = format!("{:<cell$}", truncate(&text, f.cell - 1), cell = f.cell);
            x = put(buf, inner, x, y, &text, cell_style(v));
        }
        if f.tail > 0 {
            let tail = without(m, &a.id);
            // The short form keeps the dash; the detail line below says it in words.
            let tail = if f.short && tail.starts_with('—') {
                "—".to_string()
            } else {
                tail
            };
            put(buf, inner, x, y, &truncate(&tail, f.tail), t.base);
        }
        if i == selected {
            paint(buf, Rect::new(inner.x, y, inner.width, 1), t.current);
        }
        y += 1;
    }
    // The selected attack in full.
    if let Some(a) = app.catalog.get(selected) {
        let more = app.catalog.len().saturating_sub(first + rows);
        let scroll_hint = match (first, more) {
            (0, 0) => String::new(),
            (0, n) => format!(" (↓ {n} more)"),
            (above, 0) => format!(" (↑ {above} more)"),
            (above, n) => format!(" (↑ {above} · ↓ {n} more)"),
        };
        let singles = match without(m, &a.id).as_str() {
            "…" => "bcp with one defense off is not computed yet".to_string(),
            s if s.starts_with('—') => "no single defense off in bcp lets it succeed".to_string(),
            s => format!("succeeds in bcp with any one of these off: {s}"),
        };
        let text = format!(
            "{}: {singles}. Enter launches it in this world ({}).{scroll_hint}",
            a.id,
            app.timeline.spec.defenses_label()
        );
        let y0 = inner.bottom().saturating_sub(DETAIL_ROWS);
        for (k, line) in wrap(&text, w).iter().take(DETAIL_ROWS as usize).enumerate() {
            put(buf, inner, inner.x, y0 + k as u16, line, t.dim);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_fit_the_window_they_are_drawn_in() {
        let catalog = crate::tui::attacks::catalog();
        for w in [76usize, 90, 116] {
            let f = fit(&catalog, w);
            let row = 2 + f.idw + Profile::CLASSIC.len() * f.cell + f.tail;
            assert!(row <= w, "{w}: {row}");
        }
        assert!(!fit(&catalog, 116).short);
        assert!(fit(&catalog, 76).short);
    }
}
