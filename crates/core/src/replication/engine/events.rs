//! Running the events (queue ends, copies finishing or failing, shallow completions) and
//! writing the jobs back into the workspace.

use std::cmp::Reverse;

use crate::model::{
    JobClock, Region, RegionState, ReplicaStatus, ResourcePath, TargetRegion, Workspace,
};

use super::{At, Engine, Failure, JobKey, Pending, Phase, StepReport};

impl Engine {
    /// Processes every event up to `until`.
    pub(super) fn run_events(&mut self, ws: &mut Workspace, until: f64, report: &mut StepReport) {
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
    pub(super) fn apply_pending(&mut self, ws: &mut Workspace, report: &mut StepReport) -> bool {
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

    /// Writes every running job's position at the current instant into the workspace.
    pub(super) fn materialize(&mut self, ws: &mut Workspace) {
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
    pub(super) fn count(&mut self) {
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

pub(super) fn percent(fraction: f64) -> u8 {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_stays_below_100_until_done() {
        assert_eq!(percent(0.999), 99);
        assert_eq!(percent(1.5), 99);
        assert_eq!(percent(-1.0), 0);
        assert_eq!(percent(0.425), 42);
    }
}
