//! Applying the plan to Azure on a thread (`azure::apply::run` with the connection's client):
//! the steps' states on a board the window reads before each frame, a cancel flag (stop before
//! the next step), and the outcome once it ends. The app records the outcome into the
//! workspace (`app/apply_work.rs`); the apply window shows the board and the outcome.

use std::path::PathBuf;
use std::sync::Arc;

use poll_promise::Promise;

use crate::azure::Hooks;
use crate::azure::apply::{self, ApplyLimits, ApplyLog, Control, Outcome, Prepared, StepState};
use crate::plan::{Action, Kind, Plan};
use crate::ui::tasks::azure::Link;

/// One apply, running or ended.
pub struct ApplyRun {
    /// The board of step states and the cancel flag.
    pub control: Control,
    pub plan: Arc<Plan>,
    /// The apply log of the run (next to the workspace file).
    pub log: PathBuf,
    /// Set once the run ended and the workspace recorded it.
    pub outcome: Option<Outcome>,
    promise: Option<Promise<Outcome>>,
}

impl ApplyRun {
    /// Starts `prepared` (of `plan`) with `link`'s client, every request in `log`.
    pub fn spawn(
        link: &Link,
        plan: Plan,
        prepared: Vec<Prepared>,
        log: ApplyLog,
        ctx: &egui::Context,
    ) -> Self {
        let wake = ctx.clone();
        // Steps move with every answer; the window shows them at most twice a second.
        let frame = crate::ui::tasks::simulation::PROGRESS_FRAME_INTERVAL;
        let repaint: Arc<dyn Fn() + Send + Sync> =
            Arc::new(move || wake.request_repaint_after(frame));
        let client = link.client(Hooks {
            notify: Some(Arc::clone(&repaint)),
            ..Hooks::default()
        });
        let mut control = Control::new(&plan);
        control.notify = Some(repaint);
        let running = control.clone();
        let path = log.path().to_owned();
        let ctx = ctx.clone();
        let promise = Promise::spawn_thread("azure-apply", move || {
            let outcome = apply::run(&client, &prepared, &ApplyLimits::default(), &log, &running);
            ctx.request_repaint();
            outcome
        });
        Self {
            control,
            plan: Arc::new(plan),
            log: path,
            outcome: None,
            promise: Some(promise),
        }
    }

    /// A run that ended with `outcome` (the screenshots' fixed example: nothing is sent).
    pub fn ended(plan: Plan, outcome: Outcome) -> Self {
        Self {
            control: Control::new(&plan),
            plan: Arc::new(plan),
            log: outcome.log.clone(),
            outcome: Some(outcome),
            promise: None,
        }
    }

    /// Whether it is still sending.
    pub fn running(&self) -> bool {
        self.outcome.is_none()
    }

    /// The outcome once the thread ended (taken once; the app records it).
    pub fn poll(&mut self) -> Option<Outcome> {
        let promise = self.promise.take()?;
        match promise.try_take() {
            Ok(outcome) => Some(outcome),
            Err(running) => {
                self.promise = Some(running);
                None
            }
        }
    }

    /// Stops before the next step (the steps in flight finish).
    pub fn cancel(&self) {
        self.control
            .cancel
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn cancelling(&self) -> bool {
        self.control.cancelled() && self.running()
    }

    /// Blocks until the thread ended (tests).
    pub fn wait(&self) {
        if let Some(promise) = &self.promise {
            promise.block_until_ready();
        }
    }

    /// The versions the run created or updated (`g/d/v`), once done: their replication is
    /// what the window follows.
    pub fn written(&self) -> Vec<String> {
        let steps = match &self.outcome {
            Some(outcome) => outcome.steps.clone(),
            None => self.control.board.snapshot(),
        };
        self.plan
            .steps
            .iter()
            .zip(steps)
            .filter(|(step, status)| {
                step.kind == Kind::Version
                    && step.action != Action::Delete
                    && status.state == StepState::Done
            })
            .map(|(step, _)| step.path.clone())
            .collect()
    }
}
