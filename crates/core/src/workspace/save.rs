//! The safe save: a temporary file with a random name created exclusively in the target's
//! folder, flushed to disk, renamed over the target; the previous file kept as `<name>.bak`.
//!
//! On hostile ground (a folder others may write to):
//! - the temporary file never follows a planted link and never truncates an existing file;
//! - saving through a symbolic link writes the link's target and keeps the link;
//! - anything that is not a regular file (a device, a FIFO, a socket, a folder) is refused and
//!   left untouched, and so is a read-only file;
//! - the saved file keeps the previous file's permissions (and owner and group where the
//!   process may set them); a new file gets the process's default (0666 less the umask);
//! - temporary files left by an interrupted save of the same file are removed by the next one;
//! - a file changed on disk since it was read is not overwritten unless the caller says so
//!   ([`DiskStamp`]); saves of one file take turns from that check to the rename (an advisory
//!   lock on the file), so of two processes that read the same file, the second to save sees
//!   the first one's file and refuses;
//! - a script gets its mode on the temporary file before the rename, never by name.
//!
//! Hard links: the rename gives the path a new file, so other hard links to the old file keep
//! the previous content (as `<name>.bak` does); they are not updated.

use std::fs;
use std::hash::Hasher;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How many symbolic links a save follows before giving up (as the kernel does).
const MAX_LINKS: usize = 40;

/// A temporary file of the same target untouched for this long belongs to an interrupted save.
pub const STALE_AFTER: Duration = Duration::from_secs(60);

/// Why a save failed. The previous file is untouched in every case.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("could not save {}: {what}: {source}", path.display())]
    Io {
        path: PathBuf,
        what: &'static str,
        #[source]
        source: std::io::Error,
    },
    /// The target is not something a save may replace.
    #[error("could not save {}: {why}", path.display())]
    Refused { path: PathBuf, why: String },
    /// The file was changed by someone else since it was read or last saved.
    #[error(
        "{} was changed on disk since it was opened or last saved (by another program or window); it was not overwritten",
        path.display()
    )]
    ChangedOnDisk { path: PathBuf },
}

impl SaveError {
    /// Whether the save was refused because the file changed on disk.
    pub fn is_changed_on_disk(&self) -> bool {
        matches!(self, Self::ChangedOnDisk { .. })
    }
}

/// What a file on disk held when it was read or written: enough to tell whether someone else
/// changed it since. Equal metadata (size, modification time, file identity) means unchanged;
/// when the metadata differs, the content decides (a `touch` or an identical rewrite is no change).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiskStamp {
    len: u64,
    modified: Option<SystemTime>,
    identity: (u64, u64),
    hash: u64,
}

impl DiskStamp {
    /// The stamp of a file with this metadata and content.
    pub fn new(meta: &fs::Metadata, bytes: &[u8]) -> Self {
        Self::with_hash(meta, content_hash(bytes))
    }

    fn with_hash(meta: &fs::Metadata, hash: u64) -> Self {
        Self {
            len: meta.len(),
            modified: meta.modified().ok(),
            identity: identity(meta),
            hash,
        }
    }

    /// Whether the file at `path` (links followed) differs from this stamp. A file that is gone
    /// or unreadable counts as unchanged: writing it loses nothing anyone else wrote.
    pub fn changed(&self, path: &Path) -> bool {
        let Ok(meta) = fs::metadata(path) else {
            return false;
        };
        if meta.len() == self.len
            && meta.modified().ok() == self.modified
            && identity(&meta) == self.identity
        {
            return false;
        }
        if meta.len() != self.len {
            return true;
        }
        match fs::read(path) {
            Ok(bytes) => content_hash(&bytes) != self.hash,
            Err(_) => false,
        }
    }

    /// The stamp of the file at `path` as it is now.
    pub fn of_file(path: &Path) -> std::io::Result<Self> {
        let mut file = fs::File::open(path)?;
        let meta = file.metadata()?;
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.read_to_end(&mut bytes)?;
        Ok(Self::new(&meta, &bytes))
    }
}

