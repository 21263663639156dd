//! The status bar: notices (with Undo), saving, the simulation's speed and jobs, whether the
//! work is saved, counts, the file, and whom the app acts as. It owns the current notice.

use std::time::{Duration, Instant};

use egui::Ui;

use crate::ui::actions::Action;
use crate::ui::command::{Command, PanelCx};
use crate::ui::editors::access::acting_as_ui;
use crate::ui::panels::problems::counts;
use crate::words::count;

/// A short notice, optionally with an Undo button, shown until `until`.
pub struct Notice {
    pub text: String,
    pub undo: bool,
    pub until: Instant,
}

/// What the status bar shows besides the workspace.
pub struct StatusFacts {
    pub saving: bool,
    pub dirty: bool,
    pub user_changes: bool,
    pub path: Option<String>,
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

    /// Draws the bar's content; `simulation` draws the speed control and job counts. The
    /// essentials (whom the app acts as, the counts, whether the work is saved) are laid out
    /// from the right, so a narrow window cuts the simulation's part first; notices are toasts
    /// ([`Self::toast_ui`]), and the file's path is on the save state's hover.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        cx: &PanelCx<'_>,
        facts: &StatusFacts,
        simulation: impl FnOnce(&mut Ui, &mut Vec<Command>),
        out: &mut Vec<Command>,
    ) {
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
            let where_ = facts
                .path
                .as_deref()
                .map_or_else(|| "Not saved to a file yet".to_owned(), |p| format!("File: {p}"));
            if facts.user_changes {
                ui.label("Unsaved changes").on_hover_text(where_);
            } else if facts.dirty {
                ui.label("Replication progress not saved").on_hover_text(format!(
                    "Nothing was edited since the last save; the simulated replication moved on. Save to keep its progress in the file. {where_}"
                ));
            } else {
                ui.label("Saved").on_hover_text(where_);
            }
            if facts.saving {
                ui.label("Saving…");
                ui.spinner();
            }
            ui.separator();
            ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                simulation(ui, out);
            });
        });
    }

    /// The current notice as a toast above the status bar's right end, with Undo when the
    /// change can be undone.
    pub fn toast_ui(&mut self, ctx: &egui::Context, out: &mut Vec<Command>) {
        let Some(notice) = &self.notice else {
            return;
        };
        let mut undone = false;
        egui::Area::new(egui::Id::unique("sig-studio-toast"))
            .anchor(egui::Align2::RIGHT_BOTTOM, [-16.0, -40.0])
            .order(egui::Order::Foreground)
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.label(&notice.text);
                        if notice.undo && ui.button("Undo").clicked() {
                            out.push(Command::Run(Action::Undo));
                            undone = true;
                        }
                    });
                });
            });
        if undone {
            self.notice = None;
        }
    }
}
