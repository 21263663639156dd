//! The core's tests: the model and its rules, access, cost, replication, the file, import, export
//! and plans. They link the core crate only (the command line is run as a process).

#[path = "../common/mod.rs"]
mod common;

mod access;
mod access_scale;
mod cost;
mod deep_values;
mod exact_values;
mod export;
mod hostile_input;
mod import;
mod model_edits;
mod plan;
mod properties;
mod replication;
mod robust_files;
mod rules_azure;
mod save_safety;
mod workspace_file;
