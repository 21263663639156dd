//! Failures the core goes on without are logged with the path and the reason, and the usual
//! absences (no recovery copy) are not.

use sig_studio_core::workspace::recovery;

use crate::common::log_capture::logged;
use crate::common::tempdir;

#[test]
fn an_unreadable_recovery_copy_is_logged_with_its_path_and_reason() {
    let dir = tempdir("log-recovery-unreadable");
    // Nothing there: nothing to say.
    let (found, records) = logged(|| recovery::find(&dir));
    assert!(found.is_none());
    assert_eq!(records, []);
    recovery::discard(&dir);

    // A folder where the copy should be: it cannot be read, nor removed as a file.
    let path = recovery::recovery_path(&dir);
    std::fs::create_dir(&path).unwrap();
    let (found, records) = logged(|| recovery::find(&dir));
    assert!(found.is_none());
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0].level, log::Level::Warn);
    assert!(records[0].target.starts_with("sig_studio_core::workspace"));
    let text = &records[0].text;
    assert!(
        text.starts_with(&format!(
            "cannot read the recovery copy {}: ",
            path.display()
        )),
        "{text}"
    );
    assert!(text.len() > format!("cannot read the recovery copy {}: ", path.display()).len());

    let ((), records) = logged(|| recovery::discard(&dir));
    assert_eq!(records.len(), 1, "{records:?}");
    assert!(
        records[0].text.starts_with(&format!(
            "cannot remove the recovery copy {}: ",
            path.display()
        )),
        "{records:?}"
    );
}

#[test]
fn a_recovery_copy_that_cannot_be_written_says_why() {
    let dir = tempdir("log-recovery-write");
    // A file where the folder should be.
    let blocked = dir.join("data");
    std::fs::write(&blocked, "not a folder").unwrap();
    let ws = sig_studio_core::sample::sample();
    let (written, records) = logged(|| recovery::write(&blocked, &ws, None));
    let err = written.unwrap_err().to_string();
    assert!(err.contains(&blocked.display().to_string()), "{err}");
    assert!(
        records.iter().any(|r| r.level == log::Level::Debug
            && r.text.starts_with(&format!(
                "cannot create the folder {} for the recovery copy: ",
                blocked.display()
            ))),
        "{records:?}"
    );
}
