//! How long the replication a plan starts takes, by the workspace's time model: the replication
//! engine runs on a small workspace holding only the versions concerned, their new regions
//! fresh and the regions Azure already holds complete, with no failures and no outages.

use std::collections::{HashMap, HashSet};

use crate::cost::estimate::Sources;
use crate::model::{
    Date, Gallery, ImageDefinition, ImageVersion, ManagedImage, Region, RegionState, ReplicaStatus,
    ReplicationMode, SourceSize, TargetRegion, Workspace,
};
use crate::replication::{Blocked, Engine};

/// The version as AFTER holds it, with the status Azure gives it once BEFORE (`old`) is there:
/// regions BEFORE holds are complete with the replicas they had; the others are new. Only what
/// the engine reads of a version is kept (its name, source, copy mode, replica counts and
/// regions), and a region BEFORE holds with the replicas AFTER asks for, which has nothing to
/// do, is left out: 100,000 versions given a region each are estimated with 100,000 regions,
/// not 1,000,000.
fn as_deployed(old: Option<&ImageVersion>, v: &ImageVersion) -> ImageVersion {
    let target_regions = v
        .target_regions
        .iter()
        .filter_map(|t| {
            let status = match had(old, t) {
                Some(count) if count == v.replica_count(t) => return None,
                // Replicas to add or to remove.
                Some(count) => ReplicaStatus {
                    state: RegionState::Completed,
                    progress: 100,
                    replicas_ready: Some(count),
                    ..ReplicaStatus::default()
                },
                None => ReplicaStatus::default(),
            };
            Some(TargetRegion {
                region: t.region,
                replicas: t.replicas,
                status,
                ..TargetRegion::default()
            })
        })
        .collect();
    ImageVersion {
        name: v.name.clone(),
        source: v.source.clone(),
        azure_source: v.azure_source.clone(),
        replication_mode: v.replication_mode,
        default_replica_count: v.default_replica_count,
        target_regions,
        ..ImageVersion::default()
    }
}

