//! Start-up: building the app, restoring the last session or opening the sample on first start.

use std::path::PathBuf;
use std::time::Instant;

use crate::document::Document;
use crate::model::{Date, Workspace};
use crate::ui::app::{AppState, Derived, PREFS_KEY, Shell, SigStudioApp, Startup};
use crate::ui::dialogs::DialogRequest;
use crate::ui::intent::Intent;
use crate::ui::tasks::Tasks;
use crate::ui::tasks::files::AppDirs;
use crate::ui::view::Prefs;
use crate::workspace::recovery;

/// Said once, on the first start.
pub const FIRST_START: &str = "SIG Studio works offline, on workspace files, until you connect to Azure (File, Connect to Azure…): replication shown until then is simulated.";

impl SigStudioApp {
    /// Creates the app. `dirs` is where recent files and recovery copies live (`None`: nowhere);
    /// `today` is the date end-of-life dates are judged against.
    pub fn new(startup: Startup, dirs: Option<AppDirs>, prefs: Prefs, today: Date) -> Self {
        let mut app = Self {
            doc: Document::new(Workspace::default(), None),
            prefs,
            selection: None,
            derived: Derived::new(today),
            tasks: Tasks::new(dirs),
            azure: Default::default(),
            simulation: crate::ui::tasks::simulation::Simulation::new(today),
            shell: Shell::default(),
            state: AppState::default(),
            intents: Vec::new(),
        };
        match startup {
            Startup::Workspace(ws, path) => app.replace_document(Document::new(ws, path)),
            Startup::File(path) => app.open_now(path),
            Startup::Restore => app.restore(),
        }
        app
    }

    /// The app as eframe creates it: preferences from eframe's storage, folders of the platform.
    pub fn from_creation_context(
        cc: &eframe::CreationContext<'_>,
        file: Option<PathBuf>,
        started: Instant,
        today: Date,
    ) -> Self {
        let prefs = cc
            .storage
            .and_then(|s| eframe::get_value::<Prefs>(s, PREFS_KEY))
            .unwrap_or_default();
        let startup = file.map_or(Startup::Restore, Startup::File);
        let mut app = Self::new(startup, AppDirs::platform(), prefs, today);
        app.shell.started = Some(started);
        app.enable_simulation_clock();
        app
    }

    /// Uses the path field instead of the desktop's file dialogs (tests never open real dialogs).
    pub fn without_native_dialogs(mut self) -> Self {
        self.tasks.native_dialogs = false;
        self
    }

    /// Fixes the date that end-of-life dates are judged against (tests and screenshots).
    pub fn set_today(&mut self, today: Date) {
        self.derived.today = today;
        self.derived.forget();
        self.simulation.engine.set_today(today);
        self.simulation.forget_document();
    }

    fn restore(&mut self) {
        // Asked over the workspace opened below, on the first frame.
        if let Some(dirs) = &self.tasks.dirs
            && let Some(copy) = recovery::find(&dirs.data)
        {
            self.intents
                .push(Intent::Open(DialogRequest::Recovery(copy)));
        }
        if let Some(last) = self.tasks.recent.last.clone()
            && last.exists()
        {
            self.open_now(last);
        } else if !self.tasks.recent.started_before {
            self.replace_document(Document::new(crate::sample::sample(), None));
        }
        if !self.tasks.recent.started_before {
            // Once, as a notice that goes by itself: the status bar says Offline from then on.
            self.state.status.notify(FIRST_START.to_owned(), false, 20);
        }
        self.tasks.recent.started_before = true;
        self.tasks.store_recent();
    }

    /// Opens a file synchronously (start-up only); on failure the error shows and the current
    /// workspace stays.
    fn open_now(&mut self, path: PathBuf) {
        match crate::workspace::load_stamped(&path) {
            Ok((ws, disk)) => {
                self.tasks.touch_recent(&path);
                self.replace_document(Document::opened(ws, path, disk));
            }
            Err(err) => self.open_failed(path, &err, false),
        }
    }

    /// Shows another document: selection, panels, dialogs and caches start afresh.
    pub(in crate::ui) fn replace_document(&mut self, doc: Document) {
        self.doc = doc;
        self.selection = None;
        // No generation of the new document was ever the old one's, so no cache can pass the
        // old one's result for it; what was worked out for the old one is dropped here (the
        // editor's draft, problems and what-if, the permissions, the cost report). The panels
        // keep only how the user set them up.
        self.derived.forget();
        self.state.editor = Default::default();
        self.state.acting = Default::default();
        self.state.cost.forget();
        self.state.problems.forget();
        // Dialogs were about the old document.
        self.state.dialogs.clear();
        self.simulation.forget_document();
        self.forget_azure_document();
        self.state.tree.reset(self.doc.ws());
        self.tasks.recovery.restart();
    }

    /// Expands every gallery and definition (for benchmarks and the View menu).
    pub fn expand_all(&mut self) {
        self.state.tree.expand_all(self.doc.ws());
    }
}
