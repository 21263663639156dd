//! The step function: advances every job of a workspace by a simulated time step.

use crate::model::region::CATALOG;
use crate::model::time_model::Link;
use crate::model::{
    ImageVersion, ManagedImage, Region, RegionState, ReplicaStatus, ReplicationMode, ResourcePath,
    TargetRegion, TimeModel, Workspace,
};

use super::rng::{failure_point, fnv1a};

/// MB per GB in the time model.
const MB_PER_GB: f64 = 1024.0;
/// Floor for throughputs, so that a zero in the settings stalls a copy instead of dividing by 0.
const MIN_MB_PER_SEC: f64 = 1e-6;

/// What a step did, so the app repaints and marks the document changed only while work runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StepReport {
    /// Jobs that began: new regions or versions, and raised replica counts.
    pub started: u32,
    pub completed: u32,
    pub failed: u32,
    /// Regions whose replica count was lowered: their extra replicas were removed.
    pub trimmed: u32,
    /// Jobs queued or replicating after the step.
    pub running: u32,
    /// Whether the workspace changed.
    pub changed: bool,
}

impl StepReport {
    /// Whether jobs are still queued or replicating.
    pub fn is_running(&self) -> bool {
        self.running > 0
    }

    /// Adds another step's report (for several steps in a row; `running` is the last one's).
    pub fn merge(&mut self, later: Self) {
        self.started += later.started;
        self.completed += later.completed;
        self.failed += later.failed;
        self.trimmed += later.trimmed;
        self.running = later.running;
        self.changed |= later.changed;
    }
}

/// Why a job failed during a step; turned into the details text with the version's path.
#[derive(Clone, Copy, Debug)]
enum Failure {
    TargetOutage,
    SourceOutage(Region),
    Interrupted { percent: u8, attempt: u32 },
    MissingSource,
}

/// What a job needs to know about its version, computed once per version and step.
#[derive(Clone, Copy)]
struct VersionEnv {
    /// Source region and occupied GB, when the source image exists.
    source: Option<(Region, f64)>,
    shallow: bool,
    default_replicas: u32,
    /// Hash of the version's path, for failure draws (0 when the failure rate is 0).
    hash: u64,
}

/// The replication engine. Holds only scratch tables and the shared throughputs of the last
/// step; everything that matters lives in the workspace. Deterministic: the same workspace and
/// the same sequence of steps give the same result.
pub struct Engine {
    /// `Link` between every pair of catalog regions (source × target).
    links: Vec<Link>,
    /// Regions under a simulated outage, by catalog index.
    outage: Vec<bool>,
    /// Remote first copies running per source region and link (`Link::REMOTE` order).
    active: Vec<[u32; 3]>,
    /// Throughput of one first copy per source region and link (MB/s), for the last counts.
    rate_mb_per_sec: Vec<[f64; 3]>,
    /// Managed image indices sorted by name.
    images: Vec<u32>,
}

impl Default for Engine {
    fn default() -> Self {
        Self::new()
    }
}

fn remote_index(link: Link) -> Option<usize> {
    match link {
        Link::Local => None,
        Link::SameGeography => Some(0),
        Link::SameContinent => Some(1),
        Link::CrossContinent => Some(2),
    }
}

impl Engine {
    pub fn new() -> Self {
        let regions: Vec<Region> = Region::all().collect();
        let mut links = Vec::with_capacity(regions.len() * regions.len());
        for source in &regions {
            for target in &regions {
                links.push(Link::between(*source, *target));
            }
        }
        Self {
            links,
            outage: vec![false; CATALOG.len()],
            active: vec![[0; 3]; CATALOG.len()],
            rate_mb_per_sec: vec![[0.0; 3]; CATALOG.len()],
            images: Vec::new(),
        }
    }

    fn link(&self, source: Region, target: Region) -> Link {
        self.links
            .get(source.index() * CATALOG.len() + target.index())
            .copied()
            .unwrap_or(Link::CrossContinent)
    }

    fn index_images(&mut self, images: &[ManagedImage]) {
        self.images.clear();
        self.images.extend(0..images.len() as u32);
        self.images.sort_unstable_by(|a, b| {
            let name = |i: &u32| images.get(*i as usize).map_or("", |m| m.name.as_str());
            name(a).cmp(name(b))
        });
    }

    fn source_of(&self, images: &[ManagedImage], name: &str) -> Option<(Region, f64)> {
        let found = self
            .images
            .binary_search_by(|i| {
                images
                    .get(*i as usize)
                    .map_or("", |m| m.name.as_str())
                    .cmp(name)
            })
            .ok()?;
        let image = images.get(*self.images.get(found)? as usize)?;
        Some((image.region, image.occupied_gb.max(0.0)))
    }

