//! "Add managed image…": a source to build versions from.

use egui::Ui;

use crate::model::rules::check_image_name;
use crate::model::{Edit, ManagedImage, ResourcePath};
use crate::ui::dialogs::{
    Dialog, Intent, OpenDialog, ViewCx, buttons, decide, form, labelled_choice, labelled_text,
};
use crate::ui::widgets::form::FirstFocus;
use crate::ui::widgets::form::{CAPTURES, OS_TYPES, region_combo};

pub struct AddImageDialog {
    pub image: ManagedImage,
    focus: FirstFocus,
}

impl OpenDialog for AddImageDialog {
    type Request = ();

    fn open((): (), _cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        let image = ManagedImage {
            os_disk_gb: 30,
            occupied_gb: 10.0,
            ..ManagedImage::default()
        };
        Some(Self {
            image,
            focus: FirstFocus::default(),
        })
    }
}

impl AddImageDialog {
    fn form_ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>) -> Option<crate::ui::dialogs::Decision> {
        let ws = cx.ws;
        ui.heading("Add managed image");
        let name_error = check_image_name(&self.image.name).or_else(|| {
            ws.managed_images
                .iter()
                .any(|m| m.name.eq_ignore_ascii_case(&self.image.name))
                .then(|| "A managed image with this name already exists".to_owned())
        });
        form(ui, "add-image", |ui| {
            let name = labelled_text(
                ui,
                "Image name",
                &mut self.image.name,
                "e.g. ubuntu2204-2026-11",
                name_error.clone(),
            );
            self.focus.give(&name);
            let l = ui.label("Region");
            region_combo(ui, "add-image-region", &mut self.image.region).labelled_by(l.id);
            ui.end_row();
            labelled_choice(
                ui,
                "OS type",
                "add-image-os",
                &mut self.image.os_type,
                &OS_TYPES,
            );
            labelled_choice(
                ui,
                "Captured from",
                "add-image-capture",
                &mut self.image.capture,
                &CAPTURES,
            );
            let l = ui.label("OS disk size");
            ui.add(
                egui::DragValue::new(&mut self.image.os_disk_gb)
                    .range(1..=32_768)
                    .suffix(" GB"),
            )
            .labelled_by(l.id);
            ui.end_row();
            let l = ui.label("Occupied");
            ui.add(
                egui::DragValue::new(&mut self.image.occupied_gb)
                    .range(0.0..=32_768.0)
                    .suffix(" GB"),
            )
            .labelled_by(l.id);
            ui.end_row();
        });
        buttons(ui, "Create managed image", name_error.is_none())
    }
}

impl Dialog for AddImageDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        let decision = self.form_ui(ui, cx);
        decide(ui, decision, out, || Intent::Edit {
            edit: Edit::AddImage {
                index: None,
                image: self.image.clone(),
            },
            select: Some(ResourcePath::managed_image(&self.image.name)),
            notice: None,
        });
    }
}
