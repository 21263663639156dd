//! The core's tests: the model and its rules, access, cost, replication, the file, import, export
//! and plans. They link the core crate only (the command line is run as a process).

#[path = "../common/mod.rs"]
mod common;

mod access;
mod access_scale;
mod az_oracle;
mod azure_apply;
mod azure_apply_more;
mod azure_poll;
mod azure_read;
mod azure_refresh;
mod azure_seen;
mod cost;
mod deep_values;
mod edit_errors;
mod exact_values;
mod export;
mod export_stream;
mod handoff;
mod hostile_input;
mod image_builder;
mod import;
mod import_identity;
mod import_stream;
mod layout;
mod logging;
mod memory;
mod model_edits;
mod plan;
mod plan_lines;
mod plan_rules;
mod preflight;
mod properties;
mod replication;
mod robust_files;
mod rules_azure;
mod save_safety;
mod workspace_file;
