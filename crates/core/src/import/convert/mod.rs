//! Galleries, definitions and versions from their JSON, merged into the workspace.
//!
//! By role: [`shape`] reads a resource's envelope (kind, id and name, tags, what is kept
//! verbatim), [`resource`] merges one resource into the workspace, [`gallery`],
//! [`definition`] and [`version`] read each kind's properties, [`regions`] a version's target
//! regions and replication state. This module holds the import's state: the index of the
//! workspace's resources and what they were before it touched them.

mod definition;
mod gallery;
mod regions;
mod resource;
mod shape;
mod version;

use std::collections::HashMap;

use super::identity;
use super::{Counts, Summary, key, tally};
use crate::model::azure::ArmId;
use crate::model::{Gallery, ImageDefinition, ImageVersion, Region, Tenant, Workspace};

pub(crate) use shape::kind_of;

/// Tenant of imported galleries when the workspace has none (Azure payloads do not name one).
pub const IMPORTED_TENANT: &str = "imported";

/// Where a resource is in the workspace.
#[derive(Clone, Copy, Debug)]
struct Loc {
    gallery: usize,
    definition: usize,
    version: usize,
}

/// An import in progress: the workspace, an index of its resources by lower-case path, and the
/// state of every resource touched before it was first touched (to count updates).
pub(crate) struct Merge<'w> {
    pub ws: &'w mut Workspace,
    index: HashMap<String, Loc>,
    galleries: HashMap<String, Option<Gallery>>,
    definitions: HashMap<String, Option<ImageDefinition>>,
    /// Versions by fingerprint (see `fingerprint`): a list holds thousands, and copying each
    /// one only to compare it afterwards would cost more than the import itself.
    versions: HashMap<String, Option<u64>>,
    pub principals: Counts,
    pub grants: Counts,
    /// The workspace's managed images: lower-case name → name.
    images: HashMap<String, String>,
    /// Principals already counted (lower-case names).
    pub seen_principals: std::collections::HashSet<String>,
    /// The place kept for each gallery name that two places use (see `identity`).
    pub chosen: HashMap<String, identity::Place>,
    /// The file and JSON path that first described each resource in this import.
    described: HashMap<String, (String, String)>,
    /// What the inputs say exists in Azure, for Azure as last seen.
    pub touched: super::seen::Touched,
    /// A live read from ARM: a version's replication state comes from its payload's
    /// `replicationStatus` only (winning over what the workspace had), never assumed.
    pub live: bool,
}

/// Names of a resource: gallery, definition, version; with subscription and resource group.
#[derive(Clone, Debug, Default)]
struct Names {
    subscription: Option<String>,
    resource_group: Option<String>,
    gallery: String,
    definition: Option<String>,
    version: Option<String>,
}

/// A version's every field and target region as a 64-bit hash: tells whether an import
/// changed it without keeping a copy.
fn fingerprint(version: &ImageVersion) -> u64 {
    let mut hasher = Quick(0);
    std::hash::Hash::hash(version, &mut hasher);
    std::hash::Hasher::finish(&hasher)
}

/// A hasher for [`fingerprint`]: a multiply and a rotation per 8 bytes. A version is hashed
/// as thousands of small writes (every number, name and kept JSON value), which the standard
/// hasher (SipHash, made to resist chosen keys) made as slow as writing the version as JSON.
/// Two states of one version are told apart; nothing is keyed on it.
struct Quick(u64);

impl Quick {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl std::hash::Hasher for Quick {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            word[..rest.len()].copy_from_slice(rest);
            // The length tells "ab" from "ab\0".
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u16(&mut self, n: u16) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

impl<'w> Merge<'w> {
    pub fn new(ws: &'w mut Workspace) -> Self {
        let mut index = HashMap::new();
        for (g, gallery) in ws.galleries.iter().enumerate() {
            let loc = |d, v| Loc {
                gallery: g,
                definition: d,
                version: v,
            };
            index.insert(key(&[&gallery.name]), loc(usize::MAX, usize::MAX));
            for (d, definition) in gallery.definitions.iter().enumerate() {
                index.insert(key(&[&gallery.name, &definition.name]), loc(d, usize::MAX));
                for (v, version) in definition.versions.iter().enumerate() {
                    index.insert(
                        key(&[&gallery.name, &definition.name, &version.name]),
                        loc(d, v),
                    );
                }
            }
        }
        let images = ws
            .managed_images
            .iter()
            .map(|m| (m.name.to_lowercase(), m.name.clone()))
            .collect();
        Self {
            ws,
            images,
            index,
            galleries: HashMap::new(),
            definitions: HashMap::new(),
            versions: HashMap::new(),
            principals: Counts::default(),
            grants: Counts::default(),
            seen_principals: std::collections::HashSet::new(),
            chosen: HashMap::new(),
            described: HashMap::new(),
            touched: super::seen::Touched::default(),
            live: false,
        }
    }

