//! `oauth-lab challenge list|start|check|hint|reset|check-files`: the workshop's
//! challenges. Nothing here prints a deployment or a debrief before the challenge is
//! solved (by the solution being checked).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::challenge::grade::{self, Graded};
use crate::challenge::read::CHALLENGE_FILE_LIMIT;
use crate::challenge::read::load;
use crate::challenge::{Challenge, ChallengeProgress, bundled};
use crate::files::regular_file::read_regular_text;
use crate::files::source::{Diagnostic, Source};
use crate::lesson::ProgressStore;
use crate::terminal_text::{one_line, printable};

#[derive(Debug, Clone, Args)]
pub struct ChallengeArgs {
    #[command(subcommand)]
    pub command: ChallengeCommand,
}

#[derive(Debug, Clone, Subcommand)]
pub enum ChallengeCommand {
    /// Every challenge: title, difficulty, solved or not, score.
    List {
        /// Where progress is saved (default: $XDG_DATA_HOME/oauth-lab).
        #[arg(long, value_name = "DIR")]
        state_dir: Option<PathBuf>,
    },
    /// Play a challenge in the terminal UI, as the attacker.
    Start {
        /// A challenge id or number (`oauth-lab challenge list`).
        id: String,
        #[arg(long, value_name = "DIR")]
        state_dir: Option<PathBuf>,
    },
    /// Grade a solution: a scenario file holding the attacker's moves, replayed on the
    /// challenge's deployment. Prints SOLVED (exit 0) or NOT SOLVED (exit 1).
    Check {
        /// A challenge id or number.
        id: String,
        /// The scenario file with the moves (its own world is not used: the challenge's is).
        #[arg(long, value_name = "FILE")]
        solution: PathBuf,
        /// Also record a solution as solved in the progress saved in --state-dir.
        #[arg(long)]
        record: bool,
        #[arg(long, value_name = "DIR")]
        state_dir: Option<PathBuf>,
    },
    /// Show the next hint of a challenge (each costs the points it names; hints already
    /// shown are shown again for free).
    Hint {
        id: String,
        #[arg(long, value_name = "DIR")]
        state_dir: Option<PathBuf>,
    },
    /// Forget the progress of one challenge (or of every challenge).
    Reset {
        id: Option<String>,
        #[arg(long, value_name = "DIR")]
        state_dir: Option<PathBuf>,
    },
    /// Validate challenge files; problems are reported as `file:line:column: problem`.
    CheckFiles {
        /// Files or directories (default: ./challenges if it exists, else the built-in ones).
        paths: Vec<PathBuf>,
    },
}

/// Prints an error (escaped) and returns status 2.
fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {}", printable(&msg.to_string()));
    ExitCode::from(2)
}

fn find(key: &str) -> Result<Challenge, String> {
    bundled::find(key)
        .ok_or_else(|| format!("no challenge `{key}`; `oauth-lab challenge list` shows them"))
}

fn load_progress(store: &ProgressStore, id: &str) -> ChallengeProgress {
    let loaded = store.load_record::<ChallengeProgress>(id);
    if let Some(w) = &loaded.warning {
        eprintln!("{}", printable(w));
    }
    loaded.progress
}

/// `oauth-lab challenge …`.
pub fn challenge(args: &ChallengeArgs) -> ExitCode {
    match &args.command {
        ChallengeCommand::List { state_dir } => list(&ProgressStore::new(state_dir.clone())),
        ChallengeCommand::Start { id, state_dir } => match find(id) {
            Ok(c) => start(&c, &ProgressStore::new(state_dir.clone())),
            Err(e) => fail(e),
        },
        ChallengeCommand::Check {
            id,
            solution,
            record,
            state_dir,
        } => match find(id) {
            Ok(c) => check(
                &c,
                solution,
                record.then(|| ProgressStore::new(state_dir.clone())),
            ),
            Err(e) => fail(e),
        },
        ChallengeCommand::Hint { id, state_dir } => match find(id) {
            Ok(c) => hint(&c, &ProgressStore::new(state_dir.clone())),
            Err(e) => fail(e),
        },
        ChallengeCommand::Reset { id, state_dir } => {
            reset(id.as_deref(), &ProgressStore::new(state_dir.clone()))
        }
        ChallengeCommand::CheckFiles { paths } => check_files(paths),
    }
}

