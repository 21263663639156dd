//! Dialogs: creating resources (where the fields fixed at creation are chosen), confirmations
//! and messages. Each returns what the user decided; the app applies it.

use egui::{RichText, Ui};

use super::editors::{
    ARCHITECTURES, CAPTURES, GENERATIONS, MODES, OS_STATES, OS_TYPES, STORAGE_TYPES, region_combo,
};
use crate::model::rules::{
    MAX_OFFER_LEN, MAX_PUBLISHER_LEN, MAX_SKU_LEN, check_definition_name, check_gallery_name,
    check_identifier, check_image_name, check_version_name,
};
use crate::model::{Gallery, ImageDefinition, ImageVersion, ManagedImage, TargetRegion, Workspace};

/// The user's answer to a creation dialog.
pub enum Decision {
    Create,
    Cancel,
}

fn labelled_text(ui: &mut Ui, label: &str, value: &mut String, hint: &str, error: Option<String>) {
    let l = ui.label(label);
    ui.vertical(|ui| {
        ui.add(
            egui::TextEdit::singleline(value)
                .hint_text(hint)
                .desired_width(320.0),
        )
        .labelled_by(l.id);
        if let Some(error) = error {
            ui.label(
                RichText::new(error)
                    .color(ui.visuals().error_fg_color)
                    .small(),
            );
        }
    });
    ui.end_row();
}

fn labelled_choice<T: PartialEq + Copy>(
    ui: &mut Ui,
    label: &str,
    id: &str,
    value: &mut T,
    options: &[(T, &str)],
) {
    let l = ui.label(label);
    let current = options
        .iter()
        .find(|(v, _)| v == value)
        .map_or("", |(_, t)| *t);
    egui::ComboBox::from_id_salt(id)
        .selected_text(current)
        .show_ui(ui, |ui| {
            for (option, text) in options {
                ui.selectable_value(value, *option, *text);
            }
        })
        .response
        .labelled_by(l.id);
    ui.end_row();
}

fn buttons(ui: &mut Ui, create_label: &str, ready: bool) -> Option<Decision> {
    ui.separator();
    let mut decision = None;
    ui.horizontal(|ui| {
        if ui
            .add_enabled(ready, egui::Button::new(create_label))
            .on_disabled_hover_text("Fix the fields marked in red first")
            .clicked()
        {
            decision = Some(Decision::Create);
        }
        if ui.button("Cancel").clicked() {
            decision = Some(Decision::Cancel);
        }
    });
    if ready && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
        decision = Some(Decision::Create);
    }
    decision
}

fn form(ui: &mut Ui, id: &str, add: impl FnOnce(&mut Ui)) {
    egui::Grid::new(id)
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, add);
}

fn fixed_note(ui: &mut Ui, what: &str) {
    ui.weak(format!(
        "The fields below are fixed once the {what} exists: the service refuses to change them later."
    ));
}

