//! What ARM receives for a gallery, definition or version (API 2025-03-03): the resource body as
//! deployed, with literal strings (the template escapes them; the az script and the plan use
//! them as they are). Properties the app does not model are laid under the modelled ones; only
//! the envelope keys a resource may carry are kept (never a template keyword such as
//! `condition` or `copy`), and nothing the service marks read-only is written.

use serde_json::{Map, Value, json};

use super::names::{self, ARCHITECTURES, DISK_TYPES, GENERATIONS, OS_STATES, OS_TYPES};
use super::{API_VERSION, VersionItem};
use crate::model::azure::{DiskImage, DiskSource, SECURITY_TYPE, SourceRef};
use crate::model::{
    Date, Gallery, ImageDefinition, ImageVersion, Region, Tags, TargetRegion, Time, Verbatim,
    Workspace,
};

pub const GALLERY_TYPE: &str = "Microsoft.Compute/galleries";
pub const DEFINITION_TYPE: &str = "Microsoft.Compute/galleries/images";
pub const VERSION_TYPE: &str = "Microsoft.Compute/galleries/images/versions";

/// Top-level keys of a kept REST body that belong in a resource (the rest are the service's:
/// `systemData`, `etag`; or template keywords an imported template carried).
const ENVELOPE: [&str; 3] = ["identity", "extendedLocation", "properties"];

/// Paths the spec (2025-03-03) marks read-only, below the resource (`*` is any key, `[]` any
/// element): written by the service, never by a deployment.
const READ_ONLY: [&str; 17] = [
    "identity.principalId",
    "identity.tenantId",
    "identity.userAssignedIdentities.*.principalId",
    "identity.userAssignedIdentities.*.clientId",
    "properties.identifier.uniqueName",
    "properties.provisioningState",
    "properties.sharingProfile.communityGalleryInfo.communityGalleryEnabled",
    "properties.sharingProfile.communityGalleryInfo.publicNames",
    "properties.sharingProfile.groups",
    "properties.sharingStatus",
    "properties.publishingProfile.publishedDate",
    "properties.replicationStatus",
    "properties.safetyProfile.policyViolations",
    "properties.safetyProfile.reportedForPolicyViolation",
    "properties.storageProfile.dataDiskImages[].sizeInGB",
    "properties.storageProfile.osDiskImage.sizeInGB",
    "properties.validationsProfile",
];

/// Removes the value at a read-only path.
fn strip_path(value: &mut Value, path: &[&str]) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    let (key, each) = match first.strip_suffix("[]") {
        Some(key) => (key, true),
        None => (*first, false),
    };
    let Value::Object(map) = value else { return };
    if key == "*" {
        for child in map.values_mut() {
            strip_path(child, rest);
        }
        return;
    }
    if rest.is_empty() && !each {
        map.remove(key);
        return;
    }
    match (map.get_mut(key), each) {
        (Some(Value::Array(items)), true) => {
            for item in items {
                if rest.is_empty() {
                    continue;
                }
                strip_path(item, rest);
            }
        }
        (Some(child), false) => strip_path(child, rest),
        _ => {}
    }
}

/// The body without what the service writes.
pub fn strip_read_only(body: &mut Value) {
    for path in READ_ONLY {
        // Split without a vector when it fits (a plan builds two bodies per version).
        let mut parts = [""; 6];
        if path.split('.').count() > parts.len() {
            strip_path(body, &path.split('.').collect::<Vec<_>>());
            continue;
        }
        let mut n = 0;
        for (slot, part) in parts.iter_mut().zip(path.split('.')) {
            *slot = part;
            n += 1;
        }
        strip_path(body, &parts[..n]);
    }
}

/// An object of these entries, moved in (`json!` would copy a `Value` given to it by
/// serializing it again).
fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

