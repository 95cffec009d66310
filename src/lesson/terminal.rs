//! The plain-terminal lesson runner of `oauth-lab learn` (until the UI's lesson mode):
//! prints the narration with the steps it is about, asks predictions and quizzes on
//! standard input, shows the computed answer and the score, and saves progress.
//! Without a terminal it prints the whole lesson, answers included, and asks nothing.

use std::io::{self, BufRead, Write};

use crate::export::text::wrap;
use crate::sim::{Channel, Simulation, Step, StepKind};

use super::check::Eval;
use super::compile::{Lesson, PartBody};
use super::locate::locate;
use super::progress::ProgressStore;
use super::run::LessonRun;
use super::world::apply_toggles;
use crate::actors::defenses::Profile;
use crate::world::WorldSpec;

const WIDTH: usize = 88;

/// How `learn` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Ask on standard input and save progress.
    Interactive,
    /// Print everything, answers included; ask nothing, save nothing.
    Print,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Finished,
    /// The learner quit (or input ended) before the end; progress is saved.
    Stopped,
}

fn step_line(s: &Step) -> String {
    if s.kind == StepKind::Event {
        return format!("{:>4}  ── {} {} ──", s.index, s.from, s.summary);
    }
    let arrow = match s.kind {
        StepKind::Observed => "··▶",
        _ if s.channel == Channel::BackChannel => "══▶",
        _ => "──▶",
    };
    let who = if s.is_attacker() { " [attacker]" } else { "" };
    format!(
        "{:>4}  {:>10} {arrow} {:<10} {}{who}",
        s.index,
        s.from.as_str(),
        s.to.as_str(),
        s.summary
    )
}

fn print_steps(out: &mut dyn Write, sim: &Simulation, from: usize, to: usize) -> io::Result<()> {
    for s in sim.trace().steps.iter().skip(from).take(to + 1 - from) {
        writeln!(out, "{}", step_line(s))?;
        if !s.annotation.is_empty() {
            write!(out, "{}", wrap(&s.annotation, WIDTH - 8, "        "))?;
        }
    }
    Ok(())
}

fn para(out: &mut dyn Write, text: &str, indent: &str) -> io::Result<()> {
    for (i, p) in text.split("\n\n").enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        for line in p.lines() {
            if let Some(item) = line.trim_start().strip_prefix("- ") {
                bullet(out, item, indent)?;
            } else {
                write!(out, "{}", wrap(line, WIDTH - indent.len(), indent))?;
            }
        }
    }
    Ok(())
}

/// A `- item` wrapped with its continuation lines under the text.
fn bullet(out: &mut dyn Write, item: &str, indent: &str) -> io::Result<()> {
    let pad = format!("{indent}  ");
    let text = wrap(item, WIDTH - pad.len(), &pad);
    write!(
        out,
        "{indent}- {}",
        text.strip_prefix(pad.as_str()).unwrap_or(&text)
    )
}

/// The lesson's header: title, level, goals, references.
pub fn header(out: &mut dyn Write, l: &Lesson) -> io::Result<()> {
    writeln!(out, "══ Lesson {} ══", l.label().trim())?;
    writeln!(
        out,
        "{} · {} · {} parts",
        l.level,
        l.duration,
        l.parts.len()
    )?;
    if !l.summary.is_empty() {
        writeln!(out)?;
        para(out, &l.summary, "")?;
    }
    writeln!(out, "\nGoals:")?;
    for g in &l.goals {
        bullet(out, g, "  ")?;
    }
    writeln!(out, "\nReferences (keep them open):")?;
    for r in &l.references {
        writeln!(out, "  - {r}")?;
    }
    writeln!(out, "\nWorld: {}", l.worlds[0].describe())?;
    Ok(())
}

fn read_line(input: &mut dyn BufRead) -> io::Result<Option<String>> {
    let mut s = String::new();
    if input.read_line(&mut s)? == 0 {
        return Ok(None);
    }
    Ok(Some(s.trim().to_string()))
}

/// Writes `text` and reads the learner's answer; `None` (after ending the prompt's
/// line) when input ends.
fn prompt(input: &mut dyn BufRead, out: &mut dyn Write, text: &str) -> io::Result<Option<String>> {
    write!(out, "{text}")?;
    out.flush()?;
    let line = read_line(input)?;
    if line.is_none() {
        writeln!(out)?;
    }
    Ok(line)
}