    fn version_env(&self, ws_images: &[ManagedImage], version: &ImageVersion) -> VersionEnv {
        VersionEnv {
            source: self
                .source_of(ws_images, &version.source)
                .or_else(|| version.azure_source_size()),
            shallow: version.replication_mode == ReplicationMode::Shallow,
            default_replicas: version.default_replica_count,
            hash: 0,
        }
    }

    /// Recomputes how the sources' outbound throughput is shared by the first copies running
    /// now. `step` does this itself; call it before `remaining_secs` when no step has run yet.
    pub fn refresh(&mut self, ws: &Workspace) {
        self.index_images(&ws.managed_images);
        for counts in &mut self.active {
            *counts = [0; 3];
        }
        for (_, _, version) in ws.versions() {
            let env = self.version_env(&ws.managed_images, version);
            let Some((source, occupied_gb)) = env.source else {
                continue;
            };
            if env.shallow {
                continue;
            }
            for target in &version.target_regions {
                let status = &target.status;
                let copying = status.state == RegionState::Replicating
                    && status.replicas_ready.unwrap_or(0) == 0
                    && status.copied_gb < occupied_gb;
                if !copying {
                    continue;
                }
                if let Some(i) = remote_index(self.link(source, target.region))
                    && let Some(counts) = self.active.get_mut(source.index())
                {
                    counts[i] += 1;
                }
            }
        }
        let model = &ws.settings.time_model;
        for (counts, rates) in self.active.iter().zip(&mut self.rate_mb_per_sec) {
            *rates = share(model, *counts);
        }
    }

    /// Throughput of one first copy from `source` into `target` now (MB/s).
    fn first_copy_rate(&self, model: &TimeModel, source: Region, target: Region) -> f64 {
        let link = self.link(source, target);
        let rate = match remote_index(link) {
            None => model.local_mb_per_sec,
            Some(i) => self
                .rate_mb_per_sec
                .get(source.index())
                .map_or(model.link_mb_per_sec(link), |r| r[i]),
        };
        rate.max(MIN_MB_PER_SEC)
    }

    /// Advances every job by `dt_secs` of simulated time.
    pub fn step(&mut self, ws: &mut Workspace, dt_secs: f64) -> StepReport {
        let dt = if dt_secs.is_finite() {
            dt_secs.max(0.0)
        } else {
            0.0
        };
        self.refresh(ws);
        for flag in &mut self.outage {
            *flag = false;
        }
        for region in &ws.simulation.outages {
            if let Some(flag) = self.outage.get_mut(region.index()) {
                *flag = true;
            }
        }
        let Workspace {
            settings,
            managed_images,
            galleries,
            simulation,
            ..
        } = ws;
        let model = &settings.time_model;
        let seed = simulation.seed;
        let mut report = StepReport::default();
        let mut advanced = false;
        for gallery in galleries.iter_mut() {
            for definition in gallery.definitions.iter_mut() {
                for version in definition.versions.iter_mut() {
                    let mut env = self.version_env(managed_images, version);
                    if model.failure_rate > 0.0 {
                        env.hash = fnv1a(&[&gallery.name, &definition.name, &version.name]);
                    }
                    let unresolved = env.source.is_none().then(|| version.unresolved_source());
                    for target in version.target_regions.iter_mut() {
                        let result = self.step_job(model, seed, &env, target, dt, &mut report);
                        advanced |= result.advanced;
                        if let Some(failure) = result.failure {
                            let path = ResourcePath::version(
                                &gallery.name,
                                &definition.name,
                                &version.name,
                            );
                            target.status.details = describe_failure(
                                failure,
                                &path,
                                target.region,
                                env.source.map(|s| s.0),
                                unresolved.as_deref().unwrap_or_default(),
                            );
                        }
                    }
                }
            }
        }
        if advanced {
            simulation.clock_secs += dt;
        }
        report.changed |= advanced;
        report
    }

    /// Steps until `total_secs` have passed, `max_step_secs` at most at a time.
    pub fn advance(
        &mut self,
        ws: &mut Workspace,
        total_secs: f64,
        max_step_secs: f64,
    ) -> StepReport {
        let mut report = StepReport::default();
        let step = if max_step_secs > 0.0 {
            max_step_secs
        } else {
            total_secs
        };
        let mut left = total_secs;
        while left > 0.0 {
            let dt = left.min(step);
            report.merge(self.step(ws, dt));
            left -= dt;
        }
        report
    }