/// The replicas BEFORE (`old`) had in the region of `t`, when it holds it.
fn had(old: Option<&ImageVersion>, t: &TargetRegion) -> Option<u32> {
    old.and_then(|o| o.target(t.region).map(|ot| o.replica_count(ot)))
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

/// Adds the managed image a version is made from (when it is one of AFTER's), once: `added`
/// holds the names already there (a list searched for each of 100,000 versions made from as
/// many images would be quadratic).
fn add_source<'w>(
    ws: &mut Workspace,
    added: &mut HashSet<&'w str>,
    images: &Sources<'w>,
    v: &ImageVersion,
) {
    if let Some(image) = images.image(&v.source)
        && added.insert(image.name.as_str())
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
fn engine(today: Date) -> Engine {
    let mut engine = Engine::new(today);
    engine.set_detect_changes(false);
    engine
}

/// Works out single versions' replication times for one thread: one engine serves every
/// estimate (building its tables of region links for each of 100,000 versions cost more than
/// their estimates), and versions that replicate alike are run once.
pub struct Estimator {
    engine: Engine,
    /// The seconds of each shape of replication run so far.
    known: HashMap<Shape, f64>,
}

impl Estimator {
    pub fn new(today: Date) -> Self {
        Self {
            engine: engine(today),
            known: HashMap::new(),
        }
    }
}

/// Everything the engine reads of a version alone in a workspace, once deployed ([`as_deployed`]),
/// with no failures and nothing blocked: two versions of one shape take the same time. Names
/// only matter to the engine for failures, blocks and Azure's reports, which estimates have none
/// of; the workspace's settings are the same for every estimate of a plan.
#[derive(PartialEq, Eq, Hash)]
struct Shape {
    /// Where the copies come from and their size (its bits), as the engine finds it.
    source: Option<(Region, u64)>,
    shallow: bool,
    /// Each target region in order: its replica count and, when BEFORE holds it, the
    /// replicas it had.
    regions: Vec<(Region, u32, Option<u32>)>,
}

impl Shape {
    fn of(old: Option<&ImageVersion>, v: &ImageVersion, image: Option<&ManagedImage>) -> Self {
        Self {
            source: image
                .map(crate::replication::source_of)
                .or_else(|| v.azure_source_size())
                .map(|(region, gb)| (region, gb.to_bits())),
            shallow: v.replication_mode == ReplicationMode::Shallow,
            regions: v
                .target_regions
                .iter()
                .map(|t| (t.region, v.replica_count(t), had(old, t)))
                .collect(),
        }
    }
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
    estimator: &mut Estimator,
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
    let image = images.image(&v.source);
    let size = SourceSize::of(v, image);
    if size.known().is_none() {
        return Err(format!(
            "replication time unknown: {}",
            size.why_unknown().unwrap_or_default()
        ));
    }
    let shape = Shape::of(old, v, image);
    if let Some(secs) = estimator.known.get(&shape) {
        return Ok(Some(*secs));
    }
    let mut ws = empty_like(after);
    add_source(&mut ws, &mut HashSet::new(), images, v);
    let mut gallery = skeleton(g, d);
    gallery.definitions[0].versions.push(as_deployed(old, v));
    ws.galleries.push(gallery);
    let secs = settle(&mut estimator.engine, ws);
    estimator.known.insert(shape, secs);
    Ok(Some(secs))
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
    let mut added = HashSet::new();
    let mut last: Option<(&Gallery, &ImageDefinition)> = None;
    for r in versions {
        add_source(&mut ws, &mut added, images, r.version);
        // Versions of one definition that follow each other share a skeleton (100,000 versions
        // given a region each would otherwise make as many galleries); the engine meets the
        // versions in the same order either way. Each skeleton gets its own name: a gallery's
        // definitions may come back later in the list.
        let same =
            last.is_some_and(|(g, d)| std::ptr::eq(g, r.gallery) && std::ptr::eq(d, r.definition));
        if !same {
            let mut skeleton = skeleton(r.gallery, r.definition);
            skeleton.name = format!("g{}", ws.galleries.len());
            ws.galleries.push(skeleton);
            last = Some((r.gallery, r.definition));
        }
        if let Some(g) = ws.galleries.last_mut() {
            g.definitions[0]
                .versions
                .push(as_deployed(r.old, r.version));
        }
    }
    Some(settle(&mut engine(today), ws))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        "2026-11-29".parse().unwrap()
    }

    /// A workspace of two galleries with three images (one far, one big), and a version made
    /// from the first image that adds Brazil South to the first version's regions.
    fn fixture() -> (Workspace, ImageVersion) {
        let mut ws = crate::sample::synthetic(4);
        let here = ws.managed_images[0].clone();
        for (name, region, gb) in [("far", "japaneast", here.occupied_gb), ("big", "", 340.0)] {
            ws.managed_images.push(ManagedImage {
                name: name.to_owned(),
                region: region.parse().unwrap_or(here.region),
                occupied_gb: gb,
                ..here.clone()
            });
        }
        let mut other = ws.galleries[0].clone();
        "other".clone_into(&mut other.name);
        "other-image".clone_into(&mut other.definitions[0].name);
        ws.galleries.push(other);
        let mut base = ws.galleries[0].definitions[0].versions[0].clone();
        here.name.clone_into(&mut base.source);
        base.target_regions
            .push(TargetRegion::new("brazilsouth".parse().unwrap()));
        (ws, base)
    }

    /// The version with `change` made to it.
    fn variant(base: &ImageVersion, change: impl Fn(&mut ImageVersion)) -> ImageVersion {
        let mut v = base.clone();
        change(&mut v);
        v
    }

    /// The seconds the whole version takes, its regions in the states [`as_deployed`] gives
    /// them (a region it leaves out is complete with every replica it asks for).
    fn whole(ws: &Workspace, old: Option<&ImageVersion>, v: &ImageVersion) -> f64 {
        let (g, d) = (&ws.galleries[0], &ws.galleries[0].definitions[0]);
        let mut whole = v.clone();
        let deployed = as_deployed(old, v);
        for t in &mut whole.target_regions {
            t.status = match deployed.target(t.region) {
                Some(kept) => kept.status.clone(),
                None => ReplicaStatus {
                    state: RegionState::Completed,
                    progress: 100,
                    ..ReplicaStatus::default()
                },
            };
        }
        let mut alone = empty_like(ws);
        alone.managed_images = ws.managed_images.clone();
        let mut gallery = skeleton(g, d);
        gallery.definitions[0].versions.push(whole);
        alone.galleries.push(gallery);
        settle(&mut engine(today()), alone)
    }

    /// Versions that replicate alike are run once: a shared estimator answers each version as
    /// an engine of its own would, whatever it answered before. Each variant differs from the
    /// base in one thing the engine reads, and takes another time: a shared estimator that
    /// overlooked it would give the base's. The engine reads nothing `as_deployed` leaves out.
    #[test]
    fn a_shared_estimator_answers_as_a_fresh_engine_would() {
        let (ws, base) = fixture();
        let (g, d) = (&ws.galleries[0], &ws.galleries[0].definitions[0]);
        let old = d.versions[0].clone();
        let variants = [
            (
                "a region's count",
                variant(&base, |v| {
                    if let Some(t) = v.target_regions.last_mut() {
                        t.replicas = Some(5);
                    }
                }),
                None,
            ),
            (
                "the default count",
                variant(&base, |v| v.default_replica_count = 4),
                None,
            ),
            (
                "shallow copies",
                variant(&base, |v| v.replication_mode = ReplicationMode::Shallow),
                None,
            ),
            (
                "the source's region",
                variant(&base, |v| "far".clone_into(&mut v.source)),
                None,
            ),
            (
                "the source's size",
                variant(&base, |v| "big".clone_into(&mut v.source)),
                None,
            ),
            ("regions BEFORE holds", base.clone(), Some(&old)),
            (
                "more replicas where BEFORE holds the region",
                variant(&base, |v| v.target_regions[1].replicas = Some(6)),
                Some(&old),
            ),
            (
                "fewer replicas where BEFORE holds the region",
                variant(&base, |v| v.target_regions[1].replicas = Some(1)),
                Some(&old),
            ),
        ];
        let images = Sources::new(&ws);
        let alone = |v: &ImageVersion, old| {
            single(&mut Estimator::new(today()), &ws, &images, g, d, old, v)
        };
        let base_secs = alone(&base, None);
        assert!(matches!(base_secs, Ok(Some(_))), "{base_secs:?}");
        for (what, v, old) in &variants {
            let mut shared = Estimator::new(today());
            let first = single(&mut shared, &ws, &images, g, d, None, &base);
            assert_eq!(first, base_secs);
            let own = alone(v, *old);
            assert_ne!(own, base_secs, "{what} changes the time");
            assert_eq!(Ok(Some(whole(&ws, *old, v))), own, "{what}");
            let again = single(&mut shared, &ws, &images, g, d, *old, v);
            assert_eq!(again, own, "{what}");
            assert_eq!(shared.known.len(), 2, "{what}");
        }
    }

    /// The same shape under other names (another gallery, definition and version) is run once.
    #[test]
    fn names_do_not_make_another_shape() {
        let (ws, base) = fixture();
        let images = Sources::new(&ws);
        let (g, d) = (&ws.galleries[0], &ws.galleries[0].definitions[0]);
        let (other, other_definition) = (&ws.galleries[1], &ws.galleries[1].definitions[0]);
        let renamed = variant(&base, |v| "9.9.9".clone_into(&mut v.name));
        let mut shared = Estimator::new(today());
        let first = single(&mut shared, &ws, &images, g, d, None, &base);
        assert!(matches!(first, Ok(Some(_))), "{first:?}");
        let again = single(
            &mut shared,
            &ws,
            &images,
            other,
            other_definition,
            None,
            &renamed,
        );
        assert_eq!(again, first);
        assert_eq!(shared.known.len(), 1);
    }
}
