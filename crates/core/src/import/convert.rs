//! Galleries, definitions and versions from their JSON, merged into the workspace.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::identity;
use super::json::{Cx, Obj, as_obj, index, join, show};
use super::{Counts, Hint, Kind, Summary, key, tally};
use crate::model::azure::{
    ArmId, CommunityInfo, DiskImage, DiskSource, HostCaching, ImageFeature, PurchasePlan,
    ReplicaSet, SharingPermission, SharingProfile, SourceRef, StorageAccountStrategy,
};
use crate::model::{
    Architecture, AzureSource, DiskType, Gallery, HyperVGeneration, ImageDefinition, ImageVersion,
    OsState, OsType, Presence, Region, RegionState, ReplicaStatus, ReplicationMode, StorageType,
    Tags, TargetRegion, Tenant, Verbatim, Workspace,
};

/// Keys of a REST resource outside `properties`.
const ENVELOPE_KEYS: [&str; 9] = [
    "id",
    "name",
    "type",
    "location",
    "tags",
    "identity",
    "extendedLocation",
    "systemData",
    "etag",
];

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

fn type_kind(type_name: &str) -> Option<Option<Kind>> {
    if type_name.is_empty() {
        return None;
    }
    Some(match type_name.to_ascii_lowercase().as_str() {
        "microsoft.compute/galleries" => Some(Kind::Gallery),
        "microsoft.compute/galleries/images" => Some(Kind::Definition),
        "microsoft.compute/galleries/images/versions" => Some(Kind::Version),
        _ => None,
    })
}

/// What a resource item is: from its `type`, else its id, else the document's hint, else its
/// shape. `None`: another resource type.
pub(crate) fn kind_of(obj: &Obj, hint: &Hint, flattened: bool) -> Option<Kind> {
    if let Some(kind) = obj
        .map
        .get("type")
        .and_then(Value::as_str)
        .and_then(type_kind)
    {
        return kind;
    }
    if let Some(id) = obj.map.get("id").and_then(Value::as_str) {
        return match ArmId::parse(id).and_then(|a| a.gallery_path()) {
            Some((_, None, _)) => Some(Kind::Gallery),
            Some((_, Some(_), None)) => Some(Kind::Definition),
            Some((_, Some(_), Some(_))) => Some(Kind::Version),
            None => None,
        };
    }
    if hint.kind.is_some() {
        return hint.kind;
    }
    let props = if flattened {
        Some(&obj.map)
    } else {
        obj.map.get("properties").and_then(Value::as_object)
    }?;
    if props.contains_key("publishingProfile") || props.contains_key("storageProfile") {
        Some(Kind::Version)
    } else if props.contains_key("osType")
        || props
            .get("identifier")
            .and_then(Value::as_object)
            .is_some_and(|i| i.contains_key("publisher"))
    {
        Some(Kind::Definition)
    } else if props.contains_key("sharingProfile")
        || props.contains_key("softDeletePolicy")
        || props.contains_key("identifier")
    {
        Some(Kind::Gallery)
    } else {
        None
    }
}

/// A region's replication state as Azure reports it: never Queued, the simulation's own.
fn parse_region_state(s: &str) -> Option<RegionState> {
    RegionState::parse(s).filter(|state| *state != RegionState::Queued)
}

const STORAGE_TYPES: &str =
    "a storage account type (Standard_LRS, Standard_ZRS, Premium_LRS or PremiumV2_LRS)";

fn tags(cx: &mut Cx<'_>, obj: &mut Obj) -> Option<Tags> {
    obj.take_with(cx, "tags", |v| match v {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                other => Err(format!(
                    "the tag \"{k}\" has the value {}, expected a string",
                    show(other)
                )),
            })
            .collect(),
        other => Err(format!("{} is not an object of tags", show(other))),
    })
}

/// Merges what a payload left over into a resource's verbatim properties (two levels deep, so
/// that a partial payload does not drop what an earlier one kept).
fn keep(verbatim: &mut Verbatim, leftovers: Map<String, Value>) {
    for (k, mut v) in leftovers {
        if strip_nulls(&mut v) {
            continue;
        }
        let map = verbatim.map_mut();
        match (map.get_mut(&k), v) {
            (Some(Value::Object(old)), Value::Object(new)) => {
                for (k2, v2) in new {
                    old.insert(k2, v2);
                }
            }
            (_, v) => {
                map.insert(k, v);
            }
        }
    }
}

/// Removes the `null`s of a value's objects in place: the az CLI prints unset properties as
/// `null`, which says nothing worth keeping. Returns whether nothing is left: an object emptied
/// of nulls goes too, but one that was empty stays (`userAssignedIdentities` maps each identity
/// to `{}`).
fn strip_nulls(value: &mut Value) -> bool {
    match value {
        Value::Null => true,
        Value::Object(map) if map.is_empty() => false,
        Value::Object(map) => {
            map.retain(|_, v| !strip_nulls(v));
            map.is_empty()
        }
        Value::Array(items) => {
            for item in items.iter_mut() {
                strip_nulls(item);
            }
            false
        }
        _ => false,
    }
}

