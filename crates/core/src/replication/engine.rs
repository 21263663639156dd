//! The event-driven replication engine.
//!
//! Between two events every copy progresses linearly, so the engine jumps from event to event
//! instead of stepping through time. An event is a job leaving the queue, a copy finishing or
//! failing part way, a shallow replication completing; outages, cancels, retries and edits arrive
//! from outside between steps and rebuild the engine's tables from the workspace.
//!
//! Copies that share a bottleneck and a rate class progress together: every copy from one source
//! region over one kind of link gets the same throughput (the water-filling share of the source's
//! outbound), so each such group keeps one virtual clock, the GB copied per member since the
//! group began, which advances at the group's rate. A member stores where it joined (its origin);
//! its finish (and, with a failure rate, where it fails) is a fixed point on that clock, kept in
//! the group's heap. When a job starts or ends, only the rates of its source's three groups
//! change: the other members are not touched, and the whole run costs O(events × log jobs).
//! A job's own progress (`group value - origin`) is computed only when it is read: at the end of
//! a step, for the jobs still running.
//!
//! Step boundaries change nothing inside the engine, so feeding time in 1 s steps, 60 s steps or
//! one jump gives bit-identical results; and the state written into the workspace (with each
//! running job's [`JobClock`]) is exactly what the engine holds, so a saved workspace continues
//! bit for bit.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashMap};

use crate::model::region::CATALOG;
use crate::model::time_model::Link;
use crate::model::{
    Date, ImageVersion, JobClock, Problem, Region, RegionState, ReplicaStatus, ReplicationMode,
    ResourcePath, Severity, TargetRegion, TimeModel, Workspace, validate,
};

use super::rng::{failure_point, fnv1a};

/// MB per GB in the time model.
const MB_PER_GB: f64 = 1024.0;
/// Floor for throughputs, so that a zero in the settings stalls a copy instead of dividing by 0.
const MIN_MB_PER_SEC: f64 = 1e-6;
/// Groups per source region: the three remote link classes (`Link::REMOTE` order), then the
/// source region's own first copy (local, not shared).
const CLASSES: usize = 4;
const LOCAL_CLASS: usize = 3;

/// What a version or region that the service would refuse shows instead of a job.
pub const NOT_CREATED: &str = "Not created: fix the errors";

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
    /// Jobs that wait because their version or region has validation errors.
    pub waiting: u32,
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
        self.waiting = later.waiting;
        self.changed |= later.changed;
    }
}

/// Jobs by state, for the status bar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JobCounts {
    pub queued: usize,
    pub replicating: usize,
    pub failed: usize,
    /// Not created: the version or region has validation errors.
    pub waiting: usize,
}

/// Where a target region is in the workspace: indices of its gallery, definition, version and
/// the region in the version's list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobKey {
    pub gallery: u32,
    pub definition: u32,
    pub version: u32,
    pub target: u32,
}

/// The versions and regions the service would refuse (validation errors on their path): they
/// are not created, so they do not replicate.
#[derive(Clone, Debug, Default)]
pub struct Blocked {
    /// Per version, the first error of the version itself and of each of its regions.
    versions: HashMap<ResourcePath, Vec<(Option<Region>, String)>>,
}

impl Blocked {
    pub fn from_problems(problems: &[Problem]) -> Self {
        let mut versions: HashMap<ResourcePath, Vec<(Option<Region>, String)>> = HashMap::new();
        for problem in problems {
            if problem.severity != Severity::Error
                || !matches!(problem.path, ResourcePath::Version(..))
            {
                continue;
            }
            let entry = versions.entry(problem.path.clone()).or_default();
            if !entry.iter().any(|(r, _)| *r == problem.region) {
                entry.push((problem.region, problem.message.clone()));
            }
        }
        Self { versions }
    }

    /// Validates the workspace (`model::validate`) and keeps its errors on versions.
    pub fn of(ws: &Workspace, today: Date) -> Self {
        Self::from_problems(&validate(ws, today))
    }

    pub fn is_empty(&self) -> bool {
        self.versions.is_empty()
    }

    /// The error that keeps the version's region from being created, if any: the version's own
    /// first, then the region's.
    pub fn reason(&self, path: &ResourcePath, region: Region) -> Option<&str> {
        let errors = self.versions.get(path)?;
        errors
            .iter()
            .find(|(r, _)| r.is_none())
            .or_else(|| errors.iter().find(|(r, _)| *r == Some(region)))
            .map(|(_, message)| message.as_str())
    }

    /// The details text of a waiting region: [`NOT_CREATED`] and the error.
    pub fn details(&self, path: &ResourcePath, region: Region) -> Option<String> {
        self.reason(path, region)
            .map(|why| format!("{NOT_CREATED} ({why})"))
    }
}

/// Why a job failed; turned into the details text with the version's path.
#[derive(Clone, Copy, Debug)]
enum Failure {
    TargetOutage,
    SourceOutage(Region),
    Interrupted { percent: u8, attempt: u32 },
    MissingSource,
}

/// A simulated time, ordered totally (for heaps).
#[derive(Clone, Copy, Debug, PartialEq)]
struct At(f64);

impl Eq for At {}

