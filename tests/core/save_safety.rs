//! Saving on hostile ground: planted links and temporary names, saving through a link, targets
//! that are not regular files, permissions and owner, leftovers of interrupted saves, hard
//! links, and files changed on disk since they were read (issue 13, points 1–6).
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use sig_studio_core::model::Workspace;
use sig_studio_core::sample::sample;
use sig_studio_core::workspace::{
    self, DiskStamp, SaveError, backup_path, is_temp_name, load, load_stamped, save, save_checked,
    to_ron_string,
};

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sig-studio-save-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn edited() -> Workspace {
    let mut ws = sample();
    ws.galleries[0].description = "edited".to_owned();
    ws
}

fn temp_files(dir: &Path, name: &str) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| is_temp_name(n, name))
        .collect()
}

#[test]
fn planted_links_at_predictable_temp_names_are_never_followed() {
    let dir = tempdir("planted");
    let victim = dir.join("victim.txt");
    fs::write(&victim, "precious").unwrap();
    let file = dir.join("ws.ron");
    save(&file, &sample()).unwrap();
    // The old name scheme was `.{name}.{pid}.tmp`: plant links at this and the next pids.
    let pid = std::process::id();
    for p in pid..pid + 50 {
        symlink(&victim, dir.join(format!(".ws.ron.{p}.tmp"))).unwrap();
    }
    save(&file, &edited()).unwrap();
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(load(&file).unwrap(), edited());
    // The planted links are still links (not ours to remove), the victim untouched.
    assert!(
        fs::symlink_metadata(dir.join(format!(".ws.ron.{pid}.tmp")))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // A link planted at the backup's name is replaced, not written through.
    fs::remove_file(backup_path(&file)).unwrap();
    symlink(&victim, backup_path(&file)).unwrap();
    save(&file, &sample()).unwrap();
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(load(&backup_path(&file)).unwrap(), edited());
}

#[test]
fn saving_through_a_link_writes_its_target_and_keeps_the_link() {
    let dir = tempdir("link");
    let real = dir.join("real.ron");
    save(&real, &sample()).unwrap();
    let link = dir.join("link.ron");
    symlink("real.ron", &link).unwrap();
    // A chain of two links, relative and absolute.
    let link2 = dir.join("link2.ron");
    symlink(&link, &link2).unwrap();

    save(&link, &edited()).unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(load(&real).unwrap(), edited());
    assert_eq!(load(&backup_path(&real)).unwrap(), sample());

    save(&link2, &sample()).unwrap();
    assert!(
        fs::symlink_metadata(&link2)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(load(&real).unwrap(), sample());

    // A link loop is refused with a clear error.
    let a = dir.join("a.ron");
    let b = dir.join("b.ron");
    symlink(&b, &a).unwrap();
    symlink(&a, &b).unwrap();
    let err = save(&a, &sample()).unwrap_err();
    assert!(err.to_string().contains("symbolic links"), "{err}");
}

#[test]
fn targets_that_are_not_regular_files_are_refused_and_left_untouched() {
    let dir = tempdir("special");
    // A FIFO (a named pipe): opening it for writing would block; replacing it would lose it.
    let fifo = dir.join("pipe.ron");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    // A socket: device-like, and creatable without privileges.
    let socket = dir.join("socket.ron");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    // A link to the FIFO.
    let link = dir.join("link-to-pipe.ron");
    symlink(&fifo, &link).unwrap();
    for (path, kind) in [
        (&fifo, "FIFO"),
        (&socket, "socket"),
        (&link, "FIFO"),
        (&dir, "folder"),
    ] {
        let err = save(path, &sample()).unwrap_err();
        assert!(matches!(err, SaveError::Refused { .. }), "{err}");
        assert!(err.to_string().contains(kind), "{err}");
    }
    use std::os::unix::fs::FileTypeExt;
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert!(
        fs::symlink_metadata(&socket)
            .unwrap()
            .file_type()
            .is_socket()
    );
    assert!(!backup_path(&fifo).exists());
    assert!(temp_files(&dir, "pipe.ron").is_empty());
    // A character device (when the machine has /dev/null): refused before anything is created.
    let null = Path::new("/dev/null");
    if null.exists() {
        let err = save(null, &sample()).unwrap_err();
        assert!(err.to_string().contains("character device"), "{err}");
        assert!(
            fs::symlink_metadata(null)
                .unwrap()
                .file_type()
                .is_char_device()
        );
    }
}

#[test]
fn a_read_only_file_is_refused() {
    let dir = tempdir("readonly");
    let file = dir.join("ws.ron");
    save(&file, &sample()).unwrap();
    fs::set_permissions(&file, fs::Permissions::from_mode(0o444)).unwrap();
    let err = save(&file, &edited()).unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
    assert_eq!(load(&file).unwrap(), sample());
    assert_eq!(fs::metadata(&file).unwrap().mode() & 0o777, 0o444);
}

#[test]
fn permissions_and_owner_are_kept_and_new_files_get_the_default() {
    let dir = tempdir("mode");
    let file = dir.join("private.ron");
    save(&file, &sample()).unwrap();
    // A new file: the process's default, which is never more than 0666.
    let new_mode = fs::metadata(&file).unwrap().mode() & 0o777;
    assert_eq!(new_mode & !0o666, 0, "{new_mode:o}");
    assert_eq!(new_mode & 0o600, 0o600, "{new_mode:o}");
    // A private workspace stays private.
    fs::set_permissions(&file, fs::Permissions::from_mode(0o600)).unwrap();
    save(&file, &edited()).unwrap();
    assert_eq!(fs::metadata(&file).unwrap().mode() & 0o777, 0o600);
    fs::set_permissions(&file, fs::Permissions::from_mode(0o640)).unwrap();
    save(&file, &sample()).unwrap();
    assert_eq!(fs::metadata(&file).unwrap().mode() & 0o777, 0o640);
    // The owner is kept where the process may set it (as root: any owner).
    if fs::metadata(&file).unwrap().uid() == 0 {
        std::os::unix::fs::chown(&file, Some(4321), Some(4322)).unwrap();
        save(&file, &edited()).unwrap();
        let meta = fs::metadata(&file).unwrap();
        assert_eq!((meta.uid(), meta.gid()), (4321, 4322));
    }
}

#[test]
fn hard_links_keep_the_previous_content() {
    let dir = tempdir("hardlink");
    let file = dir.join("ws.ron");
    save(&file, &sample()).unwrap();
    let other = dir.join("other-name.ron");
    fs::hard_link(&file, &other).unwrap();
    save(&file, &edited()).unwrap();
    // As documented: the path gets the new file, other hard links keep the old one.
    assert_eq!(load(&file).unwrap(), edited());
    assert_eq!(load(&other).unwrap(), sample());
}

#[test]
#[expect(
    clippy::disallowed_methods,
    reason = "the test dates planted files against the file system's clock"
)]
fn stale_temporary_files_of_the_same_file_are_removed_by_the_next_save() {
    let dir = tempdir("stale");
    let file = dir.join("ws.ron");
    let old = SystemTime::now() - Duration::from_secs(3600);
    let plant = |name: &str, modified: SystemTime| {
        let path = dir.join(name);
        let f = fs::File::create(&path).unwrap();
        f.set_len(1024).unwrap();
        f.set_modified(modified).unwrap();
        path
    };
    // Left by killed saves: the old pid scheme and the random scheme.
    let by_pid = plant(".ws.ron.12345.tmp", old);
    let random = plant(".ws.ron.a1B2c3D4.tmp", old);
    // Not ours, or too recent (a save running right now in another process).
    let running = plant(".ws.ron.Zz9Yy8Xx.tmp", SystemTime::now());
    let other_file = plant(".other.ron.12345.tmp", old);
    let similar = plant(".ws.ron.backup.ron", old);
    save(&file, &sample()).unwrap();
    assert!(!by_pid.exists() && !random.exists());
    assert!(running.exists() && other_file.exists() && similar.exists());
    // No temporary file of this save is left behind either.
    let left = temp_files(&dir, "ws.ron");
    assert_eq!(left, [".ws.ron.Zz9Yy8Xx.tmp"]);
}