/// Asks for a choice 1..=n; `None` when the learner quits or input ends.
fn ask_choice(input: &mut dyn BufRead, out: &mut dyn Write, n: usize) -> io::Result<Option<usize>> {
    loop {
        let Some(line) = prompt(input, out, &format!("  Your answer (1-{n}, q to stop): "))? else {
            return Ok(None);
        };
        if line == "q" || line == "quit" {
            return Ok(None);
        }
        match line.parse::<usize>() {
            Ok(k) if (1..=n).contains(&k) => return Ok(Some(k - 1)),
            _ => writeln!(out, "  Please type a number from 1 to {n}.")?,
        }
    }
}

fn world_result(out: &mut dyn Write, w: &WorldSpec, sim: &Simulation) -> io::Result<()> {
    match w.attack {
        Some(a) => writeln!(
            out,
            "  → {} under {}: {}",
            a,
            w.describe(),
            crate::attacks::outcome::evaluate(a.attack(), sim).banner()
        ),
        None => writeln!(
            out,
            "  → the flow under {} ran {} steps.",
            w.describe(),
            sim.trace().steps.len()
        ),
    }
}

const TRY_HELP: &str = "  Commands: enable NAME · disable NAME · set NAME=VALUE · profile P · attack ID · attack none ·
  show (run the solution) · hint · skip · q (stop). `oauth-lab defenses` lists the names.";

/// A try in the terminal: the learner changes the world with commands until the try's
/// target and check hold.
fn run_try(
    run: &mut LessonRun,
    part: usize,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> io::Result<bool> {
    let lesson = run.lesson().clone();
    let p = &lesson.parts[part];
    let PartBody::Try {
        hint,
        solution,
        target,
        ..
    } = &p.body
    else {
        return Ok(true);
    };
    let mut world = lesson.worlds[p.world].clone();
    writeln!(out, "{TRY_HELP}")?;
    loop {
        let Some(line) = prompt(input, out, "  try> ")? else {
            return Ok(false);
        };
        let (cmd, arg) = line
            .split_once(' ')
            .map_or((line.as_str(), ""), |(c, a)| (c, a.trim()));
        let mut changed = true;
        let scratch = crate::files::source::Source::new("input", "");
        let mut report = crate::files::source::Report::new(&scratch);
        let spanned = |s: &str| vec![toml::Spanned::new(0..0, s.to_string())];
        match cmd {
            "" => changed = false,
            "q" | "quit" => return Ok(false),
            "skip" => {
                writeln!(out, "  Skipped.")?;
                return Ok(true);
            }
            "help" | "?" => {
                writeln!(out, "{TRY_HELP}")?;
                changed = false;
            }
            "hint" => {
                writeln!(
                    out,
                    "  Hint: {}",
                    hint.as_deref().unwrap_or("no hint for this one.")
                )?;
                changed = false;
            }
            "enable" => apply_toggles(&mut world.defenses, &spanned(arg), &[], &[], &mut report),
            "disable" => apply_toggles(&mut world.defenses, &[], &spanned(arg), &[], &mut report),
            "set" => apply_toggles(&mut world.defenses, &[], &[], &spanned(arg), &mut report),
            "profile" => match Profile::parse(arg) {
                Some(pr) => {
                    world.profile = pr;
                    world.defenses = pr.defenses();
                }
                None => {
                    writeln!(
                        out,
                        "  Unknown profile `{arg}`: naive, rfc6749, bcp, fapi2."
                    )?;
                    changed = false;
                }
            },
            "attack" => match super::world::attack_of(
                &toml::Spanned::new(0..0, arg.to_string()),
                &mut report,
            ) {
                Ok(a) => world.attack = a,
                Err(()) => changed = false,
            },
            "show" => {
                let goal = target.apply(&world);
                match super::validate::run_with_solution(&goal, solution) {
                    Ok(r) => {
                        world_result(out, &goal, &r.sim)?;
                        if let Some(st) = run.try_status(part, Eval::of(&goal, &r.sim)) {
                            if let Some(o) = &st.check {
                                writeln!(
                                    out,
                                    "  {} {}",
                                    if o.passed { "✓" } else { "✗" },
                                    o.detail
                                )?;
                            }
                            if !st.missing.is_empty() {
                                writeln!(
                                    out,
                                    "  (in the UI you would also: {})",
                                    st.missing.join("; ")
                                )?;
                            }
                        }
                    }
                    Err((e, _)) => writeln!(out, "  The solution cannot run: {e}")?,
                }
                return Ok(true);
            }
            other => {
                writeln!(out, "  Unknown command `{other}`.")?;
                changed = false;
            }
        }
        for d in std::mem::take(&mut report.diagnostics) {
            writeln!(out, "  {}", d.message)?;
            changed = false;
        }
        if !changed {
            continue;
        }
        let r = world.run();
        world_result(out, &world, &r.sim)?;
        let status = run
            .try_status(part, Eval::of(&world, &r.sim))
            .expect("a try part");
        if status.done {
            writeln!(
                out,
                "  ✓ Done{}",
                status
                    .check
                    .map(|o| format!(": {}", o.detail))
                    .unwrap_or_default()
            )?;
            return Ok(true);
        }
        if status
            .missing
            .iter()
            .any(|m| m.starts_with("apply a learner input"))
        {
            writeln!(
                out,
                "  This one needs the UI's intercept mode; type `show` to see it done, or `skip`."
            )?;
        } else if let Some(o) = status.check.filter(|o| !o.passed) {
            writeln!(out, "  Not yet: {}", o.detail)?;
        } else if !status.missing.is_empty() {
            writeln!(out, "  Not yet: {}", status.missing.join("; "))?;
        }
    }
}

/// How a run ended, and whether progress could be saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finish {
    pub end: End,
    /// What failed when progress was last not saved.
    pub save_error: Option<String>,
}

