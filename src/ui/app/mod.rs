//! The app shell: what the window holds, and one frame. Start-up is in `startup.rs`, commands
//! apply in `command_handling.rs`, background file work is in `background.rs`, menus and
//! shortcuts in `menus.rs`; each panel and dialog owns its state in its own file.
//!
//! A frame: [`eframe::App::logic`] polls background work and advances the simulation (the only
//! places besides commands where the workspace changes); [`SigStudioApp::ui_frame`] draws the
//! panels and the dialog, which read the workspace and push [`Command`]s; the commands apply
//! after drawing, in order, through the document.

mod command_handling;
mod file_work;
mod import_work;
mod layout;
mod menus;
mod simulation_control;
mod startup;

use std::path::PathBuf;
use std::time::Instant;

use egui::Ui;

use crate::document::Document;
use crate::model::{Date, Problem, ResourcePath};
use crate::ui::command::{Command, Dialog, DialogCx, Pending};
use crate::ui::panels::cost::CostView;
use crate::ui::panels::problems::ProblemsPanel;
use crate::ui::panels::{ActingBanner, EditorPanel, StatusBar, TreePanel};
use crate::ui::tasks::Tasks;
use crate::ui::tasks::simulation::Simulation;

/// UI preferences kept in eframe's storage (never the workspace).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Prefs {
    pub dark: bool,
    pub show_tree: bool,
    pub show_problems: bool,
    /// The cost view (View, Cost); closed by default.
    pub show_cost: bool,
    /// The replication activity panel (View, Activity); closed by default.
    pub show_activity: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            dark: true,
            show_tree: true,
            show_problems: true,
            show_cost: false,
            show_activity: false,
        }
    }
}

pub(in crate::ui) const PREFS_KEY: &str = "sig-studio-prefs";

/// How the app starts.
// Used once at start-up: boxing the workspace would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Startup {
    /// Decide from the app's folders: a recovery copy, the last workspace, or the sample on first start.
    Restore,
    /// Open this file.
    File(PathBuf),
    /// Start with this workspace (tests, screenshots).
    Workspace(crate::model::Workspace, Option<PathBuf>),
}

/// Validation problems of the workspace, recomputed only after the user's edits (replication
/// progress does not change what the rules say).
#[derive(Default)]
pub(in crate::ui) struct Validation {
    pub(in crate::ui) problems: Vec<Problem>,
    pub(in crate::ui) generation: Option<u64>,
}

/// The SIG Studio window.
pub struct SigStudioApp {
    pub doc: Document,
    pub prefs: Prefs,
    pub selection: Option<ResourcePath>,
    /// The dialog on top of the window, if any.
    pub(in crate::ui) dialog: Option<Box<dyn Dialog>>,
    /// Commands pushed while drawing, applied after the frame.
    pub(in crate::ui) commands: Vec<Command>,
    /// The date end-of-life dates are judged against, given at start-up.
    pub(in crate::ui) today: Date,
    pub(in crate::ui) validation: Validation,
    pub(in crate::ui) tasks: Tasks,
    pub(in crate::ui) tree: TreePanel,
    pub(in crate::ui) editor: EditorPanel,
    pub(in crate::ui) status: StatusBar,
    pub(in crate::ui) problems_panel: ProblemsPanel,
    /// Whom the app acts as, and what that principal may do with the selection.
    pub(in crate::ui) acting: ActingBanner,
    pub(in crate::ui) cost_view: CostView,
    pub(in crate::ui) simulation: Simulation,
    pub(in crate::ui) shell: Shell,
}

/// The window's own bookkeeping.
#[derive(Default)]
pub(in crate::ui) struct Shell {
    /// The user chose to quit without saving: let the close through.
    pub(in crate::ui) allow_close: bool,
    pub(in crate::ui) theme_applied: Option<bool>,
    /// The fonts were handed to egui (once, before the first frame).
    pub(in crate::ui) fonts_applied: bool,
    /// When the process started, to report the time to the first frame (`SIG_STUDIO_STARTUP_TRACE`).
    pub(in crate::ui) started: Option<Instant>,
    /// The title last sent to the window (sent again only when it changes).
    pub(in crate::ui) window_title: Option<String>,
}

impl SigStudioApp {
    /// Validation problems of the current workspace (model and access rules).
    pub fn problems(&mut self) -> &[Problem] {
        let generation = self.doc.edit_generation();
        if self.validation.generation != Some(generation) {
            self.validation.problems = crate::validate(self.doc.ws(), self.today);
            self.validation.generation = Some(generation);
        }
        &self.validation.problems
    }

    /// The window title: file name, unsaved marker, app name.
    pub fn title(&self) -> String {
        format!(
            "{}{} — SIG Studio",
            if self.doc.is_dirty() { "● " } else { "" },
            self.doc.title()
        )
    }

    /// The dialog on top of the window (tests look inside with `downcast_ref`).
    pub fn dialog(&self) -> Option<&dyn Dialog> {
        self.dialog.as_deref()
    }