impl PartialOrd for At {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for At {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Waiting until `started + queue_secs`.
    Queued,
    /// Shallow replication: done at `started + shallow_secs`.
    Shallow,
    /// Copying as a member of a group (the first copy, or the extra replicas).
    Copy(u32),
    /// Completed or failed.
    Done,
}

struct Job {
    key: JobKey,
    region: Region,
    source: Region,
    size_gb: f64,
    count: u32,
    ready: u32,
    attempt: u32,
    hash: u64,
    started: f64,
    phase: Phase,
    /// Origin on the group's virtual clock while copying.
    origin: f64,
    /// Where this attempt's first copy fails (fraction of the image), when it does.
    fail_at: Option<f64>,
}

impl Job {
    fn live(&self) -> bool {
        self.phase != Phase::Done
    }
}

/// Copies progressing together: one virtual clock, `anchor_gb` at `anchor_secs`, advancing at
/// `rate_gb` GB per second for each member.
struct Group {
    anchor_secs: f64,
    anchor_gb: f64,
    rate_gb: f64,
    members: u32,
    /// Members by their next point on the virtual clock (finish, or failure), then job index.
    points: BinaryHeap<Reverse<(At, u32)>>,
}

impl Group {
    fn new() -> Self {
        Self {
            anchor_secs: 0.0,
            anchor_gb: 0.0,
            rate_gb: f64::NAN,
            members: 0,
            points: BinaryHeap::new(),
        }
    }

    fn value(&self, t: f64) -> f64 {
        if t == self.anchor_secs {
            self.anchor_gb
        } else {
            self.anchor_gb + self.rate_gb * (t - self.anchor_secs)
        }
    }

    fn reanchor(&mut self, t: f64) {
        self.anchor_gb = self.value(t);
        self.anchor_secs = t;
    }
}

/// The earliest due time of every group (a tournament tree: update and minimum in O(log groups)).
struct Dues {
    leaves: usize,
    nodes: Vec<(At, u32)>,
}

impl Dues {
    fn new(groups: usize) -> Self {
        let leaves = groups.next_power_of_two().max(1);
        let mut nodes = vec![(At(f64::INFINITY), u32::MAX); 2 * leaves];
        for i in 0..leaves {
            nodes[leaves + i].1 = i as u32;
        }
        for k in (1..leaves).rev() {
            nodes[k] = nodes[2 * k].min(nodes[2 * k + 1]);
        }
        Self { leaves, nodes }
    }

    fn clear(&mut self) {
        for i in 0..self.leaves {
            self.set(i, f64::INFINITY);
        }
    }

    fn set(&mut self, group: usize, due: f64) {
        let mut k = self.leaves + group;
        if let Some(node) = self.nodes.get_mut(k) {
            node.0 = At(due);
        }
        while k > 1 {
            k /= 2;
            let (a, b) = (self.nodes[2 * k], self.nodes[2 * k + 1]);
            self.nodes[k] = a.min(b);
        }
    }

    fn first(&self) -> (f64, usize) {
        let (at, group) = self.nodes[1];
        (at.0, group as usize)
    }
}

/// What a rebuild found to write into the workspace at the next step.
enum Pending {
    /// A new job: the region is queued (its status starts afresh).
    Start(u32),
    /// A raised replica count: local copies start.
    Raise(u32),
    /// A lowered replica count: the extra replicas go at once.
    Trim(JobKey),
    /// A job that cannot run (outage, missing source).
    Fail(u32, Failure),
}

/// Fingerprint of what the engine reads, to notice changes made to the workspace between steps.
struct Hash64(u64);

impl Hash64 {
    fn u(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x517C_C1B7_2722_0A95);
    }

    fn f(&mut self, x: f64) {
        self.u(x.to_bits());
    }

    fn s(&mut self, text: &str) {
        for chunk in text.as_bytes().chunks(8) {
            let mut bytes = [0u8; 8];
            bytes[..chunk.len()].copy_from_slice(chunk);
            self.u(u64::from_le_bytes(bytes));
        }
        self.u(text.len() as u64);
    }
}

fn fingerprint(ws: &Workspace) -> u64 {
    let mut h = Hash64(0);
    let m = &ws.settings.time_model;
    for x in [
        m.queue_secs,
        m.same_geography_mb_per_sec,
        m.same_continent_mb_per_sec,
        m.cross_continent_mb_per_sec,
        m.source_outbound_mb_per_sec,
        m.local_mb_per_sec,
        m.shallow_secs,
        m.failure_rate,
        ws.simulation.clock_secs,
    ] {
        h.f(x);
    }
    h.u(ws.simulation.seed);
    for region in &ws.simulation.outages {
        h.u(region.index() as u64);
    }
    // Azure as last seen is replaced whole (never edited): a new one is a new allocation, and
    // the regions it reports leave the simulation.
    h.u(ws
        .azure
        .as_ref()
        .map_or(0, |a| std::sync::Arc::as_ptr(a) as usize as u64));
    for image in &ws.managed_images {
        h.s(&image.name);
        h.u(image.region.index() as u64);
        h.f(image.occupied_gb);
    }
    for g in &ws.galleries {
        h.s(&g.name);
        for d in &g.definitions {
            h.s(&d.name);
            for v in &d.versions {
                h.s(&v.name);
                h.s(&v.source);
                h.u(u64::from(v.replication_mode == ReplicationMode::Shallow));
                h.u(u64::from(v.default_replica_count));
                for t in &v.target_regions {
                    let s = &t.status;
                    h.u(t.region.index() as u64);
                    h.u(t.replicas.map_or(u64::MAX, u64::from));
                    h.u(s.state as u64);
                    h.u(u64::from(s.progress));
                    h.u(s.details.len() as u64);
                    h.f(s.copied_gb);
                    h.f(s.local_copied_gb);
                    h.u(s.replicas_ready.map_or(u64::MAX, u64::from));
                    h.f(s.elapsed_secs);
                    h.u(u64::from(s.attempt));
                    if let Some(c) = &s.clock {
                        for x in [
                            c.started_secs,
                            c.origin_gb,
                            c.group_secs,
                            c.group_gb,
                            c.group_gb_per_sec,
                        ] {
                            h.f(x);
                        }
                    }
                }
            }
        }
    }
    h.0
}

