//! The workspace file: compact, human-editable RON with a format version; deterministic output;
//! loading that reports file, line and column and never panics; saving that never leaves a
//! half-written file; recovery copies.

mod format;
pub mod recovery;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

pub use format::{FORMAT_VERSION, from_ron_str, to_ron_string};

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
    #[error(
        "{}this workspace was written by a newer SIG Studio (file format {found}); this version reads formats 1 to {supported}. Update SIG Studio to open it",
        file_prefix(path)
    )]
    NewerFormat {
        path: Option<PathBuf>,
        found: u64,
        supported: u32,
    },
}

fn file_prefix(path: &Option<PathBuf>) -> String {
    match path {
        Some(path) => format!("{}:", path.display()),
        None => String::new(),
    }
}

impl LoadError {
    fn with_path(self, file: &Path) -> Self {
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
                found, supported, ..
            } => Self::NewerFormat {
                path: Some(file.to_owned()),
                found,
                supported,
            },
            other => other,
        }
    }

    /// Line and column of a parse error (1-based).
    pub fn position(&self) -> Option<(usize, usize)> {
        match self {
            Self::Parse { line, col, .. } => Some((*line, *col)),
            _ => None,
        }
    }
}

/// Why a save failed. The previous file is untouched in every case.
#[derive(Debug, thiserror::Error)]
#[error("could not save {}: {what}: {source}", path.display())]
pub struct SaveError {
    pub path: PathBuf,
    pub what: &'static str,
    #[source]
    pub source: std::io::Error,
}

/// Reads and parses a workspace file.
pub fn load(path: &Path) -> Result<crate::model::Workspace, LoadError> {
    let bytes = fs::read(path).map_err(|source| LoadError::Io {
        path: path.to_owned(),
        source,
    })?;
    from_ron_bytes(&bytes).map_err(|e| e.with_path(path))
}

/// Parses a workspace from bytes that should be UTF-8 RON.
pub fn from_ron_bytes(bytes: &[u8]) -> Result<crate::model::Workspace, LoadError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => from_ron_str(text),
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

/// The backup kept beside a saved file: `<name>.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".bak");
    path.with_file_name(name)
}

/// Saves safely: writes a temporary file in the same folder, flushes it to disk, keeps the
/// previous file as `<name>.bak`, and renames the new file over the target. On any failure the
/// previous file is left as it was.
pub fn save(path: &Path, ws: &crate::model::Workspace) -> Result<(), SaveError> {
    write_atomically(path, to_ron_string(ws).as_bytes(), true)
}

/// Writes `bytes` to `path` through a temporary file and a rename; optionally keeps `<name>.bak`.
pub fn write_atomically(path: &Path, bytes: &[u8], keep_backup: bool) -> Result<(), SaveError> {
    let fail = |what: &'static str| {
        move |source: std::io::Error| SaveError {
            path: path.to_owned(),
            what,
            source,
        }
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
        _ => PathBuf::from("."),
    };
    if path.is_dir() {
        return Err(fail("the path is a folder")(std::io::Error::from(
            std::io::ErrorKind::IsADirectory,
        )));
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file =
            fs::File::create(&tmp).map_err(fail("cannot create a temporary file in its folder"))?;
        file.write_all(bytes)
            .map_err(fail("cannot write the temporary file"))?;
        file.sync_all()
            .map_err(fail("cannot flush the temporary file to disk"))?;
        if keep_backup && path.exists() {
            let backup = backup_path(path);
            let _ = fs::remove_file(&backup);
            if fs::hard_link(path, &backup).is_err() {
                fs::copy(path, &backup)
                    .map_err(fail("cannot keep the previous version as .bak"))?;
            }
        }
        fs::rename(&tmp, path).map_err(fail("cannot replace the file"))?;
        if let Ok(dir) = fs::File::open(&dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if written.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    written
}
