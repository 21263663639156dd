//! The menu bar and keyboard shortcuts, both built from the one action table.

use egui::Ui;

use crate::model::ResourcePath;
use crate::ui::actions::Action;
use crate::ui::app::SigStudioApp;
use crate::ui::command::{Command, Pending};

impl SigStudioApp {
    pub(in crate::ui) fn handle_shortcuts(&mut self, ctx: &egui::Context) {
        if self.dialog.is_some() {
            return;
        }
        let typing = ctx.egui_wants_keyboard_input();
        // Shortcuts with more modifiers first: egui matches Ctrl+N "logically" when Shift is
        // also held, so Ctrl+Shift+N must be consumed before Ctrl+N sees it.
        let mut shortcuts: Vec<(egui::KeyboardShortcut, Action)> = Action::ALL
            .into_iter()
            .filter(|action| !typing || action.works_while_typing())
            .flat_map(|action| action.shortcuts().into_iter().map(move |s| (s, action)))
            .collect();
        shortcuts.sort_by_key(|(s, _)| {
            std::cmp::Reverse(
                u8::from(s.modifiers.shift)
                    + u8::from(s.modifiers.alt)
                    + u8::from(s.modifiers.command),
            )
        });
        for (shortcut, action) in shortcuts {
            if ctx.input_mut(|i| i.consume_shortcut(&shortcut)) {
                self.commands.push(Command::Run(action));
            }
        }
    }

    pub(in crate::ui) fn menu_bar(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                for action in [Action::New, Action::Open, Action::OpenPath] {
                    self.menu_item(ui, &ctx, action, true);
                }
                ui.menu_button("Open recent", |ui| {
                    if self.tasks.recent.files.is_empty() {
                        ui.weak("No recent files");
                    }
                    for path in self.tasks.recent.files.clone() {
                        if ui.button(path.display().to_string()).clicked() {
                            self.commands.push(Command::Guard(Pending::OpenFile(path)));
                            ui.close();
                        }
                    }
                });
                ui.separator();
                self.menu_item(ui, &ctx, Action::Save, self.tasks.save.is_none());
                self.menu_item(ui, &ctx, Action::SaveAs, self.tasks.save.is_none());
                self.menu_item(ui, &ctx, Action::SaveToPath, self.tasks.save.is_none());
                let import = self.acting.permissions().import.clone();
                self.menu_item_as(ui, &ctx, Action::Import, true, import.as_deref());
                self.menu_item(ui, &ctx, Action::Export, true);
                self.menu_item(ui, &ctx, Action::ReviewChanges, true);
                ui.separator();
                self.menu_item(ui, &ctx, Action::Quit, true);
            });
            ui.menu_button("Edit", |ui| {
                // The label names the step: "Undo Delete version …".
                for (action, step) in [
                    (Action::Undo, self.doc.undo_label()),
                    (Action::Redo, self.doc.redo_label()),
                ] {
                    let text = step.map_or_else(
                        || action.label().to_owned(),
                        |l| format!("{} {l}", action.label()),
                    );
                    let button = egui::Button::new(text).shortcut_text(shortcut_text(&ctx, action));
                    if ui.add_enabled(step.is_some(), button).clicked() {
                        self.commands.push(Command::Run(action));
                        ui.close();
                    }
                }
                ui.separator();
                let selected = self
                    .selection
                    .as_ref()
                    .is_some_and(|p| *p != ResourcePath::Settings);
                let version = matches!(self.selection, Some(ResourcePath::Version(..)));
                // What the acting principal may not do is disabled, with the reason.
                let p = self.acting.permissions().clone();
                for (action, enabled) in [
                    (Action::AddChild, true),
                    (Action::Rename, selected),
                    (Action::Duplicate, version),
                    (Action::Delete, selected),
                ] {
                    self.menu_item_as(ui, &ctx, action, enabled, p.refusal(action));
                }
                ui.separator();
                let retention = matches!(
                    self.selection,
                    Some(
                        ResourcePath::Gallery(_)
                            | ResourcePath::Definition(..)
                            | ResourcePath::Version(..)
                    )
                );
                let deployable = matches!(
                    self.selection,
                    Some(ResourcePath::Version(..) | ResourcePath::Definition(..))
                );
                for (action, enabled) in [
                    (Action::PlanReplicas, version),
                    (Action::RetentionPolicy, retention),
                    (Action::Deploy, deployable),
                ] {
                    self.menu_item_as(ui, &ctx, action, enabled, p.refusal(action));
                }
                ui.separator();
                self.menu_item(ui, &ctx, Action::WorkspaceSettings, true);
            });
            ui.menu_button("View", |ui| {
                for (action, shown) in [
                    (Action::ToggleTree, self.prefs.show_tree),
                    (Action::ToggleProblems, self.prefs.show_problems),
                    (Action::ToggleTheme, self.prefs.dark),
                    (Action::ToggleCost, self.prefs.show_cost),
                    (Action::ToggleActivity, self.prefs.show_activity),
                ] {
                    let mut checked = shown;
                    if ui
                        .checkbox(&mut checked, action.label())
                        .on_hover_text(action.tooltip())
                        .clicked()
                    {
                        self.commands.push(Command::Run(action));
                        ui.close();
                    }
                }
                self.menu_item(ui, &ctx, Action::FocusSearch, true);
            });
            ui.menu_button("Simulation", |ui| self.simulation_menu(ui));
            ui.menu_button("Access", |ui| self.access_menu_ui(ui));
            ui.menu_button("Help", |ui| {
                self.menu_item(ui, &ctx, Action::Shortcuts, true);
                self.menu_item(ui, &ctx, Action::About, true);
            });
        });
    }

    fn access_menu_ui(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        for action in [
            Action::Principals,
            Action::AccessMatrix,
            Action::CheckAccess,
        ] {
            self.menu_item(ui, &ctx, action, true);
        }
    }

    fn menu_item(&mut self, ui: &mut Ui, ctx: &egui::Context, action: Action, enabled: bool) {
        self.menu_item_as(ui, ctx, action, enabled, None);
    }

    /// A menu item the acting principal may be refused: disabled, `refusal` in its tooltip.
    fn menu_item_as(
        &mut self,
        ui: &mut Ui,
        ctx: &egui::Context,
        action: Action,
        enabled: bool,
        refusal: Option<&str>,
    ) {
        let shortcut = shortcut_text(ctx, action);
        let mut button = egui::Button::new(action.label());
        if !shortcut.is_empty() {
            // An empty shortcut text would still leave a trailing space in the spoken label.
            button = button.shortcut_text(shortcut);
        }
        if ui
            .add_enabled(enabled && refusal.is_none(), button)
            .on_hover_text(action.tooltip())
            .on_disabled_hover_text(refusal.unwrap_or(action.tooltip()))
            .clicked()
        {
            self.commands.push(Command::Run(action));
            ui.close();
        }
    }
}

fn shortcut_text(ctx: &egui::Context, action: Action) -> String {
    action
        .shortcuts()
        .first()
        .map(|s| ctx.format_shortcut(s))
        .unwrap_or_default()
}
