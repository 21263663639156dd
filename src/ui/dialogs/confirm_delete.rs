//! "Delete …?": says what stands in the way (the same text the delete edit refuses with).

use egui::{RichText, Ui};

use crate::model::{Edit, ResourcePath, delete_blocker};
use crate::ui::dialogs::{Dialog, Intent, OpenDialog, ViewCx};

pub struct ConfirmDeleteDialog {
    pub path: ResourcePath,
}

impl OpenDialog for ConfirmDeleteDialog {
    type Request = ResourcePath;

    fn open(path: ResourcePath, _cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        Some(Self { path })
    }
}

impl Dialog for ConfirmDeleteDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
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
        ui.horizontal(|ui| {
            // Delete is the default button: Enter answers it.
            let ready = blocker.is_none();
            if ui.add_enabled(ready, egui::Button::new("Delete")).clicked()
                || (ready && crate::ui::widgets::form::enter_pressed(ui))
            {
                if let Some(edit) = Edit::delete(path) {
                    out.push(Intent::Edit {
                        edit,
                        select: path.parent(),
                        notice: Some(format!("Deleted {} {}", path.kind(), path)),
                    });
                }
                ui.close();
            }
            if ui.button("Cancel").clicked() {
                ui.close();
            }
        });
    }
}
