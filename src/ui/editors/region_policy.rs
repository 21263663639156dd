//! The workspace settings' region policy: where galleries may be created and versions
//! replicated. Off, every region of the catalog is allowed; on, a table of regions with one
//! checkbox per list. The rule itself is the model's ([`RegionPolicy`]); this only edits it.

use egui::{RichText, Ui};

use crate::model::region::Continent;
use crate::model::{Region, RegionPolicy, Workspace};
use crate::ui::widgets::WhyDisabled;
use crate::words::count;

/// Where the region policy is changed, for the tooltips that point here.
pub const WHERE_TO_CHANGE: &str =
    "Change it under Region policy in the workspace settings (Edit → Workspace settings, Ctrl+,)";

/// One line saying what the policy allows.
pub fn summary(policy: Option<&RegionPolicy>) -> String {
    match policy {
        None => {
            "No region policy: galleries may be created and versions replicated in every region"
                .to_owned()
        }
        Some(p) => format!(
            "Galleries may be created in {}; versions may be replicated to {} and to the gallery regions",
            count(p.sources.len(), "region", "regions"),
            count(p.targets.len(), "listed region", "listed regions"),
        ),
    }
}

/// Why the region picker greys out `region`: which policy excludes it and where to change it.
pub fn excluded_reason(region: Region, policy: &RegionPolicy) -> String {
    format!(
        "The workspace's region policy does not allow replicas in {}: versions may be replicated only to its {} and to the {} galleries may be created in. {WHERE_TO_CHANGE}",
        region.display_name(),
        count(
            policy.targets.len(),
            "listed target region",
            "listed target regions"
        ),
        count(policy.sources.len(), "region", "regions"),
    )
}

/// The region policy section; returns the policy to store and a notice when one was changed.
pub fn region_policy_ui(
    ui: &mut Ui,
    ws: &Workspace,
    stored: Option<&RegionPolicy>,
    search: &mut String,
) -> Option<(Option<RegionPolicy>, String)> {
    let mut change = None;
    let mut on = stored.is_some();
    if ui
        .checkbox(&mut on, "Restrict regions with a region policy")
        .on_hover_text(
            "As the service's preview did: galleries only in the regions listed for them, versions replicated only to the regions listed for them (and to the gallery regions). Validation reports anything outside it",
        )
        .changed()
    {
        change = Some(if on {
            (
                Some(RegionPolicy::in_use(ws)),
                "Region policy on: the regions in use are allowed".to_owned(),
            )
        } else {
            (None, "Region policy off: every region is allowed".to_owned())
        });
    }
    ui.label(summary(stored));
    let Some(policy) = stored else {
        return change;
    };
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Allow the regions in use")
            .on_hover_text(
                "Galleries' regions for galleries, every version's target regions for replicas",
            )
            .clicked()
        {
            change = Some((
                Some(RegionPolicy::in_use(ws)),
                "Region policy: the regions in use are allowed".to_owned(),
            ));
        }
        if ui
            .button("Use the preview's regions")
            .on_hover_text(
                "Galleries in West Central US; replicas in the 13 regions of the service's preview",
            )
            .clicked()
        {
            change = Some((
                Some(RegionPolicy::preview()),
                "Region policy: the preview's regions".to_owned(),
            ));
        }
    });
    ui.horizontal(|ui| {
        let label = ui.label("Search regions");
        ui.add(
            egui::TextEdit::singleline(search)
                .hint_text("name, e.g. europe or eastus")
                .desired_width(240.0),
        )
        .labelled_by(label.id);
    });
    if let Some(table_change) = table_ui(ui, policy, search) {
        change = Some(table_change);
    }
    change
}

/// One row per region matching `search`, grouped by continent: may galleries be created
/// there, may versions be replicated there.
fn table_ui(
    ui: &mut Ui,
    policy: &RegionPolicy,
    search: &str,
) -> Option<(Option<RegionPolicy>, String)> {
    let words: Vec<String> = search.split_whitespace().map(str::to_lowercase).collect();
    let mut change = None;
    egui::Grid::new("region-policy")
        .num_columns(3)
        .spacing([24.0, 4.0])
        .striped(true)
        .show(ui, |ui| {
            ui.label(RichText::new("Region").strong());
            ui.label(RichText::new("Galleries").strong())
                .on_hover_text("Galleries may be created here");
            ui.label(RichText::new("Replicas").strong()).on_hover_text(
                "Versions may be replicated here (a gallery region always may: a version keeps a replica in its source region)",
            );
            ui.end_row();
            for continent in Continent::ALL {
                let regions: Vec<Region> = Region::all()
                    .filter(|r| r.continent() == continent && matches(*r, &words))
                    .collect();
                if regions.is_empty() {
                    continue;
                }
                ui.label(RichText::new(continent.label()).weak());
                ui.end_row();
                for region in regions {
                    if let Some(c) = row_ui(ui, policy, region) {
                        change = Some(c);
                    }
                    ui.end_row();
                }
            }
        });
    change
}

fn matches(region: Region, words: &[String]) -> bool {
    words.iter().all(|w| {
        region.name().contains(w.as_str())
            || region.display_name().to_lowercase().contains(w.as_str())
            || region.info().geography.to_lowercase().contains(w.as_str())
            || region
                .continent()
                .label()
                .to_lowercase()
                .contains(w.as_str())
    })
}

/// A region's row: its name and a checkbox for each list, spoken as "Galleries in East US"
/// and "Replicas in East US".
fn row_ui(
    ui: &mut Ui,
    policy: &RegionPolicy,
    region: Region,
) -> Option<(Option<RegionPolicy>, String)> {
    let name = region.display_name();
    ui.label(format!("{name} ({})", region.name()));
    let mut change = None;
    let mut gallery = policy.allows_gallery(region);
    let label = format!("Galleries in {name}");
    let response = ui.add(egui::Checkbox::without_text(&mut gallery));
    response.widget_info(|| {
        egui::WidgetInfo::selected(egui::Role::CheckBox, true, gallery, label.clone())
    });
    if response.on_hover_text(&label).changed() {
        let mut updated = policy.clone();
        updated.set_gallery(region, gallery);
        let verb = if gallery {
            "allowed"
        } else {
            "no longer allowed"
        };
        change = Some((Some(updated), format!("Galleries {verb} in {name}")));
    }
    // A gallery region holds its versions' source replicas: always allowed for replicas.
    let through_galleries = policy.allows_gallery(region);
    let mut replica = policy.allows_replica(region);
    let label = format!("Replicas in {name}");
    let response = ui.add_enabled(
        !through_galleries,
        egui::Checkbox::without_text(&mut replica),
    );
    response.widget_info(|| {
        egui::WidgetInfo::selected(
            egui::Role::CheckBox,
            !through_galleries,
            replica,
            label.clone(),
        )
    });
    let response = response.on_hover_text(&label).why_disabled(format!(
        "Allowed: galleries may be created in {name}, and a version keeps a replica in its source region"
    ));
    if response.changed() {
        let mut updated = policy.clone();
        updated.set_target(region, replica);
        let verb = if replica {
            "allowed"
        } else {
            "no longer allowed"
        };
        change = Some((Some(updated), format!("Replicas {verb} in {name}")));
    }
    change
}
