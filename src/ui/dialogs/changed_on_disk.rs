//! "Changed on disk": Save found the document's file changed by someone else since it was
//! opened or last saved (a `git pull`, another window). Nothing was saved; the user decides.

use std::path::PathBuf;

use egui::Ui;

use crate::ui::actions::UserAction;
use crate::ui::dialogs::{Dialog, Intent, OpenDialog, ViewCx};
use crate::ui::intent::Leave;
use crate::ui::intent::Target;

pub struct ChangedOnDiskDialog {
    pub path: PathBuf,
}

impl OpenDialog for ChangedOnDiskDialog {
    /// The document's file.
    type Request = PathBuf;

    fn open(path: PathBuf, _cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        Some(Self { path })
    }
}

impl Dialog for ChangedOnDiskDialog {
    fn ui(&mut self, ui: &mut Ui, _cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        ui.heading("Changed on disk");
        ui.label(format!(
            "{} was changed on disk since you opened or last saved it (by another program or window). Nothing was saved.",
            self.path.display()
        ));
        ui.label("Reload it (your unsaved changes are lost), save your work as another file, or overwrite the file with your work (the changes on disk are lost, kept only in its .bak).");
        ui.horizontal(|ui| {
            if ui.button("Reload from disk").clicked() {
                out.push(Intent::CancelSave);
                out.push(Intent::DiscardAndLeave(Leave::OpenFile(self.path.clone())));
                ui.close();
            }
            if ui.button("Save as another file…").clicked() {
                out.push(Intent::run(UserAction::SaveAs, Target::Workspace));
                ui.close();
            }
            if ui.button("Overwrite").clicked() {
                out.push(Intent::Overwrite(self.path.clone()));
                ui.close();
            }
            if ui.button("Cancel").clicked() {
                out.push(Intent::CancelSave);
                ui.close();
            }
        });
    }

    fn dismissed(&mut self, out: &mut Vec<Intent>) {
        out.push(Intent::CancelSave);
    }
}
