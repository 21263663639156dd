//! The app's side of the live connection to Azure (`tasks/azure.rs`): connecting, refreshing
//! (F5), applying what a read found, and polling the versions Azure has replicating. Results
//! are taken before each frame ([`SigStudioApp::drive_azure`]), never waited for.
//!
//! A read that finds the workspace empty pulls (planned = Azure, one undo step); otherwise it
//! is a refresh: Azure's changes taken in, the user's edits kept, conflicts shown for the user
//! to resolve (the *Azure changes* dialog) before anything is replaced. A poll moves Azure's
//! replication numbers into Azure as last seen and the plan as the service's change.

use std::sync::Arc;

use crate::azure::{AzureError, Refresh, Resolution};
use crate::model::{Edit, ResourcePath, Resources};
use crate::ui::app::SigStudioApp;
use crate::ui::dialogs::DialogRequest;
use crate::ui::intent::AzureRequest;
use crate::ui::tasks::azure::{
    AzureConnection, AzureSetup, Link, PollTask, ReadKind, ReadResult, ReadTask, version_key,
};

impl SigStudioApp {
    /// How the app reaches az and ARM from now on (tests: a fake az, a fixed clock, a poll
    /// interval).
    pub fn set_azure_setup(&mut self, setup: AzureSetup) {
        self.azure.setup = setup;
    }

    /// The connection to Azure (tests, screenshots).
    pub fn azure(&self) -> &AzureConnection {
        &self.azure
    }

    /// Blocks until the read and the poll under way have finished (tests wait on the tasks,
    /// never on a clock); the next frame takes their results.
    pub fn wait_for_azure(&self) {
        if let Some(read) = &self.azure.read {
            read.wait();
        }
        if let Some(poll) = &self.azure.poller.task {
            poll.wait();
        }
        if let Some(run) = &self.azure.apply {
            run.wait();
        }
        for dialog in self.dialogs() {
            if let Some(connect) =
                dialog.downcast_ref::<crate::ui::dialogs::connect::ConnectDialog>()
            {
                connect.wait();
            }
            if let Some(apply) =
                dialog.downcast_ref::<crate::ui::dialogs::apply_to_azure::ApplyDialog>()
            {
                apply.wait();
            }
        }
    }

    /// Polls the versions Azure has replicating now, whatever the interval says (tests and
    /// screenshots drive polls this way); `false` when there is nothing to poll.
    pub fn poll_azure_now(&mut self, ctx: &egui::Context) -> bool {
        self.azure.poller.scheduled_for = None;
        self.schedule_poll(ctx);
        if self.azure.poller.next.is_none() {
            return false;
        }
        self.start_poll(ctx)
    }

    pub(in crate::ui) fn apply_azure(&mut self, request: AzureRequest, ctx: &egui::Context) {
        match request {
            AzureRequest::Connect(link) => self.connect(*link, ctx),
            AzureRequest::CancelRead => {
                if let Some(read) = self.azure.read.take() {
                    read.cancel();
                    self.state.status.notify(
                        "Read cancelled: nothing was changed".to_owned(),
                        false,
                        6,
                    );
                }
            }
            AzureRequest::ApplyRefresh {
                refresh,
                generation,
                resolutions,
            } => self.apply_refresh(*refresh, generation, &resolutions, ctx),
            AzureRequest::Apply { plan, prepared } => self.start_apply(*plan, prepared, ctx),
            AzureRequest::CancelApply => {
                if let Some(run) = &self.azure.apply {
                    run.cancel();
                }
            }
        }
    }

    /// Connects to `link`'s subscription and reads it: an empty workspace takes Azure as it
    /// is, one with planned work is refreshed.
    fn connect(&mut self, link: Link, ctx: &egui::Context) {
        if let Some(read) = self.azure.read.take() {
            read.cancel();
        }
        self.azure.poller = Default::default();
        self.azure.link = Some(link);
        self.start_read(ctx);
    }

    /// Another document is open: a read or poll of the old one is dropped (its thread stops at
    /// its next step), and its polls' times are forgotten. The connection stays.
    pub(in crate::ui) fn forget_azure_document(&mut self) {
        if let Some(read) = self.azure.read.take() {
            read.cancel();
        }
        self.azure.poller = Default::default();
    }

    /// Refresh (F5): reads the connected subscription again; offline, asks where to connect.
    pub(in crate::ui) fn refresh_azure(&mut self, ctx: &egui::Context) {
        if self.azure.link.is_none() {
            self.open(DialogRequest::Connect(None), ctx);
        } else if self.azure.read.is_none() {
            self.start_read(ctx);
        }
    }

