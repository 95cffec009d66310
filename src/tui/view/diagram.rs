//! The sequence diagram: a lane per actor, one labelled arrow per step.
//!
//! ```text
//!        Browser       Client        AS            RS
//!           │  GET client.example/login │             │
//!   ▶  7    │─────────────▶│            │             │
//! ```
//! Front-channel `──▶`, back-channel `══▶`, observed `··▶`; attacker steps are marked
//! `⚠`, the learner's `✎`; the current step has `▶` in the gutter and reverse video.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Widget;

use super::layout::GUTTER;
use super::util::{paint, put, put_own, truncate, width};
use crate::sim::{ActorKind, Channel, Origin, Step, StepKind};
use crate::tui::app::{App, Pane};
use crate::tui::screen::StepRows;
use crate::tui::theme::{Theme, theme};

/// The names of a lane, longest first. An attacker's lanes (its own actor, and any
/// browser or app it drives) all carry `⚠`, so they stand out without colour.
fn lane_names(kind: ActorKind, label: &str, id: &str, attacker: bool) -> Vec<String> {
    let (long, short) = match kind {
        ActorKind::Browser => ("Browser", "Browser"),
        ActorKind::Client => ("Client", "Client"),
        ActorKind::NativeApp => ("Native app", "App"),
        ActorKind::AuthorizationServer => ("Auth server", "AS"),
        ActorKind::ResourceServer => ("Resource server", "RS"),
        ActorKind::Site => ("Site", "Site"),
        ActorKind::Attacker => ("Attacker", "Attacker"),
    };
    if !(attacker || kind.is_attacker()) {
        return vec![
            label.to_string(),
            long.to_string(),
            short.to_string(),
            id.to_string(),
        ];
    }
    let label = label.trim_start_matches('⚠').trim();
    // `Browser (Mallory)` → `Mallory`; `Attacker (log reader)` → `Attacker`.
    let (head, paren) = match label.split_once(" (") {
        Some((h, p)) => (h.trim(), p.trim_end_matches(')').trim()),
        None => (label, ""),
    };
    let person = kind == ActorKind::Browser && !paren.is_empty();
    let mut names = vec![format!("⚠ {label}")];
    if person {
        names.push(format!("⚠ {paren}'s {}", long.to_lowercase()));
        names.push(format!("⚠ {paren}"));
        names.push(format!("⚠{paren}"));
    }
    names.push(format!("⚠ {head}"));
    names.push(format!("⚠ {long}"));
    names.push(format!("⚠ {id}"));
    names.push(format!("⚠{short}"));
    names.push("⚠".to_string());
    names
}

/// Where a label of `w` columns centred on `center` starts and ends (exclusive).
fn extent(center: u16, w: usize) -> (i32, i32) {
    let x = center as i32 - (w / 2) as i32;
    (x, x + w as i32)
}

/// Every lane's label: the longest of its names that fits `max` columns; then, for an
/// attacker's lane, a longer one where the neighbours' labels leave room (short `AS`,
/// `RS`).
fn lane_labels(
    actors: &[crate::sim::trace::ActorInfo],
    max: usize,
    centers: &[u16],
    (left, right): (u16, u16),
) -> Vec<String> {
    let fit = |names: &[String]| match names.iter().find(|n| width(n) <= max) {
        Some(n) => n.clone(),
        None => {
            let best = names
                .iter()
                .min_by_key(|s| width(s))
                .cloned()
                .unwrap_or_default();
            truncate(&best, max)
        }
    };
    let names: Vec<Vec<String>> = actors
        .iter()
        .map(|a| lane_names(a.kind, &a.label, a.id.as_str(), a.attacker))
        .collect();
    let mut labels: Vec<String> = names.iter().map(|n| fit(n)).collect();
    if centers.len() == labels.len() {
        // Only the attacker's lanes, whose short names (`⚠`) say too little.
        for i in (0..labels.len()).filter(|&i| actors[i].attacker || actors[i].kind.is_attacker()) {
            let lo = match i {
                0 => left as i32,
                _ => extent(centers[i - 1], width(&labels[i - 1])).1 + 1,
            };
            let hi = match labels.get(i + 1) {
                Some(next) => extent(centers[i + 1], width(next)).0 - 1,
                None => right as i32,
            };
            let now = names[i].iter().position(|n| *n == labels[i]);
            if let Some((k, n)) = names[i].iter().enumerate().find(|(_, n)| {
                let (a, b) = extent(centers[i], width(n));
                a >= lo && b <= hi
            }) && now.is_none_or(|j| k < j)
            {
                labels[i] = n.clone();
            }
        }
    }
    // Two lanes must never read alike (Alice's browser and the attacker's): those that
    // do fall back to their ids.
    for i in 0..labels.len() {
        if labels.iter().filter(|l| **l == labels[i]).count() > 1 {
            let same = labels[i].clone();
            for (j, a) in actors.iter().enumerate() {
                if labels[j] == same && j > 0 && labels[..j].contains(&same) {
                    let id = a.id.as_str();
                    let hostile = ["attacker", "mallory", "evil"]
                        .iter()
                        .any(|w| id.contains(w));
                    let name = if hostile {
                        format!("⚠ {id}")
                    } else {
                        id.to_string()
                    };
                    labels[j] = truncate(&name, max);
                }
            }
        }
    }
    labels
}

