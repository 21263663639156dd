//! "Restore unsaved work?": offered at start-up when a recovery copy was kept. It cannot be
//! dismissed with Escape: the user decides what happens to the copy.

use egui::Ui;

use crate::ui::dialogs::{Command, Dialog, DialogCx};
use crate::workspace::recovery::RecoveryCopy;

pub struct RecoveryDialog {
    pub copy: RecoveryCopy,
}

impl RecoveryDialog {
    pub fn new(copy: RecoveryCopy) -> Self {
        Self { copy }
    }
}

impl Dialog for RecoveryDialog {
    fn ui(&mut self, ui: &mut Ui, _cx: &DialogCx<'_>, out: &mut Vec<Command>) -> bool {
        ui.heading("Restore unsaved work?");
        let origin = self.copy.origin.as_ref().map_or_else(
            || "an untitled workspace".to_owned(),
            |p| p.display().to_string(),
        );
        ui.label(format!(
            "SIG Studio closed with unsaved changes to {origin}. A recovery copy was kept."
        ));
        let mut keep = true;
        ui.horizontal(|ui| {
            if ui.button("Restore").clicked() {
                out.push(Command::RestoreRecovery(self.copy.clone()));
                keep = false;
            }
            if ui.button("Discard").clicked() {
                out.push(Command::DiscardRecovery);
                keep = false;
            }
        });
        keep
    }

    fn dismiss(&mut self, _out: &mut Vec<Command>) -> bool {
        false
    }
}
