//! The command line: the same core as the app, without a window. Each subcommand prints what the
//! core returns and exits with a documented code.

// First: its `out!` and `outln!` are used by the modules after it.
#[macro_use]
pub mod output;

pub mod access;
pub mod apply;
pub mod azure;
pub mod cost;
pub mod deploy;
pub mod export;
pub mod fmt;
pub mod handoff;
pub mod import;
pub mod plan;
pub mod preflight;
pub mod retention;
pub mod simulate;
pub mod summary;
pub mod term;
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
        /// Folder of the az CLI and REST JSON examples `import.png` imports (skipped when the
        /// folder does not exist)
        #[arg(long, default_value = "tests/fixtures/import")]
        import_examples: PathBuf,
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
        #[arg(long, value_name = "X", value_parser = simulate::parse_speed)]
        speed: Option<f64>,
        /// Mark a region unavailable (repeatable)
        #[arg(long = "outage", value_name = "REGION")]
        outages: Vec<Region>,
        /// Seed of the failure draws
        #[arg(long)]
        seed: Option<u64>,
        /// Probability (0-1) that a copy attempt fails
        #[arg(long, value_name = "P", value_parser = simulate::parse_failure_rate)]
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
    /// Import Azure JSON (REST responses, spec examples, az CLI output incl. `az role assignment list`, ARM templates) into a workspace; exit 0 imported, 1 nothing importable, 2 not JSON or unwritable
    Import {
        /// JSON files; the kind of each is detected from its content
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Merge into this workspace (matches updated, new resources added, nothing deleted)
        #[arg(long, value_name = "WORKSPACE")]
        into: Option<PathBuf>,
        /// Save the result here (safely; may be the same file as --into)
        #[arg(long, value_name = "OUT")]
        out: PathBuf,
        /// Print the summary as JSON
        #[arg(long)]
        json: bool,
    },
    /// Write what Azure deploys: an ARM template or an az CLI script; or hand one version to Packer or Image Builder (--version); exit 0 written, 1 nothing to export (or the version cannot be handed off), 2 unreadable or unwritable
    Export {
        file: PathBuf,
        #[arg(long, value_enum)]
        format: export::Format,
        /// Only this gallery, or this definition (GALLERY/DEFINITION), with what is below it
        #[arg(long, conflicts_with = "version")]
        scope: Option<String>,
        /// The file to write (nothing is written on failure); packer and image-builder print to standard output without it
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[command(flatten)]
        handoff: handoff::Args,
    },
    /// Every reason publishing VERSION (GALLERY/DEFINITION/VERSION) from an image build would fail; exit 0 clean, 1 warnings, 3 would fail, 2 unreadable
    Preflight(preflight::Args),
    /// The operations that take Azure from BEFORE to AFTER, in an order the service accepts; with one FILE, from Azure as last seen in it to its planned state; exit 0 nothing to do, 1 steps, 3 some refused, 2 unreadable
    Plan {
        /// BEFORE, or with no AFTER the workspace FILE planned from its Azure as last seen
        #[arg(value_name = "BEFORE|FILE")]
        before: PathBuf,
        after: Option<PathBuf>,
        /// Print the plan as JSON
        #[arg(long, conflicts_with = "format")]
        json: bool,
        /// text (default) or az: a bash script of az CLI calls
        #[arg(long, value_enum, default_value_t)]
        format: plan::Format,
        /// Write the plan to this file instead of standard output (nothing is written on failure)
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Date to judge end-of-life dates against (default: today)
        #[arg(long)]
        today: Option<Date>,
    },
    /// Create a workspace from Azure (read only, with the Azure CLI's sign-in): planned = Azure; exit 0 written, 2 when Azure cannot be read (the reason and the URL) or FILE exists
    Pull {
        /// The subscription's id or name
        #[arg(long)]
        subscription: String,
        /// Only this resource group
        #[arg(long)]
        resource_group: Option<String>,
        /// ARM endpoint (default: the Azure CLI's cloud, `az cloud show`)
        #[arg(long, value_name = "URL")]
        arm_endpoint: Option<String>,
        /// Show principals by object id, without asking Microsoft Graph for names
        #[arg(long)]
        object_ids: bool,
        /// The workspace file to create
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Read Azure again into FILE's Azure as last seen and take Azure's changes into the plan, keeping your edits; exit 0 no change, 1 changes taken in, 3 conflicts left for you, 2 Azure unreadable
    Refresh {
        file: PathBuf,
        /// ARM endpoint (default: the Azure CLI's cloud; never the one the file names)
        #[arg(long, value_name = "URL")]
        arm_endpoint: Option<String>,
        /// The subscription (default: the one FILE was read from)
        #[arg(long)]
        subscription: Option<String>,
        /// Only this resource group (default: as FILE was read)
        #[arg(long)]
        resource_group: Option<String>,
        /// Show principals by object id, without asking Microsoft Graph for names
        #[arg(long)]
        object_ids: bool,
        /// Resolve the conflict on PATH (gallery[/definition[/version]], or `all`) by keeping your planned state (repeatable)
        #[arg(long, value_name = "PATH")]
        keep_mine: Vec<String>,
        /// Resolve the conflict on PATH (or `all`) by taking Azure's state (repeatable)
        #[arg(long, value_name = "PATH")]
        take_azure: Vec<String>,
        /// Print what changed as JSON
        #[arg(long)]
        json: bool,
    },
    /// Carry out FILE's plan in Azure: reads Azure again first, asks before sending (naming every delete and removed region), logs every request next to FILE; exit 0 applied, 1 not confirmed or refused steps left, 2 unreadable, 3 conflicts with Azure (nothing sent), 4 a step failed, 130 interrupted
    Apply(apply::ApplyArgs),
    /// The plan between two workspace files, for people; also git's external diff driver (`git config diff.sig-studio.command "sig-studio diff"`)
    Diff {
        /// A B, or the arguments git passes (7, 9 for a renamed file, 1 for an unmerged one);
        /// names that start with `-` are file names here, never options
        #[arg(required = true, num_args = 1..=9, allow_hyphen_values = true)]
        files: Vec<PathBuf>,
    },
}

