//! Help, Keyboard shortcuts (F1): every shortcut, from the one action table.

use egui::Ui;

use crate::ui::actions::Action;
use crate::ui::dialogs::{Command, Dialog, DialogCx};

#[derive(Default)]
pub struct ShortcutsDialog;

impl Dialog for ShortcutsDialog {
    fn ui(&mut self, ui: &mut Ui, _cx: &DialogCx<'_>, _out: &mut Vec<Command>) -> bool {
        shortcuts_ui(ui, &ui.ctx().clone());
        !ui.button("Close").clicked()
    }
}

/// The shortcut list, from the one action table.
fn shortcuts_ui(ui: &mut Ui, ctx: &egui::Context) {
    ui.heading("Keyboard shortcuts");
    egui::Grid::new("shortcuts")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for action in Action::ALL {
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
                ui.end_row();
            }
            for (what, keys) in [
                ("Move in the tree", "Up, Down"),
                ("Expand, collapse", "Right, Left"),
                ("Open the selected resource", "Enter"),
            ] {
                ui.label(what);
                ui.monospace(keys);
                ui.end_row();
            }
        });
}
