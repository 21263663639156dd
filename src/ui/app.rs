//! The app shell: menus, panels, dialogs, file work, and the one place where commands apply.

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui::{RichText, Ui};

use super::actions::Action;
use super::dialogs::{self, Decision};
use super::document::Document;
use super::editors::{Draft, EditorRequest, editor_ui};
use super::files::{
    self, AppDirs, DialogOutcome, DialogPurpose, FileDialog, LoadTask, Recent, RecoveryWriter,
    SaveTask,
};
use super::regions::{PickerOutcome, RegionPicker};
use super::tree::{self, Row};
use crate::model::{
    Date, Edit, Gallery, ImageDefinition, ImageVersion, ManagedImage, Problem, ResourcePath,
    Severity, TargetRegion, VersionNumber, Workspace, validate,
};
use crate::workspace::recovery::{self, RecoveryCopy};

/// Interval between recovery copies while there are unsaved changes.
pub const RECOVERY_INTERVAL: Duration = Duration::from_secs(30);

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

const PREFS_KEY: &str = "sig-studio-prefs";

const NO_DIALOG_NOTE_OPEN: &str =
    "No file dialog is available on this desktop: type the file's path";
const NO_DIALOG_NOTE_SAVE: &str = "No file dialog is available on this desktop: type where to save";

/// What to do once unsaved changes are saved or discarded.
#[derive(Clone, Debug, PartialEq)]
pub enum Pending {
    New,
    Open,
    OpenFile(PathBuf),
    Quit,
}

/// The dialog on top of the window, if any.
// Short-lived, one at a time: boxing the large variants would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Modal {
    Unsaved(Pending),
    ConfirmDelete(ResourcePath),
    AddGallery(Gallery),
    AddDefinition {
        gallery: String,
        definition: ImageDefinition,
    },
    AddVersion {
        gallery: String,
        definition: String,
        version: ImageVersion,
    },
    AddImage(ManagedImage),
    AddRegions {
        path: ResourcePath,
        picker: RegionPicker,
    },
    OpenPath {
        text: String,
        note: Option<String>,
    },
    SaveAsPath {
        text: String,
        note: Option<String>,
    },
    Message {
        title: String,
        text: String,
    },
    Recovery(RecoveryCopy),
    /// Replica planner and retention dialogs (cost, issue 6).
    Planner(Box<super::planner::PlannerDialog>),
    Retention(Box<super::retention_dialog::RetentionDialog>),
    /// Deploy… (replication, issue 4).
    Deploy(Box<super::deploy_dialog::DeployDialog>),
    Shortcuts,
    About,
    /// Access (issue 5).
    AddGrant(Box<super::access_tab::AddGrantDialog>),
    CheckAccess(Box<super::check_access::CheckAccessDialog>),
    Principals(Box<super::principals::PrincipalsDialog>),
    Matrix(Box<super::matrix::MatrixView>),
}

/// A short notice at the bottom of the window, optionally with an Undo button.
pub struct Notice {
    pub text: String,
    pub undo: bool,
    pub until: Instant,
}

/// What the UI asks for while drawing; applied after drawing.
pub enum Command {
    Run(Action),
    Apply {
        edit: Edit,
        select: Option<ResourcePath>,
        notice: Option<String>,
    },
    Select(ResourcePath, Option<&'static str>),
    OpenModal(Modal),
    Continue(Pending),
    /// Ask about unsaved changes first, then continue.
    Guard(Pending),
    SaveTo(PathBuf),
    Undo,
    ToggleExpanded(String),
    /// Retry, cancel, outages, speed: the service's state, not undoable edits.
    Replication(super::simulation::ReplicationCommand),
}

/// How the app starts.
// Used once at start-up: boxing the workspace would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Startup {
    /// Decide from the app's folders: a recovery copy, the last workspace, or the sample on first start.
    Restore,
    /// Open this file.
    File(PathBuf),
    /// Start with this workspace (tests, screenshots).
    Workspace(Workspace, Option<PathBuf>),
}

#[derive(Default)]
pub(super) struct TreeState {
    pub(super) expanded: HashSet<String>,
    pub(super) search: String,
    pub(super) rows: Vec<Row>,
    /// (generation, expanded revision, search) the rows were built for.
    pub(super) built_for: Option<(u64, u64, String)>,
    pub(super) expanded_revision: u64,
    pub(super) scroll_to_selection: bool,
    pub(super) focus_search: bool,
}

pub(super) struct EditorState {
    pub(super) path: ResourcePath,
    pub(super) draft: Draft,
    pub(super) generation: u64,
}

/// The SIG Studio window.
pub struct SigStudioApp {
    pub doc: Document,
    pub prefs: Prefs,
    pub selection: Option<ResourcePath>,
    pub modal: Option<Modal>,
    pub(super) dirs: Option<AppDirs>,
    pub(super) recent: Recent,
    pub(super) focus_field: Option<&'static str>,
    pub(super) tree: TreeState,
    pub(super) problems: Vec<Problem>,
    pub(super) problems_generation: Option<u64>,
    pub(super) editor: Option<EditorState>,
    pub(super) dialog: Option<FileDialog>,
    pub(super) load: Option<LoadTask>,
    pub(super) save: Option<SaveTask>,
    pub(super) after_save: Option<Pending>,
    pub(super) recovery: RecoveryWriter,
    pub(super) notice: Option<Notice>,
    pub(super) commands: Vec<Command>,
    pub(super) today: Date,
    pub(super) allow_close: bool,
    pub(super) theme_applied: Option<bool>,
    /// Where "Add…" from a panel button adds (overrides the selection once).
    pub(super) selection_for_add: Option<Option<ResourcePath>>,
    /// When false, Open and Save as show the path field instead of the desktop's dialog (tests).
    pub(super) native_dialogs: bool,
    /// When the process started, to report the time to the first frame (`SIG_STUDIO_STARTUP_TRACE`).
    pub(super) started: Option<Instant>,
    /// The title last sent to the window (sent again only when it changes).
    pub(super) window_title: Option<String>,
    pub(super) cost_view: super::cost_view::CostView,
    pub(super) simulation: super::simulation::Simulation,
    pub(super) access: super::access_tab::AccessState,
}

