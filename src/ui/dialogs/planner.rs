//! The replica planner dialog (Edit, Plan replicas…): expected concurrent VMs and scale sets per
//! target region in, recommended replica counts with reasons and their cost out (DOMAIN.md §4,
//! `crate::cost::planner`). "Apply plan" is one undoable `Edit::UpdateVersion`.

use egui::{RichText, Ui};

use crate::cost::{RegionDemand, ReplicaPlan, format_usd, format_usd_change, plan_replicas};
use crate::memo::Memo;
use crate::model::{Edit, ResourcePath, Workspace};
use crate::ui::dialogs::{Dialog, Intent, OpenDialog, ViewCx};
use crate::ui::widgets::WhyDisabled;
use crate::ui::widgets::form::cut_label;
use crate::ui::widgets::form::number_committed;

/// The planner for one version; demand is kept per target region.
pub struct PlannerDialog {
    pub gallery: String,
    pub definition: String,
    pub version: String,
    /// One entry per target region; a region with no VMs and no scale sets keeps its count.
    pub demand: Vec<RegionDemand>,
    pub production: bool,
    /// The threshold being edited (`Settings::vms_per_replica`); stored when the edit ends.
    vms_per_replica: u32,
    vms_per_replica_edited: bool,
    /// The plan, by what it was computed for (workspace generation, demand, production).
    plan: Memo<PlanKey, Result<ReplicaPlan, String>>,
}

/// What a plan depends on besides the version.
type PlanKey = (u64, Vec<RegionDemand>, bool);

impl OpenDialog for PlannerDialog {
    /// The version.
    type Request = ResourcePath;

    /// A planner for the version at `path`, with no demand entered yet.
    fn open(path: ResourcePath, cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        let ws = cx.ws;
        let ResourcePath::Version(g, d, v) = &path else {
            return None;
        };
        let version = ws.resolve(&path)?.version()?;
        Some(Self {
            gallery: g.clone(),
            definition: d.clone(),
            version: v.clone(),
            demand: version
                .target_regions
                .iter()
                .map(|t| RegionDemand {
                    region: t.region,
                    concurrent_vms: 0,
                    concurrent_scale_sets: 0,
                })
                .collect(),
            production: false,
            vms_per_replica: ws.settings.vms_per_replica,
            vms_per_replica_edited: false,
            plan: Memo::default(),
        })
    }
}

impl PlannerDialog {
    fn path(&self) -> ResourcePath {
        ResourcePath::version(&self.gallery, &self.definition, &self.version)
    }

    /// Draws the dialog.
    fn draw(&mut self, ui: &mut Ui, ws: &Workspace, generation: u64, out: &mut Vec<Intent>) {
        let path = self.path();
        ui.heading("Plan replicas");
        ui.label(RichText::new(path.to_string()).monospace());
        ui.label(
            "Enter the VMs and scale sets you expect to create at the same time in each region. \
             Regions left at 0 keep their replica count.",
        );
        self.vms_per_replica_ui(ui, ws, out);
        ui.checkbox(
            &mut self.production,
            "Production image (at least 3 replicas per region)",
        );
        let plan = match self.refresh_plan(ws, generation) {
            Ok(plan) => plan.clone(),
            Err(err) => {
                ui.label(RichText::new(format!("⛔ {err}")).color(ui.visuals().error_fg_color));
                if ui.button("Close").clicked() {
                    ui.close();
                }
                return;
            }
        };
        ui.add_space(6.0);
        self.demand_ui(ui, &plan);
        for warning in &plan.warnings {
            ui.label(RichText::new(format!("⚠ {warning}")).color(ui.visuals().warn_fg_color));
        }
        ui.add_space(6.0);
        let before = plan
            .change
            .before
            .as_ref()
            .map_or(0.0, |b| b.totals.monthly_usd);
        let after = plan.change.after.totals.monthly_usd;
        ui.label(format!(
            "Monthly cost {}/month with this plan (now {}/month, change {}/month)",
            format_usd(after),
            format_usd(before),
            format_usd_change(plan.change.monthly_change_usd)
        ));
        ui.weak("No transfer is added: extra replicas are copied inside their region");
        ui.separator();
        ui.horizontal(|ui| {
            let button = ui
                .add_enabled(plan.edit.is_some(), egui::Button::new("Apply plan"))
                .why_disabled("Every count is already as recommended");
            if button.clicked()
                && let Some(edit) = plan.edit.clone()
            {
                out.push(Intent::Edit {
                    edit,
                    select: None,
                    notice: Some(format!("Applied the replica plan to {}", self.version)),
                });
                ui.close();
            }
            if ui.button("Cancel").clicked() {
                ui.close();
            }
        });
    }

