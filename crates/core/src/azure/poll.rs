//! Live replication progress: the versions Azure as last seen has replicating are read again,
//! one GET each with `$expand=ReplicationStatus` (never a list: lists carry no replication
//! status), and their regions' state goes into Azure as last seen and into the planned
//! versions. Only replication state changes; anything else Azure changed waits for a refresh.
//!
//! [`replicating`] says what to poll (nothing: do not poll), [`poll`] reads it (blocking, on a
//! background thread, with the client's hooks), [`Poll::seen_after`] and
//! [`Poll::apply_planned`] put the result in place on the UI thread.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use super::http::{Client, Service};
use super::ids::{GalleryRef, IdKind, check_id};
use super::{AzureError, COMPUTE_API};
use crate::import::stream::Stream;
use crate::model::{AzureSeen, Gallery, RegionState, ReplicaStatus, Workspace};

/// The versions of Azure as last seen, in `subscription`, with a region Azure reports
/// replicating (or queued): what a poll reads. Empty when nothing replicates.
pub fn replicating(seen: &AzureSeen, subscription: &str) -> Vec<GalleryRef> {
    let mut out = Vec::new();
    for g in seen.galleries() {
        if g.resource_group.is_empty() || !g.subscription.eq_ignore_ascii_case(subscription) {
            continue;
        }
        for d in &g.definitions {
            for v in &d.versions {
                let moving = v.target_regions.iter().any(|t| {
                    matches!(
                        t.status.state,
                        RegionState::Replicating | RegionState::Queued
                    )
                });
                if moving {
                    out.push(GalleryRef {
                        subscription: g.subscription.clone(),
                        resource_group: g.resource_group.clone(),
                        gallery: g.name.clone(),
                        definition: Some(d.name.clone()),
                        version: Some(v.name.clone()),
                    });
                }
            }
        }
    }
    out
}

/// One version as a poll found it.
#[derive(Clone, Debug, PartialEq)]
pub struct Polled {
    pub version: GalleryRef,
    /// Each region Azure reports and its state; `None` when the version is gone (404).
    pub regions: Option<Vec<(crate::model::Region, ReplicaStatus)>>,
}

impl Polled {
    /// `gallery/definition/version`.
    pub fn path(&self) -> String {
        let v = &self.version;
        format!(
            "{}/{}/{}",
            v.gallery,
            v.definition.as_deref().unwrap_or_default(),
            v.version.as_deref().unwrap_or_default()
        )
    }
}

/// What a poll read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Poll {
    pub polled: Vec<Polled>,
    /// Versions that could not be read (403) or are gone (404), named.
    pub warnings: Vec<String>,
}

