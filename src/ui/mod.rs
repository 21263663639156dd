//! The desktop app. The UI reads the workspace and emits commands; the app applies them in one
//! place after drawing, through the document, so undo and the unsaved marker see every change.

pub mod access_tab;
pub mod actions;
mod activity;
mod app;
pub mod check_access;
pub mod cost_view;
pub mod deploy_dialog;
pub mod dialogs;
pub mod document;
pub mod editors;
pub mod files;
pub mod form;
pub mod matrix;
pub mod panels;
pub mod planner;
pub mod principals;
pub mod regions;
pub mod retention_dialog;
pub mod screenshot;
pub mod simulation;
pub mod tree;

pub use app::{Modal, Pending, Prefs, SigStudioApp, Startup};
