//! What a user can do to running replication: retry failed regions, cancel a job, and mark a
//! region unavailable. These act on the service's state, so they are not undoable edits.

use crate::model::{
    EditError, EditErrorKind, ImageVersion, Region, RegionState, ResourceMut, ResourcePath,
    Workspace,
};

fn version_mut<'a>(
    ws: &'a mut Workspace,
    path: &ResourcePath,
) -> Result<&'a mut ImageVersion, EditError> {
    if !matches!(path, ResourcePath::Version(..)) {
        return Err(EditError::new(path, EditErrorKind::NotAVersion));
    }
    ws.resolve_mut(path)
        .and_then(ResourceMut::version)
        .ok_or_else(|| EditError::new(path, EditErrorKind::NotFound { kind: path.kind() }))
}

/// Retries failed regions of a version: one region, or every failed region when `region` is
/// `None`. A retried region queues again and copies from scratch, keeping replicas that were
/// already complete. Returns how many regions were retried.
pub fn retry(
    ws: &mut Workspace,
    path: &ResourcePath,
    region: Option<Region>,
) -> Result<u32, EditError> {
    let version = version_mut(ws, path)?;
    if let Some(region) = region
        && version.target(region).is_none()
    {
        return Err(EditError::new(path, EditErrorKind::NotATarget { region }));
    }
    let mut retried = 0;
    for target in &mut version.target_regions {
        if region.is_some_and(|r| r != target.region) {
            continue;
        }
        let status = &mut target.status;
        if status.state != RegionState::Failed {
            if region.is_some() {
                return Err(EditError::new(
                    path,
                    EditErrorKind::RegionNotFailed {
                        region: target.region,
                        state: status.state.label().to_lowercase(),
                    },
                ));
            }
            continue;
        }
        status.state = RegionState::Queued;
        status.progress = 0;
        status.details.clear();
        status.copied_gb = 0.0;
        status.local_copied_gb = 0.0;
        status.elapsed_secs = 0.0;
        status.attempt += 1;
        status.clock = None;
        if status.replicas_ready == Some(0) {
            status.replicas_ready = None;
        }
        retried += 1;
    }
    if retried == 0 {
        return Err(EditError::new(path, EditErrorKind::NothingFailed));
    }
    Ok(retried)
}

/// Cancels the job of one region. The region is left Failed with the details "cancelled by the
/// user", like a copy the service gave up: it holds no usable image until it is retried (or the
/// region is removed), and the version's aggregate state shows Failed.
pub fn cancel(ws: &mut Workspace, path: &ResourcePath, region: Region) -> Result<(), EditError> {
    let version = version_mut(ws, path)?;
    let Some(target) = version
        .target_regions
        .iter_mut()
        .find(|t| t.region == region)
    else {
        return Err(EditError::new(path, EditErrorKind::NotATarget { region }));
    };
    let status = &mut target.status;
    match status.state {
        RegionState::Queued | RegionState::Replicating | RegionState::Unknown => {}
        RegionState::Completed if status.replicas_ready.is_some() => {}
        other => {
            return Err(EditError::new(
                path,
                EditErrorKind::NoJobToCancel {
                    region,
                    state: other.label().to_lowercase(),
                },
            ));
        }
    }
    status.state = RegionState::Failed;
    status.clock = None;
    status.details = format!(
        "Cancelled by the user at {} %: retry to start it again, or remove the region. Replication of {path} to {region} stopped",
        status.progress
    );
    Ok(())
}

/// Marks a region unavailable (a simulated outage) or available again. Jobs into or out of an
/// unavailable region fail at the next step; completed replicas stay. Returns whether anything
/// changed.
pub fn set_outage(ws: &mut Workspace, region: Region, unavailable: bool) -> bool {
    let outages = &mut ws.simulation.outages;
    let present = outages.contains(&region);
    if unavailable && !present {
        outages.push(region);
        outages.sort();
        true
    } else if !unavailable && present {
        outages.retain(|r| *r != region);
        true
    } else {
        false
    }
}
