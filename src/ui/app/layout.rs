//! Where the panels go in the window. Every panel and dialog reads the one [`ViewCx`] and
//! pushes [`Intent`]s; none changes the app while it draws.

use egui::Ui;

use crate::ui::app::AppState;
use crate::ui::intent::Intent;
use crate::ui::panels::{activity, editor, loading, menu_bar};
use crate::ui::view::ViewCx;

/// The width the editor keeps when side panels are open (a version's fields and the first
/// columns of its region table); what does not fit scrolls sideways.
pub const EDITOR_MIN_WIDTH: f32 = 480.0;

impl AppState {
    /// Draws the window: the panels, then the dialogs over them.
    pub(in crate::ui) fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        let ctx = ui.ctx().clone();
        // Under a dialog the window is inert from the frame the dialog opens: no widget there
        // shows its tooltip over the dialog (egui keeps one open while the pointer stays on
        // its widget, modal or not). Disabled reasons wait too (`widgets::WhyDisabled`).
        if cx.dialog_open {
            ui.disable();
        }
        egui::Panel::top("menu").show(ui, |ui| menu_bar::ui(ui, cx, out));
        egui::Panel::bottom("status").show(ui, |ui| self.status.ui(ui, cx, out));
        // Above the status bar, whose "Acting as" it follows, and one line high: appearing, it
        // moves no tree row and no editor field under the pointer.
        if cx.permissions().actor().is_some() {
            egui::Panel::bottom("acting-banner").show(ui, |ui| self.acting.ui(ui, cx, out));
        }
        if cx.prefs.show_activity {
            let most = (ui.available_height() * 0.3).max(120.0);
            egui::Panel::bottom("activity")
                .resizable(true)
                .default_size(240.0_f32.min(most))
                .min_size(120.0)
                .max_size(most)
                .show(ui, |ui| activity::ui(ui, cx, out));
        }
        if cx.prefs.show_problems {
            let most = (ui.available_height() * 0.3).max(60.0);
            egui::Panel::bottom("problems")
                .resizable(true)
                .default_size(150.0_f32.min(most))
                .min_size(60.0)
                .max_size(most)
                .show(ui, |ui| self.problems.ui(ui, cx, out));
        }
        if cx.prefs.show_tree {
            // At most a quarter of the window: in a small one the editor keeps the room its
            // region table needs (Remove in view at 1000 points).
            let most = (ui.available_width() * 0.25).max(220.0);
            let panel = egui::Panel::left("tree")
                .resizable(true)
                .default_size(340.0_f32.min(most))
                .min_size(220.0)
                .max_size(most);
            let panel = self.tree_width.panel(panel, 340.0, most);
            let shown = panel.show(ui, |ui| self.tree.ui(ui, cx, out));
            self.tree_width.shown(ui, shown.response.rect.width(), most);
        }
        if cx.prefs.show_cost {
            self.cost_panel(ui, cx, out);
        }
        egui::CentralPanel::default().show(ui, |ui| match cx.selection {
            Some(path) => self.editor.ui(ui, cx, path, out),
            None => editor::welcome_ui(ui, cx, out),
        });
        loading::ui(&ctx, cx);
        self.dialogs.ui(&ctx, cx, out);
    }

    /// The right-hand cost panel (View, Cost).
    fn cost_panel(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        // Whatever the tree left, the editor keeps EDITOR_MIN_WIDTH of it.
        let most = (ui.available_width() - EDITOR_MIN_WIDTH).max(260.0);
        let panel = egui::Panel::right("cost")
            .resizable(true)
            .default_size(560.0_f32.min(most))
            .min_size(260.0_f32.min(most))
            .max_size(most);
        let panel = self.cost_width.panel(panel, 560.0, most);
        let shown = panel.show(ui, |ui| {
            // Narrower than its tables, the panel scrolls sideways instead of spilling
            // under the editor.
            egui::ScrollArea::both()
                .id_salt("cost-scroll")
                .auto_shrink([false, false])
                .show(ui, |ui| self.cost.ui(ui, cx, out));
        });
        self.cost_width.shown(ui, shown.response.rect.width(), most);
    }
}

/// A side panel's width as the user chose it (by dragging its edge): a small window narrows
/// the panel for a while, never for good. egui keeps the narrowed width; once the window grows
/// again the panel is given back the chosen one.
#[derive(Default)]
pub(in crate::ui) struct ChosenWidth {
    /// What the user dragged the panel to (`None`: the default).
    chosen: Option<f32>,
    /// The width shown and the most allowed, last frame.
    last: Option<(f32, f32)>,
}

impl ChosenWidth {
    /// `panel`, held to the chosen width for a frame when the window grew and it is narrower.
    fn panel(&self, panel: egui::Panel, default: f32, most: f32) -> egui::Panel {
        let wanted = self.chosen.unwrap_or(default).min(most);
        match self.last {
            Some((width, last_most)) if most > last_most + 0.5 && width + 0.5 < wanted => {
                panel.exact_size(wanted)
            }
            _ => panel,
        }
    }

    /// Notes the width shown: a change while the window kept its size and the pointer is down
    /// is the user's drag (egui settles a panel over a frame or two after a resize).
    fn shown(&mut self, ui: &Ui, width: f32, most: f32) {
        let pointer = ui.input(|i| i.pointer.primary_down() || i.pointer.primary_released());
        if let Some((last_width, last_most)) = self.last
            && pointer
            && (last_most - most).abs() < 0.5
            && (last_width - width).abs() > 0.5
        {
            self.chosen = Some(width);
        }
        self.last = Some((width, most));
    }
}
