//! `sig-studio fmt FILE [--check]`: the workspace file rewritten in the canonical layout (the
//! previous version kept as .bak), or with --check only told whether it is.

use std::path::Path;

use super::{exit, load_stamped_or_report, save_output};
use crate::workspace;

pub fn run(file: &Path, check: bool) -> u8 {
    let (ws, stamp) = match load_stamped_or_report(file) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let text = workspace::read_input(file, workspace::MAX_INPUT_BYTES)
        .ok()
        .and_then(|(bytes, _)| String::from_utf8(bytes).ok());
    let Some(text) = text else {
        eprintln!("{}: cannot read the file again", file.display());
        return exit::UNREADABLE;
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
    match save_output(file, &stamp, file, &ws) {
        Ok(()) => {
            outln!(
                "{}: rewritten (previous version kept as .bak)",
                file.display()
            );
            exit::OK
        }
        Err(code) => code,
    }
}