#[test]
fn a_file_changed_on_disk_since_it_was_read_is_not_overwritten() {
    let dir = tempdir("changed");
    let file = dir.join("ws.ron");
    save(&file, &sample()).unwrap();
    let (ws, stamp) = load_stamped(&file).unwrap();
    assert!(!stamp.changed(&file));
    // Touching the file, or rewriting the same bytes, is no change.
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, &text).unwrap();
    assert!(!stamp.changed(&file));
    // Someone else saves another content.
    let theirs = to_ron_string(&edited());
    fs::write(&file, &theirs).unwrap();
    assert!(stamp.changed(&file));
    let err = save_checked(&file, &ws, Some(&stamp)).unwrap_err();
    assert!(err.is_changed_on_disk(), "{err}");
    assert!(err.to_string().contains("changed on disk"), "{err}");
    assert_eq!(fs::read_to_string(&file).unwrap(), theirs, "theirs kept");
    assert!(temp_files(&dir, "ws.ron").is_empty());
    // Overwriting is a choice: without the stamp the save goes through, and the stamp it
    // returns is the new state of the file.
    let mine = save_checked(&file, &ws, None).unwrap();
    assert!(!mine.changed(&file));
    assert_eq!(mine, DiskStamp::of_file(&file).unwrap());
    // A save with the new stamp succeeds; a deleted file is simply written again.
    save_checked(&file, &edited(), Some(&mine)).unwrap();
    let stamp = DiskStamp::of_file(&file).unwrap();
    fs::remove_file(&file).unwrap();
    save_checked(&file, &ws, Some(&stamp)).unwrap();
    assert_eq!(workspace::load(&file).unwrap(), ws);
}
