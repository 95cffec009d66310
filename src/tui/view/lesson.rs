//! Lesson mode's views: the lesson pane (the current part, with the lesson's title,
//! part N of M and the score) and the lesson list (`L`).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Widget};

use super::overlays::window;
use super::util::{focus_block, paint, put, put_row, truncate, width, wrap};
use crate::lesson::PartBody;
use crate::tui::app::{App, Level, Pane};
use crate::tui::lesson::state::{LessonMode, Phase, letter, try_missing};
use crate::tui::theme::theme;

/// Lines of text wrapped to a width, with styles.
struct Text {
    lines: Vec<Line<'static>>,
    width: usize,
    airy: bool,
}

impl Text {
    fn new(width: usize) -> Self {
        Text {
            lines: Vec::new(),
            width: width.max(8),
            airy: true,
        }
    }

    /// Paragraphs (blank-line separated), `- ` items as bullets, wrapped with `indent`.
    fn para(&mut self, text: &str, indent: &str, style: Style) {
        for (i, p) in text.split("\n\n").enumerate() {
            if i > 0 {
                self.blank();
            }
            for line in p.lines() {
                match line.trim_start().strip_prefix("- ") {
                    Some(item) => self.hanging(&format!("{indent}- "), item, style),
                    None => self.hanging(indent, line.trim(), style),
                }
            }
        }
    }

    /// `head` then `text` wrapped, continuation lines indented under the text.
    fn hanging(&mut self, head: &str, text: &str, style: Style) {
        self.hanging_styled(head, style, text, style);
    }

    fn hanging_styled(&mut self, head: &str, head_style: Style, text: &str, style: Style) {
        let hw = width(head);
        let avail = self.width.saturating_sub(hw).max(4);
        let pad = " ".repeat(hw);
        let wrapped = wrap(text, avail);
        if wrapped.is_empty() {
            self.lines.push(Line::styled(head.to_string(), head_style));
        }
        for (i, l) in wrapped.into_iter().enumerate() {
            let lead = if i == 0 {
                head.to_string()
            } else {
                pad.clone()
            };
            let ls = if i == 0 { head_style } else { style };
            self.lines.push(Line::from(vec![
                Span::styled(lead, ls),
                Span::styled(l, style),
            ]));
        }
    }

    fn blank(&mut self) {
        self.lines.push(Line::raw(""));
    }

    /// A blank line between blocks, when there is room.
    fn gap(&mut self) {
        if self.airy {
            self.blank();
        }
    }
}

/// The part's heading: its kind in capitals, and `YOUR TURN` for a try.
fn kind_title(body: &PartBody) -> String {
    match body {
        PartBody::Try { .. } => "YOUR TURN".to_string(),
        other => other.kind().to_uppercase(),
    }
}

