//! The status bar: notices (with Undo), saving, the connection to Azure (and a read's
//! progress), the simulation's speed and jobs, whether the work is saved, counts, the file, and
//! whom the app acts as. It owns the current notice.

use std::time::{Duration, Instant};

use egui::{RichText, Ui};

use crate::replication::Speed;
use crate::ui::actions::UserAction;
use crate::ui::editors::access::acting_as_ui;
use crate::ui::intent::{AzureRequest, Intent, ReplicationRequest, Target};
use crate::ui::panels::problems::counts;
use crate::ui::tasks::azure::ago;
use crate::ui::view::ViewCx;
use crate::ui::widgets::action::action_button;
use crate::words::count;

/// A short notice, optionally with an Undo button, shown until `until`.
pub struct Notice {
    pub text: String,
    pub undo: bool,
    pub until: Instant,
}

#[derive(Default)]
pub struct StatusBar {
    pub notice: Option<Notice>,
}

impl StatusBar {
    /// Shows `text` for `secs` seconds (with an Undo button when `undo`).
    pub fn notify(&mut self, text: String, undo: bool, secs: u64) {
        self.notice = Some(Notice {
            text,
            undo,
            until: crate::clock::now() + Duration::from_secs(secs),
        });
    }

    /// Drops an expired notice; asks for a repaint when the current one expires.
    pub fn expire(&mut self, ctx: &egui::Context) {
        if let Some(notice) = &self.notice {
            let now = crate::clock::now();
            if now >= notice.until {
                self.notice = None;
            } else {
                ctx.request_repaint_after(notice.until - now);
            }
        }
    }

    /// Draws the bar's content. The essentials (whom the app acts as, the counts, whether the
    /// work is saved) are laid out from the right, so a narrow window cuts the simulation's
    /// part first; notices are toasts ([`Self::toast_ui`]), and the file's path is on the save
    /// state's hover.
    pub fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        let (errors, warnings) = counts(cx.problems);
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            acting_as_ui(ui, cx.ws, out);
            ui.separator();
            ui.label(
                [
                    count(cx.ws.galleries.len(), "gallery", "galleries"),
                    count(cx.ws.version_count(), "version", "versions"),
                    count(errors, "error", "errors"),
                    count(warnings, "warning", "warnings"),
                ]
                .join(" · "),
            );
            ui.separator();
            let where_ = cx.doc.path.as_deref().map_or_else(
                || "Not saved to a file yet".to_owned(),
                |p| format!("File: {}", p.display()),
            );
            if cx.doc.has_user_changes() {
                ui.label("Unsaved changes").on_hover_text(where_);
            } else if cx.doc.is_dirty() {
                ui.label("Replication progress not saved").on_hover_text(format!(
                    "Nothing was edited since the last save; the simulated replication moved on. Save to keep its progress in the file. {where_}"
                ));
            } else {
                ui.label("Saved").on_hover_text(where_);
            }
            if cx.files.saving {
                ui.label("Saving…");
                ui.spinner();
            }
            ui.separator();
            azure_ui(ui, cx, out);
            ui.separator();
            // What is left, from the left: the simulation's part is cut to it (whole on
            // hover) rather than drawn under the essentials.
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                ui.shrink_clip_rect(ui.max_rect());
                self.notice_ui(ui, out);
                simulation_ui(ui, cx, out);
            });
        });
    }

    /// The current notice at the bar's left end, Undo first (a toast above the bar covered
    /// the Problems panel's rows, issue 24 item 10); the simulation's part follows it.
    fn notice_ui(&mut self, ui: &mut Ui, out: &mut Vec<Intent>) {
        let Some(notice) = &self.notice else {
            return;
        };
        let undone = notice.undo && ui.button("Undo").clicked();
        crate::ui::widgets::form::cut_label(ui, RichText::new(&notice.text).strong(), &notice.text);
        ui.separator();
        if undone {
            out.push(Intent::run(UserAction::Undo, Target::Workspace));
            self.notice = None;
        }
    }
}