    fn step_job(
        &self,
        model: &TimeModel,
        seed: u64,
        env: &VersionEnv,
        target: &mut TargetRegion,
        dt: f64,
        report: &mut StepReport,
    ) -> JobResult {
        let count = target.replicas.unwrap_or(env.default_replicas).max(1);
        let region = target.region;
        let status = &mut target.status;
        let mut result = JobResult::default();
        match status.state {
            RegionState::Failed => return result,
            RegionState::Unknown => {
                *status = ReplicaStatus {
                    state: RegionState::Queued,
                    attempt: status.attempt,
                    ..ReplicaStatus::default()
                };
                report.started += 1;
                result.advanced = true;
            }
            RegionState::Completed => {
                let ready = status.ready_replicas(count);
                if ready >= count {
                    if ready > count || status.replicas_ready.is_some() {
                        // A lowered replica count: the extra replicas are deleted at once.
                        status.replicas_ready = None;
                        report.trimmed += 1;
                        report.changed = true;
                    }
                    return result;
                }
                // A raised replica count: copies inside the region from the first replica.
                status.state = RegionState::Replicating;
                status.replicas_ready = Some(ready);
                status.local_copied_gb = 0.0;
                status.elapsed_secs = 0.0;
                status.details.clear();
                report.started += 1;
                result.advanced = true;
            }
            RegionState::Queued | RegionState::Replicating => {}
        }
        result.advanced = true;
        let Some((source, occupied_gb)) = env.source else {
            return fail(status, report, Failure::MissingSource, count, 0.0, result);
        };
        if self.outage.get(region.index()).copied().unwrap_or(false) {
            return fail(
                status,
                report,
                Failure::TargetOutage,
                count,
                occupied_gb,
                result,
            );
        }
        let ready = status.ready_replicas(count);
        if ready == 0 && self.outage.get(source.index()).copied().unwrap_or(false) {
            let failure = Failure::SourceOutage(source);
            return fail(status, report, failure, count, occupied_gb, result);
        }
        status.elapsed_secs += dt;
        if env.shallow {
            status.state = RegionState::Replicating;
            let duration = model.shallow_secs.max(0.0);
            if status.elapsed_secs >= duration {
                complete(status, report);
            } else {
                status.progress = percent(status.elapsed_secs / duration);
                report.running += 1;
            }
            return result;
        }
        let mut time_left = dt;
        if status.state == RegionState::Queued {
            let waited_before = status.elapsed_secs - dt;
            let wait_left = (model.queue_secs - waited_before).max(0.0);
            if wait_left > time_left {
                report.running += 1;
                return result;
            }
            time_left -= wait_left;
            status.state = RegionState::Replicating;
        }
        let mut ready = ready;
        if ready == 0 {
            if status.copied_gb == 0.0 && status.progress > 0 {
                // A file written before the engine kept `copied_gb`: resume from its percent.
                let done = (f64::from(status.progress) / 100.0 * f64::from(count)).min(1.0);
                status.copied_gb = done * occupied_gb;
            }
            let rate_gb = self.first_copy_rate(model, source, region) / MB_PER_GB;
            let need_gb = (occupied_gb - status.copied_gb).max(0.0);
            let moved_gb = rate_gb * time_left;
            if let Some(point) = failure_point(
                seed,
                env.hash,
                region.index(),
                status.attempt,
                model.failure_rate,
            ) {
                let fail_gb = point * occupied_gb;
                if status.copied_gb < fail_gb && status.copied_gb + moved_gb >= fail_gb {
                    status.copied_gb = fail_gb;
                    let failure = Failure::Interrupted {
                        percent: percent(point / f64::from(count)),
                        attempt: status.attempt + 1,
                    };
                    return fail(status, report, failure, count, occupied_gb, result);
                }
            }
            if moved_gb >= need_gb {
                time_left -= need_gb / rate_gb;
                status.copied_gb = occupied_gb;
                ready = 1;
            } else {
                status.copied_gb += moved_gb;
                time_left = 0.0;
            }
        }
        if ready >= 1 && ready < count {
            let rate_gb = model.local_mb_per_sec.max(MIN_MB_PER_SEC) / MB_PER_GB;
            let need_gb = (occupied_gb - status.local_copied_gb).max(0.0);
            let moved_gb = rate_gb * time_left.max(0.0);
            if moved_gb >= need_gb {
                ready = count;
                status.local_copied_gb = 0.0;
            } else {
                status.local_copied_gb += moved_gb;
            }
        }
        if ready >= count {
            complete(status, report);
        } else {
            status.replicas_ready = (ready > 0).then_some(ready);
            status.progress = progress(status, ready, count, occupied_gb);
            report.running += 1;
        }
        result
    }

