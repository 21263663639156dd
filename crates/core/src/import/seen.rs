//! What an import tells about Azure: the resources whose payload it read exist there as the
//! payload says; their parents exist there too (known by reference when their own payload was
//! not read); the role assignments it read exist there. Azure as last seen is updated with
//! them, and keeps what earlier reads saw of everything else.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::key;
use crate::model::{AzureSeen, Gallery, Grant, ImageDefinition, Principal, Workspace};

/// What the inputs named, by lower-case path (`g`, `g/d`, `g/d/v`, as [`key`] makes them).
#[derive(Debug, Default)]
pub(crate) struct Touched {
    /// Resources whose own payload was read.
    pub payloads: HashSet<String>,
    /// Galleries and definitions named as the parent of something read.
    pub parents: HashSet<String>,
    /// Role assignments read (scopes as the workspace's paths).
    pub grants: Vec<Grant>,
}

impl Touched {
    fn is_empty(&self) -> bool {
        self.payloads.is_empty() && self.parents.is_empty() && self.grants.is_empty()
    }
}

/// A tree of galleries being rebuilt, with lower-case indices.
struct Tree {
    galleries: Vec<Gallery>,
    by_name: HashMap<String, usize>,
    definitions: HashMap<String, (usize, usize)>,
    /// Lower-case path → the path as written.
    references: HashMap<String, String>,
}

impl Tree {
    fn new(galleries: Vec<Gallery>, references: &[String]) -> Self {
        let mut tree = Self {
            galleries,
            by_name: HashMap::new(),
            definitions: HashMap::new(),
            references: references
                .iter()
                .map(|r| (r.to_lowercase(), r.clone()))
                .collect(),
        };
        for (gi, g) in tree.galleries.iter().enumerate() {
            tree.by_name.insert(key(&[&g.name]), gi);
            for (di, d) in g.definitions.iter().enumerate() {
                tree.definitions.insert(key(&[&g.name, &d.name]), (gi, di));
            }
        }
        tree
    }

    /// The gallery's index; `planned`'s fields replace the seen ones when `payload`, and a
    /// gallery not seen before is added (known by reference unless `payload`).
    fn gallery(&mut self, k: &str, planned: &Gallery, payload: bool) -> usize {
        if payload {
            self.references.remove(k);
        }
        match self.by_name.get(k) {
            Some(&gi) => {
                if payload {
                    let definitions = std::mem::take(&mut self.galleries[gi].definitions);
                    self.galleries[gi] = Gallery {
                        definitions,
                        ..planned.without_definitions()
                    };
                }
                gi
            }
            None => {
                if !payload {
                    self.references.insert(k.to_owned(), planned.name.clone());
                }
                self.galleries.push(planned.without_definitions());
                let gi = self.galleries.len() - 1;
                self.by_name.insert(k.to_owned(), gi);
                gi
            }
        }
    }

    fn definition(
        &mut self,
        gi: usize,
        k: &str,
        planned: &ImageDefinition,
        payload: bool,
    ) -> (usize, usize) {
        if payload {
            self.references.remove(k);
        }
        match self.definitions.get(k) {
            Some(&(gi, di)) => {
                if payload {
                    let slot = &mut self.galleries[gi].definitions[di];
                    let versions = std::mem::take(&mut slot.versions);
                    *slot = ImageDefinition {
                        versions,
                        ..planned.without_versions()
                    };
                }
                (gi, di)
            }
            None => {
                if !payload {
                    let path = format!("{}/{}", self.galleries[gi].name, planned.name);
                    self.references.insert(k.to_owned(), path);
                }
                let definitions = &mut self.galleries[gi].definitions;
                definitions.push(planned.without_versions());
                let at = (gi, definitions.len() - 1);
                self.definitions.insert(k.to_owned(), at);
                at
            }
        }
    }
}

