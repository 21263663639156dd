//! Help, About SIG Studio.

use egui::Ui;

use crate::ui::dialogs::{Command, Dialog, DialogCx};

#[derive(Default)]
pub struct AboutDialog;

impl Dialog for AboutDialog {
    fn ui(&mut self, ui: &mut Ui, _cx: &DialogCx<'_>, _out: &mut Vec<Command>) -> bool {
        ui.heading("SIG Studio");
        ui.label(format!("Version {}", env!("CARGO_PKG_VERSION")));
        ui.label("Plan and run shared image galleries (Azure Compute Gallery).");
        ui.label("Licensed under MIT or Apache-2.0.");
        !ui.button("Close").clicked()
    }
}
