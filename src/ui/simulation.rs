//! Drives the replication simulation from the app: the engine, the clock thread, the speed
//! control, and what the user can do to running jobs (retry, cancel, outages).
//!
//! Replication status is the service's doing, not a user edit: engine steps, retries, cancels
//! and outages change `doc.ws` directly, without an undo step, and call
//! [`super::document::Document::touch_service_state`], which marks the document unsaved (the
//! file would now save different progress) and bumps the generation caches follow.
//!
//! The clock thread ([`Runner`]) starts only in the desktop app, lazily, when there is work and
//! the speed is not Paused; it wakes the UI with `request_repaint` after each tick and sends no
//! ticks while nothing runs, so an idle app draws nothing. Tests and screenshots advance
//! simulated time themselves with [`SigStudioApp::advance_simulation`].

use std::time::{Duration, Instant};

use egui::{RichText, Ui};

use super::app::{Notice, SigStudioApp};
use crate::model::{ImageVersion, Region, RegionState, ResourcePath, TargetRegion, Workspace};
use crate::replication::runner::{Runner, Speed};
use crate::replication::{self, Engine, JobCounts, StepReport};

/// The speed the app starts with: 60× makes the 20 minutes of a typical first copy take 20 s.
pub const DEFAULT_SPEED: Speed = Speed::X60;

/// What the user asks of the simulation (applied after drawing, like every command).
#[derive(Clone, Debug, PartialEq)]
pub enum ReplicationCommand {
    /// Retry one failed region, or every failed region of the version.
    Retry(ResourcePath, Option<Region>),
    Cancel(ResourcePath, Region),
    /// Mark a region unavailable (true) or available again.
    Outage(Region, bool),
    SetSpeed(Speed),
}

/// The app's simulation state.
pub struct Simulation {
    pub(super) engine: Engine,
    runner: Option<Runner>,
    /// Whether a clock thread may start (the desktop app only).
    clock: bool,
    pub(super) speed: Speed,
    /// The document generation the engine's tables match: bumped by the engine's own steps
    /// (then set again here), by edits and by replication commands (then the engine rebuilds).
    seen: Option<u64>,
    /// The edit generation the engine last validated the workspace at.
    seen_edit: Option<u64>,
}

impl Default for Simulation {
    fn default() -> Self {
        let mut engine = Engine::new();
        // The app reports every change through the document's generations.
        engine.set_detect_changes(false);
        Self {
            engine,
            runner: None,
            clock: false,
            speed: DEFAULT_SPEED,
            seen: None,
            seen_edit: None,
        }
    }
}

