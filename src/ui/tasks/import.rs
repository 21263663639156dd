//! An import from Azure JSON on a background thread: the files are read and merged into a copy
//! of the workspace, never into the open one, so the window keeps drawing and a failed or
//! cancelled import changes nothing. What it has reached is readable at any time for a
//! progress display.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use poll_promise::Promise;

use crate::import::{self, ImportError, Input, Progress, Summary};
use crate::model::Workspace;

/// What an import produced: the workspace with the import merged in, the summary, and the
/// inputs (to merge again should the workspace change before the user accepts).
pub struct Imported {
    pub ws: Workspace,
    pub summary: Summary,
    pub inputs: Vec<Input>,
}

/// Where an input comes from.
enum Source {
    File(PathBuf),
    /// Already in memory (screenshots, tests).
    Text(Input),
}

impl Source {
    fn name(&self) -> String {
        match self {
            Self::File(path) => file_name(&path.display().to_string()),
            Self::Text(input) => file_name(&input.name),
        }
    }
}

/// The last part of a path, as the dialog shows files.
pub fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.to_owned(), |n| n.to_string_lossy().into_owned())
}

/// The step the import is at, in words, and how far it is (0–1).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Status {
    pub text: String,
    pub fraction: f32,
}

/// An import running on its own thread.
pub struct ImportTask {
    /// How many inputs it reads.
    pub files: usize,
    status: Arc<Mutex<Status>>,
    promise: Promise<Result<Imported, ImportError>>,
}

impl ImportTask {
    /// Reads `files` and merges them into a copy of `ws` (the open workspace).
    pub fn spawn(files: Vec<PathBuf>, ws: Arc<Workspace>, ctx: &egui::Context) -> Self {
        Self::start(files.into_iter().map(Source::File).collect(), ws, ctx)
    }

    /// Merges inputs already in memory into `ws`.
    pub fn spawn_inputs(inputs: Vec<Input>, ws: Arc<Workspace>, ctx: &egui::Context) -> Self {
        Self::start(inputs.into_iter().map(Source::Text).collect(), ws, ctx)
    }

    fn start(sources: Vec<Source>, ws: Arc<Workspace>, ctx: &egui::Context) -> Self {
        let files = sources.len();
        let status = Arc::new(Mutex::new(Status {
            text: "Starting the import…".to_owned(),
            fraction: 0.0,
        }));
        let shared = Arc::clone(&status);
        let ctx = ctx.clone();
        let promise = Promise::spawn_thread("import", move || {
            // Reading is the first half of the bar, parsing the next 40 %, merging the rest.
            let report = |text: String, fraction: f32| {
                *shared.lock().unwrap_or_else(PoisonError::into_inner) = Status { text, fraction };
                ctx.request_repaint();
            };
            // The copy the import merges into is made here, not on the UI thread.
            let mut ws = Workspace::clone(&ws);
            let of = sources.len().max(1) as f32;
            let mut inputs = Vec::with_capacity(sources.len());
            for (i, source) in sources.into_iter().enumerate() {
                let text = format!("Reading file {} of {files}: {}", i + 1, source.name());
                report(text, 0.5 * i as f32 / of);
                inputs.push(match source {
                    Source::File(path) => Input::read(&path)?,
                    Source::Text(input) => input,
                });
            }
            let result =
                import::import_with_progress(&mut ws, &inputs, &mut |progress| match progress {
                    Progress::Parsing { index, of, file } => report(
                        format!("Parsing file {} of {of}: {}", index + 1, file_name(file)),
                        0.5 + 0.4 * index as f32 / of.max(1) as f32,
                    ),
                    Progress::Merging { items } => report(
                        format!("Merging {items} resources and role assignments…"),
                        0.9,
                    ),
                });
            let summary = result?;
            ctx.request_repaint();
            Ok(Imported {
                ws,
                summary,
                inputs,
            })
        });
        Self {
            files,
            status,
            promise,
        }
    }

    /// The step the import is at.
    pub fn status(&self) -> Status {
        self.status
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Blocks until the import has finished (tests wait on the task, never on a clock).
    pub fn wait(&self) {
        self.promise.block_until_ready();
    }

    /// The result, once the import has finished; afterwards the task is spent.
    pub fn poll(&mut self) -> Option<Result<Imported, ImportError>> {
        let spent = Promise::from_ready(Err(ImportError::Io {
            file: String::new(),
            message: "already taken".to_owned(),
        }));
        match std::mem::replace(&mut self.promise, spent).try_take() {
            Ok(result) => Some(result),
            Err(promise) => {
                self.promise = promise;
                None
            }
        }
    }
}
