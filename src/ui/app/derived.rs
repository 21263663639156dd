//! What the app works out from the document for every view, once per change: the validation
//! problems (after the user's edits only: replication progress does not change what the rules
//! say), and what the acting principal may do with the selection and cannot see.

use std::collections::HashSet;

use crate::access::Permissions;
use crate::document::Document;
use crate::memo::Memo;
use crate::model::{Date, Problem, ResourcePath};
use crate::ui::view::Acting;

pub(in crate::ui) struct Derived {
    /// The date end-of-life dates are judged against, given at start-up.
    pub(in crate::ui) today: Date,
    /// By edit generation.
    problems: Memo<u64, Vec<Problem>>,
    /// By (edit generation, selection).
    permissions: Memo<(u64, Option<ResourcePath>), Permissions>,
    /// By edit generation.
    unseen: Memo<u64, HashSet<ResourcePath>>,
}

impl Derived {
    pub(in crate::ui) fn new(today: Date) -> Self {
        Self {
            today,
            problems: Memo::default(),
            permissions: Memo::default(),
            unseen: Memo::default(),
        }
    }

    /// Works out again what changed since the last call.
    pub(in crate::ui) fn refresh(&mut self, doc: &Document, selection: Option<&ResourcePath>) {
        let (ws, generation, today) = (doc.ws(), doc.edit_generation(), self.today);
        self.problems
            .get(generation, |_| crate::validate(ws, today));
        // Compared without copying the selection: this runs every frame.
        let permissions = self.permissions.get_by(
            |(g, s)| *g == generation && s.as_ref() == selection,
            || (generation, selection.cloned()),
            |_| Permissions::new(ws, selection),
        );
        let actor = permissions.actor();
        self.unseen.get(generation, |_| {
            actor.map_or_else(HashSet::new, |actor| {
                crate::access::permissions::unseen(ws, actor)
            })
        });
    }

    /// Forgets everything: another document (what was worked out for the old one), or another
    /// date.
    pub(in crate::ui) fn forget(&mut self) {
        self.problems.clear();
        self.permissions.clear();
        self.unseen.clear();
    }

    pub(in crate::ui) fn problems(&self) -> &[Problem] {
        self.problems.last().map_or(&[], Vec::as_slice)
    }

    pub(in crate::ui) fn acting(&self) -> Acting<'_> {
        Acting {
            permissions: self.permissions.last().unwrap_or(&NOBODY),
            unseen: self.unseen.last().unwrap_or(&NOTHING),
        }
    }
}

/// Before the first refresh: the workspace owner, who may do everything and sees everything.
static NOBODY: Permissions = Permissions::OWNER;
static NOTHING: std::sync::LazyLock<HashSet<ResourcePath>> = std::sync::LazyLock::new(HashSet::new);
