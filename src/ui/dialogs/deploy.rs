//! "Deploy…": may VMs or scale sets be created from a version (or a definition's "latest") in a
//! region now, and how loaded would its replicas be. The answer is `replication::deploy::check`,
//! the same as `sig-studio deploy`.

use egui::{RichText, Ui};

use crate::memo::Memo;
use crate::model::{Region, Resource, ResourcePath, Workspace};
use crate::replication::Blocked;
use crate::replication::deploy::{self, DeployError, DeployKind, DeployPlan};
use crate::ui::dialogs::{Dialog, Intent, OpenDialog, ViewCx};

/// The height of the region list (about seven regions; more scroll).
const REGION_LIST_HEIGHT: f32 = 150.0;

/// The dialog's choices.
pub struct DeployDialog {
    pub target: ResourcePath,
    pub region: Option<Region>,
    pub kind: DeployKind,
    pub count: u32,
    /// The regions offered, by the workspace generation they were gathered at.
    regions: Memo<u64, Vec<(Region, bool)>>,
    /// The answer, by what it was computed for (generation, region, kind, count).
    answer: Memo<AnswerKey, Result<DeployPlan, DeployError>>,
}

type AnswerKey = (u64, Region, DeployKind, u32);

impl OpenDialog for DeployDialog {
    /// A version or a definition.
    type Request = ResourcePath;

    /// The first region with a completed replica is preselected (else the first target region).
    fn open(target: ResourcePath, cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        let regions = regions_of(cx.ws, &target);
        let region = regions
            .iter()
            .find(|(_, done)| *done)
            .or_else(|| regions.first())
            .map(|(r, _)| *r);
        Some(Self {
            target,
            region,
            kind: DeployKind::Vms,
            count: 1,
            regions: Memo::default(),
            answer: Memo::default(),
        })
    }
}

impl DeployDialog {
    /// Draws the dialog.
    /// `blocked`: the versions and regions the engine keeps from starting (validation errors).
    fn draw(&mut self, ui: &mut Ui, ws: &Workspace, blocked: &Blocked, generation: u64) {
        let is_definition = matches!(self.target, ResourcePath::Definition(..));
        ui.heading("Deploy");
        ui.label(RichText::new(self.target.to_string()).monospace());
        if is_definition {
            ui.weak("Deploys the definition's \"latest\" version in the chosen region.");
        }
        let target = &self.target;
        let regions = self
            .regions
            .get(generation, |_| regions_of(ws, target))
            .clone();
        // Choices inline, not a combo box (a popup over a modal would close the modal): one
        // region a row, in a list of fixed height that scrolls, above the other choices.
        ui.label("Region");
        egui::Frame::group(ui.style()).show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("deploy-regions")
                .max_height(REGION_LIST_HEIGHT)
                .min_scrolled_height(REGION_LIST_HEIGHT)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    for (region, done) in &regions {
                        let text = format!(
                            "{}: {}",
                            region.display_name(),
                            if *done {
                                "replicated"
                            } else {
                                "no completed replica"
                            }
                        );
                        let text = if *done {
                            RichText::new(text)
                        } else {
                            RichText::new(text).weak()
                        };
                        ui.selectable_value(&mut self.region, Some(*region), text);
                    }
                });
        });
        egui::Grid::new("deploy-form")
            .num_columns(2)
            .spacing([12.0, 8.0])
            .show(ui, |ui| {
                ui.label("Deploy");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut self.kind, DeployKind::Vms, "VMs");
                    ui.radio_value(&mut self.kind, DeployKind::ScaleSets, "Scale sets");
                });
                ui.end_row();

                let label = ui.label("Count");
                ui.add(egui::DragValue::new(&mut self.count).range(1..=10_000))
                    .labelled_by(label.id);
                ui.end_row();
            });
        ui.separator();
        match self.region {
            None => {
                ui.label("The image has no target regions: add regions and replicate first.");
            }
            Some(region) => {
                let (target, kind, count) = (&self.target, self.kind, self.count);
                let answer = self.answer.get((generation, region, kind, count), |_| {
                    let blocking = deploy::Blocking::Known(blocked);
                    deploy::check_with(ws, blocking, target, region, kind, count)
                });
                answer_ui(ui, ws, answer, region, kind, count);
            }
        }
        ui.add_space(6.0);
        if ui.button("Close").clicked() {
            ui.close();
        }
    }
}

fn answer_ui(
    ui: &mut Ui,
    ws: &Workspace,
    answer: &Result<DeployPlan, DeployError>,
    region: Region,
    kind: DeployKind,
    count: u32,
) {
    match answer {
        Ok(plan) => {
            let version = if plan.from_latest {
                format!(
                    "{} (latest in {})",
                    plan.version.name(),
                    region.display_name()
                )
            } else {
                plan.version.name().to_owned()
            };
            ui.label(
                RichText::new(format!(
                    "✔ Allowed: {count} {} from {version} in {}",
                    kind.noun(count),
                    region.display_name()
                ))
                .color(crate::ui::theme::completed(ui.visuals())),
            );
            ui.label(format!(
                "{} in the region: {:.1} {} per replica",
                crate::words::count(plan.replicas as usize, "replica", "replicas"),
                plan.load_per_replica,
                kind.noun(2)
            ));
            if plan.warnings.is_empty() {
                ui.weak("The replica count meets the scaling guidance.");
            }
            for warning in &plan.warnings {
                ui.label(RichText::new(format!("⚠ {warning}")).color(ui.visuals().warn_fg_color));
            }
            ui.weak(format!(
                "Guidance: one replica per {} VMs created at once (Settings), one per scale set, at least 3 for production.",
                ws.settings.vms_per_replica
            ));
        }
        Err(DeployError::Refused { message, .. } | DeployError::NotFound { message, .. }) => {
            ui.label(
                RichText::new(format!("⛔ Refused: {message}")).color(ui.visuals().error_fg_color),
            );
        }
    }
}

/// The regions to offer, with whether a completed replica is there: a version's target regions,
/// or every target region of a definition's versions.
fn regions_of(ws: &Workspace, target: &ResourcePath) -> Vec<(Region, bool)> {
    let mut regions: Vec<(Region, bool)> = Vec::new();
    let mut add = |version: &crate::model::ImageVersion| {
        for t in &version.target_regions {
            let done = t.status.state == crate::model::RegionState::Completed;
            match regions.iter_mut().find(|(r, _)| *r == t.region) {
                Some((_, d)) => *d |= done,
                None => regions.push((t.region, done)),
            }
        }
    };
    match ws.resolve(target) {
        Some(Resource::Version(.., v)) => add(v),
        Some(Resource::Definition(_, d)) => d.versions.iter().for_each(&mut add),
        _ => {}
    }
    regions
}

impl Dialog for DeployDialog {
    fn size(&self) -> Option<egui::Vec2> {
        Some(egui::vec2(620.0, 560.0))
    }

    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, _out: &mut Vec<Intent>) {
        self.draw(ui, cx.ws, cx.simulation.engine.blocked(), cx.generation);
    }
}
