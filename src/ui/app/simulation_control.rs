//! What the app does with the simulation: the clock thread, stepping simulated time before a
//! frame is drawn, retry, cancel, outages and speed (the service's doing, not undoable edits).

use crate::replication::Speed;
use crate::replication::{self, StepReport};
use crate::ui::app::SigStudioApp;
use crate::ui::intent::ReplicationRequest;
use crate::ui::tasks::replication_clock::Runner;
use crate::ui::tasks::simulation::PROGRESS_FRAME_INTERVAL;

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
    /// is not created; after replication out it only rebuilds its job tables; after its
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
        self.simulation.engine.refresh(self.doc.ws());
        self.simulation.seen = Some(generation);
    }

    fn step_simulation(&mut self, dt_secs: f64) -> StepReport {
        self.sync_simulation();
        let engine = &mut self.simulation.engine;
        let report = self.doc.service_change(|ws| {
            let report = engine.step(ws, dt_secs);
            let changed = report.changed;
            (report, changed)
        });
        if report.changed {
            // The engine wrote this change itself: its tables match it.
            self.simulation.seen = Some(self.doc.generation());
        }
        if report.failed > 0 {
            self.simulation.failures += 1;
        }
        report
    }

    /// Applies the clock's ticks and keeps the clock informed; called before each frame.
    pub(in crate::ui) fn drive_simulation(&mut self, ctx: &egui::Context) {
        self.sync_simulation();
        let sim = &mut self.simulation;
        if sim.runner.is_none() && sim.clock && sim.has_work() && sim.speed != Speed::Paused {
            match Runner::start(sim.speed) {
                Ok(runner) => sim.runner = Some(runner),
                Err(err) => {
                    sim.clock = false;
                    let text = format!("The replication simulation could not start: {err}");
                    self.state.status.notify(text, false, 8);
                }
            }
        }
        // While a save or a recovery copy reads the workspace on its thread, a step would copy
        // all of it (100,000 versions: 150 MB) to change a few regions: the clock's ticks wait
        // in its queue, none lost, and apply at once when the thread is done.
        let writing = self.tasks.save.is_some() || self.tasks.recovery.writing();
        let dt: f64 = match &self.simulation.runner {
            Some(runner) if !writing => runner.try_ticks().map(|t| t.dt_secs).sum(),
            _ => 0.0,
        };
        if dt > 0.0 {
            self.step_simulation(dt);
        }
        if let Some(runner) = &self.simulation.runner {
            let has_work = self.simulation.has_work();
            runner.set_has_work(has_work);
            // The clock runs: the next frame shows its progress, unless input draws one sooner.
            if has_work && self.simulation.speed != Speed::Paused {
                ctx.request_repaint_after(PROGRESS_FRAME_INTERVAL);
            }
        }
    }

    pub(in crate::ui) fn apply_replication(&mut self, request: ReplicationRequest) {
        if let ReplicationRequest::SetSpeed(speed) = request {
            self.set_simulation_speed(speed);
            return;
        }
        // A retry or a cancel changes which regions failed; an outage may, at the next step.
        self.simulation.failures += 1;
        // `None`: nothing to do; else the notice, or why the service refused.
        let result: Option<Result<String, String>> = self.doc.service_change(|ws| {
            let result = match request {
                ReplicationRequest::Retry(path, region) => replication::retry(ws, &path, region)
                    .map(|count| match region {
                        Some(region) => format!("Retrying {region} for {}", path.name()),
                        None => format!("Retrying {count} failed regions of {}", path.name()),
                    }),
                ReplicationRequest::Cancel(path, region) => replication::cancel(ws, &path, region)
                    .map(|()| format!("Cancelled replication of {} to {region}", path.name())),
                ReplicationRequest::Outage(region, unavailable) => {
                    if !replication::set_outage(ws, region, unavailable) {
                        return (None, false);
                    }
                    Ok(if unavailable {
                        format!("{region} is unavailable (simulated outage)")
                    } else {
                        format!("{region} is available again")
                    })
                }
                ReplicationRequest::SetSpeed(_) => return (None, false),
            };
            let changed = result.is_ok();
            (Some(result.map_err(|err| err.to_string())), changed)
        });
        match result {
            None => {}
            Some(Ok(text)) => self.state.status.notify(text, false, 4),
            Some(Err(message)) => self.show_message("Replication", message),
        }
    }
}