/// The replication engine. Everything that matters lives in the workspace (and is written back
/// at the end of each step); the engine holds the jobs, their groups and the event queues built
/// from it. Deterministic: the same workspace and the same changes at the same simulated instants
/// give the same result, whatever the step sizes.
pub struct Engine {
    /// `Link` between every pair of catalog regions (source × target).
    links: Vec<Link>,
    /// The date validation runs with (end-of-life and published dates).
    today: Date,
    /// Whether `step` notices changes to the workspace itself (by a fingerprint); the app turns
    /// this off and tells the engine through [`Engine::workspace_changed`].
    detect: bool,
    /// The fingerprint of the workspace as the engine last left it (detect mode).
    synced: Option<u64>,
    /// The workspace changed since the tables were built (told by the caller).
    dirty: bool,
    /// The workspace was edited (not only replication state): validate again.
    edited: bool,
    blocked: Blocked,
    model: TimeModel,
    seed: u64,
    outage: Vec<bool>,
    /// The simulated instant the engine is at (the workspace's `clock_secs`).
    now: f64,
    jobs: Vec<Job>,
    groups: Vec<Group>,
    dues: Dues,
    /// Time-based events: queue ends and shallow completions, with the job index.
    timers: BinaryHeap<Reverse<(At, u32)>>,
    live: u32,
    pending: Vec<Pending>,
    pending_report: StepReport,
    /// Regions listed in the activity panel, in document order.
    listed: Vec<JobKey>,
    counts: JobCounts,
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
    /// An engine that judges end-of-life dates against `today` (the caller reads the clock;
    /// [`Self::set_today`] moves it on).
    pub fn new(today: Date) -> Self {
        let regions: Vec<Region> = Region::all().collect();
        let mut links = Vec::with_capacity(regions.len() * regions.len());
        for source in &regions {
            for target in &regions {
                links.push(Link::between(*source, *target));
            }
        }
        let group_count = CATALOG.len() * CLASSES + 1;
        let mut engine = Self {
            links,
            today,
            detect: true,
            synced: None,
            dirty: true,
            edited: true,
            blocked: Blocked::default(),
            model: TimeModel::default(),
            seed: 0,
            outage: vec![false; CATALOG.len()],
            now: 0.0,
            jobs: Vec::new(),
            groups: (0..group_count).map(|_| Group::new()).collect(),
            dues: Dues::new(group_count),
            timers: BinaryHeap::new(),
            live: 0,
            pending: Vec::new(),
            pending_report: StepReport::default(),
            listed: Vec::new(),
            counts: JobCounts::default(),
        };
        engine.set_rates();
        engine
    }

    /// The date validation uses (default: today in the local time zone).
    pub fn set_today(&mut self, today: Date) {
        self.today = today;
        self.workspace_changed(true);
    }

    /// With `false`, `step` trusts the caller to report every change to the workspace made
    /// outside the engine through [`Self::workspace_changed`] (the app does, by its document's
    /// generation), and skips the fingerprint it otherwise computes over every target region.
    pub fn set_detect_changes(&mut self, detect: bool) {
        self.detect = detect;
        self.synced = None;
        self.dirty = true;
    }

    /// Tells the engine that the workspace changed outside it: `edited` for the user's edits
    /// (validation runs again), false for replication commands (retry, cancel, outages).
    pub fn workspace_changed(&mut self, edited: bool) {
        self.dirty = true;
        self.edited |= edited;
        self.synced = None;
    }

    /// Sets what validation keeps from being created (for a caller that validates the
    /// workspace anyway, as the app does after each edit); the engine then does not validate
    /// until the next [`Self::workspace_changed`] with `edited`.
    pub fn set_blocked(&mut self, blocked: Blocked) {
        self.blocked = blocked;
        self.edited = false;
        self.dirty = true;
        self.synced = None;
    }

    /// The simulated instant the engine is at.
    pub fn now(&self) -> f64 {
        self.now
    }

    /// Whether jobs are queued or replicating (or about to start at the next step).
    pub fn has_work(&self) -> bool {
        self.live > 0 || !self.pending.is_empty()
    }

    /// Jobs by state, as of the last step or refresh.
    pub fn counts(&self) -> JobCounts {
        self.counts
    }

    /// The regions the activity panel lists, in document order: every job queued, running,
    /// failed or completed in the simulation, and those waiting for errors to be fixed.
    pub fn listed(&self) -> &[JobKey] {
        &self.listed
    }

    /// The versions and regions waiting for their errors to be fixed.
    pub fn blocked(&self) -> &Blocked {
        &self.blocked
    }

    fn link(&self, source: Region, target: Region) -> Link {
        self.links
            .get(source.index() * CATALOG.len() + target.index())
            .copied()
            .unwrap_or(Link::CrossContinent)
    }

    fn extra_group(&self) -> usize {
        CATALOG.len() * CLASSES
    }

    /// The group of a first copy from `source` into `target`.
    fn first_copy_group(&self, source: Region, target: Region) -> usize {
        let class = remote_index(self.link(source, target)).unwrap_or(LOCAL_CLASS);
        source.index() * CLASSES + class
    }

    /// Whether the group shares its source's outbound throughput.
    fn is_shared(&self, group: usize) -> bool {
        group < self.extra_group() && group % CLASSES != LOCAL_CLASS
    }

    fn local_rate_gb(&self) -> f64 {
        self.model.local_mb_per_sec.max(MIN_MB_PER_SEC) / MB_PER_GB
    }

    /// Sets every group's rate from its members (re-anchoring groups whose rate changes).
    fn set_rates(&mut self) {
        let local = self.local_rate_gb();
        for source in 0..CATALOG.len() {
            let base = source * CLASSES;
            let counts = [0, 1, 2].map(|c| self.groups[base + c].members);
            let rates = share(&self.model, counts).map(|r| r / MB_PER_GB);
            for (c, rate) in rates.into_iter().enumerate() {
                self.set_rate(base + c, rate);
            }
            self.set_rate(base + LOCAL_CLASS, local);
        }
        let extra = self.extra_group();
        self.set_rate(extra, local);
    }

