//! Helpers every test binary shares: the fixed date, temporary folders, the command line as the
//! tests run it, and the seeded generator. Nothing here links the app's UI.

#![allow(dead_code)] // Each test file uses its own part.

pub mod cli;
pub mod gallery;
pub mod log_capture;
pub mod oracle;
pub mod pyenv;
pub mod rng;

use std::path::PathBuf;

/// The date the tests judge end-of-life dates against (fixed, so results never depend on the
/// day the tests run).
pub fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 26)
}

/// A fresh, empty folder for one test's files.
pub fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sig-studio-ui-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
