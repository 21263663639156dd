//! The workspace file: compact, human-editable RON with a format version; deterministic output;
//! loading that reports file, line and column and never panics; saving that never leaves a
//! half-written file; recovery copies.

mod azure_section;
pub mod depth;
mod format;
mod input;
pub mod kept;
mod numbers;
pub mod recovery;
mod save;

use std::path::{Path, PathBuf};

pub use format::{FORMAT_VERSION, from_ron_str, to_ron_string};
pub use input::{MAX_INPUT_BYTES, open_input, read_input};
pub use save::{
    DiskStamp, STALE_AFTER, SaveError, WriteOptions, backup_path, is_temp_name, remove_stale_temps,
    resolve_links, write_file, write_file_from, write_with, write_with_from,
};

/// Why a workspace could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}{line}:{col}: {message}", file_prefix(path))]
    Parse {
        path: Option<PathBuf>,
        line: usize,
        col: usize,
        message: String,
    },
    /// Azure's JSON (az CLI output, a REST body, an ARM template) opened as a workspace: what
    /// reads it is the import (issue 24 item 10: a RON parser's message was all it said).
    #[error(
        "{}this file is JSON, not a SIG Studio workspace. To bring Azure's JSON in (az CLI output, REST bodies, ARM templates), use File › Import from Azure JSON… in the app or `sig-studio import` on the command line",
        file_prefix_space(path)
    )]
    Json { path: Option<PathBuf> },
    /// A value the file holds that no workspace may (an infinite number).
    #[error("{}{at}: {message}", file_prefix_space(path))]
    Invalid {
        path: Option<PathBuf>,
        /// The resource path (and region) holding the value.
        at: String,
        message: String,
    },
    #[error(
        "{}{line}:{col}: this workspace was written by a newer SIG Studio (file format {found}); this version reads formats 1 to {supported}. Update SIG Studio to open it",
        file_prefix(path)
    )]
    NewerFormat {
        path: Option<PathBuf>,
        /// Where the format number is (1-based).
        line: usize,
        col: usize,
        found: u64,
        supported: u32,
    },
}

fn file_prefix_space(path: &Option<PathBuf>) -> String {
    match path {
        Some(path) => format!("{}: ", path.display()),
        None => String::new(),
    }
}

fn file_prefix(path: &Option<PathBuf>) -> String {
    match path {
        Some(path) => format!("{}:", path.display()),
        None => String::new(),
    }
}

impl LoadError {
    /// The same error, naming the file it is about.
    pub fn with_path(self, file: &Path) -> Self {
        match self {
            Self::Parse {
                line, col, message, ..
            } => Self::Parse {
                path: Some(file.to_owned()),
                line,
                col,
                message,
            },
            Self::NewerFormat {
                line,
                col,
                found,
                supported,
                ..
            } => Self::NewerFormat {
                path: Some(file.to_owned()),
                line,
                col,
                found,
                supported,
            },
            Self::Invalid { at, message, .. } => Self::Invalid {
                path: Some(file.to_owned()),
                at,
                message,
            },
            Self::Json { .. } => Self::Json {
                path: Some(file.to_owned()),
            },
            other => other,
        }
    }

    /// Line and column of a parse error (1-based).
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            Self::Parse { line, col, .. } | Self::NewerFormat { line, col, .. } => {
                Some((*line, *col))
            }
            _ => None,
        }
    }
}

/// Reads and parses a workspace file.
pub fn load(path: &Path) -> Result<crate::model::Workspace, LoadError> {
    // No stamp: hashing the file's bytes is a tenth of a second at 100,000 versions.
    let bytes = read_workspace(path)?.0;
    from_ron_bytes(&bytes).map_err(|e| e.with_path(path))
}

/// A workspace file's bytes and metadata, with the input limits of [`read_input`].
fn read_workspace(path: &Path) -> Result<(Vec<u8>, std::fs::Metadata), LoadError> {
    read_input(path, MAX_INPUT_BYTES).map_err(|source| LoadError::Io {
        path: path.to_owned(),
        source,
    })
}

