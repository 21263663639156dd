//! The one place where commands apply: after the frame is drawn, in the order they were pushed.
//! Edits go through the document (authorized as the acting principal, one undo step each).

use crate::document::Document;
use crate::model::{
    Edit, Gallery, ImageDefinition, ImageVersion, ManagedImage, Presence, ReplicaStatus,
    ResourcePath, VersionNumber, Workspace,
};
use crate::ui::actions::Action;
use crate::ui::app::SigStudioApp;
use crate::ui::command::{Command, Panel, Pending};
use crate::ui::dialogs::about::AboutDialog;
use crate::ui::dialogs::add_definition::AddDefinitionDialog;
use crate::ui::dialogs::add_gallery::AddGalleryDialog;
use crate::ui::dialogs::add_image::AddImageDialog;
use crate::ui::dialogs::add_version::AddVersionDialog;
use crate::ui::dialogs::check_access::CheckAccessDialog;
use crate::ui::dialogs::confirm_delete::ConfirmDeleteDialog;
use crate::ui::dialogs::deploy::DeployDialog;
use crate::ui::dialogs::duplicate::DuplicateDialog;
use crate::ui::dialogs::matrix::MatrixView;
use crate::ui::dialogs::planner::PlannerDialog;
use crate::ui::dialogs::principals::PrincipalsDialog;
use crate::ui::dialogs::retention::RetentionDialog;
use crate::ui::dialogs::shortcuts::ShortcutsDialog;
use crate::ui::dialogs::unsaved::UnsavedDialog;
use crate::ui::editors::Draft;
use crate::workspace::recovery;

impl SigStudioApp {
    pub(in crate::ui) fn apply(&mut self, command: Command, ctx: &egui::Context) {
        match command {
            Command::Run(action) => self.run(action, ctx),
            Command::Apply {
                edit,
                select,
                notice,
            } => {
                self.apply_edit(edit, select, notice);
            }
            Command::Select(path, field) => self.select(path, field),
            Command::OpenDialog(dialog) => self.dialog = Some(dialog),
            Command::Message { title, text } => self.show_message(&title, text),
            Command::Guard(pending) => self.guard(pending, ctx),
            Command::Discard(pending) => {
                self.tasks.reset_recovery();
                self.continue_with(pending, ctx);
            }
            Command::SaveThen(pending) => {
                self.tasks.after_save = Some(pending);
                self.run(Action::Save, ctx);
            }
            Command::SaveTo(path) => self.start_save(path, ctx),
            Command::Overwrite(path) => self.save_without_check(path, ctx),
            Command::CancelSave => self.tasks.after_save = None,
            Command::RestoreRecovery(copy) => match recovery::load(&copy) {
                Ok(ws) => self.replace_document(Document::unsaved(ws, copy.origin)),
                Err(err) => self.show_message("Could not restore", err.to_string()),
            },
            Command::DiscardRecovery => {
                if let Some(dirs) = &self.tasks.dirs {
                    recovery::discard(&dirs.data);
                }
            }
            Command::AddChild(parent) => self.add_child(parent),
            Command::ToggleExpanded(key) => self.tree.toggle(key),
            Command::Replication(command) => self.apply_replication(command),
            Command::ShowPanel(Panel::Activity) => self.prefs.show_activity = true,
            Command::SetActingAs(actor) => self.set_acting_as(actor),
            Command::AcceptImport(accepted) => self.accept_import(*accepted),
            Command::Export {
                format,
                scope,
                path,
            } => self.export_to(format, &scope, &path),
            Command::ExportPlan { path, script } => self.export_plan(&path, &script),
        }
    }

    /// Writes the plan the review dialog shows as an az script (safely); a failure says why
    /// and writes nothing.
    fn export_plan(&mut self, path: &std::path::Path, script: &str) {
        match crate::workspace::write_script(path, script) {
            Ok(()) => self
                .status
                .notify(format!("Plan written to {}", path.display()), false, 6),
            Err(err) => self.show_message("Could not write the plan", err.to_string()),
        }
    }

