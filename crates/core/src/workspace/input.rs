//! Reading what a user names as an input (a workspace, an import's JSON): only a regular file,
//! and at most [`MAX_INPUT_BYTES`] of it. `/dev/zero` would otherwise be read until memory runs
//! out, and a FIFO without a writer blocks the open itself; the errors say which, and the limit.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

/// The largest input read: 1 GiB, ten times a workspace of 100,000 versions.
pub const MAX_INPUT_BYTES: u64 = 1 << 30;

/// Opens `path` for reading if it is a regular file of at most `limit` bytes; the error says
/// what it is instead, or how large it is and the limit. The open never blocks (a FIFO is
/// refused, not waited on). Read at most `limit` bytes from the file: it may grow meanwhile.
pub fn open_input(path: &Path, limit: u64) -> io::Result<(fs::File, fs::Metadata)> {
    let file = open_nonblocking(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "not a regular file but {}: only regular files are read",
                file_kind(&meta)
            ),
        ));
    }
    if meta.len() > limit {
        return Err(too_large(meta.len(), limit));
    }
    Ok((file, meta))
}

/// The content of the regular file at `path`, at most `limit` bytes (see [`open_input`]), and
/// its metadata from when it was opened.
pub fn read_input(path: &Path, limit: u64) -> io::Result<(Vec<u8>, fs::Metadata)> {
    let (file, meta) = open_input(path, limit)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64, limit));
    }
    Ok((bytes, meta))
}

fn too_large(len: u64, limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "the file is {}, more than the {} SIG Studio reads",
            size_text(len),
            size_text(limit)
        ),
    )
}

/// `1 GiB`, `1.5 GiB`, `300 MiB`, `12 bytes`.
fn size_text(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if bytes >= size {
            let value = bytes as f64 / size as f64;
            return if value.fract() == 0.0 {
                format!("{value} {unit}")
            } else {
                format!("{value:.1} {unit}")
            };
        }
    }
    format!("{bytes} bytes")
}

/// Opens for reading without waiting for a FIFO's writer.
#[cfg(unix)]
pub(super) fn open_nonblocking(path: &Path) -> io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    // Reads of a regular file ignore O_NONBLOCK; only the open of a FIFO would have waited.
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
pub(super) fn open_nonblocking(path: &Path) -> io::Result<fs::File> {
    fs::File::open(path)
}

/// What a path that is not a regular file is, in words (errors of reads and saves).
#[cfg(unix)]
pub(super) fn file_kind(meta: &fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let kind = meta.file_type();
    if kind.is_dir() {
        "a folder"
    } else if kind.is_fifo() {
        "a FIFO (named pipe)"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
pub(super) fn file_kind(meta: &fs::Metadata) -> &'static str {
    if meta.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(size_text(1 << 30), "1 GiB");
        assert_eq!(size_text(3 << 29), "1.5 GiB");
        assert_eq!(size_text(300 << 20), "300 MiB");
        assert_eq!(size_text((300 << 20) + (1 << 19)), "300.5 MiB");
        assert_eq!(size_text(12), "12 bytes");
    }
}