impl SigStudioApp {
    /// Creates the app. `dirs` is where recent files and recovery copies live (`None`: nowhere).
    pub fn new(startup: Startup, dirs: Option<AppDirs>, prefs: Prefs) -> Self {
        let recent = dirs.as_ref().map(Recent::load).unwrap_or_default();
        let mut app = Self {
            doc: Document::new(Workspace::default(), None),
            prefs,
            selection: None,
            modal: None,
            dirs,
            recent,
            focus_field: None,
            tree: TreeState::default(),
            problems: Vec::new(),
            problems_generation: None,
            editor: None,
            dialog: None,
            load: None,
            save: None,
            after_save: None,
            recovery: RecoveryWriter::new(RECOVERY_INTERVAL),
            notice: None,
            commands: Vec::new(),
            today: crate::cli::today(),
            allow_close: false,
            theme_applied: None,
            selection_for_add: None,
            window_title: None,
            native_dialogs: true,
            started: None,
            cost_view: Default::default(),
            simulation: Default::default(),
            access: Default::default(),
        };
        app.tree.expanded.insert(tree::GALLERIES_HEADER.to_owned());
        app.tree.expanded.insert(tree::IMAGES_HEADER.to_owned());
        match startup {
            Startup::Workspace(ws, path) => {
                app.replace_document(Document::new(ws, path));
                app.expand_all_definitions();
            }
            Startup::File(path) => app.open_now(path),
            Startup::Restore => app.restore(),
        }
        app
    }

    /// The app as eframe creates it: preferences from eframe's storage, folders of the platform.
    pub fn from_creation_context(
        cc: &eframe::CreationContext<'_>,
        file: Option<PathBuf>,
        started: Instant,
    ) -> Self {
        let prefs = cc
            .storage
            .and_then(|s| eframe::get_value::<Prefs>(s, PREFS_KEY))
            .unwrap_or_default();
        let startup = file.map_or(Startup::Restore, Startup::File);
        let mut app = Self::new(startup, AppDirs::platform(), prefs);
        app.started = Some(started);
        app.enable_simulation_clock();
        app
    }

    fn restore(&mut self) {
        if let Some(dirs) = &self.dirs
            && let Some(copy) = recovery::find(&dirs.data)
        {
            self.modal = Some(Modal::Recovery(copy));
        }
        if let Some(last) = self.recent.last.clone()
            && last.exists()
        {
            self.open_now(last);
        } else if !self.recent.started_before {
            self.replace_document(Document::new(crate::sample::sample(), None));
            self.expand_all_definitions();
        }
        self.recent.started_before = true;
        self.store_recent();
    }

    /// Opens a file synchronously (start-up only); on failure the error shows and the current
    /// workspace stays.
    fn open_now(&mut self, path: PathBuf) {
        match crate::workspace::load(&path) {
            Ok(ws) => {
                self.recent.touch(&path);
                self.store_recent();
                self.replace_document(Document::new(ws, Some(path)));
                self.expand_all_definitions();
            }
            Err(err) => self.show_message("Could not open the workspace", err.to_string()),
        }
    }

    fn store_recent(&self) {
        if let Some(dirs) = &self.dirs {
            self.recent.store(dirs);
        }
    }

    fn replace_document(&mut self, doc: Document) {
        self.doc = doc;
        self.selection = None;
        self.editor = None;
        self.problems_generation = None;
        self.simulation.forget_document();
        self.tree.built_for = None;
        self.recovery.restart();
    }

    /// Expands every gallery and definition (for benchmarks and the View menu).
    pub fn expand_all(&mut self) {
        for g in &self.doc.ws.galleries {
            self.tree.expanded.insert(g.name.clone());
            for d in &g.definitions {
                self.tree.expanded.insert(format!("{}/{}", g.name, d.name));
            }
        }
        self.tree.expanded_revision += 1;
    }

    /// Expands galleries, and their definitions too when the workspace is small.
    fn expand_all_definitions(&mut self) {
        let small = self.doc.ws.version_count() <= 200;
        for g in &self.doc.ws.galleries {
            self.tree.expanded.insert(g.name.clone());
            if small {
                for d in &g.definitions {
                    self.tree.expanded.insert(format!("{}/{}", g.name, d.name));
                }
            }
        }
        self.tree.expanded_revision += 1;
    }

    fn show_message(&mut self, title: &str, text: String) {
        self.modal = Some(Modal::Message {
            title: title.to_owned(),
            text,
        });
    }

    /// Validation problems of the current workspace (recomputed only after a change).
    pub fn problems(&mut self) -> &[Problem] {
        // Replication progress does not change what the rules say: re-validate after edits only.
        if self.problems_generation != Some(self.doc.edit_generation()) {
            self.problems = validate(&self.doc.ws, self.today);
            self.problems_generation = Some(self.doc.edit_generation());
        }
        &self.problems
    }

    /// The window title: file name, unsaved marker, app name.
    pub fn title(&self) -> String {
        format!(
            "{}{} — SIG Studio",
            if self.doc.is_dirty() { "● " } else { "" },
            self.doc.title()
        )
    }

    // ------------------------------------------------------------------ commands

