//! `oauth-lab lessons list|check|reset` and `oauth-lab learn`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::files::regular_file::read_regular_text;
use crate::lesson::LESSON_FILE_LIMIT;
use crate::lesson::{self, Diagnostic, Lesson, LessonRun, ProgressStore, terminal};
use crate::terminal_text::{PrintableWriter, one_line, printable};

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

/// Prints an error (its quoted input escaped: [`printable`]) and returns status 2.
fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {}", printable(&msg.to_string()));
    ExitCode::from(2)
}

/// Prints a warning whose text may quote a path or a file.
fn warn(msg: &str) {
    eprintln!("{}", printable(msg));
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
                    warn(w);
                }
                let status = l.progress_text(", ");
                let n = l.number.map_or("  ".to_string(), |n| format!("{n:>2}"));
                out.push_str(&format!(
                    "{n}  {:<60} {:<12} {:>7}  {status}\n",
                    one_line(&l.title),
                    one_line(&l.level),
                    one_line(&l.duration)
                ));
            }
            out.push_str(&format!(
                "\nProgress is saved in {}.\n",
                one_line(&store.dir().display().to_string())
            ));
            let _ = std::io::stdout().lock().write_all(out.as_bytes());
            ExitCode::SUCCESS
        }
        LessonsCommand::Check { paths } => check(paths),
        LessonsCommand::Reset { id, state_dir } => {
            let store = ProgressStore::new(state_dir.clone());
            match id {
                Some(key) => reset_one(&store, key),
                None => match store.reset_all() {
                    Ok(n) => {
                        println!("Progress of {n} lesson(s) forgotten.");
                        ExitCode::SUCCESS
                    }
                    Err(e) => fail(format!("cannot reset {}: {e}", store.dir().display())),
                },
            }
        }
    }
}

/// `oauth-lab lessons reset ID`: a lesson of the course (by id or number), or any id
/// with saved progress (a teacher's own lesson); anything else is an error.
fn reset_one(store: &ProgressStore, key: &str) -> ExitCode {
    let lessons = available().unwrap_or_default();
    let lesson_id = match lesson::find(&lessons, key) {
        Some(l) => l.id.clone(),
        None if store.path(key).symlink_metadata().is_ok() => key.to_string(),
        None => {
            let ids: Vec<String> = lessons.iter().map(|l| l.id.clone()).collect();
            return fail(format!(
                "no lesson `{key}` and no saved progress for it; lessons: {}",
                ids.join(", ")
            ));
        }
    };
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
    ExitCode::SUCCESS
}

/// Reads one lesson file (a regular file of at most 1 MiB), or says why it cannot.
fn read_source(path: &Path, sources: &mut Vec<lesson::Source>, problems: &mut Vec<Diagnostic>) {
    let name = path.display().to_string();
    match read_regular_text(path, LESSON_FILE_LIMIT) {
        Ok(t) => sources.push(lesson::Source::new(name, t)),
        Err(e) => problems.push(
            lesson::Source::new(name, "").diagnostic(None, format!("cannot read the file: {e}")),
        ),
    }
}

/// Reads the lesson files of a directory; a directory without any is a problem.
fn read_dir_sources(dir: &Path, sources: &mut Vec<lesson::Source>, problems: &mut Vec<Diagnostic>) {
    let at_dir = |message: String| {
        lesson::Source::new(dir.display().to_string(), "").diagnostic(None, message)
    };
    match lesson::lesson_files(dir) {
        Ok(files) if files.is_empty() => {
            problems.push(at_dir("no lesson files (*.toml) in this directory".into()))
        }
        Ok(files) => {
            for f in files {
                read_source(&f, sources, problems);
            }
        }
        Err(e) => problems.push(at_dir(format!("cannot read the directory: {e}"))),
    }
}

/// `oauth-lab lessons check [PATH…]`.
pub fn check(paths: &[PathBuf]) -> ExitCode {
    let mut sources = Vec::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    if paths.is_empty() {
        let here = Path::new("lessons");
        if here.is_dir() {
            read_dir_sources(here, &mut sources, &mut problems);
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
            read_dir_sources(p, &mut sources, &mut problems);
        } else {
            read_source(p, &mut sources, &mut problems);
        }
    }
    let n = sources.len();
    let mut ids: Vec<(String, String)> = Vec::new();
    for s in sources {
        let name = s.name.clone();
        problems.extend(crate::files::control_chars::problems(&s));
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
                let mut problems = crate::files::control_chars::problems(&l.source);
                problems.extend(lesson::validate::check(&l));
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
                .find(|l| !store.load_for(l).progress.completed)
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
    let on_terminal = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if on_terminal && !args.print && !args.interactive && crate::tui::run::dumb_terminal() {
        eprintln!(
            "oauth-lab: TERM=dumb cannot show the full-screen UI (no cursor addressing), so the lesson runs as plain text."
        );
    } else if on_terminal && !args.print && !args.interactive {
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
    let loaded = store.load_for(&lesson);
    if let Some(w) = &loaded.warning {
        warn(w);
    }
    if mode == terminal::Mode::Print {
        eprintln!(
            "oauth-lab: standard input is not a terminal, so the lesson is printed with its answers (use --interactive to answer from standard input)."
        );
    }
    let mut run = LessonRun::new(lesson, loaded.progress);
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    // Lesson text is untrusted: whatever the runner prints has its controls escaped.
    let mut out = PrintableWriter::new(std::io::stdout().lock());
    match terminal::run(
        &mut run,
        Some(&store),
        &mut input as &mut dyn BufRead,
        &mut out,
        mode,
    ) {
        Ok(terminal::Finish {
            save_error: Some(e),
            ..
        }) => fail(e),
        Ok(_) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}
