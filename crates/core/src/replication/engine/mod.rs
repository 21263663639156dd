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

//!
//! By role: this module holds the engine's state, its groups and their rates, and `step`;
//! `build` builds the jobs from the workspace (and fingerprints it), `events` runs the events
//! and writes the jobs back, `report` is what callers read (reports, counts, rows, blocked
//! versions).

mod build;
mod events;
mod report;

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use crate::model::region::CATALOG;
use crate::model::time_model::Link;
use crate::model::{Date, Region, TimeModel, Workspace};

pub use report::{Blocked, JobCounts, JobKey, JobRow, StepReport, has_work, jobs};

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

    /// Every group without a due time (in one pass up the tree, not one per group).
    fn clear(&mut self) {
        for node in &mut self.nodes[self.leaves..] {
            node.0 = At(f64::INFINITY);
        }
        for k in (1..self.leaves).rev() {
            self.nodes[k] = self.nodes[2 * k].min(self.nodes[2 * k + 1]);
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

    /// The rate (GB/s) of a first copy in `group`: the group's own when the copy runs in it;
    /// for one not started yet, the share it will get once it joins its source's copies (an
    /// empty group's rate is what the running copies leave it, down to next to nothing).
    pub(super) fn first_copy_rate(&self, group: usize, running: bool) -> f64 {
        if running || !self.is_shared(group) {
            return self.groups[group].rate_gb;
        }
        let (base, class) = (group - group % CLASSES, group % CLASSES);
        let mut counts = [0, 1, 2].map(|c| self.groups[base + c].members);
        counts[class] += 1;
        share(&self.model, counts)[class] / MB_PER_GB
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
            let fp = build::fingerprint(ws);
            if self.synced != Some(fp) {
                self.rebuild(ws);
                self.synced = Some(fp);
            }
        } else if self.dirty {
            self.rebuild(ws);
        }
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
            self.synced = Some(build::fingerprint(ws));
        }
        report
    }
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
