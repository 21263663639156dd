//! The open workspace with its file, undo history and change tracking. The workspace is private:
//! the user's changes go through [`Document::apply`] (one undo step each), the service's through
//! [`Document::service_change`], so undo, redo, the unsaved marker and every cache keyed on the
//! generation never miss one.

use std::path::PathBuf;
use std::sync::Arc;

use crate::model::{Date, Edit, EditError, Settings, Workspace};
use crate::workspace::DiskStamp;

/// Undo steps kept.
pub const UNDO_LIMIT: usize = 500;

struct Step {
    label: String,
    /// The edit that takes the workspace to the other side of this step.
    edit: Edit,
    /// The state the workspace is in after taking this step.
    state: u64,
}

/// A workspace being edited.
pub struct Document {
    /// Shared with the baseline and with a save or import running on a thread until it
    /// changes: the first change copies it (`Arc::make_mut`), so opening, saving and starting
    /// an import copy nothing on the UI thread.
    ws: Arc<Workspace>,
    /// The file it was opened from or last saved to.
    pub path: Option<PathBuf>,
    /// What that file held then: a save to it refuses to overwrite someone else's changes.
    pub disk: Option<DiskStamp>,
    undo: Vec<Step>,
    redo: Vec<Step>,
    /// Bumps on every change, for caches.
    generation: u64,
    /// Bumps on user edits, undo and redo only (not on replication progress): editors reload
    /// their drafts when it changes, so progress never discards what the user is typing.
    edit_generation: u64,
    /// Identifies the workspace's content: returns to an earlier value on undo.
    state: u64,
    next_state: u64,
    saved_state: u64,
    /// Whether the user changed anything (edit, undo, redo) since the last save; when not, the
    /// only unsaved changes are the service's (replication progress).
    user_changes: bool,
    /// The workspace as last opened, imported or saved: what *Review changes…* plans from.
    baseline: Arc<Workspace>,
}

impl Document {
    pub fn new(ws: Workspace, path: Option<PathBuf>) -> Self {
        let ws = Arc::new(ws);
        Self {
            baseline: Arc::clone(&ws),
            ws,
            path,
            disk: None,
            undo: Vec::new(),
            redo: Vec::new(),
            generation: 0,
            edit_generation: 0,
            state: 0,
            next_state: 1,
            saved_state: 0,
            user_changes: false,
        }
    }

    /// A document opened from its file, which held `disk` when read.
    pub fn opened(ws: Workspace, path: PathBuf, disk: DiskStamp) -> Self {
        let mut doc = Self::new(ws, Some(path));
        doc.disk = Some(disk);
        doc
    }

    /// A document whose content has not been saved anywhere yet (e.g. a restored recovery copy).
    pub fn unsaved(ws: Workspace, path: Option<PathBuf>) -> Self {
        let mut doc = Self::new(ws, path);
        doc.saved_state = u64::MAX;
        doc.user_changes = true;
        doc
    }

    /// The workspace, to read.
    pub fn ws(&self) -> &Workspace {
        &self.ws
    }

    /// The workspace as it is now, shared (a save or an import reads it on its thread).
    pub fn shared(&self) -> &Arc<Workspace> {
        &self.ws
    }

    /// The workspace as last opened, imported or saved.
    pub fn baseline(&self) -> &Arc<Workspace> {
        &self.baseline
    }

    /// Makes `ws` the baseline: what was just saved, or imported from Azure.
    pub fn set_baseline(&mut self, ws: Arc<Workspace>) {
        self.baseline = ws;
    }

    /// Applies an edit as one undo step.
    pub fn apply(&mut self, edit: Edit) -> Result<(), EditError> {
        let label = edit.describe();
        let inverse = edit.apply(Arc::make_mut(&mut self.ws))?;
        self.record(label, inverse);
        Ok(())
    }

    /// Applies an edit the user makes on `today` as one undo step, refused as
    /// [`Edit::check_at`] says (an end-of-life date set in the past).
    pub fn apply_at(&mut self, edit: Edit, today: Date) -> Result<(), EditError> {
        let label = edit.describe();
        let inverse = edit.apply_at(Arc::make_mut(&mut self.ws), today)?;
        self.record(label, inverse);
        Ok(())
    }

