//! An image version's properties: its source, safety and publishing profiles.

use std::collections::HashMap;

use serde_json::Value;

use super::regions::{replication_status, target_regions};
use super::shape::STORAGE_TYPES;
use crate::import::json::{Cx, Obj, as_obj, index, join};
use crate::model::azure::{
    ArmId, DiskImage, DiskSource, HostCaching, SourceRef, StorageAccountStrategy,
};
use crate::model::{AzureSource, ImageVersion, Region, ReplicationMode, StorageType};

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

/// Where a version's replication state comes from.
#[derive(Clone, Copy)]
pub(super) enum Status {
    /// An import: a new region takes the payload's state, or Completed when the version
    /// succeeded and the payload has none; known regions keep the workspace's progress.
    Import { succeeded: bool },
    /// A live read: the payload's `replicationStatus` wins wherever it says something.
    Live,
}

/// A version's properties: source, safety profile, publishing profile and target regions.
pub(super) fn version_properties(
    cx: &mut Cx<'_>,
    version: &mut ImageVersion,
    props: &mut Obj,
    location: Option<Region>,
    images: &HashMap<String, String>,
    (status, fresh): (Status, bool),
) {
    let statuses = replication_status(cx, props);
    if let Some(mut profile) = props.obj(cx, "storageProfile") {
        storage_profile(cx, version, &mut profile, location, images);
        props.restore("storageProfile", profile);
    } else if let Some(azure) = &mut version.azure_source
        && location.is_some()
    {
        azure.region = location;
    }
    safety_profile(cx, version, props, fresh);
    let Some(mut publishing) = props.obj(cx, "publishingProfile") else {
        return;
    };
    publishing_fields(cx, version, &mut publishing);
    edge_zones(cx, &publishing);
    target_regions(cx, version, &mut publishing, statuses.as_ref(), status);
    props.restore("publishingProfile", publishing);
}

/// `safetyProfile`: whether replicated regions may be deleted, and deletion before end of life.
fn safety_profile(cx: &mut Cx<'_>, version: &mut ImageVersion, props: &mut Obj, fresh: bool) {
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
}

/// The publishing profile's own fields (its target regions aside).
fn publishing_fields(cx: &mut Cx<'_>, version: &mut ImageVersion, publishing: &mut Obj) {
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
}

/// Edge zones (`targetExtendedLocations`) are kept verbatim; their storage types are still
/// checked.
fn edge_zones(cx: &mut Cx<'_>, publishing: &Obj) {
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
}