    /// Opens a dialog as a command would (tests, benchmarks, screenshots).
    pub fn open_dialog(&mut self, dialog: Box<dyn Dialog>) {
        self.dialog = Some(dialog);
    }

    /// The field the editor focuses next (tests and screenshots).
    pub fn focus_field(&mut self, field: Option<&'static str>) {
        self.editor.focus_field = field;
    }

    /// Background work and the simulation: everything that changes the workspace other than
    /// the user's commands, done before the frame is drawn.
    fn update_before_frame(&mut self, ctx: &egui::Context) {
        if !self.shell.fonts_applied {
            ctx.set_fonts(crate::ui::theme::fonts());
            self.shell.fonts_applied = true;
        }
        if self.shell.theme_applied != Some(self.prefs.dark) {
            ctx.set_theme(if self.prefs.dark {
                egui::Theme::Dark
            } else {
                egui::Theme::Light
            });
            self.shell.theme_applied = Some(self.prefs.dark);
        }
        self.poll_background(ctx);
        self.drive_simulation(ctx);
        self.status.expire(ctx);
    }

    /// Draws one frame into `ui` (the whole window), then applies what it asked for.
    pub fn ui_frame(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.handle_shortcuts(&ctx);
        self.problems();
        self.acting.refresh(
            self.doc.ws(),
            self.doc.edit_generation(),
            self.selection.as_ref(),
        );

        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        if self.acting.shown() {
            egui::Panel::top("acting-banner").show(ui, |ui| self.acting.ui(ui, &mut self.commands));
        }
        self.status_bar(ui);
        if self.prefs.show_activity {
            self.activity_panel(ui);
        }
        if self.prefs.show_problems {
            self.problems_panel(ui);
        }
        if self.prefs.show_tree {
            self.tree_panel(ui);
        }
        if self.prefs.show_cost {
            self.cost_panel(ui);
        }
        egui::CentralPanel::default().show(ui, |ui| self.editor_panel(ui));
        self.progress_overlay(&ctx);
        self.dialog_ui(&ctx);

        for command in std::mem::take(&mut self.commands) {
            self.apply(command, &ctx);
        }
        self.after_frame(&ctx);
    }

    fn dialog_ui(&mut self, ctx: &egui::Context) {
        let Some(mut dialog) = self.dialog.take() else {
            return;
        };
        let title = self.doc.title();
        let cx = DialogCx {
            ws: self.doc.shared(),
            baseline: self.doc.baseline(),
            generation: self.doc.generation(),
            edit_generation: self.doc.edit_generation(),
            today: self.today,
            title: &title,
            user_changes: self.doc.has_user_changes(),
            recent: &self.tasks.recent.files,
            path: self.doc.path.as_deref(),
            blocked: self.simulation.engine.blocked(),
        };
        let mut out = Vec::new();
        // Every dialog hangs from the same place near the top of the window: one that changes
        // height grows downwards instead of re-centring under the pointer.
        let id = egui::Id::unique("sig-studio-dialog");
        let area = egui::Modal::default_area(id).anchor(egui::Align2::CENTER_TOP, [0.0, 48.0]);
        let room = ctx.content_rect().size() - egui::vec2(48.0, 96.0);
        let size = dialog
            .size()
            .map(|s| s.min(room).max(egui::vec2(320.0, 200.0)));
        let response = egui::Modal::new(id).area(area).show(ctx, |ui| {
            match size {
                Some(size) => {
                    ui.set_min_size(size);
                    ui.set_max_size(size);
                }
                None => ui.set_max_width(560.0),
            }
            dialog.ui(ui, &cx, &mut out)
        });
        let mut keep = response.inner;
        if keep && response.should_close() && dialog.dismiss(&mut out) {
            keep = false;
        }
        self.commands.extend(out);
        if keep {
            self.dialog = Some(dialog);
        }
    }

    fn after_frame(&mut self, ctx: &egui::Context) {
        if let Some(started) = self.shell.started.take()
            && let Ok(trace) = std::env::var("SIG_STUDIO_STARTUP_TRACE")
        {
            eprintln!(
                "sig-studio: first frame after {} ms",
                started.elapsed().as_millis()
            );
            if trace == "exit" {
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
        let title = self.title();
        if self.shell.window_title.as_deref() != Some(title.as_str()) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.shell.window_title = Some(title);
        }
    }
}

impl eframe::App for SigStudioApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        // Ask before closing with unsaved changes.
        if ctx.input(|i| i.viewport().close_requested())
            && self.doc.is_dirty()
            && !self.shell.allow_close
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            let asking = self
                .dialog
                .as_deref()
                .is_some_and(|d| d.is::<crate::ui::dialogs::unsaved::UnsavedDialog>());
            if !asking {
                self.dialog = Some(Box::new(crate::ui::dialogs::unsaved::UnsavedDialog::new(
                    Pending::Quit,
                )));
            }
        }
        self.update_before_frame(ctx);
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.ui_frame(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
    }

    fn on_exit(&mut self) {
        self.tasks.on_exit(&self.doc);
    }
}