#[cfg(unix)]
fn identity(meta: &fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn identity(_meta: &fs::Metadata) -> (u64, u64) {
    (0, 0)
}

/// A writer that passes bytes on and hashes them as [`content_hash`] does (the hash of bytes
/// written in pieces is the hash of the whole).
struct Hashing<W> {
    inner: W,
    hasher: std::hash::DefaultHasher,
}

impl<W: Write> Hashing<W> {
    fn new(inner: W) -> Self {
        Self {
            inner,
            hasher: std::hash::DefaultHasher::new(),
        }
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.write(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn content_hash(bytes: &[u8]) -> u64 {
    // Fixed keys: the same bytes give the same number within a run (all a stamp needs).
    let mut hasher = std::hash::DefaultHasher::new();
    hasher.write(bytes);
    hasher.finish()
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

/// The file a save to `path` writes: `path` itself, or the file its symbolic links lead to.
pub fn resolve_links(path: &Path) -> Result<PathBuf, SaveError> {
    let mut current = path.to_owned();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&current).map_err(|source| SaveError::Io {
                    path: path.to_owned(),
                    what: "cannot read the symbolic link",
                    source,
                })?;
                current = match current.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(SaveError::Refused {
        path: path.to_owned(),
        why: format!("more than {MAX_LINKS} symbolic links lead from it (a loop?)"),
    })
}

fn is_symlink(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// What a save may not replace: anything but a regular file, or a read-only file.
fn check_target(path: &Path, target: &Path) -> Result<Option<fs::Metadata>, SaveError> {
    let refuse = |why: String| SaveError::Refused {
        path: path.to_owned(),
        why,
    };
    match fs::symlink_metadata(target) {
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(SaveError::Io {
            path: path.to_owned(),
            what: "cannot read what is there",
            source,
        }),
        Ok(meta) if meta.is_dir() => Err(refuse(
            "the path is a folder; give a file name to save to".to_owned(),
        )),
        Ok(meta) if !meta.is_file() => Err(refuse(format!(
            "{} is not a regular file but {}; only a regular file (or a new one) is replaced, so it was left untouched",
            target.display(),
            super::input::file_kind(&meta)
        ))),
        Ok(meta) if meta.permissions().readonly() => Err(refuse(format!(
            "{} is read-only; make it writable, or save as another file",
            target.display()
        ))),
        Ok(meta) => Ok(Some(meta)),
    }
}

/// `.{name}.` — the start of every temporary file name of a save to `name`.
fn temp_prefix(file_name: &str) -> String {
    format!(".{file_name}.")
}

/// Whether `entry` is a temporary file of a save to `file_name`: `.{name}.{X}.tmp` with X
/// letters and digits only (a random part, or the process id of earlier versions).
pub fn is_temp_name(entry: &str, file_name: &str) -> bool {
    entry
        .strip_prefix(&temp_prefix(file_name))
        .and_then(|rest| rest.strip_suffix(".tmp"))
        .is_some_and(|middle| {
            !middle.is_empty() && middle.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// Removes temporary files of earlier saves of `file_name` in `dir` that nothing has written to
/// for [`STALE_AFTER`] before `now` (an interrupted save). Only regular files are removed; a
/// planted link is left alone (removing it would be harmless, but it is not ours).
pub fn remove_stale_temps(dir: &Path, file_name: &str, now: SystemTime) -> usize {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) => {
            log::warn!(
                "cannot list {} for stale temporary files: {err}",
                dir.display()
            );
            return 0;
        }
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !is_temp_name(name, file_name) {
            continue;
        }
        let Ok(meta) = fs::symlink_metadata(entry.path()) else {
            continue;
        };
        let stale = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age >= STALE_AFTER);
        if meta.is_file() && stale {
            match fs::remove_file(entry.path()) {
                Ok(()) => removed += 1,
                Err(err) => log::warn!(
                    "cannot remove the stale temporary file {}: {err}",
                    entry.path().display()
                ),
            }
        }
    }
    removed
}

/// Writes `bytes` to `path` safely (see the module documentation); optionally keeps
/// `<name>.bak`; with `expected`, refuses when the file on disk no longer matches it. Returns
/// the stamp of the file written.
pub fn write_file(
    path: &Path,
    bytes: &[u8],
    keep_backup: bool,
    expected: Option<&DiskStamp>,
) -> Result<DiskStamp, SaveError> {
    let options = WriteOptions {
        keep_backup,
        expected,
        ..WriteOptions::default()
    };
    write_with_from(path, &options, |out| out.write_all(bytes))
}

/// [`write_file`] with the content written by `content` as it is produced (an export of any
/// size is never held in memory whole); when `content` fails, nothing is replaced.
pub fn write_file_from(
    path: &Path,
    keep_backup: bool,
    expected: Option<&DiskStamp>,
    content: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<DiskStamp, SaveError> {
    let options = WriteOptions {
        keep_backup,
        expected,
        ..WriteOptions::default()
    };
    write_with_from(path, &options, content)
}

/// How [`write_with`] writes.
#[derive(Clone, Copy, Debug, Default)]
pub struct WriteOptions<'a> {
    /// Keep the previous file as `<name>.bak`.
    pub keep_backup: bool,
    /// Refuse when the file on disk no longer matches this stamp.
    pub expected: Option<&'a DiskStamp>,
    /// Give the file execute permission where it has read permission (a new file 0777 less the
    /// umask; an existing 0600 file 0700, 0644 0755), set on the temporary file before the
    /// rename, so no other file's mode is ever changed.
    pub executable: bool,
    /// Replace a symbolic link at the path by the new file instead of writing the file the
    /// link leads to (for files written into a folder others may write to: a link planted
    /// there is never followed).
    pub replace_links: bool,
}

/// Writes `bytes` to `path` safely (see the module documentation), as `options` say. Returns
/// the stamp of the file written.
pub fn write_with(
    path: &Path,
    bytes: &[u8],
    options: &WriteOptions<'_>,
) -> Result<DiskStamp, SaveError> {
    write_with_from(path, options, |out| out.write_all(bytes))
}

/// [`write_with`] with the content written by `content` as it is produced; when `content`
/// fails, nothing is replaced.
pub fn write_with_from(
    path: &Path,
    options: &WriteOptions<'_>,
    content: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<DiskStamp, SaveError> {
    let WriteOptions {
        keep_backup,
        expected,
        executable,
        replace_links,
    } = *options;
    let fail = |what: &'static str| {
        move |source: std::io::Error| SaveError::Io {
            path: path.to_owned(),
            what,
            source,
        }
    };
    let (target, previous) = if replace_links && is_symlink(path) {
        // The link itself is replaced: the new file gets a new file's mode.
        (path.to_owned(), None)
    } else {
        let target = resolve_links(path)?;
        let previous = check_target(path, &target)?;
        (target, previous)
    };
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_owned(),
        _ => PathBuf::from("."),
    };
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = temp_prefix(&file_name);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp").rand_bytes(8);
    #[cfg(unix)]
    {
        // Created with the process's default mode (0666 less the umask, 0777 for a script),
        // like a new file; an existing file's mode is set below.
        use std::os::unix::fs::PermissionsExt;
        let mode = if executable { 0o777 } else { 0o666 };
        builder.permissions(fs::Permissions::from_mode(mode));
    }
    // Random name, exclusive creation: never follows a planted link, never truncates a file.
    let mut tmp = builder
        .tempfile_in(&dir)
        .map_err(fail("cannot create a temporary file in its folder"))?;
    // "Now" as the file system tells it: the new temporary file's own time (the core reads no
    // clock). It is younger than STALE_AFTER, so it is never taken for a stale one.
    if let Ok(now) = tmp.as_file().metadata().and_then(|m| m.modified()) {
        remove_stale_temps(&dir, &file_name, now);
    }
    let mut out = Hashing::new(std::io::BufWriter::with_capacity(1 << 16, &mut tmp));
    content(&mut out)
        .and_then(|()| out.inner.flush())
        .map_err(fail("cannot write the temporary file"))?;
    let hash = out.hasher.finish();
    drop(out);
    if let Some(previous) = &previous {
        keep_metadata(tmp.as_file(), previous, executable)
            .map_err(fail("cannot give it the file's permissions"))?;
    }
    tmp.as_file()
        .sync_all()
        .map_err(fail("cannot flush the temporary file to disk"))?;
    let meta = tmp
        .as_file()
        .metadata()
        .map_err(fail("cannot read the temporary file"))?;
    let stamp = DiskStamp::with_hash(&meta, hash);
    // Saves of the same file take turns from the check to the rename: of two writers that read
    // the same file, the second sees the first one's file and refuses; and two never make the
    // same `.bak` at once.
    let _turn = previous.as_ref().and_then(|_| lock(&target));
    if expected.is_some_and(|e| e.changed(&target)) {
        return Err(SaveError::ChangedOnDisk {
            path: path.to_owned(),
        });
    }
    if keep_backup && previous.is_some() {
        keep_backup_of(&target).map_err(fail("cannot keep the previous version as .bak"))?;
    }
    // On failure the temporary file is removed when `tmp` drops.
    tmp.persist(&target)
        .map_err(|e| fail("cannot replace the file")(e.error))?;
    // The rename is made durable by syncing the folder; some file systems cannot.
    if let Err(err) = fs::File::open(&dir).and_then(|d| d.sync_all()) {
        log::debug!("cannot sync the folder {}: {err}", dir.display());
    }
    Ok(stamp)
}

/// Gives the new file the previous file's permissions (plus execute where it may read, for a
/// script), and its owner and group where the process may (as root, or the group when the user
/// belongs to it). Everything through the open file: nothing follows a name.
fn keep_metadata(
    file: &fs::File,
    previous: &fs::Metadata,
    executable: bool,
) -> std::io::Result<()> {
    let permissions = permissions_for(previous, executable);
    file.set_permissions(permissions.clone())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (uid, gid) = (previous.uid(), previous.gid());
        if std::os::unix::fs::fchown(file, Some(uid), Some(gid)).is_err()
            && let Err(err) = std::os::unix::fs::fchown(file, None, Some(gid))
        {
            // Only root or a member of the group may: the new file keeps the user's group.
            log::debug!("cannot keep the previous file's group {gid}: {err}");
        }
        // Changing the owner may clear set-id bits: apply the mode again.
        file.set_permissions(permissions)?;
    }
    Ok(())
}

/// The previous file's permissions; for a script, with execute permission for whoever may read
/// it (0600 → 0700, 0644 → 0755): never more than the file allowed before.
fn permissions_for(previous: &fs::Metadata, executable: bool) -> fs::Permissions {
    let permissions = previous.permissions();
    #[cfg(unix)]
    if executable {
        use std::os::unix::fs::PermissionsExt;
        let mode = permissions.mode();
        return fs::Permissions::from_mode(mode | ((mode & 0o444) >> 2));
    }
    let _ = executable;
    permissions
}

/// Waits for and takes an exclusive lock on the file at `target` (an advisory `flock`, held by
/// the returned handle). Opened without blocking, so a FIFO swapped in is not waited on. A file
/// that cannot be opened for reading, or a file system without locks (some network ones), saves
/// as before without one: the check for changes on disk remains, only its race with another
/// writer stays open.
#[cfg(unix)]
fn lock(target: &Path) -> Option<fs::File> {
    let file = super::input::open_nonblocking(target).ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    file.lock().is_ok().then_some(file)
}

/// Windows refuses to rename over a file that is open: no lock there.
#[cfg(not(unix))]
fn lock(_target: &Path) -> Option<fs::File> {
    None
}

/// `<name>.bak`: a hard link to the previous file, or a copy where links are not possible. The
/// copy is created exclusively, so a link planted at the backup's name is never followed.
fn keep_backup_of(target: &Path) -> std::io::Result<()> {
    let backup = backup_path(target);
    match fs::remove_file(&backup) {
        Ok(()) => {}
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => return Err(err),
    }
    match fs::hard_link(target, &backup) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Err(err),
        Err(_) => {
            let mut from = fs::File::open(target)?;
            let mut to = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&backup)?;
            std::io::copy(&mut from, &mut to)?;
            to.set_permissions(from.metadata()?.permissions())?;
            Ok(())
        }
    }
}
