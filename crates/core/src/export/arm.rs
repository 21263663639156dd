//! The ARM deployment template: one resource per gallery, definition and version (API
//! 2025-03-03), role assignments as extension resources scoped to their resource, and
//! parameters for what differs per environment. The import reads it back (see `import`).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::names::{self, ARCHITECTURES, DISK_TYPES, GENERATIONS, OS_STATES, OS_TYPES};
use super::{
    API_VERSION, DEPLOYMENT_SCHEMA, ExportError, ROLE_ASSIGNMENT_API_VERSION, Scope, Selection,
    VersionItem, is_object_id,
};
use crate::access::roles::role_definition_id;
use crate::model::azure::{DiskImage, DiskSource, SourceRef};
use crate::model::{
    Date, Gallery, Grant, ImageDefinition, ImageVersion, Tags, Verbatim, Workspace,
};

pub const GALLERY_TYPE: &str = "Microsoft.Compute/galleries";
pub const DEFINITION_TYPE: &str = "Microsoft.Compute/galleries/images";
pub const VERSION_TYPE: &str = "Microsoft.Compute/galleries/images/versions";
pub const ROLE_ASSIGNMENT_TYPE: &str = "Microsoft.Authorization/roleAssignments";

/// Key of a parameter's metadata naming what it stands for, which the import reads back.
pub const METADATA_PRINCIPAL: &str = "principalName";
pub const METADATA_PRINCIPAL_TYPE: &str = "principalType";
pub const METADATA_MANAGED_IMAGE: &str = "managedImage";

/// The template as pretty JSON, ending with a newline.
pub fn to_string(ws: &Workspace, scope: &Scope) -> Result<String, ExportError> {
    let value = template(ws, scope)?;
    let mut text = serde_json::to_string_pretty(&value)
        .map_err(|e| ExportError::Nothing(format!("cannot write JSON: {e}")))?;
    text.push('\n');
    Ok(text)
}

/// The deployment template of a scope.
pub fn template(ws: &Workspace, scope: &Scope) -> Result<Value, ExportError> {
    let selection = Selection::new(ws, scope)?;
    let groups: std::collections::BTreeSet<String> = selection
        .galleries
        .iter()
        .copied()
        .chain(selection.definitions.iter().map(|(g, _)| *g))
        .chain(selection.versions.iter().map(|v| v.gallery))
        .filter(|g| !g.resource_group.is_empty())
        .map(|g| g.resource_group.to_lowercase())
        .collect();
    if groups.len() > 1 {
        return Err(ExportError::Nothing(format!(
            "the galleries are in {} resource groups and a template deploys to one: export each gallery with --scope",
            groups.len()
        )));
    }
    let mut params = Params::default();
    let mut resources = Vec::new();
    for gallery in &selection.galleries {
        resources.push(gallery_resource(gallery));
    }
    for (gallery, definition) in &selection.definitions {
        let depends_on = depends(&selection, &[&gallery.name]);
        resources.push(definition_resource(gallery, definition, depends_on));
    }
    for item in &selection.versions {
        let depends_on = depends(&selection, &[&item.gallery.name, &item.definition.name]);
        let source_id = |name: &str| format!("[parameters({})]", quote(&params.image(name)));
        resources.push(version_resource(item, depends_on, source_id));
    }
    for grant in &selection.grants {
        resources.push(role_assignment(&selection, &mut params, grant));
    }
    Ok(json!({
        "$schema": DEPLOYMENT_SCHEMA,
        "contentVersion": "1.0.0.0",
        "metadata": {"generator": {"name": "sig-studio", "version": env!("CARGO_PKG_VERSION")}},
        "parameters": Value::Object(params.map),
        "resources": resources,
    }))
}

/// Template parameters: one per principal known only by name and per workspace managed image.
#[derive(Default)]
struct Params {
    map: Map<String, Value>,
    principals: BTreeMap<String, String>,
    images: BTreeMap<String, String>,
}

impl Params {
    fn principal(&mut self, selection: &Selection<'_>, name: &str) -> String {
        if let Some(p) = self.principals.get(name) {
            return p.clone();
        }
        let param = format!("principalObjectId{}", self.principals.len() + 1);
        let kind = selection
            .principal(name)
            .map(|p| names::name(&names::PRINCIPAL_TYPES, p.kind));
        let mut metadata = json!({
            "description": format!("Object id (in Entra ID) of {} \"{name}\"", kind.unwrap_or("the principal")),
            METADATA_PRINCIPAL: name,
        });
        if let Some(kind) = kind {
            metadata[METADATA_PRINCIPAL_TYPE] = json!(kind);
        }
        self.map.insert(
            param.clone(),
            json!({"type": "string", "metadata": escape(metadata)}),
        );
        self.principals.insert(name.to_owned(), param.clone());
        param
    }

