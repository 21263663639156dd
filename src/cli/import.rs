//! `sig-studio import FILE... [--into WORKSPACE] --out OUT [--json]`: Azure JSON into a workspace.

use std::path::{Path, PathBuf};

use super::term::esc;
use super::{exit, load_stamped_or_report, print_json, refuse_overwriting_inputs, save_output};
use crate::import::{self, Input, Summary};
use crate::model::Workspace;
use crate::workspace;

/// The summary as text: what each file was, the counts, placeholders and every warning. Every
/// piece that comes from the input (file names, paths, messages quoting values) is escaped, so
/// that an input cannot fake a line or send the terminal an escape sequence.
pub fn summary_text(summary: &Summary) -> String {
    let mut out = String::new();
    for file in &summary.files {
        out.push_str(&format!(
            "{}: {}, {} read\n",
            esc(&file.file),
            file.kind,
            file.read
        ));
    }
    for line in summary.count_lines() {
        out.push_str(&esc(&line));
        out.push('\n');
    }
    if !summary.known_only_by_reference.is_empty() {
        out.push_str("known only by reference (import their own payload to fill them in):\n");
        for path in &summary.known_only_by_reference {
            out.push_str(&format!("  {}\n", esc(path)));
        }
    }
    if !summary.warnings.is_empty() {
        out.push_str(&format!(
            "{} value(s) not understood or skipped:\n",
            summary.warnings.len()
        ));
        for warning in &summary.warnings {
            out.push_str(&format!("  {}\n", esc(&warning.to_string())));
        }
    }
    out
}

/// Exit 0 imported (warnings may be printed), 1 nothing could be imported (nothing written),
/// 2 an input is not JSON or cannot be read, OUT is one of the JSON inputs, OUT cannot be
/// written, or OUT is the workspace `--into` read and someone changed it meanwhile.
pub fn run(files: &[PathBuf], into: Option<&Path>, out: &Path, json: bool) -> u8 {
    // OUT may be the workspace merged into (that is a save, checked below), never an input.
    if let Err(code) = refuse_overwriting_inputs(out, files.iter().map(PathBuf::as_path)) {
        return code;
    }
    let (mut ws, stamp) = match into {
        Some(path) => match load_stamped_or_report(path) {
            Ok((ws, stamp)) => (ws, Some((path, stamp))),
            Err(code) => return code,
        },
        None => (Workspace::default(), None),
    };
    let mut inputs = Vec::with_capacity(files.len());
    for file in files {
        match Input::read(file) {
            Ok(input) => inputs.push(input),
            Err(err) => {
                eprintln!("{}", esc(&err.to_string()));
                return exit::UNREADABLE;
            }
        }
    }
    let summary = match import::import(&mut ws, &inputs) {
        Ok(summary) => summary,
        Err(err) => {
            eprintln!("{}", esc(&err.to_string()));
            return exit::UNREADABLE;
        }
    };
    let code = if summary.imported_anything() {
        let saved = match &stamp {
            Some((read, stamp)) => save_output(read, stamp, out, &ws),
            None => workspace::save(out, &ws).map_err(|err| {
                eprintln!("{}", esc(&err.to_string()));
                exit::UNREADABLE
            }),
        };
        if let Err(code) = saved {
            return code;
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
        out!("{}", summary_text(&summary));
        if code == exit::OK {
            outln!("written to {}", esc(&out.display().to_string()));
        }
    }
    if code != exit::OK {
        eprintln!(
            "nothing could be imported: {} not written",
            esc(&out.display().to_string())
        );
    }
    code
}
