//! "Delete …?": says what stands in the way (the same text the delete edit refuses with).

use egui::{RichText, Ui};

use crate::model::{Edit, ResourcePath, delete_blocker};
use crate::ui::dialogs::{Command, Dialog, DialogCx};

pub struct ConfirmDeleteDialog {
    pub path: ResourcePath,
}

impl ConfirmDeleteDialog {
    pub fn new(path: ResourcePath) -> Self {
        Self { path }
    }
}

impl Dialog for ConfirmDeleteDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &DialogCx<'_>, out: &mut Vec<Command>) -> bool {
        let path = &self.path;
        let blocker = delete_blocker(cx.ws, path);
        ui.heading(format!("Delete {}?", path.kind()));
        ui.label(RichText::new(path.to_string()).monospace());
        match &blocker {
            Some(reason) => {
                ui.label(RichText::new(reason).color(ui.visuals().error_fg_color));
            }
            None => {
                ui.label("You can undo this afterwards (Edit, Undo).");
            }
        }
        let mut keep = true;
        ui.horizontal(|ui| {
            // Delete is the default button: Enter answers it.
            let ready = blocker.is_none();
            if ui.add_enabled(ready, egui::Button::new("Delete")).clicked()
                || (ready && crate::ui::widgets::form::enter_pressed(ui))
            {
                if let Some(edit) = Edit::delete(path) {
                    out.push(Command::Apply {
                        edit,
                        select: path.parent(),
                        notice: Some(format!("Deleted {} {}", path.kind(), path)),
                    });
                }
                keep = false;
            }
            if ui.button("Cancel").clicked() {
                keep = false;
            }
        });
        keep
    }
}
