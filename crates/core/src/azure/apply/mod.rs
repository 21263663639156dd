//! Applying a reviewed plan to Azure: its steps carried out in its order with ARM requests.
//!
//! - [`prepare`]: each step as requests (PUT with the ARM export's bodies for creates and
//!   updates, DELETE, the gallery share action, role assignment PUT and DELETE), checked before
//!   anything is sent; refused steps (the plan's rules) are never sent.
//! - [`run`]: the requests sent level by level (a level is the plan's run of steps with the same
//!   action and kind, independent of each other: up to [`ApplyLimits::parallel`] of them at
//!   once). Long-running operations are followed as ARM defines them (`Azure-AsyncOperation`
//!   polled until Succeeded, Failed or Canceled, else `Location` until 200 or 204, waiting
//!   `Retry-After`); a 409 "nested resources" right after a child's delete is retried with
//!   backoff a bounded number of times. The first failure stops the run: steps in flight finish,
//!   no other starts. Cancel stops the same way. Every request goes to the [`ApplyLog`].
//! - [`record`]: Azure as last seen with what succeeded, so that applying again continues
//!   rather than repeats.
//! - [`watch`]: the replication of the versions a run wrote, read until settled.
//!
//! The core reads no clock: waits are counted, "now" (for the log) is the client's clock.

mod exec;
mod log;
mod lookup;
mod prepare;
mod record;
mod text;
pub mod watch;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::Serialize;

use super::Client;
use crate::model::Workspace;
use crate::plan::Plan;

pub use log::ApplyLog;
pub use prepare::{
    Op, Prepared, PrincipalRef, SourceImage, assignment_body, assignment_name, assignment_url,
    prepare,
};
pub use record::record;
pub use text::{Confirmation, dry_run};

/// Where an apply goes: the subscription (and the one resource group) Azure as last seen was
/// read from. Nothing outside it is touched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub subscription: String,
    pub resource_group: Option<String>,
}

impl Target {
    /// The target of a workspace read from ARM (`None` when it never was).
    pub fn of(ws: &Workspace) -> Option<Self> {
        let origin = &ws.azure.as_ref()?.origin;
        (!origin.subscription.is_empty()).then(|| Self {
            subscription: origin.subscription.clone(),
            resource_group: Some(origin.resource_group.clone()).filter(|rg| !rg.is_empty()),
        })
    }
}

/// Bounds of a run.
#[derive(Clone, Debug)]
pub struct ApplyLimits {
    /// Steps of one level in flight at once.
    pub parallel: usize,
    /// The wait between polls of an operation that gives no `Retry-After`.
    pub poll_interval: Duration,
    /// A longer `Retry-After` is shortened to this.
    pub max_poll_interval: Duration,
    /// An operation still running after this long fails the step (it goes on in Azure).
    pub operation_timeout: Duration,
    /// Retries of a 409 "nested resources" after a child's delete.
    pub nested_retries: u32,
    /// The first wait before such a retry; doubled each time.
    pub nested_backoff: Duration,
}

impl Default for ApplyLimits {
    fn default() -> Self {
        Self {
            parallel: 8,
            poll_interval: Duration::from_secs(5),
            max_poll_interval: Duration::from_secs(60),
            operation_timeout: Duration::from_secs(3 * 3600),
            nested_retries: 6,
            nested_backoff: Duration::from_secs(5),
        }
    }
}

/// Where a step is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum StepState {
    #[default]
    Waiting,
    Running,
    Done,
    Failed,
    /// The plan's rules refuse it: never sent.
    Refused,
    /// The run stopped (a failure, or cancelled) before it started.
    NotStarted,
}

impl StepState {
    pub fn label(self) -> &'static str {
        match self {
            Self::Waiting => "waiting",
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
            Self::Refused => "refused, not sent",
            Self::NotStarted => "not started",
        }
    }
}

/// A request Azure refused, or that got no answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub method: String,
    pub url: String,
    /// `None`: no answer (network), or an operation that ended Failed or Canceled.
    pub status: Option<u16>,
    /// Azure's error code (`Conflict`, `PropertyChangeNotAllowed`…).
    pub code: String,
    pub message: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: ", self.method, self.url)?;
        if let Some(status) = self.status {
            write!(f, "HTTP {status} ")?;
        }
        if !self.code.is_empty() {
            write!(f, "{}: ", self.code)?;
        }
        f.write_str(&self.message)
    }
}

/// A step's state and what it left.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepStatus {
    pub state: StepState,
    /// What the step is doing or did, in words ("waiting for Azure: InProgress, 2 polls").
    #[serde(skip_serializing_if = "String::is_empty")]
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure: Option<Failure>,
    /// A role assignment written: its name and the principal's object id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignment: Option<(String, String)>,
}

