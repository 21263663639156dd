//! Files on hostile ground, continued (issue 23): scripts get their mode before the rename and
//! keep a stricter one; inputs are regular files of a bounded size; files written into a folder
//! others may write to replace a planted link instead of following it, and refuse a FIFO.
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sig_studio_core::workspace::{
    self, MAX_INPUT_BYTES, load, read_input, write_replacing_links, write_script,
};

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sig-studio-robust-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn set_mode(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

/// The process's umask, read from a file it creates with mode 0777.
fn umask(dir: &Path) -> u32 {
    let probe = dir.join("umask-probe");
    let _ = fs::remove_file(&probe);
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o777)
        .open(&probe)
        .unwrap();
    let umask = !mode(&probe) & 0o777;
    fs::remove_file(&probe).unwrap();
    umask
}

#[test]
fn a_script_gets_execute_permission_only_where_it_may_be_read() {
    let dir = tempdir("script-modes");
    let script = dir.join("plan.sh");
    write_script(&script, "#!/bin/bash\n").unwrap();
    assert_eq!(mode(&script), 0o777 & !umask(&dir), "a new script");
    for (before, after) in [
        (0o600, 0o700),
        (0o644, 0o755),
        (0o640, 0o750),
        (0o700, 0o700),
    ] {
        set_mode(&script, before);
        write_script(&script, "#!/bin/bash\necho hi\n").unwrap();
        assert_eq!(mode(&script), after, "a {before:o} script");
    }
    // Through a link: the file the link leads to keeps its stricter mode; the link stays.
    let real = dir.join("real.sh");
    fs::write(&real, "old").unwrap();
    set_mode(&real, 0o600);
    let link = dir.join("link.sh");
    symlink(&real, &link).unwrap();
    write_script(&link, "#!/bin/bash\n").unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read_to_string(&real).unwrap(), "#!/bin/bash\n");
    assert_eq!(mode(&real), 0o700);
}

/// A link to another file swapped in at the script's name while scripts are written there never
/// widens that file's mode: the mode is set on the open temporary file, never by name.
#[test]
fn a_link_swapped_in_while_a_script_is_written_gets_no_wider_mode() {
    let dir = tempdir("script-swap");
    let victim = dir.join("secrets");
    fs::write(&victim, "secret").unwrap();
    set_mode(&victim, 0o600);
    let script = dir.join("plan.sh");
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            let planted = dir.join("planted");
            while !stop.load(Ordering::Relaxed) {
                let _ = fs::remove_file(&planted);
                if symlink(&victim, &planted).is_ok() {
                    let _ = fs::rename(&planted, &script);
                }
                std::thread::yield_now();
            }
        });
        for _ in 0..300 {
            let _ = write_script(&script, "#!/bin/bash\n");
            assert_eq!(mode(&victim) & 0o077, 0, "the victim's mode was widened");
        }
        stop.store(true, Ordering::Relaxed);
    });
}

/// Runs `f` on a thread; fails when it has not ended within 10 s (it waits on something).
fn without_waiting<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(10))
        .expect("still waiting after 10 s")
}

#[test]
fn an_input_that_is_not_a_regular_file_is_refused_without_waiting() {
    let dir = tempdir("special-inputs");
    let fifo = dir.join("fifo.ron");
    mkfifo(&fifo);
    let fifo_load = fifo.clone();
    let err = without_waiting(move || load(&fifo_load).unwrap_err().to_string());
    assert!(err.contains("not a regular file but a FIFO"), "{err}");
    for (path, what) in [
        (fifo.as_path(), "a FIFO (named pipe)"),
        (Path::new("/dev/zero"), "a character device"),
        (dir.as_path(), "a folder"),
    ] {
        let err = load(path).unwrap_err().to_string();
        assert!(
            err.contains(&format!("not a regular file but {what}")),
            "{err}"
        );
        assert!(err.starts_with(&path.display().to_string()), "{err}");
        let err = read_input(path, MAX_INPUT_BYTES).unwrap_err().to_string();
        assert!(err.contains(what), "{err}");
    }
}

#[test]
fn an_input_larger_than_the_limit_is_refused_naming_the_limit() {
    let dir = tempdir("large-input");
    let big = dir.join("big.ron");
    // Sparse: no disk is used.
    let file = fs::File::create(&big).unwrap();
    file.set_len(MAX_INPUT_BYTES + 1).unwrap();
    let err = load(&big).unwrap_err().to_string();
    assert!(
        err.contains("more than the 1 GiB SIG Studio reads") && err.contains("big.ron"),
        "{err}"
    );
    // The limit applies while reading too (a file that grows).
    fs::write(&big, "0123456789").unwrap();
    let err = read_input(&big, 4).unwrap_err().to_string();
    assert!(err.contains("more than the 4 bytes"), "{err}");
    assert_eq!(read_input(&big, 10).unwrap().0, b"0123456789");
}

#[test]
fn a_file_written_into_a_shared_folder_replaces_a_planted_link_and_refuses_a_fifo() {
    let dir = tempdir("shared-folder");
    let victim = dir.join("victim");
    fs::write(&victim, "keep").unwrap();
    let out = dir.join("gallery.png");
    symlink(&victim, &out).unwrap();
    write_replacing_links(&out, b"png").unwrap();
    assert_eq!(fs::read_to_string(&victim).unwrap(), "keep");
    assert!(fs::symlink_metadata(&out).unwrap().is_file());
    assert_eq!(fs::read(&out).unwrap(), b"png");
    // A FIFO at the name is refused at once and left there.
    let fifo = dir.join("tree.png");
    mkfifo(&fifo);
    let fifo_write = fifo.clone();
    let err = without_waiting(move || {
        write_replacing_links(&fifo_write, b"png")
            .unwrap_err()
            .to_string()
    });
    assert!(err.contains("FIFO"), "{err}");
    assert!(!fs::symlink_metadata(&fifo).unwrap().is_file());
    // A regular file is replaced as every save replaces it.
    write_replacing_links(&out, b"png 2").unwrap();
    assert_eq!(fs::read(&out).unwrap(), b"png 2");
    assert!(workspace::backup_path(&out).symlink_metadata().is_err());
}
