//! The pieces of a refresh's three-way merge ([`super::refresh`]): resources indexed by
//! lower-case path, the decision for each, taking Azure's state of one resource into the
//! planned galleries, replication state from Azure, and Azure as last seen with the
//! unresolved conflicts kept at their earlier state.

use std::collections::{HashMap, HashSet};

use super::refresh::{AzureChange, Outcome, Side};
use crate::model::{AzureSeen, Gallery, ImageDefinition, ImageVersion};

/// What each level of path is.
pub(super) const KINDS: [&str; 3] = ["gallery", "image definition", "image version"];

pub(super) fn key(parts: &[&str]) -> String {
    parts.join("/").to_lowercase()
}

fn same_gallery(a: &&Gallery, b: &&Gallery) -> bool {
    a.without_definitions() == b.without_definitions()
}

fn same_definition(a: &&ImageDefinition, b: &&ImageDefinition) -> bool {
    a.without_versions() == b.without_versions()
}

fn same_version(a: &&ImageVersion, b: &&ImageVersion) -> bool {
    crate::plan::same_but_status(a, b)
}

/// Resources by lower-case path.
#[derive(Default)]
pub(super) struct Index<'a> {
    pub galleries: HashMap<String, &'a Gallery>,
    pub definitions: HashMap<String, (&'a Gallery, &'a ImageDefinition)>,
    pub versions: HashMap<String, (&'a Gallery, &'a ImageDefinition, &'a ImageVersion)>,
    /// (level, path) in document order, parents before children.
    pub order: Vec<(u8, String)>,
}

impl<'a> Index<'a> {
    pub fn of(galleries: &'a [Gallery]) -> Self {
        let mut index = Self::default();
        for g in galleries {
            let gk = key(&[&g.name]);
            index.order.push((0, gk.clone()));
            index.galleries.insert(gk, g);
            for d in &g.definitions {
                let dk = key(&[&g.name, &d.name]);
                index.order.push((1, dk.clone()));
                index.definitions.insert(dk, (g, d));
                for v in &d.versions {
                    let vk = key(&[&g.name, &d.name, &v.name]);
                    index.order.push((2, vk.clone()));
                    index.versions.insert(vk, (g, d, v));
                }
            }
        }
        index
    }

    /// The path as written, when this side has the resource.
    fn path(&self, level: u8, k: &str) -> Option<String> {
        match level {
            0 => self.galleries.get(k).map(|g| g.name.clone()),
            1 => self
                .definitions
                .get(k)
                .map(|(g, d)| format!("{}/{}", g.name, d.name)),
            _ => self
                .versions
                .get(k)
                .map(|(g, d, v)| format!("{}/{}/{}", g.name, d.name, v.name)),
        }
    }
}

/// One resource's three sides.
pub(super) struct Decision {
    pub level: u8,
    pub path: String,
    pub azure: Side,
    pub mine: Side,
    pub conflict: bool,
}

/// Azure's side and the user's for every resource any side has, parents first.
pub(super) fn decisions(
    base: &Index<'_>,
    theirs: &Index<'_>,
    planned: &Index<'_>,
) -> Vec<Decision> {
    let mut keys: Vec<&(u8, String)> = planned
        .order
        .iter()
        .chain(&theirs.order)
        .chain(&base.order)
        .collect();
    keys.sort_by_key(|(level, _)| *level);
    let mut met = HashSet::new();
    let mut out = Vec::new();
    for (level, k) in keys {
        if !met.insert(k.as_str()) {
            continue;
        }
        let (azure, mine, equal_now) = match level {
            0 => sides(
                gallery_in(base, k),
                gallery_in(theirs, k),
                gallery_in(planned, k),
                same_gallery,
            ),
            1 => sides(
                definition_in(base, k),
                definition_in(theirs, k),
                definition_in(planned, k),
                same_definition,
            ),
            _ => sides(
                version_in(base, k),
                version_in(theirs, k),
                version_in(planned, k),
                same_version,
            ),
        };
        let path = [planned, theirs, base]
            .iter()
            .find_map(|i| i.path(*level, k))
            .unwrap_or_else(|| k.clone());
        out.push((
            k.clone(),
            Decision {
                level: *level,
                path,
                azure,
                mine,
                conflict: azure != Side::Unchanged && mine != Side::Unchanged && !equal_now,
            },
        ));
    }
    parents_rule(&mut out);
    out.into_iter().map(|(_, d)| d).collect()
}

