//! "Open workspace by path": the path field (with recent files) that stands in for a native
//! Open dialog where none is available.

use std::path::PathBuf;

use egui::{RichText, Ui};

use crate::ui::command::Pending;
use crate::ui::dialogs::{Command, Dialog, DialogCx};

pub struct OpenPathDialog {
    pub text: String,
    pub note: Option<String>,
    /// The text last checked and whether a file was there: the disk is asked when the text
    /// changes, not on every frame.
    checked: Option<(String, bool)>,
    focus: bool,
}

impl OpenPathDialog {
    pub fn new(note: Option<String>) -> Self {
        Self {
            text: String::new(),
            note,
            checked: None,
            focus: true,
        }
    }

    fn exists(&mut self) -> bool {
        let text = self.text.trim();
        match &self.checked {
            Some((checked, exists)) if checked == text => *exists,
            _ => {
                let exists = !text.is_empty() && PathBuf::from(text).is_file();
                self.checked = Some((text.to_owned(), exists));
                exists
            }
        }
    }
}

impl Dialog for OpenPathDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &DialogCx<'_>, out: &mut Vec<Command>) -> bool {
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
        if !cx.recent.is_empty() {
            ui.label("Recent files");
            for path in cx.recent {
                if ui.link(path.display().to_string()).clicked() {
                    self.text = path.display().to_string();
                }
            }
        }
        let exists = self.exists();
        if !self.text.trim().is_empty() && !exists {
            ui.label(RichText::new("No file at this path").color(ui.visuals().error_fg_color));
        }
        let mut keep = true;
        ui.horizontal(|ui| {
            let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if ui.add_enabled(exists, egui::Button::new("Open")).clicked() || (enter && exists) {
                let path = PathBuf::from(self.text.trim());
                out.push(Command::Guard(Pending::OpenFile(path)));
                keep = false;
            }
            if ui.button("Cancel").clicked() {
                keep = false;
            }
        });
        keep
    }
}
