//! How long the replication a plan starts takes, by the workspace's time model: the replication
//! engine runs on a small workspace holding only the versions concerned, their new regions
//! fresh and the regions Azure already holds complete, with no failures and no outages.

use crate::model::{Gallery, ImageDefinition, ImageVersion, RegionState, ReplicaStatus, Workspace};
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

/// A workspace with AFTER's settings and managed images and nothing else.
fn empty_like(after: &Workspace) -> Workspace {
    let mut ws = Workspace {
        settings: after.settings.clone(),
        managed_images: after.managed_images.clone(),
        ..Workspace::default()
    };
    ws.settings.time_model.failure_rate = 0.0;
    ws
}

fn skeleton(g: &Gallery, d: &ImageDefinition) -> Gallery {
    let definition = ImageDefinition {
        versions: Vec::new(),
        ..d.clone()
    };
    Gallery {
        definitions: vec![definition],
        ..Gallery {
            definitions: Vec::new(),
            ..g.clone()
        }
    }
}

/// Runs the engine until every job has finished; the simulated seconds it took.
fn settle(mut ws: Workspace) -> f64 {
    let mut engine = Engine::new();
    engine.set_detect_changes(false);
    engine.set_blocked(Blocked::default());
    let start = ws.simulation.clock_secs;
    engine.step(&mut ws, f64::INFINITY);
    ws.simulation.clock_secs - start
}

/// The seconds the version's replication takes once deployed; `Ok(None)` when it starts
/// none; `Err` with the reason when its size is unknown.
pub fn single(
    after: &Workspace,
    g: &Gallery,
    d: &ImageDefinition,
    old: Option<&ImageVersion>,
    v: &ImageVersion,
) -> Result<Option<f64>, String> {
    if !replicates(old, v) {
        return Ok(None);
    }
    let size = after.source_size(v);
    if size.known().is_none() {
        return Err(format!(
            "replication time unknown: {}",
            size.why_unknown().unwrap_or_default()
        ));
    }
    let mut ws = empty_like(after);
    let mut gallery = skeleton(g, d);
    gallery.definitions[0].versions.push(as_deployed(old, v));
    ws.galleries.push(gallery);
    Ok(Some(settle(ws)))
}

/// The seconds until every listed version (`gallery`, `definition`, `version` of AFTER) has
/// finished replicating, all started together.
pub fn together(
    before: &Workspace,
    after: &Workspace,
    versions: &[&(String, String, String)],
) -> Option<f64> {
    if versions.is_empty() {
        return None;
    }
    let mut ws = empty_like(after);
    for (i, (g, d, v)) in versions.iter().enumerate() {
        let Some(gallery) = after.gallery(g) else {
            continue;
        };
        let Some(definition) = gallery.definitions.iter().find(|x| &x.name == d) else {
            continue;
        };
        let Some(version) = definition.versions.iter().find(|x| &x.name == v) else {
            continue;
        };
        let old = before
            .galleries
            .iter()
            .find(|x| super::gallery_key(x) == super::gallery_key(gallery))
            .and_then(|x| super::definition_in(x, d))
            .and_then(|x| super::version_in(x, v));
        let mut skeleton = skeleton(gallery, definition);
        // Versions of one gallery each get their own: names only have to be unique here.
        skeleton.name = format!("g{i}");
        skeleton.definitions[0]
            .versions
            .push(as_deployed(old, version));
        ws.galleries.push(skeleton);
    }
    Some(settle(ws))
}
