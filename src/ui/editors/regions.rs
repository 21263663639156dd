//! The target regions of a version: a table with replica count, storage type, latest flag and
//! replication state per region (regions are added with `widgets/region_picker.rs`).

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::ui::actions::UserAction;
use crate::ui::editors::context::read_only;
use crate::ui::intent::{Intent, ReplicationRequest, Target};
use crate::ui::view::ViewCx;
use crate::ui::widgets::action::action_button;
use crate::ui::widgets::form::{
    Form, number_committed, number_field, severity_color, severity_icon,
};
use crate::ui::widgets::job_button::job_button;

use crate::model::{
    ImageVersion, Problem, Region, RegionState, ResourcePath, StorageType, TargetRegion,
};
use crate::replication::Speed;
use crate::ui::tasks::simulation::{Live, StateSource};
use crate::ui::widgets::WhyDisabled;
use crate::ui::widgets::clock_words;
use crate::words::count;

/// Draws the table (its problems above it). The replication column shows the live status
/// (`live`), which may be newer than the draft's.
pub fn target_regions_ui(
    ui: &mut Ui,
    version: &mut ImageVersion,
    source_region: Option<Region>,
    form: &mut Form<'_>,
    (path, live): (&ResourcePath, &Live<'_>),
    out: &mut Vec<Intent>,
) {
    for problem in form
        .problems
        .iter()
        .filter(|p| p.field == Some("target_regions") && p.region.is_none())
    {
        ui.label(
            RichText::new(format!(
                "{} {}",
                severity_icon(problem.severity),
                problem.message
            ))
            .color(severity_color(ui, problem.severity)),
        );
    }

    // The source region first, then the others in their saved order.
    let mut order: Vec<usize> = (0..version.target_regions.len()).collect();
    order.sort_by_key(|i| Some(version.target_regions[*i].region) != source_region);
    let default_count = version.default_replica_count;
    let version_storage = version.storage_type;
    let version_excluded = version.exclude_from_latest;
    let mut remove = None;
    // What shows of the editor (it scrolls sideways, so more may be available than shows).
    let shown = ui
        .available_width()
        .min(ui.clip_rect().right() - ui.cursor().left());
    let stacked = shown < STACK_BELOW;
    // The stored version decides (with its regions' live state), as the edit will.
    let protected = |region| {
        live.version
            .and_then(|v| crate::model::fixed::region_removal_refused(v, region))
    };
    let line = ui.spacing().interact_size.y + 4.0;
    let row_height = if stacked { 2.0 * line } else { line };
    table(ui, stacked.then_some(shown)).body(|body| {
        body.rows(row_height, order.len(), |mut row| {
            let index = order[row.index()];
            let target: &mut TargetRegion = &mut version.target_regions[index];
            let region = target.region;
            let is_source = Some(region) == source_region;
            let problems = form.problems;
            if stacked {
                row.col(|ui| {
                    ui.vertical(|ui| {
                        ui.horizontal(|ui| region_cell(ui, target, is_source, problems));
                        ui.horizontal(|ui| replication_col(ui, (path, live), target, out));
                    });
                });
                row.col(|ui| {
                    ui.vertical(|ui| {
                        ui.horizontal(|ui| {
                            form.changed |= replicas_cell(ui, target, default_count);
                        });
                        if remove_cell(ui, region, is_source, protected(region)) {
                            remove = Some(index);
                        }
                    });
                });
                row.col(|ui| {
                    ui.vertical(|ui| {
                        form.changed |= storage_cell(ui, target, version_storage);
                        form.changed |= latest_cell(ui, target, version_excluded);
                    });
                });
            } else {
                row.col(|ui| region_cell(ui, target, is_source, problems));
                row.col(|ui| form.changed |= replicas_cell(ui, target, default_count));
                row.col(|ui| form.changed |= storage_cell(ui, target, version_storage));
                row.col(|ui| form.changed |= latest_cell(ui, target, version_excluded));
                row.col(|ui| replication_col(ui, (path, live), target, out));
                row.col(|ui| {
                    if remove_cell(ui, region, is_source, protected(region)) {
                        remove = Some(index);
                    }
                });
            }
        });
    });
    if let Some(index) = remove {
        version.target_regions.remove(index);
        form.changed = true;
    }
}

/// Below this width the table puts each region on two lines (its replication under its name,
/// Remove under its replica count, its latest setting under its storage type): beside the tree
/// and the cost panel in a 1000-point window, six columns left Replication and Remove to a
/// sideways scroll.
const STACK_BELOW: f32 = 680.0;

/// The table's columns and header: six, or three when `stacked` (the width that shows).
fn table(ui: &mut Ui, stacked: Option<f32>) -> egui_extras::Table<'_> {
    const REPLICAS: f32 = 100.0;
    const STORAGE: f32 = 125.0;
    let gap = ui.spacing().item_spacing.x;
    let builder = TableBuilder::new(ui)
        .id_salt(("target-regions", stacked.is_some()))
        .vscroll(false)
        .striped(true)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
    let (builder, titles): (_, &[&str]) = if let Some(shown) = stacked {
        // The region and its replication take what the other two leave of what shows.
        let region = (shown - REPLICAS - STORAGE - 3.0 * gap).max(140.0);
        let builder = builder
            .column(Column::exact(region).clip(true))
            .column(Column::exact(REPLICAS).clip(true))
            .column(Column::exact(STORAGE).clip(true));
        let titles: &[&str] = &["Region · replication", "Replicas", "Storage · latest"];
        (builder, titles)
    } else {
        // Narrow enough for a 1000-point window beside the tree: the replication column takes
        // what is left (its details cut, whole on hover) and Remove stays in view.
        let builder = builder
            .column(Column::auto().at_least(140.0))
            .column(Column::auto().at_least(100.0))
            .column(Column::auto().at_least(120.0))
            .column(Column::auto().at_least(100.0))
            .column(Column::remainder().at_least(110.0).clip(true))
            .column(Column::auto());
        let titles: &[&str] = &["Region", "Replicas", "Storage", "Latest", "Replication", ""];
        (builder, titles)
    };
    builder.header(22.0, |mut header| {
        for title in titles {
            header.col(|ui| {
                ui.strong(*title);
            });
        }
    })
}