impl Simulation {
    /// The document was replaced (or what validation says changed): the engine rebuilds and
    /// takes the validation again at the next frame.
    pub(super) fn forget_document(&mut self) {
        self.seen = None;
        self.seen_edit = None;
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

    /// Why a region that has not started waits: its version or the region has validation
    /// errors, so the service would not create it ([`replication::NOT_CREATED`]).
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

impl SigStudioApp {
    /// Lets the app start the simulation's clock thread (the desktop app; tests and screenshots
    /// drive time with [`Self::advance_simulation`] instead).
    pub fn enable_simulation_clock(&mut self) {
        self.simulation.clock = true;
    }

    /// Sets how fast simulated time runs.
    pub fn set_simulation_speed(&mut self, speed: Speed) {
        self.simulation.speed = speed;
        if let Some(runner) = &self.simulation.runner {
            runner.set_speed(speed);
        }
    }

    /// Advances simulated time by `secs` at once, without the clock thread (tests, benchmarks).
    /// The engine jumps from event to event, so one call costs what happens in that time.
    pub fn advance_simulation(&mut self, secs: f64) -> StepReport {
        self.step_simulation(secs.max(0.0))
    }

    /// Tells the engine what changed since it last looked, and lets it catch up: after edits
    /// it takes the app's validation (computed once per edit, [`Self::problems`]) to know what
    /// is not created; after replication commands it only rebuilds its job tables; after its
    /// own steps nothing.
    fn sync_simulation(&mut self) {
        let generation = self.doc.generation();
        if self.simulation.seen == Some(generation) {
            return;
        }
        let edit_generation = self.doc.edit_generation();
        if self.simulation.seen_edit != Some(edit_generation) {
            let blocked = replication::Blocked::from_problems(self.problems());
            self.simulation.engine.set_blocked(blocked);
            self.simulation.seen_edit = Some(edit_generation);
        }
        self.simulation.engine.workspace_changed(false);
        self.simulation.engine.refresh(&self.doc.ws);
        self.simulation.seen = Some(generation);
    }

    fn step_simulation(&mut self, dt_secs: f64) -> StepReport {
        self.sync_simulation();
        let report = self.simulation.engine.step(&mut self.doc.ws, dt_secs);
        if report.changed {
            self.doc.touch_service_state();
            // The engine wrote this change itself: its tables match it.
            self.simulation.seen = Some(self.doc.generation());
        }
        report
    }

    /// Applies the clock's ticks and keeps the clock informed; called at the top of each frame.
    pub(super) fn drive_simulation(&mut self, ctx: &egui::Context) {
        self.sync_simulation();
        let sim = &mut self.simulation;
        if sim.runner.is_none() && sim.clock && sim.has_work() && sim.speed != Speed::Paused {
            let wake_ctx = ctx.clone();
            match Runner::start(sim.speed, Box::new(move || wake_ctx.request_repaint())) {
                Ok(runner) => sim.runner = Some(runner),
                Err(err) => {
                    sim.clock = false;
                    self.notice = Some(Notice {
                        text: format!("The replication simulation could not start: {err}"),
                        undo: false,
                        until: Instant::now() + Duration::from_secs(8),
                    });
                }
            }
        }
        let dt: f64 = self
            .simulation
            .runner
            .as_ref()
            .map_or(0.0, |r| r.try_ticks().map(|t| t.dt_secs).sum());
        if dt > 0.0 {
            self.step_simulation(dt);
        }
        if let Some(runner) = &self.simulation.runner {
            runner.set_has_work(self.simulation.has_work());
        }
    }

    pub(super) fn apply_replication(&mut self, command: ReplicationCommand) {
        let result = match command {
            ReplicationCommand::Retry(path, region) => {
                replication::retry(&mut self.doc.ws, &path, region).map(|count| match region {
                    Some(region) => format!("Retrying {region} for {}", path.name()),
                    None => format!("Retrying {count} failed regions of {}", path.name()),
                })
            }
            ReplicationCommand::Cancel(path, region) => {
                replication::cancel(&mut self.doc.ws, &path, region)
                    .map(|()| format!("Cancelled replication of {} to {region}", path.name()))
            }
            ReplicationCommand::Outage(region, unavailable) => {
                if !replication::set_outage(&mut self.doc.ws, region, unavailable) {
                    return;
                }
                Ok(if unavailable {
                    format!("{region} is unavailable (simulated outage)")
                } else {
                    format!("{region} is available again")
                })
            }
            ReplicationCommand::SetSpeed(speed) => {
                self.set_simulation_speed(speed);
                return;
            }
        };
        match result {
            Ok(text) => {
                self.doc.touch_service_state();
                self.notice = Some(Notice {
                    text,
                    undo: false,
                    until: Instant::now() + Duration::from_secs(4),
                });
            }
            Err(err) => {
                self.modal = Some(super::Modal::Message {
                    title: "Replication".to_owned(),
                    text: err.to_string(),
                });
            }
        }
    }

    /// The speed control and the job counts (status bar).
    pub(super) fn simulation_status_ui(&mut self, ui: &mut Ui) {
        let mut speed = self.simulation.speed;
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
            .on_hover_text("Simulated time per second of real time (replication only runs while there is work)");
        if speed != self.simulation.speed {
            self.set_simulation_speed(speed);
        }
        let counts = self.simulation.counts();
        let mut text = format!(
            "{} replicating · {} queued",
            counts.replicating, counts.queued
        );
        if counts.failed > 0 {
            text.push_str(&format!(" · {} failed", counts.failed));
        }
        if counts.waiting > 0 {
            text.push_str(&format!(" · {} not created", counts.waiting));
        }
        let text = if counts.failed > 0 || counts.waiting > 0 {
            RichText::new(text).color(ui.visuals().warn_fg_color)
        } else {
            RichText::new(text)
        };
        if ui
            .link(text)
            .on_hover_text("Show the activity panel")
            .clicked()
        {
            self.prefs.show_activity = true;
        }
    }

    /// The Simulation menu: speed and simulated outages of the regions in use.
    pub(super) fn simulation_menu(&mut self, ui: &mut Ui) {
        ui.label(RichText::new("Speed").strong());
        for speed in Speed::ALL {
            if ui
                .radio(self.simulation.speed == speed, speed.label())
                .clicked()
            {
                self.set_simulation_speed(speed);
                ui.close();
            }
        }
        ui.separator();
        ui.menu_button("Region outages", |ui| {
            let mut regions: Vec<Region> = self
                .doc
                .ws
                .versions()
                .flat_map(|(_, _, v)| v.target_regions.iter().map(|t| t.region))
                .chain(self.doc.ws.simulation.outages.iter().copied())
                .collect();
            regions.sort_by_key(|r| r.display_name());
            regions.dedup();
            if regions.is_empty() {
                ui.weak("No target regions yet");
            }
            egui::ScrollArea::vertical().max_height(400.0).show(ui, |ui| {
                for region in regions {
                    let mut down = self.doc.ws.simulation.has_outage(region);
                    if ui
                        .checkbox(&mut down, format!("{} unavailable", region.display_name()))
                        .on_hover_text("Simulate an outage: replication into or out of the region fails until it is available again")
                        .changed()
                    {
                        self.commands.push(super::app::Command::Replication(
                            ReplicationCommand::Outage(region, down),
                        ));
                        ui.close();
                    }
                }
            });
        });
    }
}
