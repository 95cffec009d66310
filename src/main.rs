//! The `oauth-lab` command.
#![forbid(unsafe_code)]

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use oauth_lab::cli::{Cli, Command, attacks_cmd, defenses_cmd, lessons_cmd, run_cmd, tui_cmd};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Lessons(args)) => return lessons_cmd::lessons(&args),
        Some(Command::Learn(args)) => return lessons_cmd::learn(&args),
        Some(Command::Run(args)) => run_cmd::run(&args),
        Some(Command::Defenses(args)) => Ok(defenses_cmd::render(&args)),
        Some(Command::Attacks(args)) => attacks_cmd::render(&args),
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
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