/// A region's replication: its live state, the simulation's Retry or Cancel, and where the
/// state comes from.
fn replication_col(
    ui: &mut Ui,
    (path, live): (&ResourcePath, &Live<'_>),
    target: &TargetRegion,
    out: &mut Vec<Intent>,
) {
    let region = target.region;
    let shown = live.target(region).unwrap_or(target);
    let source = live.source(region);
    // Retry and Cancel act on the simulation: Azure's replication is Azure's.
    if source == StateSource::Simulated
        && let Some(request) = job_button(ui, path, region, shown.status.state)
    {
        out.push(Intent::Replication(request));
    }
    // Azure's regions exist: never "not created", and no simulated time left.
    let simulated = source == StateSource::Simulated;
    let waiting = live.waiting(path, shown).filter(|_| simulated);
    let left = live
        .remaining_secs(shown)
        .filter(|_| waiting.is_none() && simulated);
    replication_cell(ui, shown, (left, live.speed), waiting.as_deref());
    // A simulated time left already says "simulated".
    if left.is_none() {
        ui.weak(source.label(live.now))
            .on_hover_text(source.explain());
    }
}

/// The region's name, "source", and marks for its problems.
fn region_cell(ui: &mut Ui, target: &TargetRegion, is_source: bool, problems: &[Problem]) {
    let region = target.region;
    ui.label(region.display_name()).on_hover_text(format!(
        "{} · {}",
        region.name(),
        region.info().geography
    ));
    if is_source {
        ui.weak("source")
            .on_hover_text("The source image's region must stay a target region");
    }
    let sets = target.disk_encryption_sets();
    if !sets.is_empty() {
        ui.weak("encrypted").on_hover_text(format!(
            "Replicas in {} are encrypted with customer-managed keys: {}",
            region.display_name(),
            sets.join("; ")
        ));
    }
    for problem in problems.iter().filter(|p| p.region == Some(region)) {
        ui.label(
            RichText::new(severity_icon(problem.severity))
                .color(severity_color(ui, problem.severity)),
        )
        .on_hover_text(&problem.message);
    }
}

/// The replica count (or the version's default); returns whether it changed.
fn replicas_cell(ui: &mut Ui, target: &mut TargetRegion, default_count: u32) -> bool {
    let name = target.region.display_name();
    let mut changed = false;
    let before = target.replicas.unwrap_or(default_count);
    let mut count = before;
    let response = ui
        .add(number_field(&mut count).range(1..=100))
        .on_hover_text(if target.replicas.is_some() {
            "Replicas in this region"
        } else {
            "Uses the version's default replica count"
        });
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::SpinButton, true, format!("Replicas in {name}"))
    });
    // The draft follows a drag as it goes; the edit is stored once it ended (Enter, the field
    // left, the drag let go), as one undo step and one replication job.
    if count != before {
        target.replicas = Some(count);
    }
    if number_committed(&response) {
        changed = true;
    }
    if target.replicas.is_none() {
        ui.weak("default");
    } else if ui
        .small_button("↺")
        .on_hover_text("Use the default replica count")
        .clicked()
    {
        target.replicas = None;
        changed = true;
    }
    changed
}