    fn record(&mut self, label: String, inverse: Edit) {
        let previous = self.state;
        self.state = self.next_state;
        self.next_state += 1;
        self.generation += 1;
        self.edit_generation += 1;
        self.user_changes = true;
        self.undo.push(Step {
            label,
            edit: inverse,
            state: previous,
        });
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// Undoes the last step; returns its label.
    pub fn undo(&mut self) -> Option<String> {
        let step = self.undo.pop()?;
        self.swap(step, true)
    }

    /// Redoes the last undone step; returns its label.
    pub fn redo(&mut self) -> Option<String> {
        let step = self.redo.pop()?;
        self.swap(step, false)
    }

    fn swap(&mut self, step: Step, undoing: bool) -> Option<String> {
        match step.edit.apply(Arc::make_mut(&mut self.ws)) {
            Ok(inverse) => {
                let back = Step {
                    label: step.label.clone(),
                    edit: inverse,
                    state: self.state,
                };
                self.state = step.state;
                self.generation += 1;
                self.edit_generation += 1;
                self.user_changes = true;
                if undoing {
                    self.redo.push(back);
                } else {
                    self.undo.push(back);
                }
                Some(step.label)
            }
            // Inverses always apply to the state they were made for; if the history was broken
            // by something else, drop it rather than corrupt the workspace.
            Err(_) => {
                self.undo.clear();
                self.redo.clear();
                None
            }
        }
    }

    /// The edit the next undo applies (the inverse of the last step).
    pub fn undo_edit(&self) -> Option<&Edit> {
        self.undo.last().map(|s| &s.edit)
    }

    /// The edit the next redo applies.
    pub fn redo_edit(&self) -> Option<&Edit> {
        self.redo.last().map(|s| &s.edit)
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }

    pub fn undo_depth(&self) -> usize {
        self.undo.len()
    }

    /// Changes since the last save (or open)?
    pub fn is_dirty(&self) -> bool {
        self.state != self.saved_state
    }

    /// Unsaved changes that include the user's own (not only replication progress).
    pub fn has_user_changes(&self) -> bool {
        self.is_dirty() && self.user_changes
    }

    /// Identifies the current content; pass it to [`Self::mark_saved`] when a save of it completes.
    pub fn state(&self) -> u64 {
        self.state
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Changes by the user only (edits, undo, redo); see [`Self::service_change`].
    pub fn edit_generation(&self) -> u64 {
        self.edit_generation
    }

    /// Lets the service change the workspace (replication progress, retry, cancel, an outage):
    /// not an undo step, but when `change` reports that it changed something (the `bool` it
    /// returns) the content differs from the file, so the document is unsaved and caches see a
    /// new generation.
    pub fn service_change<R>(&mut self, change: impl FnOnce(&mut Workspace) -> (R, bool)) -> R {
        let (result, changed) = change(Arc::make_mut(&mut self.ws));
        if changed {
            self.generation += 1;
            self.state = self.next_state;
            self.next_state += 1;
        }
        result
    }

    /// A preference kept in the file (whom the app acts as): not an undo step, but the file
    /// no longer matches, so the document is unsaved. Undo and redo keep the preference: the
    /// settings that earlier steps would restore get it too. Returns whether anything changed.
    pub fn set_preference(&mut self, change: impl Fn(&mut Settings)) -> bool {
        let mut settings = self.ws.settings.clone();
        change(&mut settings);
        if self.ws.settings == settings {
            return false;
        }
        Arc::make_mut(&mut self.ws).settings = settings;
        for step in self.undo.iter_mut().chain(self.redo.iter_mut()) {
            keep_preference(&mut step.edit, &change);
        }
        self.generation += 1;
        self.edit_generation += 1;
        self.user_changes = true;
        self.state = self.next_state;
        self.next_state += 1;
        // Every state in the history now holds the new preference: none of them is the file's.
        self.saved_state = u64::MAX;
        true
    }

    /// Records that the content identified by `state` is now on disk at `path`.
    pub fn mark_saved(&mut self, state: u64, path: PathBuf) {
        if self.path.as_ref() != Some(&path) {
            self.disk = None;
        }
        self.saved_state = state;
        if state == self.state {
            // Changes made while the save ran stay marked as the user's.
            self.user_changes = false;
        }
        self.path = Some(path);
    }

    /// The file name for the title bar.
    pub fn title(&self) -> String {
        self.path.as_ref().and_then(|p| p.file_name()).map_or_else(
            || "Untitled".to_owned(),
            |n| n.to_string_lossy().into_owned(),
        )
    }
}

// Azure as last seen (issue 20): kept apart from the undo history.
impl Document {
    /// Replaces Azure as last seen (after an import or a refresh). Not an undo step: undo and
    /// redo move the planned state only, and every state in the history now sits beside the
    /// new Azure state, so none of them is the file's (the document is unsaved until saved).
    /// Returns whether anything changed.
    pub fn set_azure(&mut self, seen: Option<Arc<crate::model::AzureSeen>>) -> bool {
        if self.ws.azure == seen {
            return false;
        }
        Arc::make_mut(&mut self.ws).azure = seen;
        self.generation += 1;
        self.edit_generation += 1;
        self.user_changes = true;
        self.state = self.next_state;
        self.next_state += 1;
        self.saved_state = u64::MAX;
        true
    }
}

/// Gives the settings an undo or redo step would restore the preference `change` sets.
fn keep_preference(edit: &mut Edit, change: &impl Fn(&mut Settings)) {
    match edit {
        Edit::SetSettings { settings } => change(settings),
        Edit::Batch { edits, .. } => edits.iter_mut().for_each(|e| keep_preference(e, change)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Gallery;

    fn add(name: &str) -> Edit {
        Edit::AddGallery {
            index: None,
            gallery: Gallery {
                name: name.to_owned(),
                ..Gallery::default()
            },
        }
    }

    #[test]
    fn dirty_follows_undo_back_to_the_saved_state() {
        let mut doc = Document::new(Workspace::default(), None);
        assert!(!doc.is_dirty());
        doc.apply(add("a")).unwrap();
        assert!(doc.is_dirty());
        doc.undo();
        assert!(!doc.is_dirty());
        doc.redo();
        assert!(doc.is_dirty());
        doc.mark_saved(doc.state(), PathBuf::from("x.ron"));
        assert!(!doc.is_dirty());
        doc.undo();
        assert!(doc.is_dirty());
    }

    #[test]
    fn service_changes_are_unsaved_but_not_undo_steps() {
        let mut doc = Document::new(Workspace::default(), None);
        let (generation, edits) = (doc.generation(), doc.edit_generation());
        doc.service_change(|_| ((), true));
        assert!(doc.is_dirty());
        assert_eq!(doc.undo_depth(), 0);
        assert!(doc.generation() > generation);
        assert_eq!(doc.edit_generation(), edits);
        assert!(!doc.has_user_changes(), "only progress is unsaved");
        doc.apply(add("a")).unwrap();
        assert!(doc.has_user_changes());
        // An edit made while a save runs stays the user's after that save completes.
        let saving = doc.state();
        doc.apply(add("b")).unwrap();
        doc.mark_saved(saving, PathBuf::from("x.ron"));
        assert!(doc.has_user_changes());
        doc.mark_saved(doc.state(), PathBuf::from("x.ron"));
        assert!(!doc.is_dirty() && !doc.has_user_changes());
        doc.service_change(|_| ((), true));
        assert!(doc.is_dirty() && !doc.has_user_changes());
    }

    #[test]
    fn a_preference_is_unsaved_but_no_undo_step_and_survives_undo() {
        let mut doc = Document::new(Workspace::default(), None);
        let threshold = Settings {
            replica_warning_above: 10,
            ..Settings::default()
        };
        doc.apply(Edit::SetSettings {
            settings: threshold,
        })
        .unwrap();
        doc.mark_saved(doc.state(), PathBuf::from("x.ron"));
        let generation = doc.generation();
        assert!(doc.set_preference(|s| s.acting_as = Some("bob".to_owned())));
        assert!(!doc.set_preference(|s| s.acting_as = Some("bob".to_owned())));
        assert_eq!(doc.undo_depth(), 1, "no undo step of its own");
        assert!(doc.generation() > generation);
        assert!(doc.is_dirty() && doc.has_user_changes());
        // Undoing the settings edit restores the threshold, not whom the app acts as, and the
        // document stays unsaved: the file still acts as the owner.
        doc.undo();
        assert_eq!(doc.ws.settings.replica_warning_above, 50);
        assert_eq!(doc.ws.settings.acting_as.as_deref(), Some("bob"));
        assert!(doc.is_dirty());
        doc.redo();
        assert_eq!(doc.ws.settings.replica_warning_above, 10);
        assert_eq!(doc.ws.settings.acting_as.as_deref(), Some("bob"));
    }

    #[test]
    fn keeps_at_least_a_hundred_steps() {
        let mut doc = Document::new(Workspace::default(), None);
        for i in 0..150 {
            doc.apply(add(&format!("g{i}"))).unwrap();
        }
        for _ in 0..150 {
            assert!(doc.undo().is_some());
        }
        assert!(doc.ws.galleries.is_empty());
        assert!(!doc.is_dirty());
    }
}
