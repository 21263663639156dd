//! SIG Studio: plan and run shared image galleries (Azure Compute Gallery).
//!
//! Layers, each depending only on those above it:
//! - [`model`]: the domain and the service's rules, pure data.
//! - [`access`]: principals, grants and effective access with reasons (pure, beside the model).
//! - [`validate`]: the whole workspace checked, the model's rules and the access rules together.
//! - [`workspace`]: the RON workspace file.
//! - [`cost`]: cost estimates, replica planner, retention policies.
//! - [`import`]: real Azure state (REST, az CLI, ARM templates, role assignments) into a workspace.
//! - [`replication`]: the deterministic replication simulation and deployment checks.
//! - [`cli`]: the headless command line.
//! - [`ui`]: the desktop app (egui).
//! - [`words`]: counts with their nouns, for the app and the CLI alike.

pub mod access;
pub mod cli;
pub mod cost;
pub mod export;
pub mod import;
pub mod model;
pub mod plan;
pub mod replication;
pub mod sample;
pub mod ui;
pub mod words;
pub mod workspace;

use model::{Date, Problem, Workspace};

/// Every problem of the workspace: the model's rules ([`model::validate`]) and the access
/// rules ([`access::validate`]). Lives above both layers, so neither depends on the other.
pub fn validate(ws: &Workspace, today: Date) -> Vec<Problem> {
    let mut problems = model::validate(ws, today);
    problems.extend(access::validate(ws));
    problems
}

/// Today's date in the local time zone: read once, at start-up (the app) or per command (CLI).
pub fn today() -> Date {
    jiff::Zoned::now().date()
}