/// The steps' states, shared with whoever watches the run (read before each frame).
#[derive(Debug, Default)]
pub struct Board {
    steps: Mutex<Vec<StepStatus>>,
}

impl Board {
    pub fn snapshot(&self) -> Vec<StepStatus> {
        self.steps
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn update(&self, index: usize, change: impl FnOnce(&mut StepStatus)) {
        let mut steps = self.steps.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(step) = steps.get_mut(index) {
            change(step);
        }
    }
}

/// What a run shares with whoever started it.
#[derive(Clone)]
pub struct Control {
    /// Set to stop before the next step (steps in flight finish).
    pub cancel: Arc<AtomicBool>,
    pub board: Arc<Board>,
    /// Called after each change of a step (e.g. to ask the window for a repaint).
    pub notify: Option<Arc<dyn Fn() + Send + Sync>>,
}

impl Control {
    /// A board for `plan`: its refused steps marked, the others waiting.
    pub fn new(plan: &Plan) -> Self {
        let steps = plan
            .steps
            .iter()
            .map(|s| StepStatus {
                state: if s.refused.is_some() {
                    StepState::Refused
                } else {
                    StepState::Waiting
                },
                detail: s.refused.clone().unwrap_or_default(),
                ..StepStatus::default()
            })
            .collect();
        Self {
            cancel: Arc::new(AtomicBool::new(false)),
            board: Arc::new(Board {
                steps: Mutex::new(steps),
            }),
            notify: None,
        }
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    fn set(&self, index: usize, change: impl FnOnce(&mut StepStatus)) {
        self.board.update(index, change);
        if let Some(notify) = &self.notify {
            notify();
        }
    }
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Ending {
    /// Every step that was not refused is done.
    Completed,
    /// A step failed: the run stopped.
    Failed,
    /// Cancelled: the run stopped before the next step.
    Cancelled,
}

/// What a run did.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    pub ending: Ending,
    /// One per step of the plan.
    pub steps: Vec<StepStatus>,
    pub log: std::path::PathBuf,
    /// Why the log could not be written (it may be incomplete).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_broken: Option<String>,
}

impl Outcome {
    pub fn count(&self, state: StepState) -> usize {
        self.steps.iter().filter(|s| s.state == state).count()
    }

    /// "3 done, 1 failed, 2 not started, 1 refused (not sent)".
    pub fn summary(&self) -> String {
        let mut parts = vec![format!("{} done", self.count(StepState::Done))];
        for (state, label) in [
            (StepState::Failed, "failed"),
            (StepState::NotStarted, "not started"),
            (StepState::Refused, "refused (not sent)"),
        ] {
            let n = self.count(state);
            if n > 0 {
                parts.push(format!("{n} {label}"));
            }
        }
        parts.join(", ")
    }
}

/// Carries out `prepared` (from [`prepare`] of `plan`): see the module's documentation.
pub fn run(
    client: &Client,
    prepared: &[Prepared],
    limits: &ApplyLimits,
    log: &ApplyLog,
    control: &Control,
) -> Outcome {
    client.abort(false);
    let failed = AtomicBool::new(false);
    let cx = exec::Cx::new(client, limits, log, control);
    log.event(
        None,
        &format!(
            "apply of {} to {}",
            crate::words::count(prepared.len(), "step", "steps"),
            client.arm.base
        ),
    );
    let mut start = 0;
    while start < prepared.len() {
        if control.cancelled() || failed.load(Ordering::Relaxed) {
            break;
        }
        let level = prepared[start].level;
        let end = prepared[start..]
            .iter()
            .position(|p| p.level != level)
            .map_or(prepared.len(), |n| start + n);
        let steps = &prepared[start..end];
        let next = AtomicUsize::new(0);
        let workers = limits
            .parallel
            .min(client.limits.in_flight)
            .clamp(1, steps.len());
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| {
                    loop {
                        if control.cancelled() || failed.load(Ordering::Relaxed) {
                            return;
                        }
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(step) = steps.get(i) else { return };
                        if !cx.step(step) {
                            failed.store(true, Ordering::Relaxed);
                        }
                    }
                });
            }
        });
        start = end;
    }
    let mut steps = control.board.snapshot();
    for (i, step) in steps.iter_mut().enumerate() {
        if step.state == StepState::Waiting {
            step.state = StepState::NotStarted;
            control.set(i, |s| s.state = StepState::NotStarted);
        }
    }
    let ending = if failed.load(Ordering::Relaxed) {
        Ending::Failed
    } else if steps.iter().any(|s| s.state == StepState::NotStarted) {
        Ending::Cancelled
    } else {
        Ending::Completed
    };
    let outcome = Outcome {
        ending,
        steps,
        log: log.path().to_owned(),
        log_broken: None,
    };
    log.event(None, &format!("ended {ending:?}: {}", outcome.summary()));
    Outcome {
        log_broken: log.broken(),
        ..outcome
    }
}