    fn set_rate(&mut self, group: usize, rate: f64) {
        let now = self.now;
        let g = &mut self.groups[group];
        if g.rate_gb.to_bits() != rate.to_bits() {
            if g.members > 0 && g.rate_gb.is_finite() {
                g.reanchor(now);
            }
            g.rate_gb = rate;
        }
    }

    /// After a member joined or left a shared group: the source's three shared groups get their
    /// new rates; every group touched gets its new due time.
    fn reshare(&mut self, group: usize) {
        if self.is_shared(group) {
            let base = group - group % CLASSES;
            let counts = [0, 1, 2].map(|c| self.groups[base + c].members);
            let rates = share(&self.model, counts).map(|r| r / MB_PER_GB);
            for (c, rate) in rates.into_iter().enumerate() {
                self.set_rate(base + c, rate);
                self.update_due(base + c);
            }
        } else {
            self.update_due(group);
        }
    }

    fn update_due(&mut self, group: usize) {
        let g = &self.groups[group];
        let due = match g.points.peek() {
            Some(Reverse((At(point), _))) if g.members > 0 => {
                let due = g.anchor_secs + (point - g.anchor_gb) / g.rate_gb;
                if due.is_nan() {
                    self.now
                } else {
                    due.max(self.now)
                }
            }
            _ => f64::INFINITY,
        };
        self.dues.set(group, due);
    }

    /// Recomputes the engine's tables from the workspace if it changed (or the caller said it
    /// did). `step` does this itself; call it before reading time estimates when no step ran.
    /// The fingerprint covers what replication reads (time model, seed, outages, images,
    /// names, sources, modes, replica counts, statuses); an edit elsewhere that changes what
    /// validation says reaches the engine through [`Self::workspace_changed`]`(true)`.
    pub fn refresh(&mut self, ws: &Workspace) {
        if self.detect {
            let fp = fingerprint(ws);
            if self.synced != Some(fp) {
                self.rebuild(ws);
                self.synced = Some(fp);
            }
        } else if self.dirty {
            self.rebuild(ws);
        }
    }

    /// Builds the jobs, groups and queues from the workspace at its clock.
    fn rebuild(&mut self, ws: &Workspace) {
        let clock = ws.simulation.clock_secs;
        self.now = if clock.is_finite() && clock >= 0.0 {
            clock
        } else {
            0.0
        };
        self.model = ws.settings.time_model.clone();
        self.seed = ws.simulation.seed;
        for flag in &mut self.outage {
            *flag = false;
        }
        for region in &ws.simulation.outages {
            if let Some(flag) = self.outage.get_mut(region.index()) {
                *flag = true;
            }
        }
        if self.edited || self.detect {
            self.blocked = Blocked::of(ws, self.today);
        }
        self.dirty = false;
        self.edited = false;
        self.jobs.clear();
        self.timers.clear();
        self.pending.clear();
        self.pending_report = StepReport::default();
        self.listed.clear();
        self.live = 0;
        self.counts = JobCounts::default();
        for g in &mut self.groups {
            *g = Group::new();
        }
        self.dues.clear();
        // Copies already running, joined to their groups once every group's anchor is known:
        // (job, GB copied, the saved clock).
        let mut copying: Vec<(u32, f64, Option<JobClock>)> = Vec::new();
        let mut anchored = vec![false; self.groups.len()];
        self.add_regions(ws, &mut copying, &mut anchored);
        // Anchors come from the saved clocks (or start now); rates follow the members.
        for &(j, copied, saved) in &copying {
            let job = &self.jobs[j as usize];
            let Phase::Copy(group) = job.phase else {
                continue;
            };
            let g = &self.groups[group as usize];
            let exact = saved.is_some_and(|c| {
                c.group_secs.to_bits() == g.anchor_secs.to_bits()
                    && c.group_gb.to_bits() == g.anchor_gb.to_bits()
                    && c.group_gb_per_sec.to_bits() == g.rate_gb.to_bits()
            });
            let origin = match saved {
                Some(c) if exact => c.origin_gb,
                _ => g.value(self.now) - copied,
            };
            self.jobs[j as usize].origin = origin;
        }
        for &(j, _, _) in &copying {
            if let Phase::Copy(group) = self.jobs[j as usize].phase {
                self.groups[group as usize].members += 1;
            }
        }
        self.set_rates();
        for &(j, copied, _) in &copying {
            self.push_point(j as usize, copied);
        }
        for group in 0..self.groups.len() {
            self.update_due(group);
        }
        self.count();
    }

    /// Every target region of the workspace at rebuild ([`Self::add_region`]), but those Azure
    /// reports.
    fn add_regions(
        &mut self,
        ws: &Workspace,
        copying: &mut Vec<(u32, f64, Option<JobClock>)>,
        anchored: &mut [bool],
    ) {
        // Names compare ignoring ASCII case, as everywhere in the model.
        let images: HashMap<String, (Region, f64)> = ws
            .managed_images
            .iter()
            .map(|m| {
                let size = (m.region, m.occupied_gb.max(0.0));
                (m.name.to_ascii_lowercase(), size)
            })
            .collect();
        let failures = self.model.failure_rate > 0.0;
        // Regions Azure reports replicate in Azure: their state is Azure's (read or polled),
        // never simulated.
        let azure = ws.azure.as_deref();
        for (gi, gallery) in ws.galleries.iter().enumerate() {
            for (di, definition) in gallery.definitions.iter().enumerate() {
                for (vi, version) in definition.versions.iter().enumerate() {
                    let reported = azure
                        .and_then(|s| s.version(&gallery.name, &definition.name, &version.name));
                    let path = (!self.blocked.is_empty()).then(|| {
                        ResourcePath::version(&gallery.name, &definition.name, &version.name)
                    });
                    // A managed image of the workspace, else a source that lives in Azure with
                    // the size its payload gave (never a guessed size).
                    let source = images
                        .get(&version.source.to_ascii_lowercase())
                        .copied()
                        .or_else(|| version.azure_source_size());
                    let shallow = version.replication_mode == ReplicationMode::Shallow;
                    let hash = if failures {
                        fnv1a(&[&gallery.name, &definition.name, &version.name])
                    } else {
                        0
                    };
                    for (ti, target) in version.target_regions.iter().enumerate() {
                        if reported.is_some_and(|v| v.target(target.region).is_some()) {
                            continue;
                        }
                        let key = JobKey {
                            gallery: gi as u32,
                            definition: di as u32,
                            version: vi as u32,
                            target: ti as u32,
                        };
                        let blocked = path
                            .as_ref()
                            .is_some_and(|p| self.blocked.reason(p, target.region).is_some());
                        self.add_region(
                            key,
                            version,
                            target,
                            (source, shallow, hash, blocked),
                            copying,
                            anchored,
                        );
                    }
                }
            }
        }
    }

