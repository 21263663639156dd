//! One resource merged into the workspace: its names, its place, its envelope, and the check
//! that two files do not describe it differently.

use serde_json::Value;

use super::definition::definition_properties;
use super::gallery::gallery_properties;
use super::shape::{keep, kind_of, leftovers, split, tags};
use super::version::{Status, version_properties};
use super::{Loc, Merge, Names, fingerprint};
use crate::import::json::{Cx, Obj};
use crate::import::{Hint, Kind, identity, key};
use crate::model::azure::ArmId;
use crate::model::{ImageVersion, Presence, Region, Tags, Verbatim};

impl Merge<'_> {
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
            not_a_resource(cx, &obj);
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
        let path_key = path_key(kind, &names);
        let snapshot = self.snapshot(cx, &path_key);
        for k in ["id", "name", "type", "resourceGroup"] {
            envelope.take_raw(k);
        }
        let location = envelope.region(cx, "location");
        let tags = tags(cx, &mut envelope);
        let succeeded = props.take_raw("provisioningState").is_some_and(|p| {
            p.as_str()
                .is_some_and(|p| p.eq_ignore_ascii_case("Succeeded"))
        });
        let payload = Payload {
            envelope,
            props,
            location,
            tags,
        };
        match kind {
            Kind::Gallery => self.merge_gallery(cx, names, payload),
            Kind::Definition => self.merge_definition(cx, &names, payload),
            Kind::Version => self.merge_version(cx, &names, payload, succeeded),
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

    /// The resource as it is before this payload, when another file described it first (to
    /// tell afterwards whether the two descriptions differ).
    fn snapshot(&self, cx: &Cx<'_>, path_key: &str) -> Option<(identity::At, identity::Snapshot)> {
        match (self.described.get(path_key), self.index.get(path_key)) {
            (Some((file, _)), Some(loc)) if file != cx.file => {
                let at = (
                    loc.gallery,
                    (loc.definition != usize::MAX).then_some(loc.definition),
                    (loc.version != usize::MAX).then_some(loc.version),
                );
                Some((at, identity::take(self.ws, at)))
            }
            _ => None,
        }
    }

    /// Merges a gallery's payload.
    fn merge_gallery(&mut self, cx: &mut Cx<'_>, names: Names, mut payload: Payload) {
        let g = self.gallery_index(&names, payload.location);
        self.touched
            .payloads
            .insert(key(&[&self.ws.galleries[g].name]));
        let gallery = &mut self.ws.galleries[g];
        if let Some(region) = payload.location {
            gallery.region = region;
        }
        if let Some(sub) = names.subscription {
            gallery.subscription = sub;
        }
        if let Some(rg) = names.resource_group {
            gallery.resource_group = rg;
        }
        if let Some(tags) = payload.tags {
            gallery.tags = tags;
        }
        gallery_properties(cx, gallery, &mut payload.props);
        keep(
            &mut gallery.unmodeled,
            leftovers(payload.envelope, payload.props),
        );
    }

    /// Merges an image definition's payload.
    fn merge_definition(&mut self, cx: &mut Cx<'_>, names: &Names, mut payload: Payload) {
        let name = names.definition.clone().unwrap_or_default();
        let (g, d) = self.definition_index(names, &name, payload.location);
        let gallery = &self.ws.galleries[g];
        self.touched
            .payloads
            .insert(key(&[&gallery.name, &gallery.definitions[d].name]));
        if let Some(region) = payload.location {
            let gallery_region = self.ws.galleries[g].region;
            self.ws.galleries[g].definitions[d].location =
                (region != gallery_region).then_some(region);
        }
        let definition = &mut self.ws.galleries[g].definitions[d];
        if let Some(tags) = payload.tags {
            definition.tags = tags;
        }
        definition_properties(cx, definition, &mut payload.props);
        keep(
            &mut definition.unmodeled,
            leftovers(payload.envelope, payload.props),
        );
    }

    /// Merges an image version's payload; `succeeded`: its `provisioningState` says so.
    fn merge_version(
        &mut self,
        cx: &mut Cx<'_>,
        names: &Names,
        mut payload: Payload,
        succeeded: bool,
    ) {
        let definition_name = names.definition.clone().unwrap_or_default();
        let version_name = names.version.clone().unwrap_or_default();
        let (g, d) = self.definition_index(names, &definition_name, payload.location);
        let (v, fresh) = self.version_index(g, d, version_name);
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
        if let Some(tags) = payload.tags {
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
            &mut payload.props,
            payload.location,
            &self.images,
            (status, fresh),
        );
        keep(
            &mut version.unmodeled,
            leftovers(payload.envelope, payload.props),
        );
        self.version_location(g, d, v, payload.location);
    }

    /// Index of a version of the definition at `g`, `d`, created when unknown; and whether it
    /// was unknown to the import's index.
    fn version_index(&mut self, g: usize, d: usize, version_name: String) -> (usize, bool) {
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
        (v, fresh)
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
}

/// What a resource's payload gives once its names are read: what is left of its envelope and
/// properties, its location and its tags.
struct Payload {
    envelope: Obj,
    props: Obj,
    location: Option<Region>,
    tags: Option<Tags>,
}

/// The lower-case path a resource is indexed by.
fn path_key(kind: Kind, names: &Names) -> String {
    match kind {
        Kind::Gallery => key(&[&names.gallery]),
        Kind::Definition => key(&[&names.gallery, names.definition.as_deref().unwrap_or("")]),
        Kind::Version => key(&[
            &names.gallery,
            names.definition.as_deref().unwrap_or(""),
            names.version.as_deref().unwrap_or(""),
        ]),
    }
}

/// Warns that an item is neither a gallery, an image definition nor an image version.
fn not_a_resource(cx: &mut Cx<'_>, obj: &Obj) {
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
}
