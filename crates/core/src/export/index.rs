//! What an export looks up once per resource or grant (is this resource exported? which
//! principal, which gallery has this name?), in constant time: scanning the lists each time
//! costs the square of a workspace with 100,000 grants.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::access::Lookup;
use crate::model::Workspace;

/// The exported resources by path, and names in the workspace being written.
#[derive(Default)]
pub(crate) struct Index<'w> {
    /// `(gallery, definition, version)` of each exported resource, "" for the levels below it.
    exported: HashSet<(&'w str, &'w str, &'w str)>,
    /// Built on first use, for the selection's workspace.
    lookup: OnceLock<Lookup<'w>>,
}

impl<'w> Index<'w> {
    pub fn mark(&mut self, gallery: &'w str, definition: &'w str, version: &'w str) {
        self.exported.insert((gallery, definition, version));
    }

    /// Whether the resource at a path (`g`, `g/d`, `g/d/v`) is marked as exported.
    pub fn exports(&self, path: &str) -> bool {
        let mut parts = path.split('/');
        let key = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        parts.next().is_none() && self.exported.contains(&key)
    }

    pub fn lookup(&self, ws: &'w Workspace) -> &Lookup<'w> {
        self.lookup.get_or_init(|| Lookup::new(ws))
    }
}
