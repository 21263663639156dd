//! Where the panels go in the window, and what each is lent for a frame.

use egui::Ui;

use crate::ui::app::SigStudioApp;
use crate::ui::command::{Command, PanelCx};
use crate::ui::panels::{StatusFacts, editor};

/// The width the editor keeps when side panels are open (a version's fields and the first
/// columns of its region table); what does not fit scrolls sideways.
pub const EDITOR_MIN_WIDTH: f32 = 480.0;

/// Lends the document's current state to a panel (a macro, so that the panel's own field can
/// be borrowed mutably beside it).
macro_rules! panel_cx {
    ($app:expr) => {
        PanelCx {
            ws: $app.doc.ws(),
            generation: $app.doc.generation(),
            edit_generation: $app.doc.edit_generation(),
            failures: $app.simulation.failures,
            selection: $app.selection.as_ref(),
            problems: &$app.validation.problems,
            today: $app.today,
            dialog_open: $app.dialog.is_some(),
            permissions: $app.acting.permissions(),
        }
    };
}

impl SigStudioApp {
    pub(in crate::ui) fn tree_panel(&mut self, ui: &mut Ui) {
        // At most 30 % of the window: the editor keeps its room in a small window.
        let most = (ui.available_width() * 0.3).max(220.0);
        egui::Panel::left("tree")
            .resizable(true)
            .default_size(340.0_f32.min(most))
            .min_size(220.0)
            .max_size(most)
            .show(ui, |ui| {
                let cx = panel_cx!(self);
                self.tree.ui(ui, &cx, &mut self.commands);
            });
    }

    pub(in crate::ui) fn problems_panel(&mut self, ui: &mut Ui) {
        let most = (ui.available_height() * 0.3).max(60.0);
        egui::Panel::bottom("problems")
            .resizable(true)
            .default_size(150.0_f32.min(most))
            .min_size(60.0)
            .max_size(most)
            .show(ui, |ui| {
                let cx = panel_cx!(self);
                self.problems_panel.ui(ui, &cx, &mut self.commands);
            });
    }

    pub(in crate::ui) fn status_bar(&mut self, ui: &mut Ui) {
        let facts = StatusFacts {
            saving: self.tasks.save.is_some(),
            dirty: self.doc.is_dirty(),
            user_changes: self.doc.has_user_changes(),
            path: self.doc.path.as_ref().map(|p| p.display().to_string()),
        };
        egui::Panel::bottom("status").show(ui, |ui| {
            let cx = panel_cx!(self);
            let simulation = &self.simulation;
            let outages = &cx.ws.simulation.outages;
            self.status.ui(
                ui,
                &cx,
                &facts,
                |ui, out| simulation.status_ui(ui, outages, out),
                &mut self.commands,
            );
        });
        self.status.toast_ui(ui.ctx(), &mut self.commands);
    }

    /// The right-hand cost panel (View, Cost).
    pub(in crate::ui) fn cost_panel(&mut self, ui: &mut Ui) {
        // Whatever the tree left, the editor keeps EDITOR_MIN_WIDTH of it.
        let most = (ui.available_width() - EDITOR_MIN_WIDTH).max(260.0);
        egui::Panel::right("cost")
            .resizable(true)
            .default_size(560.0_f32.min(most))
            .min_size(260.0_f32.min(most))
            .max_size(most)
            .show(ui, |ui| {
                let cx = panel_cx!(self);
                // Narrower than its tables, the panel scrolls sideways instead of spilling
                // under the editor.
                egui::ScrollArea::both()
                    .id_salt("cost-scroll")
                    .auto_shrink([false, false])
                    .show(ui, |ui| self.cost_view.ui(ui, &cx, &mut self.commands));
            });
    }

    pub(in crate::ui) fn editor_panel(&mut self, ui: &mut Ui) {
        let cx = panel_cx!(self);
        let mut out: Vec<Command> = Vec::new();
        match self.selection.clone() {
            Some(path) => {
                if !self
                    .editor
                    .ui(ui, &cx, &path, &self.simulation.engine, &mut out)
                {
                    // The resource is gone (deleted, or undone away).
                    self.selection = None;
                }
            }
            None => editor::welcome_ui(ui, &cx, &mut out),
        }
        self.commands.extend(out);
    }
}
