//! A message with an OK button: refusals, failed opens and saves.

use egui::Ui;

use crate::ui::dialogs::{Command, Dialog, DialogCx};

pub struct MessageDialog {
    pub title: String,
    pub text: String,
}

impl MessageDialog {
    pub fn new(title: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            text: text.into(),
        }
    }
}

impl Dialog for MessageDialog {
    fn ui(&mut self, ui: &mut Ui, _cx: &DialogCx<'_>, _out: &mut Vec<Command>) -> bool {
        ui.heading(self.title.as_str());
        ui.label(self.text.as_str());
        let ok = ui.button("OK");
        ok.request_focus();
        !(ok.clicked() || ui.input(|i| i.key_pressed(egui::Key::Enter)))
    }
}
