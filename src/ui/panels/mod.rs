//! The panels of the main window: menu bar, acting banner, status bar, activity, problems,
//! tree, cost, the editor host and the loading overlay. Each reads the one
//! [`crate::ui::view::ViewCx`] and answers with [`crate::ui::intent::Intent`]s; those with
//! state own it. `app/layout.rs` places them in the window.

pub mod acting;
pub mod activity;
pub mod cost;
pub mod editor;
pub mod loading;
pub mod menu_bar;
pub mod problems;
pub mod status_bar;
pub mod tree;

pub use acting::ActingBanner;
pub use editor::EditorPanel;
pub use status_bar::{Notice, StatusBar};
pub use tree::TreePanel;
