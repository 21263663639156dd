//! `sig-studio import FILE... [--into WORKSPACE] --out OUT [--json]`: Azure JSON into a workspace.

use std::path::{Path, PathBuf};

use super::{exit, load_or_report, print_json};
use crate::import::{self, Input, Summary};
use crate::model::Workspace;
use crate::workspace;

/// The summary as text: what each file was, the counts, placeholders and every warning.
pub fn summary_text(summary: &Summary) -> String {
    let mut out = String::new();
    for file in &summary.files {
        out.push_str(&format!(
            "{}: {}, {} read\n",
            file.file, file.kind, file.read
        ));
    }
    for line in summary.count_lines() {
        out.push_str(&line);
        out.push('\n');
    }
    if !summary.known_only_by_reference.is_empty() {
        out.push_str("known only by reference (import their own payload to fill them in):\n");
        for path in &summary.known_only_by_reference {
            out.push_str(&format!("  {path}\n"));
        }
    }
    if !summary.warnings.is_empty() {
        out.push_str(&format!(
            "{} value(s) not understood or skipped:\n",
            summary.warnings.len()
        ));
        for warning in &summary.warnings {
            out.push_str(&format!("  {warning}\n"));
        }
    }
    out
}

/// Exit 0 imported (warnings may be printed), 1 nothing could be imported (nothing written),
/// 2 an input is not JSON or cannot be read, or OUT cannot be written.
pub fn run(files: &[PathBuf], into: Option<&Path>, out: &Path, json: bool) -> u8 {
    let mut ws = match into {
        Some(path) => match load_or_report(path) {
            Ok(ws) => ws,
            Err(code) => return code,
        },
        None => Workspace::default(),
    };
    let mut inputs = Vec::with_capacity(files.len());
    for file in files {
        match Input::read(file) {
            Ok(input) => inputs.push(input),
            Err(err) => {
                eprintln!("{err}");
                return exit::UNREADABLE;
            }
        }
    }
    let summary = match import::import(&mut ws, &inputs) {
        Ok(summary) => summary,
        Err(err) => {
            eprintln!("{err}");
            return exit::UNREADABLE;
        }
    };
    let code = if summary.imported_anything() {
        if let Err(err) = workspace::save(out, &ws) {
            eprintln!("{err}");
            return exit::UNREADABLE;
        }
        exit::OK
    } else {
        exit::PROBLEMS
    };
    if json {
        let printed = print_json(&summary);
        if printed != exit::OK {
            return printed;
        }
    } else {
        print!("{}", summary_text(&summary));
        if code == exit::OK {
            println!("written to {}", out.display());
        }
    }
    if code != exit::OK {
        eprintln!("nothing could be imported: {} not written", out.display());
    }
    code
}
