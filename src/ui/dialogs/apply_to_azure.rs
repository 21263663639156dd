//! *Review changes → Apply to Azure…*: the plan carried out in the connected subscription.
//!
//! Azure is read again first (always); Azure's changes that touch nothing planned are taken in,
//! conflicts stop it before anything is sent (resolved in the *Azure changes* window). Then the
//! plan is shown again with every delete and every region removed named, to be confirmed; then
//! each step's state while it runs (Cancel stops before the next step), and the outcome: what
//! was done, what failed with Azure's code and message, what was not started, the apply log.
//! After a version's PUT its regions' bars follow Azure (the connection's poll) until they
//! settle or the window is closed. The run itself lives in the app (`tasks/apply.rs`): closing
//! this window never loses its outcome.

use std::sync::Arc;

use egui::{RichText, Ui};

use crate::azure::apply::{self, Confirmation, Prepared, StepState, StepStatus, Target};
use crate::azure::ids::Endpoint;
use crate::azure::{AzureError, Refresh};
use crate::memo::Memo;
use crate::model::{RegionState, seen};
use crate::plan::{self, Plan};
use crate::ui::dialogs::{Dialog, DialogRequest, Intent, OpenDialog, ViewCx};
use crate::ui::intent::AzureRequest;
use crate::ui::tasks::azure::{ReadKind, ReadResult, ReadTask, ago};
use crate::ui::widgets::WhyDisabled;

/// What the window is at.
enum Phase {
    /// Azure read again before anything is sent.
    Reading(ReadTask),
    CannotRead(String),
    /// Azure changed what the plan touches: nothing is sent.
    Conflicts {
        refresh: Option<Box<Refresh>>,
        generation: u64,
        lines: Vec<String>,
    },
    /// The plan shown again, to be confirmed.
    Confirm,
    /// The run (started here, or found running when the window opened).
    Run,
}

/// The plan, its requests (or why they cannot be sent) and what the user confirms.
struct Ready {
    plan: Plan,
    prepared: Result<Vec<Prepared>, Vec<String>>,
    confirmation: Confirmation,
}

pub struct ApplyDialog {
    phase: Phase,
    ready: Memo<u64, Ready>,
    /// The deletes and removed regions were acknowledged.
    understood: bool,
    /// What the refresh found, in words.
    refreshed: String,
    /// The run shown has ended (the window may be dismissed again).
    finished: bool,
}

/// What the window opens on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Show {
    /// Apply the plan: Azure is read again first (or the run under way, if one is).
    Plan,
    /// The last run, as it ended (the window opens on the plan when there was none).
    LastRun,
}

impl OpenDialog for ApplyDialog {
    type Request = Show;

    fn open(show: Show, cx: &ViewCx<'_>, ctx: &egui::Context) -> Option<Self> {
        let run = cx.azure.apply.as_ref();
        let phase = if run.is_some_and(|r| r.running() || show == Show::LastRun) {
            Phase::Run
        } else {
            Phase::Reading(read(cx, ctx)?)
        };
        Some(Self {
            phase,
            ready: Memo::default(),
            understood: false,
            refreshed: String::new(),
            finished: false,
        })
    }
}

/// Starts reading the connected subscription again, to compare with the plan.
fn read(cx: &ViewCx<'_>, ctx: &egui::Context) -> Option<ReadTask> {
    let link = cx.azure.link.as_ref()?;
    Some(ReadTask::spawn(
        link,
        ReadKind::Refresh,
        Arc::clone(cx.doc.shared()),
        cx.doc.generation(),
        ctx,
    ))
}

impl ApplyDialog {
    /// The plan shown for confirmation (tests look inside).
    pub fn plan(&self) -> Option<&Plan> {
        self.ready.last().map(|r| &r.plan)
    }

    /// Blocks until the read under way ended (tests).
    pub fn wait(&self) {
        if let Phase::Reading(task) = &self.phase {
            task.wait();
        }
    }

    /// Whether the plan is shown for confirmation.
    pub fn confirming(&self) -> bool {
        matches!(self.phase, Phase::Confirm)
    }

