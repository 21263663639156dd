//! "Add target regions" of a version: the region picker, then one undoable edit.

use egui::Ui;

use crate::model::{Edit, ResourcePath, TargetRegion};
use crate::ui::dialogs::{Command, Dialog, DialogCx};
use crate::ui::editors::regions::{PickerOutcome, RegionPicker};

pub struct AddRegionsDialog {
    pub path: ResourcePath,
    pub picker: RegionPicker,
}

impl AddRegionsDialog {
    pub fn new(path: ResourcePath) -> Self {
        Self {
            path,
            picker: RegionPicker::default(),
        }
    }
}

impl Dialog for AddRegionsDialog {
    fn size(&self) -> Option<egui::Vec2> {
        Some(egui::vec2(620.0, 640.0))
    }

    fn ui(&mut self, ui: &mut Ui, cx: &DialogCx<'_>, out: &mut Vec<Command>) -> bool {
        let ResourcePath::Version(g, d, v) = &self.path else {
            return false;
        };
        let Some(version) = cx
            .ws
            .gallery(g)
            .and_then(|g| g.definition(d))
            .and_then(|d| d.version(v))
        else {
            return false;
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
                out.push(Command::Apply {
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
                false
            }
            Some(PickerOutcome::Cancel) => false,
            None => true,
        }
    }
}
