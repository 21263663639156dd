//! Running an action of the action table on its target: the app asks the same availability
//! its menu item and button ask, so a shortcut cannot do what a disabled item would not, and
//! says why in the same words.

use crate::document::Document;
use crate::model::{Edit, ReplicaStatus, Resource, ResourcePath, Workspace};
use crate::ui::actions::{Availability, UserAction};
use crate::ui::app::SigStudioApp;
use crate::ui::dialogs::DialogRequest;
use crate::ui::dialogs::add_version::next_version;
use crate::ui::dialogs::import::ImportRequest;
use crate::ui::editors::Draft;
use crate::ui::intent::{Intent, Leave, Target};

impl SigStudioApp {
    /// Runs `action` on the selection, as its keyboard shortcut does (tests).
    pub fn run(&mut self, action: UserAction, ctx: &egui::Context) {
        let target = Target::of(self.selection.as_ref());
        self.run_on(action, &target, ctx);
    }

    /// Runs `action` on `target` when it is available; a disabled one says why in a notice.
    pub(in crate::ui) fn run_on(
        &mut self,
        action: UserAction,
        target: &Target,
        ctx: &egui::Context,
    ) {
        match action.availability(&self.view(), target) {
            Availability::Enabled => {}
            Availability::Disabled(reason) => {
                let text = action.refused_notice(&reason);
                self.state.status.notify(text, false, 8);
                return;
            }
            Availability::Hidden => return,
        }
        let path = target.path().cloned();
        match action {
            UserAction::New => self.guard(Leave::New, ctx),
            UserAction::Open => self.guard(Leave::Open, ctx),
            UserAction::OpenPath => self.open(DialogRequest::OpenPath(None), ctx),
            UserAction::Save => self.save(ctx),
            UserAction::SaveAs => self.save_as(ctx),
            UserAction::SaveToPath => self.open(DialogRequest::SavePath(None), ctx),
            UserAction::Import => self.ask_import_files(ctx),
            UserAction::ConnectAzure => self.open(DialogRequest::Connect(None), ctx),
            UserAction::RefreshAzure => self.refresh_azure(ctx),
            UserAction::Export => self.open(DialogRequest::Export(()), ctx),
            UserAction::ReviewChanges => self.open(DialogRequest::ReviewChanges(()), ctx),
            UserAction::ApplyToAzure => self.open(
                DialogRequest::ApplyToAzure(crate::ui::dialogs::apply_to_azure::Show::Plan),
                ctx,
            ),
            UserAction::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            UserAction::Undo | UserAction::Redo => self.undo_or_redo(action == UserAction::Undo),
            UserAction::Rename => self.rename(path),
            UserAction::Duplicate => self.duplicate_version(path),
            UserAction::Delete => self.open_about(path, DialogRequest::ConfirmDelete, ctx),
            UserAction::AddChild => self.add_child(path, ctx),
            UserAction::AddGallery => self.open(DialogRequest::AddGallery(()), ctx),
            UserAction::AddImage => self.open(DialogRequest::AddImage(()), ctx),
            UserAction::AddGrant => self.open_about(path, DialogRequest::AddGrant, ctx),
            UserAction::FocusSearch => {
                self.prefs.show_tree = true;
                self.state.tree.focus_search = true;
            }
            UserAction::ToggleProblems => self.prefs.show_problems = !self.prefs.show_problems,
            UserAction::ToggleTree => self.prefs.show_tree = !self.prefs.show_tree,
            UserAction::ToggleTheme => self.prefs.dark = !self.prefs.dark,
            UserAction::ToggleCost => self.prefs.show_cost = !self.prefs.show_cost,
            UserAction::ToggleActivity => self.prefs.show_activity = !self.prefs.show_activity,
            UserAction::Deploy => self.open_about(path, DialogRequest::Deploy, ctx),
            UserAction::HandOff => self.open_about(path, DialogRequest::Handoff, ctx),
            UserAction::PlanReplicas => self.open_about(path, DialogRequest::PlanReplicas, ctx),
            UserAction::RetentionPolicy => {
                self.open_about(path, DialogRequest::RetentionPolicy, ctx);
            }
            UserAction::WorkspaceSettings => self.select(ResourcePath::Settings, None),
            UserAction::Principals => self.open(DialogRequest::Principals(()), ctx),
            UserAction::AccessMatrix => self.open(DialogRequest::AccessMatrix(()), ctx),
            UserAction::CheckAccess => self.open(DialogRequest::CheckAccess((None, path)), ctx),
            UserAction::Shortcuts => self.open(DialogRequest::Shortcuts(()), ctx),
            UserAction::About => self.open(DialogRequest::About(()), ctx),
        }
    }

    /// Opens the dialog about the target (its availability made sure there is one).
    fn open_about(
        &mut self,
        path: Option<ResourcePath>,
        request: fn(ResourcePath) -> DialogRequest,
        ctx: &egui::Context,
    ) {
        if let Some(path) = path {
            self.open(request(path), ctx);
        }
    }

    /// Saves to the document's file, or asks where when it has none.
    pub(in crate::ui) fn save(&mut self, ctx: &egui::Context) {
        match self.doc.path.clone() {
            Some(path) => self.start_save(path, ctx),
            None => self.save_as(ctx),
        }
    }

