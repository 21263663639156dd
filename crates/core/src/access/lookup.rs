//! Principals and resources by name in constant time, for code that looks up one per grant
//! (validation, export): `Workspace::principal` and `Workspace::gallery` scan the lists, so a
//! scan per grant costs the square of a workspace with 100,000 of each. Same answers: exact
//! names, the first of equal names.

use std::collections::HashMap;

use crate::model::{Gallery, Principal, ResourcePath, Workspace};

/// The workspace's principals, galleries, definitions and versions by name.
pub struct Lookup<'w> {
    ws: &'w Workspace,
    principals: HashMap<&'w str, u32>,
    galleries: HashMap<&'w str, u32>,
    /// (gallery, definition name) → definition, for the gallery found by name.
    definitions: HashMap<(u32, &'w str), u32>,
    /// (gallery, definition, version name) → version.
    versions: HashMap<(u32, u32, &'w str), u32>,
}

impl<'w> Lookup<'w> {
    pub fn new(ws: &'w Workspace) -> Self {
        let mut principals = HashMap::with_capacity(ws.principals.len());
        for (i, p) in ws.principals.iter().enumerate() {
            principals.entry(p.name.as_str()).or_insert(i as u32);
        }
        let mut galleries = HashMap::with_capacity(ws.galleries.len());
        let mut definitions = HashMap::new();
        let mut versions = HashMap::new();
        for (gi, g) in ws.galleries.iter().enumerate() {
            let gi = gi as u32;
            if *galleries.entry(g.name.as_str()).or_insert(gi) != gi {
                continue;
            }
            for (di, d) in g.definitions.iter().enumerate() {
                let di = di as u32;
                if *definitions.entry((gi, d.name.as_str())).or_insert(di) != di {
                    continue;
                }
                for (vi, v) in d.versions.iter().enumerate() {
                    versions
                        .entry((gi, di, v.name.as_str()))
                        .or_insert(vi as u32);
                }
            }
        }
        Self {
            ws,
            principals,
            galleries,
            definitions,
            versions,
        }
    }

    /// The principal named `name` (as `Workspace::principal` finds it).
    pub fn principal(&self, name: &str) -> Option<&'w Principal> {
        let i = *self.principals.get(name)?;
        self.ws.principals.get(i as usize)
    }

    /// The gallery named `name` (as `Workspace::gallery` finds it).
    pub fn gallery(&self, name: &str) -> Option<&'w Gallery> {
        let i = *self.galleries.get(name)?;
        self.ws.galleries.get(i as usize)
    }

    /// Whether a gallery, definition or version is at `path`.
    pub fn contains(&self, path: &ResourcePath) -> bool {
        let gallery = |g: &str| self.galleries.get(g).copied();
        let definition = |g: &str, d: &str| {
            let g = gallery(g)?;
            Some((g, *self.definitions.get(&(g, d))?))
        };
        match path {
            ResourcePath::Gallery(g) => gallery(g).is_some(),
            ResourcePath::Definition(g, d) => definition(g, d).is_some(),
            ResourcePath::Version(g, d, v) => definition(g, d)
                .is_some_and(|(g, d)| self.versions.contains_key(&(g, d, v.as_str()))),
            _ => false,
        }
    }
}