/// The content of the lesson pane, wrapped to `w` columns.
fn content(
    app: &App,
    mode: &LessonMode,
    w: usize,
    h: u16,
    with_notice: bool,
) -> Vec<Line<'static>> {
    let t = theme();
    let mut out = Text::new(w);
    // Blank lines between the blocks when there is room for them.
    out.airy = h >= 12;
    if with_notice && let Some(n) = &app.notice {
        let (mark, style) = match n.level {
            Level::Info => ("ℹ ", t.bold),
            Level::Changed => ("Δ ", t.changed),
            Level::Problem => ("✘ ", t.bad),
        };
        out.hanging(mark, &n.text, style);
    }
    let lesson = mode.lesson();
    if mode.phase == Phase::Finished {
        summary(app, mode, &mut out);
        return out.lines;
    }
    if mode.is_intro() {
        intro(mode, &mut out);
        return out.lines;
    }
    let pos = mode.run.position();
    let Some(part) = mode.run.part() else {
        return out.lines;
    };
    // The part's kind, and its world when it is not the lesson's main world.
    let mut head = vec![Span::styled(kind_title(&part.body), t.title)];
    match (&part.body, mode.focus) {
        (PartBody::Predict { .. }, _) => {}
        (_, Some((a, b))) if a == b => head.push(Span::styled(format!(" · step {a}"), t.dim)),
        (_, Some((a, b))) => head.push(Span::styled(format!(" · steps {a}–{b}"), t.dim)),
        _ => {}
    }
    if part.world != 0 {
        let world = &lesson.worlds[part.world];
        head.push(Span::styled(
            format!(" · world “{}”: {}", world.name, world.describe()),
            t.dim,
        ));
    }
    out.lines.push(Line::from(head));
    out.gap();
    match &part.body {
        PartBody::Narration { text, .. } => out.para(text, "", t.base),
        PartBody::Predict {
            question, choices, ..
        } => {
            out.para(question, "", t.bold);
            out.gap();
            choices_lines(mode, choices, &mut out);
            out.gap();
            match &mode.phase {
                Phase::Ask => {
                    let wait = match mode.gate {
                        Some(0) => "The world has not run yet: it starts when you answer.".into(),
                        Some(g) => format!(
                            "The world is paused before step {g}: it goes on when you answer."
                        ),
                        None => String::new(),
                    };
                    out.hanging("", &wait, t.dim);
                }
                Phase::Answered { feedback, .. } => {
                    let verdict = if feedback.correct {
                        format!("✓ Right: the simulation says {}.", feedback.right_text)
                    } else {
                        format!(
                            "✗ Not this time: the simulation says {}.",
                            feedback.right_text
                        )
                    };
                    let style = if feedback.correct { t.ok } else { t.bad };
                    let scored = if feedback.first {
                        format!(" Score {}/{}.", feedback.score, feedback.max_score)
                    } else {
                        " (Only your first answer counts.)".into()
                    };
                    out.lines.push(Line::from(vec![
                        Span::styled(verdict, style),
                        Span::styled(scored, t.dim),
                    ]));
                    if !feedback.explanation.is_empty() {
                        out.para(&feedback.explanation, "", t.base);
                    }
                }
                _ => {}
            }
        }
        PartBody::Quiz {
            question, options, ..
        } => {
            out.para(question, "", t.bold);
            match &mode.phase {
                Phase::Answered { choice, feedback } => {
                    out.gap();
                    let verdict = if feedback.correct {
                        "✓ Right.".to_string()
                    } else {
                        format!(
                            "✗ Not this one: the answer is {}.",
                            (b'1' + feedback.right as u8) as char
                        )
                    };
                    let scored = if feedback.first {
                        format!(" Score {}/{}.", feedback.score, feedback.max_score)
                    } else {
                        " (Only your first answer counts.)".into()
                    };
                    out.lines.push(Line::from(vec![
                        Span::styled(verdict, if feedback.correct { t.ok } else { t.bad }),
                        Span::styled(scored, t.dim),
                    ]));
                    for (i, o) in options.iter().enumerate() {
                        let mark = if o.correct { "✓" } else { "✗" };
                        let you = if i == *choice { " ← your answer" } else { "" };
                        let style = if o.correct { t.ok } else { t.base };
                        out.hanging_styled(
                            &format!("{mark} {}) ", i + 1),
                            style,
                            &format!("{}{you}", o.text),
                            if i == *choice { t.bold } else { t.base },
                        );
                        out.hanging("      ", &o.explain, t.dim);
                    }
                }
                _ => {
                    out.gap();
                    let texts: Vec<String> = options.iter().map(|o| o.text.clone()).collect();
                    choices_lines(mode, &texts, &mut out);
                }
            }
        }
        PartBody::Checkpoint { text, check } => {
            if let Some(text) = text {
                out.para(text, "", t.base);
            }
            if let Phase::Checked(o) = &mode.phase {
                let (mark, style) = if o.passed {
                    ("✓ Checkpoint passed: ", t.ok)
                } else {
                    ("✗ Checkpoint failed: ", t.bad)
                };
                out.hanging_styled(mark, style, &check.words(), t.bold);
                // One line per value found (a combined check lists each part's).
                let head = "  Found in the trace: ";
                let pad = " ".repeat(width(head));
                for (i, found) in o.detail.split("; ").enumerate() {
                    out.hanging(if i == 0 { head } else { &pad }, found, t.dim);
                }
            }
        }
        PartBody::Try {
            instruction, hint, ..
        } => {
            out.para(instruction, "", t.bold);
            if let Phase::Try(st) = &mode.phase {
                match st {
                    Some(s) if s.done => {
                        let detail = s
                            .check
                            .as_ref()
                            .map(|o| format!(" {}", o.detail))
                            .unwrap_or_default();
                        out.hanging_styled(
                            "✓ Done: ",
                            t.ok,
                            &format!("{}. Enter continues.", detail.trim()),
                            t.base,
                        );
                    }
                    Some(s) => out.hanging_styled("Not yet: ", t.warn, &try_missing(s), t.base),
                    None => {}
                }
            }
            if mode.hint {
                out.hanging_styled(
                    "Hint: ",
                    t.key,
                    hint.as_deref().unwrap_or("no hint for this one."),
                    t.base,
                );
            }
            out.hanging(
                "",
                "In the UI: d defenses · a attacks · p profile · i intercept (then f forward, e edit, r replay) · t clock.",
                t.dim,
            );
        }
    }
    let _ = pos;
    if with_notice {
        // No "What happened" pane on this screen: the step's narration follows the
        // part, and the pane scrolls to it.
        out.gap();
        out.lines.push(Line::styled(
            format!("WHAT HAPPENED · step {}", app.cursor),
            t.title,
        ));
        out.lines
            .extend(super::narration::step_lines(app, out.width as u16));
    }
    out.lines
}

