//! The app's side of applying the plan to Azure (`tasks/apply.rs`): the run starts on a thread
//! with the connection's client and an apply log next to the workspace file; before each frame
//! its outcome is taken ([`SigStudioApp::take_apply`]) and recorded: Azure as last seen with what
//! succeeded and the role assignments' names (the service's change, no undo step), then the
//! file is saved (safe write, refused when it changed on disk) and, once it is, the versions
//! written are polled, so their bars follow Azure.

use std::path::Path;
use std::sync::Arc;

use crate::azure::apply::{self, ApplyLog, Ending, Prepared};
use crate::plan::Plan;
use crate::ui::app::SigStudioApp;
use crate::ui::tasks::apply::ApplyRun;

impl SigStudioApp {
    /// Starts carrying out `prepared` (what the apply window showed and the user confirmed).
    pub(in crate::ui) fn start_apply(
        &mut self,
        plan: Plan,
        prepared: Vec<Prepared>,
        ctx: &egui::Context,
    ) {
        if self.azure.apply.as_ref().is_some_and(ApplyRun::running) {
            return;
        }
        // The window shows this run, or that none started.
        self.azure.apply = None;
        let (Some(link), Some(file)) = (&self.azure.link, self.doc.path.clone()) else {
            self.show_message(
                "Not applied",
                "Connect to Azure and save the workspace to a file first: nothing was sent."
                    .to_owned(),
            );
            return;
        };
        let dir = file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let stem = file.file_stem().map_or_else(
            || "workspace".to_owned(),
            |s| s.to_string_lossy().into_owned(),
        );
        let log = match ApplyLog::create(dir, &stem, Arc::clone(&self.azure.setup.clock)) {
            Ok(log) => log,
            Err(err) => {
                self.show_message(
                    "Not applied",
                    format!(
                        "The apply log cannot be created in {}: {err}\n\nNothing was sent.",
                        dir.display()
                    ),
                );
                return;
            }
        };
        self.azure.apply = Some(ApplyRun::spawn(link, plan, prepared, log, ctx));
    }

    /// Before each frame: a run that ended is recorded into the workspace, saved, and the
    /// versions it wrote are polled.
    pub(in crate::ui) fn take_apply(&mut self, ctx: &egui::Context) {
        let Some(run) = &mut self.azure.apply else {
            return;
        };
        let Some(outcome) = run.poll() else {
            return;
        };
        let (seen, assignments) = apply::record(self.doc.ws(), &run.plan, &outcome.steps);
        let notice = match outcome.ending {
            Ending::Completed => format!("Applied to Azure: {}", outcome.summary()),
            Ending::Failed => format!("Apply stopped at a failure: {}", outcome.summary()),
            Ending::Cancelled => format!("Apply cancelled: {}", outcome.summary()),
        };
        let failed = outcome.ending == Ending::Failed;
        run.outcome = Some(outcome);
        self.doc.azure_progress(Arc::new(seen), |ws| {
            ws.assignments = assignments;
        });
        self.state.status.notify(notice, failed, 10);
        // The file records what Azure holds now.
        if let Some(path) = self.doc.path.clone() {
            self.start_save(path, ctx);
        }
        // What Azure has replicating (the versions just written are queued there) is polled
        // at once, once the save is done.
        self.azure.poller.scheduled_for = None;
        self.azure.poller.soon = true;
        ctx.request_repaint();
    }
}
