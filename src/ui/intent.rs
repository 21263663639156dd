//! What a view asks of the app: the one vocabulary panels, editors and dialogs answer with.
//! They push [`Intent`]s while they draw; the app applies them after the frame, in order,
//! through the document (edits) or its own state (dialogs, selection, files, the simulation).

use std::path::PathBuf;

use crate::model::{Edit, Region, ResourcePath, Workspace};
use crate::replication::Speed;
use crate::ui::actions::UserAction;
use crate::workspace::recovery::RecoveryCopy;

pub use crate::ui::dialogs::DialogRequest;

/// What an action works on, fixed when it is asked for: the selection at that moment, or the
/// row a context menu belongs to. The action runs on it whatever is selected by then.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Target {
    /// Nothing in particular: the workspace, the window.
    #[default]
    Workspace,
    Resource(ResourcePath),
}

impl Target {
    /// The resource at `path`, or the workspace when there is none.
    pub fn of(path: Option<&ResourcePath>) -> Self {
        path.map_or(Self::Workspace, |p| Self::Resource(p.clone()))
    }

    pub fn path(&self) -> Option<&ResourcePath> {
        match self {
            Self::Workspace => None,
            Self::Resource(path) => Some(path),
        }
    }
}

/// Leaving the current document: what follows once its unsaved changes are saved or discarded.
#[derive(Clone, Debug, PartialEq)]
pub enum Leave {
    New,
    /// Ask which file to open (the desktop's dialog, or the path field).
    Open,
    OpenFile(PathBuf),
    Quit,
}

/// What the user asks of the simulated service: its state, not undoable edits.
#[derive(Clone, Debug, PartialEq)]
pub enum ReplicationRequest {
    /// Retry one failed region, or every failed region of the version.
    Retry(ResourcePath, Option<Region>),
    Cancel(ResourcePath, Region),
    /// Mark a region unavailable (true) or available again.
    Outage(Region, bool),
    SetSpeed(Speed),
}

/// A request from a view, applied by the app after the frame.
// A handful per frame, moved once: boxing the edit would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Intent {
    /// Run an action of the action table on its target, if it is available then (a refusal
    /// shows its reason, the one its disabled menu item gives).
    Run {
        action: UserAction,
        target: Target,
    },
    /// One undo step; `select` is selected and `notice` shown (with Undo) once it applied.
    Edit {
        edit: Edit,
        select: Option<ResourcePath>,
        notice: Option<String>,
    },
    /// Select a resource, focusing one of its editor's fields.
    Select {
        path: ResourcePath,
        focus: Option<&'static str>,
    },
    /// Select nothing (the selected resource is gone: deleted, or undone away).
    Deselect,
    /// Open a dialog over whatever is open (the app builds it from the request).
    Open(DialogRequest),
    /// Leave the document, asking about unsaved changes first.
    Leave(Leave),
    /// Leave without asking (the user chose to discard the changes).
    DiscardAndLeave(Leave),
    /// Save, and leave once the save succeeded.
    SaveAndLeave(Leave),
    SaveTo(PathBuf),
    /// Save to the path even though the file changed on disk (the user chose to overwrite).
    Overwrite(PathBuf),
    /// A question about where to save was closed without saving: forget what was to follow.
    CancelSave,
    RestoreRecovery(RecoveryCopy),
    DiscardRecovery,
    /// Expand or collapse a tree row (by its key).
    ToggleExpanded(String),
    Replication(ReplicationRequest),
    /// Open the replication activity panel.
    ShowActivity,
    /// Act as this principal (`None`: the workspace owner). A preference kept in the file, not
    /// an undo step.
    SetActingAs(Option<String>),
    /// Write the plan *Review changes…* shows, rendered as an az script.
    ExportPlan {
        path: PathBuf,
        script: String,
    },
    /// Write an export of the workspace to a file.
    Export {
        format: crate::export::Format,
        scope: crate::export::Scope,
        path: PathBuf,
    },
    /// Write a hand-off to a build tool (`what`: "Packer HCL", "Image Builder JSON").
    SaveHandoff {
        path: PathBuf,
        text: String,
        what: String,
    },
    /// Apply an import from Azure JSON the user read the summary of and accepted: one undo step.
    AcceptImport(Box<AcceptedImport>),
    /// Something for the connection to Azure (`tasks/azure.rs`).
    Azure(AzureRequest),
}

/// What the user asks of the live connection to Azure.
pub enum AzureRequest {
    /// Connect to the subscription the connect dialog signed in to and picked, and read it:
    /// into an empty workspace as it is, else as a refresh.
    Connect(Box<crate::ui::tasks::azure::Link>),
    /// Stop the read under way: nothing changes.
    CancelRead,
    /// Apply a refresh the user read, each conflict resolved as `resolutions` says (by path):
    /// one undo step, and Azure as last seen as just read. `generation` is the document's when
    /// the refresh was compared: a later plan is compared again first.
    ApplyRefresh {
        refresh: Box<crate::azure::Refresh>,
        generation: u64,
        resolutions: Vec<(String, crate::azure::Resolution)>,
    },
    /// Carry out the plan the apply window showed and the user confirmed: its steps as
    /// `prepared`, in the connected subscription.
    Apply {
        plan: Box<crate::plan::Plan>,
        prepared: Vec<crate::azure::apply::Prepared>,
    },
    /// Stop the apply under way before its next step (the steps in flight finish).
    CancelApply,
}

impl Intent {
    /// Run `action` on `target`.
    pub fn run(action: UserAction, target: Target) -> Self {
        Self::Run { action, target }
    }

    /// Select `path`.
    pub fn select(path: ResourcePath) -> Self {
        Self::Select { path, focus: None }
    }
}

/// An import from Azure JSON, as the dialog's summary showed it.
pub struct AcceptedImport {
    /// The workspace as it was, with the import merged in.
    pub imported: Workspace,
    /// The document's generation the import started from: when the workspace changed since
    /// (replication progress), the inputs are merged again into the workspace as it is now.
    pub generation: u64,
    pub inputs: Vec<crate::import::Input>,
    /// The undo step's name ("Import from Azure JSON (3 files)").
    pub label: String,
    /// The notice once applied ("Imported 2 galleries, …").
    pub notice: String,
}
