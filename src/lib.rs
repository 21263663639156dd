//! SIG Studio: plan and run shared image galleries (Azure Compute Gallery).
//!
//! Layers, each depending only on those above it:
//! - [`model`]: the domain and the service's rules, pure data.
//! - [`access`]: principals, grants and effective access with reasons (pure, beside the model;
//!   `model::validate` includes its problems).
//! - [`workspace`]: the RON workspace file.
//! - [`cost`]: cost estimates, replica planner, retention policies.
//! - [`import`]: real Azure state (REST, az CLI, ARM templates, role assignments) into a workspace.
//! - [`replication`]: the deterministic replication simulation and deployment checks.
//! - [`cli`]: the headless command line.
//! - [`ui`]: the desktop app (egui).

pub mod access;
pub mod cli;
pub mod cost;
pub mod import;
pub mod model;
pub mod replication;
pub mod sample;
pub mod ui;
pub mod workspace;
