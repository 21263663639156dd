//! The app's tests: the real window headless (egui_kittest), driven through the labels a screen
//! reader uses, and image snapshots.

#[path = "../common/mod.rs"]
mod shared;

mod common;

mod snapshots;
mod ui;
mod ui_access;
mod ui_actions;
mod ui_apply;
mod ui_azure;
mod ui_azure_more;
mod ui_cost;
mod ui_dialogs;
mod ui_export;
mod ui_fidelity;
mod ui_fields;
mod ui_files;
mod ui_handoff;
mod ui_idle;
mod ui_import;
mod ui_import_dialog;
mod ui_keys;
mod ui_layout;
mod ui_matrix;
mod ui_replication;
mod ui_review;
mod ui_settings;
mod ui_shown;
mod ui_small;
mod ui_stale;
mod ui_tester;