/// The connection to Azure, laid out from the right: a read's progress with Cancel; the
/// subscription with when it was last read and Refresh; or Offline with Connect.
fn azure_ui(ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
    let azure = cx.azure;
    if let Some(read) = &azure.read {
        if ui
            .small_button("Stop reading")
            .on_hover_text("Stop reading Azure: nothing changes")
            .clicked()
        {
            out.push(Intent::Azure(AzureRequest::CancelRead));
        }
        ui.add(egui::ProgressBar::new(read.fraction()).desired_width(80.0))
            .on_hover_text(read.describe());
        ui.label("Reading Azure…").on_hover_text(read.describe());
        return;
    }
    let seen = cx.ws.azure.as_ref().map(|s| s.origin.describe());
    let seen = seen.map_or_else(
        || "Azure was never seen in this workspace.".to_owned(),
        |s| format!("Azure as last seen: {s}."),
    );
    match &azure.link {
        Some(link) => {
            action_button(ui, cx, UserAction::RefreshAzure, &Target::Workspace, out);
            let when = link.refreshed.map_or_else(String::new, |t| {
                format!(" · refreshed {}", ago(azure.now(), t))
            });
            ui.label(format!("Azure: {}{when}", link.short_name()))
                .on_hover_text(format!(
                    "Connected, read only, to subscription {} ({}) at {}{}. {seen}",
                    link.subscription.name,
                    link.subscription.id,
                    link.endpoint(),
                    link.resource_group
                        .as_ref()
                        .map_or_else(String::new, |rg| format!(", resource group {rg}")),
                ));
        }
        None => {
            action_button(ui, cx, UserAction::ConnectAzure, &Target::Workspace, out);
            ui.label("Offline").on_hover_text(format!(
                "Not connected to Azure: the app works offline, on the workspace file. Connect to Azure reads a subscription, read only. {seen}"
            ));
        }
    }
}

/// The simulation's speed control, its job counts (a link to the activity panel) and the
/// simulated outages.
fn simulation_ui(ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
    let current = cx.simulation.speed;
    let mut speed = current;
    let label = ui.label("Simulation speed");
    egui::ComboBox::from_id_salt("simulation-speed")
        .selected_text(speed.label())
        .width(70.0)
        .show_ui(ui, |ui| {
            for s in Speed::ALL {
                ui.selectable_value(&mut speed, s, s.label());
            }
        })
        .response
        .labelled_by(label.id)
        .on_hover_text(
            "Simulated time per second of real time (replication only runs while there is work)",
        );
    if speed != current {
        out.push(Intent::Replication(ReplicationRequest::SetSpeed(speed)));
    }
    let counts = cx.simulation.counts();
    let mut text = format!(
        "{} replicating · {} queued",
        counts.replicating, counts.queued
    );
    if counts.failed > 0 {
        text.push_str(&format!(" · {} failed", counts.failed));
    }
    if counts.waiting > 0 {
        text.push_str(&format!(" · {} not created", counts.waiting));
    }
    let outages = &cx.ws.simulation.outages;
    let outage = (!outages.is_empty()).then(|| {
        let names: Vec<&str> = outages.iter().map(|r| r.display_name()).collect();
        format!("⚠ Outage: {}", names.join(", "))
    });
    // The outage keeps room of its own: the job counts are cut first.
    let outage_room = outage
        .as_deref()
        .map_or(0.0, |o| crate::ui::widgets::text_width(ui, o) + 8.0);
    let color = if counts.failed > 0 || counts.waiting > 0 {
        ui.visuals().warn_fg_color
    } else {
        ui.visuals().hyperlink_color
    };
    let room = (ui.available_width() - outage_room).max(40.0);
    let jobs = ui
        .allocate_ui(egui::vec2(room, ui.spacing().interact_size.y), |ui| {
            ui.add(
                egui::Label::new(RichText::new(&text).color(color))
                    .truncate()
                    .show_tooltip_when_elided(false)
                    .sense(egui::Sense::click()),
            )
        })
        .inner
        .on_hover_cursor(egui::CursorIcon::PointingHand)
        .on_hover_text(format!("{text}: show the activity panel"));
    if jobs.clicked() {
        out.push(Intent::ShowActivity);
    }
    if let Some(outage) = outage {
        crate::ui::widgets::form::cut_label(
            ui,
            RichText::new(&outage).color(ui.visuals().warn_fg_color),
            &format!(
                "{outage}. Simulated outages (Simulation, Region outages): replication into or out of these regions fails until they are available again"
            ),
        );
    }
}
