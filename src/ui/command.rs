//! What panels and dialogs may ask of the app, and the one shape every dialog has.
//!
//! This module is a leaf of the UI: it imports nothing from the app, so panels and dialogs
//! depend on it and never on each other or on the shell. Drawing code only reads the workspace
//! (through [`DialogCx`] or a panel's context) and pushes [`Command`]s; the app applies them
//! after the frame is drawn, in order, through the document.

use std::any::Any;
use std::path::{Path, PathBuf};

use egui::Ui;

use crate::model::{Date, Edit, Problem, Region, ResourcePath, Workspace};
use crate::replication::Blocked;
use crate::replication::Speed;
use crate::ui::actions::Action;
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
    /// Act as this principal (`None`: the workspace owner). A preference kept in the file, not
    /// an undo step.
    SetActingAs(Option<String>),
    /// Write the plan *Review changes…* shows, rendered as an az script.
    ExportPlan {
        path: PathBuf,
        script: String,
    },
    /// Apply an import from Azure JSON the user read the summary of and accepted: one undo step.
    AcceptImport(Box<AcceptedImport>),
    /// Write an export of the workspace to a file.
    Export {
        format: crate::export::Format,
        scope: crate::export::Scope,
        path: PathBuf,
    },
}

/// An import from Azure JSON, as the dialog's summary showed it.
pub struct AcceptedImport {
    /// The workspace as it was, with the import merged in.
    pub imported: Workspace,
    /// The document's generation the import started from: when the workspace changed since
    /// (replication progress), the inputs are merged again into the workspace as it is now.
    pub generation: u64,
    pub inputs: Vec<crate::import::Input>,
    /// The inputs merged into the document's baseline, when the task did it.
    pub baseline: Option<Workspace>,
    /// The undo step's name ("Import from Azure JSON (3 files)").
    pub label: String,
    /// The notice once applied ("Imported 2 galleries, …").
    pub notice: String,
}

/// Side panels that a command can open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Panel {
    Activity,
}

/// What the principal the app acts as may do with the selected resource: each field is the
/// refusal's reason (`None`: allowed). Computed once per edit generation and selection from
/// [`crate::access::authorize`], so every control asks the one rule.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Permissions {
    /// The acting principal (`None`: the workspace owner, who may do everything).
    pub actor: Option<String>,
    /// "Acting as bob@contoso.com: Reader on 2026.9.0".
    pub banner: Option<String>,
    /// Editing (and renaming) the selected resource.
    pub edit: Option<String>,
    pub delete: Option<String>,
    /// Adding a child ("Add…": a definition to a gallery, a version beside or below a definition).
    pub add_child: Option<String>,
    /// Adding a gallery, and a managed image (only the workspace owner may).
    pub add_gallery: Option<String>,
    pub add_image: Option<String>,
    /// Adding a grant on the selected resource.
    pub grant: Option<String>,
    /// Importing from Azure JSON (adds galleries and principals: only the workspace owner may).
    pub import: Option<String>,
    /// Removing a grant on the selected resource.
    pub revoke: Option<String>,
    /// Deploying VMs from the selected version or definition (the Deploy… check).
    pub deploy: Option<String>,
    /// Resources the acting principal cannot see.
    pub unseen: std::collections::HashSet<ResourcePath>,
}

impl Permissions {
    /// Why the acting principal may not run `action` on the selection (`None`: it may). Menus,
    /// editor buttons and keyboard shortcuts all ask this one question.
    pub fn refusal(&self, action: Action) -> Option<&str> {
        match action {
            Action::Rename | Action::PlanReplicas | Action::RetentionPolicy => &self.edit,
            Action::Delete => &self.delete,
            Action::AddChild | Action::Duplicate => &self.add_child,
            Action::Deploy => &self.deploy,
            Action::Import => &self.import,
            _ => return None,
        }
        .as_deref()
    }
}

/// What a dialog may read while it draws: lent by the app for one frame.
pub struct DialogCx<'a> {
    /// The workspace, shared: a dialog that starts work on a thread (the import) takes a
    /// reference instead of a copy.
    pub ws: &'a std::sync::Arc<Workspace>,
    /// The workspace as last opened, imported or saved (what *Review changes…* plans from).
    pub baseline: &'a std::sync::Arc<Workspace>,
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
    /// What the simulation keeps from being created (validation errors), for the Deploy check.
    pub blocked: &'a Blocked,
}

/// What a panel may read while it draws: lent by the app for one frame.
pub struct PanelCx<'a> {
    pub ws: &'a Workspace,
    /// Bumps on every change of the workspace (edits and replication progress).
    pub generation: u64,
    /// Bumps on the user's edits, undo and redo only.
    pub edit_generation: u64,
    /// Bumps when a region may have started or stopped failing other than by an edit (a step
    /// that failed jobs, a replication command, another document).
    pub failures: u64,
    pub selection: Option<&'a ResourcePath>,
    /// Validation problems of the workspace (model and access rules).
    pub problems: &'a [Problem],
    pub today: Date,
    /// A dialog is open: panels leave the keyboard alone.
    pub dialog_open: bool,
    /// What the acting principal may do with the selection.
    pub permissions: &'a Permissions,
}

/// A window on top of the app. Each dialog is a struct in its own file under `ui/dialogs/`
/// (or beside the panel it belongs to); the app keeps at most one open.
pub trait Dialog: Any {
    /// Draws the dialog into the modal's `ui`, pushing what the user decided to `out`.
    /// Returns whether the dialog stays open.
    fn ui(&mut self, ui: &mut Ui, cx: &DialogCx<'_>, out: &mut Vec<Command>) -> bool;

    /// A stable size for a dialog whose content changes while it is open (a search, a hovered
    /// cell): the window keeps this size, anchored at its top, so a click never lands on
    /// another row. `None`: the dialog fits its content.
    fn size(&self) -> Option<egui::Vec2> {
        None
    }

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
