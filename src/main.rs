//! The `oauth-lab` command.
#![forbid(unsafe_code)]

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use oauth_lab::cli::{
    Cli, Command, attacks_cmd, challenge_cmd, defenses_cmd, export_cmd, lessons_cmd, progress_cmd,
    run_cmd, serve_cmd, tui_cmd,
};
use oauth_lab::terminal_text::{first_control, printable};

/// mimalloc: a run allocates many small, short-lived strings (wire text, headers,
/// parameters, trace steps), which it serves faster than the system allocator. The
/// benches measure the program with the same allocator (`benches/support`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Reports a command-line error. clap quotes the offending argument as it was typed;
/// when an argument holds a control character the message is printed with it escaped
/// (without colours), otherwise clap prints it as usual.
fn command_line_error(e: clap::Error) -> ExitCode {
    let hostile = std::env::args_os().any(|a| first_control(&a.to_string_lossy()).is_some());
    if !hostile {
        e.exit();
    }
    let text = e.render().to_string();
    if e.use_stderr() {
        eprint!("{}", printable(&text));
    } else {
        print!("{}", printable(&text));
    }
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return command_line_error(e),
    };
    let result = match cli.command {
        Some(Command::Lessons(args)) => return lessons_cmd::lessons(&args),
        Some(Command::Learn(args)) => return lessons_cmd::learn(&args),
        Some(Command::Challenge(args)) => return challenge_cmd::challenge(&args),
        Some(Command::Progress(args)) => return progress_cmd::progress(&args),
        Some(Command::Run(args)) => run_cmd::run(&args),
        Some(Command::Defenses(args)) => Ok(defenses_cmd::render(&args)),
        Some(Command::Attacks(args)) => attacks_cmd::render(&args),
        Some(Command::Export(args)) => export_cmd::run(&args),
        Some(Command::Serve(args)) => serve_cmd::run(&args),
        Some(Command::Tui(args)) => tui_cmd::run(&args),
        // No command: the UI on a terminal, else one line saying so and the transcript.
        None => tui_cmd::run(&cli.tui),
    };
    match result {
        Ok(text) => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`oauth-lab run | head`) is not an error worth a panic.
            let _ = out.write_all(text.as_bytes());
            ExitCode::SUCCESS
        }
        Err(e) => {
            // Errors quote their input (`unknown attack `…``): controls escaped.
            eprintln!("error: {}", printable(&e.to_string()));
            ExitCode::from(2)
        }
    }
}