    /// The tenant new galleries belong to: the workspace's first, or one made for imports.
    fn tenant(&mut self) -> String {
        if let Some(tenant) = self.ws.tenants.first() {
            return tenant.name.clone();
        }
        self.ws.tenants.push(Tenant {
            name: IMPORTED_TENANT.to_owned(),
            domain: String::new(),
        });
        IMPORTED_TENANT.to_owned()
    }

    /// Index of a gallery, created as a placeholder when unknown.
    fn gallery_index(&mut self, names: &Names, region: Option<Region>) -> usize {
        let k = key(&[&names.gallery]);
        self.touched.parents.insert(k.clone());
        if let Some(loc) = self.index.get(&k) {
            let g = loc.gallery;
            if !self.galleries.contains_key(&k) {
                let before = self.ws.galleries[g].without_definitions();
                self.galleries.insert(k, Some(before));
            }
            return g;
        }
        let tenant = self.tenant();
        self.ws.galleries.push(Gallery {
            name: names.gallery.clone(),
            region: region.unwrap_or_default(),
            tenant,
            subscription: names.subscription.clone().unwrap_or_default(),
            resource_group: names.resource_group.clone().unwrap_or_default(),
            ..Gallery::default()
        });
        let g = self.ws.galleries.len() - 1;
        self.index.insert(
            k.clone(),
            Loc {
                gallery: g,
                definition: usize::MAX,
                version: usize::MAX,
            },
        );
        self.galleries.entry(k).or_insert(None);
        g
    }

    /// Indices of a definition (and its gallery), created as placeholders when unknown.
    fn definition_index(
        &mut self,
        names: &Names,
        definition: &str,
        region: Option<Region>,
    ) -> (usize, usize) {
        let g = self.gallery_index(names, region);
        let gallery_name = self.ws.galleries[g].name.clone();
        let k = key(&[&gallery_name, definition]);
        self.touched.parents.insert(k.clone());
        if let Some(loc) = self.index.get(&k) {
            let d = loc.definition;
            if !self.definitions.contains_key(&k) {
                let before = self.ws.galleries[g].definitions[d].without_versions();
                self.definitions.insert(k, Some(before));
            }
            return (g, d);
        }
        let gallery = &mut self.ws.galleries[g];
        gallery.definitions.push(ImageDefinition {
            name: definition.to_owned(),
            ..ImageDefinition::default()
        });
        let d = gallery.definitions.len() - 1;
        self.index.insert(
            k.clone(),
            Loc {
                gallery: g,
                definition: d,
                version: usize::MAX,
            },
        );
        self.definitions.entry(k).or_insert(None);
        (g, d)
    }

    /// Counts what changed; returns what the inputs said exists in Azure, and the workspace.
    pub fn finish(self, summary: &mut Summary) -> (super::seen::Touched, &'w mut Workspace) {
        let ws = &*self.ws;
        let index = &self.index;
        tally(&mut summary.galleries, self.galleries, |k, before| {
            index
                .get(k)
                .is_some_and(|l| ws.galleries[l.gallery].without_definitions() != *before)
        });
        tally(&mut summary.definitions, self.definitions, |k, before| {
            index.get(k).is_some_and(|l| {
                ws.galleries[l.gallery].definitions[l.definition].without_versions() != *before
            })
        });
        tally(&mut summary.versions, self.versions, |k, before| {
            index.get(k).is_some_and(|l| {
                fingerprint(&ws.galleries[l.gallery].definitions[l.definition].versions[l.version])
                    != *before
            })
        });
        summary.principals = self.principals;
        summary.grants = self.grants;
        (self.touched, self.ws)
    }