    fn reading(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        let Phase::Reading(task) = &mut self.phase else {
            return;
        };
        let Some(result) = task.poll() else {
            if let Some(at) = cx.ws.azure.as_ref().and_then(|s| s.origin.read_at) {
                let age = cx.azure.now().duration_since(at);
                let stale = if age.as_hours() >= 24 {
                    " (over a day old)"
                } else {
                    ""
                };
                ui.label(format!(
                    "Azure as last seen was read {}{stale}: reading it again before anything is sent.",
                    ago(cx.azure.now(), at)
                ));
            }
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(task.describe());
            });
            if ui.button("Cancel").clicked() {
                task.cancel();
                ui.close();
            }
            return;
        };
        let generation = task.generation;
        self.phase = match result {
            Ok(ReadResult::Refreshed(refresh)) if !refresh.conflicts.is_empty() => {
                Phase::Conflicts {
                    lines: refresh.conflicts.iter().map(|c| c.describe()).collect(),
                    refresh: Some(refresh),
                    generation,
                }
            }
            Ok(ReadResult::Refreshed(refresh)) => {
                self.refreshed = if refresh.is_unchanged() {
                    "Azure was read again: it has not changed since it was last seen.".to_owned()
                } else {
                    format!(
                        "Azure was read again: {} since it was last seen, taken into the plan.",
                        crate::words::count(refresh.changes.len(), "change", "changes")
                    )
                };
                out.push(Intent::Azure(AzureRequest::ApplyRefresh {
                    refresh,
                    generation,
                    resolutions: Vec::new(),
                }));
                Phase::Confirm
            }
            Ok(ReadResult::Pulled(_)) => Phase::CannotRead("the read was not a refresh".into()),
            Err(AzureError::Cancelled) => Phase::CannotRead("the read was cancelled".into()),
            Err(err) => Phase::CannotRead(err.to_string()),
        };
        ui.ctx().request_repaint();
    }

    fn cannot_read(&mut self, ui: &mut Ui, cx: &ViewCx<'_>) {
        let Phase::CannotRead(why) = &self.phase else {
            return;
        };
        ui.label(
            RichText::new(format!("Azure could not be read: {why}"))
                .color(ui.visuals().error_fg_color),
        );
        ui.label("Nothing was sent: the plan is applied only after Azure is read again.");
        ui.horizontal(|ui| {
            if ui.button("Try again").clicked()
                && let Some(task) = read(cx, ui.ctx())
            {
                self.phase = Phase::Reading(task);
            }
            if ui.button("Close").clicked() {
                ui.close();
            }
        });
    }

    fn conflicts(&mut self, ui: &mut Ui, out: &mut Vec<Intent>) {
        let Phase::Conflicts {
            refresh,
            generation,
            lines,
        } = &mut self.phase
        else {
            return;
        };
        ui.label(
            RichText::new(
                "Azure changed what the plan touches since it was last seen: nothing was sent.",
            )
            .strong()
            .color(ui.visuals().error_fg_color),
        );
        for line in lines.iter() {
            ui.label(format!("• {line}"));
        }
        ui.label("Choose for each whether to keep your plan or take Azure's, review the plan, then apply again.");
        ui.horizontal(|ui| {
            if ui.button("Resolve in Azure changes…").clicked()
                && let Some(refresh) = refresh.take()
            {
                out.push(Intent::Open(DialogRequest::AzureChanges((
                    refresh,
                    *generation,
                ))));
                ui.close();
            }
            if ui.button("Close").clicked() {
                ui.close();
            }
        });
    }

    fn confirm(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        let ready = self.ready.get(cx.edit_generation, |_| prepare(cx));
        ui.weak(&self.refreshed);
        ui.label(RichText::new(ready.plan.summary()).strong());
        let sendable = ready
            .plan
            .steps
            .iter()
            .filter(|s| s.refused.is_none())
            .count();
        if sendable == 0 {
            ui.label("Nothing to apply: Azure already holds what is planned.");
            if ui.button("Close").clicked() {
                ui.close();
            }
            return;
        }
        ui.label(plan::text::totals(&ready.plan));
        let confirmation = &ready.confirmation;
        if !confirmation.is_empty() {
            for line in confirmation.lines() {
                ui.label(RichText::new(line).color(ui.visuals().error_fg_color));
            }
            ui.checkbox(&mut self.understood, "Delete what is listed above in Azure");
        }
        let refused = ready.plan.refused();
        if refused > 0 {
            ui.label(format!(
                "{} the service would refuse: not sent.",
                crate::words::count(refused, "step", "steps")
            ));
        }
        if let Err(problems) = &ready.prepared {
            ui.label(
                RichText::new("It cannot be sent as it is:").color(ui.visuals().error_fg_color),
            );
            for problem in problems {
                ui.label(RichText::new(format!("• {problem}")).color(ui.visuals().error_fg_color));
            }
        }
        ui.separator();
        egui::ScrollArea::vertical()
            .max_height((ui.available_height() - 60.0).max(120.0))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for (i, step) in ready.plan.steps.iter().enumerate() {
                    let mut text = format!("{}. {} {}", i + 1, step.action.label(), step.what());
                    let figures = plan::text::figures(step);
                    if !figures.is_empty() {
                        text.push_str(&format!("  ({figures})"));
                    }
                    match &step.refused {
                        Some(reason) => {
                            ui.label(RichText::new(text).strikethrough());
                            ui.weak(format!("    refused: {reason}"));
                        }
                        None => {
                            ui.label(text);
                        }
                    }
                }
            });
        ui.separator();
        ui.weak("Every request is logged next to the workspace file; the file then records what was done.");
        let acknowledged = confirmation.is_empty() || self.understood;
        let ok = ready.prepared.is_ok() && acknowledged;
        ui.horizontal(|ui| {
            let label = format!("Apply {}", crate::words::count(sendable, "step", "steps"));
            let button =
                ui.add_enabled(ok, egui::Button::new(label))
                    .why_disabled(if acknowledged {
                        "It cannot be sent as it is: see above"
                    } else {
                        "Tick the box to confirm the deletes first"
                    });
            if button.clicked()
                && let Ok(prepared) = &ready.prepared
            {
                out.push(Intent::Azure(AzureRequest::Apply {
                    plan: Box::new(ready.plan.clone()),
                    prepared: prepared.clone(),
                }));
                self.phase = Phase::Run;
            }
            if ui.button("Cancel").clicked() {
                ui.close();
            }
        });
    }
}

