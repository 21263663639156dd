//! The desktop app. Panels and dialogs read the workspace and push commands; the app applies
//! them in one place after drawing, through the document, so undo and the unsaved marker see
//! every change.
//!
//! - `app.rs`: the shell (what the window holds, one frame); `startup.rs`, `command_handling.rs`,
//!   `file_work.rs`, `import_work.rs`, `menus.rs` (menu bar and shortcuts), `layout.rs` (where
//!   panels go) and `simulation_control.rs` extend it; `background.rs` holds the file tasks'
//!   state; `import_task.rs` runs an import from Azure JSON on its own thread.
//! - `command.rs`: the leaf every panel and dialog talks through ([`command::Command`],
//!   [`command::Dialog`], [`command::DialogCx`], [`command::PanelCx`]).
//! - `panels/`: tree, problems, status bar, editor, the "Acting as" banner (and what the acting
//!   principal may do); `cost_view.rs`, `activity.rs`.
//! - `dialogs/`: one file per dialog.

pub mod access_tab;
pub mod actions;
mod activity;
mod app;
mod background;
pub mod command;
mod command_handling;
pub mod cost_chart;
pub mod cost_prices;
pub mod cost_view;
pub mod dialogs;
pub mod document;
pub mod editors;
mod file_work;
pub mod files;
pub mod form;
pub mod import_task;
mod import_work;
mod layout;
mod menus;
pub mod panels;
pub mod regions;
pub mod screenshot;
pub mod simulation;
mod simulation_control;
mod startup;
pub mod tree;
pub mod what_if;

pub use app::{Prefs, SigStudioApp, Startup};
pub use command::{Command, Dialog, Pending};
