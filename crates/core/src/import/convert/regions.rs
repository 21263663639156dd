//! A version's target regions: their replica sets and replication state.

use std::collections::HashMap;

use serde_json::Value;

use super::shape::STORAGE_TYPES;
use crate::import::json::{Cx, Obj, as_obj, index, join};
use crate::model::azure::ReplicaSet;
use crate::model::{Region, RegionState, ReplicaStatus, StorageType};

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
