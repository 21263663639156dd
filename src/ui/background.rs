//! The state of the app's background file work: native file dialogs, loads and saves on their
//! own threads, recovery copies, recent files. `file_work.rs` starts and polls them.

use std::time::Duration;

use super::command::Pending;
use super::document::Document;
use super::files::{AppDirs, FileDialog, LoadTask, Recent, RecoveryWriter, SaveTask};

/// Interval between recovery copies while there are unsaved changes.
pub const RECOVERY_INTERVAL: Duration = Duration::from_secs(30);

pub(super) const NO_DIALOG_NOTE_OPEN: &str =
    "No file dialog is available on this desktop: type the file's path";
pub(super) const NO_DIALOG_NOTE_SAVE: &str =
    "No file dialog is available on this desktop: type where to save";
pub(super) const NO_DIALOG_NOTE_IMPORT: &str =
    "No file dialog is available on this desktop: type the paths of the JSON files";

/// File work in flight and the folders it uses.
pub(super) struct Tasks {
    /// Where recent files and recovery copies live (`None`: nowhere).
    pub(super) dirs: Option<AppDirs>,
    pub(super) recent: Recent,
    pub(super) file_dialog: Option<FileDialog>,
    pub(super) load: Option<LoadTask>,
    pub(super) save: Option<SaveTask>,
    /// What to do once the running (or next) save succeeds.
    pub(super) after_save: Option<Pending>,
    pub(super) recovery: RecoveryWriter,
    /// When false, Open and Save as show the path field instead of the desktop's dialog (tests).
    pub(super) native_dialogs: bool,
}

impl Tasks {
    pub(super) fn new(dirs: Option<AppDirs>) -> Self {
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

    pub(super) fn store_recent(&self) {
        if let Some(dirs) = &self.dirs {
            self.recent.store(dirs);
        }
    }

    /// Remembers a file opened or saved.
    pub(super) fn touch_recent(&mut self, path: &std::path::Path) {
        self.recent.touch(path);
        self.store_recent();
    }

    /// Removes the recovery copy (after a clean save, or changes discarded).
    pub(super) fn reset_recovery(&mut self) {
        if let Some(dirs) = &self.dirs {
            self.recovery.reset(dirs);
        }
    }

    pub(super) fn busy(&self) -> bool {
        self.file_dialog.is_some() || self.load.is_some() || self.save.is_some()
    }

    pub(super) fn on_exit(&mut self, doc: &Document) {
        if let Some(dirs) = &self.dirs {
            if !doc.is_dirty() {
                self.recovery.reset(dirs);
            }
            self.recent.last.clone_from(&doc.path);
            self.recent.store(dirs);
        }
    }
}
