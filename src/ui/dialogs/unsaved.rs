//! "Save changes?": asked before new, open and quit when there are unsaved changes.

use egui::Ui;

use crate::ui::dialogs::{Dialog, Intent, OpenDialog, ViewCx};
use crate::ui::intent::Leave;

pub struct UnsavedDialog {
    /// What follows once the changes are saved or discarded.
    pub leave: Leave,
}

impl OpenDialog for UnsavedDialog {
    type Request = Leave;

    fn open(leave: Leave, _cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        Some(Self { leave })
    }
}

impl Dialog for UnsavedDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        ui.heading("Save changes?");
        if cx.doc.has_user_changes() {
            ui.label(format!("{} has unsaved changes.", cx.doc.title()));
        } else {
            ui.label(format!(
                "Nothing was edited in {}, but its replication progress since the last save is not saved.",
                cx.doc.title()
            ));
        }
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() {
                out.push(Intent::SaveAndLeave(self.leave.clone()));
                ui.close();
            }
            if ui.button("Discard").clicked() {
                out.push(Intent::DiscardAndLeave(self.leave.clone()));
                ui.close();
            }
            if ui.button("Cancel").clicked() {
                ui.close();
            }
        });
    }
}