    /// One target region at rebuild: a job to start, to continue, to trim, or nothing.
    fn add_region(
        &mut self,
        key: JobKey,
        version: &ImageVersion,
        target: &TargetRegion,
        (source, shallow, hash, blocked): (Option<(Region, f64)>, bool, u64, bool),
        copying: &mut Vec<(u32, f64, Option<JobClock>)>,
        anchored: &mut [bool],
    ) {
        let status = &target.status;
        let count = target
            .replicas
            .unwrap_or(version.default_replica_count)
            .max(1);
        let (source_region, size_gb) = source.unwrap_or((target.region, 0.0));
        let mut job = Job {
            key,
            region: target.region,
            source: source_region,
            size_gb,
            count,
            ready: status.ready_replicas(count),
            attempt: status.attempt,
            hash,
            started: self.now,
            phase: Phase::Queued,
            origin: 0.0,
            fail_at: None,
        };
        let index = self.jobs.len() as u32;
        let mut start = None;
        match status.state {
            RegionState::Failed => {
                self.listed.push(key);
                self.counts.failed += 1;
                return;
            }
            RegionState::Unknown => {
                self.listed.push(key);
                if blocked {
                    self.counts.waiting += 1;
                    return;
                }
                job.ready = 0;
                start = Some(Pending::Start(index));
            }
            RegionState::Completed => {
                let ready = job.ready;
                if status.elapsed_secs > 0.0 || status.replicas_ready.is_some() {
                    self.listed.push(key);
                }
                if ready >= count {
                    if (ready > count || status.replicas_ready.is_some()) && !blocked {
                        self.pending.push(Pending::Trim(key));
                    }
                    return;
                }
                if blocked {
                    self.counts.waiting += 1;
                    return;
                }
                start = Some(Pending::Raise(index));
            }
            RegionState::Queued | RegionState::Replicating => {
                self.listed.push(key);
                job.started = match status.clock {
                    Some(c) => c.started_secs,
                    None => self.now - status.elapsed_secs.max(0.0),
                };
            }
        }
        let fresh = start.is_some();
        if let Some(pending) = start {
            self.pending.push(pending);
            self.pending_report.started += 1;
        }
        // What the service would refuse at once.
        let failure = if source.is_none() {
            Some(Failure::MissingSource)
        } else if self
            .outage
            .get(job.region.index())
            .copied()
            .unwrap_or(false)
        {
            Some(Failure::TargetOutage)
        } else if job.ready == 0
            && self
                .outage
                .get(job.source.index())
                .copied()
                .unwrap_or(false)
        {
            Some(Failure::SourceOutage(job.source))
        } else {
            None
        };
        if let Some(failure) = failure {
            job.phase = Phase::Done;
            self.jobs.push(job);
            self.pending.push(Pending::Fail(index, failure));
            return;
        }
        self.live += 1;
        if shallow {
            job.phase = Phase::Shallow;
            let due = job.started + self.model.shallow_secs.max(0.0);
            self.timers.push(Reverse((At(due.max(self.now)), index)));
        } else if status.state == RegionState::Queued || status.state == RegionState::Unknown {
            let due = job.started + self.model.queue_secs.max(0.0);
            self.timers.push(Reverse((At(due.max(self.now)), index)));
        } else if job.ready >= count {
            // Replicating with every replica in place (a hand-edited file): completes now.
            self.timers.push(Reverse((At(self.now), index)));
            job.phase = Phase::Queued;
            job.ready = count;
        } else {
            let (group, copied) = if job.ready == 0 {
                let group = self.first_copy_group(job.source, job.region);
                let mut copied = status.copied_gb;
                if copied == 0.0 && status.progress > 0 {
                    // A file written before the engine kept `copied_gb`: resume from its percent.
                    let done = (f64::from(status.progress) / 100.0 * f64::from(count)).min(1.0);
                    copied = done * size_gb;
                }
                (group, copied)
            } else if fresh {
                (self.extra_group(), 0.0)
            } else {
                (self.extra_group(), status.local_copied_gb)
            };
            job.phase = Phase::Copy(group as u32);
            let saved = if fresh { None } else { status.clock };
            if !anchored[group] {
                anchored[group] = true;
                let g = &mut self.groups[group];
                match saved.filter(|c| c.group_gb_per_sec > 0.0) {
                    Some(c) => {
                        g.anchor_secs = c.group_secs;
                        g.anchor_gb = c.group_gb;
                        g.rate_gb = c.group_gb_per_sec;
                    }
                    None => {
                        g.anchor_secs = self.now;
                        g.anchor_gb = 0.0;
                    }
                }
            }
            copying.push((index, copied.clamp(0.0, size_gb), saved));
        }
        self.jobs.push(job);
    }