    /// Simulated seconds left for a region's job at the current throughputs (as of the last
    /// `step` or `refresh`); `None` when the region has no job (Completed or Failed).
    pub fn remaining_secs(
        &self,
        ws: &Workspace,
        version: &ImageVersion,
        target: &TargetRegion,
    ) -> Option<f64> {
        let model = &ws.settings.time_model;
        let count = version.replica_count(target).max(1);
        let status = &target.status;
        let env = VersionEnv {
            source: ws
                .source_size(version)
                .known()
                .map(|(region, gb)| (region, gb.max(0.0))),
            shallow: version.replication_mode == ReplicationMode::Shallow,
            default_replicas: version.default_replica_count,
            hash: 0,
        };
        let (source, occupied_gb) = env.source?;
        let (queued, fresh) = match status.state {
            RegionState::Failed => return None,
            RegionState::Completed if status.ready_replicas(count) >= count => return None,
            RegionState::Completed => (false, false),
            RegionState::Unknown => (true, true),
            RegionState::Queued => (true, false),
            RegionState::Replicating => (false, false),
        };
        let elapsed = if fresh { 0.0 } else { status.elapsed_secs };
        if env.shallow {
            return Some((model.shallow_secs - elapsed).max(0.0));
        }
        let mut secs = if queued {
            (model.queue_secs - elapsed).max(0.0)
        } else {
            0.0
        };
        let ready = if fresh {
            0
        } else {
            status.ready_replicas(count)
        };
        if ready == 0 {
            let copied = if fresh {
                0.0
            } else if status.copied_gb == 0.0 && status.progress > 0 {
                (f64::from(status.progress) / 100.0 * f64::from(count)).min(1.0) * occupied_gb
            } else {
                status.copied_gb
            };
            let rate = self.first_copy_rate(model, source, target.region);
            secs += (occupied_gb - copied).max(0.0) * MB_PER_GB / rate;
        }
        if ready < count {
            let done = if ready == 0 || fresh {
                0.0
            } else {
                status.local_copied_gb
            };
            if count > 1 {
                let local_gb = (occupied_gb - done).max(0.0);
                secs += local_gb * MB_PER_GB / model.local_mb_per_sec.max(MIN_MB_PER_SEC);
            }
        }
        Some(secs)
    }
}

#[derive(Default)]
struct JobResult {
    advanced: bool,
    failure: Option<Failure>,
}

/// Shares a source's outbound throughput between its running first copies, fairly: copies on
/// slow links get their link's throughput, the others split what is left (water-filling).
fn share(model: &TimeModel, counts: [u32; 3]) -> [f64; 3] {
    let links = Link::REMOTE.map(|l| model.link_mb_per_sec(l).max(MIN_MB_PER_SEC));
    let mut order = [0usize, 1, 2];
    order.sort_by(|a, b| links[*a].total_cmp(&links[*b]));
    let mut capacity = model.source_outbound_mb_per_sec.max(MIN_MB_PER_SEC);
    let mut copies: u32 = counts.iter().sum();
    let mut rates = [0.0; 3];
    for i in order {
        let level = capacity / f64::from(copies.max(1));
        let rate = links[i].min(level).max(MIN_MB_PER_SEC);
        rates[i] = rate;
        capacity = (capacity - rate * f64::from(counts[i])).max(MIN_MB_PER_SEC);
        copies -= counts[i];
    }
    rates
}

fn percent(fraction: f64) -> u8 {
    (fraction * 100.0).floor().clamp(0.0, 99.0) as u8
}

/// Percent of the region's bytes in place: the first copy, then every extra replica.
fn progress(status: &ReplicaStatus, ready: u32, count: u32, occupied_gb: f64) -> u8 {
    if occupied_gb <= 0.0 {
        return percent(f64::from(ready) / f64::from(count));
    }
    let done_gb = if ready == 0 {
        status.copied_gb
    } else {
        occupied_gb * f64::from(ready) + status.local_copied_gb * f64::from(count - ready)
    };
    percent(done_gb / (occupied_gb * f64::from(count)))
}

fn complete(status: &mut ReplicaStatus, report: &mut StepReport) {
    status.state = RegionState::Completed;
    status.progress = 100;
    status.copied_gb = 0.0;
    status.local_copied_gb = 0.0;
    status.replicas_ready = None;
    status.details.clear();
    report.completed += 1;
}

