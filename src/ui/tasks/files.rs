//! File work off the UI thread: native dialogs, loading and saving, recent files and recovery
//! copies. The window keeps drawing while any of it runs.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use poll_promise::Promise;

use crate::model::Workspace;
use crate::workspace::{self, DiskStamp, LoadError, SaveError};

/// How many recent files are remembered.
pub const RECENT_LIMIT: usize = 10;

/// A native dialog that answers "no file" faster than this most likely never opened (no desktop
/// portal); the app then offers a path field instead.
const DIALOG_MIN_HUMAN_TIME: Duration = Duration::from_millis(400);

/// Folders where the app keeps its own files.
#[derive(Clone, Debug)]
pub struct AppDirs {
    /// Recent files and the last workspace.
    pub config: PathBuf,
    /// Recovery copies.
    pub data: PathBuf,
}

impl AppDirs {
    /// The platform's folders (e.g. `~/.config/sig-studio`, `~/.local/share/sig-studio`).
    pub fn platform() -> Option<Self> {
        let dirs = directories::ProjectDirs::from("com", "SIG Studio", "sig-studio")?;
        Some(Self {
            config: dirs.config_dir().to_owned(),
            data: dirs.data_dir().to_owned(),
        })
    }

    /// Folders under one root, for tests.
    pub fn under(root: &Path) -> Self {
        Self {
            config: root.join("config"),
            data: root.join("data"),
        }
    }
}

/// Recent files and the last workspace, kept in the config folder as RON.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Recent {
    pub files: Vec<PathBuf>,
    /// The workspace open when the app last closed.
    pub last: Option<PathBuf>,
    /// Whether the app has started before (the sample opens on first start only).
    pub started_before: bool,
}

impl Recent {
    fn path(dirs: &AppDirs) -> PathBuf {
        dirs.config.join("recent.ron")
    }

    /// The list kept in the config folder; empty when there is none, or (logged) when it
    /// cannot be read.
    pub fn load(dirs: &AppDirs) -> Self {
        let path = Self::path(dirs);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Self::default(),
            Err(err) => {
                log::warn!("cannot read the recent files {}: {err}", path.display());
                return Self::default();
            }
        };
        ron::from_str(&text).unwrap_or_else(|err| {
            log::warn!(
                "the recent files {} are unreadable, ignored: {err}",
                path.display()
            );
            Self::default()
        })
    }

    /// Keeps the list in the config folder; a failure is logged (the list is a convenience).
    pub fn store(&self, dirs: &AppDirs) {
        let path = Self::path(dirs);
        let text = match ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::new()) {
            Ok(text) => text,
            Err(err) => {
                log::warn!("cannot write the recent files {}: {err}", path.display());
                return;
            }
        };
        if let Err(err) = std::fs::create_dir_all(&dirs.config) {
            log::debug!("cannot create {}: {err}", dirs.config.display());
        }
        if let Err(err) = workspace::write_atomically(&path, text.as_bytes(), false) {
            log::warn!("cannot keep the recent files: {err}");
        }
    }

    /// Moves `path` to the front.
    pub fn touch(&mut self, path: &Path) {
        self.files.retain(|p| p != path);
        self.files.insert(0, path.to_owned());
        self.files.truncate(RECENT_LIMIT);
        self.last = Some(path.to_owned());
    }
}

/// What a file dialog was opened for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogPurpose {
    Open,
    SaveAs,
    /// One or more Azure JSON files to import.
    Import,
}

/// Whether a native file dialog can be shown at all. On Linux and the BSDs rfd asks the desktop
/// portal over the D-Bus session bus; with no session bus there is no dialog, and asking would
/// only wait for a timeout, so the app offers its path field at once. Elsewhere the system's own
/// dialog is always there.
pub fn dialog_host_present() -> bool {
    if cfg!(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "dragonfly",
        target_os = "netbsd",
        target_os = "openbsd"
    )) {
        session_bus_present(
            std::env::var_os("DBUS_SESSION_BUS_ADDRESS").as_deref(),
            std::env::var_os("XDG_RUNTIME_DIR")
                .as_deref()
                .map(Path::new),
        )
    } else {
        true
    }
}

/// A session bus is reachable when its address is set, or when the runtime folder holds the
/// bus socket (where D-Bus looks when the address is not set).
fn session_bus_present(address: Option<&std::ffi::OsStr>, runtime_dir: Option<&Path>) -> bool {
    address.is_some_and(|a| !a.is_empty())
        || runtime_dir.is_some_and(|dir| dir.join("bus").exists())
}

/// A native file dialog running on its own thread.
pub struct FileDialog {
    pub purpose: DialogPurpose,
    started: Instant,
    promise: Promise<Option<Vec<PathBuf>>>,
}

/// How a dialog ended.
pub enum DialogOutcome {
    /// One file, or (importing) one or more.
    Picked(Vec<PathBuf>),
    Cancelled,
    /// Returned at once with nothing: probably no dialog could be shown.
    Unavailable,
}

