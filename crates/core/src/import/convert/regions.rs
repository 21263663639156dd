//! A version's target regions: their replica sets and replication state.

use std::collections::HashMap;

use serde_json::Value;

use super::shape::{STORAGE_TYPES, keep};
use super::version::Status;
use crate::import::json::{Cx, Obj, as_obj, index, join};
use crate::model::azure::ReplicaSet;
use crate::model::{
    ImageVersion, Region, RegionState, ReplicaStatus, StorageType, TargetRegion, Verbatim,
};

/// A region's replication state as Azure reports it: never Queued, the simulation's own.
fn parse_region_state(s: &str) -> Option<RegionState> {
    RegionState::parse(s).filter(|state| *state != RegionState::Queued)
}

pub(super) fn replica_sets(cx: &mut Cx<'_>, target: &mut Obj) -> Option<Vec<ReplicaSet>> {
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
pub(super) fn replication_status(
    cx: &mut Cx<'_>,
    props: &mut Obj,
) -> Option<HashMap<Region, ReplicaStatus>> {
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

/// `targetRegions`: each region's replicas, storage, replica sets and replication state; a
/// region the version had keeps its entry (moved, not copied).
pub(super) fn target_regions(
    cx: &mut Cx<'_>,
    version: &mut ImageVersion,
    publishing: &mut Obj,
    statuses: Option<&HashMap<Region, ReplicaStatus>>,
    status: Status,
) {
    let succeeded = matches!(status, Status::Import { succeeded: true });
    let live = matches!(status, Status::Live);
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
                if let Some(found) = statuses.and_then(|s| s.get(&region)) {
                    target.status = found.clone();
                }
            } else if is_new {
                target.status = match statuses {
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
}