    /// Renames in place in the tree when it is shown, else in the editor's name field. ARM
    /// cannot rename what exists in Azure: that offers a copy under a new name instead.
    fn rename(&mut self, path: Option<ResourcePath>) {
        let Some(path) = path else {
            return;
        };
        self.select(path.clone(), None);
        // In Azure, read in full or known by reference (its versions imported without it).
        if self
            .doc
            .ws()
            .presence(&path)
            .is_some_and(|p| !p.is_planned())
        {
            self.intents
                .push(Intent::Open(DialogRequest::Duplicate(path)));
        } else if self.prefs.show_tree && Draft::load(self.doc.ws(), &path).is_some() {
            self.state.tree.start_rename(path);
        } else {
            self.state.editor.focus_field = Some("name");
        }
    }

    fn undo_or_redo(&mut self, undo: bool) {
        // What comes back (undoing a delete, redoing an add) is selected.
        let back = if undo {
            self.doc.undo_edit()
        } else {
            self.doc.redo_edit()
        }
        .and_then(super::apply::added);
        let (done, verb) = if undo {
            (self.doc.undo(), "Undid")
        } else {
            (self.doc.redo(), "Redid")
        };
        if let Some(label) = done {
            self.state.editor.reset();
            if let Some(path) = back {
                self.select(path, None);
            }
            self.state
                .status
                .notify(format!("{verb}: {label}"), false, 4);
        }
    }

    /// Asks about unsaved changes before leaving the document.
    pub(in crate::ui) fn guard(&mut self, leave: Leave, ctx: &egui::Context) {
        // Only the user's edits are asked about: replication progress is the simulation's.
        if self.doc.has_user_changes() {
            self.open(DialogRequest::Unsaved(leave), ctx);
        } else {
            self.continue_with(leave, ctx);
        }
    }

    /// Leaves the document (its changes were saved or discarded).
    pub(in crate::ui) fn continue_with(&mut self, leave: Leave, ctx: &egui::Context) {
        match leave {
            Leave::New => {
                let tenants = self.doc.ws().tenants.clone();
                let ws = Workspace {
                    tenants,
                    ..Workspace::default()
                };
                self.replace_document(Document::new(ws, None));
            }
            Leave::Open => self.ask_open_path(ctx),
            Leave::OpenFile(path) => self.start_load(path, ctx),
            Leave::Quit => {
                self.shell.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    /// Copies the version under the next free version number, as a planned version.
    fn duplicate_version(&mut self, path: Option<ResourcePath>) {
        let Some(path) = path else {
            return;
        };
        let ResourcePath::Version(g, d, v) = &path else {
            return;
        };
        let Some(Resource::Version(_, definition, original)) = self.doc.ws().resolve(&path) else {
            return;
        };
        let today = self.derived.today;
        let name = next_version(Some(definition));
        let mut copy = original.clone();
        copy.name.clone_from(&name);
        copy.published = Some(today);
        // A new version cannot be created with an end-of-life date that has passed.
        let passed = copy.end_of_life.filter(|eol| *eol <= today);
        if passed.is_some() {
            copy.end_of_life = None;
        }
        for target in &mut copy.target_regions {
            target.status = ReplicaStatus::default();
        }
        self.intents.push(Intent::Edit {
            edit: Edit::AddVersion {
                gallery: g.clone(),
                definition: d.clone(),
                index: None,
                version: copy,
            },
            select: Some(ResourcePath::version(g, d, &name)),
            notice: Some(match passed {
                Some(eol) => format!(
                    "Duplicated {v} as {name}, without its end-of-life date {eol}, which has passed"
                ),
                None => format!("Duplicated {v} as {name}"),
            }),
        });
    }

    /// Opens the "Add…" dialog for a child of `parent` (`None`: a gallery).
    fn add_child(&mut self, parent: Option<ResourcePath>, ctx: &egui::Context) {
        let request = match parent {
            None
            | Some(ResourcePath::Settings | ResourcePath::Tenant(_) | ResourcePath::Principal(_)) => {
                DialogRequest::AddGallery(())
            }
            Some(ResourcePath::ManagedImage(_)) => DialogRequest::AddImage(()),
            Some(ResourcePath::Gallery(g)) => DialogRequest::AddDefinition(g),
            Some(ResourcePath::Definition(g, d) | ResourcePath::Version(g, d, _)) => {
                DialogRequest::AddVersion((g, d))
            }
        };
        self.open(request, ctx);
    }

    /// The desktop's dialog to pick JSON files, or the path field where there is none.
    pub(in crate::ui) fn ask_import_files(&mut self, ctx: &egui::Context) {
        if !self.tasks.native_dialogs {
            self.open(DialogRequest::Import(ImportRequest::Choose(None)), ctx);
        } else if !crate::ui::tasks::files::dialog_host_present() {
            let note = Some(crate::ui::tasks::NO_DIALOG_NOTE_IMPORT.to_owned());
            self.open(DialogRequest::Import(ImportRequest::Choose(note)), ctx);
        } else if self.tasks.file_dialog.is_none() {
            let current = self.doc.path.as_deref();
            let purpose = crate::ui::tasks::files::DialogPurpose::Import;
            self.tasks.file_dialog = Some(crate::ui::tasks::files::FileDialog::spawn(
                purpose, current, ctx,
            ));
        }
    }
}