/// The style of a step's arrow and label.
pub fn step_style(t: &Theme, step: &Step) -> Style {
    match (step.origin, step.kind, step.channel) {
        (Origin::Attacker, _, _) => t.attacker,
        (Origin::Learner, _, _) => t.learner,
        (_, StepKind::Observed, _) | (_, _, Channel::Observed) => t.observed,
        (_, StepKind::Event, _) => t.event,
        (_, _, Channel::BackChannel) => t.back,
        _ => t.front,
    }
}

/// The text of a step's label, with its markers.
pub fn step_label(step: &Step) -> String {
    let summary = step.summary.replace('⏱', "⧗");
    let origin = match step.origin {
        Origin::Attacker => "⚠ ",
        Origin::Learner => "✎ ",
        Origin::Honest => "",
    };
    let seen = if step.kind == StepKind::Observed {
        "seen: "
    } else {
        ""
    };
    format!("{origin}{seen}{summary}")
}

/// Live mode's arrow label and its column: it stays between the lanes next to the
/// arrow's ends (crossing only lanes the arrow crosses too), so a long URL never runs
/// over another party's lane line. A request's `host:port` is left out when the label
/// would not fit (the lane it points at names the server; the inspector has the URL),
/// and what still does not fit is cut with `…`.
fn live_label(
    step: &Step,
    label: String,
    (lo, hi): (u16, u16),
    centers: &[u16],
    (left, right): (u16, u16),
) -> (String, u16) {
    let from = centers
        .iter()
        .rev()
        .find(|&&c| c < lo)
        .map_or(left, |c| c + 2);
    let to = centers.iter().find(|&&c| c > hi).map_or(right, |c| c - 1);
    let room = to.saturating_sub(from) as usize;
    let label = if width(&label) > room && step.kind == StepKind::Request {
        without_host(&label)
    } else {
        label
    };
    let text = truncate(&label, room);
    let w = width(&text) as u16;
    // Just right of the left end, shifted left as far as the room allows.
    let lx = (lo + 2).min(to.saturating_sub(w)).max(from);
    (text, lx)
}

/// `GET 127.0.0.2:9001/jwks` → `GET /jwks`: the first word naming a host then a path
/// keeps its path only.
fn without_host(label: &str) -> String {
    let words: Vec<&str> = label.split(' ').collect();
    let host_path = words.iter().position(|w| {
        w.find('/')
            .is_some_and(|slash| slash > 0 && w[..slash].contains(['.', ':']))
    });
    match host_path {
        Some(i) => {
            let mut words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
            let slash = words[i].find('/').unwrap_or(0);
            words[i] = words[i][slash..].to_string();
            words.join(" ")
        }
        None => label.to_string(),
    }
}

fn line_char(step: &Step) -> char {
    if step.kind == StepKind::Observed || step.channel == Channel::Observed {
        '·'
    } else if step.channel == Channel::BackChannel {
        '═'
    } else {
        '─'
    }
}