/// The region's storage type (or the version's); returns whether it changed.
fn storage_cell(ui: &mut Ui, target: &mut TargetRegion, version_storage: StorageType) -> bool {
    let (name, region) = (target.region.display_name(), target.region);
    // The version's own value, when followed, is shown in italics (its tooltip says so).
    let text = match target.storage_type {
        Some(s) => RichText::new(s.label()),
        None => RichText::new(version_storage.label()).italics(),
    };
    let mut changed = false;
    egui::ComboBox::from_id_salt(("storage", region))
        .width(110.0)
        .selected_text(text)
        .show_ui(ui, |ui| {
            let default = format!("Default ({})", version_storage.label());
            if ui
                .selectable_label(target.storage_type.is_none(), default)
                .clicked()
            {
                target.storage_type = None;
                changed = true;
            }
            for s in StorageType::ALL {
                let mut option = ui.selectable_label(target.storage_type == Some(s), s.label());
                if s == StorageType::Standard_ZRS && !region.offers_zrs() {
                    option = option.on_hover_text(format!(
                        "{name} has no availability zones: the service refuses ZRS here"
                    ));
                }
                if option.clicked() {
                    target.storage_type = Some(s);
                    changed = true;
                }
            }
        })
        .response
        .on_hover_text(if target.storage_type.is_none() {
            "The version's storage type (its default)"
        } else {
            "This region's own storage type"
        })
        .widget_info(|| {
            egui::WidgetInfo::labeled(
                egui::Role::ComboBox,
                true,
                format!("Storage type in {name}"),
            )
        });
    changed
}

/// Whether "latest" may pick the version in this region; returns whether it changed.
fn latest_cell(ui: &mut Ui, target: &mut TargetRegion, version_excluded: bool) -> bool {
    let (name, region) = (target.region.display_name(), target.region);
    let word = |excluded: bool| if excluded { "Excluded" } else { "Included" };
    // Following the version: in italics, as the storage type that follows it.
    let text = match target.exclude_from_latest {
        None => RichText::new(word(version_excluded)).italics(),
        Some(excluded) => RichText::new(word(excluded)),
    };
    let hover = match target.exclude_from_latest {
        None => "Follows the version's \"Exclude from latest\"",
        Some(true) => "Excluded here: \"latest\" in this region never picks this version",
        Some(false) => "Included here, whatever the version says",
    };
    let mut changed = false;
    egui::ComboBox::from_id_salt(("latest", region))
        .width(80.0)
        .selected_text(text)
        .show_ui(ui, |ui| {
            for (value, label) in [
                (None, "Follow the version"),
                (Some(false), "Included here"),
                (Some(true), "Excluded here"),
            ] {
                if ui
                    .selectable_label(target.exclude_from_latest == value, label)
                    .clicked()
                {
                    target.exclude_from_latest = value;
                    changed = true;
                }
            }
        })
        .response
        .on_hover_text(hover)
        .widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::ComboBox, true, format!("Latest in {name}"))
        });
    changed
}

