//! "Restore unsaved work?": offered at start-up when a recovery copy was kept. It cannot be
//! dismissed with Escape: the user decides what happens to the copy.

use egui::Ui;

use crate::ui::dialogs::{Dialog, Intent, OpenDialog, ViewCx};
use crate::workspace::recovery::RecoveryCopy;

pub struct RecoveryDialog {
    pub copy: RecoveryCopy,
}

impl OpenDialog for RecoveryDialog {
    type Request = RecoveryCopy;

    fn open(copy: RecoveryCopy, _cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        Some(Self { copy })
    }
}

impl Dialog for RecoveryDialog {
    fn ui(&mut self, ui: &mut Ui, _cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        ui.heading("Restore unsaved work?");
        let origin = self.copy.origin.as_ref().map_or_else(
            || "an untitled workspace".to_owned(),
            |p| p.display().to_string(),
        );
        ui.label(format!(
            "SIG Studio closed with unsaved changes to {origin}. A recovery copy was kept."
        ));
        ui.horizontal(|ui| {
            if ui.button("Restore").clicked() {
                out.push(Intent::RestoreRecovery(self.copy.clone()));
                ui.close();
            }
            if ui.button("Discard").clicked() {
                out.push(Intent::DiscardRecovery);
                ui.close();
            }
        });
    }

    fn dismissable(&self) -> bool {
        false
    }
}
