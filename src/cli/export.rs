//! `sig-studio export WORKSPACE --format arm|az [--scope GALLERY[/DEFINITION]] --out FILE`; with
//! `--format packer|image-builder --version G/D/V` one version handed to a build (`handoff.rs`).

use std::path::Path;

use super::{exit, load_or_report, refuse_overwriting_inputs, term};
use crate::export::{self, Scope};
use crate::workspace;

/// What to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// An ARM deployment template (JSON)
    Arm,
    /// A bash script of az CLI calls
    Az,
    /// Packer azure-arm gallery settings (HCL) for one version (--version)
    Packer,
    /// Azure Image Builder distribute entry (JSON) for one version (--version)
    ImageBuilder,
}

/// Exit 0 written, 1 the scope names nothing to export (nothing written), 2 the workspace
/// cannot be read, the output is the workspace, or the output cannot be written.
pub fn run(file: &Path, format: Format, scope: Option<&str>, out: &Path) -> u8 {
    if let Err(code) = refuse_overwriting_inputs(out, [file]) {
        return code;
    }
    let ws = match load_or_report(file) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    let core = match format {
        Format::Az => export::Format::Az,
        _ => export::Format::Arm,
    };
    let result = Scope::parse_optional(scope).and_then(|scope| export::export(&ws, &scope, core));
    let text = match result {
        Ok(text) => text,
        Err(err) => {
            eprintln!("{}", term::esc(&format!("{}: {err}", file.display())));
            eprintln!("{} not written", out.display());
            return exit::PROBLEMS;
        }
    };
    let written = match format {
        Format::Az => workspace::write_script(out, &text),
        _ => workspace::write_atomically(out, text.as_bytes(), false),
    };
    if let Err(err) = written {
        eprintln!("{}", term::esc(&err.to_string()));
        return exit::UNREADABLE;
    }
    outln!("written to {}", out.display());
    exit::OK
}
