//! "Open workspace by path": the path field (with recent files) that stands in for a native
//! Open dialog where none is available.

use std::path::PathBuf;

use egui::{RichText, Ui};

use crate::memo::Memo;
use crate::ui::dialogs::{Dialog, Intent, OpenDialog, ViewCx};
use crate::ui::intent::Leave;
use crate::ui::widgets::form::submitted;

pub struct OpenPathDialog {
    pub text: String,
    pub note: Option<String>,
    /// The text last checked and whether a file was there: the disk is asked when the text
    /// changes, not on every frame.
    checked: Memo<String, bool>,
    focus: bool,
}

impl OpenDialog for OpenPathDialog {
    /// Why the desktop's Open dialog is not used, if it is available.
    type Request = Option<String>;

    fn open(note: Option<String>, _cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        Some(Self {
            text: String::new(),
            note,
            checked: Memo::default(),
            focus: true,
        })
    }
}

impl OpenPathDialog {
    fn exists(&mut self) -> bool {
        let text = self.text.trim();
        *self.checked.get_by(
            |checked| checked == text,
            || text.to_owned(),
            |text| !text.is_empty() && PathBuf::from(text).is_file(),
        )
    }
}

impl Dialog for OpenPathDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        ui.heading("Open workspace by path");
        if let Some(note) = &self.note {
            ui.label(note.as_str());
        }
        let label = ui.label("Workspace file path");
        let response = ui
            .add(
                egui::TextEdit::singleline(&mut self.text)
                    .hint_text("/home/me/images.ron")
                    .desired_width(480.0),
            )
            .labelled_by(label.id);
        if std::mem::take(&mut self.focus) {
            response.request_focus();
        }
        if !cx.files.recent.is_empty() {
            ui.label("Recent files");
            for path in cx.files.recent {
                if ui.link(path.display().to_string()).clicked() {
                    self.text = path.display().to_string();
                }
            }
        }
        let exists = self.exists();
        if !self.text.trim().is_empty() && !exists {
            ui.label(RichText::new("No file at this path").color(ui.visuals().error_fg_color));
        }
        ui.horizontal(|ui| {
            let enter = submitted(ui, &response, exists);
            if ui.add_enabled(exists, egui::Button::new("Open")).clicked() || enter {
                let path = PathBuf::from(self.text.trim());
                out.push(Intent::Leave(Leave::OpenFile(path)));
                ui.close();
            }
            if ui.button("Cancel").clicked() {
                ui.close();
            }
        });
    }
}
