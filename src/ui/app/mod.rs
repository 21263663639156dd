//! The app shell: what the window holds, and one frame. As rerun splits `App` from
//! `AppState`, the shell's data (the document, the selection, what is derived from them,
//! background tasks, the simulation) is kept apart from [`AppState`], what is drawn (panels
//! and dialogs, each owning its state): a frame lends the first to the second as one read-only
//! [`ViewCx`], and applies the [`Intent`]s the views answer with afterwards.
//!
//! - `startup.rs`: building the app, restoring the last session.
//! - `derived.rs`: validation problems and what the acting principal may do, once per change.
//! - `layout.rs`: where each panel goes in the window.
//! - `dialog_stack.rs`: the open dialogs, one over another.
//! - `apply.rs`: the one place intents apply; `run.rs`: running an action of the action table.
//! - `file_work.rs`, `import_work.rs`, `azure_work.rs`, `simulation_control.rs`: the app's side
//!   of background file work, imports, the connection to Azure and the replication simulation.
//!
//! A frame: [`eframe::App::logic`] polls background work and advances the simulation (the only
//! places besides intents where the workspace changes); [`SigStudioApp::ui_frame`] draws the
//! panels and dialogs, which read the [`ViewCx`] and push [`Intent`]s; the intents apply after
//! drawing, in order, through the document.

mod apply;
mod apply_work;
mod azure_work;
mod derived;
mod dialog_stack;
mod file_work;
mod import_work;
mod layout;
mod run;
mod simulation_control;
mod startup;

use std::path::PathBuf;
use std::time::Instant;

use egui::Ui;

use crate::document::Document;
use crate::model::{Problem, ResourcePath};
use crate::ui::dialogs::{Dialog, DialogRequest};
use crate::ui::intent::{Intent, Leave};
use crate::ui::panels::cost::CostView;
use crate::ui::panels::problems::ProblemsPanel;
use crate::ui::panels::{ActingBanner, EditorPanel, StatusBar, TreePanel};
use crate::ui::tasks::Tasks;
use crate::ui::tasks::azure::AzureConnection;
use crate::ui::tasks::simulation::Simulation;
use crate::ui::view::{Files, Prefs, ViewCx};

use derived::Derived;
use dialog_stack::DialogStack;

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

/// The SIG Studio window.
pub struct SigStudioApp {
    pub doc: Document,
    pub prefs: Prefs,
    pub selection: Option<ResourcePath>,
    /// Validation problems and permissions, worked out once per change.
    pub(in crate::ui) derived: Derived,
    pub(in crate::ui) tasks: Tasks,
    /// The live, read-only connection to Azure: the subscription, its reads and the
    /// replication poll.
    pub(in crate::ui) azure: AzureConnection,
    pub(in crate::ui) simulation: Simulation,
    pub(in crate::ui) shell: Shell,
    /// What is drawn: the panels and the dialogs.
    pub(in crate::ui) state: AppState,
    /// Intents pushed while drawing, applied after the frame.
    pub(in crate::ui) intents: Vec<Intent>,
}

/// What the window draws, each part owning its state: the panels and the dialogs over them.
#[derive(Default)]
pub(in crate::ui) struct AppState {
    pub(in crate::ui) tree: TreePanel,
    pub(in crate::ui) editor: EditorPanel,
    pub(in crate::ui) status: StatusBar,
    pub(in crate::ui) problems: ProblemsPanel,
    pub(in crate::ui) acting: ActingBanner,
    pub(in crate::ui) cost: CostView,
    /// The tree's and the cost panel's widths as the user chose them.
    pub(in crate::ui) tree_width: layout::ChosenWidth,
    pub(in crate::ui) cost_width: layout::ChosenWidth,
    pub(in crate::ui) dialogs: DialogStack,
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

/// Lends the shell's data to the views for a frame. A function of the fields (not a method of
/// the app), so that the panels' state and the intents can be borrowed mutably beside it.
fn view_cx<'a>(
    doc: &'a Document,
    prefs: &'a Prefs,
    selection: Option<&'a ResourcePath>,
    derived: &'a Derived,
    (tasks, azure): (&'a Tasks, &'a AzureConnection),
    simulation: &'a Simulation,
    dialog_open: bool,
) -> ViewCx<'a> {
    ViewCx {
        doc,
        ws: doc.ws(),
        generation: doc.generation(),
        edit_generation: doc.edit_generation(),
        selection,
        problems: derived.problems(),
        today: derived.today,
        prefs,
        acting: derived.acting(),
        simulation,
        azure,
        files: Files {
            recent: &tasks.recent.files,
            saving: tasks.save.is_some(),
            loading: tasks.load.as_ref(),
        },
        dialog_open,
    }
}

