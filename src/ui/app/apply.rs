//! The one place where intents apply: after the frame is drawn, in the order they were
//! pushed. Edits go through the document (authorized as the acting principal, one undo step
//! each); dialogs open over the open ones; actions run through `run.rs`.

use crate::document::Document;
use crate::model::{Edit, ResourcePath};
use crate::ui::app::SigStudioApp;
use crate::ui::dialogs::DialogRequest;
use crate::ui::dialogs::message::MessageDialog;
use crate::ui::intent::Intent;
use crate::workspace::recovery;

impl SigStudioApp {
    pub(in crate::ui) fn apply(&mut self, intent: Intent, ctx: &egui::Context) {
        match intent {
            Intent::Run { action, target } => self.run_on(action, &target, ctx),
            Intent::Edit {
                edit,
                select,
                notice,
            } => {
                self.apply_edit(edit, select, notice);
            }
            Intent::Select { path, focus } => self.select(path, focus),
            Intent::Deselect => self.selection = None,
            Intent::Open(request) => self.open(request, ctx),
            Intent::Leave(leave) => self.guard(leave, ctx),
            Intent::DiscardAndLeave(leave) => {
                self.tasks.reset_recovery();
                self.continue_with(leave, ctx);
            }
            Intent::SaveAndLeave(leave) => {
                self.tasks.after_save = Some(leave);
                self.save(ctx);
            }
            Intent::SaveTo(path) => self.start_save(path, ctx),
            Intent::Overwrite(path) => self.save_without_check(path, ctx),
            Intent::CancelSave => self.tasks.after_save = None,
            Intent::RestoreRecovery(copy) => match recovery::load(&copy) {
                Ok(ws) => self.replace_document(Document::unsaved(ws, copy.origin)),
                Err(err) => self.show_message("Could not restore", err.to_string()),
            },
            Intent::DiscardRecovery => {
                if let Some(dirs) = &self.tasks.dirs {
                    recovery::discard(&dirs.data);
                }
            }
            Intent::ToggleExpanded(key) => self.state.tree.toggle(key),
            Intent::Replication(request) => self.apply_replication(request),
            Intent::ShowActivity => self.prefs.show_activity = true,
            Intent::SetActingAs(actor) => self.set_acting_as(actor),
            Intent::AcceptImport(accepted) => self.accept_import(*accepted),
            Intent::Azure(request) => self.apply_azure(request, ctx),
            Intent::Export {
                format,
                scope,
                path,
            } => self.export_to(format, &scope, &path),
            Intent::ExportPlan { path, script } => self.export_plan(&path, &script),
            Intent::SaveHandoff { path, text, what } => self.save_handoff(&path, &text, &what),
        }
    }

    /// Builds the dialog a request asks for and opens it over the open ones.
    pub(in crate::ui) fn open(&mut self, request: DialogRequest, ctx: &egui::Context) {
        if let Some(dialog) = request.open(&self.view(), ctx) {
            self.state.dialogs.push(dialog);
        }
    }

    /// A message with an OK button, over whatever is open (what the user typed there stays);
    /// it opens when this frame's intents apply.
    /// Says why a workspace did not open; Azure's JSON is offered to the import. `kept`: a
    /// workspace was open, and stays.
    pub(in crate::ui) fn open_failed(
        &mut self,
        path: std::path::PathBuf,
        err: &crate::workspace::LoadError,
        kept: bool,
    ) {
        let mut text = err.to_string();
        if kept {
            text.push_str("\n\nThe current workspace is unchanged.");
        }
        let mut message = MessageDialog::new("Could not open the workspace", text);
        if matches!(err, crate::workspace::LoadError::Json { .. }) {
            message.import = Some(path);
        }
        self.intents
            .push(Intent::Open(DialogRequest::Message(message)));
    }

    pub(in crate::ui) fn show_message(&mut self, title: &str, text: String) {
        let request = DialogRequest::Message(MessageDialog::new(title, text));
        self.intents.push(Intent::Open(request));
    }

    /// Writes the plan the review dialog shows as an az script (safely); a failure says why
    /// and writes nothing.
    fn export_plan(&mut self, path: &std::path::Path, script: &str) {
        match crate::workspace::write_script(path, script) {
            Ok(()) => {
                self.state
                    .status
                    .notify(format!("Plan written to {}", path.display()), false, 6)
            }
            Err(err) => self.show_message("Could not write the plan", err.to_string()),
        }
    }

    /// Writes a hand-off as exports are written (safely); never over the workspace's own file.
    fn save_handoff(&mut self, path: &std::path::Path, text: &str, what: &str) {
        let own = self
            .doc
            .path
            .as_deref()
            .is_some_and(|file| file == path || crate::cli::same_file(file, path));
        let result = if own {
            Err(format!(
                "{} is the workspace's own file: choose another name",
                path.display()
            ))
        } else {
            crate::workspace::write_atomically(path, text.as_bytes(), false)
                .map_err(|err| err.to_string())
        };
        match result {
            Ok(()) => {
                self.state
                    .status
                    .notify(format!("{what} written to {}", path.display()), false, 6)
            }
            Err(message) => self.show_message(&format!("Could not save the {what}"), message),
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
                .state
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
                    .apply_at(edit, self.derived.today)
                    .map_err(|err| err.to_string())
            });
        match result {
            Ok(()) => {
                if let Some((old, new)) = renamed {
                    self.state.tree.renamed(&old, &new);
                }
                if let Some(path) = select {
                    self.select(path, None);
                }
                if let Some(text) = notice {
                    self.state.status.notify(text, true, 8);
                }
                true
            }
            Err(message) => {
                self.state.editor.reset();
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
            self.state.editor.reset();
        }
    }

    /// Selects a resource as a click in the tree would (for tests and screenshots).
    pub fn select_path(&mut self, path: ResourcePath) {
        self.select(path, None);
    }

    pub(in crate::ui) fn select(&mut self, path: ResourcePath, field: Option<&'static str>) {
        self.state.tree.reveal(&path);
        if self.selection.as_ref() != Some(&path) {
            self.state.editor.reset();
        }
        self.selection = Some(path);
        self.state.editor.focus_field = field;
    }
}

/// The resource an edit adds (the inverse of a delete), to select once it is back.
pub(in crate::ui) fn added(edit: &Edit) -> Option<ResourcePath> {
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