    fn image(&mut self, name: &str) -> String {
        if let Some(p) = self.images.get(name) {
            return p.clone();
        }
        let param = format!("managedImageId{}", self.images.len() + 1);
        let metadata = json!({
            "description": format!("ARM id of the managed image \"{name}\" (/subscriptions/…/resourceGroups/…/providers/Microsoft.Compute/images/{name})"),
            METADATA_MANAGED_IMAGE: name,
        });
        self.map.insert(
            param.clone(),
            json!({"type": "string", "metadata": escape(metadata)}),
        );
        self.images.insert(name.to_owned(), param.clone());
        param
    }
}

/// A string literal inside a template expression.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// `resourceId(...)` of a gallery, definition or version path, without brackets.
fn resource_id(path: &[&str]) -> String {
    let kind = match path.len() {
        1 => GALLERY_TYPE,
        2 => DEFINITION_TYPE,
        _ => VERSION_TYPE,
    };
    let args: Vec<String> = path.iter().map(|p| quote(p)).collect();
    format!("resourceId({}, {})", quote(kind), args.join(", "))
}

/// A string ARM would take for an expression (`[` … `]`) escaped as a literal (`[[` … `]`);
/// every string in objects and arrays.
pub fn escape(value: Value) -> Value {
    match value {
        Value::String(s) if s.starts_with('[') && s.ends_with(']') => {
            Value::String(format!("[{s}"))
        }
        Value::Array(items) => Value::Array(items.into_iter().map(escape).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, escape(v))).collect()),
        other => other,
    }
}

