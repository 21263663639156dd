//! The workspace settings page (`workspace:settings`): the region policy, replica guidance, the
//! defaults of new definitions and the replication time model, each change one undoable
//! `Edit::SetSettings`; whom the app acts as and the prices are shown with where they change.

use egui::{RichText, Ui};

use crate::memo::Memo;
use crate::model::{DefinitionDefaults, Problem, ResourcePath, Settings, TimeModel, Workspace};
use crate::ui::editors::context::grid;
use crate::ui::editors::region_policy::region_policy_ui;
use crate::ui::widgets::form::{Form, number_committed, number_field};

/// The page's state between frames: the draft of the numbers being typed or dragged, and the
/// region search.
#[derive(Default)]
pub struct SettingsEditor {
    /// The settings as typed, by the edit generation they were loaded at.
    draft: Memo<u64, Settings>,
    search: String,
}

impl SettingsEditor {
    /// Draws the page; returns the settings to store (one undo step) and the notice to show.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        ws: &Workspace,
        edit_generation: u64,
        problems: &[Problem],
        focus: &mut Option<&'static str>,
    ) -> Option<(Settings, String)> {
        let stored = &ws.settings;
        let draft = self.draft.get(edit_generation, |_| stored.clone());
        ui.heading("Workspace settings");
        ui.weak(ResourcePath::Settings.to_string());
        ui.add_space(6.0);
        ui.label("They apply to the whole workspace and are saved in its file; each change is one undo step.");
        let mut change = None;

        section(ui, "Region policy");
        let policy = region_policy_ui(ui, ws, stored.region_policy.as_ref(), &mut self.search);
        if let Some((region_policy, notice)) = policy {
            change = Some((
                Settings {
                    region_policy,
                    ..stored.clone()
                },
                notice,
            ));
        }

        section(ui, "Replicas and new definitions");
        let mut form = Form::new(problems, focus);
        let mut commit = false;
        grid(ui, "settings-replicas", |ui| {
            commit |= replica_rows(ui, &mut form, draft);
            commit |= defaults_row(ui, &mut form, &mut draft.new_definitions);
        });

        section(ui, "Replication time model");
        ui.weak("How long the simulation takes to replicate: a copy's throughput depends on how far it travels.");
        grid(ui, "settings-time-model", |ui| {
            commit |= time_model_rows(ui, &mut form, &mut draft.time_model);
        });
        for problem in draft.time_model.problems() {
            ui.colored_label(ui.visuals().error_fg_color, problem);
        }

        section(ui, "Set elsewhere");
        elsewhere_ui(ui, stored);

        if change.is_none() && commit && draft.time_model.problems().is_empty() {
            // Only what this page edits: the rest (whom the app acts as, the prices) stays as
            // stored, whatever the draft was loaded with.
            let updated = Settings {
                replica_warning_above: draft.replica_warning_above,
                vms_per_replica: draft.vms_per_replica,
                new_definitions: draft.new_definitions,
                time_model: draft.time_model.clone(),
                ..stored.clone()
            };
            if updated != *stored {
                change = Some((updated, "Changed the workspace settings".to_owned()));
            }
        }
        change
    }
}

fn section(ui: &mut Ui, title: &str) {
    ui.add_space(12.0);
    ui.label(RichText::new(title).heading());
    ui.add_space(4.0);
}

/// A number dragged or typed: returns whether an edit of it ended (a drag is one undo step).
#[allow(clippy::too_many_arguments)] // One row: each argument is a part of it.
fn number_row<N: egui::emath::Numeric>(
    ui: &mut Ui,
    form: &mut Form<'_>,
    label: &str,
    field: &'static str,
    value: &mut N,
    range: std::ops::RangeInclusive<N>,
    unit: &str,
    hint: &str,
) -> bool {
    let mut ended = false;
    form.row(ui, label, Some(field), |ui, id| {
        let response = ui
            .add(number_field(value).range(range).suffix(unit))
            .labelled_by(id)
            .on_hover_text(hint);
        ended = number_committed(&response);
        response
    });
    ended
}