fn gallery_in<'a>(i: &Index<'a>, k: &str) -> Option<&'a Gallery> {
    i.galleries.get(k).copied()
}

fn definition_in<'a>(i: &Index<'a>, k: &str) -> Option<&'a ImageDefinition> {
    i.definitions.get(k).map(|(_, d)| *d)
}

fn version_in<'a>(i: &Index<'a>, k: &str) -> Option<&'a ImageVersion> {
    i.versions.get(k).map(|(_, _, v)| *v)
}

fn sides<T: Copy>(
    base: Option<T>,
    theirs: Option<T>,
    planned: Option<T>,
    same: impl Fn(&T, &T) -> bool + Copy,
) -> (Side, Side, bool) {
    let equal_now = match (theirs, planned) {
        (None, None) => true,
        (Some(t), Some(p)) => same(&t, &p),
        _ => false,
    };
    (
        Side::of(base, theirs, same),
        Side::of(base, planned, same),
        equal_now,
    )
}

/// Ancestors' keys of a path key (`g/d/v` → `g/d`, `g`).
fn ancestors(k: &str) -> impl Iterator<Item = &str> {
    k.char_indices()
        .filter(|(_, c)| *c == '/')
        .map(move |(i, _)| &k[..i])
}

/// Azure deleting a gallery or definition below which the user added or changed something
/// is a conflict; so is Azure changing something below what the user deleted.
fn parents_rule(out: &mut [(String, Decision)]) {
    let mut planned_below: HashSet<String> = HashSet::new();
    let mut deleted_by_user: HashSet<String> = HashSet::new();
    for (k, d) in out.iter() {
        if matches!(d.mine, Side::Added | Side::Changed) {
            planned_below.extend(ancestors(k).map(str::to_owned));
        }
        if d.mine == Side::Deleted {
            deleted_by_user.insert(k.clone());
        }
    }
    for (k, d) in out.iter_mut() {
        if d.azure == Side::Deleted && d.mine == Side::Unchanged && planned_below.contains(k) {
            d.conflict = true;
        }
        if matches!(d.azure, Side::Added | Side::Changed)
            && d.mine == Side::Unchanged
            && ancestors(k).any(|a| deleted_by_user.contains(a))
        {
            d.conflict = true;
            d.mine = Side::Deleted;
        }
    }
}

/// How each version Azure had both times moved in replication (`eastus: Replicating 40 % →
/// Completed 100 %`).
/// The kind of a change of replication state.
pub(super) const REPLICATION: &str = "replication of image version";

pub(super) fn replication_changes(base: &Index<'_>, theirs: &Index<'_>) -> Vec<AzureChange> {
    let mut out = Vec::new();
    for (level, k) in &theirs.order {
        if *level != 2 {
            continue;
        }
        let (Some((_, _, b)), Some((g, d, t))) = (base.versions.get(k), theirs.versions.get(k))
        else {
            continue;
        };
        let mut moved = Vec::new();
        for target in &t.target_regions {
            let now = &target.status;
            let before = b.target(target.region).map(|x| &x.status);
            if before.is_some_and(|s| s.state == now.state && s.progress == now.progress) {
                continue;
            }
            let was = before.map_or_else(
                || "not there".to_owned(),
                |s| format!("{} {} %", s.state.label(), s.progress),
            );
            moved.push(format!(
                "{}: {was} → {} {} %",
                target.region.name(),
                now.state.label(),
                now.progress
            ));
        }
        if !moved.is_empty() {
            out.push(AzureChange {
                path: format!("{}/{}/{}", g.name, d.name, t.name),
                kind: REPLICATION,
                change: Side::Changed,
                detail: moved.join(", "),
                outcome: Outcome::Taken,
            });
        }
    }
    out
}