    /// Writes an export (safely: a temporary file, then a rename); a failure says why and
    /// writes nothing.
    fn export_to(
        &mut self,
        format: crate::export::Format,
        scope: &crate::export::Scope,
        path: &std::path::Path,
    ) {
        let result = crate::export::export(self.doc.ws(), scope, format)
            .map_err(|err| err.to_string())
            .and_then(|text| {
                match format {
                    crate::export::Format::Az => crate::workspace::write_script(path, &text),
                    crate::export::Format::Arm => {
                        crate::workspace::write_atomically(path, text.as_bytes(), false)
                    }
                }
                .map_err(|err| err.to_string())
            });
        match result {
            Ok(()) => self
                .status
                .notify(format!("Exported to {}", path.display()), false, 6),
            Err(message) => self.show_message("Could not export", message),
        }
    }

    /// Applies an edit as the acting principal; a refusal shows why and changes nothing.
    pub(in crate::ui) fn apply_edit(
        &mut self,
        edit: Edit,
        select: Option<ResourcePath>,
        notice: Option<String>,
    ) -> bool {
        let renamed = renamed(&edit, select.as_ref());
        let ws = self.doc.ws();
        let result = crate::access::authorize(ws, ws.settings.acting_as.as_deref(), &edit)
            .map_err(|refusal| refusal.message)
            .and_then(|()| {
                self.doc
                    .apply_at(edit, self.today)
                    .map_err(|err| err.to_string())
            });
        match result {
            Ok(()) => {
                if let Some((old, new)) = renamed {
                    self.tree.renamed(&old, &new);
                }
                if let Some(path) = select {
                    self.select(path, None);
                }
                if let Some(text) = notice {
                    self.status.notify(text, true, 8);
                }
                true
            }
            Err(message) => {
                self.editor.reset();
                self.show_message("The change was refused", message);
                false
            }
        }
    }

    /// Acts as `actor` from now on (`None`: the workspace owner): kept in the file, so the
    /// document is unsaved, but not an undo step.
    fn set_acting_as(&mut self, actor: Option<String>) {
        // The banner says whom the app acts as: no notice repeats it.
        if self.doc.set_preference(|s| s.acting_as.clone_from(&actor)) {
            self.editor.reset();
        }
    }

    /// Selects a resource as a click in the tree would (for tests and screenshots).
    pub fn select_path(&mut self, path: ResourcePath) {
        self.select(path, None);
    }

    fn select(&mut self, path: ResourcePath, field: Option<&'static str>) {
        self.tree.reveal(&path);
        if self.selection.as_ref() != Some(&path) {
            self.editor.reset();
        }
        self.selection = Some(path);
        self.editor.focus_field = field;
    }