/// Runs a lesson in the terminal.
pub fn run(
    run: &mut LessonRun,
    store: Option<&ProgressStore>,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
    mode: Mode,
) -> io::Result<Finish> {
    let lesson = run.lesson().clone();
    header(out, &lesson)?;
    if mode == Mode::Print {
        run.goto(0);
    } else if run.position() > 0 && !run.is_finished() {
        writeln!(
            out,
            "\nResuming at part {} of {} (`oauth-lab lessons reset {}` starts over).",
            run.position() + 1,
            lesson.parts.len(),
            lesson.id
        )?;
    } else if run.is_finished() {
        run.goto(0);
    }
    let mut world_shown = run.part().map_or(0, |p| p.world);
    // The last save that failed, reported to the caller so that a scripted run
    // can exit non-zero.
    let failed: std::cell::RefCell<Option<String>> = Default::default();
    let save = |run: &LessonRun, out: &mut dyn Write| -> io::Result<bool> {
        if let (Some(store), Mode::Interactive) = (store, mode)
            && let Err(e) = store.save(run.progress())
        {
            let msg = format!("could not save progress in {}: {e}", store.dir().display());
            writeln!(out, "error: {msg}")?;
            *failed.borrow_mut() = Some(msg);
            return Ok(false);
        }
        // A later save that succeeds carries everything the failed one had.
        *failed.borrow_mut() = None;
        Ok(true)
    };
    let finish = |end: End| Finish {
        end,
        save_error: failed.borrow().clone(),
    };
    while let Some(part) = run.part().cloned() {
        let i = run.position();
        if part.world != world_shown && !matches!(part.body, PartBody::Quiz { .. }) {
            world_shown = part.world;
            writeln!(
                out,
                "\n── World `{}`: {} ──",
                lesson.worlds[part.world].name,
                lesson.worlds[part.world].describe()
            )?;
        }
        let sim_len = run.enter().map_or(0, |s| s.trace().steps.len());
        let full = run.world_run(part.world).sim.trace().clone();
        let at =
            |r: &Option<super::check::At>| r.as_ref().and_then(|r| locate(&full, r.get_ref()).ok());
        writeln!(
            out,
            "\n[{}/{}] {}",
            i + 1,
            lesson.parts.len(),
            part.body.kind()
        )?;
        match &part.body {
            PartBody::Narration { step, until, text } => {
                if let Some(a) = at(step) {
                    let b = at(until).unwrap_or(a);
                    let sim = run.sim().expect("entered");
                    print_steps(out, sim, a, b.min(sim_len.saturating_sub(1)))?;
                    writeln!(out)?;
                }
                para(out, text, "  ")?;
                run.complete_part();
            }
            PartBody::Predict {
                question,
                choices,
                before,
                ..
            } => {
                match at(before) {
                    Some(b) => writeln!(out, "  (The world is paused before step {b}.)")?,
                    None => writeln!(out, "  (The world has not run yet.)")?,
                }
                para(out, question, "  ")?;
                for (k, c) in choices.iter().enumerate() {
                    writeln!(out, "    {}) {c}", k + 1)?;
                }
                let choice = match mode {
                    Mode::Print => None,
                    Mode::Interactive => match ask_choice(input, out, choices.len())? {
                        Some(c) => Some(c),
                        None => {
                            save(run, out)?;
                            return Ok(finish(End::Stopped));
                        }
                    },
                };
                match choice {
                    Some(c) => match run.answer(i, c) {
                        Ok(f) => {
                            if f.correct {
                                writeln!(out, "  ✓ Right: the simulation says {}.", f.right_text)?;
                            } else {
                                writeln!(out, "  ✗ The simulation says {}.", f.right_text)?;
                            }
                            if !f.explanation.is_empty() {
                                para(out, &f.explanation, "  ")?;
                            }
                            writeln!(out, "  Score: {}/{}", f.score, f.max_score)?;
                        }
                        Err(e) => writeln!(out, "  {e}")?,
                    },
                    None => {
                        let answer = run
                            .computed_answer(i)
                            .unwrap_or_else(|e| format!("(cannot compute: {e})"));
                        writeln!(
                            out,
                            "  Answer, computed by running the simulation: {answer}"
                        )?;
                        if let PartBody::Predict {
                            explanation: Some(e),
                            ..
                        } = &part.body
                        {
                            para(out, e, "  ")?;
                        }
                    }
                }
                if let Some(w) = run.world_run(part.world).verdict.clone()
                    && before.is_none()
                {
                    writeln!(out, "  Verdict: {}", w.banner())?;
                }
                run.complete_part();
            }
            PartBody::Quiz {
                question, options, ..
            } => {
                para(out, question, "  ")?;
                for (k, o) in options.iter().enumerate() {
                    let text = wrap(&o.text, WIDTH - 7, "       ");
                    writeln!(out, "    {}) {}", k + 1, text.trim_start().trim_end())?;
                }
                match mode {
                    Mode::Print => {
                        for (k, o) in options.iter().enumerate() {
                            let mark = if o.correct { "✓" } else { "✗" };
                            write!(
                                out,
                                "{}",
                                wrap(
                                    &format!("{mark} {}) {}", k + 1, o.explain),
                                    WIDTH - 4,
                                    "    "
                                )
                            )?;
                        }
                    }
                    Mode::Interactive => {
                        let Some(c) = ask_choice(input, out, options.len())? else {
                            save(run, out)?;
                            return Ok(finish(End::Stopped));
                        };
                        if let Ok(f) = run.answer(i, c) {
                            let mark = if f.correct {
                                "✓ Right."
                            } else {
                                "✗ Not this one."
                            };
                            para(out, &format!("{mark} {}", f.explanation), "  ")?;
                            if let Some(r) = f.right_explanation {
                                para(
                                    out,
                                    &format!(
                                        "The answer is {}) {} — {r}",
                                        f.right + 1,
                                        f.right_text
                                    ),
                                    "  ",
                                )?;
                            }
                            writeln!(out, "  Score: {}/{}", f.score, f.max_score)?;
                        }
                    }
                }
                run.complete_part();
            }
            PartBody::Checkpoint { text, check } => {
                if let Some(t) = text {
                    para(out, t, "  ")?;
                }
                let o = run.evaluate_checkpoint(i).expect("a checkpoint part");
                let mark = if o.passed { "✓" } else { "✗" };
                write!(
                    out,
                    "{}",
                    wrap(
                        &format!("{mark} Checkpoint: {} — {}", check.words(), o.detail),
                        WIDTH - 2,
                        "  "
                    )
                )?;
                run.complete_part();
            }
            PartBody::Try { instruction, .. } => {
                para(out, instruction, "  ")?;
                match mode {
                    Mode::Print => {
                        let PartBody::Try {
                            target, solution, ..
                        } = &part.body
                        else {
                            unreachable!()
                        };
                        let goal = target.apply(&lesson.worlds[part.world]);
                        if let Ok(r) = super::validate::run_with_solution(&goal, solution) {
                            writeln!(out, "  Done, it looks like this:")?;
                            world_result(out, &goal, &r.sim)?;
                        }
                        run.complete_part();
                    }
                    Mode::Interactive => {
                        if run_try(run, i, input, out)? {
                            run.complete_part();
                        } else {
                            save(run, out)?;
                            return Ok(finish(End::Stopped));
                        }
                    }
                }
            }
        }
        save(run, out)?;
    }
    writeln!(out, "\n══ End of lesson {} ══", lesson.label().trim())?;
    let saved = save(run, out)?;
    if mode == Mode::Interactive {
        let p = run.progress();
        let how = if saved {
            "Progress saved."
        } else {
            "Progress NOT saved (see the error above)."
        };
        writeln!(out, "Score: {}/{}. {how}", p.score(), lesson.max_score())?;
    }
    Ok(finish(End::Finished))
}