impl FileDialog {
    pub fn spawn(purpose: DialogPurpose, current: Option<&Path>, ctx: &egui::Context) -> Self {
        let folder = current.and_then(Path::parent).map(Path::to_owned);
        let file_name = current
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "workspace.ron".to_owned());
        let ctx = ctx.clone();
        let promise = Promise::spawn_thread("file-dialog", move || {
            let mut dialog = rfd::FileDialog::new();
            dialog = if purpose == DialogPurpose::Import {
                // The kind is read from the content: any file may be chosen.
                dialog
                    .add_filter("JSON", &["json"])
                    .add_filter("All files", &["*"])
            } else {
                dialog.add_filter("SIG Studio workspace", &["ron"])
            };
            if let Some(folder) = folder {
                dialog = dialog.set_directory(folder);
            }
            let picked = match purpose {
                DialogPurpose::Open => dialog.set_title("Open workspace").pick_file().map(one),
                DialogPurpose::SaveAs => dialog
                    .set_title("Save workspace as")
                    .set_file_name(file_name)
                    .save_file()
                    .map(one),
                DialogPurpose::Import => dialog
                    .set_title("Import from Azure JSON")
                    .pick_files()
                    .filter(|files| !files.is_empty()),
            };
            ctx.request_repaint();
            picked
        });
        Self {
            purpose,
            started: crate::clock::now(),
            promise,
        }
    }

    /// The outcome once the dialog has closed.
    pub fn poll(&self) -> Option<DialogOutcome> {
        let picked = self.promise.ready()?;
        Some(match picked {
            Some(paths) => DialogOutcome::Picked(paths.clone()),
            None if self.started.elapsed() < DIALOG_MIN_HUMAN_TIME => DialogOutcome::Unavailable,
            None => DialogOutcome::Cancelled,
        })
    }
}

fn one(path: PathBuf) -> Vec<PathBuf> {
    vec![path]
}

/// A workspace being read and parsed on a background thread.
pub struct LoadTask {
    pub path: PathBuf,
    pub started: Instant,
    pub total_bytes: u64,
    read_bytes: Arc<AtomicU64>,
    promise: Promise<Result<(Workspace, DiskStamp), LoadError>>,
}

impl LoadTask {
    pub fn spawn(path: PathBuf, ctx: &egui::Context) -> Self {
        let total_bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let read_bytes = Arc::new(AtomicU64::new(0));
        let progress = Arc::clone(&read_bytes);
        let ctx = ctx.clone();
        let file = path.clone();
        let promise = Promise::spawn_thread("load-workspace", move || {
            let result = read_with_progress(&file, &progress, &ctx).and_then(|(bytes, stamp)| {
                workspace::from_ron_bytes(&bytes)
                    .map(|ws| (ws, stamp))
                    .map_err(|e| with_file(e, &file))
            });
            ctx.request_repaint();
            result
        });
        Self {
            path,
            started: crate::clock::now(),
            total_bytes,
            read_bytes,
            promise,
        }
    }

    /// Blocks until the file is read and parsed (tests wait on the task, never on a clock).
    pub fn wait(&self) {
        self.promise.block_until_ready();
    }

    /// 0–1 while reading; parsing follows at 1.
    pub fn read_fraction(&self) -> f32 {
        if self.total_bytes == 0 {
            return 1.0;
        }
        (self.read_bytes.load(Ordering::Relaxed) as f32 / self.total_bytes as f32).min(1.0)
    }

    /// The workspace and what its file held (to notice later changes on disk), once loaded.
    pub fn poll(&mut self) -> Option<Result<(Workspace, DiskStamp), LoadError>> {
        match std::mem::replace(
            &mut self.promise,
            Promise::from_ready(Err(placeholder_error())),
        )
        .try_take()
        {
            Ok(result) => Some(result),
            Err(promise) => {
                self.promise = promise;
                None
            }
        }
    }
}

fn placeholder_error() -> LoadError {
    LoadError::Parse {
        path: None,
        line: 0,
        col: 0,
        message: String::new(),
    }
}

fn with_file(err: LoadError, file: &Path) -> LoadError {
    err.with_path(file)
}

fn read_with_progress(
    path: &Path,
    progress: &AtomicU64,
    ctx: &egui::Context,
) -> Result<(Vec<u8>, DiskStamp), LoadError> {
    use std::io::Read;
    let io = |source| LoadError::Io {
        path: path.to_owned(),
        source,
    };
    // A regular file of a bounded size (never a FIFO or a device), read up to that size.
    let limit = crate::workspace::MAX_INPUT_BYTES;
    let (file, meta) = crate::workspace::open_input(path, limit).map_err(io)?;
    let mut file = file.take(limit);
    let mut bytes = Vec::new();
    let mut chunk = vec![0_u8; 1 << 20];
    loop {
        let n = file.read(&mut chunk).map_err(io)?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&chunk[..n]);
        progress.store(bytes.len() as u64, Ordering::Relaxed);
        ctx.request_repaint();
    }
    let stamp = DiskStamp::new(&meta, &bytes);
    Ok((bytes, stamp))
}

