//! "Changed on disk": Save found the document's file changed by someone else since it was
//! opened or last saved (a `git pull`, another window). Nothing was saved; the user decides.

use std::path::PathBuf;

use egui::Ui;

use crate::ui::actions::Action;
use crate::ui::command::Pending;
use crate::ui::dialogs::{Command, Dialog, DialogCx};

pub struct ChangedOnDiskDialog {
    pub path: PathBuf,
}

impl ChangedOnDiskDialog {
    pub fn new(path: PathBuf) -> Self {
        Self { path }
    }
}

impl Dialog for ChangedOnDiskDialog {
    fn ui(&mut self, ui: &mut Ui, _cx: &DialogCx<'_>, out: &mut Vec<Command>) -> bool {
        ui.heading("Changed on disk");
        ui.label(format!(
            "{} was changed on disk since you opened or last saved it (by another program or window). Nothing was saved.",
            self.path.display()
        ));
        ui.label("Reload it (your unsaved changes are lost), save your work as another file, or overwrite the file with your work (the changes on disk are lost, kept only in its .bak).");
        let mut keep = true;
        ui.horizontal(|ui| {
            if ui.button("Reload from disk").clicked() {
                out.push(Command::CancelSave);
                out.push(Command::Discard(Pending::OpenFile(self.path.clone())));
                keep = false;
            }
            if ui.button("Save as another file…").clicked() {
                out.push(Command::Run(Action::SaveAs));
                keep = false;
            }
            if ui.button("Overwrite").clicked() {
                out.push(Command::Overwrite(self.path.clone()));
                keep = false;
            }
            if ui.button("Cancel").clicked() {
                out.push(Command::CancelSave);
                keep = false;
            }
        });
        keep
    }

    fn dismiss(&mut self, out: &mut Vec<Command>) -> bool {
        out.push(Command::CancelSave);
        true
    }
}
