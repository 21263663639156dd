//! SIG Studio: plan and run shared image galleries (Azure Compute Gallery).
//!
//! The app crate: the desktop app ([`ui`]), the command line ([`cli`]) and the one reader of
//! the wall clock ([`clock`]). Everything else is the core crate, `sig_studio_core`, which
//! knows no egui; its modules are re-exported here so the app says `crate::model`.

pub mod cli;
pub mod clock;
pub mod logger;
pub mod ui;

pub use sig_studio_core::{
    access, azure, cost, document, export, import, memo, model, plan, preflight, replication,
    sample, validate, words, workspace,
};

/// Today's date in the local time zone: read once, at start-up (the app) or per command (CLI).
pub fn today() -> model::Date {
    clock::today()
}