/// A version's every field and target region as a 64-bit hash of their JSON: tells whether an
/// import changed it without keeping a copy. The JSON is written to one buffer and hashed once
/// (hashing each small write separately costs more than the writing).
fn fingerprint(version: &ImageVersion) -> u64 {
    let mut buffer = Vec::with_capacity(4096);
    // Serializing plain data into a Vec does not fail.
    let _ = serde_json::to_writer(&mut buffer, version);
    for target in &version.target_regions {
        let _ = serde_json::to_writer(&mut buffer, target);
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    std::hash::Hasher::write(&mut hasher, &buffer);
    std::hash::Hasher::finish(&hasher)
}

/// Splits a resource into its envelope (id, name, location, tags, identity…) and properties.
fn split(obj: Obj, flattened: bool) -> (Obj, Obj) {
    if flattened {
        let mut envelope = Map::new();
        let mut props = obj.map;
        for k in ENVELOPE_KEYS.iter().chain(["resourceGroup"].iter()) {
            if let Some(v) = props.remove(*k) {
                envelope.insert((*k).to_owned(), v);
            }
        }
        (
            Obj::new(envelope, obj.path.clone()),
            Obj::new(props, obj.path),
        )
    } else {
        let mut envelope = obj.map;
        let props = match envelope.remove("properties") {
            Some(Value::Object(props)) => props,
            Some(other) => {
                envelope.insert("properties".to_owned(), other);
                Map::new()
            }
            None => Map::new(),
        };
        let props_path = join(&obj.path, "properties");
        (Obj::new(envelope, obj.path), Obj::new(props, props_path))
    }
}

/// The leftovers of envelope and properties, shaped like the REST body.
fn leftovers(envelope: Obj, props: Obj) -> Map<String, Value> {
    let mut out = envelope.map;
    if !props.map.is_empty() {
        out.insert("properties".to_owned(), Value::Object(props.map));
    }
    out
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

    /// Names of a resource from its id, else from the document's hint and its `name`.
    fn names(&self, cx: &mut Cx<'_>, envelope: &mut Obj, kind: Kind, hint: &Hint) -> Option<Names> {
        let id = envelope
            .map
            .get("id")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let own_name = envelope
            .map
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let rg = envelope
            .map
            .get("resourceGroup")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if let Some(parsed) = id.as_deref().and_then(ArmId::parse)
            && let Some((gallery, definition, version)) = parsed.gallery_path()
        {
            return Some(Names {
                subscription: parsed.subscription.or_else(|| hint.subscription.clone()),
                resource_group: parsed
                    .resource_group
                    .or(rg)
                    .or_else(|| hint.resource_group.clone()),
                gallery,
                definition,
                version,
            });
        }
        let mut names = Names {
            subscription: hint.subscription.clone(),
            resource_group: rg.or_else(|| hint.resource_group.clone()),
            gallery: hint.gallery.clone().unwrap_or_default(),
            definition: hint.definition.clone(),
            version: hint.version.clone(),
        };
        // The resource's own name wins over the document's parameters for its own level.
        match kind {
            Kind::Gallery => {
                if let Some(name) = own_name {
                    names.gallery = name;
                }
                names.definition = None;
                names.version = None;
            }
            Kind::Definition => {
                names.definition = own_name.or(names.definition);
                names.version = None;
            }
            Kind::Version => names.version = own_name.or(names.version),
        }
        let complete = !names.gallery.is_empty()
            && (kind == Kind::Gallery || names.definition.is_some())
            && (kind != Kind::Version || names.version.is_some());
        if !complete {
            cx.warn(
                &envelope.path,
                "the resource has no id, and nothing names its gallery, definition or version: skipped",
            );
            return None;
        }
        Some(names)
    }

    /// Imports one resource; `false` when it was skipped (with a warning).
    pub fn resource(&mut self, cx: &mut Cx<'_>, obj: Obj, flattened: bool, hint: &Hint) -> bool {
        let Some(kind) = kind_of(&obj, hint, flattened) else {
            let what = obj
                .map
                .get("type")
                .and_then(Value::as_str)
                .map(|t| format!("type \"{t}\""))
                .or_else(|| {
                    obj.map
                        .get("id")
                        .and_then(Value::as_str)
                        .map(|id| format!("id \"{id}\""))
                })
                .unwrap_or_else(|| "no type or id".to_owned());
            cx.warn(
                &obj.path,
                format!("not a gallery, image definition or image version ({what}): skipped"),
            );
            return false;
        };
        let (mut envelope, mut props) = split(obj, flattened);
        let Some(names) = self.names(cx, &mut envelope, kind, hint) else {
            return false;
        };
        let item_path = envelope.path.clone();
        let (sub, rg) = (
            names.subscription.as_deref(),
            names.resource_group.as_deref(),
        );
        if identity::other_gallery(cx, &item_path, &self.chosen, &names.gallery, sub, rg) {
            return false;
        }
        let path_key = match kind {
            Kind::Gallery => key(&[&names.gallery]),
            Kind::Definition => key(&[&names.gallery, names.definition.as_deref().unwrap_or("")]),
            Kind::Version => key(&[
                &names.gallery,
                names.definition.as_deref().unwrap_or(""),
                names.version.as_deref().unwrap_or(""),
            ]),
        };
        let snapshot = match (self.described.get(&path_key), self.index.get(&path_key)) {
            (Some((file, _)), Some(loc)) if file != cx.file => {
                let at = (
                    loc.gallery,
                    (loc.definition != usize::MAX).then_some(loc.definition),
                    (loc.version != usize::MAX).then_some(loc.version),
                );
                Some((at, identity::take(self.ws, at)))
            }
            _ => None,
        };
        for k in ["id", "name", "type", "resourceGroup"] {
            envelope.take_raw(k);
        }
        let location = envelope.region(cx, "location");
        let tags = tags(cx, &mut envelope);
        let succeeded = props.take_raw("provisioningState").is_some_and(|p| {
            p.as_str()
                .is_some_and(|p| p.eq_ignore_ascii_case("Succeeded"))
        });
        match kind {
            Kind::Gallery => {
                let g = self.gallery_index(&names, location);
                self.touched
                    .payloads
                    .insert(key(&[&self.ws.galleries[g].name]));
                let gallery = &mut self.ws.galleries[g];
                if let Some(region) = location {
                    gallery.region = region;
                }
                if let Some(sub) = names.subscription {
                    gallery.subscription = sub;
                }
                if let Some(rg) = names.resource_group {
                    gallery.resource_group = rg;
                }
                if let Some(tags) = tags {
                    gallery.tags = tags;
                }
                gallery_properties(cx, gallery, &mut props);
                keep(&mut gallery.unmodeled, leftovers(envelope, props));
            }
            Kind::Definition => {
                let name = names.definition.clone().unwrap_or_default();
                let (g, d) = self.definition_index(&names, &name, location);
                let gallery = &self.ws.galleries[g];
                self.touched
                    .payloads
                    .insert(key(&[&gallery.name, &gallery.definitions[d].name]));
                if let Some(region) = location {
                    let gallery_region = self.ws.galleries[g].region;
                    self.ws.galleries[g].definitions[d].location =
                        (region != gallery_region).then_some(region);
                }
                let definition = &mut self.ws.galleries[g].definitions[d];
                if let Some(tags) = tags {
                    definition.tags = tags;
                }
                definition_properties(cx, definition, &mut props);
                keep(&mut definition.unmodeled, leftovers(envelope, props));
            }
            Kind::Version => {
                let definition_name = names.definition.clone().unwrap_or_default();
                let version_name = names.version.clone().unwrap_or_default();
                let (g, d) = self.definition_index(&names, &definition_name, location);
                let gallery_name = self.ws.galleries[g].name.clone();
                let real_definition = self.ws.galleries[g].definitions[d].name.clone();
                let k = key(&[&gallery_name, &real_definition, &version_name]);
                let versions = &mut self.ws.galleries[g].definitions[d].versions;
                let fresh = !self.index.contains_key(&k);
                let v = match self.index.get(&k) {
                    Some(loc) => {
                        let v = loc.version;
                        self.versions
                            .entry(k)
                            .or_insert_with(|| Some(fingerprint(&versions[v])));
                        v
                    }
                    None => {
                        versions.push(ImageVersion {
                            name: version_name,
                            ..ImageVersion::default()
                        });
                        let v = versions.len() - 1;
                        self.index.insert(
                            k.clone(),
                            Loc {
                                gallery: g,
                                definition: d,
                                version: v,
                            },
                        );
                        self.versions.entry(k).or_insert(None);
                        v
                    }
                };
                let gallery = &self.ws.galleries[g];
                let definition = &gallery.definitions[d];
                let name = &definition.versions[v].name;
                self.touched
                    .payloads
                    .insert(key(&[&gallery.name, &definition.name, name]));
                // New to the workspace, or planned there until now: Azure's defaults apply.
                let fresh = fresh
                    || self
                        .ws
                        .presence_of(&gallery.name, Some(&definition.name), Some(name))
                        != Presence::InAzure;
                let version = &mut self.ws.galleries[g].definitions[d].versions[v];
                if let Some(tags) = tags {
                    version.tags = tags;
                }
                let status = if self.live {
                    Status::Live
                } else {
                    Status::Import { succeeded }
                };
                version_properties(
                    cx,
                    version,
                    &mut props,
                    location,
                    &self.images,
                    (status, fresh),
                );
                keep(&mut version.unmodeled, leftovers(envelope, props));
                self.version_location(g, d, v, location);
            }
        }
        if let Some((at, before)) = snapshot
            && identity::differs_and_restore(self.ws, at, before)
        {
            let (file, path) = &self.described[&path_key];
            cx.warn(
                &item_path,
                format!("{file} ({path}) already describes this resource differently: that description is kept, this one is skipped (two states of one resource are not merged into one that neither describes)"),
            );
            return false;
        }
        self.described
            .entry(path_key)
            .or_insert_with(|| (cx.file.to_owned(), item_path));
        true
    }

    /// Keeps a version's location when it is not where the export would place it anyway (its
    /// source's region, else its gallery's).
    fn version_location(&mut self, g: usize, d: usize, v: usize, location: Option<Region>) {
        let Some(region) = location else { return };
        let gallery = &self.ws.galleries[g];
        let version = &gallery.definitions[d].versions[v];
        let mut without = ImageVersion {
            location: None,
            target_regions: Vec::new(),
            ..version.clone()
        };
        without.unmodeled = Verbatim::default();
        let fallback = crate::export::body::version_location(
            self.ws,
            &gallery.without_definitions(),
            &without,
        );
        self.ws.galleries[g].definitions[d].versions[v].location =
            (fallback != region).then_some(region);
    }

    /// A sharing update (`POST …/share` body) applied to the gallery the example names.
    pub fn sharing_update(&mut self, cx: &mut Cx<'_>, mut obj: Obj, hint: &Hint) -> bool {
        let Some(gallery) = hint.gallery.clone() else {
            cx.warn(
                &obj.path,
                "a sharing update, but nothing names its gallery: skipped",
            );
            return false;
        };
        let operation = obj.str(cx, "operationType").unwrap_or_default();
        let names = Names {
            subscription: hint.subscription.clone(),
            resource_group: hint.resource_group.clone(),
            gallery,
            definition: None,
            version: None,
        };
        let (subscriptions, tenants) = groups(cx, &mut obj);
        let g = self.gallery_index(&names, None);
        let sharing = &mut self.ws.galleries[g].sharing;
        match operation.to_ascii_lowercase().as_str() {
            "add" => {
                sharing.permission = SharingPermission::Groups;
                for id in subscriptions {
                    if !sharing
                        .subscriptions
                        .iter()
                        .any(|s| s.eq_ignore_ascii_case(&id))
                    {
                        sharing.subscriptions.push(id);
                    }
                }
                for id in tenants {
                    if !sharing.tenants.iter().any(|s| s.eq_ignore_ascii_case(&id)) {
                        sharing.tenants.push(id);
                    }
                }
            }
            "remove" => {
                sharing
                    .subscriptions
                    .retain(|s| !subscriptions.iter().any(|r| r.eq_ignore_ascii_case(s)));
                sharing
                    .tenants
                    .retain(|s| !tenants.iter().any(|r| r.eq_ignore_ascii_case(s)));
            }
            "reset" => *sharing = SharingProfile::default(),
            "enablecommunity" => sharing.permission = SharingPermission::Community,
            other => {
                cx.warn(
                    &join(&obj.path, "operationType"),
                    format!("\"{other}\" is not a sharing operation (Add, Remove, Reset or EnableCommunity)"),
                );
            }
        }
        for (k, v) in &obj.map {
            cx.warn(
                &join(&obj.path, k),
                format!("{} is not part of a sharing update: ignored", show(v)),
            );
        }
        true
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

/// `groups: [{type: Subscriptions|AADTenants, ids: [...]}]` → subscription and tenant ids.
fn groups(cx: &mut Cx<'_>, obj: &mut Obj) -> (Vec<String>, Vec<String>) {
    let (mut subscriptions, mut tenants) = (Vec::new(), Vec::new());
    let Some(items) = obj.arr(cx, "groups") else {
        return (subscriptions, tenants);
    };
    let base = join(&obj.path, "groups");
    let mut rest = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let Ok(mut group) = as_obj(cx, item, index(&base, i)) else {
            continue;
        };
        let kind = group.str(cx, "type").unwrap_or_default();
        let ids: Vec<String> = group
            .arr(cx, "ids")
            .unwrap_or_default()
            .into_iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        match kind.to_ascii_lowercase().as_str() {
            "subscriptions" => subscriptions.extend(ids),
            "aadtenants" => tenants.extend(ids),
            other => {
                cx.warn(
                    &join(&group.path, "type"),
                    format!(
                        "\"{other}\" is not a sharing group type (Subscriptions or AADTenants)"
                    ),
                );
                group
                    .map
                    .insert("type".to_owned(), Value::String(kind.clone()));
                group.map.insert(
                    "ids".to_owned(),
                    Value::Array(ids.into_iter().map(Value::String).collect()),
                );
            }
        }
        if !group.map.is_empty() {
            rest.push(Value::Object(group.map));
        }
    }
    obj.restore_items("groups", rest);
    (subscriptions, tenants)
}

fn gallery_properties(cx: &mut Cx<'_>, gallery: &mut Gallery, props: &mut Obj) {
    if let Some(description) = props.str(cx, "description") {
        gallery.description = description;
    }
    if let Some(mut identifier) = props.obj(cx, "identifier") {
        identifier.take_raw("uniqueName");
        props.restore("identifier", identifier);
    }
    if let Some(mut policy) = props.obj(cx, "softDeletePolicy") {
        if let Some(enabled) = policy.bool(cx, "isSoftDeleteEnabled") {
            gallery.soft_delete = enabled;
        }
        props.restore("softDeletePolicy", policy);
    }
    if let Some(mut profile) = props.obj(cx, "sharingProfile") {
        let mut sharing = SharingProfile::default();
        if let Some(permission) = profile.enumeration(
            cx,
            "permissions",
            "a sharing permission (Private, Groups or Community)",
            SharingPermission::parse,
        ) {
            sharing.permission = permission;
        }
        let (subscriptions, tenants) = groups(cx, &mut profile);
        sharing.subscriptions = subscriptions;
        sharing.tenants = tenants;
        if let Some(mut info) = profile.obj(cx, "communityGalleryInfo") {
            let mut community = CommunityInfo::default();
            for (k, field) in [
                ("publisherUri", &mut community.publisher_uri),
                ("publisherContact", &mut community.publisher_contact),
                ("eula", &mut community.eula),
                ("publicNamePrefix", &mut community.public_name_prefix),
            ] {
                if let Some(v) = info.str(cx, k) {
                    *field = v;
                }
            }
            // Read-only, reported by the service.
            info.take_raw("communityGalleryEnabled");
            info.take_raw("publicNames");
            sharing.community = Some(community);
            profile.restore("communityGalleryInfo", info);
        }
        gallery.sharing = sharing;
        props.restore("sharingProfile", profile);
    }
    props.take_raw("sharingStatus");
}

fn range(cx: &mut Cx<'_>, obj: &mut Obj, key: &str) -> Option<(Option<u32>, Option<u32>)> {
    let mut range = obj.obj(cx, key)?;
    let out = (range.u32(cx, "min"), range.u32(cx, "max"));
    obj.restore(key, range);
    Some(out)
}

fn definition_properties(cx: &mut Cx<'_>, definition: &mut ImageDefinition, props: &mut Obj) {
    let text_fields: [(&str, &mut String); 4] = [
        ("description", &mut definition.description),
        ("eula", &mut definition.eula),
        ("privacyStatementUri", &mut definition.privacy_uri),
        ("releaseNoteUri", &mut definition.release_note_uri),
    ];
    for (k, field) in text_fields {
        if let Some(v) = props.str(cx, k) {
            *field = v;
        }
    }
    if let Some(v) = props.enumeration(cx, "osType", "an OS type (Windows or Linux)", OsType::parse)
    {
        definition.os_type = v;
    }
    if let Some(v) = props.enumeration(
        cx,
        "osState",
        "an OS state (Generalized or Specialized)",
        OsState::parse,
    ) {
        definition.os_state = v;
    }
    if let Some(v) = props.enumeration(
        cx,
        "hyperVGeneration",
        "a Hyper-V generation (V1 or V2)",
        HyperVGeneration::parse,
    ) {
        definition.generation = v;
    }
    if let Some(v) = props.enumeration(
        cx,
        "architecture",
        "an architecture (x64 or Arm64)",
        Architecture::parse,
    ) {
        definition.architecture = v;
    }
    if let Some((date, time)) = props.date_time(cx, "endOfLifeDate") {
        definition.end_of_life = Some(date);
        definition.end_of_life_time = time;
    }
    if let Some(v) = props.bool(cx, "allowUpdateImage") {
        definition.allow_update_image = Some(v);
    }
    if let Some(mut identifier) = props.obj(cx, "identifier") {
        for (k, field) in [
            ("publisher", &mut definition.publisher),
            ("offer", &mut definition.offer),
            ("sku", &mut definition.sku),
        ] {
            if let Some(v) = identifier.str(cx, k) {
                *field = v;
            }
        }
        props.restore("identifier", identifier);
    }
    if let Some(mut recommended) = props.obj(cx, "recommended") {
        if let Some((min, max)) = range(cx, &mut recommended, "vCPUs") {
            definition.vcpus_min = min;
            definition.vcpus_max = max;
        }
        if let Some((min, max)) = range(cx, &mut recommended, "memory") {
            definition.memory_gb_min = min;
            definition.memory_gb_max = max;
        }
        props.restore("recommended", recommended);
    }
    if let Some(mut disallowed) = props.obj(cx, "disallowed") {
        if let Some(items) = disallowed.arr(cx, "diskTypes") {
            let base = join(&disallowed.path, "diskTypes");
            let mut types = Vec::new();
            let mut rest = Vec::new();
            for (i, item) in items.into_iter().enumerate() {
                match item.as_str().and_then(DiskType::parse) {
                    Some(t) => {
                        if !types.contains(&t) {
                            types.push(t);
                        }
                    }
                    None => {
                        cx.warn(
                            &index(&base, i),
                            format!("{} is not a disk type", show(&item)),
                        );
                        rest.push(item);
                    }
                }
            }
            definition.disallowed_disk_types = types;
            disallowed.restore_items("diskTypes", rest);
        }
        props.restore("disallowed", disallowed);
    }
    if let Some(mut plan) = props.obj(cx, "purchasePlan") {
        let mut purchase = PurchasePlan::default();
        for (k, field) in [
            ("name", &mut purchase.name),
            ("publisher", &mut purchase.publisher),
            ("product", &mut purchase.product),
        ] {
            if let Some(v) = plan.str(cx, k) {
                *field = v;
            }
        }
        definition.purchase_plan = Some(purchase);
        props.restore("purchasePlan", plan);
    }
    if let Some(items) = props.arr(cx, "features") {
        let base = join(&props.path, "features");
        let mut features = Vec::new();
        let mut rest = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            let Ok(mut feature) = as_obj(cx, item, index(&base, i)) else {
                continue;
            };
            let name = feature.str(cx, "name").unwrap_or_default();
            let value = feature.str(cx, "value").unwrap_or_default();
            let starts_at_version = feature.str(cx, "startsAtVersion").unwrap_or_default();
            if name.eq_ignore_ascii_case(crate::model::azure::SECURITY_TYPE)
                && crate::model::SecurityType::parse(&value).is_none()
            {
                cx.warn(
                    &join(&feature.path, "value"),
                    format!("\"{value}\" is not a security type"),
                );
            }
            // Standard is the model's "no SecurityType feature" (the export writes it out).
            let standard = name.eq_ignore_ascii_case(crate::model::azure::SECURITY_TYPE)
                && value.eq_ignore_ascii_case("Standard")
                && starts_at_version.is_empty();
            if !standard {
                features.push(ImageFeature {
                    name,
                    value,
                    starts_at_version,
                });
            }
            if !feature.map.is_empty() {
                rest.push(Value::Object(feature.map));
            }
        }
        definition.features = features;
        props.restore_items("features", rest);
    }
}

fn disk_source(cx: &mut Cx<'_>, disk: &mut Obj) -> Option<DiskSource> {
    let mut source = disk.obj(cx, "source")?;
    let id = source.str(cx, "id");
    let uri = source.str(cx, "uri");
    let account = source.str(cx, "storageAccountId");
    disk.restore("source", source);
    match (id, uri) {
        (_, Some(uri)) => Some(DiskSource::Vhd {
            uri,
            storage_account_id: account.unwrap_or_default(),
        }),
        (Some(id), None) => Some(DiskSource::from_id(&id)),
        (None, None) => None,
    }
}

fn disk_image(cx: &mut Cx<'_>, disk: &mut Obj, data: bool) -> DiskImage {
    DiskImage {
        lun: if data { disk.u32(cx, "lun") } else { None },
        source: disk_source(cx, disk),
        size_gb: disk.u32(cx, "sizeInGB"),
        host_caching: disk.enumeration(
            cx,
            "hostCaching",
            "a host caching mode (None, ReadOnly or ReadWrite)",
            HostCaching::parse,
        ),
    }
}

/// The storage profile: a workspace image when the id names one, else a source in Azure.
fn storage_profile(
    cx: &mut Cx<'_>,
    version: &mut ImageVersion,
    profile: &mut Obj,
    location: Option<Region>,
    images: &HashMap<String, String>,
) {
    let mut azure = AzureSource {
        region: location.or(version.azure_source.as_ref().and_then(|a| a.region)),
        ..AzureSource::default()
    };
    if let Some(mut source) = profile.obj(cx, "source") {
        let id = source.str(cx, "id");
        let vm = source.str(cx, "virtualMachineId");
        let community = source.str(cx, "communityGalleryImageId");
        azure.whole = match (id, vm, community) {
            (Some(id), _, _) => Some(SourceRef::from_id(&id)),
            (None, Some(vm), _) => Some(SourceRef::VirtualMachine(vm)),
            (None, None, Some(c)) => Some(SourceRef::CommunityGalleryImage(c)),
            _ => None,
        };
        profile.restore("source", source);
    }
    if let Some(mut os) = profile.obj(cx, "osDiskImage") {
        azure.os_disk = Some(disk_image(cx, &mut os, false));
        profile.restore("osDiskImage", os);
    }
    if let Some(items) = profile.arr(cx, "dataDiskImages") {
        let base = join(&profile.path, "dataDiskImages");
        let mut rest = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            let Ok(mut disk) = as_obj(cx, item, index(&base, i)) else {
                continue;
            };
            let image = disk_image(cx, &mut disk, true);
            if !disk.map.is_empty() {
                if let Some(lun) = image.lun {
                    disk.map.insert("lun".to_owned(), Value::from(lun));
                }
                rest.push(Value::Object(disk.map));
            }
            azure.data_disks.push(image);
        }
        profile.restore_items("dataDiskImages", rest);
    }
    // A managed image the workspace has: the version uses it as before.
    if let Some(SourceRef::ManagedImage(id)) = &azure.whole
        && let Some((_, name)) = ArmId::parse(id).as_ref().and_then(ArmId::leaf)
        && let Some(image) = images.get(&name.to_lowercase())
    {
        version.source = image.clone();
        version.azure_source = None;
        return;
    }
    version.source = String::new();
    version.azure_source = Some(Box::new(azure));
}

