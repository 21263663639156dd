//! The version editor.

use egui::{RichText, Ui};

use crate::model::{Date, ImageVersion, ManagedImage, Presence, Resource, ResourcePath};
use crate::ui::actions::UserAction;
use crate::ui::editors::VersionState;
use crate::ui::editors::azure;
use crate::ui::editors::context::{
    editable, end_of_life_default, grid, heading, name_row, other_problems, read_only,
};
use crate::ui::editors::regions::target_regions_ui;
use crate::ui::intent::{DialogRequest, Intent, Target};
use crate::ui::tasks::simulation::Live;
use crate::ui::view::ViewCx;
use crate::ui::widgets::action::action_button;
use crate::ui::widgets::form::{CAPTURES, Form, MODES, label_of};
use crate::words::count;

pub(in crate::ui::editors) fn version_ui(
    ui: &mut Ui,
    cx: &ViewCx<'_>,
    path: &ResourcePath,
    version: &mut ImageVersion,
    form: &mut Form<'_>,
    state: &mut VersionState,
    out: &mut Vec<Intent>,
) {
    let ws = cx.ws;
    let live = Live::new(cx, path);
    let read_only = read_only(cx, path);
    heading(ui, cx, "image version", path);
    let source = ws.managed_image(&version.source);
    let stored_definition = match ws.resolve(path) {
        Some(Resource::Version(_, d, _)) => Some(d),
        _ => None,
    };
    if stored_definition.is_some() {
        let is_latest = state.latest.as_deref() == Some(version.name.as_str());
        ui.horizontal(|ui| {
            let stored = live.version.unwrap_or(&*version);
            ui.label(format!("Replication: {}", stored.aggregate_state().label()));
            if is_latest {
                ui.label(RichText::new("latest").strong());
            }
            // What Azure reports against the version, as in the tree (the whole reason is the
            // version's warning, below the fields).
            if let Some(why) = version.flagged() {
                ui.label(RichText::new("flagged").color(ui.visuals().warn_fg_color))
                    .on_hover_text(format!("Azure flags this version: {why}"));
            }
            crate::ui::editors::regions::version_replication_buttons(ui, cx, path, stored, out);
        });
    }
    let today = cx.today;
    editable(ui, read_only.as_deref(), |ui| {
        grid(ui, "version-form", |ui| {
            let presence = cx.ws.presence(path).unwrap_or_default();
            form_rows(ui, form, version, source, today, (path, presence, out));
        });
    });
    let fields: Vec<&str> = FIELDS.into_iter().chain(azure::VERSION_FIELDS).collect();
    other_problems(ui, form.problems, &fields);
    ui.add_space(10.0);
    ui.heading("Target regions");
    // The cost of the draft, before it is stored (the what-if): two rows whatever it says.
    state.what_if.ui(ui, ws, cx.edit_generation, path, version);
    let source_region = source
        .map(|m| m.region)
        .or_else(|| version.azure_source.as_ref().and_then(|a| a.region));
    let mut add_regions = false;
    ui.horizontal(|ui| {
        editable(ui, read_only.as_deref(), |ui| {
            add_regions = ui
                .button("Add regions…")
                .on_hover_text("Pick target regions from the catalog")
                .clicked();
        });
        let target = Target::Resource(path.clone());
        action_button(ui, cx, UserAction::PlanReplicas, &target, out);
        action_button(ui, cx, UserAction::HandOff, &target, out);
        ui.weak(region_counts(version));
    });
    editable(ui, read_only.as_deref(), |ui| {
        target_regions_ui(ui, version, source_region, form, (path, &live), out);
    });
    if add_regions {
        out.push(Intent::Open(DialogRequest::AddRegions(path.clone())));
    }
    if form.changed {
        ui.ctx().request_repaint();
    }
}

/// "14 regions, 30 replicas in all".
fn region_counts(version: &ImageVersion) -> String {
    let replicas: u32 = version
        .target_regions
        .iter()
        .map(|t| version.replica_count(t))
        .sum();
    format!(
        "{}, {} in all",
        count(version.target_regions.len(), "region", "regions"),
        count(replicas as usize, "replica", "replicas")
    )
}

/// The fields the form shows (the target regions have their own table).
const FIELDS: [&str; 11] = [
    "name",
    "source",
    "storage_type",
    "replication_mode",
    "published",
    "end_of_life",
    "exclude_from_latest",
    "default_replica_count",
    "allow_deletion_of_replicated_locations",
    "retention_exempt",
    "target_regions",
];

/// The version's own fields: name, what the service fixes at creation, dates and flags.
fn form_rows(
    ui: &mut Ui,
    form: &mut Form<'_>,
    version: &mut ImageVersion,
    source: Option<&ManagedImage>,
    today: Date,
    (path, presence, out): (&ResourcePath, Presence, &mut Vec<Intent>),
) {
    name_row(
        form,
        ui,
        "Version",
        &mut version.name,
        "Major.Minor.Patch, e.g. 1.0.0",
        presence,
        path,
        out,
    );
    let source_text = match source {
        Some(image) => format!(
            "{} ({}, {} GB occupied, {})",
            image.name,
            image.region.display_name(),
            image.occupied_gb,
            label_of(&CAPTURES, &image.capture)
        ),
        None => match &version.azure_source {
            Some(azure) if version.source.is_empty() => match azure.size_gb() {
                Some(gb) => format!("{azure} ({gb} GB in Azure)"),
                None => format!("{azure} (size unknown: the payload gave none)"),
            },
            _ => format!("{} (not in this workspace)", version.source),
        },
    };
    form.fixed(
        ui,
        "Source managed image",
        "source",
        &source_text,
        "image version",
    );
    form.fixed(
        ui,
        "Storage type",
        "storage_type",
        version.storage_type.label(),
        "image version",
    );
    form.fixed(
        ui,
        "Replication mode",
        "replication_mode",
        label_of(&MODES, &version.replication_mode),
        "image version",
    );
    form.optional_date(ui, "Published", "published", &mut version.published, today);
    form.optional_date(
        ui,
        "End of life",
        "end_of_life",
        &mut version.end_of_life,
        end_of_life_default(today),
    );
    form.checkbox(
        ui,
        "Exclude from latest",
        "exclude_from_latest",
        &mut version.exclude_from_latest,
        "Never picked as \"latest\" (regions may override)",
    );
    let unit = if version.default_replica_count == 1 {
        " replica"
    } else {
        " replicas"
    };
    form.number(
        ui,
        "Default replica count",
        "default_replica_count",
        &mut version.default_replica_count,
        1..=100,
        unit,
    );
    form.checkbox(
        ui,
        "Replicated regions",
        "allow_deletion_of_replicated_locations",
        &mut version.allow_deletion_of_replicated_locations,
        "Allow removing regions that hold replicas",
    );
    form.checkbox(
        ui,
        "Retention",
        "retention_exempt",
        &mut version.retention_exempt,
        "Never remove this version in retention",
    );
    azure::version_rows(form, ui, version, presence);
}
