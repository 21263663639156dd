//! Azure as last seen: the galleries, definitions, versions and role assignments as Azure last
//! reported them (a read from ARM, or an import of its JSON), with when and from where. The
//! workspace keeps it beside the planned state the user edits; whether a resource exists in
//! Azure ([`Presence`]) is derived from it, and a plan starts from it.
//!
//! It is never edited: an import or a refresh replaces it whole (it is shared, `Arc`, so the
//! planned state's copies on every edit do not copy it), and undo never touches it.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{Gallery, Grant, ImageVersion, Presence, Principal, Workspace};

/// When and from where Azure was last seen.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Origin {
    /// The subscription read (empty: not read from ARM).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub subscription: String,
    /// The one resource group read, when the read was limited to one.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub resource_group: String,
    /// The ARM endpoint read from (`https://management.azure.com/`). Recorded to say where the
    /// state came from; a refresh never sends a token to it because the file says so (the
    /// endpoint comes from `az cloud show` or the command line).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub endpoint: String,
    /// When ARM was read (the caller's clock; `None`: not known, e.g. only JSON files imported).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_at: Option<jiff::Timestamp>,
    /// JSON files imported into this state since it was last read, by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub imported: Vec<String>,
    /// Set when the state was rebuilt from an older workspace file (format 3 marked resources
    /// "in Azure" one by one): their fields are those the file planned, not Azure's.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub migrated: bool,
}

impl Origin {
    /// One line saying where the state comes from and when (`subscription 1234… at
    /// https://management.azure.com/, read 2026-11-26T10:00:00Z`).
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.subscription.is_empty() {
            let mut what = format!("subscription {}", self.subscription);
            if !self.resource_group.is_empty() {
                what.push_str(&format!(", resource group {}", self.resource_group));
            }
            if !self.endpoint.is_empty() {
                what.push_str(&format!(" at {}", self.endpoint));
            }
            parts.push(what);
        }
        if let Some(at) = self.read_at {
            parts.push(format!(
                "read {}",
                at.round(jiff::Unit::Second).unwrap_or(at)
            ));
        }
        if !self.imported.is_empty() {
            parts.push(format!("imported from {}", self.imported.join(", ")));
        }
        if self.migrated {
            parts.push(
                "rebuilt from an older workspace file (its fields are as that file planned them: refresh to read Azure)"
                    .to_owned(),
            );
        }
        if parts.is_empty() {
            "not known".to_owned()
        } else {
            parts.join("; ")
        }
    }
}

/// Azure as last seen (see the module's documentation).
#[derive(Clone, Debug, Default)]
pub struct AzureSeen {
    pub origin: Origin,
    galleries: Vec<Gallery>,
    principals: Vec<Principal>,
    grants: Vec<Grant>,
    /// Galleries and definitions (`g`, `g/d`) known only by reference: a child's id or a role
    /// assignment's scope names them, but Azure's own payload for them was not read.
    references: Vec<String>,
    index: Index,
}

impl PartialEq for AzureSeen {
    fn eq(&self, other: &Self) -> bool {
        self.origin == other.origin
            && self.galleries == other.galleries
            && self.principals == other.principals
            && self.grants == other.grants
            && self.references == other.references
    }
}

/// Names in lower case, for looking up presence without walking the galleries.
#[derive(Clone, Debug, Default)]
struct Index {
    galleries: HashMap<String, GalleryEntry>,
}

#[derive(Clone, Debug, Default)]
struct GalleryEntry {
    reference: bool,
    definitions: HashMap<String, DefinitionEntry>,
}

#[derive(Clone, Debug, Default)]
struct DefinitionEntry {
    reference: bool,
    /// Each version's place: (gallery, definition, version) indices in `galleries`.
    versions: HashMap<String, (usize, usize, usize)>,
}

