//! Live mode's view: the shared panes (diagram, inspector, narration) drawn by the
//! simulation UI's view in the room above the held-request pane, under a live header and
//! over a live status line (they replace the simulation's title and status, which speak
//! of seeds, play and the simulated bus). On the smallest screens the held requests
//! are drawn over the bottom of the narration instead.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::state::LiveApp;
use crate::actors::SimTime;
use crate::live::hold;
use crate::tui::theme::theme;
use crate::tui::view::util::{clear, paint, pane_block, put, truncate, width};

impl Widget for &LiveApp {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let pane_h = self.held_pane_height().min(area.height);
        let panes = Rect {
            height: area.height - pane_h,
            ..area
        };
        (&self.app).render(panes, buf);
        if self.app.too_small() || panes.height < 2 {
            return;
        }
        header(self, Rect { height: 1, ..panes }, buf);
        status(
            self,
            Rect {
                y: panes.bottom() - 1,
                height: 1,
                ..panes
            },
            buf,
        );
        let overlay_h = self.held_overlay_height();
        if overlay_h > 0 && panes.height > overlay_h + 1 {
            let above_status = panes.bottom() - 1 - overlay_h;
            held_pane(
                self,
                Rect {
                    y: above_status,
                    height: overlay_h,
                    ..panes
                },
                buf,
            );
        }
        if pane_h > 0 {
            held_pane(
                self,
                Rect {
                    y: panes.bottom(),
                    height: pane_h,
                    ..area
                },
                buf,
            );
        }
    }
}

/// `http://127.0.0.1:9000` → `127.0.0.1:9000`.
fn bare(url: &str) -> &str {
    url.trim_start_matches("http://")
}

/// The header: live, the three servers' URLs, how to quit.
fn header(live: &LiveApp, area: Rect, buf: &mut Buffer) {
    let t = theme();
    clear(buf, area);
    let u = &live.urls;
    let (client, auth, api) = (
        bare(&u.client),
        bare(&u.auth_server),
        bare(&u.resource_server),
    );
    // The widest form that fits, each naming the three servers and how to quit.
    let forms = [
        (
            format!(
                " ● LIVE · client {}/ · AS {} · RS {}",
                u.client, u.auth_server, u.resource_server
            ),
            " q / Ctrl-C quit ",
        ),
        (
            format!(" ● LIVE · client {client} · AS {auth} · RS {api}"),
            " q / Ctrl-C quit ",
        ),
        (
            format!(" ● LIVE client {client} AS {auth} RS {api}"),
            " q quit ",
        ),
    ];
    let w = area.width as usize;
    let fits = |(left, right): &(String, &str)| width(left) + width(right) < w;
    let (left, right) = match forms.iter().find(|f| fits(f)) {
        Some(f) => f.clone(),
        None => forms[2].clone(),
    };
    let room = w.saturating_sub(width(right) + 1);
    let end = put(buf, area, area.x, area.y, &truncate(&left, room), t.title);
    let live_mark = area.x..area.x + 8;
    for x in live_mark {
        if let Some(cell) = buf.cell_mut((x, area.y)) {
            cell.set_style(t.bad);
        }
    }
    if end < area.right().saturating_sub(width(right) as u16) {
        let x = area.right() - width(right) as u16;
        put(buf, area, x, area.y, right, t.dim);
    }
}

/// The status line: the selected step's time, the defenses in force, the step, the
/// intercept and the nearest 504.
fn status(live: &LiveApp, area: Rect, buf: &mut Buffer) {
    let t = theme();
    clear(buf, area);
    paint(buf, area, t.status);
    let app = &live.app;
    let now = app
        .step()
        .map(|s| SimTime(s.time_ms).clock_label())
        .unwrap_or_default();
    let intercept = if live.intercepting() {
        format!(
            "intercept ON (504 after {})",
            hold::seconds(live.hub.holds().timeout())
        )
    } else {
        "intercept off".to_string()
    };
    let held = match live.held.iter().map(|h| h.remaining).min() {
        Some(soonest) => format!(
            "held {} · next 504 in {}",
            live.held.len(),
            countdown(soonest)
        ),
        None => "held 0".to_string(),
    };
    // Most urgent first: a narrow screen cuts the line from the right.
    let parts = [
        format!(
            " step {}/{}",
            app.cursor,
            app.timeline.len().saturating_sub(1)
        ),
        held,
        intercept,
        format!("defenses {}", app.timeline.spec.defenses_label()),
        format!("⧗ {now}"),
    ];
    let text = parts.join(" │ ");
    let keys = " d defenses  i intercept  ? help ";
    put(
        buf,
        area,
        area.x,
        area.y,
        &truncate(&text, area.width as usize),
        t.status,
    );
    if width(&text) + width(keys) + 2 <= area.width as usize {
        let x = area.right() - width(keys) as u16;
        put(buf, area, x, area.y, keys, t.status);
    }
}

/// `17 s`, rounded up: a request shown with `1 s` left still has some.
fn countdown(d: std::time::Duration) -> String {
    let ms = d.as_millis() as u64;
    format!("{} s", ms.div_ceil(1000))
}

/// The held requests, oldest first, each with the time left before its 504.
fn held_pane(live: &LiveApp, area: Rect, buf: &mut Buffer) {
    let t = theme();
    clear(buf, area);
    let holds = live.hub.holds();
    let whose = match holds.only_to() {
        Some(p) => format!("requests to {p}"),
        None => "every request".to_string(),
    };
    let title = if live.intercepting() {
        format!("Intercept ON: holding {whose}")
    } else {
        "Intercept off: still held".to_string()
    };
    let block = pane_block(&title, !live.held.is_empty());
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.height == 0 {
        return;
    }
    let w = inner.width as usize;
    let hint = "f forward · e edit · x drop · w forward all · < > choose · o whose · i intercept";
    put(
        buf,
        inner,
        inner.x + 1,
        inner.y,
        &truncate(hint, w.saturating_sub(2)),
        t.dim,
    );
    if live.held.is_empty() {
        let text = format!(
            "Nothing held yet. A request that arrives waits here; left alone it gets a 504 after {}.",
            hold::seconds(holds.timeout())
        );
        put(
            buf,
            inner,
            inner.x + 1,
            inner.y + 1,
            &truncate(&text, w.saturating_sub(2)),
            t.base,
        );
        return;
    }
    let rows = inner.height.saturating_sub(1) as usize;
    let selected = live.held_selected.min(live.held.len() - 1);
    let first = selected.saturating_sub(rows.saturating_sub(1));
    for (row, (i, h)) in live
        .held
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .enumerate()
    {
        let y = inner.y + 1 + row as u16;
        let mark = if i == selected { "▶" } else { " " };
        let left = format!(
            "{mark} #{:<3} {} → {}  {}",
            h.id,
            crate::terminal_text::one_line(h.from.as_str()),
            crate::terminal_text::one_line(h.to.as_str()),
            hold::request_line(&h.wire)
        );
        let right = format!("504 in {} ", countdown(h.remaining));
        let style = if i == selected { t.current } else { t.base };
        let room = w.saturating_sub(width(&right) + 2);
        put(buf, inner, inner.x + 1, y, &truncate(&left, room), style);
        let x = inner.right().saturating_sub(width(&right) as u16);
        put(buf, inner, x, y, &right, t.warn);
    }
}
