//! "Add gallery…": name, region and tenant, fixed once the gallery exists.

use egui::{RichText, Ui};

use crate::model::rules::check_gallery_name;
use crate::model::{Edit, Gallery, ResourcePath};
use crate::ui::dialogs::{
    Dialog, Intent, OpenDialog, ViewCx, buttons, decide, fixed_note, form, labelled_text,
};
use crate::ui::widgets::form::{FirstFocus, region_combo};

pub struct AddGalleryDialog {
    pub gallery: Gallery,
    focus: FirstFocus,
}

impl OpenDialog for AddGalleryDialog {
    type Request = ();

    /// In the workspace's first tenant.
    fn open((): (), cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        let tenant = cx.ws.tenants.first().map(|t| t.name.clone());
        let gallery = Gallery {
            tenant: tenant.unwrap_or_default(),
            ..Gallery::default()
        };
        Some(Self {
            gallery,
            focus: FirstFocus::default(),
        })
    }
}

impl AddGalleryDialog {
    fn form_ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>) -> Option<crate::ui::dialogs::Decision> {
        let ws = cx.ws;
        ui.heading("Add gallery");
        fixed_note(ui, "gallery (its region)");
        let duplicate = ws
            .galleries
            .iter()
            .any(|g| g.name.eq_ignore_ascii_case(&self.gallery.name));
        let name_error = check_gallery_name(&self.gallery.name).or_else(|| {
            duplicate
                .then(|| "A gallery with this name already exists in the subscription".to_owned())
        });
        form(ui, "add-gallery", |ui| {
            let name = labelled_text(
                ui,
                "Gallery name",
                &mut self.gallery.name,
                "e.g. contoso_images",
                name_error.clone(),
            );
            self.focus.give(&name);
            let l = ui.label("Region");
            region_combo(ui, "add-gallery-region", &mut self.gallery.region).labelled_by(l.id);
            ui.end_row();
            let l = ui.label("Tenant");
            egui::ComboBox::from_id_salt("add-gallery-tenant")
                .selected_text(self.gallery.tenant.as_str())
                .show_ui(ui, |ui| {
                    for tenant in &ws.tenants {
                        ui.selectable_value(
                            &mut self.gallery.tenant,
                            tenant.name.clone(),
                            tenant.name.as_str(),
                        );
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
            labelled_text(
                ui,
                "Description",
                &mut self.gallery.description,
                "optional",
                None,
            );
        });
        if let Some(policy) = &ws.settings.region_policy
            && !policy.sources.contains(&self.gallery.region)
        {
            ui.label(
                RichText::new(format!(
                    "⚠ The workspace's region policy allows galleries only in {}",
                    policy
                        .sources
                        .iter()
                        .map(|r| r.display_name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
                .color(ui.visuals().warn_fg_color),
            );
        }
        buttons(
            ui,
            "Create gallery",
            name_error.is_none() && !self.gallery.tenant.is_empty(),
        )
    }
}

impl Dialog for AddGalleryDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        let decision = self.form_ui(ui, cx);
        decide(ui, decision, out, || Intent::Edit {
            edit: Edit::AddGallery {
                index: None,
                gallery: self.gallery.clone(),
            },
            select: Some(ResourcePath::gallery(&self.gallery.name)),
            notice: None,
        });
    }
}
