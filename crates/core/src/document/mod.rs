//! The open workspace with its file, undo history and change tracking. The workspace is private:
//! the user's changes go through [`Document::apply`] (one undo step each), the service's through
//! [`Document::service_change`], so undo, redo, the unsaved marker and every cache keyed on the
//! generation never miss one. The undo steps and revisions are the [`History`]'s; the document
//! compares the revision it is at with the one last saved to know whether it is saved.

mod history;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

pub use history::{History, Revision, UNDO_LIMIT};

use crate::model::{Date, Edit, EditError, Settings, Workspace};
use crate::workspace::DiskStamp;

/// No revision: the content has never been saved anywhere (a restored recovery copy, or a
/// preference every revision of the history now holds).
const NEVER_SAVED: Revision = Revision::MAX;

/// Every generation the process hands out, whichever document it is for: a generation is never
/// repeated, so a cache keyed on one can never pass one document's result for another's (the
/// cost panel showed the previous workspace's total after *Open recent*, issue 24 item 1).
static GENERATIONS: AtomicU64 = AtomicU64::new(0);

fn next_generation() -> u64 {
    GENERATIONS.fetch_add(1, Ordering::Relaxed) + 1
}

/// A workspace being edited.
pub struct Document {
    /// Shared with a save, a recovery copy or an import running on a thread until it changes:
    /// a change while one runs copies it (`Arc::make_mut`), so opening, saving and starting an
    /// import copy nothing on the UI thread. Nothing else holds a copy: the document kept the
    /// workspace as opened or saved for *Review changes…* until the review planned from Azure as
    /// last seen, and the first change (replication progress) then copied all of it, 152 MB at
    /// 100,000 versions (issue 23, item 7).
    ws: Arc<Workspace>,
    /// The file it was opened from or last saved to.
    pub path: Option<PathBuf>,
    /// What that file held then: a save to it refuses to overwrite someone else's changes.
    pub disk: Option<DiskStamp>,
    history: History,
    /// Changes on every change, for caches; grows, and is unique in the process (no other
    /// document ever had it).
    generation: u64,
    /// Changes on user edits, undo and redo only (not on replication progress): editors reload
    /// their drafts when it changes, so progress never discards what the user is typing. Unique
    /// in the process too.
    edit_generation: u64,
    /// The revision last saved (or opened).
    saved: Revision,
    /// Whether the user changed anything (edit, undo, redo) since the last save; when not, the
    /// only unsaved changes are the service's (replication progress).
    user_changes: bool,
}

impl Document {
    pub fn new(ws: Workspace, path: Option<PathBuf>) -> Self {
        let generation = next_generation();
        Self {
            ws: Arc::new(ws),
            path,
            disk: None,
            history: History::new(),
            generation,
            edit_generation: generation,
            saved: 0,
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
        doc.saved = NEVER_SAVED;
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
        self.history.record(label, inverse);
        self.user_changed();
    }

    /// A user's change (edit, undo, redo): editors reload, the file no longer matches.
    fn user_changed(&mut self) {
        self.generation = next_generation();
        self.edit_generation = self.generation;
        self.user_changes = true;
    }

    /// Undoes the last step; returns its label.
    pub fn undo(&mut self) -> Option<String> {
        let label = self.history.undo(Arc::make_mut(&mut self.ws))?;
        self.user_changed();
        Some(label)
    }

    /// Redoes the last undone step; returns its label.
    pub fn redo(&mut self) -> Option<String> {
        let label = self.history.redo(Arc::make_mut(&mut self.ws))?;
        self.user_changed();
        Some(label)
    }

    /// The undo history.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// The edit the next undo applies (the inverse of the last step).
    pub fn undo_edit(&self) -> Option<&Edit> {
        self.history.undo_edit()
    }

    /// The edit the next redo applies.
    pub fn redo_edit(&self) -> Option<&Edit> {
        self.history.redo_edit()
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.history.undo_label()
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.history.redo_label()
    }

    pub fn undo_depth(&self) -> usize {
        self.history.undo_depth()
    }

    /// Changes since the last save (or open)? The revision differs from the one saved.
    pub fn is_dirty(&self) -> bool {
        self.history.current() != self.saved
    }

    /// Unsaved changes that include the user's own (not only replication progress).
    pub fn has_user_changes(&self) -> bool {
        self.is_dirty() && self.user_changes
    }

    /// Identifies the current content (its revision); pass it to [`Self::mark_saved`] when a
    /// save of it completes.
    pub fn state(&self) -> Revision {
        self.history.current()
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
            self.generation = next_generation();
            self.history.advance();
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
        for edit in self.history.edits_mut() {
            keep_preference(edit, &change);
        }
        self.user_changed();
        self.history.advance();
        // Every revision in the history now holds the new preference: none of them is the file's.
        self.saved = NEVER_SAVED;
        true
    }

    /// Records that the content identified by `state` is now on disk at `path`.
    pub fn mark_saved(&mut self, state: Revision, path: PathBuf) {
        if self.path.as_ref() != Some(&path) {
            self.disk = None;
        }
        self.saved = state;
        if state == self.history.current() {
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
        self.user_changed();
        self.history.advance();
        self.saved = NEVER_SAVED;
        true
    }

    /// Azure's replication progress, read by a poll: Azure as last seen becomes `seen`, and
    /// `change` copies Azure's state into the planned versions. The service's change, as the
    /// simulation's progress is: no undo step, the edit generation stays (drafts are kept), the
    /// document is unsaved (no state in the history sits beside `seen`).
    pub fn azure_progress(
        &mut self,
        seen: Arc<crate::model::AzureSeen>,
        change: impl FnOnce(&mut Workspace),
    ) {
        let ws = Arc::make_mut(&mut self.ws);
        ws.azure = Some(seen);
        change(ws);
        self.generation = next_generation();
        self.history.advance();
        self.saved = NEVER_SAVED;
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

    /// A cache keyed on a generation never passes one document's result for another's: another
    /// document (a file opened from the recent list) starts at a generation none had.
    #[test]
    fn no_two_documents_share_a_generation() {
        let mut first = Document::new(Workspace::default(), None);
        first.apply(add("a")).unwrap();
        first.service_change(|_| ((), true));
        let second = Document::new(Workspace::default(), None);
        for seen in [first.generation(), first.edit_generation()] {
            assert_ne!(second.generation(), seen);
            assert_ne!(second.edit_generation(), seen);
        }
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
    fn saved_is_the_revision_saved_whatever_the_path_back_to_it() {
        let mut doc = Document::new(Workspace::default(), None);
        doc.apply(add("a")).unwrap();
        doc.mark_saved(doc.state(), PathBuf::from("x.ron"));
        let saved = doc.state();
        doc.apply(add("b")).unwrap();
        assert!(doc.is_dirty());
        doc.undo();
        assert!(!doc.is_dirty(), "undo back to the saved revision");
        assert_eq!(doc.state(), saved);
        doc.undo();
        assert!(doc.is_dirty(), "undo past it");
        doc.redo();
        assert!(!doc.is_dirty(), "redo back to it");
        doc.undo();
        // A new edit ends the redo steps: the saved revision is out of reach, even when the
        // content is undone to the revision before it.
        doc.apply(add("c")).unwrap();
        assert!(doc.is_dirty());
        assert!(doc.redo().is_none());
        doc.undo();
        assert!(doc.is_dirty());
        assert!(doc.ws().galleries.is_empty());
        assert_eq!(doc.history().undo_depth(), 0);
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
