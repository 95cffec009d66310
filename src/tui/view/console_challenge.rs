//! A challenge's words on screen: the title, the briefing with the hints seen, the
//! question before a hint, the debrief (only once solved).

use crate::tui::app::App;
use crate::tui::console::challenge::fixed_words;

/// The question before a hint.
pub fn hint_question(app: &App) -> String {
    let Some(c) = &app.challenge else {
        return String::new();
    };
    match c.hints.get(c.hints_shown) {
        Some(h) => format!(
            "Hint {} of {} costs {} point(s): your score for this challenge would go from {} to {}. Show it? (y / n)",
            c.hints_shown + 1,
            c.hints.len(),
            h.cost,
            c.score(),
            c.score().saturating_sub(h.cost)
        ),
        None => "No more hints.".to_string(),
    }
}

/// The briefing window's lines: (text, is a heading).
pub fn briefing_lines(app: &App) -> Vec<(String, bool)> {
    let Some(c) = &app.challenge else {
        return Vec::new();
    };
    let mut out = vec![(format!("Challenge {} — {}", c.id, c.title), true)];
    out.extend(c.briefing.iter().map(|p| (p.clone(), false)));
    out.push((String::new(), false));
    out.push((
        format!(
            "Score: {} of {} (hints used: {} of {}). The deployment is undisclosed: find what it lets through.",
            c.score(),
            c.max_score,
            c.hints_shown,
            c.hints.len()
        ),
        false,
    ));
    for (i, h) in c.hints.iter().take(c.hints_shown).enumerate() {
        out.push((String::new(), false));
        out.push((format!("Hint {} (−{})", i + 1, h.cost), true));
        out.push((h.text.clone(), false));
    }
    if c.hints_shown < c.hints.len() {
        out.push((String::new(), false));
        out.push((
            format!(
                "H asks for hint {} (it costs {} point(s)).",
                c.hints_shown + 1,
                c.hints[c.hints_shown].cost
            ),
            false,
        ));
    }
    if let Some(g) = &c.solved {
        out.push((String::new(), false));
        out.push((
            format!(
                "SOLVED at step {}: {}. D opens the debrief.",
                g.step, g.what
            ),
            true,
        ));
    }
    out
}

/// The debrief window's lines (nothing before the challenge is solved).
pub fn debrief_lines(app: &App) -> Vec<(String, bool)> {
    let Some(c) = &app.challenge else {
        return Vec::new();
    };
    let (Some(g), Some(d)) = (&c.solved, c.debrief()) else {
        return Vec::new();
    };
    let mut out = vec![
        (format!("SOLVED — {} (score {})", c.title, c.score()), true),
        (
            format!("Goal reached at step {}: {} — {}", g.step, g.title, g.what),
            false,
        ),
        (String::new(), false),
        ("What was wrong".to_string(), true),
        (d.text.clone(), false),
        (String::new(), false),
        ("The fix".to_string(), true),
        (d.fix_words.clone(), false),
        (d.references.clone(), false),
        (String::new(), false),
    ];
    match &c.fixed {
        None => out.push((
            "f replays your moves against the same deployment with the fix applied.".to_string(),
            false,
        )),
        Some(f) => out.push((fixed_words(f), true)),
    }
    out
}

/// The title bar's words in a challenge.
pub fn title_words(app: &App) -> String {
    match &app.challenge {
        Some(c) if c.solved.is_some() => format!("challenge {} · {} · SOLVED", c.id, c.title),
        Some(c) => format!("challenge {} · {}", c.id, c.title),
        None => String::new(),
    }
}
