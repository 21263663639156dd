//! The state of the app's background work: native file dialogs, loads and saves on their own
//! threads, recovery copies, recent files (`file_work.rs` starts and polls them); imports; the
//! connection to Azure (`azure.rs`, driven by `app/azure_work.rs`) and applying the plan to it
//! (`apply.rs`, `app/apply_work.rs`); the simulation's clock.

pub mod apply;
pub mod azure;
pub mod files;
pub mod import;
pub(crate) mod replication_clock;
pub mod simulation;

use std::time::Duration;

use crate::document::Document;
use crate::ui::intent::Leave;
use crate::ui::tasks::files::{AppDirs, FileDialog, LoadTask, Recent, RecoveryWriter, SaveTask};

/// Interval between recovery copies while there are unsaved changes.
pub const RECOVERY_INTERVAL: Duration = Duration::from_secs(30);

pub(in crate::ui) const NO_DIALOG_NOTE_OPEN: &str =
    "No file dialog is available on this desktop: type the file's path";
pub(in crate::ui) const NO_DIALOG_NOTE_SAVE: &str =
    "No file dialog is available on this desktop: type where to save";
pub(in crate::ui) const NO_DIALOG_NOTE_IMPORT: &str =
    "No file dialog is available on this desktop: type the paths of the JSON files";

/// File work in flight and the folders it uses.
pub(in crate::ui) struct Tasks {
    /// Where recent files and recovery copies live (`None`: nowhere).
    pub(in crate::ui) dirs: Option<AppDirs>,
    pub(in crate::ui) recent: Recent,
    pub(in crate::ui) file_dialog: Option<FileDialog>,
    pub(in crate::ui) load: Option<LoadTask>,
    pub(in crate::ui) save: Option<SaveTask>,
    /// What to do once the running (or next) save succeeds.
    pub(in crate::ui) after_save: Option<Leave>,
    pub(in crate::ui) recovery: RecoveryWriter,
    /// When false, Open and Save as show the path field instead of the desktop's dialog (tests).
    pub(in crate::ui) native_dialogs: bool,
}

impl Tasks {
    pub(in crate::ui) fn new(dirs: Option<AppDirs>) -> Self {
        Self {
            recent: dirs.as_ref().map(Recent::load).unwrap_or_default(),
            dirs,
            file_dialog: None,
            load: None,
            save: None,
            after_save: None,
            recovery: RecoveryWriter::new(RECOVERY_INTERVAL),
            native_dialogs: true,
        }
    }

    pub(in crate::ui) fn store_recent(&self) {
        if let Some(dirs) = &self.dirs {
            self.recent.store(dirs);
        }
    }

    /// Remembers a file opened or saved.
    pub(in crate::ui) fn touch_recent(&mut self, path: &std::path::Path) {
        self.recent.touch(path);
        self.store_recent();
    }

    /// Removes the recovery copy (after a clean save, or changes discarded).
    pub(in crate::ui) fn reset_recovery(&mut self) {
        if let Some(dirs) = &self.dirs {
            self.recovery.reset(dirs);
        }
    }

    pub(in crate::ui) fn busy(&self) -> bool {
        self.file_dialog.is_some() || self.load.is_some() || self.save.is_some()
    }

    pub(in crate::ui) fn on_exit(&mut self, doc: &Document) {
        if let Some(dirs) = &self.dirs {
            if !doc.has_user_changes() {
                self.recovery.reset(dirs);
            }
            self.recent.last.clone_from(&doc.path);
            self.recent.store(dirs);
        }
    }
}
