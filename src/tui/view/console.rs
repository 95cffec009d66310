//! The attacker console's pane (drawn in the inspector's place while open): Loot —
//! every copy the position received up to the selected step, with its artifacts — or
//! Compose — the move templates.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Borders, Widget};

use super::util::{paint, put, truncate, width, wrap};
use crate::sim::decode::summary;
use crate::terminal_text::one_line;
use crate::tui::app::App;
use crate::tui::console::{Section, loot, position};
use crate::tui::theme::theme;
use crate::workshop::{Loot, Template};

/// One row of the pane: text, and whether it is the selected item.
struct Row {
    text: String,
    style: ratatui::style::Style,
    selected: bool,
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let t = theme();
    let who = position(app).map_or("no position", |p| p.name());
    let wide = area.width >= 50;
    let footer = match (app.console.section, wide) {
        (Section::Loot, true) => " ↑↓ choose · Enter its step · 2 compose · A close ",
        (Section::Compose, true) => " ↑↓ choose · Enter compose · 1 loot · A close ",
        (Section::Loot, false) => " Enter: its step · 2: compose ",
        (Section::Compose, false) => " Enter: compose · 1: loot ",
    };
    let title = if wide {
        format!(" ⚠ Attacker console · {who} ")
    } else {
        format!(" ⚠ Attacker · {who} ")
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Thick)
        .border_style(t.attacker)
        .title(Line::styled(title, t.attacker))
        .title_bottom(Line::styled(footer, t.dim).right_aligned());
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height < 3 || inner.width < 10 {
        return;
    }
    let w = inner.width as usize;
    let loot = loot(app);
    // The section bar: `[1 Loot 4] 2 Compose`.
    let tabs = [
        (Section::Loot, format!("1 Loot {}", loot.artifacts.len())),
        (Section::Compose, "2 Compose".to_string()),
    ];
    let mut x = inner.x;
    for (s, label) in tabs {
        let (text, style) = if s == app.console.section {
            (format!("[{label}]"), t.tab_selected)
        } else {
            (format!(" {label} "), t.dim)
        };
        x = put(buf, inner, x, inner.y, &text, style) + 1;
    }
    if let Some(p) = position(app) {
        let cap = p.capability().label();
        if (x - inner.x) as usize + width(cap) < w {
            put(
                buf,
                inner,
                inner.right() - width(cap) as u16,
                inner.y,
                cap,
                t.dim,
            );
        }
    }
    let body = Rect::new(inner.x, inner.y + 1, inner.width, inner.height - 1);
    let (rows, detail) = match app.console.section {
        Section::Loot => loot_rows(app, &loot, w),
        Section::Compose => template_rows(app, w),
    };
    let detail_lines: Vec<String> = wrap(&detail, w).into_iter().take(4).collect();
    let detail_h = if body.height >= 8 && !detail_lines.is_empty() {
        detail_lines.len() as u16 + 1
    } else {
        0
    };
    let list_h = body.height.saturating_sub(detail_h) as usize;
    let sel = rows.iter().position(|r| r.selected).unwrap_or(0);
    let first = sel.saturating_sub(list_h.saturating_sub(1));
    for (i, row) in rows.iter().enumerate().skip(first).take(list_h) {
        let y = body.y + (i - first) as u16;
        put(buf, body, body.x, y, &truncate(&row.text, w), row.style);
        if row.selected {
            paint(buf, Rect::new(body.x, y, body.width, 1), t.current);
        }
    }
    if detail_h > 0 {
        let y = body.bottom() - detail_h;
        put(buf, body, body.x, y, &"─".repeat(w), t.border);
        for (i, line) in detail_lines.iter().enumerate() {
            put(buf, body, body.x, y + 1 + i as u16, line, t.base);
        }
    }
}

/// Loot: a heading per copy received (its step, who got it, its first line), its
/// artifacts under it; and, below, the selected artifact in full.
fn loot_rows(app: &App, loot: &Loot, w: usize) -> (Vec<Row>, String) {
    let t = theme();
    let mut rows = Vec::new();
    if loot.copies.is_empty() {
        let text =
            "Nothing yet. Step on with →: what this position receives shows here, step by step.";
        for line in wrap(text, w) {
            rows.push(Row {
                text: line,
                style: t.dim,
                selected: false,
            });
        }
        return (rows, String::new());
    }
    let selected = app
        .console
        .loot_selected
        .min(loot.artifacts.len().saturating_sub(1));
    let mut detail = String::new();
    let mut listed = vec![false; loot.artifacts.len()];
    for c in &loot.copies {
        let how = if c.observed { "copy to" } else { "to" };
        rows.push(Row {
            text: format!(
                "step {:>3} · {how} {} · {}",
                c.step,
                c.reader,
                one_line(&summary(&c.wire))
            ),
            style: t.bold,
            selected: false,
        });
        // The artifacts that first arrived with this copy.
        for (i, a) in loot.artifacts.iter().enumerate() {
            if a.step != c.step || listed[i] {
                continue;
            }
            listed[i] = true;
            let value = one_line(&a.value);
            rows.push(Row {
                text: format!("{}{:<13} {value}", mark(i == selected), a.kind.field()),
                style: t.base,
                selected: i == selected,
            });
            if i == selected {
                detail = format!("{} from step {}: {value}", a.kind.field(), a.step);
            }
        }
    }
    (rows, detail)
}

/// The selection mark (a `▶`, seen without colours too).
fn mark(selected: bool) -> &'static str {
    if selected { "▶ " } else { "  " }
}

/// Compose: the templates, and what the selected one does.
fn template_rows(app: &App, _w: usize) -> (Vec<Row>, String) {
    let t = theme();
    let selected = app.console.template_selected.min(Template::ALL.len() - 1);
    let rows = (Template::ALL.iter().enumerate())
        .map(|(i, tpl)| Row {
            text: format!(
                "{}{:<16} {}",
                mark(i == selected),
                tpl.name(),
                crate::tui::console::compose::title(*tpl)
            ),
            style: t.base,
            selected: i == selected,
        })
        .collect();
    let tpl = Template::ALL[selected];
    let fields: Vec<String> = (tpl.fields().iter())
        .map(|f| {
            if f.required && f.default.is_none() {
                f.name.to_string()
            } else {
                format!("[{}]", f.name)
            }
        })
        .collect();
    let detail = format!(
        "{}. Fields: {} ([…] optional or with a default). Enter opens it in the editor.",
        crate::tui::console::compose::title(tpl),
        fields.join(", ")
    );
    (rows, detail)
}
