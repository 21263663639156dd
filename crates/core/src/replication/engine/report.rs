//! What callers read of the engine: the report of a step, jobs by state, the versions that
//! wait for their errors to be fixed, the activity rows and the time left.

use std::collections::HashMap;

use crate::model::{
    Date, ImageVersion, Problem, Region, RegionState, ReplicationMode, ResourcePath, Severity,
    TargetRegion, Workspace, validate,
};

use super::{Engine, MB_PER_GB, MIN_MB_PER_SEC, NOT_CREATED};

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

impl Engine {
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
            let rate = Some(group)
                .filter(|g| *g < self.groups.len())
                .map(|g| self.first_copy_rate(g, !queued) * MB_PER_GB)
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
