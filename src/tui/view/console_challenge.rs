//! A challenge's words on screen: the title, the briefing with the hints taken, the
//! question before a hint, the debrief (only once solved).

use crate::tui::app::App;

/// A window's lines: (text, whether it is a heading).
pub type Lines = Vec<(String, bool)>;

/// The question before a hint.
pub fn hint_question(app: &App) -> String {
    let Some(c) = &app.challenge else {
        return String::new();
    };
    let hints = &c.challenge.hints;
    let used = c.progress.hints_used;
    match hints.get(used) {
        Some(h) => format!(
            "Hint {} of {} costs {} point(s): a solution would then earn {} instead of {}. Show it? (y / n)",
            used + 1,
            hints.len(),
            h.cost,
            c.challenge.score(used + 1),
            c.challenge.score(used)
        ),
        None => "No more hints.".to_string(),
    }
}

/// The briefing window's lines: what the learner is told, the hints taken, the score.
pub fn briefing_lines(app: &App) -> Lines {
    let Some(c) = &app.challenge else {
        return Vec::new();
    };
    let ch = &c.challenge;
    let used = c.progress.hints_used.min(ch.hints.len());
    let mut out = vec![(format!("Challenge {} — {}", ch.id, ch.title), true)];
    for p in ch.briefing() {
        out.push((p, false));
        out.push((String::new(), false));
    }
    out.push((
        format!(
            "Worth {} points; a solution now earns {} (hints taken: {used} of {}). The deployment is undisclosed: find what it lets through. A opens the attacker console.",
            ch.points,
            c.score(),
            ch.hints.len()
        ),
        false,
    ));
    for (i, h) in ch.hints.iter().take(used).enumerate() {
        out.push((String::new(), false));
        out.push((format!("Hint {} (−{})", i + 1, h.cost), true));
        out.push((h.text.trim().to_string(), false));
    }
    if let Some(next) = ch.hints.get(used) {
        out.push((String::new(), false));
        out.push((
            format!(
                "H asks for hint {} (it costs {} point(s)).",
                used + 1,
                next.cost
            ),
            false,
        ));
    }
    if c.is_solved() {
        out.push((String::new(), false));
        let at = c.solved.as_ref().map_or(String::new(), |g| {
            format!(" at step {}: {}", g.step, g.what)
        });
        out.push((format!("SOLVED{at}. D opens the debrief."), true));
    }
    out
}

/// The debrief window's lines (nothing before the challenge is solved).
pub fn debrief_lines(app: &App) -> Lines {
    let Some(c) = &app.challenge else {
        return Vec::new();
    };
    let Some(d) = c.debrief() else {
        return Vec::new();
    };
    let mut out = vec![(
        format!("SOLVED — {} (score {})", c.challenge.title, c.score()),
        true,
    )];
    if let Some(g) = &c.solved {
        out.push((
            format!("Goal reached at step {}: {} — {}", g.step, g.title, g.what),
            false,
        ));
    }
    out.push((String::new(), false));
    out.push(("What was wrong".to_string(), true));
    out.push((d.what.trim().to_string(), false));
    out.push((String::new(), false));
    out.push(("The fix".to_string(), true));
    for f in &d.fix_words {
        out.push((format!("  {f}"), false));
    }
    out.push((format!("References: {}", d.references.join(", ")), false));
    out.push((String::new(), false));
    match &c.fixed {
        None => out.push((
            "f replays your moves against the same deployment with the fix applied.".to_string(),
            false,
        )),
        Some(f) => {
            out.push((f.words.clone(), true));
            out.push((
                "The diagram shows that run. f goes back to yours.".to_string(),
                false,
            ));
        }
    }
    out
}

/// The title bar's words in a challenge.
pub fn title_words(app: &App) -> String {
    match &app.challenge {
        Some(c) if c.fixed.is_some() => format!(
            "challenge {} · {} · with the fix",
            c.challenge.id, c.challenge.title
        ),
        Some(c) if c.is_solved() => format!(
            "challenge {} · {} · SOLVED",
            c.challenge.id, c.challenge.title
        ),
        Some(c) => format!("challenge {} · {}", c.challenge.id, c.challenge.title),
        None => String::new(),
    }
}
