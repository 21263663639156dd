//! The core of SIG Studio: shared image galleries (Azure Compute Gallery) without a window.
//!
//! Layers, each depending only on those above it:
//! - [`model`]: the domain and the service's rules, pure data.
//! - [`access`]: principals, grants and effective access with reasons (pure, beside the model).
//! - [`validate`]: the whole workspace checked, the model's rules and the access rules together.
//! - [`document`]: the open workspace with its undo history and change tracking.
//! - [`workspace`]: the RON workspace file.
//! - [`cost`]: cost estimates, replica planner, retention policies.
//! - [`azure`]: reading Azure live (ARM, read only) into the workspace, and refreshing it.
//! - [`import`]: real Azure state (REST, az CLI, ARM templates, role assignments) into a workspace.
//! - [`export`]: what Azure deploys (ARM templates, az scripts).
//! - [`plan`]: the steps from one workspace to another, in the order Azure accepts.
//! - [`preflight`]: why publishing a planned version from an image build would fail.
//! - [`replication`]: the deterministic replication simulation and deployment checks.
//! - [`memo`]: a value kept until the inputs it was computed from change (front ends' caches).
//! - [`words`]: counts with their nouns, for the app and the CLI alike.
//!
//! The core reads no wall clock: whoever calls it says what "now" and "today" are
//! (`clippy.toml` refuses `Instant::now`, `SystemTime::now` and `jiff`'s `now` here).

pub mod access;
pub mod azure;
pub mod cost;
pub mod document;
pub mod export;
pub mod import;
pub mod memo;
pub mod model;
pub mod plan;
pub mod preflight;
pub mod replication;
pub mod sample;
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
