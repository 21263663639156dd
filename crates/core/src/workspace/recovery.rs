//! Recovery copies: while a workspace has unsaved changes the app writes it here every so
//! often; after a crash the next start offers to restore it; a clean save or quit removes it.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::format::push_ron;
use super::{LoadError, SaveError, write_atomically};
use crate::model::Workspace;

const FILE_NAME: &str = "recovery.ron";
const ORIGIN_PREFIX: &str = "// recovery copy of: ";
const UNTITLED: &str = "(untitled)";

/// A recovery copy found at start-up.
#[derive(Debug, Clone)]
pub struct RecoveryCopy {
    pub path: PathBuf,
    /// The file the unsaved work belonged to, if it had one.
    pub origin: Option<PathBuf>,
    pub modified: Option<SystemTime>,
}

pub fn recovery_path(dir: &Path) -> PathBuf {
    dir.join(FILE_NAME)
}

/// Writes a recovery copy of `ws` (which belongs to `origin`, if saved before) into `dir`.
pub fn write(dir: &Path, ws: &Workspace, origin: Option<&Path>) -> Result<(), SaveError> {
    if let Err(err) = fs::create_dir_all(dir) {
        // The write below fails too and says so; this says why.
        log::debug!(
            "cannot create the folder {} for the recovery copy: {err}",
            dir.display()
        );
    }
    let origin = origin.map_or_else(|| UNTITLED.to_owned(), |p| p.display().to_string());
    // The workspace's text follows the origin line in the same string: a copy of a large
    // workspace's text costs as much memory again (100 MB at 100,000 versions).
    let mut text = String::with_capacity(256 + ws.version_count() * 1000);
    text.push_str(&format!("{ORIGIN_PREFIX}{origin}\n"));
    push_ron(&mut text, ws);
    write_atomically(&recovery_path(dir), text.as_bytes(), false)
}

/// The recovery copy in `dir`, if there is one.
pub fn find(dir: &Path) -> Option<RecoveryCopy> {
    let path = recovery_path(dir);
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return None,
        Err(err) => {
            log::warn!("cannot read the recovery copy {}: {err}", path.display());
            return None;
        }
    };
    let origin = text
        .lines()
        .next()
        .and_then(|line| line.strip_prefix(ORIGIN_PREFIX))
        .filter(|o| *o != UNTITLED)
        .map(PathBuf::from);
    let modified = fs::metadata(&path)
        .and_then(|m| m.modified())
        .map_err(|err| log::debug!("no modification time for {}: {err}", path.display()))
        .ok();
    Some(RecoveryCopy {
        path,
        origin,
        modified,
    })
}

/// Loads a recovery copy.
pub fn load(copy: &RecoveryCopy) -> Result<Workspace, LoadError> {
    super::load(&copy.path)
}

/// Removes the recovery copy (after a clean save or quit, or when the user discards it).
pub fn discard(dir: &Path) {
    let path = recovery_path(dir);
    match fs::remove_file(&path) {
        Err(err) if err.kind() != io::ErrorKind::NotFound => {
            log::warn!("cannot remove the recovery copy {}: {err}", path.display());
        }
        _ => {}
    }
}
