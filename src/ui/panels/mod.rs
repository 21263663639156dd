//! The panels of the main window (tree, problems, status bar, editor, acting banner). Each owns its state and draws with a
//! [`super::command::PanelCx`] that lends what it may read, answering with
//! [`super::command::Command`]s; `layout.rs` places them in the window.

pub mod acting;
pub mod editor;
pub mod problems;
pub mod status_bar;
pub mod tree;
mod tree_row;

pub use acting::ActingBanner;
pub use editor::EditorPanel;
pub use status_bar::{Notice, StatusBar, StatusFacts};
pub use tree::TreePanel;
