//! "Review changes": the plan from Azure as last seen to the planned state —
//! what Azure would deploy, in order, grouped by gallery, with each step's cost change and the
//! steps the service refuses marked with its reason. From here the plan is written as an az
//! script (by the intent the dialog pushes, after the frame), or applied to the connected
//! subscription (*Apply to Azure…*).

use std::path::PathBuf;

use egui::{RichText, Ui};

use crate::cost::format_usd_change;
use crate::memo::Memo;
use crate::plan::{self, Cost, Plan, Step};
use crate::ui::actions::UserAction;
use crate::ui::dialogs::{Dialog, Intent, OpenDialog, ViewCx};
use crate::ui::intent::Target;
use crate::ui::widgets::WhyDisabled;
use crate::ui::widgets::form;

pub struct ReviewDialog {
    /// The plan, by the edit generation it was computed at.
    plan: Memo<u64, Plan>,
    /// Why no plan can be made (two resources Azure takes for one), by edit generation.
    clash: Memo<u64, Option<String>>,
    pub path: String,
    /// Whether the script's path field is shown.
    exporting: bool,
    folder: form::FolderCheck,
}

impl OpenDialog for ReviewDialog {
    type Request = ();

    /// The script's path follows the workspace file's name.
    fn open((): (), cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        let path = cx.doc.path.as_deref().map_or_else(
            || PathBuf::from("plan.sh"),
            |p| {
                let stem = p.file_stem().map_or_else(
                    || "workspace".to_owned(),
                    |s| s.to_string_lossy().into_owned(),
                );
                p.with_file_name(format!("{stem}-plan.sh"))
            },
        );
        Some(Self {
            plan: Memo::default(),
            clash: Memo::default(),
            path: path.display().to_string(),
            exporting: false,
            folder: form::FolderCheck::default(),
        })
    }
}

impl ReviewDialog {
    /// The plan shown (tests and screenshots look inside).
    pub fn plan(&self) -> Option<&Plan> {
        self.plan.last()
    }
}

/// The monthly change of some steps carried out, in words.
fn monthly(steps: &[(usize, &Step)]) -> Option<String> {
    let mut total = 0.0;
    let mut priced = false;
    for (_, step) in steps {
        if let (None, Cost::Priced { monthly_usd, .. }) = (&step.refused, &step.cost) {
            total += monthly_usd;
            priced = true;
        }
    }
    priced.then(|| format!("{}/month", format_usd_change(total)))
}

fn step_ui(ui: &mut Ui, index: usize, step: &Step) {
    let refused = step.refused.is_some();
    let head = format!("{}. {} {}", index + 1, step.action.label(), step.what());
    ui.horizontal_wrapped(|ui| {
        if refused {
            ui.label(
                RichText::new("Refused")
                    .strong()
                    .color(ui.visuals().error_fg_color),
            );
        }
        let text = RichText::new(&head).strong();
        ui.label(if refused { text.strikethrough() } else { text });
        let figures = plan::text::figures(step);
        if !figures.is_empty() {
            ui.weak(figures);
        }
    });
    ui.indent(("step", index), |ui| {
        if let Some(reason) = &step.refused {
            ui.label(RichText::new(reason).color(ui.visuals().error_fg_color));
        }
        if let Some(note) = &step.note {
            ui.label(RichText::new(note).italics());
        }
        // Whole, wrapped to the dialog's width: a long value is read here, not guessed at.
        for change in &step.changes {
            let line = plan::text::change_line(change);
            ui.add(egui::Label::new(RichText::new(&line).monospace()).wrap());
        }
    });
}

/// Why no plan can be made: a plan keys resources by Azure's identity and would silently keep
/// one of two resources Azure takes for one.
fn clash_ui(ui: &mut Ui, why: &str) {
    ui.heading("Review changes");
    ui.label(
        RichText::new(format!("No plan can be made: {why}.")).color(ui.visuals().error_fg_color),
    );
    ui.weak("The Problems panel lists it too; nothing can be applied until it is fixed.");
    ui.separator();
    if ui.button("Close").clicked() {
        ui.close();
    }
}

