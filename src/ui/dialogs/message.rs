//! A message with an OK button: refusals, failed opens and saves.

use egui::Ui;

use crate::ui::dialogs::{Dialog, Intent, OpenDialog, ViewCx};

pub struct MessageDialog {
    pub title: String,
    pub text: String,
}

impl OpenDialog for MessageDialog {
    /// The title and the text.
    type Request = (String, String);

    fn open((title, text): Self::Request, _cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        Some(Self { title, text })
    }
}

impl Dialog for MessageDialog {
    fn ui(&mut self, ui: &mut Ui, _cx: &ViewCx<'_>, _out: &mut Vec<Intent>) {
        ui.heading(self.title.as_str());
        ui.label(self.text.as_str());
        let ok = ui.button("OK");
        ok.request_focus();
        if ok.clicked() || ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            ui.close();
        }
    }
}