/// Today's date in the local time zone.
pub fn today() -> Date {
    crate::today()
}

/// Loads a workspace for a subcommand, printing `FILE:LINE:COL: message` on failure.
pub fn load_or_report(file: &Path) -> Result<Workspace, u8> {
    workspace::load(file).map_err(|err| {
        eprintln!("{}", term::esc(&err.to_string()));
        exit::UNREADABLE
    })
}

/// Loads a workspace like [`load_or_report`], with what its file held, so that writing the
/// result back onto it ([`save_output`]) notices changes made by someone else meanwhile.
pub fn load_stamped_or_report(file: &Path) -> Result<(Workspace, workspace::DiskStamp), u8> {
    workspace::load_stamped(file).map_err(|err| {
        eprintln!("{}", term::esc(&err.to_string()));
        exit::UNREADABLE
    })
}

/// Whether two paths name the same file: the same device and inode once links are followed, so
/// that a symbolic link, a hard link, `./x`, `../dir/x` or another spelling of a name is
/// recognised; `false` when either does not exist.
#[cfg(unix)]
pub fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(a), Ok(b)) => (a.dev(), a.ino()) == (b.dev(), b.ino()),
        _ => false,
    }
}

/// Whether two paths name the same file (links followed; hard links are not recognised here).
#[cfg(not(unix))]
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Refuses an output file that is one of the inputs (by identity, see [`same_file`]): writing
/// it would replace what was read, without a `.bak`. Prints why; exit 2.
pub fn refuse_overwriting_inputs<'a>(
    out: &Path,
    inputs: impl IntoIterator<Item = &'a Path>,
) -> Result<(), u8> {
    for input in inputs {
        if same_file(out, input) {
            eprintln!(
                "{}",
                term::esc(&format!(
                    "{} is the input {}: writing there would replace it; give another file to write",
                    out.display(),
                    input.display()
                ))
            );
            return Err(exit::UNREADABLE);
        }
    }
    Ok(())
}

/// Saves a subcommand's result to `out` safely. When `out` is the file the workspace was read
/// from (`read`, which held `stamp` then) and someone changed that file since, nothing is
/// written. Prints the error and returns exit 2 on failure.
pub fn save_output(
    read: &Path,
    stamp: &workspace::DiskStamp,
    out: &Path,
    ws: &Workspace,
) -> Result<(), u8> {
    let expected = same_file(read, out).then_some(stamp);
    workspace::save_checked(out, ws, expected)
        .map(|_| ())
        .map_err(|err| {
            eprintln!("{}", term::esc(&err.to_string()));
            exit::UNREADABLE
        })
}

