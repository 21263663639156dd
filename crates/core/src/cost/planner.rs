//! Replica planner (DOMAIN.md §4): one replica per `Settings::vms_per_replica` VMs created at
//! once, one replica per scale set created at once, at least 3 for production images, and
//! 1–100 replicas per region. The result is one `Edit::UpdateVersion`, one undoable step.

use serde::Serialize;

use super::estimate::{CostChange, CostError, what_if};
use crate::model::{Edit, ImageVersion, Region, Resource, ResourcePath, Workspace};

/// Fewest replicas in a region.
pub const MIN_REPLICAS: u32 = 1;
/// Most replicas the service allows in a region.
pub const MAX_REPLICAS: u32 = 100;
/// Fewest replicas for a production image.
pub const PRODUCTION_MIN_REPLICAS: u32 = 3;

/// Expected load in one region: VMs and scale sets created at the same time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct RegionDemand {
    pub region: Region,
    pub concurrent_vms: u32,
    pub concurrent_scale_sets: u32,
}

/// The recommendation for one target region.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RegionRecommendation {
    pub region: Region,
    pub current_replicas: u32,
    pub recommended_replicas: u32,
    /// Which rule decided the count, for display.
    pub reason: String,
}

/// The planner's answer for one version.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReplicaPlan {
    pub regions: Vec<RegionRecommendation>,
    /// The version as it would be after the plan.
    pub planned: ImageVersion,
    /// Cost before and after.
    pub change: CostChange,
    /// Counts above the workspace's warning threshold, and similar notes.
    pub warnings: Vec<String>,
    /// The change as one edit; `None` when every count is already as recommended.
    #[serde(skip)]
    pub edit: Option<Edit>,
}

/// Why there is no plan.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("{0}: the image version was not found")]
    NotFound(String),
    #[error(
        "{path}: {region} is not a target region of the version; add it to the version's regions first"
    )]
    NotATarget { path: String, region: Region },
    #[error("{path}: {region} is given more than once")]
    DuplicateDemand { path: String, region: Region },
    #[error("{path}: {source}")]
    Cost {
        path: String,
        #[source]
        source: CostError,
    },
}

/// The replica count for one region, and the rule that set it. Without `demand` the current
/// count stays (raised to 3 for production).
pub fn recommend_replicas(
    vms_per_replica: u32,
    demand: Option<&RegionDemand>,
    production: bool,
    current: u32,
) -> (u32, String) {
    let mut candidates: Vec<(u32, String)> = Vec::new();
    match demand {
        Some(demand) => {
            let per = vms_per_replica.max(1);
            candidates.push((
                demand.concurrent_vms.div_ceil(per),
                format!(
                    "{} at once, one replica per {per}",
                    crate::words::count(demand.concurrent_vms as usize, "VM", "VMs")
                ),
            ));
            candidates.push((
                demand.concurrent_scale_sets,
                format!(
                    "{} at once, one replica each",
                    crate::words::count(
                        demand.concurrent_scale_sets as usize,
                        "scale set",
                        "scale sets"
                    )
                ),
            ));
        }
        None => candidates.push((current, "no demand given: unchanged".to_owned())),
    }
    if production {
        candidates.push((
            PRODUCTION_MIN_REPLICAS,
            format!("production images keep at least {PRODUCTION_MIN_REPLICAS}"),
        ));
    }
    candidates.push((MIN_REPLICAS, "at least 1".to_owned()));
    // The first largest candidate explains the count.
    let (count, reason) = candidates
        .into_iter()
        .rev()
        .max_by_key(|(count, _)| *count)
        .unwrap_or((MIN_REPLICAS, "at least 1".to_owned()));
    if count > MAX_REPLICAS {
        (
            MAX_REPLICAS,
            format!("{reason}; capped at the service's limit of {MAX_REPLICAS}"),
        )
    } else {
        (count, reason)
    }
}

/// Recommends replica counts for a version's target regions from the expected demand, with the
/// cost before and after and the edit that applies them.
pub fn plan_replicas(
    ws: &Workspace,
    gallery: &str,
    definition: &str,
    version: &str,
    demand: &[RegionDemand],
    production: bool,
) -> Result<ReplicaPlan, PlanError> {
    let path = ResourcePath::version(gallery, definition, version);
    let stored = ws.resolve(&path).and_then(Resource::version);
    let path = path.to_string();
    let stored = stored.ok_or_else(|| PlanError::NotFound(path.clone()))?;
    for (i, d) in demand.iter().enumerate() {
        if stored.target(d.region).is_none() {
            return Err(PlanError::NotATarget {
                path,
                region: d.region,
            });
        }
        if demand[..i].iter().any(|e| e.region == d.region) {
            return Err(PlanError::DuplicateDemand {
                path,
                region: d.region,
            });
        }
    }
    let mut planned = stored.clone();
    let mut regions = Vec::new();
    let mut warnings = Vec::new();
    for target in &mut planned.target_regions {
        let current = stored.replica_count(target);
        let wanted = demand.iter().find(|d| d.region == target.region);
        let (count, reason) =
            recommend_replicas(ws.settings.vms_per_replica, wanted, production, current);
        if count != current {
            target.replicas = Some(count);
        }
        if count > ws.settings.replica_warning_above {
            warnings.push(format!(
                "{}: {count} replicas is more than the {} the service suggests",
                target.region, ws.settings.replica_warning_above
            ));
        }
        regions.push(RegionRecommendation {
            region: target.region,
            current_replicas: current,
            recommended_replicas: count,
            reason,
        });
    }
    let change = what_if(ws, Some(stored), &planned).map_err(|source| PlanError::Cost {
        path: path.clone(),
        source,
    })?;
    let edit = (planned != *stored).then(|| Edit::UpdateVersion {
        gallery: gallery.to_owned(),
        definition: definition.to_owned(),
        name: version.to_owned(),
        version: planned.clone(),
    });
    Ok(ReplicaPlan {
        regions,
        planned,
        change,
        warnings,
        edit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demand(vms: u32, scale_sets: u32) -> RegionDemand {
        RegionDemand {
            region: Region::default(),
            concurrent_vms: vms,
            concurrent_scale_sets: scale_sets,
        }
    }

    #[test]
    fn reasons_name_the_deciding_rule() {
        let (n, why) = recommend_replicas(20, Some(&demand(120, 2)), false, 1);
        assert_eq!(
            (n, why.as_str()),
            (6, "120 VMs at once, one replica per 20")
        );
        let (n, why) = recommend_replicas(20, Some(&demand(10, 4)), false, 1);
        assert_eq!(
            (n, why.as_str()),
            (4, "4 scale sets at once, one replica each")
        );
        let (n, why) = recommend_replicas(20, Some(&demand(0, 0)), false, 5);
        assert_eq!((n, why.as_str()), (1, "at least 1"));
        let (n, why) = recommend_replicas(20, None, true, 1);
        assert_eq!((n, why.as_str()), (3, "production images keep at least 3"));
        let (n, why) = recommend_replicas(0, Some(&demand(5, 0)), false, 1);
        assert_eq!((n, why.as_str()), (5, "5 VMs at once, one replica per 1"));
    }
}
