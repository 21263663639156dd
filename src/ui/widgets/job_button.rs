//! The Retry or Cancel button of one region's replication job (the version editor's region
//! table, the activity panel).

use egui::Ui;

use crate::model::{Region, RegionState, ResourcePath};
use crate::ui::intent::ReplicationRequest;

/// Retry (Failed) or Cancel (Queued, Replicating) for one region, labelled with its name.
pub fn job_button(
    ui: &mut Ui,
    path: &ResourcePath,
    region: Region,
    state: RegionState,
) -> Option<ReplicationRequest> {
    let name = region.display_name();
    let (text, label, command) = match state {
        RegionState::Failed => (
            "Retry",
            format!("Retry {name}"),
            ReplicationRequest::Retry(path.clone(), Some(region)),
        ),
        RegionState::Queued | RegionState::Replicating => (
            "Cancel",
            format!("Cancel {name}"),
            ReplicationRequest::Cancel(path.clone(), region),
        ),
        _ => return None,
    };
    let response = ui.small_button(text).on_hover_text(label.clone());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, label.clone()));
    response.clicked().then_some(command)
}