/// How many rows the lesson pane needs at `width` columns (borders included) to show
/// its whole text with air between the blocks, when a "What happened" pane is shown
/// beside it.
pub fn height_needed(app: &App, width: u16) -> u16 {
    let Some(mode) = &app.lesson else { return 0 };
    let inner = inner_of(Rect::new(0, 0, width, u16::MAX / 2));
    let text_w = text_area(inner).width as usize;
    let n = content(app, mode, text_w, 12, false).len();
    (n as u16).saturating_add(2)
}

fn choices_lines(mode: &LessonMode, choices: &[String], out: &mut Text) {
    let t = theme();
    let (chosen, right) = match &mode.phase {
        Phase::Answered { choice, feedback } => (Some(*choice), Some(feedback.right)),
        _ => (None, None),
    };
    for (i, c) in choices.iter().enumerate() {
        let key = if i < 9 {
            format!("{}", i + 1)
        } else {
            letter(i).to_string()
        };
        let mark = match (right, chosen) {
            (Some(r), _) if r == i => "✓",
            (_, Some(c)) if c == i => "✗",
            (Some(_), _) => " ",
            _ => " ",
        };
        let mut text = c.clone();
        if right == Some(i) {
            text.push_str("  ← the simulation's answer");
        } else if chosen == Some(i) {
            text.push_str("  ← your answer");
        }
        let style = if right == Some(i) {
            t.ok
        } else if chosen == Some(i) {
            t.bad
        } else {
            t.base
        };
        out.hanging_styled(&format!(" {mark} {key}) "), t.key, &text, style);
    }
}

