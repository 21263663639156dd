//! Help, About SIG Studio.

use egui::Ui;

use crate::ui::dialogs::{Dialog, Intent, OpenDialog, ViewCx};

#[derive(Default)]
pub struct AboutDialog;

impl Dialog for AboutDialog {
    fn ui(&mut self, ui: &mut Ui, _cx: &ViewCx<'_>, _out: &mut Vec<Intent>) {
        ui.heading("SIG Studio");
        ui.label(format!("Version {}", env!("CARGO_PKG_VERSION")));
        ui.label("Plan and run shared image galleries (Azure Compute Gallery).");
        ui.label("Licensed under MIT or Apache-2.0.");
        if ui.button("Close").clicked() {
            ui.close();
        }
    }
}

impl OpenDialog for AboutDialog {
    type Request = ();

    fn open((): (), _cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        Some(Self)
    }
}