/// The plan from Azure as last seen, its requests for the connected endpoint, and what it
/// deletes.
fn prepare(cx: &ViewCx<'_>) -> Ready {
    let plan = plan::from_azure(cx.ws, cx.today);
    let confirmation = Confirmation::of(&plan);
    let endpoint = cx
        .azure
        .link
        .as_ref()
        .map(|l| Endpoint::parse(l.endpoint()));
    let prepared = match (endpoint, Target::of(cx.ws)) {
        (Some(Ok(arm)), Some(target)) => {
            apply::prepare(&plan, &seen::before(cx.ws), cx.ws, &arm, &target)
        }
        (Some(Err(err)), _) => Err(vec![err.to_string()]),
        (None, _) => Err(vec!["the window is not connected to Azure".to_owned()]),
        (_, None) => Err(vec!["Azure was never read for this workspace".to_owned()]),
    };
    Ready {
        plan,
        prepared,
        confirmation,
    }
}

fn step_row(ui: &mut Ui, index: usize, step: &plan::Step, status: &StepStatus) {
    let state = status.state;
    let color = match state {
        StepState::Done => crate::ui::theme::completed(ui.visuals()),
        StepState::Failed => ui.visuals().error_fg_color,
        _ => ui.visuals().text_color(),
    };
    ui.horizontal_wrapped(|ui| {
        if state == StepState::Running {
            ui.spinner();
        }
        ui.label(
            RichText::new(format!(
                "{}. {} {}: {}",
                index + 1,
                step.action.label(),
                step.what(),
                state.label()
            ))
            .color(color),
        );
    });
    let detail = match &status.failure {
        Some(failure) => Some(failure.to_string()),
        None if state == StepState::Running && !status.detail.is_empty() => {
            Some(status.detail.clone())
        }
        _ => None,
    };
    if let Some(detail) = detail {
        ui.indent(("apply-step", index), |ui| {
            ui.label(RichText::new(detail).color(color));
        });
    }
}