fn find_gallery<'g>(galleries: &'g mut [Gallery], k: &str) -> Option<&'g mut Gallery> {
    galleries.iter_mut().find(|g| key(&[&g.name]) == k)
}

/// The planned gallery at `gk`, added from Azure's (its own fields) when missing.
fn ensure_gallery<'g>(
    galleries: &'g mut Vec<Gallery>,
    gk: &str,
    theirs: &Index<'_>,
) -> Option<&'g mut Gallery> {
    if galleries.iter().all(|g| key(&[&g.name]) != gk) {
        galleries.push(theirs.galleries.get(gk)?.without_definitions());
    }
    find_gallery(galleries, gk)
}

/// The planned definition at `dk`, added from Azure's (its own fields) when missing.
fn ensure_definition<'g>(
    galleries: &'g mut Vec<Gallery>,
    dk: &str,
    theirs: &Index<'_>,
) -> Option<&'g mut ImageDefinition> {
    let (gk, _) = dk.split_once('/')?;
    let gallery = ensure_gallery(galleries, gk, theirs)?;
    let name = gallery.name.clone();
    if gallery
        .definitions
        .iter()
        .all(|d| key(&[&name, &d.name]) != dk)
    {
        let (_, d) = theirs.definitions.get(dk)?;
        gallery.definitions.push(d.without_versions());
    }
    gallery
        .definitions
        .iter_mut()
        .find(|d| key(&[&name, &d.name]) == dk)
}