    /// Puts a copying job's next point (finish, or failure) into its group's heap.
    fn push_point(&mut self, j: usize, copied: f64) {
        let job = &mut self.jobs[j];
        let Phase::Copy(group) = job.phase else {
            return;
        };
        let finish = job.origin + job.size_gb;
        job.fail_at = None;
        let mut point = finish;
        if job.ready == 0
            && let Some(fraction) = failure_point(
                self.seed,
                job.hash,
                job.region.index(),
                job.attempt,
                self.model.failure_rate,
            )
        {
            let fail_gb = fraction * job.size_gb;
            if copied < fail_gb {
                job.fail_at = Some(fraction);
                point = job.origin + fail_gb;
            }
        }
        self.groups[group as usize]
            .points
            .push(Reverse((At(point), j as u32)));
    }

    /// A job joins a group at the current instant with `copied` GB already in place.
    fn join(&mut self, j: usize, group: usize, copied: f64) {
        let now = self.now;
        let g = &mut self.groups[group];
        if g.members == 0 {
            // A group that starts again starts its clock again: its state depends only on what
            // happens from here, not on its history.
            g.anchor_secs = now;
            g.anchor_gb = 0.0;
        }
        let origin = g.value(now) - copied;
        g.members += 1;
        let job = &mut self.jobs[j];
        job.origin = origin;
        job.phase = Phase::Copy(group as u32);
        self.push_point(j, copied);
        self.reshare(group);
    }

    /// Processes every event up to `until`.
    fn run_events(&mut self, ws: &mut Workspace, until: f64, report: &mut StepReport) {
        loop {
            let timer = self
                .timers
                .peek()
                .map_or(f64::INFINITY, |Reverse((t, _))| t.0);
            let (due, group) = self.dues.first();
            let t = timer.min(due);
            if t > until || t == f64::INFINITY || t.is_nan() {
                break;
            }
            self.now = self.now.max(t);
            if timer <= due {
                if let Some(Reverse((_, j))) = self.timers.pop() {
                    self.timer_event(ws, j as usize, report);
                }
            } else {
                self.group_event(ws, group, report);
            }
        }
    }

    fn timer_event(&mut self, ws: &mut Workspace, j: usize, report: &mut StepReport) {
        let job = &self.jobs[j];
        match job.phase {
            Phase::Shallow => self.complete(ws, j, report),
            Phase::Queued => {
                let (ready, count) = (job.ready, job.count);
                if ready == 0 {
                    let group = self.first_copy_group(job.source, job.region);
                    self.join(j, group, 0.0);
                } else if ready < count {
                    self.join(j, self.extra_group(), 0.0);
                } else {
                    self.complete(ws, j, report);
                }
            }
            Phase::Copy(_) | Phase::Done => {}
        }
    }

    fn group_event(&mut self, ws: &mut Workspace, group: usize, report: &mut StepReport) {
        let now = self.now;
        let g = &mut self.groups[group];
        let Some(Reverse((At(point), j))) = g.points.pop() else {
            self.dues.set(group, f64::INFINITY);
            return;
        };
        // The clock is exactly at the member's point now.
        g.anchor_secs = now;
        g.anchor_gb = point;
        g.members = g.members.saturating_sub(1);
        let j = j as usize;
        let job = &mut self.jobs[j];
        if job.ready == 0
            && let Some(fraction) = job.fail_at
        {
            let percent = percent(fraction / f64::from(job.count));
            let failure = Failure::Interrupted {
                percent,
                attempt: job.attempt + 1,
            };
            job.phase = Phase::Done;
            self.live -= 1;
            let copied = fraction * job.size_gb;
            self.write_failure(ws, j, failure, copied, report);
            self.reshare(group);
            return;
        }
        if job.ready == 0 {
            job.ready = 1;
        } else {
            job.ready = job.count;
        }
        let more = job.ready < job.count;
        self.reshare(group);
        if more {
            self.join(j, self.extra_group(), 0.0);
        } else {
            self.complete(ws, j, report);
        }
    }

    fn complete(&mut self, ws: &mut Workspace, j: usize, report: &mut StepReport) {
        let now = self.now;
        let job = &mut self.jobs[j];
        job.phase = Phase::Done;
        job.ready = job.count;
        self.live -= 1;
        report.completed += 1;
        if let Some(t) = target_mut(ws, job.key) {
            let status = &mut t.status;
            status.state = RegionState::Completed;
            status.progress = 100;
            status.copied_gb = 0.0;
            status.local_copied_gb = 0.0;
            status.replicas_ready = None;
            status.details.clear();
            status.elapsed_secs = now - job.started;
            status.clock = None;
        }
    }

    fn write_failure(
        &mut self,
        ws: &mut Workspace,
        j: usize,
        failure: Failure,
        copied: f64,
        report: &mut StepReport,
    ) {
        let now = self.now;
        let job = &self.jobs[j];
        report.failed += 1;
        self.counts.failed += 1;
        let Some((path, source_image, image_exists)) = version_of(ws, job.key) else {
            return;
        };
        let Some(t) = target_mut(ws, job.key) else {
            return;
        };
        let status = &mut t.status;
        let local = if job.ready > 0 {
            status.local_copied_gb
        } else {
            0.0
        };
        status.copied_gb = if job.ready > 0 { 0.0 } else { copied };
        status.progress = progress(job.ready, job.count, job.size_gb, copied, local);
        status.replicas_ready = (job.ready > 0).then_some(job.ready);
        status.state = RegionState::Failed;
        status.elapsed_secs = now - job.started;
        status.clock = None;
        status.details = describe_failure(
            failure,
            &path,
            job.region,
            image_exists.then_some(job.source),
            &source_image,
        );
    }

