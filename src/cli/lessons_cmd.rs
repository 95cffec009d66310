//! `oauth-lab lessons list|check|reset` and `oauth-lab learn`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::lesson::{self, Diagnostic, Lesson, LessonRun, ProgressStore, terminal};

#[derive(Debug, Clone, Args)]
pub struct LessonsArgs {
    #[command(subcommand)]
    pub command: LessonsCommand,
}

#[derive(Debug, Clone, Subcommand)]
pub enum LessonsCommand {
    /// Every lesson with your progress in it.
    List {
        /// Where progress is saved (default: $XDG_DATA_HOME/oauth-lab).
        #[arg(long, value_name = "DIR")]
        state_dir: Option<PathBuf>,
    },
    /// Validate lesson files against the schema and the simulation; problems are
    /// reported as `file:line:column: what is wrong`.
    Check {
        /// Files or directories (default: ./lessons if it exists, else the built-in course).
        paths: Vec<PathBuf>,
    },
    /// Forget the saved progress of one lesson (or of every lesson).
    Reset {
        /// A lesson id or number; none: every lesson.
        id: Option<String>,
        #[arg(long, value_name = "DIR")]
        state_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Default, Args)]
pub struct LearnArgs {
    /// A lesson id or number (`oauth-lab lessons list`); none: the first lesson not completed.
    pub id: Option<String>,
    /// Run the lesson in this file instead (a teacher's own lesson).
    #[arg(long, value_name = "PATH", conflicts_with = "id")]
    pub file: Option<PathBuf>,
    /// Where progress is saved (default: $XDG_DATA_HOME/oauth-lab).
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,
    /// Ask questions on standard input even when it is not a terminal (scripted answers).
    #[arg(long, conflicts_with = "print")]
    pub interactive: bool,
    /// Print the whole lesson with its answers and ask nothing.
    #[arg(long)]
    pub print: bool,
    /// In the UI: start in presenter mode (for a projector). `F` toggles it.
    #[arg(long)]
    pub presenter: bool,
}

fn available() -> Result<Vec<Lesson>, String> {
    let (lessons, problems) = lesson::available();
    if !problems.is_empty() {
        let lines: Vec<String> = problems.iter().map(Diagnostic::to_string).collect();
        eprintln!("{}", lines.join("\n"));
    }
    if lessons.is_empty() {
        return Err("no lessons found".into());
    }
    Ok(lessons)
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(2)
}

/// `oauth-lab lessons …`.
pub fn lessons(args: &LessonsArgs) -> ExitCode {
    match &args.command {
        LessonsCommand::List { state_dir } => {
            let lessons = match available() {
                Ok(l) => l,
                Err(e) => return fail(e),
            };
            let store = ProgressStore::new(state_dir.clone());
            let mut out = String::from("Lessons (start one with `oauth-lab learn N`)\n\n");
            for l in lesson::list_with_progress(&lessons, &store) {
                if let Some(w) = &l.warning {
                    eprintln!("{w}");
                }
                let status = if l.completed {
                    format!("done, score {}/{}", l.score, l.max_score)
                } else if l.parts_done > 0 {
                    format!(
                        "{}/{} parts, score {}/{}",
                        l.parts_done, l.parts, l.score, l.max_score
                    )
                } else {
                    "not started".to_string()
                };
                let n = l.number.map_or("  ".to_string(), |n| format!("{n:>2}"));
                out.push_str(&format!(
                    "{n}  {:<60} {:<12} {:>7}  {status}\n",
                    l.title, l.level, l.duration
                ));
            }
            out.push_str(&format!(
                "\nProgress is saved in {}.\n",
                store.dir().display()
            ));
            let _ = std::io::stdout().lock().write_all(out.as_bytes());
            ExitCode::SUCCESS
        }
        LessonsCommand::Check { paths } => check(paths),
        LessonsCommand::Reset { id, state_dir } => {
            let store = ProgressStore::new(state_dir.clone());
            match id {
                Some(key) => {
                    let lesson_id = available()
                        .ok()
                        .and_then(|ls| lesson::find(&ls, key).map(|l| l.id.clone()))
                        .unwrap_or_else(|| key.clone());
                    match store.reset(&lesson_id) {
                        Ok(true) => println!("Progress of lesson {lesson_id} forgotten."),
                        Ok(false) => println!("No saved progress for lesson {lesson_id}."),
                        Err(e) => {
                            return fail(format!(
                                "cannot remove {}: {e}",
                                store.path(&lesson_id).display()
                            ));
                        }
                    }
                }
                None => match store.reset_all() {
                    Ok(n) => println!("Progress of {n} lesson(s) forgotten."),
                    Err(e) => return fail(format!("cannot reset {}: {e}", store.dir().display())),
                },
            }
            ExitCode::SUCCESS
        }
    }
}

