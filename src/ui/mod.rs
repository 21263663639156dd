//! The desktop app. Panels, editors and dialogs read one context ([`view::ViewCx`]) and answer
//! with [`intent::Intent`]s; the app applies them in one place after drawing, through the
//! document, so undo and the unsaved marker see every change.
//!
//! A folder per role:
//! - `app/`: the shell: what the window holds and one frame, start-up, the one place intents
//!   apply, the action runner, where panels go, the dialog stack, and the app's side of file
//!   work, imports, the connection to Azure and the simulation.
//! - `panels/`: menu bar, tree, problems, status bar, editor host, acting banner, cost,
//!   activity: each owns its state.
//! - `editors/`: one per resource, with their shared parts (access, regions, what-if).
//! - `dialogs/`: one file per dialog, and the table of dialog requests.
//! - `actions/`: the action table: every user action with its label, tooltip, shortcuts and
//!   availability.
//! - `tasks/`: background work on named threads: file loads and saves, imports, the live
//!   connection to Azure (`tasks/azure.rs`), the simulation's clock.
//! - `widgets/`: reusable pieces (the labelled form, menu items and buttons from the action
//!   table).
//! - `view.rs`: what views read; `intent.rs`: what they answer with; `theme.rs`: colours and
//!   fonts; `screenshot.rs`: `sig-studio screenshot`.

pub mod actions;
mod app;
pub mod dialogs;
pub mod editors;
pub mod intent;
pub mod panels;
#[cfg(feature = "screenshot")]
pub mod screenshot;
pub mod tasks;
pub mod theme;
pub mod view;
pub mod widgets;

pub use app::{SigStudioApp, Startup};
pub use dialogs::{Dialog, DialogRequest};
pub use intent::Intent;
pub use view::Prefs;
