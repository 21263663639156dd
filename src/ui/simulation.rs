//! Drives the replication simulation from the app: the engine, the clock thread, the speed
//! control, and what the user can do to running jobs (retry, cancel, outages).
//!
//! Replication status is the service's doing, not a user edit: engine steps, retries, cancels
//! and outages change the workspace through [`super::document::Document::service_change`],
//! without an undo step; it marks the document unsaved (the file would now save different
//! progress) and bumps the generation caches follow. Steps happen before a frame is drawn
//! (`eframe::App::logic`), never while a panel draws.
//!
//! The clock thread ([`Runner`]) starts only in the desktop app, lazily, when there is work and
//! the speed is not Paused; it wakes the UI with `request_repaint` after each tick and sends no
//! ticks while nothing runs, so an idle app draws nothing. Tests and screenshots advance
//! simulated time themselves with [`SigStudioApp::advance_simulation`].

use egui::{RichText, Ui};

use super::command::Command;
pub use super::command::ReplicationCommand;
use crate::model::{ImageVersion, Region, RegionState, TargetRegion, Workspace};
use crate::replication::runner::{Runner, Speed};
use crate::replication::{self, Engine, JobRow};

/// The speed the app starts with: 60× makes the 20 minutes of a typical first copy take 20 s.
pub const DEFAULT_SPEED: Speed = Speed::X60;

/// The longest single engine step when time is advanced in bulk (shared throughputs are
/// measured at the start of each step, so long steps would be coarse).
pub(super) const MAX_STEP_SECS: f64 = 60.0;

/// Jobs by state, for the status bar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JobCounts {
    pub queued: usize,
    pub replicating: usize,
    pub failed: usize,
}

impl JobCounts {
    fn of(ws: &Workspace) -> Self {
        let mut counts = Self::default();
        for (_, _, version) in ws.versions() {
            for target in &version.target_regions {
                match target.status.state {
                    RegionState::Queued | RegionState::Unknown => counts.queued += 1,
                    RegionState::Replicating => counts.replicating += 1,
                    RegionState::Completed if target.status.replicas_ready.is_some() => {
                        counts.replicating += 1;
                    }
                    RegionState::Failed => counts.failed += 1,
                    RegionState::Completed => {}
                }
            }
        }
        counts
    }
}

/// The app's simulation state.
pub struct Simulation {
    pub(super) engine: Engine,
    pub(super) runner: Option<Runner>,
    /// Whether a clock thread may start (the desktop app only).
    pub(super) clock: bool,
    pub(super) speed: Speed,
    /// The generation the throughputs, counts and `has_work` were computed for.
    seen: Option<u64>,
    pub(super) has_work: bool,
    pub(super) counts: JobCounts,
    /// The activity list and the generation it was built for.
    jobs: Option<(u64, Vec<JobRow>)>,
}

impl Default for Simulation {
    fn default() -> Self {
        Self {
            engine: Engine::new(),
            runner: None,
            clock: false,
            speed: DEFAULT_SPEED,
            seen: None,
            has_work: false,
            counts: JobCounts::default(),
            jobs: None,
        }
    }
}

impl Simulation {
    /// Recomputes what depends on the workspace when it changed.
    pub(super) fn refresh(&mut self, ws: &Workspace, generation: u64) {
        if self.seen != Some(generation) {
            self.engine.refresh(ws);
            self.has_work = replication::has_work(ws);
            self.counts = JobCounts::of(ws);
            self.seen = Some(generation);
        }
    }

    /// The activity list (rebuilt only when the workspace changed).
    pub(super) fn jobs(&mut self, ws: &Workspace, generation: u64) -> &[JobRow] {
        self.refresh(ws, generation);
        if self.jobs.as_ref().is_none_or(|(g, _)| *g != generation) {
            self.jobs = Some((generation, replication::jobs(ws, &self.engine)));
        }
        self.jobs.as_ref().map_or(&[], |(_, rows)| rows.as_slice())
    }

    pub fn has_work(&self) -> bool {
        self.has_work
    }
}

/// Live replication status for the version editor: the stored version (the draft's status may
/// be older) and the engine's time estimates.
pub struct Live<'a> {
    pub ws: &'a Workspace,
    pub engine: &'a Engine,
    pub version: Option<&'a ImageVersion>,
}

impl<'a> Live<'a> {
    pub fn target(&self, region: Region) -> Option<&'a TargetRegion> {
        self.version.and_then(|v| v.target(region))
    }

    pub fn remaining_secs(&self, target: &TargetRegion) -> Option<f64> {
        let version = self.version?;
        self.engine.remaining_secs(self.ws, version, target)
    }
}

impl Simulation {
    /// The speed control and the job counts (status bar).
    pub(super) fn status_ui(&self, ui: &mut Ui, out: &mut Vec<Command>) {
        let mut speed = self.speed;
        let label = ui.label("Simulation speed");
        egui::ComboBox::from_id_salt("simulation-speed")
            .selected_text(speed.label())
            .width(70.0)
            .show_ui(ui, |ui| {
                for s in Speed::ALL {
                    ui.selectable_value(&mut speed, s, s.label());
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text(
                "Simulated time per second of real time (replication only runs while there is work)",
            );
        if speed != self.speed {
            out.push(Command::Replication(ReplicationCommand::SetSpeed(speed)));
        }
        let counts = self.counts;
        let mut text = format!(
            "{} replicating · {} queued",
            counts.replicating, counts.queued
        );
        if counts.failed > 0 {
            text.push_str(&format!(" · {} failed", counts.failed));
        }
        let text = if counts.failed > 0 {
            RichText::new(text).color(ui.visuals().warn_fg_color)
        } else {
            RichText::new(text)
        };
        if ui
            .link(text)
            .on_hover_text("Show the activity panel")
            .clicked()
        {
            out.push(Command::ShowPanel(super::command::Panel::Activity));
        }
    }
}
