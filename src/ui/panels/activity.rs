//! The activity panel (View, Activity): every queued, running, failed and completed replication
//! job with its progress and time remaining, Cancel and Retry, and the regions not created
//! because of validation errors. Only visible rows are drawn, so
//! tens of thousands of jobs cost no more than a screenful.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::model::RegionState;
use crate::replication::NOT_CREATED;
use crate::replication::Speed;
use crate::ui::intent::Intent;
use crate::ui::view::ViewCx;
use crate::ui::widgets::clock_words;

/// Draws the panel's content.
pub fn ui(ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
    let counts = cx.simulation.counts();
    let speed = cx.simulation.speed;
    let ws = cx.ws;
    let engine = &cx.simulation.engine;
    // The listed regions change only when the engine rebuilds (an edit or a replication request); each
    // visible row reads its state, progress and time left for the current instant.
    let keys = engine.listed();
    ui.horizontal(|ui| {
        ui.strong("Replication activity");
        ui.weak(summary(keys.len(), counts, speed));
        if ws.azure.is_some() {
            ui.weak(
                "· simulated jobs only: regions Azure reports show Azure's state in their version",
            );
        }
    });
    if keys.is_empty() {
        ui.weak("No replication jobs: add a version or a target region to start one.");
        return;
    }
    let row_height = ui.spacing().interact_size.y + 2.0;
    TableBuilder::new(ui)
        .id_salt("activity")
        .striped(true)
        .auto_shrink([false, true])
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
        .column(Column::initial(260.0).at_least(120.0).clip(true))
        .column(Column::initial(140.0).at_least(90.0).clip(true))
        .column(Column::exact(140.0))
        .column(Column::initial(200.0).at_least(120.0).clip(true))
        .column(Column::exact(170.0))
        .column(Column::remainder().at_least(120.0).clip(true))
        .header(20.0, |mut header| {
            for title in ["Version", "Region", "Progress", "Time", "", "Details"] {
                header.col(|ui| {
                    ui.strong(title);
                });
            }
        })
        .body(|body| {
            body.rows(row_height, keys.len(), |mut row| {
                let Some(job) = keys.get(row.index()).and_then(|key| engine.row(ws, *key)) else {
                    return;
                };
                let region = job.region.display_name();
                row.col(|ui| {
                    if ui
                        .link(job.path.to_string())
                        .on_hover_text("Select the version")
                        .clicked()
                    {
                        out.push(Intent::select(job.path.clone()));
                    }
                });
                row.col(|ui| {
                    ui.label(region);
                });
                row.col(|ui| match job.state {
                    _ if job.waiting => {
                        ui.label(RichText::new(NOT_CREATED).color(ui.visuals().warn_fg_color))
                            .on_hover_text(&job.details);
                    }
                    RegionState::Completed => {
                        ui.label(
                            RichText::new("✔ Completed")
                                .color(crate::ui::theme::completed(ui.visuals())),
                        );
                    }
                    RegionState::Failed => {
                        ui.label(RichText::new("✖ Failed").color(ui.visuals().error_fg_color));
                    }
                    state => {
                        let text = if state == RegionState::Replicating {
                            format!("{} %", job.progress)
                        } else {
                            state.label().to_owned()
                        };
                        ui.add(
                            egui::ProgressBar::new(f32::from(job.progress) / 100.0)
                                .desired_width(130.0)
                                .text(text),
                        );
                    }
                });
                row.col(|ui| {
                    match job.remaining_secs {
                        Some(left) => ui.label(clock_words::time_left(left, speed)),
                        None if job.waiting => ui.weak("waiting"),
                        None => ui.weak(clock_words::took(job.elapsed_secs)),
                    }
                    .on_hover_text(format!(
                        "{} of {} replicas ready · {}. {}",
                        job.replicas_ready,
                        job.replica_count,
                        clock_words::so_far(job.elapsed_secs),
                        clock_words::SIMULATED_HINT
                    ));
                });
                row.col(|ui| {
                    if let Some(request) = crate::ui::widgets::job_button::job_button(
                        ui, &job.path, job.region, job.state,
                    ) {
                        out.push(Intent::Replication(request));
                    }
                });
                row.col(|ui| {
                    if !job.details.is_empty() {
                        ui.label(RichText::new(&job.details).small())
                            .on_hover_text(&job.details);
                    }
                });
            });
        });
}

/// The activity panel's summary line.
fn summary(jobs: usize, counts: crate::replication::JobCounts, speed: Speed) -> String {
    let mut summary = format!(
        "{jobs} jobs · {} replicating · {} queued · {} failed",
        counts.replicating, counts.queued, counts.failed,
    );
    if counts.waiting > 0 {
        summary.push_str(&format!(" · {} not created", counts.waiting));
    }
    summary.push_str(&format!(" · simulation {}", speed.label()));
    summary
}
