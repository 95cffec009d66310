//! The title bar, the status bar, the verdict banner, and the "enlarge the terminal"
//! notice for screens below 80×24.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::util::{centered, paint, put, truncate, width, wrap};
use crate::tui::app::{App, MIN_HEIGHT, MIN_WIDTH};
use crate::tui::attacks::Verdict;
use crate::tui::theme::theme;

pub fn title(app: &App, area: Rect, buf: &mut Buffer) {
    let t = theme();
    let what = match &app.timeline.spec.attack {
        _ if app.challenge.is_some() => super::console_challenge::title_words(app),
        _ if let Some(s) = &app.timeline.spec.workshop => {
            format!("⚠ you are the attacker · {}", s.position.name())
        }
        Some(id) => {
            let title = app
                .catalog
                .iter()
                .find(|a| a.id == **id)
                .map(|a| a.title.clone())
                .unwrap_or_else(|| id.to_string());
            format!("⚠ attack: {title}")
        }
        None => "Authorization Code Flow — the happy path".to_string(),
    };
    let left = match &app.lesson {
        Some(m) => format!(
            " oauth-lab · lesson {} · {what}",
            m.lesson()
                .number
                .map_or(m.lesson().id.clone(), |n| n.to_string())
        ),
        None => format!(" oauth-lab · {what}"),
    };
    let right = format!("seed {} · ? help · q quit ", app.timeline.spec.seed);
    let w = area.width as usize;
    put(buf, area, area.x, area.y, &truncate(&left, w), t.title);
    if width(&left) + width(&right) + 2 <= w {
        let x = area.right() - width(&right) as u16;
        put(buf, area, x, area.y, &right, t.dim);
    }
}

pub fn status(app: &App, area: Rect, buf: &mut Buffer) {
    let t = theme();
    paint(buf, area, t.status);
    let now = app
        .timeline
        .state_at(app.cursor)
        .map(|s| s.now)
        .unwrap_or_default();
    let last = app.timeline.expected_len().saturating_sub(1);
    let play = if app.playing {
        format!("▶ playing {}", app.speed_label())
    } else {
        format!("⏸ paused {}", app.speed_label())
    };
    let intercept = if app.is_intercepting() {
        "intercept ON"
    } else {
        "intercept off"
    };
    let parts = [
        format!(" ⧗ {}", super::clock::label(now)),
        // A challenge's deployment is undisclosed until it is solved.
        if app.challenge.as_ref().is_some_and(|c| !c.is_solved()) {
            "deployment undisclosed".to_string()
        } else {
            format!("profile {}", app.timeline.spec.defenses_label())
        },
        // While a lesson's question waits, the total would hint where the run ends.
        if app.lesson.as_ref().is_some_and(|l| l.holds_back()) {
            format!("step {}", app.cursor)
        } else {
            format!("step {}/{}", app.cursor, last)
        },
        format!("held {}", app.held_count()),
        intercept.to_string(),
        play,
    ];
    let text = parts.join(" │ ");
    let candidates: &[&str] = if app.challenge.is_some() {
        &[
            " → step  A console  B briefing  H hint  ? help ",
            " A console  B briefing  ? help ",
        ]
    } else if app.lesson.is_some() {
        &[
            " Enter continue  → step  L lessons  ? help ",
            " Enter continue  ? help ",
        ]
    } else {
        &[
            " → step  d defenses  a attacks  A attacker  L lessons  ? help ",
            " → step  d defenses  a attacks  A attacker  ? help ",
            " → step  d defenses  a attacks  ? help ",
        ]
    };
    let w = area.width as usize;
    put(buf, area, area.x, area.y, &truncate(&text, w), t.status);
    if let Some(keys) = candidates.iter().find(|k| width(&text) + width(k) < w) {
        put(
            buf,
            area,
            area.right() - width(keys) as u16,
            area.y,
            keys,
            t.status,
        );
    }
}

pub fn banner(app: &App, area: Rect, buf: &mut Buffer) {
    let t = theme();
    let Some(v) = &app.verdict else { return };
    // The headline (verdict, where, which attack) comes first and whole; the reason
    // follows on the lines left, cut with `…` if it is longer.
    let (style, headline, reason) = match &v.verdict {
        Verdict::Succeeded { goal } => (
            t.banner_bad,
            format!("⚠ ATTACK SUCCEEDED · {}", v.attack),
            goal.clone(),
        ),
        Verdict::Blocked { step, by } => (
            t.banner_ok,
            match step {
                Some(n) => format!("✔ ATTACK BLOCKED at step {n} · {}", v.attack),
                None => format!("✔ ATTACK BLOCKED · {}", v.attack),
            },
            by.clone(),
        ),
        Verdict::FlowFailed { step, by } => (
            t.warn.add_modifier(ratatui::style::Modifier::REVERSED),
            format!(
                "∅ FLOW FAILED BEFORE THE ATTACK at step {step} · {}",
                v.attack
            ),
            by.clone(),
        ),
    };
    paint(buf, area, style);
    let w = area.width.saturating_sub(2) as usize;
    let h = area.height as usize;
    let mut lines = vec![truncate(&headline, w)];
    let reason = wrap(&reason, w.saturating_sub(2));
    let room = h.saturating_sub(1);
    for (i, line) in reason.iter().take(room).enumerate() {
        let line = if i + 1 == room && reason.len() > room {
            truncate(&format!("{line} …"), w.saturating_sub(2))
        } else {
            line.clone()
        };
        lines.push(format!("  {line}"));
    }
    for (i, line) in lines.iter().take(h).enumerate() {
        put(buf, area, area.x + 1, area.y + i as u16, line, style);
    }
}

/// Drawn instead of the UI when the screen is smaller than 80×24.
pub fn too_small(area: Rect, buf: &mut Buffer) {
    let t = theme();
    let parts = [
        "Please enlarge the terminal".to_string(),
        format!("to at least {MIN_WIDTH}×{MIN_HEIGHT}"),
        format!("(now {}×{}).", area.width, area.height),
        "q quits.".to_string(),
    ];
    let lines: Vec<String> = parts
        .iter()
        .flat_map(|p| wrap(p, area.width as usize))
        .collect();
    let h = (lines.len() as u16).min(area.height);
    let r = centered(area, area.width, h);
    for (i, line) in lines.iter().take(h as usize).enumerate() {
        let x = r.x + (r.width.saturating_sub(width(line) as u16)) / 2;
        put(buf, area, x, r.y + i as u16, line, t.bold);
    }
}
