//! Start-up: parse arguments, then run a subcommand or open the window.

use std::process::ExitCode;

use clap::Parser;
use sig_studio::cli::{self, Cli};
use sig_studio::ui::SigStudioApp;

fn main() -> ExitCode {
    let started = sig_studio::clock::now();
    sig_studio::logger::Logger::install();
    let args = Cli::parse();
    match args.command {
        Some(command) => ExitCode::from(cli::run(command)),
        None => run_app(args.file, started),
    }
}

fn run_app(file: Option<std::path::PathBuf>, started: std::time::Instant) -> ExitCode {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("SIG Studio")
            .with_app_id("sig-studio")
            .with_inner_size([1400.0, 900.0])
            .with_min_inner_size([800.0, 500.0]),
        ..Default::default()
    };
    let result = eframe::run_native(
        "SIG Studio",
        options,
        Box::new(move |cc| {
            Ok(Box::new(SigStudioApp::from_creation_context(
                cc,
                file,
                started,
                sig_studio::today(),
            )))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("sig-studio: could not open the window: {err}");
            ExitCode::from(cli::exit::UNREADABLE)
        }
    }
}