impl SigStudioApp {
    /// Validation problems of the current workspace (model and access rules).
    pub fn problems(&mut self) -> &[Problem] {
        self.derived.refresh(&self.doc, self.selection.as_ref());
        self.derived.problems()
    }

    /// What the views read, lent outside a frame (to ask the action table, to build a dialog).
    pub(in crate::ui) fn view(&self) -> ViewCx<'_> {
        view_cx(
            &self.doc,
            &self.prefs,
            self.selection.as_ref(),
            &self.derived,
            (&self.tasks, &self.azure),
            &self.simulation,
            self.state.dialogs.is_open(),
        )
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
        self.state.dialogs.top()
    }

    /// Where the top dialog was drawn last frame (tests check that it holds still).
    pub fn dialog_rect(&self) -> Option<egui::Rect> {
        self.state.dialogs.top_rect()
    }

    /// The open dialogs, the bottom one first.
    pub fn dialogs(&self) -> impl Iterator<Item = &dyn Dialog> {
        self.state.dialogs.iter()
    }

    /// Asks for a dialog as a view would: it opens, over any open one, when the next frame
    /// applies its intents (tests, benchmarks, screenshots).
    pub fn open_dialog(&mut self, request: DialogRequest) {
        self.intents.push(Intent::Open(request));
    }

    /// The field the editor focuses next (tests and screenshots).
    pub fn focus_field(&mut self, field: Option<&'static str>) {
        self.state.editor.focus_field = field;
    }

    /// Background work and the simulation: everything that changes the workspace other than
    /// the user's intents, done before the frame is drawn.
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
        self.drive_azure(ctx);
        self.drive_simulation(ctx);
        self.state.status.expire(ctx);
    }

    /// Draws one frame into `ui` (the whole window), then applies what it asked for.
    pub fn ui_frame(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.derived.refresh(&self.doc, self.selection.as_ref());
        let Self {
            doc,
            prefs,
            selection,
            derived,
            tasks,
            azure,
            simulation,
            state,
            intents,
            ..
        } = self;
        let dialog_open = state.dialogs.is_open();
        let cx = view_cx(
            doc,
            prefs,
            selection.as_ref(),
            derived,
            (tasks, azure),
            simulation,
            dialog_open,
        );
        crate::ui::actions::keys::pressed(&ctx, &cx, intents);
        state.ui(ui, &cx, intents);
        // What an intent asks for in turn (a duplicate's edit) applies in this frame too.
        let changed = !self.intents.is_empty();
        while !self.intents.is_empty() {
            for intent in std::mem::take(&mut self.intents) {
                self.apply(intent, &ctx);
            }
        }
        if changed {
            // This frame was drawn before the intents applied: one more shows what they did
            // (a dialog opened by a background result, with no input to wake the window).
            ctx.request_repaint();
        }
        self.after_frame(&ctx);
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
        // Ask before closing with unsaved edits (the simulation's progress alone is not the
        // user's work: looking around and quitting asks nothing).
        if ctx.input(|i| i.viewport().close_requested())
            && self.doc.has_user_changes()
            && !self.shell.allow_close
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            let asking = self
                .dialogs()
                .any(|d| d.is::<crate::ui::dialogs::unsaved::UnsavedDialog>());
            if !asking {
                self.open(DialogRequest::Unsaved(Leave::Quit), ctx);
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
