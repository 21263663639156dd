//! `sig-studio preflight FILE --version G/D/V [--for packer|image-builder]`: every reason
//! publishing the version from an image build would fail, before the build runs. One finding a
//! line (`error:` or `warning:`), the service's own words under it where it has them.

use std::path::Path;

use super::{exit, load_or_report, term};
use crate::export::handoff::{BuildSource, SourceKind, Tool};
use crate::model::{Date, HyperVGeneration, SecurityType, Severity};
use crate::preflight::{self, Input, Preflight, Verdict};
use crate::words::count;

/// Exit code: some finding would make the publish fail.
pub const WOULD_FAIL: u8 = 3;

/// `--for`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ForTool {
    /// Packer's azure-arm builder, as `export --format packer` writes it
    Packer,
    /// Azure Image Builder, as `export --format image-builder` writes it
    ImageBuilder,
}

/// `--source-generation`.
pub fn parse_generation(text: &str) -> Result<HyperVGeneration, String> {
    match text.trim().to_ascii_uppercase().as_str() {
        "V1" | "1" => Ok(HyperVGeneration::V1),
        "V2" | "2" => Ok(HyperVGeneration::V2),
        _ => Err(format!(
            "\"{text}\" is not a Hyper-V generation: give V1 or V2"
        )),
    }
}

/// `--source-security-type`: what a build VM can be.
pub fn parse_security(text: &str) -> Result<SecurityType, String> {
    match SecurityType::parse(text) {
        Some(
            s @ (SecurityType::Standard
            | SecurityType::TrustedLaunch
            | SecurityType::ConfidentialVM),
        ) => Ok(s),
        _ => Err(format!(
            "\"{text}\" is not a build VM's security type: give Standard, TrustedLaunch or ConfidentialVM"
        )),
    }
}

/// `--source-kind`.
pub fn parse_kind(text: &str) -> Result<SourceKind, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "vm" => Ok(SourceKind::VirtualMachine),
        "managed-image" => Ok(SourceKind::ManagedImage),
        "gallery-version" => Ok(SourceKind::GalleryImageVersion),
        "vhd" => Ok(SourceKind::Vhd),
        "disk" | "snapshot" => Ok(SourceKind::DiskOrSnapshot),
        _ => Err(format!(
            "\"{text}\" is not a source kind: give vm, managed-image, gallery-version, vhd or disk"
        )),
    }
}

/// What `preflight` is asked.
pub struct Request<'a> {
    pub file: &'a Path,
    pub version: &'a str,
    pub tool: Option<ForTool>,
    pub build: BuildSource,
    pub today: Date,
}

/// Exit 0 clean, 1 warnings only, 3 would fail, 2 the workspace or the version cannot be read.
pub fn run(request: &Request<'_>) -> u8 {
    let ws = match load_or_report(request.file) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    let input = Input {
        tool: request.tool.map(|t| match t {
            ForTool::Packer => Tool::Packer,
            ForTool::ImageBuilder => Tool::ImageBuilder,
        }),
        build: request.build,
    };
    match preflight::check(&ws, request.version, &input, request.today) {
        Ok(report) => {
            out!("{}", term::esc_lines(&to_text(&report)));
            match report.verdict() {
                Verdict::Clean => exit::OK,
                Verdict::Warnings => exit::PROBLEMS,
                Verdict::WouldFail => WOULD_FAIL,
            }
        }
        Err(err) => {
            eprintln!(
                "{}",
                term::esc(&format!("{}: {err}", request.file.display()))
            );
            exit::UNREADABLE
        }
    }
}

/// The report as text: a summary line, then one line per finding and note.
pub fn to_text(report: &Preflight) -> String {
    let errors = report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let warnings = report.findings.len() - errors;
    let verdict = match report.verdict() {
        Verdict::Clean => "clean".to_owned(),
        Verdict::Warnings => format!("warnings ({})", count(warnings, "warning", "warnings")),
        Verdict::WouldFail => format!(
            "would fail ({}, {})",
            count(errors, "error", "errors"),
            count(warnings, "warning", "warnings")
        ),
    };
    let tool = report
        .tool
        .map_or(String::new(), |t| format!(" for {}", t.label()));
    let mut out = format!("{}{tool}: {verdict}\n", report.path);
    for f in &report.findings {
        let region = f
            .region
            .map_or(String::new(), |r| format!(" ({})", r.name()));
        out.push_str(&format!(
            "{}: {}{region}: {}\n",
            f.severity.label(),
            f.check.label(),
            f.message
        ));
        if let (Some(text), Some(source)) = (&f.service_text, f.source) {
            out.push_str(&format!("    quoted: \"{text}\" ({source})\n"));
        }
    }
    for note in &report.notes {
        out.push_str(&format!("note: {note}\n"));
    }
    out
}

/// `sig-studio preflight`'s arguments.
#[derive(Debug, clap::Args)]
pub struct Args {
    pub file: std::path::PathBuf,
    /// The planned version (GALLERY/DEFINITION/VERSION)
    #[arg(long, value_name = "G/D/V")]
    pub version: String,
    /// The build tool: its hand-off's settings fill in what the build publishes, and what it cannot express counts too
    #[arg(long = "for", value_enum, value_name = "TOOL")]
    pub tool: Option<ForTool>,
    /// Hyper-V generation of the build's base image (V1 or V2)
    #[arg(long, value_name = "GEN", value_parser = parse_generation)]
    pub source_generation: Option<HyperVGeneration>,
    /// Security type of the build VM: Standard, TrustedLaunch or ConfidentialVM
    #[arg(long, value_name = "TYPE", value_parser = parse_security)]
    pub source_security_type: Option<SecurityType>,
    /// What the version is created from: vm, managed-image, gallery-version, vhd or disk
    #[arg(long, value_name = "KIND", value_parser = parse_kind)]
    pub source_kind: Option<SourceKind>,
    /// Date to judge end-of-life dates against (default: today)
    #[arg(long)]
    pub today: Option<Date>,
}

/// Runs `preflight` from its arguments.
pub fn run_args(args: &Args) -> u8 {
    run(&Request {
        file: &args.file,
        version: &args.version,
        tool: args.tool,
        build: BuildSource {
            generation: args.source_generation,
            security: args.source_security_type,
            kind: args.source_kind,
        },
        today: args.today.unwrap_or_else(super::today),
    })
}