    fn apply(&mut self, command: Command, ctx: &egui::Context) {
        match command {
            Command::Run(action) => self.run(action, ctx),
            Command::Apply {
                edit,
                select,
                notice,
            } => match crate::access::authorize(
                &self.doc.ws,
                self.doc.ws.settings.acting_as.as_deref(),
                &edit,
            )
            .map_err(|refusal| refusal.message)
            .and_then(|()| self.doc.apply(edit).map_err(|err| err.to_string()))
            {
                Ok(()) => {
                    if let Some(path) = select {
                        self.select(path, None);
                    }
                    if let Some(text) = notice {
                        self.notice = Some(Notice {
                            text,
                            undo: true,
                            until: Instant::now() + Duration::from_secs(8),
                        });
                    }
                }
                Err(message) => {
                    self.editor = None;
                    self.show_message("The change was refused", message);
                }
            },
            Command::Select(path, field) => self.select(path, field),
            Command::OpenModal(modal) => self.modal = Some(modal),
            Command::Continue(pending) => self.continue_with(pending, ctx),
            Command::Guard(pending) => self.guard(pending, ctx),
            Command::SaveTo(path) => self.start_save(path, ctx),
            Command::Undo => self.run(Action::Undo, ctx),
            Command::ToggleExpanded(key) => {
                if !self.tree.expanded.remove(&key) {
                    self.tree.expanded.insert(key);
                }
                self.tree.expanded_revision += 1;
            }
            Command::Replication(command) => self.apply_replication(command),
        }
    }

    /// Uses the path field instead of the desktop's file dialogs (tests never open real dialogs).
    pub fn without_native_dialogs(mut self) -> Self {
        self.native_dialogs = false;
        self
    }

    /// Fixes the date that end-of-life dates are judged against (tests and screenshots).
    pub fn set_today(&mut self, today: Date) {
        self.today = today;
        self.problems_generation = None;
        self.simulation.forget_document();
    }

    /// Selects a resource as a click in the tree would (for tests and screenshots).
    pub fn select_path(&mut self, path: ResourcePath) {
        self.select(path, None);
    }

    fn select(&mut self, path: ResourcePath, field: Option<&'static str>) {
        // Make the selection visible in the tree.
        let mut parent = path.parent();
        while let Some(p) = parent {
            self.tree.expanded.insert(p.to_string());
            parent = p.parent();
        }
        self.tree.expanded_revision += 1;
        self.tree.scroll_to_selection = true;
        if self.selection.as_ref() != Some(&path) {
            self.editor = None;
        }
        self.selection = Some(path);
        self.focus_field = field;
    }

    /// Runs an action, asking about unsaved changes first where work could be lost.
    pub fn run(&mut self, action: Action, ctx: &egui::Context) {
        match action {
            Action::New => self.guard(Pending::New, ctx),
            Action::Open => self.guard(Pending::Open, ctx),
            Action::OpenPath => self.open_by_path(None),
            Action::Save => match self.doc.path.clone() {
                Some(path) => self.start_save(path, ctx),
                None => self.save_as(ctx),
            },
            Action::SaveAs => self.save_as(ctx),
            Action::SaveToPath => self.save_to_path(None),
            Action::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Action::Undo | Action::Redo => {
                let (done, verb) = if action == Action::Undo {
                    (self.doc.undo(), "Undid")
                } else {
                    (self.doc.redo(), "Redid")
                };
                if let Some(label) = done {
                    self.editor = None;
                    self.notice = Some(Notice {
                        text: format!("{verb}: {label}"),
                        undo: false,
                        until: Instant::now() + Duration::from_secs(4),
                    });
                }
            }
            Action::Rename => {
                if self.selection.is_some() {
                    self.focus_field = Some("name");
                }
            }
            Action::Duplicate => self.duplicate_version(),
            Action::Delete => {
                if let Some(path) = self.selection.clone() {
                    self.modal = Some(Modal::ConfirmDelete(path));
                }
            }
            Action::AddChild => {
                let parent = match self.selection_for_add.take() {
                    Some(parent) => parent,
                    None => self.selection.clone(),
                };
                self.add_child(parent);
            }
            Action::FocusSearch => {
                self.prefs.show_tree = true;
                self.tree.focus_search = true;
            }
            Action::ToggleProblems => self.prefs.show_problems = !self.prefs.show_problems,
            Action::ToggleTree => self.prefs.show_tree = !self.prefs.show_tree,
            Action::ToggleTheme => self.prefs.dark = !self.prefs.dark,
            Action::ToggleCost => self.prefs.show_cost = !self.prefs.show_cost,
            Action::ToggleActivity => self.prefs.show_activity = !self.prefs.show_activity,
            Action::Deploy => {
                if let Some(path @ (ResourcePath::Version(..) | ResourcePath::Definition(..))) =
                    self.selection.clone()
                {
                    self.modal = Some(Modal::Deploy(Box::new(
                        super::deploy_dialog::DeployDialog::new(&self.doc.ws, path),
                    )));
                }
            }
            Action::PlanReplicas => self.open_planner(),
            Action::RetentionPolicy => self.open_retention(),
            Action::Principals => self.modal = Some(Modal::Principals(Box::default())),
            Action::AccessMatrix => self.modal = Some(Modal::Matrix(Box::default())),
            Action::CheckAccess => {
                self.modal = Some(Modal::CheckAccess(Box::new(
                    super::check_access::CheckAccessDialog::new(None, self.selection.clone()),
                )))
            }
            Action::Shortcuts => self.modal = Some(Modal::Shortcuts),
            Action::About => self.modal = Some(Modal::About),
        }
    }

    fn guard(&mut self, pending: Pending, ctx: &egui::Context) {
        if self.doc.is_dirty() {
            self.modal = Some(Modal::Unsaved(pending));
        } else {
            self.continue_with(pending, ctx);
        }
    }