fn list(store: &ProgressStore) -> ExitCode {
    let (all, problems) = bundled::challenges();
    for p in &problems {
        eprintln!("{p}");
    }
    let mut out = String::from("Challenges (start one with `oauth-lab challenge start ID`)\n\n");
    for (i, c) in all.iter().enumerate() {
        let p = load_progress(store, &c.id);
        let status = match p.score {
            Some(score) if p.solved => format!("solved, score {score}/{}", c.points),
            _ if p.hints_used > 0 => format!("not solved, {} hint(s) used", p.hints_used),
            _ => "not solved".to_string(),
        };
        out.push_str(&format!(
            "{:>2}  {:<22} {:<44} {:<10} {status}\n",
            i + 1,
            one_line(&c.id),
            one_line(&c.title),
            "★".repeat(c.difficulty as usize),
        ));
    }
    out.push_str(&format!(
        "\nProgress is saved in {}.\n",
        one_line(&store.dir().display().to_string())
    ));
    print!("{out}");
    ExitCode::SUCCESS
}

/// The briefing, as the learner is told it.
fn briefing(c: &Challenge) -> String {
    let mut s = format!("{} — {}\n\n", one_line(&c.id), one_line(&c.title));
    for line in c.briefing() {
        s.push_str(&format!("{}\n\n", printable(line.trim())));
    }
    s.push_str(&format!(
        "Worth {} points; {} hint(s), each costs points (`oauth-lab challenge hint {}`).\n",
        c.points,
        c.hints.len(),
        one_line(&c.id)
    ));
    s
}

/// `challenge start`: the briefing, then the terminal UI in the challenge (the attacker
/// console builds that screen on [`Challenge::world`]).
fn start(c: &Challenge, store: &ProgressStore) -> ExitCode {
    let p = load_progress(store, &c.id);
    // On a terminal: the UI in the challenge (the attacker console, the briefing).
    match super::tui_cmd::play_challenge(c.clone(), p.clone(), store.clone()) {
        Ok(true) => return ExitCode::SUCCESS,
        Ok(false) => {}
        Err(e) => return fail(e.to_string()),
    }
    // Not a terminal: the briefing, as text.
    print!("{}", briefing(c));
    if p.solved {
        println!("You solved it already (score {}).", p.score.unwrap_or(0));
    }
    ExitCode::SUCCESS
}

fn hint(c: &Challenge, store: &ProgressStore) -> ExitCode {
    let mut p = load_progress(store, &c.id);
    let next = p.hints_used.min(c.hints.len());
    for (i, h) in c.hints.iter().enumerate().take(next) {
        println!(
            "Hint {} (taken, cost {}): {}",
            i + 1,
            h.cost,
            printable(h.text.trim())
        );
    }
    let Some(h) = c.hints.get(next) else {
        println!("No more hints: all {} are shown above.", c.hints.len());
        return ExitCode::SUCCESS;
    };
    p.hints_used = next + 1;
    if let Err(e) = store.save_record(&p) {
        return fail(format!(
            "cannot save progress in {}: {e}",
            store.dir().display()
        ));
    }
    println!(
        "Hint {} (costs {} points): {}",
        next + 1,
        h.cost,
        printable(h.text.trim())
    );
    println!(
        "A solution now earns at most {} of {} points.",
        c.score(p.hints_used),
        c.points
    );
    ExitCode::SUCCESS
}

fn reset(id: Option<&str>, store: &ProgressStore) -> ExitCode {
    match id {
        Some(key) => match find(key) {
            Ok(c) => match store.reset_record::<ChallengeProgress>(&c.id) {
                Ok(true) => {
                    println!("Progress of challenge {} forgotten.", one_line(&c.id));
                    ExitCode::SUCCESS
                }
                Ok(false) => {
                    println!("Challenge {} had no saved progress.", one_line(&c.id));
                    ExitCode::SUCCESS
                }
                Err(e) => fail(format!("cannot reset {}: {e}", store.dir().display())),
            },
            Err(e) => fail(e),
        },
        None => match store.reset_all_records::<ChallengeProgress>() {
            Ok(n) => {
                println!("Progress of {n} challenge(s) forgotten.");
                ExitCode::SUCCESS
            }
            Err(e) => fail(format!("cannot reset {}: {e}", store.dir().display())),
        },
    }
}

/// One move of the report: `step 14  evil-app → as  POST /token HTTP/1.1  ⇒  HTTP/1.1 400 …`.
fn moves_report(g: &Graded) -> String {
    let mut s = String::new();
    if g.moves.is_empty() {
        s.push_str("  The attacker sent no request to an honest party.\n");
    }
    for m in &g.moves {
        let answer = match &m.answer {
            Some((step, line)) => format!("answered at step {step}: {}", one_line(line)),
            None => "no answer".to_string(),
        };
        s.push_str(&format!(
            "  step {:>3}  {} → {}  {}  ⇒  {answer}\n",
            m.step,
            one_line(&m.from),
            one_line(&m.to),
            one_line(&m.line),
        ));
    }
    for u in &g.unfounded {
        s.push_str(&format!(
            "  The move due at step {} is not made: it carries {} `{}` the attacker never obtained in this run.\n",
            u.at,
            if u.kind == crate::workshop::ArtifactKind::AccessToken { "an" } else { "a" },
            u.kind.field()
        ));
    }
    if let Some(r) = &g.refusal {
        s.push_str(&format!(
            "  First refusal: step {}, {} answered {}",
            r.step,
            one_line(&r.to),
            one_line(&r.status)
        ));
        if !r.why.trim().is_empty() {
            s.push_str(&format!(" — {}", one_line(r.why.trim())));
        }
        s.push('\n');
    }
    s
}

