//! *Azure changes*: what a refresh found, before anything is replaced. On the left what Azure
//! changed since it was last seen (and what becomes of each change), on the right the user's
//! planned edits (the plan from Azure as last seen), and below them the conflicts, each to be
//! resolved: keep mine or take Azure's. *Apply* is one undo step; *Cancel* changes nothing,
//! not even Azure as last seen.

use egui::{RichText, Ui};

use crate::azure::refresh::Outcome;
use crate::azure::{Conflict, Refresh, Resolution};
use crate::memo::Memo;
use crate::plan::{self, Plan};
use crate::ui::dialogs::{Dialog, Intent, OpenDialog, ViewCx};
use crate::ui::intent::AzureRequest;
use crate::ui::widgets::WhyDisabled;

pub struct AzureChangesDialog {
    refresh: Option<Box<Refresh>>,
    /// The document generation the refresh was compared at.
    generation: u64,
    /// The user's answer to each conflict, by index.
    pub choices: Vec<Option<Resolution>>,
    /// The user's planned edits, by the edit generation.
    plan: Memo<u64, Plan>,
}

impl OpenDialog for AzureChangesDialog {
    /// The refresh, compared at this document generation.
    type Request = (Box<Refresh>, u64);

    fn open(
        (refresh, generation): Self::Request,
        _: &ViewCx<'_>,
        _: &egui::Context,
    ) -> Option<Self> {
        let choices = vec![None; refresh.conflicts.len()];
        Some(Self {
            refresh: Some(refresh),
            generation,
            choices,
            plan: Memo::default(),
        })
    }
}

impl AzureChangesDialog {
    /// The refresh shown (tests and screenshots look inside).
    pub fn refresh(&self) -> Option<&Refresh> {
        self.refresh.as_deref()
    }
}

fn changes_ui(ui: &mut Ui, refresh: &Refresh) {
    ui.strong("Azure changed since it was last seen");
    if refresh.changes.is_empty() {
        ui.weak("Nothing: Azure is as it was last seen.");
    }
    for change in &refresh.changes {
        let outcome = match change.outcome {
            Outcome::Taken => "taken into the plan",
            Outcome::AlreadyPlanned => "already planned",
            Outcome::Conflict => "conflict: see below",
        };
        let mut what = format!("{} {} {}", change.kind, change.path, change.change.label());
        if !change.detail.is_empty() {
            what.push_str(&format!(" ({})", change.detail));
        }
        let text = RichText::new(format!("{what}: {outcome}"));
        ui.label(if change.outcome == Outcome::Conflict {
            text.color(ui.visuals().warn_fg_color)
        } else {
            text
        });
    }
}

fn planned_ui(ui: &mut Ui, plan: &Plan) {
    ui.strong("Your planned edits");
    if plan.is_empty() {
        ui.weak("None: the plan is Azure as last seen.");
    }
    for step in &plan.steps {
        ui.label(format!(
            "{} {}",
            capitalized(step.action.label()),
            step.what()
        ));
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// One conflict with its two answers; the radio buttons are named after the resource, so a
/// screen reader tells them apart.
fn conflict_ui(ui: &mut Ui, conflict: &Conflict, choice: &mut Option<Resolution>) {
    ui.label(RichText::new(conflict.describe()).color(ui.visuals().warn_fg_color));
    ui.horizontal(|ui| {
        for (answer, text) in [
            (Resolution::KeepMine, "Keep mine"),
            (Resolution::TakeAzure, "Take Azure's"),
        ] {
            let selected = *choice == Some(answer);
            let name = format!("{text}: {} {}", conflict.kind, conflict.path);
            let response = ui.radio(selected, text);
            response.widget_info(|| {
                egui::WidgetInfo::selected(egui::Role::RadioButton, true, selected, &name)
            });
            if response.clicked() {
                *choice = Some(answer);
            }
        }
    });
}

impl Dialog for AzureChangesDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        let Some(refresh) = self.refresh.as_deref() else {
            return;
        };
        ui.heading("What Azure changed");
        let when = cx.ws.azure.as_ref().map_or_else(
            || "Azure was never seen in this workspace: everything Azure has is new.".to_owned(),
            |s| format!("Azure as last seen: {}.", s.origin.describe()),
        );
        ui.label(format!(
            "Azure was just read again. {when} Nothing changes until you choose Apply."
        ));
        let plan = self
            .plan
            .get(cx.edit_generation, |_| plan::from_azure(cx.ws, cx.today));
        let footer = if refresh.conflicts.is_empty() {
            60.0
        } else {
            190.0
        };
        ui.columns(2, |columns| {
            for (i, column) in columns.iter_mut().enumerate() {
                egui::ScrollArea::vertical()
                    .id_salt(("azure-changes", i))
                    .max_height((column.available_height() - footer).max(120.0))
                    .auto_shrink([false, true])
                    .show(column, |ui| {
                        // Columns are justified: their wrapped text should not be.
                        ui.with_layout(egui::Layout::top_down(egui::Align::LEFT), |ui| match i {
                            0 => changes_ui(ui, refresh),
                            _ => planned_ui(ui, plan),
                        })
                    });
            }
        });
        if !refresh.warnings.is_empty() {
            ui.label(
                RichText::new(format!(
                    "{} could not be read (the rest was): {}",
                    crate::words::count(refresh.warnings.len(), "thing", "things"),
                    refresh.warnings.join("; ")
                ))
                .color(ui.visuals().warn_fg_color),
            );
        }
        let conflicts = refresh.conflicts.len();
        if conflicts > 0 {
            ui.separator();
            ui.strong(format!(
                "{}: both you and Azure changed these. Choose for each before anything is replaced.",
                crate::words::count(conflicts, "conflict", "conflicts")
            ));
            egui::ScrollArea::vertical()
                .id_salt("azure-conflicts")
                .max_height(110.0)
                .show(ui, |ui| {
                    for (conflict, choice) in refresh.conflicts.iter().zip(&mut self.choices) {
                        conflict_ui(ui, conflict, choice);
                    }
                });
            ui.horizontal(|ui| {
                if ui.button("Keep mine for all").clicked() {
                    self.choices.fill(Some(Resolution::KeepMine));
                }
                if ui.button("Take Azure's for all").clicked() {
                    self.choices.fill(Some(Resolution::TakeAzure));
                }
            });
        }
        ui.separator();
        let left = self.choices.iter().filter(|c| c.is_none()).count();
        let mut apply = false;
        ui.horizontal(|ui| {
            apply = ui
                .add_enabled(left == 0, egui::Button::new("Apply"))
                .on_hover_text("Take Azure's changes into the plan as one step (Undo takes it back) and keep Azure as just read")
                .why_disabled(format!(
                    "Resolve every conflict first ({} left)",
                    left
                ))
                .clicked();
            if ui
                .button("Cancel")
                .on_hover_text("Change nothing: the plan and Azure as last seen stay as they are")
                .clicked()
            {
                ui.close();
            }
        });
        if apply && let Some(refresh) = self.refresh.take() {
            let resolutions = refresh
                .conflicts
                .iter()
                .zip(&self.choices)
                .filter_map(|(c, r)| r.map(|r| (c.path.clone(), r)))
                .collect();
            out.push(Intent::Azure(AzureRequest::ApplyRefresh {
                refresh,
                generation: self.generation,
                resolutions,
            }));
            ui.close();
        }
    }

    fn size(&self) -> Option<egui::Vec2> {
        Some(egui::vec2(900.0, 600.0))
    }
}