/// The lesson's first screen: what it is about and what the learner will be able to
/// do after it, from the lesson file.
fn intro(mode: &LessonMode, out: &mut Text) {
    let t = theme();
    let l = mode.lesson();
    let questions = l.max_score();
    out.lines.push(Line::styled(
        format!("LESSON {}", l.label().trim().to_uppercase()),
        t.title,
    ));
    let mut facts: Vec<String> = [l.level.as_str(), l.duration.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .map(|s| s.to_string())
        .collect();
    facts.push(format!(
        "{} parts, {questions} question{}",
        l.parts.len(),
        if questions == 1 { "" } else { "s" }
    ));
    out.hanging("", &facts.join(" · "), t.dim);
    if !l.summary.is_empty() {
        out.gap();
        out.para(&crate::lesson::reflow(&l.summary), "", t.base);
    }
    if !l.goals.is_empty() {
        out.gap();
        out.lines.push(Line::styled("Goals:", t.bold));
        for g in &l.goals {
            out.hanging("  - ", g, t.base);
        }
    }
    out.gap();
    out.hanging("", "Enter starts part 1.", t.key);
}

fn summary(app: &App, mode: &LessonMode, out: &mut Text) {
    let t = theme();
    let l = mode.lesson();
    let p = mode.run.progress();
    let (score, max) = mode.score();
    out.lines.push(Line::styled(
        format!("LESSON COMPLETE — score {score}/{max}"),
        t.title,
    ));
    out.hanging(
        "",
        &format!(
            "{} of {} parts done; your first answer to each question counts.",
            p.parts_done.iter().filter(|i| **i < l.parts.len()).count(),
            l.parts.len()
        ),
        t.dim,
    );
    let pos = app.library.lessons.iter().position(|x| x.id == l.id);
    let next = pos.and_then(|i| app.library.lessons.get(i + 1));
    let what = match next {
        Some(n) => format!(
            "Enter: next lesson, {}. L: the lesson list.",
            n.label().trim()
        ),
        None => "That was the last lesson. L: the lesson list.".to_string(),
    };
    out.hanging("", &what, t.key);
    out.blank();
    out.lines.push(Line::styled("Your answers:", t.bold));
    for (i, part) in l.parts.iter().enumerate() {
        let q = match &part.body {
            PartBody::Predict { question, .. } | PartBody::Quiz { question, .. } => question,
            _ => continue,
        };
        let q = crate::lesson::reflow(q).replace('\n', " ");
        let (mark, style, answer) = match p.answers.get(&i) {
            Some(a) if a.correct => ("✓ ", t.ok, format!(" — you said {}", a.text)),
            Some(a) => ("✗ ", t.bad, format!(" — you said {}", a.text)),
            None => ("· ", t.dim, " — not answered".to_string()),
        };
        out.hanging_styled(
            &format!("  {mark}"),
            style,
            &format!("{}{answer}", truncate(&q, 70)),
            t.base,
        );
    }
    if !l.references.is_empty() {
        out.lines.push(Line::styled("Read on:", t.bold));
        for r in &l.references {
            out.hanging("  - ", r, t.dim);
        }
    }
}

/// The keys that matter now, for the pane's bottom border.
fn keys(app: &App, mode: &LessonMode) -> String {
    match &mode.phase {
        Phase::Ask => {
            let n = mode.choice_count();
            let stepping = if mode.gate.is_some() {
                "←→ steps so far"
            } else {
                "←→ steps"
            };
            format!(
                "1–{n} or a–{} answer · {stepping} · Backspace back · L lessons",
                letter(n.saturating_sub(1))
            )
        }
        Phase::Try(_) => {
            "Enter next (once done) · h hint · s skip · Backspace back · L lessons".into()
        }
        Phase::Finished => "Enter next lesson · Backspace back · L lessons".into(),
        Phase::Intro(_) => "Enter start · L lessons".into(),
        _ if app.playing => "Enter next part · space pause · End to the end · L lessons".into(),
        _ => "Enter next part · ←→ steps · Backspace back · L lessons".into(),
    }
}

fn inner_of(area: Rect) -> Rect {
    Block::default().borders(Borders::ALL).inner(area)
}

/// The text inside the pane, one column of air each side.
fn text_area(inner: Rect) -> Rect {
    if inner.width > 20 {
        Rect::new(inner.x + 1, inner.y, inner.width - 2, inner.height)
    } else {
        inner
    }
}

/// Draws the lesson pane in `area`, scrolled as far as the lesson's scroll asks but no
/// further than the end of its text; returns the scroll it drew with.
pub fn render(app: &App, area: Rect, with_notice: bool, buf: &mut Buffer) -> u16 {
    let Some(mode) = &app.lesson else { return 0 };
    let t = theme();
    let l = mode.lesson();
    let focused = app.focus == Pane::Lesson;
    let (score, max) = mode.score();
    let parts = l.parts.len();
    let counter = if mode.phase == Phase::Finished {
        format!(" done · score {score}/{max} ")
    } else if mode.is_intro() {
        format!(" {parts} parts · score {score}/{max} ")
    } else {
        format!(
            " part {}/{parts} · score {score}/{max} ",
            mode.run.position() + 1
        )
    };
    let title_w = (area.width as usize).saturating_sub(width(&counter) + 6);
    let title = truncate(
        &format!(
            "{}Lesson {}",
            if focused { "● " } else { "" },
            l.label().trim()
        ),
        title_w,
    );
    let inner = inner_of(area);
    let lines = content(
        app,
        mode,
        text_area(inner).width as usize,
        inner.height,
        with_notice,
    );
    let max_scroll = (lines.len() as u16).saturating_sub(inner.height);
    let scroll = mode.scroll.get().min(max_scroll);
    let more = if scroll < max_scroll {
        " ↓ more "
    } else if scroll > 0 {
        " ↑ more "
    } else {
        ""
    };
    let keys = keys(app, mode);
    let keys_w = (area.width as usize).saturating_sub(width(more) + 6);
    let block = focus_block(focused, BorderType::Double, t.bold)
        .title(Line::styled(format!(" {title} "), t.title))
        .title(Line::styled(counter, t.bold).right_aligned())
        .title_bottom(Line::styled(
            format!(" {} ", truncate(&keys, keys_w.saturating_sub(2))),
            t.key,
        ))
        .title_bottom(Line::styled(more, t.bold).right_aligned());
    block.render(area, buf);
    if !inner.is_empty() {
        Paragraph::new(lines)
            .scroll((scroll, 0))
            .render(text_area(inner), buf);
    }
    scroll
}

/// The lesson list: every lesson with the learner's progress.
pub fn list(app: &App, selected: usize, area: Rect, buf: &mut Buffer) {
    let t = theme();
    let listed = app.library.listed();
    let footer = if app.lesson.is_some() {
        "↑↓ choose · Enter start/resume · x leave the lesson · Esc close"
    } else {
        "↑↓ choose · Enter start/resume · Esc close"
    };
    let h = (listed.len() as u16 + 10).min(area.height.saturating_sub(2));
    let inner = window(area, buf, 104, h, "Lessons", footer);
    if inner.height < 2 || inner.width < 10 {
        return;
    }
    let w = inner.width as usize;
    let mut y = inner.y;
    let intro = match app.library.warnings.first() {
        Some(warn) => (warn.clone(), t.warn),
        None => (
            "Predict what the simulation does, then watch it. New here? Start with lesson 1."
                .to_string(),
            t.dim,
        ),
    };
    put_row(buf, inner, y, &intro.0, intro.1);
    y += 2;
    let detail_h: u16 = 3;
    let list_h = (inner.bottom().saturating_sub(y + detail_h + 1)).max(1) as usize;
    let first = selected.saturating_sub(list_h.saturating_sub(1));
    let current = app.lesson.as_ref().map(|m| m.lesson().id.clone());
    for (i, l) in listed.iter().enumerate().skip(first).take(list_h) {
        let done_mark = if l.completed { "✓ " } else { "" };
        let status = format!("{done_mark}{}", l.progress_text(" · "));
        let mark = if i == selected { "▶" } else { " " };
        let here = if current.as_deref() == Some(l.id.as_str()) {
            "●"
        } else {
            " "
        };
        let n = l.number.map_or("  ".to_string(), |n| format!("{n:>2}"));
        // The duration gives way to the title on narrow screens.
        let duration = if w >= 96 {
            format!(" {:>7}", l.duration)
        } else {
            String::new()
        };
        let tw = w
            .saturating_sub(2 + 2 + 3 + 13 + width(&duration) + 24)
            .max(10);
        let text = format!(
            "{mark}{here}{n}  {:<tw$} {:<12}{duration}  {status}",
            truncate(&l.title, tw),
            l.level,
        );
        let style = if l.completed { t.ok } else { t.base };
        put_row(buf, inner, y, &text, style);
        if i == selected {
            paint(buf, Rect::new(inner.x, y, inner.width, 1), t.current);
        }
        y += 1;
    }
    if let Some(l) = app.library.lessons.get(selected) {
        let text = if l.summary.is_empty() {
            l.goals.join(" ")
        } else {
            crate::lesson::reflow(&l.summary).replace('\n', " ")
        };
        let y0 = inner.bottom().saturating_sub(detail_h);
        for (i, line) in wrap(&text, w).iter().take(detail_h as usize).enumerate() {
            put(buf, inner, inner.x, y0 + i as u16, line, t.dim);
        }
    }
}
