//! `sig-studio validate FILE`: one line per problem, `path: severity: message`.

use crate::words::count;
use std::path::Path;

use super::{exit, load_or_report, term};
use crate::model::{Date, Severity};
use crate::validate;

pub fn run(file: &Path, today: Date) -> u8 {
    let ws = match load_or_report(file) {
        Ok(ws) => ws,
        Err(code) => return code,
    };
    let problems = validate(&ws, today);
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = problems.len() - errors;
    for problem in &problems {
        // One line each, whatever the names in it hold.
        outln!("{}", term::esc(&problem.to_string()));
    }
    if errors > 0 {
        eprintln!(
            "{}: {}, {}",
            file.display(),
            count(errors, "error", "errors"),
            count(warnings, "warning", "warnings")
        );
        exit::PROBLEMS
    } else {
        eprintln!(
            "{}: valid ({}, {})",
            file.display(),
            count(ws.version_count(), "version", "versions"),
            count(warnings, "warning", "warnings")
        );
        exit::OK
    }
}