fn replica_sets(cx: &mut Cx<'_>, target: &mut Obj) -> Option<Vec<ReplicaSet>> {
    let items = target.arr(cx, "additionalReplicaSets")?;
    let base = join(&target.path, "additionalReplicaSets");
    let mut sets = Vec::new();
    let mut rest = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let Ok(mut set) = as_obj(cx, item, index(&base, i)) else {
            continue;
        };
        let storage = set.enumeration(cx, "storageAccountType", STORAGE_TYPES, StorageType::parse);
        let replicas = set.u32(cx, "regionalReplicaCount");
        match storage {
            Some(storage_type) => sets.push(ReplicaSet {
                storage_type,
                replicas: replicas.unwrap_or(1),
            }),
            None => {
                if let Some(r) = replicas {
                    set.map
                        .insert("regionalReplicaCount".to_owned(), Value::from(r));
                }
            }
        }
        if !set.map.is_empty() {
            rest.push(Value::Object(set.map));
        }
    }
    target.restore_items("additionalReplicaSets", rest);
    Some(sets)
}

/// Replication state per region from `replicationStatus`, if the payload has it.
fn replication_status(cx: &mut Cx<'_>, props: &mut Obj) -> Option<HashMap<Region, ReplicaStatus>> {
    let mut status = props.obj(cx, "replicationStatus")?;
    status.take_raw("aggregatedState");
    let mut out = HashMap::new();
    if let Some(items) = status.arr(cx, "summary") {
        let base = join(&status.path, "summary");
        for (i, item) in items.into_iter().enumerate() {
            let Ok(mut entry) = as_obj(cx, item, index(&base, i)) else {
                continue;
            };
            let region = entry.region(cx, "region");
            let state = entry.enumeration(
                cx,
                "state",
                "a replication state (Unknown, Replicating, Completed or Failed)",
                parse_region_state,
            );
            let progress = entry.u32(cx, "progress").unwrap_or(0).min(100) as u8;
            let details = entry.str(cx, "details").unwrap_or_default();
            if let Some(region) = region {
                out.insert(
                    region,
                    ReplicaStatus {
                        state: state.unwrap_or_default(),
                        progress,
                        details,
                        ..ReplicaStatus::default()
                    },
                );
            }
        }
    }
    Some(out)
}

