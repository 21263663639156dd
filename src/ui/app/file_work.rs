//! File work of the app: starting native dialogs, loads and saves, and taking their results.
//! Polled before each frame is drawn (`eframe::App::logic`); results change the document here,
//! never while a panel draws.

use std::path::PathBuf;
use std::time::Duration;

use crate::document::Document;
use crate::ui::app::SigStudioApp;
use crate::ui::dialogs::DialogRequest;
use crate::ui::dialogs::import::{ImportDialog, ImportRequest};
use crate::ui::intent::Intent;
use crate::ui::tasks::files::{
    DialogOutcome, DialogPurpose, FileDialog, LoadTask, SaveFailure, SaveTask,
};
use crate::ui::tasks::{NO_DIALOG_NOTE_IMPORT, NO_DIALOG_NOTE_OPEN, NO_DIALOG_NOTE_SAVE};
use crate::workspace::DiskStamp;

impl SigStudioApp {
    /// Blocks until the running load, save, import and recovery copy (if any) have finished; their results
    /// are taken on the next frame (tests wait on the task itself, never on a clock).
    pub fn wait_for_file_work(&self) {
        for import in self
            .dialogs()
            .filter_map(|d| d.downcast_ref::<ImportDialog>())
        {
            import.wait();
        }
        if let Some(load) = &self.tasks.load {
            load.wait();
        }
        if let Some(save) = &self.tasks.save {
            save.wait();
        }
        self.tasks.recovery.wait();
    }

    /// How long after a change recovery copies are written (tests; the app uses
    /// [`crate::ui::tasks::RECOVERY_INTERVAL`]).
    pub fn set_recovery_interval(&mut self, interval: Duration) {
        self.tasks.recovery.interval = interval;
    }

    /// The desktop's Open dialog, or the path field where there is none.
    pub(in crate::ui) fn ask_open_path(&mut self, ctx: &egui::Context) {
        if !self.tasks.native_dialogs {
            self.open(DialogRequest::OpenPath(None), ctx);
        } else if !crate::ui::tasks::files::dialog_host_present() {
            let note = Some(NO_DIALOG_NOTE_OPEN.to_owned());
            self.open(DialogRequest::OpenPath(note), ctx);
        } else if self.tasks.file_dialog.is_none() {
            let current = self.doc.path.as_deref();
            self.tasks.file_dialog = Some(FileDialog::spawn(DialogPurpose::Open, current, ctx));
        }
    }

    /// The desktop's Save dialog, or the path field where there is none.
    pub(in crate::ui) fn save_as(&mut self, ctx: &egui::Context) {
        if !self.tasks.native_dialogs {
            self.open(DialogRequest::SavePath(None), ctx);
        } else if !crate::ui::tasks::files::dialog_host_present() {
            let note = Some(NO_DIALOG_NOTE_SAVE.to_owned());
            self.open(DialogRequest::SavePath(note), ctx);
        } else if self.tasks.file_dialog.is_none() {
            let current = self.doc.path.as_deref();
            self.tasks.file_dialog = Some(FileDialog::spawn(DialogPurpose::SaveAs, current, ctx));
        }
    }

    /// Saves to `path`; when it is the document's own file, a change on disk since it was
    /// opened or last saved stops the save and asks what to do.
    pub(in crate::ui) fn start_save(&mut self, path: PathBuf, ctx: &egui::Context) {
        let expected = if self.doc.path.as_ref() == Some(&path) {
            self.doc.disk.clone()
        } else {
            None
        };
        self.spawn_save(path, expected, ctx);
    }

    /// Saves to `path` whatever it holds now (the user chose to overwrite).
    pub(in crate::ui) fn save_without_check(&mut self, path: PathBuf, ctx: &egui::Context) {
        self.spawn_save(path, None, ctx);
    }

    fn spawn_save(&mut self, path: PathBuf, expected: Option<DiskStamp>, ctx: &egui::Context) {
        if self.tasks.save.is_some() {
            return;
        }
        self.tasks.save = Some(SaveTask::spawn(
            path,
            std::sync::Arc::clone(self.doc.shared()),
            self.doc.state(),
            expected,
            ctx,
        ));
    }