/// The written versions' regions as Azure last reported them, a bar each.
fn replication(ui: &mut Ui, cx: &ViewCx<'_>, written: &[String]) {
    let Some(seen) = cx.ws.azure.as_ref() else {
        return;
    };
    if written.is_empty() {
        return;
    }
    ui.separator();
    ui.label(RichText::new("Replication, as Azure reports it").strong());
    let mut settled = true;
    for path in written {
        let mut parts = path.split('/');
        let (Some(g), Some(d), Some(v)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        let Some(version) = seen.version(g, d, v) else {
            continue;
        };
        ui.label(format!("Image version {path}"));
        for t in &version.target_regions {
            let status = &t.status;
            if !matches!(status.state, RegionState::Completed | RegionState::Failed) {
                settled = false;
            }
            ui.add(
                egui::ProgressBar::new(f32::from(status.progress) / 100.0)
                    .desired_width(360.0)
                    .text(format!(
                        "{}: {} {} %",
                        t.region,
                        status.state.label(),
                        status.progress
                    )),
            );
        }
    }
    if settled {
        ui.label("Replication settled.");
    } else {
        let when = cx
            .azure
            .poller
            .polled_at
            .values()
            .max()
            .map_or_else(|| "not yet".to_owned(), |at| ago(cx.azure.now(), *at));
        ui.weak(format!(
            "Azure's numbers, read {when}: the connection reads them again every {} s until they settle (closing this window does not stop it).",
            cx.azure.setup.poll_interval.as_secs()
        ));
    }
}

impl ApplyDialog {
    fn run(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        let Some(run) = &cx.azure.apply else {
            // The app could not start it (it said why): nothing was sent.
            self.finished = true;
            ui.label("The apply did not start: nothing was sent.");
            if ui.button("Close").clicked() {
                ui.close();
            }
            return;
        };
        let steps = match &run.outcome {
            Some(outcome) => outcome.steps.clone(),
            None => run.control.board.snapshot(),
        };
        self.finished = run.outcome.is_some();
        let done = steps.iter().filter(|s| s.state == StepState::Done).count();
        let sendable = steps
            .iter()
            .filter(|s| s.state != StepState::Refused)
            .count();
        match &run.outcome {
            None => {
                ui.label(
                    RichText::new(format!("Applying: {done} of {sendable} steps done")).strong(),
                );
                ui.add(
                    egui::ProgressBar::new(done as f32 / sendable.max(1) as f32)
                        .desired_width(360.0),
                );
            }
            Some(outcome) => {
                let heading = match outcome.ending {
                    apply::Ending::Completed => "Applied",
                    apply::Ending::Failed => "Stopped at a failure",
                    apply::Ending::Cancelled => "Stopped (cancelled)",
                };
                ui.label(RichText::new(format!("{heading}: {}.", outcome.summary())).strong());
                if outcome.count(StepState::NotStarted) > 0 {
                    ui.label(
                        "The steps not started are still planned: apply again to carry them out.",
                    );
                }
            }
        }
        ui.weak(format!("Apply log: {}", run.log.display()));
        ui.separator();
        egui::ScrollArea::vertical()
            .max_height((ui.available_height() - 60.0).max(120.0))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for (i, (step, status)) in run.plan.steps.iter().zip(&steps).enumerate() {
                    step_row(ui, i, step, status);
                }
                if run.outcome.is_some() {
                    replication(ui, cx, &run.written());
                }
            });
        ui.separator();
        if run.running() {
            let stopping = run.cancelling();
            let label = if stopping {
                "Stopping after the steps in flight…"
            } else {
                "Cancel"
            };
            if ui
                .add_enabled(!stopping, egui::Button::new(label))
                .on_hover_text("Stop before the next step: the steps in flight finish")
                .clicked()
            {
                out.push(Intent::Azure(AzureRequest::CancelApply));
            }
        } else if ui.button("Close").clicked() {
            ui.close();
        }
    }
}

impl Dialog for ApplyDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        ui.heading("Apply to Azure");
        if let Some(link) = &cx.azure.link {
            ui.weak(format!(
                "Subscription {} ({}) at {}",
                link.subscription.name,
                link.subscription.id,
                link.endpoint()
            ));
        }
        match self.phase {
            Phase::Reading(_) => self.reading(ui, cx, out),
            Phase::CannotRead(_) => self.cannot_read(ui, cx),
            Phase::Conflicts { .. } => self.conflicts(ui, out),
            Phase::Confirm => self.confirm(ui, cx, out),
            Phase::Run => self.run(ui, cx, out),
        }
    }

    fn size(&self) -> Option<egui::Vec2> {
        Some(egui::vec2(820.0, 600.0))
    }

    /// While it sends, the window stays (Cancel stops before the next step).
    fn dismissable(&self) -> bool {
        !matches!(self.phase, Phase::Run) || self.finished
    }

    fn dismissed(&mut self, _out: &mut Vec<Intent>) {
        if let Phase::Reading(task) = &self.phase {
            task.cancel();
        }
    }
}
