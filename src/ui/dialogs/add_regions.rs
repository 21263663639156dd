//! "Add target regions" of a version: the region picker, then one undoable edit.

use egui::Ui;

use crate::model::{Edit, Resource, ResourcePath, TargetRegion};
use crate::ui::dialogs::{Dialog, Intent, OpenDialog, ViewCx};
use crate::ui::widgets::region_picker::{PickerOutcome, RegionPicker};

pub struct AddRegionsDialog {
    pub path: ResourcePath,
    pub picker: RegionPicker,
}

impl OpenDialog for AddRegionsDialog {
    /// The version.
    type Request = ResourcePath;

    fn open(path: ResourcePath, _cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        Some(Self {
            path,
            picker: RegionPicker::default(),
        })
    }
}

impl Dialog for AddRegionsDialog {
    fn size(&self) -> Option<egui::Vec2> {
        Some(egui::vec2(620.0, 640.0))
    }

    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        let ResourcePath::Version(g, d, v) = &self.path else {
            ui.close();
            return;
        };
        let Some(version) = cx.ws.resolve(&self.path).and_then(Resource::version) else {
            // The version is gone (undone away).
            ui.close();
            return;
        };
        let existing: Vec<_> = version.target_regions.iter().map(|t| t.region).collect();
        let policy = cx.ws.settings.region_policy.as_ref();
        match self
            .picker
            .ui(ui, &existing, policy, &cx.ws.simulation.outages)
        {
            Some(PickerOutcome::Add(regions)) => {
                let mut updated = version.clone();
                let count = regions.len();
                updated
                    .target_regions
                    .extend(regions.into_iter().map(TargetRegion::new));
                out.push(Intent::Edit {
                    edit: Edit::UpdateVersion {
                        gallery: g.clone(),
                        definition: d.clone(),
                        name: v.clone(),
                        version: updated,
                    },
                    select: None,
                    notice: Some(format!(
                        "Added {} to {v}",
                        crate::words::count(count, "target region", "target regions")
                    )),
                });
                ui.close();
            }
            Some(PickerOutcome::Cancel) => ui.close(),
            None => {}
        }
    }
}
