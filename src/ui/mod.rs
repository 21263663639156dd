//! The desktop app. Panels, editors and dialogs read the workspace and push commands; the app
//! applies them in one place after drawing, through the document, so undo and the unsaved
//! marker see every change.
//!
//! A folder per role:
//! - `app/`: the shell: what the window holds and one frame (`mod.rs`), start-up, the one place
//!   commands apply, menus and shortcuts, where panels go, and the app's side of file work,
//!   imports and the simulation.
//! - `panels/`: tree, problems, status bar, editor host, acting banner, cost, activity: each owns
//!   its state.
//! - `editors/`: one per resource, with their shared parts (access, regions, what-if).
//! - `dialogs/`: one file per dialog.
//! - `tasks/`: background work on named threads: file loads and saves, imports, the
//!   simulation's clock.
//! - `widgets/`: reusable pieces (the labelled form).
//! - `command.rs`: the leaf every panel and dialog talks through; `actions.rs`: every user action
//!   with its label, tooltip and shortcuts; `theme.rs`: colours and fonts; `screenshot.rs`:
//!   `sig-studio screenshot`.

pub mod actions;
mod app;
pub mod command;
pub mod dialogs;
pub mod editors;
pub mod panels;
#[cfg(feature = "screenshot")]
pub mod screenshot;
pub mod tasks;
pub mod theme;
pub mod widgets;

pub use app::{Prefs, SigStudioApp, Startup};
pub use command::{Command, Dialog, Pending};