/// Runs a subcommand; returns the process exit code.
/// `deploy`: VMs or scale sets, whichever count was given.
fn deploy(
    file: &Path,
    target: &str,
    region: &str,
    vms: Option<u32>,
    scale_sets: Option<u32>,
) -> u8 {
    match (vms, scale_sets) {
        (Some(count), _) => deploy::run(file, target, region, DeployKind::Vms, count),
        (None, Some(count)) => deploy::run(file, target, region, DeployKind::ScaleSets, count),
        (None, None) => {
            eprintln!("sig-studio: give --vms N or --scale-sets N");
            exit::UNREADABLE
        }
    }
}

pub fn run(command: Command) -> u8 {
    match command {
        Command::Validate { file, today: date } => validate::run(&file, date.unwrap_or_else(today)),
        Command::Summary { file, json } => summary::run(&file, json),
        Command::Fmt { file, check } => fmt::run(&file, check),
        Command::Screenshot {
            file,
            out,
            import_examples,
        } => screenshot(&file, &out, &import_examples),
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
        } => deploy(&file, &target, &region, vms, scale_sets),
        Command::Access {
            file,
            principal,
            json,
        } => access::run(&file, &principal, json),
        Command::Who { file, path, json } => who::run(&file, &path, json),
        Command::Import {
            files,
            into,
            out,
            json,
        } => import::run(&files, into.as_deref(), &out, json),
        Command::Export {
            file,
            format,
            scope,
            out,
            handoff,
        } => handoff::export(&file, format, scope.as_deref(), out.as_deref(), &handoff),
        Command::Preflight(args) => preflight::run_args(&args),
        Command::Plan {
            before,
            after,
            json,
            format,
            out,
            today: date,
        } => plan::run(
            &before,
            after.as_deref(),
            json,
            format,
            out.as_deref(),
            date.unwrap_or_else(today),
        ),
        Command::Diff { files } => plan::diff(&files, today()),
        Command::Apply(args) => apply::run_args(&args),
        Command::Pull {
            subscription,
            resource_group,
            arm_endpoint,
            object_ids,
            out,
        } => azure::pull(
            &azure::Target {
                subscription: Some(&subscription),
                resource_group: resource_group.as_deref(),
                arm_endpoint: arm_endpoint.as_deref(),
                object_ids,
            },
            &out,
        ),
        Command::Refresh {
            file,
            arm_endpoint,
            subscription,
            resource_group,
            object_ids,
            keep_mine,
            take_azure,
            json,
        } => azure::refresh(
            &file,
            &azure::Target {
                subscription: subscription.as_deref(),
                resource_group: resource_group.as_deref(),
                arm_endpoint: arm_endpoint.as_deref(),
                object_ids,
            },
            &azure::Resolve {
                keep_mine,
                take_azure,
            },
            json,
        ),
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
            eprintln!("{}", term::esc(&format!("{}: {err}", file.display())));
            exit::PROBLEMS
        }
        Ok(report) if json => print_json(&report),
        Ok(report) => {
            out!("{}", term::esc_lines(&to_text(&report)));
            exit::OK
        }
    }
}

pub fn print_json(value: &impl serde::Serialize) -> u8 {
    match output::json(value) {
        Ok(text) => {
            outln!("{text}");
            exit::OK
        }
        Err(err) => {
            eprintln!("cannot write JSON: {err}");
            exit::UNREADABLE
        }
    }
}

#[cfg(not(feature = "screenshot"))]
fn screenshot(_file: &Path, _out: &Path, _import_examples: &Path) -> u8 {
    eprintln!(
        "sig-studio screenshot: this build has no renderer (built without the `screenshot` feature)"
    );
    exit::UNREADABLE
}

#[cfg(feature = "screenshot")]
fn screenshot(file: &Path, out: &Path, import_examples: &Path) -> u8 {
    let ws = match load_or_report(file) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    let examples = import_examples.is_dir().then_some(import_examples);
    if examples.is_none() {
        eprintln!(
            "{}: no such folder: import.png is not rendered",
            import_examples.display()
        );
    }
    match crate::ui::screenshot::write_screenshots(&ws, file, out, examples) {
        Ok(files) => {
            for file in files {
                outln!("{}", file.display());
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
