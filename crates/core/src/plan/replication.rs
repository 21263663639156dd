//! How long the replication a plan starts takes, by the workspace's time model: the replication
//! engine runs on a small workspace holding only the versions concerned, their new regions
//! fresh and the regions Azure already holds complete, with no failures and no outages.

use crate::cost::estimate::Sources;
use crate::model::{
    Date, Gallery, ImageDefinition, ImageVersion, RegionState, ReplicaStatus, SourceSize, Workspace,
};
use crate::replication::{Blocked, Engine};

/// The version as AFTER holds it, with the status Azure gives it once BEFORE (`old`) is there:
/// regions BEFORE holds are complete with the replicas they had; the others are new.
fn as_deployed(old: Option<&ImageVersion>, v: &ImageVersion) -> ImageVersion {
    let mut v = v.clone();
    for t in &mut v.target_regions {
        let had = old.and_then(|o| o.target(t.region).map(|ot| o.replica_count(ot)));
        t.status = match had {
            Some(count) => ReplicaStatus {
                state: RegionState::Completed,
                progress: 100,
                replicas_ready: Some(count),
                ..ReplicaStatus::default()
            },
            None => ReplicaStatus::default(),
        };
    }
    v
}

/// Whether the version starts copies: a new region, or more replicas in one.
fn replicates(old: Option<&ImageVersion>, v: &ImageVersion) -> bool {
    v.target_regions
        .iter()
        .any(|t| match old.and_then(|o| o.target(t.region)) {
            None => true,
            Some(o) => v.replica_count(t) > old.map_or(0, |old| old.replica_count(o)),
        })
}

/// A workspace with AFTER's settings and nothing else.
fn empty_like(after: &Workspace) -> Workspace {
    let mut ws = Workspace {
        settings: after.settings.clone(),
        ..Workspace::default()
    };
    ws.settings.time_model.failure_rate = 0.0;
    ws
}

/// Adds the managed image a version is made from (when it is one of AFTER's), once.
fn add_source(ws: &mut Workspace, images: &Sources<'_>, v: &ImageVersion) {
    if let Some(image) = images.image(&v.source)
        && !ws.managed_images.iter().any(|m| m.name == image.name)
    {
        ws.managed_images.push(image.clone());
    }
}

fn skeleton(g: &Gallery, d: &ImageDefinition) -> Gallery {
    let mut gallery = g.without_definitions();
    gallery.definitions.push(d.without_versions());
    gallery
}

/// An engine for estimates: told of every change (no fingerprints), nothing blocked.
pub fn engine(today: Date) -> Engine {
    let mut engine = Engine::new(today);
    engine.set_detect_changes(false);
    engine
}

/// Runs the engine until every job has finished; the simulated seconds it took. The engine is
/// rebuilt from `ws` (one engine serves every estimate of a plan's thread: building its tables of region
/// links for each of 100,000 versions cost more than their estimates).
fn settle(engine: &mut Engine, mut ws: Workspace) -> f64 {
    engine.set_blocked(Blocked::default());
    let start = ws.simulation.clock_secs;
    engine.step(&mut ws, f64::INFINITY);
    ws.simulation.clock_secs - start
}

/// A version whose replication the plan starts, for the estimate of all of them together.
pub struct Replicating<'w> {
    pub path: String,
    pub gallery: &'w Gallery,
    pub definition: &'w ImageDefinition,
    pub old: Option<&'w ImageVersion>,
    pub version: &'w ImageVersion,
}

/// The seconds the version's replication takes once deployed; `Ok(None)` when it starts
/// none; `Err` with the reason when its size is unknown. `images` indexes AFTER's managed images.
pub fn single(
    engine: &mut Engine,
    after: &Workspace,
    images: &Sources<'_>,
    g: &Gallery,
    d: &ImageDefinition,
    old: Option<&ImageVersion>,
    v: &ImageVersion,
) -> Result<Option<f64>, String> {
    if !replicates(old, v) {
        return Ok(None);
    }
    let size = SourceSize::of(v, images.image(&v.source));
    if size.known().is_none() {
        return Err(format!(
            "replication time unknown: {}",
            size.why_unknown().unwrap_or_default()
        ));
    }
    let mut ws = empty_like(after);
    add_source(&mut ws, images, v);
    let mut gallery = skeleton(g, d);
    gallery.definitions[0].versions.push(as_deployed(old, v));
    ws.galleries.push(gallery);
    Ok(Some(settle(engine, ws)))
}

/// The seconds until every listed version has finished replicating, all started together.
pub fn together(
    after: &Workspace,
    images: &Sources<'_>,
    versions: &[&Replicating<'_>],
    today: Date,
) -> Option<f64> {
    if versions.is_empty() {
        return None;
    }
    let mut ws = empty_like(after);
    for (i, r) in versions.iter().enumerate() {
        add_source(&mut ws, images, r.version);
        let mut skeleton = skeleton(r.gallery, r.definition);
        // Versions of one gallery each get their own: names only have to be unique here.
        skeleton.name = format!("g{i}");
        skeleton.definitions[0]
            .versions
            .push(as_deployed(r.old, r.version));
        ws.galleries.push(skeleton);
    }
    Some(settle(&mut engine(today), ws))
}
