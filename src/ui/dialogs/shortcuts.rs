//! Help, Keyboard shortcuts (F1): every shortcut, from the one action table, with whether it
//! works on the selection now and, if not, why (the reason its menu item gives).

use egui::{RichText, Ui};

use crate::ui::actions::{Availability, UserAction};
use crate::ui::dialogs::{Dialog, Intent, OpenDialog, ViewCx};

#[derive(Default)]
pub struct ShortcutsDialog;

impl OpenDialog for ShortcutsDialog {
    type Request = ();

    fn open((): (), _cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        Some(Self)
    }
}

impl Dialog for ShortcutsDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, _out: &mut Vec<Intent>) {
        shortcuts_ui(ui, cx);
        if ui.button("Close").clicked() {
            ui.close();
        }
    }
}

/// The shortcut list, from the one action table.
fn shortcuts_ui(ui: &mut Ui, cx: &ViewCx<'_>) {
    ui.heading("Keyboard shortcuts");
    let target = cx.selected();
    let ctx = ui.ctx().clone();
    egui::Grid::new("shortcuts")
        .num_columns(3)
        .striped(true)
        .show(ui, |ui| {
            for action in UserAction::ALL {
                let keys: Vec<String> = action
                    .shortcuts()
                    .iter()
                    .map(|s| ctx.format_shortcut(s))
                    .collect();
                if keys.is_empty() {
                    continue;
                }
                ui.label(action.label().trim_end_matches('…'));
                ui.monospace(keys.join(", "));
                match action.availability(cx, &target) {
                    Availability::Enabled => ui.label(""),
                    // The reason on hover: a long refusal would widen the list.
                    Availability::Disabled(reason) => ui.weak("Not now").on_hover_text(reason),
                    Availability::Hidden => ui
                        .weak("Not for the selection")
                        .on_hover_text(action.tooltip()),
                };
                ui.end_row();
            }
            for (what, keys) in [
                ("Move in the tree", "Up, Down"),
                ("Expand, collapse", "Right, Left"),
                ("Open the selected resource", "Enter"),
            ] {
                ui.label(what);
                ui.monospace(keys);
                ui.label("");
                ui.end_row();
            }
        });
    ui.add_space(4.0);
    ui.label(RichText::new("A shortcut acts on the selection, as its menu item does.").weak());
}
