//! What panels and dialogs may ask of the app, and the one shape every dialog has.
//!
//! This module is a leaf of the UI: it imports nothing from the app, so panels and dialogs
//! depend on it and never on each other or on the shell. Drawing code only reads the workspace
//! (through [`DialogCx`] or a panel's context) and pushes [`Command`]s; the app applies them
//! after the frame is drawn, in order, through the document.

use std::any::Any;
use std::path::{Path, PathBuf};

use egui::Ui;

use super::actions::Action;
use crate::model::{Date, Edit, Problem, Region, ResourcePath, Workspace};
use crate::replication::runner::Speed;
use crate::workspace::recovery::RecoveryCopy;

/// What to do once unsaved changes are saved or discarded.
#[derive(Clone, Debug, PartialEq)]
pub enum Pending {
    New,
    Open,
    OpenFile(PathBuf),
    Quit,
}

/// What the user asks of the simulation: the service's state, not undoable edits.
#[derive(Clone, Debug, PartialEq)]
pub enum ReplicationCommand {
    /// Retry one failed region, or every failed region of the version.
    Retry(ResourcePath, Option<Region>),
    Cancel(ResourcePath, Region),
    /// Mark a region unavailable (true) or available again.
    Outage(Region, bool),
    SetSpeed(Speed),
}

/// A request from the UI, applied by the app after drawing.
// A handful per frame, moved once: boxing the edit would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Command {
    Run(Action),
    /// One undo step; `select` is selected and `notice` shown (with Undo) once it applied.
    Apply {
        edit: Edit,
        select: Option<ResourcePath>,
        notice: Option<String>,
    },
    Select(ResourcePath, Option<&'static str>),
    OpenDialog(Box<dyn Dialog>),
    /// A message dialog.
    Message {
        title: String,
        text: String,
    },
    /// Ask about unsaved changes first, then continue.
    Guard(Pending),
    /// Continue without asking (the user chose to discard the changes).
    Discard(Pending),
    /// Save, and continue once the save succeeded.
    SaveThen(Pending),
    SaveTo(PathBuf),
    /// Save to the path even though the file changed on disk (the user chose to overwrite).
    Overwrite(PathBuf),
    /// The Save-as path field was closed without saving: forget what was to follow the save.
    CancelSave,
    RestoreRecovery(RecoveryCopy),
    DiscardRecovery,
    /// Open the "Add…" dialog for a child of this resource (`None`: a gallery).
    AddChild(Option<ResourcePath>),
    ToggleExpanded(String),
    Replication(ReplicationCommand),
    ShowPanel(Panel),
    /// Write an export of the workspace to a file.
    Export {
        format: crate::export::Format,
        scope: crate::export::Scope,
        path: PathBuf,
    },
}

/// Side panels that a command can open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    Activity,
}

/// What a dialog may read while it draws: lent by the app for one frame.
pub struct DialogCx<'a> {
    pub ws: &'a Workspace,
    /// Bumps on every change of the workspace (edits and replication progress).
    pub generation: u64,
    /// Bumps on the user's edits, undo and redo only.
    pub edit_generation: u64,
    pub today: Date,
    /// The document's title ("sample.ron", "Untitled").
    pub title: &'a str,
    /// Whether the unsaved changes include the user's own (not only replication progress).
    pub user_changes: bool,
    pub recent: &'a [PathBuf],
    /// The file the workspace came from, if any.
    pub path: Option<&'a Path>,
}

/// What a panel may read while it draws: lent by the app for one frame.
pub struct PanelCx<'a> {
    pub ws: &'a Workspace,
    /// Bumps on every change of the workspace (edits and replication progress).
    pub generation: u64,
    /// Bumps on the user's edits, undo and redo only.
    pub edit_generation: u64,
    pub selection: Option<&'a ResourcePath>,
    /// Validation problems of the workspace (model and access rules).
    pub problems: &'a [Problem],
    pub today: Date,
    /// A dialog is open: panels leave the keyboard alone.
    pub dialog_open: bool,
}

/// A window on top of the app. Each dialog is a struct in its own file under `ui/dialogs/`
/// (or beside the panel it belongs to); the app keeps at most one open.
pub trait Dialog: Any {
    /// Draws the dialog into the modal's `ui`, pushing what the user decided to `out`.
    /// Returns whether the dialog stays open.
    fn ui(&mut self, ui: &mut Ui, cx: &DialogCx<'_>, out: &mut Vec<Command>) -> bool;

    /// Escape or a click outside: returns whether the dialog may close that way, pushing what
    /// closing means to `out`. By default any dialog may be dismissed.
    fn dismiss(&mut self, out: &mut Vec<Command>) -> bool {
        let _ = out;
        true
    }
}

impl dyn Dialog {
    /// The dialog as its concrete type (tests, benchmarks and screenshots look inside).
    pub fn downcast_ref<T: Dialog>(&self) -> Option<&T> {
        (self as &dyn Any).downcast_ref()
    }

    /// Whether the dialog is of type `T`.
    pub fn is<T: Dialog>(&self) -> bool {
        (self as &dyn Any).is::<T>()
    }
}