pub fn add_gallery_ui(ui: &mut Ui, ws: &Workspace, gallery: &mut Gallery) -> Option<Decision> {
    ui.heading("Add gallery");
    fixed_note(ui, "gallery (its region)");
    let duplicate = ws
        .galleries
        .iter()
        .any(|g| g.name.eq_ignore_ascii_case(&gallery.name));
    let name_error = check_gallery_name(&gallery.name).or_else(|| {
        duplicate.then(|| "A gallery with this name already exists in the subscription".to_owned())
    });
    form(ui, "add-gallery", |ui| {
        labelled_text(
            ui,
            "Gallery name",
            &mut gallery.name,
            "e.g. contoso_images",
            name_error.clone(),
        );
        let l = ui.label("Region");
        region_combo(ui, "add-gallery-region", &mut gallery.region).labelled_by(l.id);
        ui.end_row();
        let l = ui.label("Tenant");
        egui::ComboBox::from_id_salt("add-gallery-tenant")
            .selected_text(gallery.tenant.as_str())
            .show_ui(ui, |ui| {
                for tenant in &ws.tenants {
                    ui.selectable_value(
                        &mut gallery.tenant,
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
            &mut gallery.description,
            "optional",
            None,
        );
    });
    if let Some(policy) = &ws.settings.region_policy
        && !policy.sources.contains(&gallery.region)
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
        name_error.is_none() && !gallery.tenant.is_empty(),
    )
}

pub fn add_definition_ui(
    ui: &mut Ui,
    ws: &Workspace,
    gallery: &str,
    definition: &mut ImageDefinition,
) -> Option<Decision> {
    ui.heading(format!("Add image definition to {gallery}"));
    let siblings = ws
        .gallery(gallery)
        .map(|g| g.definitions.as_slice())
        .unwrap_or_default();
    let name_error = check_definition_name(&definition.name).or_else(|| {
        siblings
            .iter()
            .any(|d| d.name.eq_ignore_ascii_case(&definition.name))
            .then(|| "An image definition with this name already exists in the gallery".to_owned())
    });
    let triple_error = siblings
        .iter()
        .find(|d| {
            d.publisher.eq_ignore_ascii_case(&definition.publisher)
                && d.offer.eq_ignore_ascii_case(&definition.offer)
                && d.sku.eq_ignore_ascii_case(&definition.sku)
        })
        .map(|d| {
            format!(
                "Publisher, offer and sku are already used by \"{}\"",
                d.name
            )
        });
    let publisher_error = check_identifier("publisher", &definition.publisher, MAX_PUBLISHER_LEN);
    let offer_error = check_identifier("offer", &definition.offer, MAX_OFFER_LEN);
    let sku_error = check_identifier("sku", &definition.sku, MAX_SKU_LEN).or(triple_error);
    let ready = name_error.is_none()
        && publisher_error.is_none()
        && offer_error.is_none()
        && sku_error.is_none();
    form(ui, "add-definition-name", |ui| {
        labelled_text(
            ui,
            "Definition name",
            &mut definition.name,
            "e.g. ubuntu-2204-base",
            name_error,
        );
    });
    fixed_note(ui, "image definition");
    form(ui, "add-definition", |ui| {
        labelled_text(
            ui,
            "Publisher",
            &mut definition.publisher,
            "e.g. Contoso",
            publisher_error,
        );
        labelled_text(
            ui,
            "Offer",
            &mut definition.offer,
            "e.g. UbuntuServer",
            offer_error,
        );
        labelled_text(
            ui,
            "SKU",
            &mut definition.sku,
            "e.g. 22.04-lts-gen2",
            sku_error,
        );
        labelled_choice(
            ui,
            "OS type",
            "add-def-os",
            &mut definition.os_type,
            &OS_TYPES,
        );
        labelled_choice(
            ui,
            "OS state",
            "add-def-state",
            &mut definition.os_state,
            &OS_STATES,
        );
        labelled_choice(
            ui,
            "Hyper-V generation",
            "add-def-gen",
            &mut definition.generation,
            &GENERATIONS,
        );
        labelled_choice(
            ui,
            "Architecture",
            "add-def-arch",
            &mut definition.architecture,
            &ARCHITECTURES,
        );
    });
    buttons(ui, "Create image definition", ready)
}

pub fn add_version_ui(
    ui: &mut Ui,
    ws: &Workspace,
    gallery: &str,
    definition: &str,
    version: &mut ImageVersion,
) -> Option<Decision> {
    ui.heading(format!("Add version to {gallery}/{definition}"));
    let stored = ws.gallery(gallery).and_then(|g| g.definition(definition));
    let os = stored.map(|d| d.os_type);
    let name_error = check_version_name(&version.name).or_else(|| {
        stored
            .is_some_and(|d| d.versions.iter().any(|v| v.name == version.name))
            .then(|| "A version with this name already exists".to_owned())
    });
    let candidates: Vec<&ManagedImage> = ws
        .managed_images
        .iter()
        .filter(|m| Some(m.os_type) == os)
        .collect();
    let source_error = if version.source.is_empty() {
        Some(if candidates.is_empty() {
            "No managed image of this OS type in the workspace: add one first".to_owned()
        } else {
            "Pick the managed image to create the version from".to_owned()
        })
    } else {
        None
    };
    form(ui, "add-version-name", |ui| {
        labelled_text(
            ui,
            "Version name",
            &mut version.name,
            "Major.Minor.Patch",
            name_error.clone(),
        );
    });
    fixed_note(ui, "image version");
    form(ui, "add-version", |ui| {
        let l = ui.label("Source managed image");
        ui.vertical(|ui| {
            let before = version.source.clone();
            egui::ComboBox::from_id_salt("add-version-source")
                .selected_text(version.source.as_str())
                .width(320.0)
                .show_ui(ui, |ui| {
                    for image in &candidates {
                        let text = format!(
                            "{} ({}, {} GB)",
                            image.name,
                            image.region.display_name(),
                            image.occupied_gb
                        );
                        ui.selectable_value(&mut version.source, image.name.clone(), text);
                    }
                })
                .response
                .labelled_by(l.id);
            if before != version.source
                && let Some(image) = ws.managed_image(&version.source)
            {
                // The source region must be a target: start with it.
                version.target_regions.retain(|t| t.region == image.region);
                if version.target_regions.is_empty() {
                    version.target_regions.push(TargetRegion::new(image.region));
                }
            }
            if let Some(error) = &source_error {
                ui.label(
                    RichText::new(error)
                        .color(ui.visuals().error_fg_color)
                        .small(),
                );
            }
        });
        ui.end_row();
        labelled_choice(
            ui,
            "Storage type",
            "add-version-storage",
            &mut version.storage_type,
            &STORAGE_TYPES,
        );
        labelled_choice(
            ui,
            "Replication mode",
            "add-version-mode",
            &mut version.replication_mode,
            &MODES,
        );
        let l = ui.label("Default replica count");
        ui.add(egui::DragValue::new(&mut version.default_replica_count).range(1..=100))
            .labelled_by(l.id);
        ui.end_row();
    });
    ui.weak("The version starts in its source region; add more target regions in its editor.");
    buttons(
        ui,
        "Create version",
        name_error.is_none() && source_error.is_none(),
    )
}

pub fn add_image_ui(ui: &mut Ui, ws: &Workspace, image: &mut ManagedImage) -> Option<Decision> {
    ui.heading("Add managed image");
    let name_error = check_image_name(&image.name).or_else(|| {
        ws.managed_images
            .iter()
            .any(|m| m.name.eq_ignore_ascii_case(&image.name))
            .then(|| "A managed image with this name already exists".to_owned())
    });
    form(ui, "add-image", |ui| {
        labelled_text(
            ui,
            "Image name",
            &mut image.name,
            "e.g. ubuntu2204-2026-11",
            name_error.clone(),
        );
        let l = ui.label("Region");
        region_combo(ui, "add-image-region", &mut image.region).labelled_by(l.id);
        ui.end_row();
        labelled_choice(ui, "OS type", "add-image-os", &mut image.os_type, &OS_TYPES);
        labelled_choice(
            ui,
            "Captured from",
            "add-image-capture",
            &mut image.capture,
            &CAPTURES,
        );
        let l = ui.label("OS disk size");
        ui.add(
            egui::DragValue::new(&mut image.os_disk_gb)
                .range(1..=32_768)
                .suffix(" GB"),
        )
        .labelled_by(l.id);
        ui.end_row();
        let l = ui.label("Occupied");
        ui.add(
            egui::DragValue::new(&mut image.occupied_gb)
                .range(0.0..=32_768.0)
                .suffix(" GB"),
        )
        .labelled_by(l.id);
        ui.end_row();
    });
    buttons(ui, "Create managed image", name_error.is_none())
}

/// The shortcut list, from the one action table.
pub fn shortcuts_ui(ui: &mut Ui, ctx: &egui::Context) {
    ui.heading("Keyboard shortcuts");
    egui::Grid::new("shortcuts")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for action in super::actions::Action::ALL {
                let keys: Vec<String> = action
                    .shortcuts()
                    .iter()
                    .map(|s| ctx.format_shortcut(s))
                    .collect();
                if keys.is_empty() {
                    continue;
                }
                ui.label(action.label().trim_end_matches('…'));
                ui.monospace(keys.join(", "));
                ui.end_row();
            }
            for (what, keys) in [
                ("Move in the tree", "Up, Down"),
                ("Expand, collapse", "Right, Left"),
                ("Open the selected resource", "Enter"),
            ] {
                ui.label(what);
                ui.monospace(keys);
                ui.end_row();
            }
        });
}