    /// Writes what a rebuild found: new jobs, raised and lowered replica counts, refusals.
    fn apply_pending(&mut self, ws: &mut Workspace, report: &mut StepReport) -> bool {
        let pending = std::mem::take(&mut self.pending);
        let changed = !pending.is_empty();
        for item in pending {
            match item {
                Pending::Start(j) => {
                    if let Some(t) = target_mut(ws, self.jobs[j as usize].key) {
                        t.status = ReplicaStatus {
                            state: RegionState::Queued,
                            attempt: t.status.attempt,
                            ..ReplicaStatus::default()
                        };
                    }
                }
                Pending::Raise(j) => {
                    let job = &self.jobs[j as usize];
                    if let Some(t) = target_mut(ws, job.key) {
                        let status = &mut t.status;
                        status.state = RegionState::Replicating;
                        status.replicas_ready = Some(job.ready);
                        status.copied_gb = 0.0;
                        status.local_copied_gb = 0.0;
                        status.elapsed_secs = 0.0;
                        status.details.clear();
                        status.clock = None;
                    }
                }
                Pending::Trim(key) => {
                    if let Some(t) = target_mut(ws, key) {
                        t.status.replicas_ready = None;
                    }
                    report.trimmed += 1;
                }
                Pending::Fail(j, failure) => {
                    let j = j as usize;
                    let copied =
                        target_mut(ws, self.jobs[j].key).map_or(0.0, |t| t.status.copied_gb);
                    self.write_failure(ws, j, failure, copied, report);
                }
            }
        }
        changed
    }

    /// Advances simulated time by `dt_secs`: every event up to then happens, in order, and the
    /// running jobs' positions are written into the workspace. The clock stops when the last
    /// job settles: a step longer than the work left ends at that instant.
    pub fn step(&mut self, ws: &mut Workspace, dt_secs: f64) -> StepReport {
        let dt = if dt_secs.is_nan() {
            0.0
        } else {
            dt_secs.max(0.0)
        };
        self.refresh(ws);
        let mut report = std::mem::take(&mut self.pending_report);
        let wrote = self.apply_pending(ws, &mut report);
        let had_work = self.live > 0;
        let start = self.now;
        let until = start + dt;
        self.run_events(ws, until, &mut report);
        if self.live > 0 && until.is_finite() {
            self.now = until;
        }
        if self.now != start {
            ws.simulation.clock_secs = self.now;
        }
        self.materialize(ws);
        report.running = self.live;
        report.waiting = self.counts.waiting as u32;
        report.changed = wrote || had_work;
        if self.detect {
            self.synced = Some(fingerprint(ws));
        }
        report
    }

    /// Writes every running job's position at the current instant into the workspace.
    fn materialize(&mut self, ws: &mut Workspace) {
        let now = self.now;
        let shallow_secs = self.model.shallow_secs.max(0.0);
        for job in &self.jobs {
            if !job.live() {
                continue;
            }
            let Some(t) = target_mut(ws, job.key) else {
                continue;
            };
            let status = &mut t.status;
            status.elapsed_secs = now - job.started;
            let mut clock = JobClock {
                started_secs: job.started,
                ..JobClock::default()
            };
            match job.phase {
                Phase::Queued => status.state = RegionState::Queued,
                Phase::Shallow => {
                    status.state = RegionState::Replicating;
                    status.progress = if shallow_secs > 0.0 {
                        percent(status.elapsed_secs / shallow_secs)
                    } else {
                        0
                    };
                }
                Phase::Copy(group) => {
                    let g = &self.groups[group as usize];
                    let done = (g.value(now) - job.origin).clamp(0.0, job.size_gb);
                    clock.origin_gb = job.origin;
                    clock.group_secs = g.anchor_secs;
                    clock.group_gb = g.anchor_gb;
                    clock.group_gb_per_sec = g.rate_gb;
                    status.state = RegionState::Replicating;
                    if job.ready == 0 {
                        status.copied_gb = done;
                        status.local_copied_gb = 0.0;
                        status.replicas_ready = None;
                        status.progress = progress(0, job.count, job.size_gb, done, 0.0);
                    } else {
                        status.copied_gb = 0.0;
                        status.local_copied_gb = done;
                        status.replicas_ready = Some(job.ready);
                        status.progress =
                            progress(job.ready, job.count, job.size_gb, job.size_gb, done);
                    }
                }
                Phase::Done => {}
            }
            status.clock = Some(clock);
        }
        self.count();
    }

    /// Queued and replicating jobs (failed and waiting ones are counted as they happen).
    fn count(&mut self) {
        let (mut queued, mut replicating) = (0, 0);
        for job in &self.jobs {
            match job.phase {
                Phase::Queued => queued += 1,
                Phase::Shallow | Phase::Copy(_) => replicating += 1,
                Phase::Done => {}
            }
        }
        self.counts.queued = queued;
        self.counts.replicating = replicating;
    }