fn replica_rows(ui: &mut Ui, form: &mut Form<'_>, settings: &mut Settings) -> bool {
    let warn = number_row(
        ui,
        form,
        "Warn above",
        "replica_warning_above",
        &mut settings.replica_warning_above,
        1..=1000,
        " replicas in a region",
        "More replicas in one region are allowed, but validation warns (the docs: 50 should be sufficient)",
    );
    let vms = number_row(
        ui,
        form,
        "VMs per replica",
        "vms_per_replica",
        &mut settings.vms_per_replica,
        1..=1000,
        " VMs created at once",
        "Scaling guidance the replica planner uses: one replica per this many VMs created at the same time (the docs say 20; newer text 50)",
    );
    warn || vms
}

fn defaults_row(ui: &mut Ui, form: &mut Form<'_>, defaults: &mut DefinitionDefaults) -> bool {
    let mut changed = false;
    form.row(ui, "New definitions", Some("new_definitions"), |ui, id| {
        ui.vertical(|ui| {
            for (choice, text) in [
                (
                    DefinitionDefaults::TrustedLaunchSupported,
                    "Generation V2, TrustedLaunchSupported",
                ),
                (DefinitionDefaults::Classic, "Generation V1, Standard"),
            ] {
                let response = ui
                    .radio_value(defaults, choice, text)
                    .on_hover_text(choice.reason());
                changed |= response.changed();
            }
        })
        .response
        .labelled_by(id)
    });
    changed
}

fn time_model_rows(ui: &mut Ui, form: &mut Form<'_>, t: &mut TimeModel) -> bool {
    let mut ended = false;
    ended |= number_row(
        ui,
        form,
        "Queue time",
        "time_model.queue_secs",
        &mut t.queue_secs,
        0.0..=86_400.0,
        " s",
        "How long a job waits in Queued before data starts to move",
    );
    for (label, field, value, hint) in [
        (
            "Local copy",
            "time_model.local_mb_per_sec",
            &mut t.local_mb_per_sec,
            "The first replica in the source region and every extra replica",
        ),
        (
            "Same geography",
            "time_model.same_geography_mb_per_sec",
            &mut t.same_geography_mb_per_sec,
            "A first copy into a region of the source's geography (e.g. United States)",
        ),
        (
            "Same continent",
            "time_model.same_continent_mb_per_sec",
            &mut t.same_continent_mb_per_sec,
            "A first copy into another geography of the same continent (e.g. United States to Canada)",
        ),
        (
            "Across continents",
            "time_model.cross_continent_mb_per_sec",
            &mut t.cross_continent_mb_per_sec,
            "A first copy across continents (e.g. United States to Europe)",
        ),
        (
            "Source outbound",
            "time_model.source_outbound_mb_per_sec",
            &mut t.source_outbound_mb_per_sec,
            "What a source region sends at most, shared by every first copy running from it",
        ),
    ] {
        ended |= number_row(
            ui,
            form,
            label,
            field,
            value,
            0.1..=100_000.0,
            " MB/s",
            hint,
        );
    }
    ended |= number_row(
        ui,
        form,
        "Shallow replication",
        "time_model.shallow_secs",
        &mut t.shallow_secs,
        0.0..=86_400.0,
        " s",
        "How long a Shallow replication takes (no data is copied)",
    );
    ended |= number_row(
        ui,
        form,
        "Failure rate",
        "time_model.failure_rate",
        &mut t.failure_rate,
        0.0..=1.0,
        "",
        "The chance (0 to 1) that a copy attempt fails part way; the simulation's seed makes it reproducible",
    );
    ended
}

/// Settings changed elsewhere, with where.
fn elsewhere_ui(ui: &mut Ui, settings: &Settings) {
    grid(ui, "settings-elsewhere", |ui| {
        ui.label("Acting as");
        ui.label(format!(
            "{} (change it with Acting as in the status bar)",
            settings
                .acting_as
                .as_deref()
                .unwrap_or("the workspace owner")
        ));
        ui.end_row();
        ui.label("Prices");
        let overrides = settings.prices.transfer_overrides.len();
        let which = if settings.prices == crate::model::PriceTable::default() {
            "Default estimates".to_owned()
        } else {
            format!(
                "Changed in this workspace ({})",
                crate::words::count(overrides, "region pair", "region pairs")
            )
        };
        ui.label(format!(
            "{which} (edit them in the cost view: View → Cost, Ctrl+K)"
        ));
        ui.end_row();
    });
}