/// Reads each version's replication status (at most the client's `in_flight` requests at
/// once). A 403 or 404 is a warning naming the version; any other failure fails the poll,
/// which then changes nothing.
pub fn poll(client: &Client, versions: &[GalleryRef]) -> Result<Poll, AzureError> {
    let progress = &client.hooks.progress;
    progress
        .statuses_planned
        .fetch_add(versions.len() as u64, Ordering::Relaxed);
    let next = AtomicUsize::new(0);
    let found: Mutex<Vec<(usize, Result<Polled, AzureError>)>> = Mutex::new(Vec::new());
    let workers = client.limits.in_flight.clamp(1, versions.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(version) = versions.get(i) else {
                        return;
                    };
                    let result = poll_one(client, version);
                    progress.statuses_done.fetch_add(1, Ordering::Relaxed);
                    let failed = result
                        .as_ref()
                        .is_err_and(|e| !matches!(e.status(), Some(403 | 404)));
                    found
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push((i, result));
                    if failed {
                        // The others stop at their next request.
                        next.store(versions.len(), Ordering::Relaxed);
                        return;
                    }
                }
            });
        }
    });
    let mut found = found.into_inner().unwrap_or_else(PoisonError::into_inner);
    found.sort_by_key(|(i, _)| *i);
    let mut out = Poll::default();
    for (i, result) in found {
        let version = versions[i].clone();
        match result {
            Ok(polled) => out.polled.push(polled),
            Err(e) if e.status() == Some(404) => {
                let polled = Polled {
                    version,
                    regions: None,
                };
                out.warnings.push(format!(
                    "image version {} is gone from Azure (404): refresh to take that in",
                    polled.path()
                ));
                out.polled.push(polled);
            }
            Err(e) if e.status() == Some(403) => {
                let path = Polled {
                    version,
                    regions: None,
                }
                .path();
                out.warnings.push(format!(
                    "the replication status of image version {path} could not be read: {e}"
                ));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// One version's GET, its id checked, its body read by the import's conversion.
fn poll_one(client: &Client, version: &GalleryRef) -> Result<Polled, AzureError> {
    let url = client.arm.url(
        &version.path(),
        &format!("api-version={COMPUTE_API}&$expand=ReplicationStatus"),
    );
    let body = client.get(Service::Arm, &url)?;
    let id = body
        .get("id")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let bad = |why: String| AzureError::BadId {
        url: url.clone(),
        id: id.clone(),
        kind: IdKind::Version.label(),
        why,
    };
    let found = check_id(&id, IdKind::Version).map_err(bad)?;
    let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let same_opt = |a: &Option<String>, b: &Option<String>| {
        same(a.as_deref().unwrap_or(""), b.as_deref().unwrap_or(""))
    };
    if !same(&found.subscription, &version.subscription)
        || !same(&found.resource_group, &version.resource_group)
        || !same(&found.gallery, &version.gallery)
        || !same_opt(&found.definition, &version.definition)
        || !same_opt(&found.version, &version.version)
    {
        return Err(bad("it is not the version asked for".to_owned()));
    }
    let mut scratch = Workspace::default();
    let mut stream = Stream::new(&mut scratch, &url);
    stream.add(&url, body);
    stream.finish();
    let regions = scratch
        .versions()
        .next()
        .map(|(_, _, v)| {
            v.target_regions
                .iter()
                .map(|t| (t.region, t.status.clone()))
                .collect()
        })
        .ok_or_else(|| AzureError::BadJson {
            url: url.clone(),
            detail: "the body is not an image version".to_owned(),
        })?;
    Ok(Polled {
        version: version.clone(),
        regions: Some(regions),
    })
}

impl Poll {
    /// Azure as last seen with the polled regions' state as Azure now reports it (its origin
    /// unchanged: the poll read only these versions); `None` when nothing changed.
    pub fn seen_after(&self, seen: &AzureSeen) -> Option<AzureSeen> {
        let mut changed = false;
        let (origin, mut galleries, principals, grants, references) = seen.clone().into_parts();
        for polled in &self.polled {
            changed |= put(&mut galleries, polled);
        }
        changed.then(|| AzureSeen::new(origin, galleries, principals, grants, references))
    }

    /// Puts the polled regions' state into the planned versions of the same names (regions
    /// Azure does not report keep theirs); whether anything changed.
    pub fn apply_planned(&self, galleries: &mut [Gallery]) -> bool {
        let mut changed = false;
        for polled in &self.polled {
            changed |= put(galleries, polled);
        }
        changed
    }
}

/// The polled state into the version of the same names in `galleries`.
fn put(galleries: &mut [Gallery], polled: &Polled) -> bool {
    let Some(regions) = &polled.regions else {
        return false;
    };
    let v = &polled.version;
    let (Some(d_name), Some(v_name)) = (&v.definition, &v.version) else {
        return false;
    };
    let version = galleries
        .iter_mut()
        .find(|g| g.name.eq_ignore_ascii_case(&v.gallery))
        .and_then(|g| {
            g.definitions
                .iter_mut()
                .find(|d| d.name.eq_ignore_ascii_case(d_name))
        })
        .and_then(|d| {
            d.versions
                .iter_mut()
                .find(|x| x.name.eq_ignore_ascii_case(v_name))
        });
    let Some(version) = version else {
        return false;
    };
    let mut changed = false;
    for target in &mut version.target_regions {
        if let Some((_, status)) = regions.iter().find(|(r, _)| *r == target.region)
            && target.status != *status
        {
            target.status = status.clone();
            changed = true;
        }
    }
    changed
}
