//! What panels, editors and dialogs read while they draw: one context, [`ViewCx`], lent by the
//! app for a frame. Views never change the app: they answer with [`crate::ui::intent::Intent`]s,
//! which apply after the frame is drawn.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::PathBuf;

use crate::access::{Operation, Permissions};
use crate::document::Document;
use crate::model::{Date, Problem, ResourcePath, Workspace};
use crate::ui::intent::Target;
use crate::ui::tasks::files::LoadTask;
use crate::ui::tasks::simulation::Simulation;

/// UI preferences kept in eframe's storage (never the workspace).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub dark: bool,
    pub show_tree: bool,
    pub show_problems: bool,
    /// The cost view (View, Cost); closed by default.
    pub show_cost: bool,
    /// The replication activity panel (View, Activity); closed by default.
    pub show_activity: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            dark: true,
            show_tree: true,
            show_problems: true,
            show_cost: false,
            show_activity: false,
        }
    }
}

/// What the acting principal may do and see, worked out by the app once per change.
pub struct Acting<'a> {
    /// What it may do with the selection.
    pub permissions: &'a Permissions,
    /// The galleries, definitions and versions it cannot see.
    pub unseen: &'a HashSet<ResourcePath>,
}

/// The app's file work, as views show it.
pub struct Files<'a> {
    pub recent: &'a [PathBuf],
    /// A save is running.
    pub saving: bool,
    /// The file being opened, if one is.
    pub loading: Option<&'a LoadTask>,
}

/// What a view may read for one frame.
pub struct ViewCx<'a> {
    /// The open document: its workspace, file, title, unsaved state and undo labels.
    pub doc: &'a Document,
    /// The document's workspace.
    pub ws: &'a Workspace,
    /// Bumps on every change of the workspace (edits and replication progress).
    pub generation: u64,
    /// Bumps on the user's edits, undo and redo only.
    pub edit_generation: u64,
    pub selection: Option<&'a ResourcePath>,
    /// Validation problems of the workspace (model and access rules).
    pub problems: &'a [Problem],
    /// The date end-of-life dates are judged against.
    pub today: Date,
    pub prefs: &'a Prefs,
    pub acting: Acting<'a>,
    /// The replication simulation: its engine (jobs, estimates, what is not created), speed, and
    /// the count of times a region may have started or stopped failing.
    pub simulation: &'a Simulation,
    /// The live connection to Azure: offline or the subscription, the read under way, when
    /// each version's state was read.
    pub azure: &'a crate::ui::tasks::azure::AzureConnection,
    pub files: Files<'a>,
    /// A dialog is open: panels leave the keyboard alone.
    pub dialog_open: bool,
}

impl ViewCx<'_> {
    /// What the acting principal may do with the selection.
    pub fn permissions(&self) -> &Permissions {
        self.acting.permissions
    }

    /// Why the acting principal may not take `op` on `target` (`None`: it may). The selection's
    /// answers are worked out once per change; another target (a context menu's row) is asked
    /// of the same rule when it is drawn.
    pub fn refusal(&self, op: Operation, target: &Target) -> Option<Cow<'_, str>> {
        self.refusal_at(op, target.path())
    }

    /// [`Self::refusal`] for the resource at `path` (`None`: no resource).
    pub fn refusal_at(&self, op: Operation, path: Option<&ResourcePath>) -> Option<Cow<'_, str>> {
        let permissions = self.acting.permissions;
        if permissions.target() == path {
            return permissions.refusal(op).map(Cow::Borrowed);
        }
        let actor = permissions.actor()?;
        crate::access::permissions::refusal(self.ws, actor, path, op).map(Cow::Owned)
    }

    /// The selection as an action's target.
    pub fn selected(&self) -> Target {
        Target::of(self.selection)
    }
}