    pub(in crate::ui) fn start_load(&mut self, path: PathBuf, ctx: &egui::Context) {
        self.tasks.load = Some(LoadTask::spawn(path, ctx));
    }

    /// Takes the results of background work: a picked file, a finished load or save.
    pub(in crate::ui) fn poll_background(&mut self, ctx: &egui::Context) {
        self.poll_file_dialog(ctx);
        self.poll_load();
        self.poll_save(ctx);
        // Recovery copies while there are unsaved edits (not for replication progress alone,
        // which a quit does not ask about either).
        if self.doc.has_user_changes()
            && let Some(dirs) = &self.tasks.dirs
        {
            let next = self.tasks.recovery.tick(
                dirs,
                self.doc.shared(),
                self.doc.path.as_deref(),
                self.doc.generation(),
            );
            if let Some(wait) = next {
                ctx.request_repaint_after(wait);
            }
        }
        if self.tasks.busy() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
    }

    fn poll_file_dialog(&mut self, ctx: &egui::Context) {
        let Some(dialog) = &self.tasks.file_dialog else {
            return;
        };
        let Some(outcome) = dialog.poll() else {
            return;
        };
        let purpose = dialog.purpose;
        self.tasks.file_dialog = None;
        match (outcome, purpose) {
            (DialogOutcome::Picked(paths), DialogPurpose::Import) => self.start_import(paths, ctx),
            (DialogOutcome::Picked(paths), DialogPurpose::Open) => {
                if let Some(path) = paths.into_iter().next() {
                    self.start_load(path, ctx);
                }
            }
            (DialogOutcome::Picked(paths), DialogPurpose::SaveAs) => {
                if let Some(path) = paths.into_iter().next() {
                    self.start_save(path, ctx);
                }
            }
            (DialogOutcome::Cancelled, _) => self.tasks.after_save = None,
            (DialogOutcome::Unavailable, purpose) => {
                let request = match purpose {
                    DialogPurpose::Import => {
                        let note = Some(NO_DIALOG_NOTE_IMPORT.to_owned());
                        DialogRequest::Import(ImportRequest::Choose(note))
                    }
                    DialogPurpose::Open => {
                        DialogRequest::OpenPath(Some(NO_DIALOG_NOTE_OPEN.to_owned()))
                    }
                    DialogPurpose::SaveAs => {
                        DialogRequest::SavePath(Some(NO_DIALOG_NOTE_SAVE.to_owned()))
                    }
                };
                self.open(request, ctx);
            }
        }
    }

    fn poll_load(&mut self) {
        let Some(load) = &mut self.tasks.load else {
            return;
        };
        let Some(result) = load.poll() else {
            return;
        };
        let path = load.path.clone();
        self.tasks.load = None;
        match result {
            Ok((ws, disk)) => {
                self.tasks.touch_recent(&path);
                self.replace_document(Document::opened(ws, path, disk));
            }
            Err(err) => self.open_failed(path, &err, true),
        }
    }

    fn poll_save(&mut self, ctx: &egui::Context) {
        let Some(save) = &self.tasks.save else {
            return;
        };
        let Some(result) = save.poll() else {
            return;
        };
        let (path, state) = (save.path.clone(), save.state);
        self.tasks.save = None;
        match result {
            Ok(disk) => {
                self.doc.mark_saved(state, path.clone());
                self.doc.disk = Some(disk);
                self.tasks.touch_recent(&path);
                if !self.doc.is_dirty() {
                    self.tasks.reset_recovery();
                }
                self.state
                    .status
                    .notify(format!("Saved {}", path.display()), false, 3);
                if let Some(pending) = self.tasks.after_save.take() {
                    self.continue_with(pending, ctx);
                }
            }
            Err(SaveFailure::ChangedOnDisk) => {
                // `after_save` stays: saving as another file or overwriting continues it.
                self.intents
                    .push(Intent::Open(DialogRequest::ChangedOnDisk(path)));
            }
            Err(SaveFailure::Error(message)) => {
                self.tasks.after_save = None;
                self.show_message(
                    "Could not save",
                    format!(
                        "{message}\n\nThe file on disk is unchanged and your changes are still here."
                    ),
                );
            }
        }
    }
}
