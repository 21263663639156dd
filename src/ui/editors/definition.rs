//! The definition editor.

use egui::Ui;

use crate::model::{Date, DiskType, ImageDefinition, Presence, Resource, ResourcePath, latest};
use crate::ui::actions::UserAction;
use crate::ui::editors::azure;
use crate::ui::editors::context::{
    editable, end_of_life_default, grid, heading, name_row, other_problems, read_only,
    retention_button_ui,
};
use crate::ui::intent::{Intent, Target};
use crate::ui::view::ViewCx;
use crate::ui::widgets::action::action_button;
use crate::ui::widgets::form::{ARCHITECTURES, Form, GENERATIONS, OS_STATES, OS_TYPES, label_of};

pub(in crate::ui::editors) fn definition_ui(
    ui: &mut Ui,
    cx: &ViewCx<'_>,
    path: &ResourcePath,
    definition: &mut ImageDefinition,
    form: &mut Form<'_>,
    out: &mut Vec<Intent>,
) {
    heading(ui, cx, "image definition", path);
    let today = cx.today;
    let presence = cx.ws.presence(path).unwrap_or_default();
    editable(ui, read_only(cx, path).as_deref(), |ui| {
        grid(ui, "definition-form", |ui| {
            identity_rows(ui, form, definition, (path, presence), out);
            documentation_rows(ui, form, definition);
            recommendation_rows(ui, form, definition, today);
            azure::definition_rows(form, ui, definition, presence);
        });
    });
    let fields: Vec<&str> = FIELDS.into_iter().chain(azure::DEFINITION_FIELDS).collect();
    other_problems(ui, form.problems, &fields);
    ui.add_space(8.0);
    versions_line(ui, cx, path, out);
    retention_button_ui(ui, cx, path, out);
}

/// The fields the form shows; problems of other fields are listed under it.
const FIELDS: [&str; 17] = [
    "name",
    "publisher",
    "offer",
    "sku",
    "os_type",
    "os_state",
    "generation",
    "architecture",
    "description",
    "release_notes",
    "release_note_uri",
    "eula",
    "privacy_uri",
    "vcpus",
    "memory_gb",
    "end_of_life",
    "disallowed_disk_types",
];

/// Name, the fields the service fixes at creation, and the architecture.
fn identity_rows(
    ui: &mut Ui,
    form: &mut Form<'_>,
    definition: &mut ImageDefinition,
    (path, presence): (&ResourcePath, Presence),
    out: &mut Vec<Intent>,
) {
    name_row(
        form,
        ui,
        "Name",
        &mut definition.name,
        "letters, digits, -, _ and .",
        presence,
        path,
        out,
    );
    form.fixed(
        ui,
        "Publisher",
        "publisher",
        &definition.publisher,
        "image definition",
    );
    form.fixed(ui, "Offer", "offer", &definition.offer, "image definition");
    form.fixed(ui, "SKU", "sku", &definition.sku, "image definition");
    form.fixed(
        ui,
        "OS type",
        "os_type",
        label_of(&OS_TYPES, &definition.os_type),
        "image definition",
    );
    form.fixed(
        ui,
        "OS state",
        "os_state",
        label_of(&OS_STATES, &definition.os_state),
        "image definition",
    );
    form.fixed(
        ui,
        "Hyper-V generation",
        "generation",
        label_of(&GENERATIONS, &definition.generation),
        "image definition",
    );
    form.choice(
        ui,
        "Architecture",
        "architecture",
        &mut definition.architecture,
        &ARCHITECTURES,
    );
}

/// Description, release notes, EULA and privacy statement.
fn documentation_rows(ui: &mut Ui, form: &mut Form<'_>, definition: &mut ImageDefinition) {
    form.multiline(
        ui,
        "Description",
        "description",
        &mut definition.description,
        "",
    );
    form.multiline(
        ui,
        "Release notes",
        "release_notes",
        &mut definition.release_notes,
        "What changed in each version",
    );
    form.text(
        ui,
        "Release notes URI",
        "release_note_uri",
        &mut definition.release_note_uri,
        "https://…",
    );
    form.text(ui, "EULA", "eula", &mut definition.eula, "");
    form.text(
        ui,
        "Privacy statement URI",
        "privacy_uri",
        &mut definition.privacy_uri,
        "https://…",
    );
}

/// Recommended vCPUs and memory, end of life and disallowed disk types.
fn recommendation_rows(
    ui: &mut Ui,
    form: &mut Form<'_>,
    definition: &mut ImageDefinition,
    today: Date,
) {
    form.optional_number(
        ui,
        "Recommended vCPUs, minimum",
        "vcpus",
        &mut definition.vcpus_min,
        1,
        " vCPUs",
    );
    form.optional_number(
        ui,
        "Recommended vCPUs, maximum",
        "vcpus",
        &mut definition.vcpus_max,
        16,
        " vCPUs",
    );
    form.optional_number(
        ui,
        "Recommended memory, minimum",
        "memory_gb",
        &mut definition.memory_gb_min,
        1,
        " GB",
    );
    form.optional_number(
        ui,
        "Recommended memory, maximum",
        "memory_gb",
        &mut definition.memory_gb_max,
        32,
        " GB",
    );
    form.optional_date(
        ui,
        "End of life",
        "end_of_life",
        &mut definition.end_of_life,
        end_of_life_default(today),
    );
    form.row(
        ui,
        "Disallowed disk types",
        Some("disallowed_disk_types"),
        |ui, id| {
            ui.horizontal_wrapped(|ui| {
                let mut response = ui.weak("").labelled_by(id);
                for disk in DiskType::ALL {
                    let mut on = definition.disallowed_disk_types.contains(&disk);
                    if ui.checkbox(&mut on, format!("{disk:?}")).changed() {
                        if on {
                            definition.disallowed_disk_types.push(disk);
                            definition.disallowed_disk_types.sort();
                        } else {
                            definition.disallowed_disk_types.retain(|d| *d != disk);
                        }
                        response.mark_changed();
                    }
                }
                response
            })
            .inner
        },
    );
}

/// The number of versions and which one "latest" resolves to, with Deploy….
fn versions_line(ui: &mut Ui, cx: &ViewCx<'_>, path: &ResourcePath, out: &mut Vec<Intent>) {
    let ws = cx.ws;
    if let Some(Resource::Definition(_, stored)) = ws.resolve(path) {
        let latest_name = latest::latest(stored, None).map(|v| v.name.as_str());
        ui.horizontal(|ui| {
            ui.label(format!(
                "{}; latest: {}",
                crate::words::count(stored.versions.len(), "version", "versions"),
                latest_name.unwrap_or("none")
            ));
            let target = Target::Resource(path.clone());
            action_button(ui, cx, UserAction::Deploy, &target, out);
        });
    }
}