    /// Simulated seconds left for a region's job at the current throughputs (as of the last
    /// step or refresh); `None` when the region has no job (Completed or Failed).
    pub fn remaining_secs(
        &self,
        ws: &Workspace,
        version: &ImageVersion,
        target: &TargetRegion,
    ) -> Option<f64> {
        let model = &ws.settings.time_model;
        let count = version.replica_count(target).max(1);
        let status = &target.status;
        let (source, occupied_gb) = ws
            .source_size(version)
            .known()
            .map(|(region, gb)| (region, gb.max(0.0)))?;
        let (queued, fresh) = match status.state {
            RegionState::Failed => return None,
            RegionState::Completed if status.ready_replicas(count) >= count => return None,
            RegionState::Completed => (false, false),
            RegionState::Unknown => (true, true),
            RegionState::Queued => (true, false),
            RegionState::Replicating => (false, false),
        };
        let elapsed = if fresh { 0.0 } else { status.elapsed_secs };
        if version.replication_mode == ReplicationMode::Shallow {
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
        let local_mb = model.local_mb_per_sec.max(MIN_MB_PER_SEC);
        if ready == 0 {
            let copied = if fresh {
                0.0
            } else if status.copied_gb == 0.0 && status.progress > 0 {
                (f64::from(status.progress) / 100.0 * f64::from(count)).min(1.0) * occupied_gb
            } else {
                status.copied_gb
            };
            let group = self.first_copy_group(source, target.region);
            let rate = self
                .groups
                .get(group)
                .map(|g| g.rate_gb * MB_PER_GB)
                .filter(|r| r.is_finite() && *r > 0.0)
                .unwrap_or(local_mb);
            secs += (occupied_gb - copied).max(0.0) * MB_PER_GB / rate;
        }
        if ready < count {
            let done = if ready == 0 || fresh {
                0.0
            } else {
                status.local_copied_gb
            };
            if count > 1 {
                secs += (occupied_gb - done).max(0.0) * MB_PER_GB / local_mb;
            }
        }
        Some(secs)
    }

    /// The activity row of a listed region (see [`Self::listed`]).
    pub fn row(&self, ws: &Workspace, key: JobKey) -> Option<JobRow> {
        let gallery = ws.galleries.get(key.gallery as usize)?;
        let definition = gallery.definitions.get(key.definition as usize)?;
        let version = definition.versions.get(key.version as usize)?;
        let target = version.target_regions.get(key.target as usize)?;
        let path = ResourcePath::version(&gallery.name, &definition.name, &version.name);
        let status = &target.status;
        let count = version.replica_count(target).max(1);
        let waiting = (status.state == RegionState::Unknown
            || (status.state == RegionState::Completed && status.ready_replicas(count) < count))
            .then(|| self.blocked.details(&path, target.region))
            .flatten();
        Some(JobRow {
            region: target.region,
            state: status.state,
            progress: status.progress,
            remaining_secs: if waiting.is_some() {
                None
            } else {
                self.remaining_secs(ws, version, target)
            },
            details: waiting.clone().unwrap_or_else(|| status.details.clone()),
            waiting: waiting.is_some(),
            elapsed_secs: status.elapsed_secs,
            replicas_ready: status.ready_replicas(count),
            replica_count: count,
            path,
        })
    }
}

fn target_mut(ws: &mut Workspace, key: JobKey) -> Option<&mut TargetRegion> {
    ws.galleries
        .get_mut(key.gallery as usize)?
        .definitions
        .get_mut(key.definition as usize)?
        .versions
        .get_mut(key.version as usize)?
        .target_regions
        .get_mut(key.target as usize)
}

/// The version's path, why its source cannot be used (the end of a sentence), and whether
/// the source's size and region are known.
fn version_of(ws: &Workspace, key: JobKey) -> Option<(ResourcePath, String, bool)> {
    let g = ws.galleries.get(key.gallery as usize)?;
    let d = g.definitions.get(key.definition as usize)?;
    let v = d.versions.get(key.version as usize)?;
    let exists = ws.source_size(v).known().is_some();
    Some((
        ResourcePath::version(&g.name, &d.name, &v.name),
        v.unresolved_source(),
        exists,
    ))
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
fn progress(ready: u32, count: u32, size_gb: f64, copied_gb: f64, local_gb: f64) -> u8 {
    if size_gb <= 0.0 {
        return percent(f64::from(ready) / f64::from(count));
    }
    let done_gb = if ready == 0 {
        copied_gb
    } else {
        size_gb * f64::from(ready) + local_gb * f64::from(count.saturating_sub(ready))
    };
    percent(done_gb / (size_gb * f64::from(count)))
}

fn describe_failure(
    failure: Failure,
    path: &ResourcePath,
    region: Region,
    source: Option<Region>,
    source_image: &str,
) -> String {
    // The reason first: a cut cell still says what went wrong and what to do.
    match failure {
        Failure::TargetOutage => format!(
            "{region} is unavailable (simulated outage): retry once it is back. Replication of {path} to {region} failed"
        ),
        Failure::SourceOutage(source) => format!(
            "The source region {source} is unavailable (simulated outage): retry once it is back. Replication of {path} to {region} failed"
        ),
        Failure::Interrupted { percent, attempt } => format!(
            "The copy from {} was interrupted at {percent} % (simulated failure, attempt {attempt}): retry to copy again. Replication of {path} to {region} failed",
            source.map_or_else(|| "the source".to_owned(), |s| s.to_string())
        ),
        Failure::MissingSource => {
            format!("Cannot start: {source_image}. Replication of {path} to {region} did not start")
        }
    }
}

/// Whether any region has work left (queued, replicating, new, or a changed replica count),
/// from the data alone (regions waiting for validation errors to be fixed count too; the engine's
/// [`Engine::has_work`] leaves those out).
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
    /// Not created: the version or region has validation errors (`details` says which).
    pub waiting: bool,
    /// Simulated seconds left at the current throughputs; `None` when settled or waiting.
    pub remaining_secs: Option<f64>,
    /// Simulated seconds the job has taken so far (or took).
    pub elapsed_secs: f64,
    pub replicas_ready: u32,
    pub replica_count: u32,
}

/// The jobs of a workspace as of the engine's last step or refresh: queued, replicating and
/// failed ones, completed ones that ran in the simulation, and those waiting for errors to be
/// fixed, in document order.
pub fn jobs(ws: &Workspace, engine: &Engine) -> Vec<JobRow> {
    engine
        .listed()
        .iter()
        .filter_map(|key| engine.row(ws, *key))
        .collect()
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

    #[test]
    fn the_due_tree_finds_the_earliest_group_and_breaks_ties_by_index() {
        let mut dues = Dues::new(5);
        assert_eq!(dues.first().0, f64::INFINITY);
        dues.set(3, 10.0);
        dues.set(1, 12.0);
        assert_eq!(dues.first(), (10.0, 3));
        dues.set(4, 10.0);
        assert_eq!(dues.first(), (10.0, 3));
        dues.set(3, f64::INFINITY);
        assert_eq!(dues.first(), (10.0, 4));
        dues.clear();
        assert_eq!(dues.first().0, f64::INFINITY);
    }
}
