//! Whether a grant's scope names a resource, in constant time: a scan of the galleries per
//! grant costs the square of a plan with 100,000 role assignments.

use std::collections::HashSet;

use crate::model::Workspace;

/// Every gallery, definition and version path of a workspace (`g`, `g/d`, `g/d/v`), in ASCII
/// lower case: Azure's names ignore case.
pub(crate) struct Scopes(HashSet<String>);

impl Scopes {
    pub fn new(ws: &Workspace) -> Self {
        let mut paths = HashSet::new();
        for g in &ws.galleries {
            let g_path = g.name.to_ascii_lowercase();
            for d in &g.definitions {
                let d_path = format!("{g_path}/{}", d.name.to_ascii_lowercase());
                for v in &d.versions {
                    paths.insert(format!("{d_path}/{}", v.name.to_ascii_lowercase()));
                }
                paths.insert(d_path);
            }
            paths.insert(g_path);
        }
        Self(paths)
    }

    /// Whether `scope` (`g`, `g/d` or `g/d/v`, any case) is a resource of the workspace.
    pub fn contains(&self, scope: &str) -> bool {
        self.0.contains(&scope.to_ascii_lowercase())
    }
}
