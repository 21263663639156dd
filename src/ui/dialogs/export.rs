//! "Export": an ARM template or an az CLI script of the workspace, a gallery or a definition,
//! written to a path. The file is written by the intent the dialog pushes, after the frame.

use std::path::PathBuf;

use egui::{RichText, Ui};

use crate::export::{Format, Scope};
use crate::ui::dialogs::message::MessageDialog;
use crate::ui::dialogs::{Dialog, DialogRequest, Intent, OpenDialog, ViewCx};
use crate::ui::widgets::form::FolderCheck;

pub struct ExportDialog {
    pub format: Format,
    /// `""` for everything, else `gallery` or `gallery/definition`.
    pub scope: String,
    pub path: String,
    /// The workspace's file, whose name the default path follows.
    origin: Option<PathBuf>,
    /// Whether the user typed a path (then a change of format leaves it alone).
    typed: bool,
    folder: FolderCheck,
}

impl OpenDialog for ExportDialog {
    type Request = ();

    /// Everything, as an ARM template beside the workspace's file.
    fn open((): (), cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        let mut dialog = Self {
            format: Format::Arm,
            scope: String::new(),
            path: String::new(),
            origin: cx.doc.path.clone(),
            typed: false,
            folder: FolderCheck::default(),
        };
        dialog.path = dialog.default_path();
        Some(dialog)
    }
}

impl ExportDialog {
    /// The workspace's file name with the format's extension (`export.json` when unsaved).
    fn default_path(&self) -> String {
        let base = self
            .origin
            .clone()
            .unwrap_or_else(|| PathBuf::from("export"));
        base.with_extension(self.format.extension())
            .display()
            .to_string()
    }
}

impl Dialog for ExportDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        ui.heading("Export");
        ui.label("Write what Azure deploys, to review and run: parents before children, role assignments last.");
        ui.add_space(4.0);
        let before = self.format;
        ui.horizontal(|ui| {
            for format in Format::ALL {
                ui.radio_value(&mut self.format, format, format.label());
            }
        });
        if self.format != before && !self.typed {
            self.path = self.default_path();
        }
        let scope_label = ui.label("Scope");
        let shown = if self.scope.is_empty() {
            "Everything".to_owned()
        } else {
            self.scope.clone()
        };
        egui::ComboBox::from_id_salt("export-scope")
            .selected_text(shown)
            .width(320.0)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut self.scope, String::new(), "Everything");
                for gallery in &cx.ws.galleries {
                    ui.selectable_value(&mut self.scope, gallery.name.clone(), &gallery.name);
                    for definition in &gallery.definitions {
                        let path = format!("{}/{}", gallery.name, definition.name);
                        ui.selectable_value(&mut self.scope, path.clone(), path);
                    }
                }
            })
            .response
            .labelled_by(scope_label.id);
        let path_label = ui.label("Export to path");
        let response = ui
            .add(egui::TextEdit::singleline(&mut self.path).desired_width(480.0))
            .labelled_by(path_label.id);
        if response.changed() {
            self.typed = true;
        }
        let empty = self.path.trim().is_empty();
        let folder_ok = self.folder.exists(&self.path);
        if !empty && !folder_ok {
            ui.label(
                RichText::new("That folder does not exist").color(ui.visuals().error_fg_color),
            );
        }
        if self.format == Format::Az {
            ui.weak("Values that differ per environment (resource group, object ids, image ids) are read from environment variables the script names.");
        } else {
            ui.weak("Values that differ per environment (object ids, image ids) are template parameters.");
        }
        // The buttons at the foot of the dialog's fixed size: a note or an error line that
        // appears above them moves neither them nor the dialog.
        ui.with_layout(egui::Layout::bottom_up(egui::Align::LEFT), |ui| {
            ui.horizontal(|ui| self.buttons(ui, folder_ok && !empty, out));
            ui.separator();
        });
    }

    fn size(&self) -> Option<egui::Vec2> {
        Some(egui::vec2(560.0, 250.0))
    }
}

impl ExportDialog {
    fn buttons(&mut self, ui: &mut Ui, ready: bool, out: &mut Vec<Intent>) {
        {
            if ui.add_enabled(ready, egui::Button::new("Export")).clicked() {
                let scope = if self.scope.is_empty() {
                    Ok(Scope::default())
                } else {
                    Scope::parse(&self.scope)
                };
                match scope {
                    Ok(scope) => {
                        out.push(Intent::Export {
                            format: self.format,
                            scope,
                            path: PathBuf::from(self.path.trim()),
                        });
                        ui.close();
                    }
                    // Over this dialog, which stays as it is to correct the scope.
                    Err(err) => out.push(Intent::Open(DialogRequest::Message(MessageDialog::new(
                        "Could not export",
                        err.to_string(),
                    )))),
                }
            }
            if ui.button("Cancel").clicked() {
                ui.close();
            }
        }
    }
}
