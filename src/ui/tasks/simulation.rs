//! Drives the replication simulation from the app: the engine, the clock thread, the speed
//! control, and what the user can do to running jobs (retry, cancel, outages).
//!
//! Replication status is the service's doing, not a user edit: engine steps, retries, cancels
//! and outages change the workspace through [`crate::document::Document::service_change`],
//! without an undo step; it marks the document unsaved (the file would now save different
//! progress) and bumps the generation caches follow. Steps happen before a frame is drawn
//! (`eframe::App::logic`), never while a panel draws.
//!
//! The clock thread ([`Runner`]) starts only in the desktop app, lazily, when there is work and
//! the speed is not Paused; it wakes the UI with `request_repaint` after each tick and sends no
//! ticks while nothing runs, so an idle app draws nothing. Tests and screenshots advance
//! simulated time themselves with [`SigStudioApp::advance_simulation`].

use crate::model::{ImageVersion, Region, RegionState, ResourcePath, TargetRegion, Workspace};
use crate::replication::Speed;
use crate::replication::{Engine, JobCounts};
use crate::ui::tasks::replication_clock::Runner;

/// The speed the app starts with: 60× makes the 20 minutes of a typical first copy take 20 s.
pub const DEFAULT_SPEED: Speed = Speed::X60;

/// The app's simulation state.
pub struct Simulation {
    pub engine: Engine,
    pub(in crate::ui) runner: Option<Runner>,
    /// Whether a clock thread may start (the desktop app only).
    pub(in crate::ui) clock: bool,
    pub speed: Speed,
    /// The document generation the engine's tables match: bumped by the engine's own steps
    /// (then set again here), by edits and by replication out (then the engine rebuilds).
    pub(in crate::ui) seen: Option<u64>,
    /// The edit generation the engine last validated the workspace at.
    pub(in crate::ui) seen_edit: Option<u64>,
    /// Bumps whenever a region may have started or stopped failing other than by the user's
    /// edits: a step that failed jobs, a replication command, another document. With the edit
    /// generation it tells when the failed regions must be gathered again (not on every step).
    pub failures: u64,
}

impl Simulation {
    /// The simulation of a window whose validation judges end-of-life dates against `today`.
    pub fn new(today: crate::model::Date) -> Self {
        let mut engine = Engine::new(today);
        // The app reports every change through the document's generations.
        engine.set_detect_changes(false);
        Self {
            engine,
            runner: None,
            clock: false,
            speed: DEFAULT_SPEED,
            seen: None,
            seen_edit: None,
            failures: 0,
        }
    }
}

impl Simulation {
    /// The document was replaced (or what validation says changed): the engine rebuilds and
    /// takes the validation again at the next frame.
    pub(in crate::ui) fn forget_document(&mut self) {
        self.seen = None;
        self.seen_edit = None;
        self.failures += 1;
    }

    pub fn has_work(&self) -> bool {
        self.engine.has_work()
    }

    /// Jobs by state, for the status bar and the activity panel.
    pub fn counts(&self) -> JobCounts {
        self.engine.counts()
    }
}

/// Live replication status for the version editor: the stored version (the draft's status may
/// be older) and the engine's time estimates.
pub struct Live<'a> {
    pub ws: &'a Workspace,
    pub engine: &'a Engine,
    /// The simulation's speed, which its times are labelled with.
    pub speed: Speed,
    pub version: Option<&'a ImageVersion>,
}

impl<'a> Live<'a> {
    /// The live status of the version at `path` (of nothing, for another resource).
    pub fn new(cx: &crate::ui::view::ViewCx<'a>, path: &ResourcePath) -> Self {
        let version = match path {
            ResourcePath::Version(g, d, v) => cx
                .ws
                .gallery(g)
                .and_then(|g| g.definition(d))
                .and_then(|d| d.version(v)),
            _ => None,
        };
        Self {
            ws: cx.ws,
            engine: &cx.simulation.engine,
            speed: cx.simulation.speed,
            version,
        }
    }

    pub fn target(&self, region: Region) -> Option<&'a TargetRegion> {
        self.version.and_then(|v| v.target(region))
    }

    pub fn remaining_secs(&self, target: &TargetRegion) -> Option<f64> {
        let version = self.version?;
        self.engine.remaining_secs(self.ws, version, target)
    }

    /// Why a region that has not started waits: its version or the region has validation
    /// errors, so the service would not create it ([`crate::replication::NOT_CREATED`]).
    pub fn waiting(&self, path: &ResourcePath, target: &TargetRegion) -> Option<String> {
        let version = self.version?;
        let count = version.replica_count(target).max(1);
        let status = &target.status;
        let not_started = status.state == RegionState::Unknown
            || (status.state == RegionState::Completed && status.ready_replicas(count) < count);
        if not_started {
            self.engine.blocked().details(path, target.region)
        } else {
            None
        }
    }
}