    /// Reads the connected subscription: an empty workspace that never saw Azure takes it as
    /// it is (a pull), any other is refreshed.
    fn start_read(&mut self, ctx: &egui::Context) {
        let Some(link) = &self.azure.link else {
            return;
        };
        let ws = self.doc.ws();
        let kind = if ws.galleries.is_empty() && ws.azure.is_none() {
            ReadKind::Pull
        } else {
            ReadKind::Refresh
        };
        let mine = Arc::clone(self.doc.shared());
        let task = ReadTask::spawn(link, kind, mine, self.doc.generation(), ctx);
        self.azure.read = Some(task);
    }

    /// Before each frame: takes a finished read or poll, and starts the next poll when due.
    pub(in crate::ui) fn drive_azure(&mut self, ctx: &egui::Context) {
        self.take_read(ctx);
        self.take_apply(ctx);
        self.take_poll(ctx);
        self.schedule_poll(ctx);
        let Some(due) = self.azure.poller.next else {
            return;
        };
        let minimized = ctx.input(|i| i.viewport().minimized.unwrap_or(false));
        let saving = self.tasks.save.is_some();
        if self.azure.read.is_some() || self.azure.poller.task.is_some() || minimized || saving {
            // Restoring the window, or the task's or the save's end, wakes the window again.
            return;
        }
        let now = crate::clock::now();
        if now < due {
            ctx.request_repaint_after(due - now);
        } else {
            self.start_poll(ctx);
        }
    }

    fn take_read(&mut self, ctx: &egui::Context) {
        let Some(read) = &mut self.azure.read else {
            return;
        };
        let Some(result) = read.poll() else {
            return;
        };
        let generation = read.generation;
        self.azure.read = None;
        self.close_connect_dialog();
        match result {
            Ok(ReadResult::Pulled(pulled)) => self.apply_pull(*pulled),
            Ok(ReadResult::Refreshed(refresh)) => self.took_refresh(*refresh, generation, ctx),
            Err(AzureError::Cancelled) => {}
            Err(err) => self.show_message(
                "Could not read Azure",
                format!("{err}\n\nNothing was changed."),
            ),
        }
    }

    /// The connect dialog has done its part once its read ends.
    fn close_connect_dialog(&mut self) {
        self.state
            .dialogs
            .close_all::<crate::ui::dialogs::connect::ConnectDialog>();
    }

    fn mark_refreshed(&mut self) {
        let now = self.azure.now();
        if let Some(link) = &mut self.azure.link {
            link.refreshed = Some(now);
        }
        self.azure.poller.gone.clear();
        self.azure.poller.polled_at.clear();
    }

    /// An empty workspace takes Azure as read: one undo step, and Azure as last seen.
    fn apply_pull(&mut self, mut pulled: crate::azure::Pulled) {
        let ws = &mut pulled.ws;
        let first = ws.galleries.first().map(|g| ResourcePath::gallery(&g.name));
        let counts = format!(
            "{}, {}",
            crate::words::count(ws.galleries.len(), "gallery", "galleries"),
            crate::words::count(ws.version_count(), "version", "versions")
        );
        let seen = ws.azure.take();
        let edit = Edit::ReplaceResources {
            label: "Connect to Azure".to_owned(),
            resources: Box::new(Resources::take(ws)),
        };
        let notice = format!("Read {counts} from Azure");
        if self.apply_edit(edit, first, Some(notice)) {
            self.doc.set_azure(seen);
            self.mark_refreshed();
            self.warn(&pulled.warnings);
        }
    }

    /// A refresh read: applied at once when Azure moved only replication (or nothing), else
    /// shown for the user to read and resolve.
    fn took_refresh(&mut self, refresh: Refresh, generation: u64, ctx: &egui::Context) {
        let refresh = if generation == self.doc.generation() {
            refresh
        } else {
            refresh.again(self.doc.ws())
        };
        let generation = self.doc.generation();
        let decide =
            !refresh.conflicts.is_empty() || refresh.changes.iter().any(|c| !c.is_replication());
        if decide {
            let request = (Box::new(refresh), generation);
            self.open(DialogRequest::AzureChanges(request), ctx);
        } else {
            self.apply_refresh(refresh, generation, &[], ctx);
        }
    }

    /// Applies a refresh with the conflicts resolved: the plan's change as one undo step, then
    /// Azure as last seen as just read.
    fn apply_refresh(
        &mut self,
        refresh: Refresh,
        generation: u64,
        resolutions: &[(String, Resolution)],
        ctx: &egui::Context,
    ) {
        let refresh = if generation == self.doc.generation() {
            refresh
        } else {
            // The plan changed while the user read the changes: compared again, a conflict
            // not resolved yet is asked about.
            let again = refresh.again(self.doc.ws());
            let unresolved = again
                .conflicts
                .iter()
                .any(|c| !resolutions.iter().any(|(p, _)| *p == c.path));
            if unresolved {
                let request = (Box::new(again), self.doc.generation());
                self.open(DialogRequest::AzureChanges(request), ctx);
                return;
            }
            again
        };
        let resolve = |c: &crate::azure::Conflict| {
            resolutions
                .iter()
                .find(|(p, _)| *p == c.path)
                .map(|(_, r)| *r)
        };
        let mut merged = refresh.merge(self.doc.ws(), &resolve);
        let notice = refresh_notice(&refresh);
        let applied = match merged.edit("Refresh from Azure") {
            Some(edit) => self.apply_edit(edit, None, Some(notice)),
            None => {
                self.state.status.notify(notice, false, 6);
                true
            }
        };
        if applied {
            self.doc.set_azure(Some(Arc::clone(&merged.seen)));
            self.mark_refreshed();
            self.warn(&refresh.warnings);
        }
    }