/// `modelled` laid over `base`: objects merged key by key, arrays appended (the base holds
/// the entries the import could not read), other values replaced.
fn overlay(base: &mut Value, modelled: Value) {
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

fn date_time(date: Date) -> String {
    format!("{date}T00:00:00+00:00")
}

/// The envelope and properties of one resource: verbatim properties first, the modelled ones
/// over them, every string escaped; then name, type and dependencies.
fn resource(
    kind: &str,
    name: &[&str],
    location: &str,
    tags: &Tags,
    unmodeled: &Verbatim,
    properties: Value,
    depends_on: Vec<String>,
) -> Value {
    let mut body = Value::Object(unmodeled.to_map());
    let mut modelled = json!({ "properties": properties });
    if !tags.is_empty() {
        modelled["tags"] = json!(tags);
    }
    overlay(&mut body, modelled);
    let mut body = escape(body);
    if let Value::Object(map) = &mut body {
        let mut out = Map::new();
        out.insert("type".into(), json!(kind));
        out.insert("apiVersion".into(), json!(API_VERSION));
        out.insert("name".into(), escape(json!(name.join("/"))));
        out.insert("location".into(), json!(location));
        if !depends_on.is_empty() {
            out.insert("dependsOn".into(), json!(depends_on));
        }
        for (k, v) in std::mem::take(map) {
            out.entry(k).or_insert(v);
        }
        *map = out;
    }
    body
}

/// What ARM receives for a gallery, definition or version, without dependencies; a workspace
/// managed image source is named, not parameterised. Two states of one resource differ in what
/// Azure holds exactly when these differ (the plan compares them).
pub fn gallery_body(gallery: &Gallery) -> Value {
    gallery_resource(gallery)
}

/// See [`gallery_body`].
pub fn definition_body(gallery: &Gallery, definition: &ImageDefinition) -> Value {
    definition_resource(gallery, definition, Vec::new())
}

/// See [`gallery_body`].
pub fn version_body(
    gallery: &Gallery,
    definition: &ImageDefinition,
    version: &ImageVersion,
) -> Value {
    let item = VersionItem {
        gallery,
        definition,
        version,
    };
    version_resource(&item, Vec::new(), |name| format!("managed image {name}"))
}

fn gallery_resource(gallery: &Gallery) -> Value {
    let mut props = json!({
        "description": gallery.description,
        "softDeletePolicy": {"isSoftDeleteEnabled": gallery.soft_delete},
    });
    let sharing = &gallery.sharing;
    if !sharing.is_default() {
        // `groups` is read-only in the spec: the subscriptions and tenants shared with are set
        // by `POST …/share` (the az script's `az sig share add`), not by the template.
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
        &[&gallery.name],
        gallery.region.name(),
        &gallery.tags,
        &gallery.unmodeled,
        props,
        Vec::new(),
    )
}

/// `[resourceId(...)]` of the parent when the template writes it.
fn depends(selection: &Selection<'_>, path: &[&str]) -> Vec<String> {
    if selection.exports(&path.join("/")) {
        vec![format!("[{}]", resource_id(path))]
    } else {
        Vec::new()
    }
}

fn definition_resource(
    gallery: &Gallery,
    definition: &ImageDefinition,
    depends_on: Vec<String>,
) -> Value {
    let d = definition;
    let mut props = json!({
        "description": d.description,
        "osType": names::name(&OS_TYPES, d.os_type),
        "osState": names::name(&OS_STATES, d.os_state),
        "hyperVGeneration": names::name(&GENERATIONS, d.generation),
        "architecture": names::name(&ARCHITECTURES, d.architecture),
        "identifier": {"publisher": d.publisher, "offer": d.offer, "sku": d.sku},
    });
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
        props["endOfLifeDate"] = json!(date_time(date));
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
    if !d.features.is_empty() {
        let features: Vec<Value> = d
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
        props["features"] = json!(features);
    }
    resource(
        DEFINITION_TYPE,
        &[&gallery.name, &d.name],
        gallery.region.name(),
        &d.tags,
        &d.unmodeled,
        props,
        depends_on,
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

/// A version's resource; `source_id` gives the id written for a workspace managed image.
fn version_resource(
    item: &VersionItem<'_>,
    depends_on: Vec<String>,
    source_id: impl FnOnce(&str) -> String,
) -> Value {
    let (g, d, v) = (item.gallery, item.definition, item.version);
    let targets: Vec<Value> = v
        .target_regions
        .iter()
        .map(|t| {
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
                    .map(|s| {
                        json!({"storageAccountType": s.storage_type.label(), "regionalReplicaCount": s.replicas})
                    })
                    .collect();
                modelled["additionalReplicaSets"] = json!(sets);
            }
            overlay(&mut entry, modelled);
            entry
        })
        .collect();
    let mut publishing = json!({
        "targetRegions": targets,
        "replicaCount": v.default_replica_count,
        "excludeFromLatest": v.exclude_from_latest,
        "replicationMode": names::name(&names::REPLICATION_MODES, v.replication_mode),
    });
    if v.storage_account_strategy.is_none() || v.storage_type != Default::default() {
        publishing["storageAccountType"] = json!(v.storage_type.label());
    }
    if let Some(strategy) = v.storage_account_strategy {
        publishing["storageAccountStrategy"] = json!(strategy.name());
    }
    if let Some(date) = v.end_of_life {
        publishing["endOfLifeDate"] = json!(date_time(date));
    }
    let mut props = json!({
        "publishingProfile": publishing,
        "safetyProfile": {
            "allowDeletionOfReplicatedLocations": v.allow_deletion_of_replicated_locations,
            "blockDeletionBeforeEndOfLife": v.block_deletion_before_end_of_life,
        },
    });
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
            profile["dataDiskImages"] = json!(disks);
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
        g.region.name(),
        &v.tags,
        &unmodeled,
        props,
        depends_on,
    );
    if !v.source.is_empty() {
        body["properties"]["storageProfile"]["source"] = json!({ "id": source_id(&v.source) });
    }
    body
}

fn role_assignment(selection: &Selection<'_>, params: &mut Params, grant: &Grant) -> Value {
    let path: Vec<&str> = grant.scope.split('/').collect();
    let role = role_definition_id(grant.role);
    let principal = if is_object_id(&grant.principal) {
        quote(&grant.principal)
    } else {
        format!(
            "parameters({})",
            quote(&params.principal(selection, &grant.principal))
        )
    };
    let mut scope = String::from(GALLERY_TYPE);
    for (i, part) in path.iter().enumerate() {
        scope.push_str(["/", "/images/", "/versions/"][i.min(2)]);
        scope.push_str(part);
    }
    let mut props = json!({
        "roleDefinitionId": format!("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', {})]", quote(role)),
        "principalId": format!("[{principal}]"),
    });
    if let Some(p) = selection.principal(&grant.principal) {
        props["principalType"] = json!(names::name(&names::PRINCIPAL_TYPES, p.kind));
    }
    let mut out = json!({
        "type": ROLE_ASSIGNMENT_TYPE,
        "apiVersion": ROLE_ASSIGNMENT_API_VERSION,
        "name": format!("[guid({}, {principal}, {})]", resource_id(&path), quote(role)),
        "scope": escape(json!(scope)),
    });
    let depends_on = depends(selection, &path);
    if !depends_on.is_empty() {
        out["dependsOn"] = json!(depends_on);
    }
    out["properties"] = props;
    out
}
