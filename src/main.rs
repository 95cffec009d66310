//! The `oauth-lab` command.
#![forbid(unsafe_code)]

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use oauth_lab::cli::{Cli, Command, attacks_cmd, defenses_cmd, run_cmd};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Run(args)) => run_cmd::run(&args),
        Some(Command::Defenses(args)) => Ok(defenses_cmd::render(&args)),
        Some(Command::Attacks(args)) => attacks_cmd::render(&args),
        None => run_cmd::run(&run_cmd::RunArgs::default()),
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