    /// What a read could not read, in one message (the rest was read).
    fn warn(&mut self, warnings: &[String]) {
        if warnings.is_empty() {
            return;
        }
        let text = format!(
            "{}\n\nEverything else was read.",
            warnings
                .iter()
                .map(|w| format!("• {w}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
        self.show_message("Some of Azure could not be read", text);
    }

    /// Works out what to poll when Azure as last seen is a new one: the versions Azure has
    /// replicating in the connected subscription (none: nothing is polled).
    fn schedule_poll(&mut self, ctx: &egui::Context) {
        let Some(link) = &self.azure.link else {
            self.azure.poller.next = None;
            return;
        };
        let seen = self.doc.ws().azure.as_ref();
        let address = seen.map(|s| Arc::as_ptr(s) as usize);
        if self.azure.poller.scheduled_for == address && address.is_some() {
            return;
        }
        self.azure.poller.scheduled_for = address;
        let poller = &mut self.azure.poller;
        let any = seen.is_some_and(|seen| {
            crate::azure::poll::replicating(seen, &link.subscription.id)
                .iter()
                .any(|v| !poller.gone.contains(&ref_key(v)))
        });
        let soon = std::mem::take(&mut poller.soon);
        poller.next = any.then(|| {
            let interval = if soon {
                std::time::Duration::ZERO
            } else {
                self.azure.setup.poll_interval
            };
            ctx.request_repaint_after(interval);
            crate::clock::now() + interval
        });
    }

    fn start_poll(&mut self, ctx: &egui::Context) -> bool {
        let (Some(link), Some(seen)) = (&self.azure.link, &self.doc.ws().azure) else {
            return false;
        };
        let poller = &self.azure.poller;
        let versions: Vec<_> = crate::azure::poll::replicating(seen, &link.subscription.id)
            .into_iter()
            .filter(|v| !poller.gone.contains(&ref_key(v)))
            .collect();
        if versions.is_empty() || poller.task.is_some() {
            return false;
        }
        let at = self.azure.now();
        self.azure.poller.task = Some(PollTask::spawn(link, versions, at, ctx));
        self.azure.poller.next = None;
        true
    }

    /// A finished poll: Azure's numbers into Azure as last seen and the plan (no undo step).
    fn take_poll(&mut self, ctx: &egui::Context) {
        let Some(task) = &mut self.azure.poller.task else {
            return;
        };
        let Some(result) = task.poll() else {
            return;
        };
        let at = task.at;
        self.azure.poller.task = None;
        // The next one is scheduled from the new state (or now, if nothing changed).
        self.azure.poller.scheduled_for = None;
        let poll = match result {
            Ok(poll) => poll,
            Err(AzureError::Cancelled) => return,
            Err(err) => {
                let text = format!("Replication status not read: {err}");
                self.state.status.notify(text, false, 10);
                return;
            }
        };
        for polled in &poll.polled {
            let v = &polled.version;
            let key = ref_key(v);
            if polled.regions.is_none() {
                self.azure.poller.gone.insert(key);
            } else {
                self.azure.poller.polled_at.insert(key, at);
            }
        }
        if let Some(seen) = self
            .doc
            .ws()
            .azure
            .as_ref()
            .and_then(|s| poll.seen_after(s))
        {
            self.doc.azure_progress(Arc::new(seen), |ws| {
                poll.apply_planned(&mut ws.galleries);
            });
        }
        if let Some(first) = poll.warnings.first() {
            self.state.status.notify(first.clone(), false, 10);
        }
        ctx.request_repaint();
    }
}

fn ref_key(v: &crate::azure::ids::GalleryRef) -> String {
    version_key(
        &v.gallery,
        v.definition.as_deref().unwrap_or_default(),
        v.version.as_deref().unwrap_or_default(),
    )
}

/// "Refreshed from Azure: 2 changes taken in, 1 conflict kept as yours".
fn refresh_notice(refresh: &Refresh) -> String {
    if refresh.is_unchanged() {
        return "Refreshed: Azure has not changed since it was last seen".to_owned();
    }
    let taken = refresh
        .changes
        .iter()
        .filter(|c| c.outcome == crate::azure::refresh::Outcome::Taken)
        .count();
    format!(
        "Refreshed from Azure: {} taken in",
        crate::words::count(taken, "change", "changes")
    )
}