/// Remove (disabled for the source region); returns whether it was clicked.
/// Remove, disabled with the reason when the region is the source or holds replicas the
/// version protects (`protected`, the service's words).
fn remove_cell(ui: &mut Ui, region: Region, is_source: bool, protected: Option<String>) -> bool {
    let name = region.display_name();
    let enabled = !is_source && protected.is_none();
    let button = ui.add_enabled(enabled, egui::Button::new("Remove"));
    let button = if is_source {
        button.why_disabled("The source region cannot be removed")
    } else {
        button.why_disabled(protected.unwrap_or_default())
    };
    button.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Button, enabled, format!("Remove {name}"))
    });
    button.clicked()
}

/// "Retry failed regions" when any region of the stored version failed, and "Deploy…".
pub fn version_replication_buttons(
    ui: &mut Ui,
    cx: &ViewCx<'_>,
    path: &ResourcePath,
    stored: &ImageVersion,
    out: &mut Vec<Intent>,
) {
    let failed = stored
        .target_regions
        .iter()
        .filter(|t| t.status.state == RegionState::Failed)
        .count();
    // Retrying changes the version in Azure: it needs what editing it needs.
    let refusal = read_only(cx, path);
    if failed > 0
        && ui
            .add_enabled(refusal.is_none(), egui::Button::new("Retry failed regions"))
            .on_hover_text(format!(
                "Queue the {} again",
                count(failed, "failed region", "failed regions")
            ))
            .why_disabled(refusal.as_deref().unwrap_or_default())
            .clicked()
    {
        out.push(Intent::Replication(ReplicationRequest::Retry(
            path.clone(),
            None,
        )));
    }
    let target = Target::Resource(path.clone());
    action_button(ui, cx, UserAction::Deploy, &target, out);
}

/// State and progress of one region's replication, with the time left when known; `waiting`
/// is the details of a region not created because of validation errors.
pub fn replication_cell(
    ui: &mut Ui,
    target: &TargetRegion,
    (remaining_secs, speed): (Option<f64>, Speed),
    waiting: Option<&str>,
) {
    let status = &target.status;
    if let Some(details) = waiting {
        ui.label(RichText::new(crate::replication::NOT_CREATED).color(ui.visuals().warn_fg_color))
            .on_hover_text(details);
        return;
    }
    match status.state {
        RegionState::Completed if status.replicas_ready.is_some() => {
            ui.add(
                egui::ProgressBar::new(f32::from(status.progress) / 100.0)
                    .desired_width(100.0)
                    .text(format!("{} %", status.progress)),
            );
        }
        RegionState::Completed => {
            ui.label(RichText::new("✔ Completed").color(crate::ui::theme::completed(ui.visuals())));
        }
        RegionState::Failed => {
            ui.label(RichText::new("✖ Failed").color(ui.visuals().error_fg_color))
                .on_hover_text(&status.details);
        }
        RegionState::Replicating | RegionState::Queued => {
            let text = if status.state == RegionState::Queued {
                "Queued".to_owned()
            } else {
                format!("{} %", status.progress)
            };
            ui.add(
                egui::ProgressBar::new(f32::from(status.progress) / 100.0)
                    .desired_width(100.0)
                    .text(text),
            );
        }
        RegionState::Unknown => {
            ui.weak("Not started");
        }
    }
    if let Some(left) = remaining_secs {
        ui.label(clock_words::time_left(left, speed))
            .on_hover_text(clock_words::SIMULATED_HINT);
    }
    if !status.details.is_empty() {
        crate::ui::widgets::form::cut_label(
            ui,
            RichText::new(&status.details).weak(),
            &status.details,
        );
    }
}
