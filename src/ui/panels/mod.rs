//! The panels of the main window (tree, problems, status bar, editor, acting banner). Each owns its state and draws with a
//! [`crate::ui::command::PanelCx`] that lends what it may read, answering with
//! [`crate::ui::command::Command`]s; `layout.rs` places them in the window.

pub mod acting;
pub mod activity;
pub mod cost;
pub mod editor;
pub mod problems;
pub mod status_bar;
pub mod tree;

pub use acting::ActingBanner;
pub use editor::EditorPanel;
pub use status_bar::{Notice, StatusBar, StatusFacts};
pub use tree::TreePanel;