/// `oauth-lab lessons check [PATH…]`.
pub fn check(paths: &[PathBuf]) -> ExitCode {
    let mut sources = Vec::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    let add_dir = |dir: &Path,
                   sources: &mut Vec<lesson::Source>,
                   problems: &mut Vec<Diagnostic>| match lesson::lesson_files(dir)
    {
        Ok(files) => {
            for f in files {
                match std::fs::read_to_string(&f) {
                    Ok(t) => sources.push(lesson::Source::new(f.display().to_string(), t)),
                    Err(e) => problems.push(
                        lesson::Source::new(f.display().to_string(), "")
                            .diagnostic(None, format!("cannot read the file: {e}")),
                    ),
                }
            }
        }
        Err(e) => problems.push(
            lesson::Source::new(dir.display().to_string(), "")
                .diagnostic(None, format!("cannot read the directory: {e}")),
        ),
    };
    if paths.is_empty() {
        let here = Path::new("lessons");
        if here.is_dir() {
            add_dir(here, &mut sources, &mut problems);
        } else {
            sources.extend(
                lesson::bundled::FILES
                    .iter()
                    .map(|(n, t)| lesson::Source::new(*n, *t)),
            );
        }
    }
    for p in paths {
        if p.is_dir() {
            add_dir(p, &mut sources, &mut problems);
        } else {
            match std::fs::read_to_string(p) {
                Ok(t) => sources.push(lesson::Source::new(p.display().to_string(), t)),
                Err(e) => problems.push(
                    lesson::Source::new(p.display().to_string(), "")
                        .diagnostic(None, format!("cannot read the file: {e}")),
                ),
            }
        }
    }
    let n = sources.len();
    let mut ids: Vec<(String, String)> = Vec::new();
    for s in sources {
        let name = s.name.clone();
        match lesson::compile::load(s) {
            Ok(l) => {
                if let Some((_, other)) = ids.iter().find(|(id, _)| *id == l.id) {
                    problems.push(l.source.diagnostic(
                        None,
                        format!("lesson id `{}` is also used by {other}", l.id),
                    ));
                }
                ids.push((l.id.clone(), name));
                problems.extend(lesson::validate::check(&l));
            }
            Err(d) => problems.extend(d),
        }
    }
    for d in &problems {
        eprintln!("{d}");
    }
    if problems.is_empty() {
        println!("{n} lesson file(s) checked: no problems.");
        ExitCode::SUCCESS
    } else {
        println!("{n} lesson file(s) checked: {} problem(s).", problems.len());
        ExitCode::from(1)
    }
}

/// `oauth-lab learn [ID] [--file PATH]`.
pub fn learn(args: &LearnArgs) -> ExitCode {
    let store = ProgressStore::new(args.state_dir.clone());
    let lesson = if let Some(path) = &args.file {
        match lesson::load_file(path) {
            Ok(l) => {
                let problems = lesson::validate::check(&l);
                for d in &problems {
                    eprintln!("{d}");
                }
                if !problems.is_empty() {
                    return fail(format!(
                        "{} has {} problem(s); `oauth-lab lessons check {}` lists them",
                        path.display(),
                        problems.len(),
                        path.display()
                    ));
                }
                l
            }
            Err(d) => {
                for d in &d {
                    eprintln!("{d}");
                }
                return fail(format!("{} cannot be loaded", path.display()));
            }
        }
    } else {
        let lessons = match available() {
            Ok(l) => l,
            Err(e) => return fail(e),
        };
        let found = match &args.id {
            Some(key) => lesson::find(&lessons, key).cloned(),
            None => lessons
                .iter()
                .find(|l| !store.load(&l.id).progress.completed)
                .or(lessons.first())
                .cloned(),
        };
        match found {
            Some(l) => l,
            None => {
                let ids: Vec<String> = lessons
                    .iter()
                    .map(|l| l.number.map_or(l.id.clone(), |n| format!("{n} ({})", l.id)))
                    .collect();
                return fail(format!(
                    "no lesson `{}`; lessons: {}",
                    args.id.as_deref().unwrap_or(""),
                    ids.join(", ")
                ));
            }
        }
    };
    // On a terminal, the lesson opens in the UI; the plain runner serves pipes, scripts
    // (`--interactive`) and `--print`.
    if !args.print
        && !args.interactive
        && std::io::stdin().is_terminal()
        && std::io::stdout().is_terminal()
    {
        return match super::tui_cmd::learn(lesson, store, args.presenter) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(e),
        };
    }
    let interactive = !args.print && (args.interactive || std::io::stdin().is_terminal());
    let mode = if interactive {
        terminal::Mode::Interactive
    } else {
        terminal::Mode::Print
    };
    let loaded = store.load(&lesson.id);
    if let Some(w) = &loaded.warning {
        eprintln!("{w}");
    }
    if mode == terminal::Mode::Print {
        eprintln!(
            "oauth-lab: standard input is not a terminal, so the lesson is printed with its answers (use --interactive to answer from standard input)."
        );
    }
    let mut run = LessonRun::new(lesson, loaded.progress);
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut out = std::io::stdout().lock();
    match terminal::run(
        &mut run,
        Some(&store),
        &mut input as &mut dyn BufRead,
        &mut out,
        mode,
    ) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}
