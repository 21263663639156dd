//! The command line: the same core as the app, without a window. Each subcommand prints what the
//! core returns and exits with a documented code.

pub mod access;
pub mod cost;
pub mod deploy;
pub mod retention;
pub mod simulate;
pub mod summary;
pub mod validate;
pub mod who;

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::model::{Date, Region, Workspace};
use crate::replication::deploy::DeployKind;
use crate::workspace;

/// Exit codes shared by the subcommands.
pub mod exit {
    /// Everything is fine (warnings may have been printed).
    pub const OK: u8 = 0;
    /// The workspace has errors (validate), or the answer is "no".
    pub const PROBLEMS: u8 = 1;
    /// The file could not be read or parsed, or the arguments are wrong.
    pub const UNREADABLE: u8 = 2;
    /// `simulate`: a replication failed.
    pub const FAILED: u8 = 3;
}

#[derive(Debug, Parser)]
#[command(
    name = "sig-studio",
    version,
    about = "Plan and run shared image galleries (Azure Compute Gallery)",
    long_about = "Plan and run shared image galleries (Azure Compute Gallery).\n\nWith no subcommand, or with a workspace file, opens the desktop app.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Workspace file to open in the app.
    pub file: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a workspace against the service's rules; exit 0 when valid, 1 with problems, 2 when unreadable
    Validate {
        file: PathBuf,
        /// Date to judge end-of-life dates against (default: today)
        #[arg(long)]
        today: Option<Date>,
    },
    /// Counts, each version's regions, replica counts and replication state, and "latest" per definition
    Summary {
        file: PathBuf,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Write PNGs of the main views (tree with a gallery, a version's target regions, a definition) at 2× scale, without a display
    Screenshot {
        file: PathBuf,
        /// Folder for the PNG files
        #[arg(long, default_value = "docs/screenshots")]
        out: PathBuf,
    },
    /// Estimated monthly storage and one-time transfer cost in USD; exit 1 when prices are invalid
    Cost {
        file: PathBuf,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
        /// Group rows by region, version, definition or gallery (default: gallery)
        #[arg(long, value_enum)]
        by: Option<cost::By>,
    },
    /// Preview a retention policy for a definition; with --apply --write OUT apply it; exit 1 when blocked
    Retention(retention::RetentionArgs),
    /// What a principal can see and do, on every resource, and why; exit 1 when the principal is unknown
    Access {
        file: PathBuf,
        /// The principal's name, e.g. carol@contoso.com
        #[arg(long)]
        principal: String,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Who can see, deploy or manage the resource at PATH (gallery[/definition[/version]]), and why; exit 1 when the path is unknown
    Who {
        file: PathBuf,
        path: String,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Rewrite a workspace file in the canonical layout (or with --check, only report whether it is)
    Fmt {
        file: PathBuf,
        /// Do not write; exit 1 when the file is not in the canonical layout
        #[arg(long)]
        check: bool,
    },
    /// Run the replication simulation without a window; print each version's regions with state and simulated duration; exit 0 all completed, 3 any failed, 1 still running
    Simulate {
        file: PathBuf,
        /// Run until no job is queued or replicating (the default without --for)
        #[arg(long, conflicts_with = "for_secs")]
        until_settled: bool,
        /// Run this much simulated time, e.g. 90m, 2h, 600s
        #[arg(long = "for", value_name = "DURATION", value_parser = simulate::parse_duration)]
        for_secs: Option<f64>,
        /// With --until-settled: stop after this much simulated time even if jobs still run, e.g. 30d (default: no limit)
        #[arg(long = "max-time", value_name = "DURATION", value_parser = simulate::parse_duration, conflicts_with = "for_secs")]
        max_secs: Option<f64>,
        /// Pace the run at this many simulated seconds per wall-clock second (default: as fast as possible)
        #[arg(long, value_name = "X")]
        speed: Option<f64>,
        /// Mark a region unavailable (repeatable)
        #[arg(long = "outage", value_name = "REGION")]
        outages: Vec<Region>,
        /// Seed of the failure draws
        #[arg(long)]
        seed: Option<u64>,
        /// Probability (0-1) that a copy attempt fails
        #[arg(long, value_name = "P")]
        failure_rate: Option<f64>,
        /// Save the resulting workspace to this file
        #[arg(long, value_name = "OUT")]
        write: Option<PathBuf>,
    },
    /// May a version, or a definition's latest, be deployed in a region? Exit 0 allowed, 1 refused, 2 unreadable
    Deploy {
        file: PathBuf,
        /// gallery/definition/version, or gallery/definition for its latest
        target: String,
        #[arg(long)]
        region: String,
        /// Number of VMs created at once
        #[arg(
            long,
            conflicts_with = "scale_sets",
            required_unless_present = "scale_sets"
        )]
        vms: Option<u32>,
        /// Number of scale sets created at once
        #[arg(long)]
        scale_sets: Option<u32>,
    },
}

/// Today's date in the local time zone.
pub fn today() -> Date {
    jiff::Zoned::now().date()
}

/// Loads a workspace for a subcommand, printing `FILE:LINE:COL: message` on failure.
pub fn load_or_report(file: &Path) -> Result<Workspace, u8> {
    workspace::load(file).map_err(|err| {
        eprintln!("{err}");
        exit::UNREADABLE
    })
}

/// Runs a subcommand; returns the process exit code.
pub fn run(command: Command) -> u8 {
    match command {
        Command::Validate { file, today: date } => validate::run(&file, date.unwrap_or_else(today)),
        Command::Summary { file, json } => summary::run(&file, json),
        Command::Fmt { file, check } => fmt(&file, check),
        Command::Screenshot { file, out } => screenshot(&file, &out),
        Command::Cost { file, json, by } => cost::run(&file, json, by),
        Command::Retention(args) => retention::run(&args),
        Command::Simulate {
            file,
            until_settled: _,
            for_secs,
            max_secs,
            speed,
            outages,
            seed,
            failure_rate,
            write,
        } => simulate::run(
            &file,
            &simulate::Options {
                for_secs,
                max_secs,
                speed,
                outages,
                seed,
                failure_rate,
                write,
            },
        ),
        Command::Deploy {
            file,
            target,
            region,
            vms,
            scale_sets,
        } => match (vms, scale_sets) {
            (Some(count), _) => deploy::run(&file, &target, &region, DeployKind::Vms, count),
            (None, Some(count)) => {
                deploy::run(&file, &target, &region, DeployKind::ScaleSets, count)
            }
            (None, None) => {
                eprintln!("sig-studio: give --vms N or --scale-sets N");
                exit::UNREADABLE
            }
        },
        Command::Access {
            file,
            principal,
            json,
        } => access::run(&file, &principal, json),
        Command::Who { file, path, json } => who::run(&file, &path, json),
    }
}

/// Prints a value as pretty JSON; the exit code.
/// Prints a report as JSON or as text; a report that could not be made is a problem with the
/// file (exit 1), said with the file's name.
pub fn print_report<T: serde::Serialize, E: std::fmt::Display>(
    file: &Path,
    report: Result<T, E>,
    json: bool,
    to_text: impl Fn(&T) -> String,
) -> u8 {
    match report {
        Err(err) => {
            eprintln!("{}: {err}", file.display());
            exit::PROBLEMS
        }
        Ok(report) if json => print_json(&report),
        Ok(report) => {
            print!("{}", to_text(&report));
            exit::OK
        }
    }
}

pub fn print_json(value: &impl serde::Serialize) -> u8 {
    match serde_json::to_string_pretty(value) {
        Ok(text) => {
            println!("{text}");
            exit::OK
        }
        Err(err) => {
            eprintln!("cannot write JSON: {err}");
            exit::UNREADABLE
        }
    }
}

fn fmt(file: &Path, check: bool) -> u8 {
    let Ok(text) = std::fs::read_to_string(file) else {
        let ws = load_or_report(file);
        return ws.err().unwrap_or(exit::UNREADABLE);
    };
    let ws = match load_or_report(file) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    let canonical = workspace::to_ron_string(&ws);
    if canonical == text {
        return exit::OK;
    }
    if check {
        eprintln!(
            "{}: not in the canonical layout (run `sig-studio fmt` to rewrite it)",
            file.display()
        );
        return exit::PROBLEMS;
    }
    match workspace::save(file, &ws) {
        Ok(()) => {
            println!(
                "{}: rewritten (previous version kept as .bak)",
                file.display()
            );
            exit::OK
        }
        Err(err) => {
            eprintln!("{err}");
            exit::UNREADABLE
        }
    }
}

fn screenshot(file: &Path, out: &Path) -> u8 {
    let ws = match load_or_report(file) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    match crate::ui::screenshot::write_screenshots(&ws, file, out) {
        Ok(files) => {
            for file in files {
                println!("{}", file.display());
            }
            exit::OK
        }
        Err(err) => {
            eprintln!("cannot render screenshots: {err}");
            eprintln!(
                "(rendering needs Vulkan: on Debian/Ubuntu install libvulkan1 and mesa-vulkan-drivers)"
            );
            exit::UNREADABLE
        }
    }
}
