//! The undo history of a document, apart from the document itself (as helix keeps `History`
//! apart from `Document`): which revision the workspace is at, and the steps that lead to the
//! revisions before and after it.
//!
//! A step is an edit and its inversion seen from one side: applying an edit returns its
//! inverse, so the history keeps only the edit that crosses the step in the direction it will
//! be taken next (back for an undo step, forward for a redo step). Crossing it yields the edit
//! for the way back, which goes onto the other stack. One copy of what a step replaced lives in
//! the history, never two (an import's replaced resources can be large).

use std::collections::VecDeque;

use crate::model::{Edit, Workspace};

/// Undo steps kept.
pub const UNDO_LIMIT: usize = 500;

/// Identifies a content of the workspace. Undo and redo return to earlier revisions, so a
/// document compares the revision it is at with the one last saved to know whether it is
/// saved.
pub type Revision = u64;

/// One step of the history.
struct Step {
    label: String,
    /// The edit that takes the workspace to the other side of this step.
    edit: Edit,
    /// The revision the workspace is at after taking this step.
    revision: Revision,
}

/// The revisions of a workspace: the current one, the steps back (undo) and forward (redo).
pub struct History {
    undo: VecDeque<Step>,
    redo: Vec<Step>,
    current: Revision,
    next: Revision,
}

impl Default for History {
    fn default() -> Self {
        Self::new()
    }
}

impl History {
    /// A history at revision 0 with no steps.
    pub fn new() -> Self {
        Self {
            undo: VecDeque::new(),
            redo: Vec::new(),
            current: 0,
            next: 1,
        }
    }

    /// The revision the workspace is at.
    pub fn current(&self) -> Revision {
        self.current
    }

    /// Moves to a new revision without an undo step: the service changed the workspace, or a
    /// preference changed. Returns the new revision.
    pub fn advance(&mut self) -> Revision {
        self.current = self.next;
        self.next += 1;
        self.current
    }

    /// Records an edit just applied as one undo step: `inverse` (what applying it returned)
    /// takes the workspace back. Clears the redo steps; drops the oldest step past
    /// [`UNDO_LIMIT`].
    pub fn record(&mut self, label: String, inverse: Edit) {
        let previous = self.current;
        self.advance();
        self.undo.push_back(Step {
            label,
            edit: inverse,
            revision: previous,
        });
        if self.undo.len() > UNDO_LIMIT {
            self.undo.pop_front();
        }
        self.redo.clear();
    }

    /// Undoes the last step on `ws`; returns its label.
    pub fn undo(&mut self, ws: &mut Workspace) -> Option<String> {
        let step = self.undo.pop_back()?;
        self.cross(ws, step, true)
    }

    /// Redoes the last undone step on `ws`; returns its label.
    pub fn redo(&mut self, ws: &mut Workspace) -> Option<String> {
        let step = self.redo.pop()?;
        self.cross(ws, step, false)
    }

    fn cross(&mut self, ws: &mut Workspace, step: Step, undoing: bool) -> Option<String> {
        match step.edit.apply(ws) {
            Ok(inverse) => {
                let back = Step {
                    label: step.label.clone(),
                    edit: inverse,
                    revision: self.current,
                };
                self.current = step.revision;
                if undoing {
                    self.redo.push(back);
                } else {
                    self.undo.push_back(back);
                }
                Some(step.label)
            }
            // Inverses always apply to the revision they were made for; if the history was
            // broken by something else, drop it rather than corrupt the workspace.
            Err(err) => {
                log::error!("the undo history no longer fits the workspace and is dropped: {err}");
                self.undo.clear();
                self.redo.clear();
                None
            }
        }
    }

    /// The edit the next undo applies (the inverse of the last step).
    pub fn undo_edit(&self) -> Option<&Edit> {
        self.undo.back().map(|s| &s.edit)
    }

    /// The edit the next redo applies.
    pub fn redo_edit(&self) -> Option<&Edit> {
        self.redo.last().map(|s| &s.edit)
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.undo.back().map(|s| s.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }

    pub fn undo_depth(&self) -> usize {
        self.undo.len()
    }

    /// Every edit the history holds, back and forward, to rewrite (a preference every revision
    /// keeps).
    pub fn edits_mut(&mut self) -> impl Iterator<Item = &mut Edit> {
        self.undo
            .iter_mut()
            .chain(self.redo.iter_mut())
            .map(|s| &mut s.edit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Gallery;

    fn add(ws: &mut Workspace, history: &mut History, name: &str) {
        let edit = Edit::AddGallery {
            index: None,
            gallery: Gallery {
                name: name.to_owned(),
                ..Gallery::default()
            },
        };
        let label = edit.describe();
        let inverse = edit.apply(ws).unwrap();
        history.record(label, inverse);
    }

    #[test]
    fn undo_and_redo_return_to_the_same_revisions() {
        let (mut ws, mut history) = (Workspace::default(), History::new());
        let start = history.current();
        add(&mut ws, &mut history, "a");
        let after_a = history.current();
        add(&mut ws, &mut history, "b");
        let after_b = history.current();
        assert!(start != after_a && after_a != after_b);
        assert_eq!(history.undo(&mut ws).as_deref(), Some("Add gallery b"));
        assert_eq!(history.current(), after_a);
        assert_eq!(history.redo_label(), Some("Add gallery b"));
        assert_eq!(history.undo(&mut ws).as_deref(), Some("Add gallery a"));
        assert_eq!(history.current(), start);
        assert!(ws.galleries.is_empty());
        assert_eq!(history.redo(&mut ws).as_deref(), Some("Add gallery a"));
        assert_eq!(history.current(), after_a);
        // A new edit after an undo is a new revision and ends the redo steps.
        add(&mut ws, &mut history, "c");
        assert!(history.redo_edit().is_none());
        assert!(![start, after_a, after_b].contains(&history.current()));
    }

    #[test]
    fn keeps_the_last_steps_up_to_the_limit() {
        let (mut ws, mut history) = (Workspace::default(), History::new());
        for i in 0..UNDO_LIMIT + 3 {
            add(&mut ws, &mut history, &format!("g{i}"));
        }
        assert_eq!(history.undo_depth(), UNDO_LIMIT);
        while history.undo(&mut ws).is_some() {}
        assert_eq!(ws.galleries.len(), 3, "the oldest three steps were dropped");
    }

    #[test]
    fn a_history_that_no_longer_fits_is_dropped() {
        let (mut ws, mut history) = (Workspace::default(), History::new());
        add(&mut ws, &mut history, "a");
        ws.galleries.clear();
        assert_eq!(history.undo(&mut ws), None);
        assert_eq!(history.undo_depth(), 0);
        assert!(history.redo_edit().is_none());
    }
}