/// Reads and parses a workspace file; also returns what the file held, to tell later whether
/// someone else changed it ([`save_checked`]).
pub fn load_stamped(path: &Path) -> Result<(crate::model::Workspace, DiskStamp), LoadError> {
    let (bytes, meta) = read_workspace(path)?;
    let stamp = DiskStamp::new(&meta, &bytes);
    let ws = from_ron_bytes(&bytes).map_err(|e| e.with_path(path))?;
    Ok((ws, stamp))
}

/// Parses a workspace from bytes that should be UTF-8 RON.
pub fn from_ron_bytes(bytes: &[u8]) -> Result<crate::model::Workspace, LoadError> {
    // A byte order mark some editors write at the start of UTF-8 text means nothing here.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let ws = from_ron_str(text).map_err(|err| {
                let json = text.trim_start().starts_with(['{', '['])
                    && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok();
                if json {
                    LoadError::Json { path: None }
                } else {
                    err
                }
            })?;
            numbers::check(&ws)?;
            Ok(ws)
        }
        Err(err) => {
            let valid = &bytes[..err.valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let line_start = valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let col = String::from_utf8_lossy(&valid[line_start..])
                .chars()
                .count()
                + 1;
            Err(LoadError::Parse {
                path: None,
                line,
                col,
                message: "the file is not UTF-8 text (is it a workspace file?)".to_owned(),
            })
        }
    }
}

/// Saves safely (the details are in `src/workspace/save.rs`): writes a temporary file in the same
/// folder, flushes it to disk, keeps the previous file as `<name>.bak`, and renames the new file
/// over the target. On any failure the previous file is left as it was.
pub fn save(path: &Path, ws: &crate::model::Workspace) -> Result<(), SaveError> {
    save_checked(path, ws, None).map(|_| ())
}

/// Saves like [`save`]; with `expected` (the stamp from when the file was read or last saved),
/// refuses with [`SaveError::ChangedOnDisk`] when someone else changed the file since. Returns
/// the stamp of the file written.
pub fn save_checked(
    path: &Path,
    ws: &crate::model::Workspace,
    expected: Option<&DiskStamp>,
) -> Result<DiskStamp, SaveError> {
    // Never a file that could not be opened again; the previous file and the edits stay.
    if let Some((at, depth)) = depth::too_deep(ws) {
        return Err(SaveError::Refused {
            path: path.to_owned(),
            why: format!(
                "{at} keeps a property nested {depth} levels deep, more than the {} a workspace file can hold (it could not be opened again); remove that property and save again",
                depth::MAX_KEPT_DEPTH
            ),
        });
    }
    write_file(path, to_ron_string(ws).as_bytes(), true, expected)
}

/// Writes a script (an export or a plan as az calls) as [`write_atomically`] does, executable,
/// so it runs as `./plan.sh`: the mode is set on the temporary file before the rename (a link
/// swapped in meanwhile is never followed), and an existing file's stricter mode is kept
/// (0600 becomes 0700, not 0755).
pub fn write_script(path: &Path, text: &str) -> Result<(), SaveError> {
    write_script_from(path, |out| out.write_all(text.as_bytes()))
}

/// [`write_script`] with the script written by `content` as it is produced.
pub fn write_script_from(
    path: &Path,
    content: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), SaveError> {
    let options = WriteOptions {
        executable: true,
        ..WriteOptions::default()
    };
    write_with_from(path, &options, content).map(|_| ())
}

/// Writes a new file into a folder others may write to (screenshots): through a temporary file
/// and a rename, like every save, and a symbolic link at the name is replaced, never followed;
/// a FIFO, device or folder there is refused and left untouched (never opened).
pub fn write_replacing_links(path: &Path, bytes: &[u8]) -> Result<(), SaveError> {
    let options = WriteOptions {
        replace_links: true,
        ..WriteOptions::default()
    };
    write_with(path, bytes, &options).map(|_| ())
}

/// Writes `bytes` to `path` through a temporary file and a rename; optionally keeps `<name>.bak`.
pub fn write_atomically(path: &Path, bytes: &[u8], keep_backup: bool) -> Result<(), SaveError> {
    write_file(path, bytes, keep_backup, None).map(|_| ())
}

/// [`write_atomically`] (without `.bak`) with the content written by `content` as it is
/// produced; when `content` fails, the previous file stays.
pub fn write_atomically_from(
    path: &Path,
    content: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), SaveError> {
    write_file_from(path, false, None, content).map(|_| ())
}
