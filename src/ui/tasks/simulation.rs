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
//! the speed is not Paused, and sends no ticks while nothing runs. While it runs, the app asks
//! for a frame every [`PROGRESS_FRAME_INTERVAL`] (twice a
//! second) to show progress; with nothing running it asks for none, so an idle app draws nothing. Tests and screenshots advance
//! simulated time themselves with [`SigStudioApp::advance_simulation`].

use crate::model::{
    ImageVersion, Region, RegionState, Resource, ResourcePath, TargetRegion, Workspace,
};
use crate::replication::Speed;
use crate::replication::{Engine, JobCounts};
use crate::ui::tasks::replication_clock::Runner;

/// Wall-clock time between the frames that show replication progress when nothing else asks
/// for one: twice a second (issue 23: at the clock's rate, a window drawn in software used more
/// than a core while copies ran).
pub const PROGRESS_FRAME_INTERVAL: std::time::Duration = std::time::Duration::from_millis(500);

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
/// be older), the engine's time estimates, and Azure's state of the regions Azure reports.
pub struct Live<'a> {
    pub ws: &'a Workspace,
    pub engine: &'a Engine,
    /// The simulation's speed, which its times are labelled with.
    pub speed: Speed,
    pub version: Option<&'a ImageVersion>,
    /// The version as Azure last reported it (its regions' state is Azure's, never
    /// simulated), and when that was read.
    pub azure: Option<(&'a ImageVersion, Option<jiff::Timestamp>)>,
    /// "Now", for the age of Azure's state.
    pub now: jiff::Timestamp,
}

/// Whose replication state a region shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateSource {
    /// Azure's, read at this time (`None`: not known, e.g. imported JSON).
    Azure(Option<jiff::Timestamp>),
    /// The replication simulation's (a planned region).
    Simulated,
}

impl StateSource {
    /// "Azure, 2 min ago", "Azure", "simulated": said beside each region's state.
    pub fn label(self, now: jiff::Timestamp) -> String {
        match self {
            Self::Azure(Some(at)) => format!("Azure, {}", crate::ui::tasks::azure::ago(now, at)),
            Self::Azure(None) => "Azure".to_owned(),
            Self::Simulated => "simulated".to_owned(),
        }
    }

    /// The label's hover: what the state is and where it comes from.
    pub fn explain(self) -> &'static str {
        match self {
            Self::Azure(_) => {
                "Azure's replication state, as last read (connected, it is read again every 45 s while the version replicates). The simulation never moves it."
            }
            Self::Simulated => {
                "Simulated: Azure does not have this region (yet). The replication simulation estimates its progress (Simulation menu)."
            }
        }
    }
}

impl<'a> Live<'a> {
    /// The live status of the version at `path` (of nothing, for another resource).
    pub fn new(cx: &crate::ui::view::ViewCx<'a>, path: &ResourcePath) -> Self {
        let version = cx.ws.resolve(path).and_then(Resource::version);
        let azure = match (path, &cx.ws.azure) {
            (ResourcePath::Version(g, d, v), Some(seen)) => seen
                .version(g, d, v)
                .map(|found| (found, cx.azure.seen_at(seen, path))),
            _ => None,
        };
        Self {
            ws: cx.ws,
            engine: &cx.simulation.engine,
            speed: cx.simulation.speed,
            version,
            azure,
            now: cx.azure.now(),
        }
    }

    /// The region's state: Azure's where Azure reports the region, else the stored version's.
    pub fn target(&self, region: Region) -> Option<&'a TargetRegion> {
        self.azure
            .and_then(|(v, _)| v.target(region))
            .or_else(|| self.version.and_then(|v| v.target(region)))
    }

    /// Whose state the region shows.
    pub fn source(&self, region: Region) -> StateSource {
        match self.azure {
            Some((v, at)) if v.target(region).is_some() => StateSource::Azure(at),
            _ => StateSource::Simulated,
        }
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