fn check(c: &Challenge, solution: &Path, record: Option<ProgressStore>) -> ExitCode {
    let scenario = match crate::scenario::read::load_file(solution) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let inputs = scenario.world.inputs;
    let graded = grade::grade(c, &inputs);
    let Some(hit) = &graded.hit else {
        let goals = c.goal_ids().join(", ");
        print!(
            "NOT SOLVED: challenge {} — no goal ({goals}) held in the {} steps of the run.\n\nWhere the moves went:\n{}",
            one_line(&c.id),
            graded.trace.steps.len(),
            moves_report(&graded)
        );
        return ExitCode::from(1);
    };
    let mut out = format!(
        "SOLVED: challenge {} — goal {} reached at step {}: {}.\n",
        one_line(&c.id),
        hit.goal,
        hit.step,
        one_line(&hit.what)
    );
    if let Some(store) = &record {
        let mut p = load_progress(store, &c.id);
        p.solve(hit.goal, hit.step, c.score(p.hints_used));
        if let Err(e) = store.save_record(&p) {
            return fail(format!(
                "cannot save progress in {}: {e}",
                store.dir().display()
            ));
        }
        out.push_str(&format!(
            "Recorded: score {} of {} ({} hint(s) used).\n",
            p.score.unwrap_or(0),
            c.points,
            p.hints_used
        ));
    }
    let debrief = c.debrief_when_solved(true).expect("solved");
    out.push_str(&format!(
        "\nDebrief\n\n{}\n\n",
        printable(debrief.what.trim())
    ));
    let quirks: Vec<&str> = c.quirks().iter().map(|q| q.name()).collect();
    out.push_str(&format!(
        "The deployment: {}{}.\n",
        c.world().describe_defenses(),
        if quirks.is_empty() {
            String::new()
        } else {
            format!("; quirks: {}", quirks.join(", "))
        }
    ));
    out.push_str(&format!("The fix: {}.\n", debrief.fix_words.join(", ")));
    out.push_str(&format!("References: {}.\n", debrief.references.join("; ")));
    let fixed = grade::grade_fixed(c, &inputs);
    out.push_str(&format!(
        "\nWith the fix ({}), the same moves:\n{}",
        c.fixed_world().describe_defenses(),
        moves_report(&fixed)
    ));
    match &fixed.hit {
        Some(h) => out.push_str(&format!(
            "  The goal {} still held, at step {}: the fix does not stop these moves.\n",
            h.goal, h.step
        )),
        None => out.push_str(&format!(
            "  No goal held in the {} steps of the run: the fix stops these moves.\n",
            fixed.trace.steps.len()
        )),
    }
    print!("{out}");
    ExitCode::SUCCESS
}

/// Every `.toml` file in `paths` (a directory's files, sorted).
fn files_in(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(p)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|f| f.extension().is_some_and(|e| e == "toml"))
                .collect();
            files.sort();
            out.extend(files);
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn check_files(paths: &[PathBuf]) -> ExitCode {
    let sources: Vec<Result<Source, Diagnostic>> = if paths.is_empty()
        && !Path::new("challenges").is_dir()
    {
        bundled::FILES
            .iter()
            .map(|(n, t)| Ok(Source::new(*n, *t)))
            .collect()
    } else {
        let paths = if paths.is_empty() {
            vec![PathBuf::from("challenges")]
        } else {
            paths.to_vec()
        };
        files_in(&paths)
            .into_iter()
            .map(|f| {
                let name = f.display().to_string();
                read_regular_text(&f, CHALLENGE_FILE_LIMIT)
                    .map(|text| Source::new(name.clone(), text))
                    .map_err(|e| {
                        Source::new(name, "").diagnostic(None, format!("cannot read the file: {e}"))
                    })
            })
            .collect()
    };
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut ok = 0;
    for s in &sources {
        match s.as_ref().map(load) {
            Ok(Ok(_)) => ok += 1,
            Ok(Err(d)) => problems.extend(d),
            Err(d) => problems.push(d.clone()),
        }
    }
    for p in &problems {
        eprintln!("{p}");
    }
    println!("{ok} of {} challenge file(s) are valid.", sources.len());
    if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
