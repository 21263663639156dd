//! The region picker: search, grouped by continent and geography, with the seed's preview set
//! as a quick choice; regions open only on request, under a simulated outage or excluded by the
//! workspace's region policy carry a mark and say why.

use std::collections::BTreeSet;

use egui::{RichText, Ui};

use crate::model::region::{Continent, PREVIEW_TARGET_REGIONS, regions_of};
use crate::model::{Region, RegionPolicy};
use crate::ui::editors::region_policy::excluded_reason;
use crate::ui::widgets::WhyDisabled;
use crate::ui::widgets::form::{ON_REQUEST, ON_REQUEST_HINT};
use crate::words::count;

/// The mark after a region under a simulated outage, in the picker.
const OUTAGE: &str = " · unavailable (simulated outage)";
const OUTAGE_HINT: &str = "A simulated outage (Simulation, Region outages): a replica added now fails until the region is available again";

/// A picker row's tooltips: on request, under an outage, already a target, or which policy
/// excludes it and where to change that.
fn region_hints(
    mut response: egui::Response,
    region: Region,
    present: bool,
    down: bool,
    policy: Option<&RegionPolicy>,
) -> egui::Response {
    if region.on_request() {
        response = response.on_hover_text(ON_REQUEST_HINT);
    }
    if down {
        response = response.on_hover_text(OUTAGE_HINT);
    }
    match policy {
        _ if present => response.why_disabled("Already a target region"),
        Some(policy) => response.why_disabled(excluded_reason(region, policy)),
        None => response,
    }
}

/// The region picker: search, grouped by continent and geography, with the seed's preview set
/// as a quick choice. Regions open only on request carry a mark.
#[derive(Default)]
pub struct RegionPicker {
    pub search: String,
    pub chosen: BTreeSet<Region>,
    focus: crate::ui::widgets::form::FirstFocus,
}

pub enum PickerOutcome {
    Add(Vec<Region>),
    Cancel,
}

impl RegionPicker {
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        existing: &[Region],
        policy: Option<&RegionPolicy>,
        outages: &[Region],
    ) -> Option<PickerOutcome> {
        ui.heading("Add target regions");
        if let Some(none) = nothing_to_add(existing, policy) {
            ui.label(RichText::new(none).color(ui.visuals().warn_fg_color));
        }
        let search_label = ui.label("Search regions");
        let search = ui
            .add(
                egui::TextEdit::singleline(&mut self.search)
                    .hint_text("name, e.g. europe or eastus")
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(search_label.id);
        self.focus.give(&search);
        ui.horizontal(|ui| {
            if ui
                .button("Preview regions")
                .on_hover_text("The 13 target regions of the service's preview (the seed's table)")
                .clicked()
            {
                for r in regions_of(&PREVIEW_TARGET_REGIONS) {
                    if !existing.contains(&r) {
                        self.chosen.insert(r);
                    }
                }
            }
            if ui.button("Clear").clicked() {
                self.chosen.clear();
            }
            ui.weak(format!("{} chosen", self.chosen.len()));
        });
        let words: Vec<String> = self
            .search
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        // The list takes the dialog's height, whatever the search leaves in it, so the buttons
        // below stay where they are.
        egui::ScrollArea::vertical()
            .max_height((ui.available_height() - 44.0).max(160.0))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for continent in Continent::ALL {
                    let regions: Vec<Region> = Region::all()
                        .filter(|r| r.continent() == continent)
                        .filter(|r| {
                            words.iter().all(|w| {
                                r.name().contains(w.as_str())
                                    || r.display_name().to_lowercase().contains(w.as_str())
                                    || r.info().geography.to_lowercase().contains(w.as_str())
                                    || continent.label().to_lowercase().contains(w.as_str())
                            })
                        })
                        .collect();
                    if regions.is_empty() {
                        continue;
                    }
                    ui.label(RichText::new(continent.label()).strong());
                    ui.indent(continent.label(), |ui| {
                        for r in regions {
                            let present = existing.contains(&r);
                            let permitted = policy.is_none_or(|p| p.allows_replica(r));
                            let mut on = present || self.chosen.contains(&r);
                            let down = outages.contains(&r);
                            let text = format!(
                                "{} ({}, {}){}{}",
                                r.display_name(),
                                r.name(),
                                r.info().geography,
                                if r.on_request() { ON_REQUEST } else { "" },
                                if down { OUTAGE } else { "" }
                            );
                            let response = ui.add_enabled(
                                !present && permitted,
                                egui::Checkbox::new(&mut on, text),
                            );
                            let response = region_hints(response, r, present, down, policy);
                            if response.changed() {
                                if on {
                                    self.chosen.insert(r);
                                } else {
                                    self.chosen.remove(&r);
                                }
                            }
                        }
                    });
                }
            });
        ui.separator();
        let mut outcome = None;
        ui.horizontal(|ui| {
            let label = format!("Add {}", count(self.chosen.len(), "region", "regions"));
            let ready = !self.chosen.is_empty();
            if ui.add_enabled(ready, egui::Button::new(label)).clicked()
                || (ready && crate::ui::widgets::form::enter_pressed(ui))
            {
                outcome = Some(PickerOutcome::Add(self.chosen.iter().copied().collect()));
            }
            if ui.button("Cancel").clicked() {
                outcome = Some(PickerOutcome::Cancel);
            }
        });
        outcome
    }
}

/// When no region can be added (each is a target already or excluded by the workspace's
/// region policy), says so, before a list of rows that are all disabled.
fn nothing_to_add(existing: &[Region], policy: Option<&RegionPolicy>) -> Option<String> {
    let (mut present, mut excluded) = (0, 0);
    for r in Region::all() {
        if existing.contains(&r) {
            present += 1;
        } else if policy.is_some_and(|p| !p.allows_replica(r)) {
            excluded += 1;
        } else {
            return None;
        }
    }
    Some(if excluded == 0 {
        format!("No region can be added: the version already targets all {present} regions.")
    } else {
        format!(
            "No region can be added: the version targets {present} and the workspace's region policy excludes the other {excluded} (Workspace settings, Region policy)."
        )
    })
}