    /// Runs an action, asking about unsaved changes first where work could be lost. What the
    /// acting principal may not do is refused with the reason (the rule that disables its menu
    /// item and button), so a keyboard shortcut cannot do what a disabled button would not.
    pub fn run(&mut self, action: Action, ctx: &egui::Context) {
        // A command earlier in this frame may have changed the selection.
        self.acting.refresh(
            self.doc.ws(),
            self.doc.edit_generation(),
            self.selection.as_ref(),
        );
        if let Some(reason) = self.acting.permissions().refusal(action) {
            let text = format!("{} refused: {reason}", action.label().trim_end_matches('…'));
            self.status.notify(text, false, 8);
            return;
        }
        match action {
            Action::New => self.guard(Pending::New, ctx),
            Action::Open => self.guard(Pending::Open, ctx),
            Action::OpenPath => self.open_dialog(Box::new(
                crate::ui::dialogs::open_path::OpenPathDialog::new(None),
            )),
            Action::Save => match self.doc.path.clone() {
                Some(path) => self.start_save(path, ctx),
                None => self.save_as(ctx),
            },
            Action::SaveAs => self.save_as(ctx),
            Action::SaveToPath => self.save_to_path(None),
            Action::Import => self.ask_import_files(ctx),
            Action::Export => self.open_dialog(Box::new(
                crate::ui::dialogs::export::ExportDialog::new(self.doc.path.as_deref()),
            )),
            Action::ReviewChanges => self.open_dialog(Box::new(
                crate::ui::dialogs::review::ReviewDialog::new(self.doc.path.as_deref()),
            )),
            Action::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Action::Undo | Action::Redo => self.undo_or_redo(action == Action::Undo),
            // In place in the tree when it is shown, else in the editor's name field.
            Action::Rename => self.rename(),
            Action::Duplicate => self.duplicate_version(),
            Action::Delete => {
                if let Some(path) = self.selection.clone()
                    && path != ResourcePath::Settings
                {
                    self.open_dialog(Box::new(ConfirmDeleteDialog::new(path)));
                }
            }
            Action::AddChild => self.add_child(self.selection.clone()),
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
                    let dialog = DeployDialog::new(self.doc.ws(), path);
                    self.open_dialog(Box::new(dialog));
                }
            }
            Action::PlanReplicas => {
                if let Some(path) = &self.selection
                    && let Some(dialog) = PlannerDialog::new(self.doc.ws(), path)
                {
                    self.open_dialog(Box::new(dialog));
                }
            }
            Action::RetentionPolicy => {
                if let Some(path) = &self.selection
                    && let Some(dialog) = RetentionDialog::new(self.doc.ws(), path, self.today)
                {
                    self.open_dialog(Box::new(dialog));
                }
            }
            Action::WorkspaceSettings => self.select(ResourcePath::Settings, None),
            Action::Principals => self.open_dialog(Box::<PrincipalsDialog>::default()),
            Action::AccessMatrix => self.open_dialog(Box::<MatrixView>::default()),
            Action::CheckAccess => {
                let dialog = CheckAccessDialog::new(None, self.selection.clone());
                self.open_dialog(Box::new(dialog));
            }
            Action::Shortcuts => self.open_dialog(Box::new(ShortcutsDialog)),
            Action::About => self.open_dialog(Box::new(AboutDialog)),
        }
    }

    /// Renames the selection in place in the tree when it is shown, else in the editor's name
    /// field; what the acting principal may not edit stays as it is.
    fn rename(&mut self) {
        let Some(path) = self.selection.clone() else {
            return;
        };
        // ARM cannot rename what exists in Azure: offer a copy under a new name.
        if self.doc.ws().presence(&path) == Some(Presence::InAzure) {
            self.open_dialog(Box::new(DuplicateDialog::new(path)));
            return;
        }
        if self.acting.permissions().edit.is_some() {
            return;
        }
        if self.prefs.show_tree && Draft::load(self.doc.ws(), &path).is_some() {
            self.tree.start_rename(path);
        } else {
            self.editor.focus_field = Some("name");
        }
    }

    fn undo_or_redo(&mut self, undo: bool) {
        // What comes back (undoing a delete, redoing an add) is selected.
        let back = if undo {
            self.doc.undo_edit()
        } else {
            self.doc.redo_edit()
        }
        .and_then(added);
        let (done, verb) = if undo {
            (self.doc.undo(), "Undid")
        } else {
            (self.doc.redo(), "Redid")
        };
        if let Some(label) = done {
            self.editor.reset();
            if let Some(path) = back {
                self.select(path, None);
            }
            self.status.notify(format!("{verb}: {label}"), false, 4);
        }
    }

    fn guard(&mut self, pending: Pending, ctx: &egui::Context) {
        if self.doc.is_dirty() {
            self.open_dialog(Box::new(UnsavedDialog::new(pending)));
        } else {
            self.continue_with(pending, ctx);
        }
    }

    pub(in crate::ui) fn continue_with(&mut self, pending: Pending, ctx: &egui::Context) {
        self.dialog = None;
        match pending {
            Pending::New => {
                let tenants = self.doc.ws().tenants.clone();
                let ws = Workspace {
                    tenants,
                    ..Workspace::default()
                };
                self.replace_document(Document::new(ws, None));
            }
            Pending::Open => self.ask_open_path(ctx),
            Pending::OpenFile(path) => self.start_load(path, ctx),
            Pending::Quit => {
                self.shell.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    /// The next free version number after the highest of `definition`.
    fn next_version(definition: Option<&ImageDefinition>) -> String {
        definition
            .and_then(|d| d.versions.iter().filter_map(ImageVersion::number).max())
            .map_or(VersionNumber::new(1, 0, 0), VersionNumber::next_patch)
            .to_string()
    }

    fn duplicate_version(&mut self) {
        let Some(ResourcePath::Version(g, d, v)) = self.selection.clone() else {
            return;
        };
        let Some(definition) = self.doc.ws().gallery(&g).and_then(|x| x.definition(&d)) else {
            return;
        };
        let Some(original) = definition.version(&v) else {
            return;
        };
        let name = Self::next_version(Some(definition));
        let mut copy = original.clone();
        copy.name.clone_from(&name);
        copy.published = Some(self.today);
        // A new version cannot be created with an end-of-life date that has passed.
        let passed = copy.end_of_life.filter(|eol| *eol <= self.today);
        if passed.is_some() {
            copy.end_of_life = None;
        }
        for target in &mut copy.target_regions {
            target.status = ReplicaStatus::default();
        }
        self.commands.push(Command::Apply {
            edit: Edit::AddVersion {
                gallery: g.clone(),
                definition: d.clone(),
                index: None,
                version: copy,
            },
            select: Some(ResourcePath::version(&g, &d, &name)),
            notice: Some(match passed {
                Some(eol) => format!(
                    "Duplicated {v} as {name}, without its end-of-life date {eol}, which has passed"
                ),
                None => format!("Duplicated {v} as {name}"),
            }),
        });
    }

    /// Opens the "Add…" dialog for a child of `parent` (`None`: a gallery).
    fn add_child(&mut self, parent: Option<ResourcePath>) {
        let ws = self.doc.ws();
        let tenant = ws
            .tenants
            .first()
            .map(|t| t.name.clone())
            .unwrap_or_default();
        let dialog: Box<dyn crate::ui::command::Dialog> = match parent {
            None
            | Some(ResourcePath::Settings | ResourcePath::Tenant(_) | ResourcePath::Principal(_)) => {
                Box::new(AddGalleryDialog::new(Gallery {
                    tenant,
                    ..Gallery::default()
                }))
            }
            Some(ResourcePath::ManagedImage(_)) => Box::new(AddImageDialog::new(ManagedImage {
                os_disk_gb: 30,
                occupied_gb: 10.0,
                ..ManagedImage::default()
            })),
            Some(ResourcePath::Gallery(g)) => Box::new(AddDefinitionDialog::new(
                g,
                ImageDefinition::with_defaults(ws.settings.new_definitions),
            )),
            Some(ResourcePath::Definition(g, d) | ResourcePath::Version(g, d, _)) => {
                let name = Self::next_version(ws.gallery(&g).and_then(|x| x.definition(&d)));
                let version = ImageVersion {
                    name,
                    published: Some(self.today),
                    ..ImageVersion::default()
                };
                Box::new(AddVersionDialog::new(g, d, version))
            }
        };
        self.open_dialog(dialog);
    }
}

/// The resource an edit adds (the inverse of a delete), to select once it is back.
fn added(edit: &Edit) -> Option<ResourcePath> {
    match edit {
        Edit::AddGallery { gallery, .. } => Some(ResourcePath::gallery(&gallery.name)),
        Edit::AddDefinition {
            gallery,
            definition,
            ..
        } => Some(ResourcePath::definition(gallery, &definition.name)),
        Edit::AddVersion {
            gallery,
            definition,
            version,
            ..
        } => Some(ResourcePath::version(gallery, definition, &version.name)),
        Edit::AddImage { image, .. } => Some(ResourcePath::managed_image(&image.name)),
        Edit::Batch { edits, .. } => edits.iter().find_map(added),
        _ => None,
    }
}

/// The old and new path of a gallery or definition an edit renames (selecting the new one).
fn renamed(edit: &Edit, select: Option<&ResourcePath>) -> Option<(ResourcePath, ResourcePath)> {
    let old = match edit {
        Edit::UpdateGallery { name, .. } => ResourcePath::gallery(name),
        Edit::UpdateDefinition { gallery, name, .. } => ResourcePath::definition(gallery, name),
        _ => return None,
    };
    let new = select?.clone();
    (old != new && old.kind() == new.kind()).then_some((old, new))
}
