//! Start-up: parse arguments, then run a subcommand.

use std::process::ExitCode;

use clap::Parser;
use sig_studio::cli::{self, Cli};

fn main() -> ExitCode {
    let args = Cli::parse();
    match args.command {
        Some(command) => ExitCode::from(cli::run(command)),
        None => {
            eprintln!("The desktop window is not built yet; use a subcommand (see `sig-studio --help`).");
            ExitCode::from(cli::exit::UNREADABLE)
        }
    }
}