fn lower(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

impl AzureSeen {
    /// Azure as read or imported. `references` lists the galleries and definitions (`g`,
    /// `g/d`) known only by reference; names compare ignoring ASCII case, as ARM's do.
    pub fn new(
        origin: Origin,
        galleries: Vec<Gallery>,
        principals: Vec<Principal>,
        grants: Vec<Grant>,
        references: Vec<String>,
    ) -> Self {
        let mut seen = Self {
            origin,
            galleries,
            principals,
            grants,
            references,
            index: Index::default(),
        };
        seen.index = seen.build_index();
        seen
    }

    fn build_index(&self) -> Index {
        let references: HashSet<String> =
            self.references.iter().map(|r| r.to_lowercase()).collect();
        let mut index = Index::default();
        for (gi, g) in self.galleries.iter().enumerate() {
            let g_key = g.name.to_ascii_lowercase();
            let entry = index.galleries.entry(g_key.clone()).or_default();
            entry.reference = references.contains(&g_key);
            for (di, d) in g.definitions.iter().enumerate() {
                let d_key = d.name.to_ascii_lowercase();
                let reference = references.contains(&format!("{g_key}/{d_key}"));
                let d_entry = entry.definitions.entry(d_key).or_default();
                d_entry.reference = reference;
                for (vi, v) in d.versions.iter().enumerate() {
                    // The first of two versions named alike (ignoring case) is Azure's.
                    d_entry
                        .versions
                        .entry(v.name.to_ascii_lowercase())
                        .or_insert((gi, di, vi));
                }
            }
        }
        index
    }

    /// The planned state of `ws` taken as Azure's (galleries, their grants and principals):
    /// what a pull creates, where planned and Azure are the same.
    pub fn snapshot(ws: &Workspace, origin: Origin) -> Self {
        // By name, not a scan per grant (100,000 assignments would take the square).
        let mut by_name: HashMap<&str, &Principal> = HashMap::new();
        for p in &ws.principals {
            by_name.entry(p.name.as_str()).or_insert(p);
        }
        let mut taken: HashSet<String> = HashSet::new();
        let mut principals: Vec<Principal> = Vec::new();
        for grant in &ws.grants {
            if taken.contains(&grant.principal.to_ascii_lowercase()) {
                continue;
            }
            if let Some(p) = by_name.get(grant.principal.as_str()) {
                taken.insert(p.name.to_ascii_lowercase());
                principals.push(Principal {
                    members: Vec::new(),
                    ..(*p).clone()
                });
            }
        }
        let references = ws.azure.as_ref().map_or_else(Vec::new, |seen| {
            seen.references
                .iter()
                .filter(|r| {
                    let mut parts = r.splitn(2, '/');
                    let g = parts.next().unwrap_or_default();
                    let d = parts.next();
                    ws.galleries.iter().any(|x| {
                        x.name.eq_ignore_ascii_case(g)
                            && d.is_none_or(|d| {
                                x.definitions.iter().any(|y| y.name.eq_ignore_ascii_case(d))
                            })
                    })
                })
                .cloned()
                .collect()
        });
        Self::new(
            origin,
            ws.galleries.clone(),
            principals,
            ws.grants.clone(),
            references,
        )
    }

    /// The galleries and grants of `ws`, moved out of it, as Azure as last seen (with copies
    /// of the principals the grants name): a live read, whose workspace holds only Azure's.
    pub fn moved_from(ws: &mut Workspace, origin: Origin) -> Self {
        let grants = std::mem::take(&mut ws.grants);
        let granted: HashSet<String> = grants
            .iter()
            .map(|g| g.principal.to_ascii_lowercase())
            .collect();
        let principals = ws
            .principals
            .iter()
            .filter(|p| granted.contains(&p.name.to_ascii_lowercase()))
            .map(|p| Principal {
                members: Vec::new(),
                ..p.clone()
            })
            .collect();
        Self::new(
            origin,
            std::mem::take(&mut ws.galleries),
            principals,
            grants,
            Vec::new(),
        )
    }

    pub fn galleries(&self) -> &[Gallery] {
        &self.galleries
    }

    pub fn principals(&self) -> &[Principal] {
        &self.principals
    }

    pub fn grants(&self) -> &[Grant] {
        &self.grants
    }

    pub fn references(&self) -> &[String] {
        &self.references
    }

    /// The parts, to build a changed state from (`AzureSeen::new` again).
    pub fn into_parts(
        self,
    ) -> (
        Origin,
        Vec<Gallery>,
        Vec<Principal>,
        Vec<Grant>,
        Vec<String>,
    ) {
        (
            self.origin,
            self.galleries,
            self.principals,
            self.grants,
            self.references,
        )
    }

    /// Versions held.
    pub fn version_count(&self) -> usize {
        self.galleries
            .iter()
            .flat_map(|g| &g.definitions)
            .map(|d| d.versions.len())
            .sum()
    }

    /// Whether the gallery, definition (`definition`) or version (`definition` and `version`)
    /// is in Azure as last seen, and how: [`Presence::InAzure`], [`Presence::Reference`], or
    /// [`Presence::Planned`] when Azure did not have it.
    pub fn presence_of(
        &self,
        gallery: &str,
        definition: Option<&str>,
        version: Option<&str>,
    ) -> Presence {
        let Some(g) = self.index.galleries.get(lower(gallery).as_ref()) else {
            return Presence::Planned;
        };
        let Some(definition) = definition else {
            return if g.reference {
                Presence::Reference
            } else {
                Presence::InAzure
            };
        };
        let Some(d) = g.definitions.get(lower(definition).as_ref()) else {
            return Presence::Planned;
        };
        match version {
            None if d.reference => Presence::Reference,
            None => Presence::InAzure,
            Some(v) if d.versions.contains_key(lower(v).as_ref()) => Presence::InAzure,
            Some(_) => Presence::Planned,
        }
    }

    /// The version `gallery/definition/version` as Azure last reported it (names compare
    /// ignoring ASCII case): its target regions hold Azure's replication state.
    pub fn version(&self, gallery: &str, definition: &str, version: &str) -> Option<&ImageVersion> {
        let g = self.index.galleries.get(lower(gallery).as_ref())?;
        let d = g.definitions.get(lower(definition).as_ref())?;
        let &(gi, di, vi) = d.versions.get(lower(version).as_ref())?;
        self.galleries
            .get(gi)?
            .definitions
            .get(di)?
            .versions
            .get(vi)
    }

    /// A workspace holding Azure as last seen, with `planned`'s settings, directory and
    /// managed images (prices, sources): what a plan starts from.
    pub fn to_workspace(&self, planned: &Workspace) -> Workspace {
        let mut principals = self.principals.clone();
        let mut names: HashSet<String> = principals
            .iter()
            .map(|p| p.name.to_ascii_lowercase())
            .collect();
        for p in &planned.principals {
            if names.insert(p.name.to_ascii_lowercase()) {
                principals.push(p.clone());
            }
        }
        Workspace {
            settings: planned.settings.clone(),
            tenants: planned.tenants.clone(),
            principals,
            grants: self.grants.clone(),
            // What the workspace knows of the assignments behind the grants (names, object
            // ids, scopes), keyed by grant.
            assignments: planned.assignments.clone(),
            managed_images: planned.managed_images.clone(),
            galleries: self.galleries.clone(),
            simulation: Default::default(),
            azure: None,
        }
    }
}

/// What a plan starts from: Azure as last seen in `ws`, or nothing at all when Azure was never
/// seen (every planned resource is then a create).
pub fn before(ws: &Workspace) -> Workspace {
    match &ws.azure {
        Some(seen) => seen.to_workspace(ws),
        None => Workspace {
            settings: ws.settings.clone(),
            tenants: ws.tenants.clone(),
            principals: ws.principals.clone(),
            managed_images: ws.managed_images.clone(),
            ..Workspace::default()
        },
    }
}