/// Puts Azure's state of the resource at `k` into the planned galleries: its own fields (a
/// gallery's or definition's children stay as planned), or its removal when Azure has it no
/// more. Parents Azure has and the plan lacks are added.
pub(super) fn take(galleries: &mut Vec<Gallery>, level: u8, k: &str, theirs: &Index<'_>) {
    match level {
        0 => match theirs.galleries.get(k) {
            Some(t) => {
                if let Some(g) = ensure_gallery(galleries, k, theirs) {
                    let definitions = std::mem::take(&mut g.definitions);
                    *g = Gallery {
                        definitions,
                        ..t.without_definitions()
                    };
                }
            }
            None => galleries.retain(|g| key(&[&g.name]) != k),
        },
        1 => match theirs.definitions.get(k) {
            Some((_, t)) => {
                if let Some(d) = ensure_definition(galleries, k, theirs) {
                    let versions = std::mem::take(&mut d.versions);
                    *d = ImageDefinition {
                        versions,
                        ..t.without_versions()
                    };
                }
            }
            None => {
                if let Some((gk, _)) = k.split_once('/')
                    && let Some(g) = find_gallery(galleries, gk)
                {
                    let name = g.name.clone();
                    g.definitions.retain(|d| key(&[&name, &d.name]) != k);
                }
            }
        },
        _ => {
            let Some((dk, _)) = k.rsplit_once('/') else {
                return;
            };
            match theirs.versions.get(k) {
                Some((_, _, t)) => {
                    if let Some(d) = ensure_definition(galleries, dk, theirs) {
                        match d
                            .versions
                            .iter_mut()
                            .find(|v| v.name.to_lowercase() == t.name.to_lowercase())
                        {
                            Some(v) => *v = (*t).clone(),
                            None => d.versions.push((*t).clone()),
                        }
                    }
                }
                None => {
                    let Some((gk, _)) = dk.split_once('/') else {
                        return;
                    };
                    if let Some(g) = find_gallery(galleries, gk) {
                        let name = g.name.clone();
                        for d in &mut g.definitions {
                            if key(&[&name, &d.name]) == dk {
                                let dname = d.name.clone();
                                d.versions.retain(|v| key(&[&name, &dname, &v.name]) != k);
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Replication state is Azure's: each planned version Azure has takes, for every region Azure
/// has, the state Azure reported.
pub(super) fn statuses(galleries: &mut [Gallery], theirs: &Index<'_>) {
    for g in galleries {
        for d in &mut g.definitions {
            for v in &mut d.versions {
                let Some((_, _, t)) = theirs.versions.get(&key(&[&g.name, &d.name, &v.name]))
                else {
                    continue;
                };
                for target in &mut v.target_regions {
                    if let Some(azure) = t.target(target.region) {
                        target.status = azure.status.clone();
                    }
                }
            }
        }
    }
}

/// Azure as just read, with each unresolved conflict's resource as BASE had it (so that the
/// next refresh finds the conflict again). A resource BASE lacked (both sides added it) can be
/// left out only when nothing Azure has hangs below it.
pub(super) fn seen_with_pending(
    theirs: &AzureSeen,
    base: &Index<'_>,
    pending: &[(u8, String)],
) -> AzureSeen {
    let (origin, mut galleries, principals, grants, references) = theirs.clone().into_parts();
    let no_children = |level: u8, k: &str, galleries: &[Gallery]| {
        let index = Index::of(galleries);
        !index
            .order
            .iter()
            .any(|(l, c)| *l > level && c.starts_with(&format!("{k}/")))
    };
    for (level, k) in pending {
        let k = k.as_str();
        match level {
            0 => match base.galleries.get(k) {
                Some(b) => match find_gallery(&mut galleries, k) {
                    Some(g) => {
                        let definitions = std::mem::take(&mut g.definitions);
                        *g = Gallery {
                            definitions,
                            ..b.without_definitions()
                        };
                    }
                    None => galleries.push(b.without_definitions()),
                },
                None if no_children(0, k, &galleries) => galleries.retain(|g| key(&[&g.name]) != k),
                None => {}
            },
            1 => {
                let Some((gk, _)) = k.split_once('/') else {
                    continue;
                };
                match base.definitions.get(k) {
                    Some((bg, b)) => {
                        if find_gallery(&mut galleries, gk).is_none() {
                            galleries.push(bg.without_definitions());
                        }
                        if let Some(g) = find_gallery(&mut galleries, gk) {
                            let name = g.name.clone();
                            match g
                                .definitions
                                .iter_mut()
                                .find(|d| key(&[&name, &d.name]) == k)
                            {
                                Some(d) => {
                                    let versions = std::mem::take(&mut d.versions);
                                    *d = ImageDefinition {
                                        versions,
                                        ..b.without_versions()
                                    };
                                }
                                None => g.definitions.push(b.without_versions()),
                            }
                        }
                    }
                    None if no_children(1, k, &galleries) => {
                        if let Some(g) = find_gallery(&mut galleries, gk) {
                            let name = g.name.clone();
                            g.definitions.retain(|d| key(&[&name, &d.name]) != k);
                        }
                    }
                    None => {}
                }
            }
            _ => put_version(&mut galleries, base, k),
        }
    }
    AzureSeen::new(origin, galleries, principals, grants, references)
}

/// A pending version as BASE had it (or gone when BASE lacked it).
fn put_version(galleries: &mut Vec<Gallery>, base: &Index<'_>, k: &str) {
    let Some((dk, _)) = k.rsplit_once('/') else {
        return;
    };
    match base.versions.get(k) {
        Some((_, _, b)) => {
            if let Some(d) = ensure_definition(galleries, dk, base) {
                let name = b.name.to_lowercase();
                match d
                    .versions
                    .iter_mut()
                    .find(|v| v.name.to_lowercase() == name)
                {
                    Some(v) => *v = (*b).clone(),
                    None => d.versions.push((*b).clone()),
                }
            }
        }
        None => {
            for g in galleries.iter_mut() {
                let gname = g.name.clone();
                for d in &mut g.definitions {
                    if key(&[&gname, &d.name]) == dk {
                        let dname = d.name.clone();
                        d.versions.retain(|v| key(&[&gname, &dname, &v.name]) != k);
                    }
                }
            }
        }
    }
}