/// Where a version's replication state comes from.
#[derive(Clone, Copy)]
enum Status {
    /// An import: a new region takes the payload's state, or Completed when the version
    /// succeeded and the payload has none; known regions keep the workspace's progress.
    Import { succeeded: bool },
    /// A live read: the payload's `replicationStatus` wins wherever it says something.
    Live,
}

fn version_properties(
    cx: &mut Cx<'_>,
    version: &mut ImageVersion,
    props: &mut Obj,
    location: Option<Region>,
    images: &HashMap<String, String>,
    (status, fresh): (Status, bool),
) {
    let succeeded = matches!(status, Status::Import { succeeded: true });
    let live = matches!(status, Status::Live);
    let statuses = replication_status(cx, props);
    if let Some(mut profile) = props.obj(cx, "storageProfile") {
        storage_profile(cx, version, &mut profile, location, images);
        props.restore("storageProfile", profile);
    } else if let Some(azure) = &mut version.azure_source
        && location.is_some()
    {
        azure.region = location;
    }
    if let Some(mut safety) = props.obj(cx, "safetyProfile") {
        match safety.bool(cx, "allowDeletionOfReplicatedLocations") {
            Some(v) => version.allow_deletion_of_replicated_locations = v,
            // Azure's default: a version created without it does not allow the deletion.
            None if fresh => version.allow_deletion_of_replicated_locations = false,
            None => {}
        }
        if let Some(v) = safety.bool(cx, "blockDeletionBeforeEndOfLife") {
            version.block_deletion_before_end_of_life = v;
        }
        props.restore("safetyProfile", safety);
    } else if fresh {
        version.allow_deletion_of_replicated_locations = false;
    }
    let Some(mut publishing) = props.obj(cx, "publishingProfile") else {
        return;
    };
    if let Some(v) = publishing.u32(cx, "replicaCount") {
        version.default_replica_count = v;
    }
    if let Some(v) = publishing.bool(cx, "excludeFromLatest") {
        version.exclude_from_latest = v;
    }
    if let Some(v) = publishing.date(cx, "publishedDate") {
        version.published = Some(v);
    }
    if let Some((date, time)) = publishing.date_time(cx, "endOfLifeDate") {
        version.end_of_life = Some(date);
        version.end_of_life_time = time;
    }
    if let Some(v) =
        publishing.enumeration(cx, "storageAccountType", STORAGE_TYPES, StorageType::parse)
    {
        version.storage_type = v;
    }
    if let Some(v) = publishing.enumeration(
        cx,
        "replicationMode",
        "a replication mode (Full or Shallow)",
        ReplicationMode::parse,
    ) {
        version.replication_mode = v;
    }
    if let Some(v) = publishing.enumeration(
        cx,
        "storageAccountStrategy",
        "a storage account strategy (PreferStandard_ZRS or DefaultStandard_LRS)",
        StorageAccountStrategy::parse,
    ) {
        version.storage_account_strategy = Some(v);
    }
    // Edge zones are kept verbatim; their storage types are still checked.
    if let Some(Value::Array(locations)) = publishing.map.get("targetExtendedLocations") {
        let base = join(&publishing.path, "targetExtendedLocations");
        for (i, location) in locations.iter().enumerate() {
            if let Some(Value::String(s)) = location.get("storageAccountType")
                && ![
                    "Standard_LRS",
                    "Standard_ZRS",
                    "StandardSSD_LRS",
                    "Premium_LRS",
                ]
                .iter()
                .any(|t| t.eq_ignore_ascii_case(s))
            {
                cx.warn(
                    &join(&index(&base, i), "storageAccountType"),
                    format!("\"{s}\" is not an edge zone storage account type (Standard_LRS, Standard_ZRS, StandardSSD_LRS or Premium_LRS); kept as given"),
                );
            }
        }
    }
    if let Some(items) = publishing.arr(cx, "targetRegions") {
        let base = join(&publishing.path, "targetRegions");
        // The regions the version had, taken out so that kept ones move instead of being copied.
        let mut previous = std::mem::take(&mut version.target_regions);
        let mut targets = Vec::new();
        let mut rest = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            let Ok(mut entry) = as_obj(cx, item, index(&base, i)) else {
                continue;
            };
            let Some(region) = entry.region(cx, "name") else {
                if !entry.has("name") {
                    cx.warn(&entry.path, "a target region without a name: kept verbatim");
                }
                rest.push(Value::Object(entry.map));
                continue;
            };
            if targets.iter().any(|t: &TargetRegion| t.region == region) {
                cx.warn(
                    &entry.path,
                    format!("{region} is listed twice: the first entry is kept"),
                );
                continue;
            }
            let existing = previous
                .iter()
                .position(|t| t.region == region)
                .map(|i| previous.swap_remove(i));
            let is_new = existing.is_none();
            let mut target = existing.unwrap_or_else(|| TargetRegion::new(region));
            target.replicas = entry.u32(cx, "regionalReplicaCount");
            target.storage_type =
                entry.enumeration(cx, "storageAccountType", STORAGE_TYPES, StorageType::parse);
            target.exclude_from_latest = entry.bool(cx, "excludeFromLatest");
            if let Some(sets) = replica_sets(cx, &mut entry) {
                target.additional_replica_sets = sets.into();
            }
            // A new region takes the payload's status; without one, a version whose creation
            // succeeded holds its replicas everywhere (the service reports `Succeeded` only
            // then). The workspace's own progress in known regions is kept.
            if live {
                if let Some(found) = statuses.as_ref().and_then(|s| s.get(&region)) {
                    target.status = found.clone();
                }
            } else if is_new {
                target.status = match &statuses {
                    Some(found) => found.get(&region).cloned().unwrap_or_default(),
                    None if succeeded => ReplicaStatus::completed(),
                    None => ReplicaStatus::default(),
                };
            }
            let mut unmodeled = Verbatim::default();
            keep(&mut unmodeled, entry.map);
            target.unmodeled = unmodeled;
            targets.push(target);
        }
        version.target_regions = targets;
        publishing.restore_items("targetRegions", rest);
    }
    props.restore("publishingProfile", publishing);
}