    /// Galleries whose scope an ARM id covers (for role assignments): the resource itself, or
    /// every gallery of a resource group or subscription.
    pub fn scope_paths(&self, scope: &ArmId) -> Option<Vec<String>> {
        if let Some((gallery, definition, version)) = scope.gallery_path() {
            let parts: Vec<&str> = [
                Some(gallery.as_str()),
                definition.as_deref(),
                version.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect();
            let loc = self.index.get(&key(&parts))?;
            let g = &self.ws.galleries[loc.gallery];
            let mut path = g.name.clone();
            if let Some(d) = g.definitions.get(loc.definition) {
                path = format!("{path}/{}", d.name);
                if let Some(v) = d.versions.get(loc.version) {
                    path = format!("{path}/{}", v.name);
                }
            }
            return Some(vec![path]);
        }
        if !scope.segments.is_empty() {
            return None;
        }
        let same = |a: &str, b: &Option<String>| {
            b.as_ref()
                .is_none_or(|b| a.is_empty() || a.eq_ignore_ascii_case(b))
        };
        Some(
            self.ws
                .galleries
                .iter()
                .filter(|g| same(&g.subscription, &scope.subscription))
                .filter(|g| {
                    scope.resource_group.as_ref().is_none_or(|rg| {
                        !g.resource_group.is_empty() && g.resource_group.eq_ignore_ascii_case(rg)
                    })
                })
                .map(|g| g.name.clone())
                .collect(),
        )
    }

    /// The tenant of the gallery a grant scope starts with.
    pub fn tenant_of(&mut self, scope: &str) -> String {
        let gallery = scope.split('/').next().unwrap_or_default();
        match self.ws.gallery(gallery) {
            Some(g) if !g.tenant.is_empty() => g.tenant.clone(),
            _ => self.tenant(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::azure::{AzureSource, DiskImage};

    /// A change anywhere in a version, down to a region's replication numbers and what the
    /// import kept, is a change; what compares equal hashes alike.
    #[test]
    fn the_fingerprint_sees_every_field_and_only_changes() {
        let ws = crate::sample::sample();
        let base = ws
            .galleries
            .iter()
            .flat_map(|g| &g.definitions)
            .flat_map(|d| &d.versions)
            .find(|v| v.target_regions.len() > 1)
            .expect("a version of the sample in several regions")
            .clone();
        let same = fingerprint(&base);
        type Change<'a> = (&'a str, &'a dyn Fn(&mut ImageVersion));
        let changes: [Change<'_>; 7] = [
            ("a tag", &|v| {
                v.tags.insert("k".into(), "v".into());
            }),
            ("the default count", &|v| v.default_replica_count += 1),
            ("a region's copied GB", &|v| {
                v.target_regions[0].status.copied_gb += 0.5
            }),
            ("a region's clock", &|v| {
                v.target_regions[0].status.clock = Some(Default::default());
            }),
            ("a region's kept entry", &|v| {
                v.target_regions[0]
                    .unmodeled
                    .insert("encryption", serde_json::json!({}));
            }),
            ("a disk's LUN", &|v| {
                v.azure_source = Some(Box::new(AzureSource {
                    data_disks: vec![DiskImage {
                        lun: Some(3),
                        ..DiskImage::default()
                    }],
                    ..AzureSource::default()
                }));
            }),
            ("the regions' order", &|v| v.target_regions.reverse()),
        ];
        for (what, change) in changes {
            let mut v = base.clone();
            change(&mut v);
            assert_ne!(v, base, "{what}");
            assert_ne!(fingerprint(&v), same, "{what}");
        }
        // Equal values: a zero of either sign, kept entries absent or empty.
        let mut v = base.clone();
        v.target_regions[0].status.copied_gb = -0.0;
        v.target_regions[1].unmodeled = crate::model::Verbatim::default();
        v.target_regions[1]
            .unmodeled
            .insert("x", serde_json::json!(1));
        v.target_regions[1].unmodeled.map_mut().clear();
        assert_eq!(v, base);
        assert_eq!(fingerprint(&v), same);
    }
}