/// The heading, what the plan goes from and to, its totals and how many steps would be refused.
fn summary_ui(ui: &mut Ui, cx: &ViewCx<'_>, plan: &Plan) {
    ui.heading("Review changes");
    let seen = cx.ws.azure.as_ref().map_or_else(
        || "Azure was never seen (import or pull it), so everything planned is a create".to_owned(),
        |seen| format!("Azure as last seen: {}", seen.origin.describe()),
    );
    ui.label(format!("What Azure would deploy to go from Azure as last seen to the planned state: deletes first (children before parents), then creates and updates (parents first). {seen}."));
    ui.add_space(4.0);
    ui.label(RichText::new(plan.summary()).strong());
    if !plan.is_empty() {
        ui.label(plan::text::totals(plan));
    }
    let refused = plan.refused();
    if refused > 0 {
        ui.label(
            RichText::new(format!(
                "{} the service would refuse, with its reason below: fix them, or deploy the rest.",
                crate::words::count(refused, "step", "steps")
            ))
            .color(ui.visuals().error_fg_color),
        );
    }
}

/// The plan's steps with their indices, grouped by gallery in the order the plan first reaches
/// each.
fn by_gallery(plan: &Plan) -> Vec<(&str, Vec<(usize, &Step)>)> {
    let mut groups: Vec<(&str, Vec<(usize, &Step)>)> = Vec::new();
    for (i, step) in plan.steps.iter().enumerate() {
        match groups.iter_mut().find(|(g, _)| *g == step.gallery()) {
            Some((_, list)) => list.push((i, step)),
            None => groups.push((step.gallery(), vec![(i, step)])),
        }
    }
    groups
}

impl Dialog for ReviewDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        let clash = self
            .clash
            .get(cx.edit_generation, |_| plan::name_clash(cx.ws));
        if let Some(why) = clash {
            clash_ui(ui, why);
            return;
        }
        self.plan
            .get(cx.edit_generation, |_| plan::from_azure(cx.ws, cx.today));
        let Some(plan) = self.plan.last() else {
            return;
        };
        summary_ui(ui, cx, plan);
        ui.separator();
        let groups = by_gallery(plan);
        let footer = if self.exporting { 110.0 } else { 48.0 };
        egui::ScrollArea::vertical()
            .max_height((ui.available_height() - footer).max(120.0))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                if plan.is_empty() {
                    ui.weak("No changes: the planned state matches Azure as last seen.");
                }
                for (gallery, steps) in &groups {
                    let mut title = format!(
                        "Gallery {gallery}: {}",
                        crate::words::count(steps.len(), "step", "steps")
                    );
                    if let Some(cost) = monthly(steps) {
                        title.push_str(&format!(", {cost}"));
                    }
                    egui::CollapsingHeader::new(title)
                        .id_salt(("review-gallery", *gallery))
                        .default_open(true)
                        .show(ui, |ui| {
                            for (i, step) in steps {
                                step_ui(ui, *i, step);
                            }
                        });
                }
            });
        ui.separator();
        let empty = plan.is_empty();
        if self.exporting {
            let label = ui.label("Plan script path");
            ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(480.0))
                .labelled_by(label.id);
            let ok = self.folder.exists(&self.path) && !self.path.trim().is_empty();
            if !ok {
                ui.label(
                    RichText::new("That folder does not exist").color(ui.visuals().error_fg_color),
                );
            }
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(ok, egui::Button::new("Write az script"))
                    .clicked()
                {
                    out.push(Intent::ExportPlan {
                        path: PathBuf::from(self.path.trim()),
                        script: plan::to_script(plan, &crate::model::seen::before(cx.ws), cx.ws),
                    });
                    ui.close();
                }
                if ui.button("Close").clicked() {
                    ui.close();
                }
            });
        } else {
            ui.horizontal(|ui| {
                if ui
                    .add_enabled(!empty, egui::Button::new("Export as az script…"))
                    .on_hover_text("Write the steps as a bash script of az CLI calls; refused steps become comments")
                    .clicked()
                {
                    self.exporting = true;
                }
                let apply = UserAction::ApplyToAzure;
                let available = apply.availability(cx, &Target::Workspace);
                let button = ui
                    .add_enabled(!empty && available.is_enabled(), egui::Button::new(apply.label()))
                    .on_hover_text(apply.tooltip())
                    .why_disabled(available.reason().unwrap_or("Nothing to apply"));
                if button.clicked() {
                    out.push(Intent::run(apply, Target::Workspace));
                    ui.close();
                }
                if ui.button("Close").clicked() || form::enter_pressed(ui) {
                    ui.close();
                }
            });
        }
    }

    fn size(&self) -> Option<egui::Vec2> {
        Some(egui::vec2(820.0, 600.0))
    }
}
