//! A message with an OK button: refusals, failed opens and saves. A JSON file opened as a
//! workspace is offered to the import from the message itself.

use std::path::PathBuf;

use egui::Ui;

use crate::ui::dialogs::import::ImportRequest;
use crate::ui::dialogs::{Dialog, DialogRequest, Intent, OpenDialog, ViewCx};

/// What the message says, and the file it offers to import, if any: the request and the
/// dialog at once.
pub struct MessageDialog {
    pub title: String,
    pub text: String,
    /// Azure's JSON opened as a workspace: *Import this file…* imports it instead.
    pub import: Option<PathBuf>,
}

impl MessageDialog {
    pub fn new(title: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            text: text.into(),
            import: None,
        }
    }
}

impl OpenDialog for MessageDialog {
    type Request = Self;

    fn open(message: Self, _cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        Some(message)
    }
}

impl Dialog for MessageDialog {
    fn ui(&mut self, ui: &mut Ui, _cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        let message = &*self;
        ui.heading(message.title.as_str());
        ui.label(message.text.as_str());
        let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
        match &message.import {
            Some(file) => {
                ui.horizontal(|ui| {
                    let import = ui.button("Import this file…");
                    import.request_focus();
                    if import.clicked() || enter {
                        let request = ImportRequest::Files(vec![file.clone()]);
                        out.push(Intent::Open(DialogRequest::Import(request)));
                        ui.close();
                    }
                    if ui.button("Cancel").clicked() {
                        ui.close();
                    }
                });
            }
            None => {
                let ok = ui.button("OK");
                ok.request_focus();
                if ok.clicked() || enter {
                    ui.close();
                }
            }
        }
    }
}
