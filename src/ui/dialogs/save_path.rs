//! "Save workspace as": the path field that stands in for a native Save dialog.

use std::path::PathBuf;

use egui::{RichText, Ui};

use crate::ui::dialogs::{Dialog, Intent, OpenDialog, ViewCx};
use crate::ui::widgets::form::{FolderCheck, submitted};

pub struct SavePathDialog {
    pub text: String,
    pub note: Option<String>,
    folder: FolderCheck,
    focus: bool,
}

impl OpenDialog for SavePathDialog {
    /// Why the desktop's Save dialog is not used, if it is available.
    type Request = Option<String>;

    fn open(note: Option<String>, cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        let text = cx.doc.path.as_ref().map(|p| p.display().to_string());
        Some(Self {
            text: text.unwrap_or_default(),
            note,
            folder: FolderCheck::default(),
            focus: true,
        })
    }
}

impl Dialog for SavePathDialog {
    fn ui(&mut self, ui: &mut Ui, _cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        ui.heading("Save workspace as");
        if let Some(note) = &self.note {
            ui.label(note.as_str());
        }
        let label = ui.label("Save to path");
        let response = ui
            .add(egui::TextEdit::singleline(&mut self.text).desired_width(480.0))
            .labelled_by(label.id);
        if std::mem::take(&mut self.focus) {
            response.request_focus();
        }
        let folder_ok = self.folder.exists(&self.text);
        let empty = self.text.trim().is_empty();
        let enter = submitted(ui, &response, folder_ok && !empty);
        if !empty && !folder_ok {
            ui.label(
                RichText::new("That folder does not exist").color(ui.visuals().error_fg_color),
            );
        }
        ui.horizontal(|ui| {
            let ready = folder_ok && !empty;
            if ui.add_enabled(ready, egui::Button::new("Save")).clicked() || enter {
                out.push(Intent::SaveTo(PathBuf::from(self.text.trim())));
                ui.close();
            }
            if ui.button("Cancel").clicked() {
                out.push(Intent::CancelSave);
                ui.close();
            }
        });
    }

    fn dismissed(&mut self, out: &mut Vec<Intent>) {
        out.push(Intent::CancelSave);
    }
}