/// A save running on a background thread.
pub struct SaveTask {
    pub path: PathBuf,
    /// The document state being saved.
    pub state: u64,
    /// Close the app when the save succeeds.
    pub then_quit: bool,
    promise: Promise<Result<DiskStamp, SaveError>>,
}

/// Why a save did not happen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveFailure {
    /// Someone else changed the file since it was opened or last saved: ask what to do.
    ChangedOnDisk,
    /// Anything else, in words.
    Error(String),
}

impl SaveTask {
    /// Saves `ws` to `path` on a thread. With `expected` (what the file held when it was opened
    /// or last saved), a file changed on disk since is not overwritten.
    pub fn spawn(
        path: PathBuf,
        ws: Arc<Workspace>,
        state: u64,
        expected: Option<DiskStamp>,
        ctx: &egui::Context,
    ) -> Self {
        let ctx = ctx.clone();
        let file = path.clone();
        let promise = Promise::spawn_thread("save-workspace", move || {
            let result = workspace::save_checked(&file, &ws, expected.as_ref());
            ctx.request_repaint();
            result
        });
        Self {
            path,
            state,
            then_quit: false,
            promise,
        }
    }

    /// Blocks until the file is written (tests wait on the task, never on a clock).
    pub fn wait(&self) {
        self.promise.block_until_ready();
    }

    /// What the saved file holds, or why nothing was saved, once done.
    pub fn poll(&self) -> Option<Result<DiskStamp, SaveFailure>> {
        self.promise.ready().map(|r| match r {
            Ok(stamp) => Ok(stamp.clone()),
            Err(err) if err.is_changed_on_disk() => Err(SaveFailure::ChangedOnDisk),
            Err(err) => Err(SaveFailure::Error(err.to_string())),
        })
    }
}

/// Writes recovery copies every so often while there are unsaved changes.
pub struct RecoveryWriter {
    pub interval: Duration,
    last_written: Option<(Instant, u64)>,
    pending: Option<Promise<()>>,
}

impl RecoveryWriter {
    pub fn new(interval: Duration) -> Self {
        Self {
            interval,
            last_written: None,
            pending: None,
        }
    }

    /// Writes a copy when the interval has passed and the content changed since the last copy.
    /// Returns when the next check is due, for scheduling a repaint: `None` when no check is
    /// needed until the document changes again (the copy on disk is current, or being written
    /// from the current content), since every change comes with a frame of its own that ticks.
    pub fn tick(
        &mut self,
        dirs: &AppDirs,
        ws: &Arc<Workspace>,
        origin: Option<&Path>,
        generation: u64,
    ) -> Option<Duration> {
        if self.pending.as_ref().is_some_and(|p| p.ready().is_none()) {
            // A copy is being written; when it is of the current content nothing is due after it.
            return match self.last_written {
                Some((_, written)) if written == generation => None,
                _ => Some(Duration::from_secs(1)),
            };
        }
        self.pending = None;
        let Some((at, written)) = self.last_written else {
            // First change: start the clock; the first copy is written one interval later.
            self.last_written = Some((crate::clock::now(), u64::MAX));
            return Some(self.interval);
        };
        if written == generation {
            return None;
        }
        let elapsed = at.elapsed();
        if elapsed < self.interval {
            return Some(self.interval - elapsed);
        }
        // Shared, not copied: the document copies it only when it next changes.
        let ws = Arc::clone(ws);
        let dir = dirs.data.clone();
        let origin = origin.map(Path::to_owned);
        self.pending = Some(Promise::spawn_thread("recovery-copy", move || {
            if let Err(err) = workspace::recovery::write(&dir, &ws, origin.as_deref()) {
                log::warn!("no recovery copy: {err}");
            }
        }));
        self.last_written = Some((crate::clock::now(), generation));
        None
    }

    /// Whether a copy is being written (its thread reads the workspace).
    pub fn writing(&self) -> bool {
        self.pending.as_ref().is_some_and(|p| p.ready().is_none())
    }

    /// Blocks until the copy being written (if any) is on disk (tests).
    pub fn wait(&self) {
        if let Some(p) = &self.pending {
            p.block_until_ready();
        }
    }

    /// Starts the schedule afresh (another document is open); keeps any copy on disk.
    pub fn restart(&mut self) {
        self.last_written = None;
        if let Some(p) = self.pending.take() {
            p.block_and_take();
        }
    }

    /// Forgets the schedule and removes the copy (after a clean save, or changes discarded).
    pub fn reset(&mut self, dirs: &AppDirs) {
        self.restart();
        workspace::recovery::discard(&dirs.data);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_bus_is_found_by_address_or_socket() {
        let dir = std::env::temp_dir().join(format!("sig-studio-bus-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert!(!session_bus_present(None, None));
        assert!(!session_bus_present(Some("".as_ref()), Some(&dir)));
        assert!(session_bus_present(
            Some("unix:path=/run/user/1000/bus".as_ref()),
            None
        ));
        std::fs::write(dir.join("bus"), b"").unwrap();
        assert!(session_bus_present(None, Some(&dir)));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