/// `modelled` laid over `base`: objects merged key by key, arrays appended (the base holds
/// the entries the import could not read), other values replaced.
pub fn overlay(base: &mut Value, modelled: Value) {
    match (base, modelled) {
        (Value::Object(b), Value::Object(m)) => {
            for (k, v) in m {
                match b.get_mut(&k) {
                    Some(existing) => overlay(existing, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (Value::Array(b), Value::Array(m)) => {
            let kept = std::mem::take(b);
            *b = m;
            b.extend(kept);
        }
        (b, m) => *b = m,
    }
}

/// An end of life as ARM takes it: the date, at the time of day Azure gave (midnight UTC when
/// none).
pub fn date_time(date: Date, time: Option<Time>) -> String {
    let time = time.unwrap_or_default();
    format!("{date}T{}Z", time.strftime("%H:%M:%S"))
}

/// The body of one resource: kept properties, the modelled ones over them, read-only ones
/// removed; `type`, `apiVersion`, `name` (the path joined with `/`) and `location` first.
fn resource(
    kind: &str,
    name: &[&str],
    location: Region,
    tags: &Tags,
    unmodeled: &Verbatim,
    properties: Value,
) -> Value {
    let mut kept = unmodeled.to_map();
    kept.retain(|k, _| ENVELOPE.contains(&k.as_str()));
    let mut body = Value::Object(kept);
    let mut modelled = object([("properties", properties)]);
    if !tags.is_empty() {
        modelled["tags"] = json!(tags);
    }
    overlay(&mut body, modelled);
    strip_read_only(&mut body);
    let mut out = Map::new();
    out.insert("type".into(), json!(kind));
    out.insert("apiVersion".into(), json!(API_VERSION));
    out.insert("name".into(), json!(name.join("/")));
    out.insert("location".into(), json!(location.name()));
    if let Value::Object(map) = body {
        out.extend(map);
    }
    Value::Object(out)
}

pub fn gallery(g: &Gallery) -> Value {
    let mut props = json!({
        "description": g.description,
        "softDeletePolicy": {"isSoftDeleteEnabled": g.soft_delete},
    });
    let sharing = &g.sharing;
    if !sharing.is_default() {
        // `groups` is read-only: the subscriptions and tenants shared with are set by
        // `POST …/share` (the az script's `az sig share add`), not by the body.
        let mut profile = json!({"permissions": sharing.permission.name()});
        if let Some(info) = &sharing.community {
            profile["communityGalleryInfo"] = json!({
                "publisherUri": info.publisher_uri,
                "publisherContact": info.publisher_contact,
                "eula": info.eula,
                "publicNamePrefix": info.public_name_prefix,
            });
        }
        props["sharingProfile"] = profile;
    }
    resource(
        GALLERY_TYPE,
        &[&g.name],
        g.region,
        &g.tags,
        &g.unmodeled,
        props,
    )
}

/// The definition's features, with `SecurityType` always stated: since API 2025-03-03 a
/// definition without one is created as TrustedLaunchSupported, so Standard is written out.
pub fn features(d: &ImageDefinition) -> Vec<Value> {
    let mut out: Vec<Value> = d
        .features
        .iter()
        .map(|f| {
            let mut v = json!({"name": f.name, "value": f.value});
            if !f.starts_at_version.is_empty() {
                v["startsAtVersion"] = json!(f.starts_at_version);
            }
            v
        })
        .collect();
    if d.security_type().is_none() {
        out.push(json!({"name": SECURITY_TYPE, "value": "Standard"}));
    }
    out
}

pub fn definition(g: &Gallery, d: &ImageDefinition) -> Value {
    let mut props = json!({
        "description": d.description,
        "osType": names::name(&OS_TYPES, d.os_type),
        "osState": names::name(&OS_STATES, d.os_state),
        "hyperVGeneration": names::name(&GENERATIONS, d.generation),
        "architecture": names::name(&ARCHITECTURES, d.architecture),
        "identifier": {"publisher": d.publisher, "offer": d.offer, "sku": d.sku},
    });
    props["features"] = Value::Array(features(d));
    for (key, text) in [
        ("eula", &d.eula),
        ("privacyStatementUri", &d.privacy_uri),
        ("releaseNoteUri", &d.release_note_uri),
    ] {
        if !text.is_empty() {
            props[key] = json!(text);
        }
    }
    if let Some(date) = d.end_of_life {
        props["endOfLifeDate"] = json!(date_time(date, d.end_of_life_time));
    }
    if let Some(allow) = d.allow_update_image {
        props["allowUpdateImage"] = json!(allow);
    }
    let mut recommended = Map::new();
    for (key, min, max) in [
        ("vCPUs", d.vcpus_min, d.vcpus_max),
        ("memory", d.memory_gb_min, d.memory_gb_max),
    ] {
        let mut range = Map::new();
        if let Some(min) = min {
            range.insert("min".into(), json!(min));
        }
        if let Some(max) = max {
            range.insert("max".into(), json!(max));
        }
        if !range.is_empty() {
            recommended.insert(key.into(), Value::Object(range));
        }
    }
    if !recommended.is_empty() {
        props["recommended"] = Value::Object(recommended);
    }
    if !d.disallowed_disk_types.is_empty() {
        let types: Vec<&str> = d
            .disallowed_disk_types
            .iter()
            .map(|t| names::name(&DISK_TYPES, *t))
            .collect();
        props["disallowed"] = json!({ "diskTypes": types });
    }
    if let Some(plan) = &d.purchase_plan {
        props["purchasePlan"] =
            json!({"name": plan.name, "publisher": plan.publisher, "product": plan.product});
    }
    resource(
        DEFINITION_TYPE,
        &[&g.name, &d.name],
        d.location.unwrap_or(g.region),
        &d.tags,
        &d.unmodeled,
        props,
    )
}

fn disk_source(source: &DiskSource) -> Value {
    match source {
        DiskSource::Snapshot(id) | DiskSource::ManagedDisk(id) | DiskSource::Other(id) => {
            json!({ "id": id })
        }
        DiskSource::Vhd {
            uri,
            storage_account_id,
        } => {
            let mut v = json!({ "uri": uri });
            if !storage_account_id.is_empty() {
                v["storageAccountId"] = json!(storage_account_id);
            }
            v
        }
    }
}

fn disk_image(disk: &DiskImage) -> Value {
    let mut v = json!({});
    if let Some(lun) = disk.lun {
        v["lun"] = json!(lun);
    }
    if let Some(source) = &disk.source {
        v["source"] = disk_source(source);
    }
    if let Some(caching) = disk.host_caching {
        v["hostCaching"] = json!(caching.name());
    }
    v
}

/// Where a version lives: its own location from Azure, else its source's region (the service
/// creates a version in its source's region), else its gallery's.
pub fn version_location(ws: &Workspace, g: &Gallery, v: &ImageVersion) -> Region {
    v.location
        .or_else(|| v.azure_source.as_ref().and_then(|a| a.region))
        .or_else(|| {
            (!v.source.is_empty())
                .then(|| {
                    ws.managed_images
                        .iter()
                        .find(|m| m.name.eq_ignore_ascii_case(&v.source))
                })
                .flatten()
                .map(|m| m.region)
        })
        .unwrap_or(g.region)
}

fn target_regions(v: &ImageVersion) -> Vec<Value> {
    v.target_regions.iter().map(target_region).collect()
}

/// One entry of a version's `targetRegions`, as [`version`] writes it (when the version kept no
/// entries of its own that the import could not read: see [`unread_target_regions`]).
pub fn target_region(t: &TargetRegion) -> Value {
    let mut entry = Value::Object(t.unmodeled.to_map());
    let mut modelled = json!({ "name": t.region.name() });
    if let Some(replicas) = t.replicas {
        modelled["regionalReplicaCount"] = json!(replicas);
    }
    if let Some(storage) = t.storage_type {
        modelled["storageAccountType"] = json!(storage.label());
    }
    if let Some(exclude) = t.exclude_from_latest {
        modelled["excludeFromLatest"] = json!(exclude);
    }
    if !t.additional_replica_sets.is_empty() {
        let sets: Vec<Value> = t
            .additional_replica_sets
            .iter()
            .map(|s| json!({"storageAccountType": s.storage_type.label(), "regionalReplicaCount": s.replicas}))
            .collect();
        modelled["additionalReplicaSets"] = Value::Array(sets);
    }
    overlay(&mut entry, modelled);
    entry
}

/// Whether the version kept target region entries the import could not read: [`version`]
/// appends them to the entries of its regions.
pub fn unread_target_regions(v: &ImageVersion) -> bool {
    v.unmodeled
        .get("properties")
        .and_then(|p| p.get("publishingProfile"))
        .is_some_and(|p| p.get("targetRegions").is_some())
}

/// A version's body; `source_id` gives the id written for a workspace managed image.
pub fn version(
    ws: &Workspace,
    item: &VersionItem<'_>,
    source_id: impl FnOnce(&str) -> String,
) -> Value {
    let (g, d, v) = (item.gallery, item.definition, item.version);
    let mut publishing = json!({
        "replicaCount": v.default_replica_count,
        "excludeFromLatest": v.exclude_from_latest,
        "replicationMode": names::name(&names::REPLICATION_MODES, v.replication_mode),
    });
    publishing["targetRegions"] = Value::Array(target_regions(v));
    if v.storage_account_strategy.is_none() || v.storage_type != Default::default() {
        publishing["storageAccountType"] = json!(v.storage_type.label());
    }
    if let Some(strategy) = v.storage_account_strategy {
        publishing["storageAccountStrategy"] = json!(strategy.name());
    }
    if let Some(date) = v.end_of_life {
        publishing["endOfLifeDate"] = json!(date_time(date, v.end_of_life_time));
    }
    let mut props = json!({
        "safetyProfile": {
            "allowDeletionOfReplicatedLocations": v.allow_deletion_of_replicated_locations,
            "blockDeletionBeforeEndOfLife": v.block_deletion_before_end_of_life,
        },
    });
    props["publishingProfile"] = publishing;
    if let Some(azure) = v.azure_source.as_ref().filter(|_| v.source.is_empty()) {
        let mut profile = json!({});
        match &azure.whole {
            Some(SourceRef::VirtualMachine(id)) => {
                profile["source"] = json!({ "virtualMachineId": id })
            }
            Some(SourceRef::CommunityGalleryImage(id)) => {
                profile["source"] = json!({ "communityGalleryImageId": id })
            }
            Some(other) => profile["source"] = json!({ "id": other.id() }),
            None => {}
        }
        if let Some(os) = &azure.os_disk {
            profile["osDiskImage"] = disk_image(os);
        }
        if !azure.data_disks.is_empty() {
            let disks: Vec<Value> = azure.data_disks.iter().map(disk_image).collect();
            profile["dataDiskImages"] = Value::Array(disks);
        }
        props["storageProfile"] = profile;
    }
    // Data disk leftovers of the import are matched to their disk by LUN, not appended.
    let mut unmodeled = v.unmodeled.clone();
    if let Some(Value::Object(p)) = unmodeled.map_mut().get_mut("properties")
        && let Some(Value::Object(sp)) = p.get_mut("storageProfile")
        && let Some(Value::Array(kept)) = sp.remove("dataDiskImages")
        && let Some(Value::Array(disks)) = props
            .get_mut("storageProfile")
            .and_then(|s| s.get_mut("dataDiskImages"))
    {
        for extra in kept {
            let lun = extra.get("lun").cloned();
            match disks.iter_mut().find(|d| d.get("lun") == lun.as_ref()) {
                Some(disk) => overlay(disk, extra),
                None => disks.push(extra),
            }
        }
    }
    let mut body = resource(
        VERSION_TYPE,
        &[&g.name, &d.name, &v.name],
        version_location(ws, g, v),
        &v.tags,
        &unmodeled,
        props,
    );
    if let Some(name) = workspace_image(v) {
        body["properties"]["storageProfile"]["source"] = json!({ "id": source_id(name) });
    }
    body
}

/// The workspace managed image a version is made from, whose id [`version`] asks for.
pub fn workspace_image(v: &ImageVersion) -> Option<&str> {
    (!v.source.is_empty()).then_some(v.source.as_str())
}