    fn continue_with(&mut self, pending: Pending, ctx: &egui::Context) {
        self.modal = None;
        match pending {
            Pending::New => {
                let tenants = self.doc.ws.tenants.clone();
                self.replace_document(Document::new(
                    Workspace {
                        tenants,
                        ..Workspace::default()
                    },
                    None,
                ));
            }
            Pending::Open if !self.native_dialogs => self.open_by_path(None),
            Pending::Open if !files::dialog_host_present() => {
                self.open_by_path(Some(NO_DIALOG_NOTE_OPEN.to_owned()))
            }
            Pending::Open => {
                if self.dialog.is_none() {
                    self.dialog = Some(FileDialog::spawn(
                        DialogPurpose::Open,
                        self.doc.path.as_deref(),
                        ctx,
                    ));
                }
            }
            Pending::OpenFile(path) => self.load = Some(LoadTask::spawn(path, ctx)),
            Pending::Quit => {
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    /// The path field (with recent files) that stands in for a native Open dialog.
    fn open_by_path(&mut self, note: Option<String>) {
        self.modal = Some(Modal::OpenPath {
            text: String::new(),
            note,
        });
    }

    /// The path field that stands in for a native Save dialog.
    fn save_to_path(&mut self, note: Option<String>) {
        let text = self
            .doc
            .path
            .as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        self.modal = Some(Modal::SaveAsPath { text, note });
    }

    fn save_as(&mut self, ctx: &egui::Context) {
        if !self.native_dialogs {
            self.save_to_path(None);
            return;
        }
        if !files::dialog_host_present() {
            self.save_to_path(Some(NO_DIALOG_NOTE_SAVE.to_owned()));
            return;
        }
        if self.dialog.is_none() {
            self.dialog = Some(FileDialog::spawn(
                DialogPurpose::SaveAs,
                self.doc.path.as_deref(),
                ctx,
            ));
        }
    }

    fn start_save(&mut self, path: PathBuf, ctx: &egui::Context) {
        if self.save.is_some() {
            return;
        }
        self.modal = None;
        self.save = Some(SaveTask::spawn(
            path,
            self.doc.ws.clone(),
            self.doc.state(),
            ctx,
        ));
    }

    fn duplicate_version(&mut self) {
        let Some(ResourcePath::Version(g, d, v)) = self.selection.clone() else {
            return;
        };
        let Some(definition) = self.doc.ws.gallery(&g).and_then(|x| x.definition(&d)) else {
            return;
        };
        let Some(original) = definition.version(&v) else {
            return;
        };
        let highest = definition
            .versions
            .iter()
            .filter_map(ImageVersion::number)
            .max();
        let name = highest
            .map_or(VersionNumber::new(1, 0, 0), VersionNumber::next_patch)
            .to_string();
        let mut copy = original.clone();
        copy.name.clone_from(&name);
        copy.published = Some(self.today);
        for target in &mut copy.target_regions {
            target.status = crate::model::ReplicaStatus::default();
        }
        self.commands.push(Command::Apply {
            edit: Edit::AddVersion {
                gallery: g.clone(),
                definition: d.clone(),
                index: None,
                version: copy,
            },
            select: Some(ResourcePath::version(&g, &d, &name)),
            notice: Some(format!("Duplicated {v} as {name}")),
        });
    }

    fn add_child(&mut self, parent: Option<ResourcePath>) {
        let ws = &self.doc.ws;
        let tenant = ws
            .tenants
            .first()
            .map(|t| t.name.clone())
            .unwrap_or_default();
        self.modal = Some(match parent {
            None
            | Some(ResourcePath::Settings | ResourcePath::Tenant(_) | ResourcePath::Principal(_)) => {
                Modal::AddGallery(Gallery {
                    tenant,
                    ..Gallery::default()
                })
            }
            Some(ResourcePath::ManagedImage(_)) => Modal::AddImage(ManagedImage {
                os_disk_gb: 30,
                occupied_gb: 10.0,
                ..ManagedImage::default()
            }),
            Some(ResourcePath::Gallery(g)) => Modal::AddDefinition {
                gallery: g,
                definition: ImageDefinition {
                    generation: crate::model::HyperVGeneration::V2,
                    ..ImageDefinition::default()
                },
            },
            Some(ResourcePath::Definition(g, d) | ResourcePath::Version(g, d, _)) => {
                let definition = ws.gallery(&g).and_then(|x| x.definition(&d));
                let next = definition
                    .and_then(|d| d.versions.iter().filter_map(ImageVersion::number).max())
                    .map_or(VersionNumber::new(1, 0, 0), VersionNumber::next_patch);
                Modal::AddVersion {
                    gallery: g,
                    definition: d,
                    version: ImageVersion {
                        name: next.to_string(),
                        published: Some(self.today),
                        ..ImageVersion::default()
                    },
                }
            }
        });
    }

    // ------------------------------------------------------------------ background work

    fn poll_background(&mut self, ctx: &egui::Context) {
        if let Some(dialog) = &self.dialog
            && let Some(outcome) = dialog.poll()
        {
            let purpose = dialog.purpose;
            self.dialog = None;
            match (outcome, purpose) {
                (DialogOutcome::Picked(path), DialogPurpose::Open) => {
                    self.load = Some(LoadTask::spawn(path, ctx))
                }
                (DialogOutcome::Picked(path), DialogPurpose::SaveAs) => self.start_save(path, ctx),
                (DialogOutcome::Cancelled, _) => self.after_save = None,
                (DialogOutcome::Unavailable, DialogPurpose::Open) => {
                    self.open_by_path(Some(NO_DIALOG_NOTE_OPEN.to_owned()));
                }
                (DialogOutcome::Unavailable, DialogPurpose::SaveAs) => {
                    self.save_to_path(Some(NO_DIALOG_NOTE_SAVE.to_owned()));
                }
            }
        }
        if let Some(load) = &mut self.load
            && let Some(result) = load.poll()
        {
            let path = load.path.clone();
            self.load = None;
            match result {
                Ok(ws) => {
                    self.recent.touch(&path);
                    self.store_recent();
                    self.replace_document(Document::new(ws, Some(path)));
                    self.expand_all_definitions();
                }
                Err(err) => self.show_message(
                    "Could not open the workspace",
                    format!("{err}\n\nThe current workspace is unchanged."),
                ),
            }
        }
        if let Some(save) = &self.save
            && let Some(result) = save.poll()
        {
            let (path, state) = (save.path.clone(), save.state);
            self.save = None;
            match result {
                Ok(()) => {
                    self.doc.mark_saved(state, path.clone());
                    self.recent.touch(&path);
                    self.store_recent();
                    if let Some(dirs) = &self.dirs
                        && !self.doc.is_dirty()
                    {
                        self.recovery.reset(dirs);
                    }
                    self.notice = Some(Notice {
                        text: format!("Saved {}", path.display()),
                        undo: false,
                        until: Instant::now() + Duration::from_secs(3),
                    });
                    if let Some(pending) = self.after_save.take() {
                        self.continue_with(pending, ctx);
                    }
                }
                Err(message) => {
                    self.after_save = None;
                    self.show_message(
                        "Could not save",
                        format!("{message}\n\nThe file on disk is unchanged and your changes are still here."),
                    );
                }
            }
        }
        // Recovery copies while there are unsaved changes.
        if self.doc.is_dirty()
            && let Some(dirs) = &self.dirs
        {
            let wait = self.recovery.tick(
                dirs,
                &self.doc.ws,
                self.doc.path.as_deref(),
                self.doc.generation(),
            );
            ctx.request_repaint_after(wait);
        }
        if self.dialog.is_some() || self.load.is_some() || self.save.is_some() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        if let Some(notice) = &self.notice {
            let now = Instant::now();
            if now >= notice.until {
                self.notice = None;
            } else {
                ctx.request_repaint_after(notice.until - now);
            }
        }
    }

    // ------------------------------------------------------------------ drawing

    fn handle_shortcuts(&mut self, ctx: &egui::Context) {
        if self.modal.is_some() {
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

    fn menu_bar(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                for action in [Action::New, Action::Open, Action::OpenPath] {
                    self.menu_item(ui, &ctx, action, true);
                }
                ui.menu_button("Open recent", |ui| {
                    if self.recent.files.is_empty() {
                        ui.weak("No recent files");
                    }
                    for path in self.recent.files.clone() {
                        if ui.button(path.display().to_string()).clicked() {
                            self.commands.push(Command::Guard(Pending::OpenFile(path)));
                            ui.close();
                        }
                    }
                });
                ui.separator();
                self.menu_item(ui, &ctx, Action::Save, self.save.is_none());
                self.menu_item(ui, &ctx, Action::SaveAs, self.save.is_none());
                self.menu_item(ui, &ctx, Action::SaveToPath, self.save.is_none());
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
                let selected = self.selection.is_some();
                let version = matches!(self.selection, Some(ResourcePath::Version(..)));
                self.menu_item(ui, &ctx, Action::AddChild, true);
                self.menu_item(ui, &ctx, Action::Rename, selected);
                self.menu_item(ui, &ctx, Action::Duplicate, version);
                self.menu_item(ui, &ctx, Action::Delete, selected);
                ui.separator();
                let retention = matches!(
                    self.selection,
                    Some(
                        ResourcePath::Gallery(_)
                            | ResourcePath::Definition(..)
                            | ResourcePath::Version(..)
                    )
                );
                self.menu_item(ui, &ctx, Action::PlanReplicas, version);
                self.menu_item(ui, &ctx, Action::RetentionPolicy, retention);
                let deployable = matches!(
                    self.selection,
                    Some(ResourcePath::Version(..) | ResourcePath::Definition(..))
                );
                self.menu_item(ui, &ctx, Action::Deploy, deployable);
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
        let shortcut = shortcut_text(ctx, action);
        let mut button = egui::Button::new(action.label());
        if !shortcut.is_empty() {
            // An empty shortcut text would still leave a trailing space in the spoken label.
            button = button.shortcut_text(shortcut);
        }
        if ui
            .add_enabled(enabled, button)
            .on_hover_text(action.tooltip())
            .clicked()
        {
            self.commands.push(Command::Run(action));
            ui.close();
        }
    }

    fn editor_panel(&mut self, ui: &mut Ui) {
        let Some(path) = self.selection.clone() else {
            self.welcome_ui(ui);
            return;
        };
        // Reload the draft when the selection or the workspace changed underneath it (by an
        // edit: replication progress is shown live and never discards what is being typed).
        let generation = self.doc.edit_generation();
        let stale = self
            .editor
            .as_ref()
            .is_none_or(|e| e.path != path || e.generation != generation);
        if stale {
            match Draft::load(&self.doc.ws, &path) {
                Some(draft) => {
                    self.editor = Some(EditorState {
                        path: path.clone(),
                        draft,
                        generation,
                    });
                }
                None => {
                    self.editor = None;
                    self.selection = None;
                    return;
                }
            }
        }
        let problems: Vec<Problem> = {
            let path = path.clone();
            self.problems()
                .iter()
                .filter(|p| p.path == path)
                .cloned()
                .collect()
        };
        let Some(editor) = self.editor.as_mut() else {
            return;
        };
        let mut requests = Vec::new();
        let live_version = match &path {
            ResourcePath::Version(g, d, v) => self
                .doc
                .ws
                .gallery(g)
                .and_then(|g| g.definition(d))
                .and_then(|d| d.version(v)),
            _ => None,
        };
        let live = super::simulation::Live {
            ws: &self.doc.ws,
            engine: &self.simulation.engine,
            version: live_version,
        };
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                editor_ui(
                    ui,
                    &self.doc.ws,
                    &path,
                    &mut editor.draft,
                    &problems,
                    &mut self.focus_field,
                    self.today,
                    &live,
                    &mut requests,
                );
                super::access_tab::access_section_ui(
                    ui,
                    &mut self.access,
                    &self.doc.ws,
                    generation,
                    &path,
                    &mut self.commands,
                );
            });
        for request in requests {
            match request {
                EditorRequest::Commit => {
                    let Some(editor) = self.editor.as_ref() else {
                        continue;
                    };
                    if Draft::load(&self.doc.ws, &path).as_ref() == Some(&editor.draft) {
                        continue;
                    }
                    if let Some(edit) = editor.draft.to_edit(&path) {
                        let select = editor.draft.path_after(&path);
                        self.commands.push(Command::Apply {
                            edit,
                            select: Some(select),
                            notice: None,
                        });
                    }
                }
                EditorRequest::AddRegions => {
                    self.commands.push(Command::OpenModal(Modal::AddRegions {
                        path: path.clone(),
                        picker: RegionPicker::default(),
                    }))
                }
                EditorRequest::Select(target) => self.commands.push(Command::Select(target, None)),
                EditorRequest::Run(action) => self.commands.push(Command::Run(action)),
                EditorRequest::Replication(command) => {
                    self.commands.push(Command::Replication(command));
                }
            }
        }
    }

    fn welcome_ui(&mut self, ui: &mut Ui) {
        ui.vertical_centered(|ui| {
            ui.add_space(60.0);
            ui.heading("SIG Studio");
            ui.label("Select a gallery, image definition, version or managed image in the tree to edit it.");
            ui.add_space(12.0);
            if ui.button("Add gallery…").clicked() {
                self.add_child_of(None);
            }
            if ui.button("Add managed image…").clicked() {
                self.add_child_of(Some(ResourcePath::managed_image("")));
            }
            ui.add_space(12.0);
            let counts = format!(
                "{} galleries · {} image versions · {} managed images",
                self.doc.ws.galleries.len(),
                self.doc.ws.version_count(),
                self.doc.ws.managed_images.len()
            );
            ui.weak(counts);
        });
    }

    fn modal_ui(&mut self, ctx: &egui::Context) {
        let Some(mut modal) = self.modal.take() else {
            return;
        };
        let mut keep = true;
        let response = egui::Modal::new(egui::Id::unique("sig-studio-modal")).show(ctx, |ui| {
            ui.set_max_width(560.0);
            match &mut modal {
                Modal::Unsaved(pending) => {
                    ui.heading("Save changes?");
                    if self.doc.has_user_changes() {
                        ui.label(format!("{} has unsaved changes.", self.doc.title()));
                    } else {
                        ui.label(format!(
                            "Nothing was edited in {}, but its replication progress since the last save is not saved.",
                            self.doc.title()
                        ));
                    }
                    ui.horizontal(|ui| {
                        if ui.button("Save").clicked() {
                            self.after_save = Some(pending.clone());
                            self.commands.push(Command::Run(Action::Save));
                            keep = false;
                        }
                        if ui.button("Discard").clicked() {
                            if let Some(dirs) = &self.dirs {
                                self.recovery.reset(dirs);
                            }
                            self.commands.push(Command::Continue(pending.clone()));
                            keep = false;
                        }
                        if ui.button("Cancel").clicked() {
                            keep = false;
                        }
                    });
                }
                Modal::ConfirmDelete(path) => {
                    let blocker = delete_blocker(&self.doc.ws, path);
                    ui.heading(format!("Delete {}?", path.kind()));
                    ui.label(RichText::new(path.to_string()).monospace());
                    match &blocker {
                        Some(reason) => {
                            ui.label(RichText::new(reason).color(ui.visuals().error_fg_color));
                        }
                        None => {
                            ui.label("You can undo this afterwards (Edit, Undo).");
                        }
                    }
                    ui.horizontal(|ui| {
                        if ui.add_enabled(blocker.is_none(), egui::Button::new("Delete")).clicked() {
                            if let Some(edit) = delete_edit(path) {
                                self.commands.push(Command::Apply {
                                    edit,
                                    select: path.parent(),
                                    notice: Some(format!("Deleted {} {}", path.kind(), path)),
                                });
                            }
                            keep = false;
                        }
                        if ui.button("Cancel").clicked() {
                            keep = false;
                        }
                    });
                }
                Modal::AddGallery(gallery) => match dialogs::add_gallery_ui(ui, &self.doc.ws, gallery) {
                    Some(Decision::Create) => {
                        let select = ResourcePath::gallery(&gallery.name);
                        self.commands.push(Command::Apply {
                            edit: Edit::AddGallery {
                                index: None,
                                gallery: gallery.clone(),
                            },
                            select: Some(select),
                            notice: None,
                        });
                        keep = false;
                    }
                    Some(Decision::Cancel) => keep = false,
                    None => {}
                },
                Modal::AddDefinition { gallery, definition } => {
                    match dialogs::add_definition_ui(ui, &self.doc.ws, gallery, definition) {
                        Some(Decision::Create) => {
                            self.commands.push(Command::Apply {
                                edit: Edit::AddDefinition {
                                    gallery: gallery.clone(),
                                    index: None,
                                    definition: definition.clone(),
                                },
                                select: Some(ResourcePath::definition(gallery, &definition.name)),
                                notice: None,
                            });
                            keep = false;
                        }
                        Some(Decision::Cancel) => keep = false,
                        None => {}
                    }
                }
                Modal::AddVersion {
                    gallery,
                    definition,
                    version,
                } => match dialogs::add_version_ui(ui, &self.doc.ws, gallery, definition, version) {
                    Some(Decision::Create) => {
                        self.commands.push(Command::Apply {
                            edit: Edit::AddVersion {
                                gallery: gallery.clone(),
                                definition: definition.clone(),
                                index: None,
                                version: version.clone(),
                            },
                            select: Some(ResourcePath::version(gallery, definition, &version.name)),
                            notice: None,
                        });
                        keep = false;
                    }
                    Some(Decision::Cancel) => keep = false,
                    None => {}
                },
                Modal::AddImage(image) => match dialogs::add_image_ui(ui, &self.doc.ws, image) {
                    Some(Decision::Create) => {
                        self.commands.push(Command::Apply {
                            edit: Edit::AddImage {
                                index: None,
                                image: image.clone(),
                            },
                            select: Some(ResourcePath::managed_image(&image.name)),
                            notice: None,
                        });
                        keep = false;
                    }
                    Some(Decision::Cancel) => keep = false,
                    None => {}
                },
                Modal::AddRegions { path, picker } => {
                    let version = match path {
                        ResourcePath::Version(g, d, v) => self
                            .doc
                            .ws
                            .gallery(g)
                            .and_then(|g| g.definition(d))
                            .and_then(|d| d.version(v)),
                        _ => None,
                    };
                    let Some(version) = version else {
                        self.modal = None;
                        return;
                    };
                    let existing: Vec<_> = version.target_regions.iter().map(|t| t.region).collect();
                    let allowed: Option<Vec<_>> = self.doc.ws.settings.region_policy.as_ref().map(|p| {
                        p.targets.iter().chain(p.sources.iter()).copied().collect()
                    });
                    match picker.ui(ui, &existing, allowed.as_deref()) {
                        Some(PickerOutcome::Add(regions)) => {
                            let mut updated = version.clone();
                            let count = regions.len();
                            updated.target_regions.extend(regions.into_iter().map(TargetRegion::new));
                            if let ResourcePath::Version(g, d, v) = path {
                                self.commands.push(Command::Apply {
                                    edit: Edit::UpdateVersion {
                                        gallery: g.clone(),
                                        definition: d.clone(),
                                        name: v.clone(),
                                        version: updated,
                                    },
                                    select: None,
                                    notice: Some(format!("Added {count} target regions to {v}")),
                                });
                            }
                            keep = false;
                        }
                        Some(PickerOutcome::Cancel) => keep = false,
                        None => {}
                    }
                }
                Modal::OpenPath { text, note } => {
                    ui.heading("Open workspace by path");
                    if let Some(note) = note {
                        ui.label(note.as_str());
                    }
                    let label = ui.label("Workspace file path");
                    let response = ui.add(
                        egui::TextEdit::singleline(text)
                            .hint_text("/home/me/images.ron")
                            .desired_width(480.0),
                    );
                    let response = response.labelled_by(label.id);
                    if !self.recent.files.is_empty() {
                        ui.label("Recent files");
                        for path in &self.recent.files {
                            if ui.link(path.display().to_string()).clicked() {
                                *text = path.display().to_string();
                            }
                        }
                    }
                    let path = PathBuf::from(text.trim());
                    let exists = path.is_file();
                    if !text.trim().is_empty() && !exists {
                        ui.label(RichText::new("No file at this path").color(ui.visuals().error_fg_color));
                    }
                    ui.horizontal(|ui| {
                        let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                        if (ui.add_enabled(exists, egui::Button::new("Open")).clicked() || (enter && exists))
                            && !path.as_os_str().is_empty()
                        {
                            self.commands.push(Command::Guard(Pending::OpenFile(path.clone())));
                            keep = false;
                        }
                        if ui.button("Cancel").clicked() {
                            keep = false;
                        }
                    });
                }
                Modal::SaveAsPath { text, note } => {
                    ui.heading("Save workspace as");
                    if let Some(note) = note {
                        ui.label(note.as_str());
                    }
                    let label = ui.label("Save to path");
                    let response = ui
                        .add(egui::TextEdit::singleline(text).desired_width(480.0))
                        .labelled_by(label.id);
                    let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    let path = PathBuf::from(text.trim());
                    let folder_ok = path
                        .parent()
                        .is_some_and(|p| p.as_os_str().is_empty() || p.is_dir());
                    if !text.trim().is_empty() && !folder_ok {
                        ui.label(RichText::new("That folder does not exist").color(ui.visuals().error_fg_color));
                    }
                    ui.horizontal(|ui| {
                        let ready = folder_ok && !text.trim().is_empty();
                        if ui.add_enabled(ready, egui::Button::new("Save")).clicked() || (enter && ready) {
                            self.commands.push(Command::SaveTo(path.clone()));
                            keep = false;
                        }
                        if ui.button("Cancel").clicked() {
                            self.after_save = None;
                            keep = false;
                        }
                    });
                }
                Modal::Message { title, text } => {
                    ui.heading(title.as_str());
                    ui.label(text.as_str());
                    if ui.button("OK").clicked() {
                        keep = false;
                    }
                }
                Modal::Recovery(copy) => {
                    ui.heading("Restore unsaved work?");
                    let origin = copy
                        .origin
                        .as_ref()
                        .map_or_else(|| "an untitled workspace".to_owned(), |p| p.display().to_string());
                    ui.label(format!(
                        "SIG Studio closed with unsaved changes to {origin}. A recovery copy was kept."
                    ));
                    ui.horizontal(|ui| {
                        if ui.button("Restore").clicked() {
                            match recovery::load(copy) {
                                Ok(ws) => {
                                    let origin = copy.origin.clone();
                                    self.replace_document(Document::unsaved(ws, origin));
                                    self.expand_all_definitions();
                                }
                                Err(err) => self.show_message("Could not restore", err.to_string()),
                            }
                            keep = false;
                        }
                        if ui.button("Discard").clicked() {
                            if let Some(dirs) = &self.dirs {
                                recovery::discard(&dirs.data);
                            }
                            keep = false;
                        }
                    });
                }
                Modal::Planner(dialog) => keep = dialog.ui(ui, &self.doc.ws, &mut self.commands),
                Modal::Retention(dialog) => {
                    keep = dialog.ui(ui, &self.doc.ws, self.doc.generation(), &mut self.commands);
                }
                Modal::Deploy(dialog) => {
                    keep = dialog.ui(ui, &self.doc.ws, self.simulation.engine.blocked());
                }
                Modal::AddGrant(dialog) => keep = dialog.ui(ui, &self.doc.ws, &mut self.commands),
                Modal::Principals(dialog) => {
                    keep = dialog.ui(ui, &self.doc.ws, self.doc.edit_generation(), &mut self.commands);
                }
                Modal::Matrix(view) => keep = view.ui(ui, &self.doc.ws, self.doc.edit_generation()),
                Modal::CheckAccess(dialog) => keep = dialog.ui(ui, &self.doc.ws, self.doc.generation()),
                Modal::Shortcuts => {
                    dialogs::shortcuts_ui(ui, ctx);
                    if ui.button("Close").clicked() {
                        keep = false;
                    }
                }
                Modal::About => {
                    ui.heading("SIG Studio");
                    ui.label(format!("Version {}", env!("CARGO_PKG_VERSION")));
                    ui.label("Plan and run shared image galleries (Azure Compute Gallery).");
                    ui.label("Licensed under MIT or Apache-2.0.");
                    if ui.button("Close").clicked() {
                        keep = false;
                    }
                }
            }
        });
        let escapable = !matches!(modal, Modal::Recovery(_));
        if response.should_close() && escapable {
            if matches!(modal, Modal::SaveAsPath { .. }) {
                self.after_save = None;
            }
            keep = false;
        }
        if keep && self.modal.is_none() {
            self.modal = Some(modal);
        }
    }

    /// Draws one frame into `ui` (the whole window).
    pub fn ui_frame(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if self.theme_applied != Some(self.prefs.dark) {
            ctx.set_theme(if self.prefs.dark {
                egui::Theme::Dark
            } else {
                egui::Theme::Light
            });
            self.theme_applied = Some(self.prefs.dark);
        }
        self.poll_background(&ctx);
        self.drive_simulation(&ctx);
        self.handle_shortcuts(&ctx);

        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        self.status_bar(ui);
        if self.prefs.show_activity {
            self.activity_panel(ui);
        }
        if self.prefs.show_problems {
            self.problems_panel(ui);
        }
        if self.prefs.show_tree {
            egui::Panel::left("tree")
                .resizable(true)
                .default_size(340.0)
                .min_size(220.0)
                .show(ui, |ui| self.tree_panel(ui));
        }
        if self.prefs.show_cost {
            self.cost_panel(ui);
        }
        egui::CentralPanel::default().show(ui, |ui| self.editor_panel(ui));
        self.progress_overlay(&ctx);
        self.modal_ui(&ctx);

        for command in std::mem::take(&mut self.commands) {
            self.apply(command, &ctx);
        }
        if let Some(started) = self.started.take()
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
        if self.window_title.as_deref() != Some(title.as_str()) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = Some(title);
        }
    }

    fn progress_overlay(&mut self, ctx: &egui::Context) {
        let Some(load) = &self.load else {
            return;
        };
        let text = format!(
            "Opening {} ({:.1} MB)…",
            load.path.display(),
            load.total_bytes as f64 / 1e6
        );
        let fraction = load.read_fraction();
        let elapsed = load.started.elapsed().as_secs_f32();
        egui::Modal::new(egui::Id::unique("loading")).show(ctx, |ui| {
            ui.label(text);
            ui.add(
                egui::ProgressBar::new(fraction)
                    .desired_width(360.0)
                    .text(if fraction < 1.0 {
                        format!("reading {:.0} %", fraction * 100.0)
                    } else {
                        format!("checking the file… {elapsed:.1} s")
                    })
                    .animate(true),
            );
            ui.weak("The current workspace stays open until the new one has loaded completely.");
        });
    }
}

fn shortcut_text(ctx: &egui::Context, action: Action) -> String {
    action
        .shortcuts()
        .first()
        .map(|s| ctx.format_shortcut(s))
        .unwrap_or_default()
}

/// Why a resource cannot be deleted yet (children, or versions using an image).
pub fn delete_blocker(ws: &Workspace, path: &ResourcePath) -> Option<String> {
    match path {
        ResourcePath::Gallery(g) => {
            let count = ws.gallery(g)?.definitions.len();
            (count > 0).then(|| {
                format!("The gallery still has {count} image definitions. Delete them first: the service does not delete nested resources.")
            })
        }
        ResourcePath::Definition(g, d) => {
            let count = ws.gallery(g)?.definition(d)?.versions.len();
            (count > 0).then(|| {
                format!("The image definition still has {count} versions. Delete them first: the service does not delete nested resources.")
            })
        }
        ResourcePath::ManagedImage(name) => {
            let count = ws.versions().filter(|(_, _, v)| v.source == *name).count();
            (count > 0).then(|| {
                format!(
                    "The managed image is the source of {count} image versions; delete those first."
                )
            })
        }
        _ => None,
    }
}

/// The edit that deletes the resource at `path`.
pub fn delete_edit(path: &ResourcePath) -> Option<Edit> {
    Some(match path.clone() {
        ResourcePath::Gallery(name) => Edit::DeleteGallery {
            name,
            cascade: false,
        },
        ResourcePath::Definition(gallery, name) => Edit::DeleteDefinition {
            gallery,
            name,
            cascade: false,
        },
        ResourcePath::Version(gallery, definition, name) => Edit::DeleteVersion {
            gallery,
            definition,
            name,
        },
        ResourcePath::ManagedImage(name) => Edit::DeleteImage { name },
        _ => return None,
    })
}

impl eframe::App for SigStudioApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        // Ask before closing with unsaved changes.
        if ctx.input(|i| i.viewport().close_requested()) && self.doc.is_dirty() && !self.allow_close
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            if !matches!(self.modal, Some(Modal::Unsaved(_))) {
                self.modal = Some(Modal::Unsaved(Pending::Quit));
            }
        }
    }

    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.ui_frame(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
    }

    fn on_exit(&mut self) {
        if let Some(dirs) = &self.dirs {
            if !self.doc.is_dirty() {
                self.recovery.reset(dirs);
            }
            self.recent.last.clone_from(&self.doc.path);
            self.recent.store(dirs);
        }
    }
}

/// Severity counts for the status bar.
pub fn counts(problems: &[Problem]) -> (usize, usize) {
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    (errors, problems.len() - errors)
}
