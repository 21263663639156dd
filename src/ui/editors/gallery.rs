//! The gallery editor.

use egui::Ui;

use crate::model::{Gallery, ResourcePath, Workspace};
use crate::ui::editors::azure;
use crate::ui::editors::context::{
    editable, grid, heading, name_row, other_problems, read_only, retention_button_ui,
};
use crate::ui::intent::Intent;
use crate::ui::view::ViewCx;
use crate::ui::widgets::form::Form;

pub(in crate::ui::editors) fn gallery_ui(
    ui: &mut Ui,
    cx: &ViewCx<'_>,
    path: &ResourcePath,
    gallery: &mut Gallery,
    form: &mut Form<'_>,
    out: &mut Vec<Intent>,
) {
    let ws = cx.ws;
    heading(ui, cx, "gallery", path);
    editable(ui, read_only(cx, path).as_deref(), |ui| {
        form_ui(ui, ws, path, gallery, form, out)
    });
    let fields: Vec<&str> = ["name", "region", "tenant", "description"]
        .into_iter()
        .chain(azure::GALLERY_FIELDS)
        .collect();
    other_problems(ui, form.problems, &fields);
    ui.add_space(8.0);
    if let Some(stored) = ws.gallery(path.name()) {
        ui.label(format!(
            "{}, {}",
            crate::words::count(
                stored.definitions.len(),
                "image definition",
                "image definitions"
            ),
            crate::words::count(
                stored.definitions.iter().map(|d| d.versions.len()).sum(),
                "image version",
                "image versions"
            )
        ));
        for definition in &stored.definitions {
            if ui.link(&definition.name).clicked() {
                out.push(Intent::select(ResourcePath::definition(
                    &stored.name,
                    &definition.name,
                )));
            }
        }
    }
    retention_button_ui(ui, cx, path, out);
}

/// The gallery's own fields.
fn form_ui(
    ui: &mut Ui,
    ws: &Workspace,
    path: &ResourcePath,
    gallery: &mut Gallery,
    form: &mut Form<'_>,
    out: &mut Vec<Intent>,
) {
    grid(ui, "gallery-form", |ui| {
        let presence = ws.presence(path).unwrap_or_default();
        name_row(
            form,
            ui,
            "Name",
            &mut gallery.name,
            "letters, digits, _ and .",
            presence,
            path,
            out,
        );
        form.fixed(
            ui,
            "Region",
            "region",
            gallery.region.display_name(),
            "gallery",
        );
        let tenants: Vec<String> = ws.tenants.iter().map(|t| t.name.clone()).collect();
        form.row(ui, "Tenant", Some("tenant"), |ui, id| {
            let mut changed = false;
            let mut response = egui::ComboBox::from_id_salt("gallery-tenant")
                .selected_text(gallery.tenant.as_str())
                .show_ui(ui, |ui| {
                    for tenant in &tenants {
                        if ui
                            .selectable_label(gallery.tenant == *tenant, tenant.as_str())
                            .clicked()
                            && gallery.tenant != *tenant
                        {
                            gallery.tenant.clone_from(tenant);
                            changed = true;
                        }
                    }
                })
                .response
                .labelled_by(id);
            if changed {
                response.mark_changed();
            }
            response
        });
        form.multiline(
            ui,
            "Description",
            "description",
            &mut gallery.description,
            "What this gallery holds",
        );
        azure::gallery_rows(form, ui, gallery, presence);
    });
}
