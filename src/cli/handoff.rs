//! `sig-studio export FILE --format packer|image-builder --version G/D/V [--out FILE]`: one
//! planned version handed to an image build. The text goes to the file (or standard output);
//! the notes (how the timeout was worked out, follow-ups, what cannot be handed off) go to
//! standard error.

use std::path::Path;

use super::{exit, load_or_report, refuse_overwriting_inputs, term};
use crate::export::handoff::{Handoff, NoteKind, Target};
use crate::export::image_builder::{self, Versioning};
use crate::export::packer;
use crate::model::Date;
use crate::workspace;

/// Which build tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    Packer,
    ImageBuilder,
}

/// `--versioning explicit|latest|latest:MAJOR|source`.
pub fn parse_versioning(text: &str) -> Result<Versioning, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "explicit" => Ok(Versioning::Explicit),
        "source" => Ok(Versioning::Source),
        "latest" => Ok(Versioning::Latest { major: None }),
        other => match other.strip_prefix("latest:").map(str::parse::<u32>) {
            Some(Ok(major)) => Ok(Versioning::Latest { major: Some(major) }),
            _ => Err(format!(
                "\"{text}\" is not a versioning: give explicit, latest, latest:MAJOR or source"
            )),
        },
    }
}

/// `--build-minutes`: 0–960.
pub fn parse_build_minutes(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(m) if m <= image_builder::MAX_BUILD_MINUTES => Ok(m),
        _ => Err(format!(
            "\"{text}\" is not a number of minutes from 0 to {}",
            image_builder::MAX_BUILD_MINUTES
        )),
    }
}

/// What the hand-off is asked for.
pub struct Request<'a> {
    pub file: &'a Path,
    pub tool: Tool,
    pub version: &'a str,
    pub out: Option<&'a Path>,
    pub options: image_builder::Options,
    pub today: Date,
}

/// Exit 0 written, 1 written but the version cannot be handed off as it is (see the notes),
/// 2 the workspace or the version cannot be read, the output is the workspace, or the output
/// cannot be written.
pub fn run(request: &Request<'_>) -> u8 {
    if let Some(out) = request.out
        && let Err(code) = refuse_overwriting_inputs(out, [request.file])
    {
        return code;
    }
    let ws = match load_or_report(request.file) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    let target = match Target::find(&ws, request.version) {
        Ok(target) => target,
        Err(err) => {
            eprintln!(
                "{}",
                term::esc(&format!("{}: {err}", request.file.display()))
            );
            return exit::UNREADABLE;
        }
    };
    let handoff = match request.tool {
        Tool::Packer => packer::write(&ws, &target, request.today),
        Tool::ImageBuilder => image_builder::write(&ws, &target, &request.options, request.today),
    };
    match request.out {
        Some(out) => {
            if let Err(err) = workspace::write_atomically(out, handoff.text.as_bytes(), false) {
                eprintln!("{}", term::esc(&err.to_string()));
                return exit::UNREADABLE;
            }
            eprintln!("written to {}", out.display());
        }
        None => out!("{}", term::esc_lines(&handoff.text)),
    }
    print_notes(&handoff);
    if handoff.has_blockers() {
        eprintln!(
            "{}: cannot be handed off to {} as it is (see \"cannot hand off\" above)",
            term::esc(&target.path()),
            handoff.tool.label()
        );
        return exit::PROBLEMS;
    }
    exit::OK
}

/// The notes on standard error, blockers last.
fn print_notes(handoff: &Handoff) {
    let order = [
        NoteKind::Info,
        NoteKind::FollowUp,
        NoteKind::Warning,
        NoteKind::Blocker,
    ];
    for kind in order {
        for note in handoff.notes.iter().filter(|n| n.kind == kind) {
            eprintln!("{}: {}", note.kind.label(), term::esc(&note.text));
            if let Some(command) = &note.command {
                eprintln!("    {}", term::esc(command));
            }
        }
    }
}

/// The options of `export` that only a hand-off takes.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// With --format packer|image-builder: the version to hand off (GALLERY/DEFINITION/VERSION)
    #[arg(long, value_name = "G/D/V")]
    pub version: Option<String>,
    /// Image Builder: minutes allowed before distribution starts, 0-960 (default 90)
    #[arg(long, value_name = "MINUTES", value_parser = parse_build_minutes)]
    pub build_minutes: Option<u32>,
    /// Image Builder: explicit (the planned number, default), latest, latest:MAJOR or source
    #[arg(long, value_parser = parse_versioning)]
    pub versioning: Option<Versioning>,
    /// Date the replication prediction starts on (default: today)
    #[arg(long)]
    pub today: Option<Date>,
}

/// `export`: an ARM template or az script (`--scope`, `--out`), or a hand-off (`--version`).
pub fn export(
    file: &Path,
    format: super::export::Format,
    scope: Option<&str>,
    out: Option<&Path>,
    args: &Args,
) -> u8 {
    use super::export::Format;
    let tool = match format {
        Format::Packer => Tool::Packer,
        Format::ImageBuilder => Tool::ImageBuilder,
        Format::Arm | Format::Az => {
            let Some(out) = out else {
                eprintln!("sig-studio export: give --out FILE for --format arm or az");
                return exit::UNREADABLE;
            };
            if args.version.is_some() {
                eprintln!(
                    "sig-studio export: --version is for --format packer or image-builder; use --scope with arm or az"
                );
                return exit::UNREADABLE;
            }
            return super::export::run(file, format, scope, out);
        }
    };
    let Some(version) = args.version.as_deref() else {
        eprintln!(
            "sig-studio export: give --version GALLERY/DEFINITION/VERSION with --format packer or image-builder"
        );
        return exit::UNREADABLE;
    };
    let defaults = image_builder::Options::default();
    run(&Request {
        file,
        tool,
        version,
        out,
        options: image_builder::Options {
            build_minutes: args.build_minutes.unwrap_or(defaults.build_minutes),
            versioning: args.versioning.unwrap_or(defaults.versioning),
        },
        today: args.today.unwrap_or_else(super::today),
    })
}
