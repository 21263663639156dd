//! The status bar: notices (with Undo), saving, the simulation's speed and jobs, whether the
//! work is saved, counts, the file, and whom the app acts as. It owns the current notice.

use std::time::{Duration, Instant};

use egui::Ui;

use super::super::access_tab::acting_as_ui;
use super::super::actions::Action;
use super::super::app::counts;
use super::super::command::{Command, PanelCx};
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
            until: Instant::now() + Duration::from_secs(secs),
        });
    }

    /// Drops an expired notice; asks for a repaint when the current one expires.
    pub fn expire(&mut self, ctx: &egui::Context) {
        if let Some(notice) = &self.notice {
            let now = Instant::now();
            if now >= notice.until {
                self.notice = None;
            } else {
                ctx.request_repaint_after(notice.until - now);
            }
        }
    }

    /// Draws the bar's content; `simulation` draws the speed control and job counts.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        cx: &PanelCx<'_>,
        facts: &StatusFacts,
        simulation: impl FnOnce(&mut Ui, &mut Vec<Command>),
        out: &mut Vec<Command>,
    ) {
        let (errors, warnings) = counts(cx.problems);
        ui.horizontal(|ui| {
            if let Some(notice) = &self.notice {
                ui.label(&notice.text);
                if notice.undo && ui.button("Undo").clicked() {
                    out.push(Command::Run(Action::Undo));
                    self.notice = None;
                }
                ui.separator();
            }
            if facts.saving {
                ui.spinner();
                ui.label("Saving…");
                ui.separator();
            }
            simulation(ui, out);
            ui.separator();
            if facts.user_changes {
                ui.label("Unsaved changes");
            } else if facts.dirty {
                ui.label("Replication progress not saved").on_hover_text(
                    "Nothing was edited since the last save; the simulated replication moved on. Save to keep its progress in the file.",
                );
            } else {
                ui.label("Saved");
            }
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
            if let Some(path) = &facts.path {
                ui.separator();
                ui.weak(path);
            }
            ui.separator();
            acting_as_ui(ui, cx.ws, out);
        });
    }
}
