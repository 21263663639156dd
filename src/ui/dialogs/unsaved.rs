//! "Save changes?": asked before new, open and quit when there are unsaved changes.

use egui::Ui;

use crate::ui::command::Pending;
use crate::ui::dialogs::{Command, Dialog, DialogCx};

pub struct UnsavedDialog {
    pub pending: Pending,
}

impl UnsavedDialog {
    pub fn new(pending: Pending) -> Self {
        Self { pending }
    }
}

impl Dialog for UnsavedDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &DialogCx<'_>, out: &mut Vec<Command>) -> bool {
        ui.heading("Save changes?");
        if cx.user_changes {
            ui.label(format!("{} has unsaved changes.", cx.title));
        } else {
            ui.label(format!(
                "Nothing was edited in {}, but its replication progress since the last save is not saved.",
                cx.title
            ));
        }
        let mut keep = true;
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() {
                out.push(Command::SaveThen(self.pending.clone()));
                keep = false;
            }
            if ui.button("Discard").clicked() {
                out.push(Command::Discard(self.pending.clone()));
                keep = false;
            }
            if ui.button("Cancel").clicked() {
                keep = false;
            }
        });
        keep
    }
}