    /// The demand per region, with the current and recommended counts and why.
    fn demand_ui(&mut self, ui: &mut Ui, plan: &ReplicaPlan) {
        egui::ScrollArea::vertical()
            .max_height(360.0)
            .show(ui, |ui| {
                egui::Grid::new("planner")
                    .striped(true)
                    .num_columns(6)
                    .spacing([10.0, 4.0])
                    .show(ui, |ui| {
                        for title in [
                            "Region",
                            "VMs at once",
                            "Scale sets at once",
                            "Current",
                            "Recommended",
                            "Why",
                        ] {
                            ui.strong(title);
                        }
                        ui.end_row();
                        for demand in &mut self.demand {
                            let name = demand.region.display_name();
                            ui.label(name);
                            ui.add(
                                egui::DragValue::new(&mut demand.concurrent_vms)
                                    .range(0..=100_000)
                                    .suffix(" VMs"),
                            )
                            .widget_info(|| {
                                egui::WidgetInfo::labeled(
                                    egui::Role::SpinButton,
                                    true,
                                    format!("VMs in {name}"),
                                )
                            });
                            ui.add(
                                egui::DragValue::new(&mut demand.concurrent_scale_sets)
                                    .range(0..=10_000)
                                    .suffix(" scale sets"),
                            )
                            .widget_info(|| {
                                egui::WidgetInfo::labeled(
                                    egui::Role::SpinButton,
                                    true,
                                    format!("Scale sets in {name}"),
                                )
                            });
                            match plan.regions.iter().find(|r| r.region == demand.region) {
                                Some(r) => {
                                    ui.label(r.current_replicas.to_string());
                                    let text = r.recommended_replicas.to_string();
                                    if r.recommended_replicas == r.current_replicas {
                                        ui.label(text);
                                    } else {
                                        ui.strong(text);
                                    }
                                    cut_label(ui, r.reason.as_str(), &r.reason);
                                }
                                None => {
                                    ui.weak("not a target region");
                                }
                            }
                            ui.end_row();
                        }
                    });
            });
    }

    /// The plan, computed again when the workspace, the demand or the production flag changed.
    fn refresh_plan(&mut self, ws: &Workspace, generation: u64) -> &Result<ReplicaPlan, String> {
        let (demand, production) = (&self.demand, self.production);
        let (g, d, v) = (&self.gallery, &self.definition, &self.version);
        self.plan.get_by(
            |(kg, kd, kp)| *kg == generation && kd == demand && *kp == production,
            || (generation, demand.clone(), production),
            |_| {
                let given: Vec<RegionDemand> = demand
                    .iter()
                    .filter(|d| d.concurrent_vms > 0 || d.concurrent_scale_sets > 0)
                    .copied()
                    .collect();
                plan_replicas(ws, g, d, v, &given, production).map_err(|err| err.to_string())
            },
        )
    }

    /// The workspace's VMs-per-replica setting, stored when its edit ends.
    fn vms_per_replica_ui(&mut self, ui: &mut Ui, ws: &Workspace, out: &mut Vec<Intent>) {
        if !self.vms_per_replica_edited {
            self.vms_per_replica = ws.settings.vms_per_replica;
        }
        ui.horizontal(|ui| {
            let label = ui.label("VMs per replica");
            let response = ui
                .add(
                    egui::DragValue::new(&mut self.vms_per_replica)
                        .range(1..=1000)
                        .suffix(" VMs"),
                )
                .labelled_by(label.id)
                .on_hover_text(
                    "Workspace setting: one replica per this many VMs created at once \
                 (the docs say 20, newer text 50)",
                );
            if response.changed() {
                self.vms_per_replica_edited = true;
            }
            if number_committed(&response) {
                self.vms_per_replica_edited = false;
                if self.vms_per_replica != ws.settings.vms_per_replica {
                    let mut settings = ws.settings.clone();
                    settings.vms_per_replica = self.vms_per_replica;
                    out.push(Intent::Edit {
                        edit: Edit::SetSettings { settings },
                        select: None,
                        notice: Some(format!(
                            "One replica per {} VMs from now on",
                            self.vms_per_replica
                        )),
                    });
                }
            }
        });
    }
}

impl Dialog for PlannerDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        self.draw(ui, cx.ws, cx.generation, out)
    }
}
