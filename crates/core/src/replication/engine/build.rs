//! Building the engine's tables from the workspace: a job for each target region with work
//! left, copies joined to their groups at the saved clocks; and the fingerprint that tells when
//! the workspace changed between steps.

use std::cmp::Reverse;
use std::collections::HashMap;

use crate::model::{
    ImageVersion, JobClock, Region, RegionState, ReplicaStatus, ReplicationMode, ResourcePath,
    TargetRegion, Workspace,
};

use super::super::rng::{failure_point, fnv1a};
use super::{
    At, Blocked, Engine, Failure, Group, Job, JobCounts, JobKey, Pending, Phase, StepReport,
};

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

pub(super) fn fingerprint(ws: &Workspace) -> u64 {
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

impl Engine {
    /// Builds the jobs, groups and queues from the workspace at its clock.
    pub(super) fn rebuild(&mut self, ws: &Workspace) {
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
        // The rest were cleared above (a group without members is never due).
        for group in 0..self.groups.len() {
            if self.groups[group].members > 0 {
                self.update_due(group);
            }
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
                (
                    m.name.to_ascii_lowercase(),
                    crate::replication::source_of(m),
                )
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
        if let Some(failure) = self.refusal(source.is_some(), &job) {
            job.phase = Phase::Done;
            self.jobs.push(job);
            self.pending.push(Pending::Fail(index, failure));
            return;
        }
        if shallow {
            job.phase = Phase::Shallow;
        }
        self.schedule(job, index, status, fresh, copying, anchored);
    }

    /// What the service would refuse at once: a missing source, an outage at either end.
    fn refusal(&self, source_known: bool, job: &Job) -> Option<Failure> {
        let out = |region: Region| self.outage.get(region.index()).copied().unwrap_or(false);
        if !source_known {
            Some(Failure::MissingSource)
        } else if out(job.region) {
            Some(Failure::TargetOutage)
        } else if job.ready == 0 && out(job.source) {
            Some(Failure::SourceOutage(job.source))
        } else {
            None
        }
    }

    /// A job that runs (its phase is Shallow for a shallow replication): a timer (the queue's
    /// end, a shallow completion) or a place in a group, anchored at the saved clock of the
    /// first of its members.
    fn schedule(
        &mut self,
        mut job: Job,
        index: u32,
        status: &ReplicaStatus,
        fresh: bool,
        copying: &mut Vec<(u32, f64, Option<JobClock>)>,
        anchored: &mut [bool],
    ) {
        let (count, size_gb) = (job.count, job.size_gb);
        self.live += 1;
        if job.phase == Phase::Shallow {
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
    pub(super) fn join(&mut self, j: usize, group: usize, copied: f64) {
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
}
