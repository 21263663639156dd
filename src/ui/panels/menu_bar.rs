//! The menu bar, built from the action table: each item asks its action's availability for
//! the selection, so it is left out, disabled with the reason, or runs the action.

use egui::{RichText, Ui};

use crate::model::Region;
use crate::replication::Speed;
use crate::ui::actions::UserAction;
use crate::ui::actions::keys::shortcut_text;
use crate::ui::intent::{Intent, Leave, ReplicationRequest, Target};
use crate::ui::view::ViewCx;
use crate::ui::widgets::WhyDisabled;
use crate::ui::widgets::action::menu_item;

/// Draws the menu bar.
pub fn ui(ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
    let selected = cx.selected();
    let item = |ui: &mut Ui, action: UserAction, out: &mut Vec<Intent>| {
        menu_item(ui, cx, action, &selected, out);
    };
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            for action in [UserAction::New, UserAction::Open, UserAction::OpenPath] {
                item(ui, action, out);
            }
            ui.menu_button("Open recent", |ui| recent_menu(ui, cx, out));
            ui.separator();
            for action in [
                UserAction::Save,
                UserAction::SaveAs,
                UserAction::SaveToPath,
                UserAction::Import,
                UserAction::ConnectAzure,
                UserAction::RefreshAzure,
                UserAction::Export,
                UserAction::ReviewChanges,
                UserAction::ApplyToAzure,
            ] {
                item(ui, action, out);
            }
            ui.separator();
            item(ui, UserAction::Quit, out);
        });
        ui.menu_button("Edit", |ui| edit_menu(ui, cx, &selected, out));
        ui.menu_button("View", |ui| {
            for (action, shown) in [
                (UserAction::ToggleTree, cx.prefs.show_tree),
                (UserAction::ToggleProblems, cx.prefs.show_problems),
                (UserAction::ToggleTheme, cx.prefs.dark),
                (UserAction::ToggleCost, cx.prefs.show_cost),
                (UserAction::ToggleActivity, cx.prefs.show_activity),
            ] {
                let mut checked = shown;
                if ui
                    .checkbox(&mut checked, action.label())
                    .on_hover_text(action.tooltip())
                    .clicked()
                {
                    out.push(Intent::run(action, Target::Workspace));
                    ui.close();
                }
            }
            item(ui, UserAction::FocusSearch, out);
        });
        ui.menu_button("Simulation", |ui| simulation_menu(ui, cx, out));
        ui.menu_button("Access", |ui| {
            for action in [
                UserAction::Principals,
                UserAction::AccessMatrix,
                UserAction::CheckAccess,
            ] {
                item(ui, action, out);
            }
        });
        ui.menu_button("Help", |ui| {
            item(ui, UserAction::Shortcuts, out);
            item(ui, UserAction::About, out);
        });
    });
}

fn recent_menu(ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
    if cx.files.recent.is_empty() {
        ui.weak("No recent files");
    }
    for path in cx.files.recent {
        if ui.button(path.display().to_string()).clicked() {
            out.push(Intent::Leave(Leave::OpenFile(path.clone())));
            ui.close();
        }
    }
}

fn edit_menu(ui: &mut Ui, cx: &ViewCx<'_>, selected: &Target, out: &mut Vec<Intent>) {
    // The label names the step: "Undo Delete version …".
    for (action, step) in [
        (UserAction::Undo, cx.doc.undo_label()),
        (UserAction::Redo, cx.doc.redo_label()),
    ] {
        let text = step.map_or_else(
            || action.label().to_owned(),
            |l| format!("{} {l}", action.label()),
        );
        let availability = action.availability(cx, selected);
        let button = egui::Button::new(text).shortcut_text(shortcut_text(ui.ctx(), action));
        if ui
            .add_enabled(availability.is_enabled(), button)
            .why_disabled(availability.reason().unwrap_or_default())
            .clicked()
        {
            out.push(Intent::run(action, selected.clone()));
            ui.close();
        }
    }
    ui.separator();
    for action in [
        UserAction::AddChild,
        UserAction::Rename,
        UserAction::Duplicate,
        UserAction::Delete,
    ] {
        menu_item(ui, cx, action, selected, out);
    }
    ui.separator();
    for action in [
        UserAction::PlanReplicas,
        UserAction::RetentionPolicy,
        UserAction::Deploy,
        UserAction::HandOff,
    ] {
        menu_item(ui, cx, action, selected, out);
    }
    ui.separator();
    menu_item(ui, cx, UserAction::WorkspaceSettings, selected, out);
}

/// The Simulation menu: speed and simulated outages of the regions in use.
fn simulation_menu(ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
    ui.label(RichText::new("Speed").strong());
    for speed in Speed::ALL {
        if ui
            .radio(cx.simulation.speed == speed, speed.label())
            .clicked()
        {
            out.push(Intent::Replication(ReplicationRequest::SetSpeed(speed)));
            ui.close();
        }
    }
    ui.separator();
    ui.menu_button("Region outages", |ui| {
        let mut regions: Vec<Region> = cx
            .ws
            .versions()
            .flat_map(|(_, _, v)| v.target_regions.iter().map(|t| t.region))
            .chain(cx.ws.simulation.outages.iter().copied())
            .collect();
        regions.sort_by_key(|r| r.display_name());
        regions.dedup();
        if regions.is_empty() {
            ui.weak("No target regions yet");
        }
        egui::ScrollArea::vertical().max_height(400.0).show(ui, |ui| {
            for region in regions {
                let mut down = cx.ws.simulation.has_outage(region);
                if ui
                    .checkbox(&mut down, format!("{} unavailable", region.display_name()))
                    .on_hover_text("Simulate an outage: replication into or out of the region fails until it is available again")
                    .changed()
                {
                    out.push(Intent::Replication(ReplicationRequest::Outage(region, down)));
                    ui.close();
                }
            }
        });
    });
}