/// Updates Azure as last seen in `ws` with what an import of `files` read (nothing changes
/// when it read nothing).
pub(crate) fn update(ws: &mut Workspace, touched: &Touched, files: &[String]) {
    if touched.is_empty() {
        return;
    }
    let (mut origin, galleries, mut principals, mut grants, references) = match ws.azure.take() {
        Some(seen) => Arc::unwrap_or_clone(seen).into_parts(),
        None => Default::default(),
    };
    let mut tree = Tree::new(galleries, &references);
    for g in &ws.galleries {
        let gk = key(&[&g.name]);
        let g_payload = touched.payloads.contains(&gk);
        let mut gi = None;
        if g_payload || touched.parents.contains(&gk) {
            gi = Some(tree.gallery(&gk, g, g_payload));
        }
        for d in &g.definitions {
            let dk = key(&[&g.name, &d.name]);
            let d_payload = touched.payloads.contains(&dk);
            if !(d_payload || touched.parents.contains(&dk)) {
                continue;
            }
            let gi = *gi.get_or_insert_with(|| tree.gallery(&gk, g, false));
            let (gi, di) = tree.definition(gi, &dk, d, d_payload);
            let seen = &mut tree.galleries[gi].definitions[di].versions;
            let mut at: HashMap<String, usize> = seen
                .iter()
                .enumerate()
                .map(|(i, s)| (s.name.to_lowercase(), i))
                .collect();
            for v in &d.versions {
                if !touched
                    .payloads
                    .contains(&key(&[&g.name, &d.name, &v.name]))
                {
                    continue;
                }
                match at.get(&v.name.to_lowercase()) {
                    // Compared before copied: importing again what Azure said last time (the
                    // usual refresh) copies nothing.
                    Some(&i) if seen[i] == *v => {}
                    Some(&i) => seen[i] = v.clone(),
                    None => {
                        at.insert(v.name.to_lowercase(), seen.len());
                        seen.push(v.clone());
                    }
                }
            }
        }
    }
    // By key, not a scan of the lists per grant: an import of 100,000 assignments would take
    // the square of that.
    let mut known: HashSet<(crate::model::Role, String, String)> =
        grants.iter().map(grant_key).collect();
    let mut seen_principals = Principals::new(&principals, ws);
    for grant in &touched.grants {
        if known.insert(grant_key(grant)) {
            grants.push(grant.clone());
        }
        seen_principals.add(&mut principals, &grant.principal);
    }
    for file in files {
        if !origin.imported.contains(file) {
            origin.imported.push(file.clone());
        }
    }
    let mut references: Vec<String> = tree.references.into_values().collect();
    references.sort();
    ws.azure = Some(Arc::new(AzureSeen::new(
        origin,
        tree.galleries,
        principals,
        grants,
        references,
    )));
}

fn grant_key(g: &Grant) -> (crate::model::Role, String, String) {
    (
        g.role,
        g.principal.to_ascii_lowercase(),
        g.scope.to_ascii_lowercase(),
    )
}

/// The principals of Azure as last seen and the planned ones, by lower-case name (the first
/// of each name), to add the principals of the grants read.
struct Principals<'w> {
    planned: HashMap<String, &'w Principal>,
    seen: HashMap<String, usize>,
}

impl<'w> Principals<'w> {
    fn new(seen: &[Principal], ws: &'w Workspace) -> Self {
        let mut planned = HashMap::new();
        for p in &ws.principals {
            planned.entry(p.name.to_ascii_lowercase()).or_insert(p);
        }
        let mut at = HashMap::new();
        for (i, p) in seen.iter().enumerate() {
            at.entry(p.name.to_ascii_lowercase()).or_insert(i);
        }
        Self { planned, seen: at }
    }

    /// Adds the planned principal `name` to `principals` (Azure's), or updates its kind there.
    fn add(&mut self, principals: &mut Vec<Principal>, name: &str) {
        let key = name.to_ascii_lowercase();
        let Some(planned) = self.planned.get(&key) else {
            return;
        };
        match self.seen.get(&key) {
            Some(&i) => principals[i].kind = planned.kind,
            None => {
                self.seen.insert(key, principals.len());
                principals.push(Principal {
                    members: Vec::new(),
                    ..(*planned).clone()
                });
            }
        }
    }
}