fn fail(
    status: &mut ReplicaStatus,
    report: &mut StepReport,
    failure: Failure,
    count: u32,
    occupied_gb: f64,
    mut result: JobResult,
) -> JobResult {
    let ready = status.ready_replicas(count);
    status.progress = progress(status, ready, count, occupied_gb);
    status.state = RegionState::Failed;
    report.failed += 1;
    result.failure = Some(failure);
    result
}

fn describe_failure(
    failure: Failure,
    path: &ResourcePath,
    region: Region,
    source: Option<Region>,
    source_image: &str,
) -> String {
    match failure {
        Failure::TargetOutage => format!(
            "Replication of {path} to {region} failed: the region {region} is unavailable (simulated outage). Retry once it is available again"
        ),
        Failure::SourceOutage(source) => format!(
            "Replication of {path} to {region} failed: the source region {source} is unavailable (simulated outage). Retry once it is available again"
        ),
        Failure::Interrupted { percent, attempt } => format!(
            "Replication of {path} to {region} failed at {percent} %: the copy from {} was interrupted (simulated failure, attempt {attempt}). Retry to copy again",
            source.map_or_else(|| "the source".to_owned(), |s| s.to_string())
        ),
        Failure::MissingSource => {
            format!("Replication of {path} to {region} cannot start: {source_image}")
        }
    }
}

/// Whether any region has work left (queued, replicating, new, or a changed replica count):
/// the app keeps the simulation clock running only while this is true.
pub fn has_work(ws: &Workspace) -> bool {
    ws.versions().any(|(_, _, v)| {
        v.target_regions.iter().any(|t| match t.status.state {
            RegionState::Unknown | RegionState::Queued | RegionState::Replicating => true,
            RegionState::Completed => t.status.replicas_ready.is_some(),
            RegionState::Failed => false,
        })
    })
}

/// One line of the activity list.
#[derive(Clone, Debug, PartialEq)]
pub struct JobRow {
    pub path: ResourcePath,
    pub region: Region,
    pub state: RegionState,
    pub progress: u8,
    pub details: String,
    /// Simulated seconds left at the current throughputs; `None` when settled.
    pub remaining_secs: Option<f64>,
    /// Simulated seconds the job has taken so far (or took).
    pub elapsed_secs: f64,
    pub replicas_ready: u32,
    pub replica_count: u32,
}

/// The jobs of a workspace: queued, replicating and failed ones, and completed ones that ran in
/// the simulation (their elapsed time is known), in document order.
pub fn jobs(ws: &Workspace, engine: &Engine) -> Vec<JobRow> {
    let mut rows = Vec::new();
    for (g, d, v) in ws.versions() {
        for t in &v.target_regions {
            let status = &t.status;
            let listed = match status.state {
                RegionState::Queued | RegionState::Replicating | RegionState::Failed => true,
                RegionState::Completed => status.elapsed_secs > 0.0,
                RegionState::Unknown => false,
            };
            if !listed {
                continue;
            }
            let count = v.replica_count(t).max(1);
            rows.push(JobRow {
                path: ResourcePath::version(&g.name, &d.name, &v.name),
                region: t.region,
                state: status.state,
                progress: status.progress,
                details: status.details.clone(),
                remaining_secs: engine.remaining_secs(ws, v, t),
                elapsed_secs: status.elapsed_secs,
                replicas_ready: status.ready_replicas(count),
                replica_count: count,
            });
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sharing_is_fair_and_never_exceeds_the_source() {
        let model = TimeModel::default();
        // Alone, a copy gets its link's throughput.
        let alone = share(&model, [1, 0, 0]);
        assert_eq!(alone[0], model.same_geography_mb_per_sec);
        // Two same-geography copies split the 40 MB/s source.
        assert_eq!(share(&model, [2, 0, 0])[0], 20.0);
        // Slow cross-continent copies keep their 10 MB/s; the rest share what is left.
        let mixed = share(&model, [3, 0, 1]);
        assert_eq!(mixed[2], 10.0);
        assert_eq!(mixed[0], 10.0);
        let total = mixed[0] * 3.0 + mixed[2];
        assert!(total <= model.source_outbound_mb_per_sec + 1e-9);
        let many = share(&model, [10, 2, 2]);
        assert!(many.iter().all(|r| (*r - 40.0 / 14.0).abs() < 1e-9));
    }

    #[test]
    fn percent_stays_below_100_until_done() {
        assert_eq!(percent(0.999), 99);
        assert_eq!(percent(1.5), 99);
        assert_eq!(percent(-1.0), 0);
        assert_eq!(percent(0.425), 42);
    }
}