/// Draws the diagram in `area`, showing the window of steps `rows` (from
/// [`super::layout::step_rows`]).
pub fn render(app: &App, area: Rect, rows: &StepRows, buf: &mut Buffer) {
    let t = theme();
    let focused = app.focus == Pane::Diagram;
    let StepRows {
        body,
        top,
        visible,
        rows_per_step: rps,
    } = *rows;
    let len = app.timeline.len();
    let more_above = top > 0;
    let more_below = top + visible < len;
    let mut block = super::util::pane_block("Sequence diagram", focused);
    // Live, `══▶` also carries curl's and the learner's client's requests: "direct".
    let legend = if app.timeline.is_live() {
        " ──▶ browser  ══▶ direct  ··▶ seen  ⚠ attacker "
    } else {
        " ──▶ front  ══▶ back  ··▶ seen  ⚠ attacker "
    };
    let scroll_hint = match (more_above, more_below) {
        (true, true) => " ↑↓ more ",
        (true, false) => " ↑ more ",
        (false, true) => " ↓ more ",
        _ => "",
    };
    if area.width as usize > width(legend) + width(scroll_hint) + 4 {
        block = block.title_bottom(Line::styled(legend, t.dim));
    }
    if !scroll_hint.is_empty() {
        block = block.title_bottom(Line::styled(scroll_hint, t.bold).right_aligned());
    }
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.width <= GUTTER + 2 || inner.height < 2 {
        return;
    }

    let actors = &app.timeline.trace().actors;
    let lanes_x0 = inner.x + GUTTER;
    let lanes_w = inner.width - GUTTER;
    let n = actors.len().max(1) as u16;
    let center = |i: usize| lanes_x0 + lanes_w * (2 * i as u16 + 1) / (2 * n);
    let spacing = (lanes_w / n).saturating_sub(1) as usize;

    // Header: lane labels.
    let centers: Vec<u16> = (0..actors.len()).map(center).collect();
    let labels = lane_labels(
        actors,
        spacing.max(1),
        &centers,
        (lanes_x0.saturating_sub(GUTTER - 1), inner.right()),
    );
    for (i, (a, label)) in actors.iter().zip(labels).enumerate() {
        let x = center(i).saturating_sub(width(&label) as u16 / 2);
        let style = if a.kind.is_attacker() || a.attacker {
            t.attacker
        } else {
            t.lane_header
        };
        put(buf, inner, x, inner.y, &label, style);
    }

    let lane_of = |id: &str| actors.iter().position(|a| a.id.as_str() == id);
    let draw_lanes = |buf: &mut Buffer, y: u16| {
        for i in 0..actors.len() {
            put(buf, body, center(i), y, "│", t.lane);
        }
    };
    for y in body.y..body.bottom() {
        draw_lanes(buf, y);
    }

    let steps = &app.timeline.trace().steps;
    let changed = app.changed.as_ref().map(|d| d.index);
    let lesson_focus = app.lesson.as_ref().and_then(|l| l.focus);
    let gate = app.lesson.as_ref().and_then(|l| l.gate);
    for (row, step) in steps.iter().enumerate().skip(top).take(visible) {
        let y0 = body.y + (row - top) as u16 * rps;
        let label_y = y0;
        let arrow_y = y0 + 1;
        let current = row == app.cursor;
        let style = step_style(t, step);
        let label_style = if app.presenter {
            style.add_modifier(Modifier::BOLD)
        } else {
            style
        };

        // Gutter: marker and step number.
        let marker = if current {
            "▶"
        } else if changed == Some(row) {
            "Δ"
        } else {
            " "
        };
        let marker_style = if changed == Some(row) && !current {
            t.changed
        } else {
            t.bold
        };
        put(buf, inner, inner.x, arrow_y, marker, marker_style);
        put(
            buf,
            inner,
            inner.x + 1,
            arrow_y,
            &format!("{row:>3}"),
            if current { t.bold } else { t.dim },
        );
        if changed == Some(row) && current {
            put(buf, inner, inner.x, label_y, "Δ", t.changed);
        } else if lesson_focus.is_some_and(|(a, b)| row >= a && row <= b) {
            // The steps the lesson's current part is about.
            put(buf, inner, inner.x, label_y, "◆", t.changed);
        }

        let from = lane_of(step.from.as_str());
        let to = lane_of(step.to.as_str());
        let label = step_label(step);
        let right_edge = inner.right();
        match (from, to) {
            (Some(a), Some(b)) if a != b && step.kind != StepKind::Event => {
                let (x1, x2) = (center(a), center(b));
                let (lo, hi) = (x1.min(x2), x1.max(x2));
                let (text, lx) = if app.timeline.is_live() {
                    live_label(step, label, (lo, hi), &centers, (lanes_x0, right_edge))
                } else {
                    // Label row: start just right of the left end, shift left to fit.
                    let avail = (right_edge - lanes_x0) as usize;
                    let text = truncate(&label, avail.saturating_sub(1));
                    let w = width(&text) as u16;
                    let mut lx = lo + 2;
                    if lx + w > right_edge {
                        lx = right_edge.saturating_sub(w).max(lanes_x0);
                    }
                    (text, lx)
                };
                put_own(buf, inner, lx, label_y, &text, label_style);
                // Arrow row.
                let c = line_char(step).to_string();
                for x in lo + 1..hi {
                    put_own(buf, inner, x, arrow_y, &c, style);
                }
                if hi > lo + 1 {
                    let (hx, head) = if x2 > x1 {
                        (hi - 1, "▶")
                    } else {
                        (lo + 1, "◀")
                    };
                    put_own(buf, inner, hx, arrow_y, head, style);
                }
            }
            _ => {
                // An event: the clock (across the lanes), or a person acting (a dot on
                // their lane, the label above it like an arrow's).
                let avail = (right_edge - lanes_x0) as usize;
                match from {
                    Some(lane) if step.from.as_str() != "world" => {
                        let cx = center(lane);
                        let text = truncate(&label, avail.saturating_sub(1));
                        let w = width(&text) as u16;
                        let mut lx = cx + 2;
                        if lx + w > right_edge {
                            lx = right_edge.saturating_sub(w).max(lanes_x0);
                        }
                        put_own(buf, inner, lx, label_y, &text, t.event);
                        put_own(buf, inner, cx, arrow_y, "●", t.bold);
                    }
                    _ => {
                        let text = truncate(&format!("┄┄ {label} ┄┄"), avail);
                        let w = width(&text) as u16;
                        let x = lanes_x0 + (lanes_w.saturating_sub(w)) / 2;
                        put_own(buf, inner, x, arrow_y, &text, t.event);
                    }
                }
            }
        }
        if current {
            let r = Rect::new(
                inner.x,
                label_y,
                inner.width,
                2.min(body.bottom().saturating_sub(label_y)),
            );
            paint(buf, r, t.current);
        }
    }

    // The hint row after the last step.
    let shown_end = top + visible >= len;
    if shown_end {
        let y = body.y + (len - top) as u16 * rps;
        if y < body.bottom() {
            let held = app.held_count();
            let (text, style) = if gate.is_some_and(|g| len >= g) {
                let n = app.lesson.as_ref().map_or(0, |l| l.choice_count());
                let what = if len == 0 {
                    "? the world has not run yet"
                } else {
                    "? next: the step the question is about"
                };
                (format!("{what} — answer first (1–{n})"), t.warn)
            } else if held > 0 {
                (
                    format!("⏸ {held} held at the bus — f forward · x drop · e edit"),
                    t.warn,
                )
            } else if app.timeline.is_live() {
                (
                    "⋯ live: new messages appear as they arrive".to_string(),
                    t.dim,
                )
            } else if !app.timeline.is_finished() {
                ("⋯ press → for the next message".to_string(), t.dim)
            } else {
                ("■ end of the run".to_string(), t.dim)
            };
            let text = truncate(&text, inner.width.saturating_sub(2) as usize);
            put(buf, inner, inner.x + 1, y, &text, style);
        }
    }
}
