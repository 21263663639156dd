//! The app's failures that need no window are logged with their path and reason: the recent
//! files list it cannot read or keep (it used to drop these silently).

use sig_studio::ui::tasks::files::{AppDirs, Recent};

use crate::common::log_capture::logged;
use crate::common::tempdir;

#[test]
fn recent_files_that_cannot_be_read_or_kept_are_logged() {
    let root = tempdir("log-recent");
    let dirs = AppDirs::under(&root);
    // None yet: nothing to say.
    let (recent, records) = logged(|| Recent::load(&dirs));
    assert_eq!(recent, Recent::default());
    assert_eq!(records, []);

    // A file where the config folder should be: the list cannot be kept.
    std::fs::write(&dirs.config, "not a folder").unwrap();
    let mut recent = Recent::default();
    recent.touch(&root.join("a.ron"));
    let ((), records) = logged(|| recent.store(&dirs));
    let warning = records
        .iter()
        .find(|r| r.level == log::Level::Warn)
        .unwrap_or_else(|| panic!("{records:?}"));
    assert!(warning.target.starts_with("sig_studio::ui::tasks"));
    assert!(
        warning
            .text
            .starts_with("cannot keep the recent files: could not save ")
            && warning.text.contains("recent.ron"),
        "{warning:?}"
    );

    // A list that is not RON: ignored, and said so.
    std::fs::remove_file(&dirs.config).unwrap();
    std::fs::create_dir_all(&dirs.config).unwrap();
    let path = dirs.config.join("recent.ron");
    std::fs::write(&path, "files: [").unwrap();
    let (recent, records) = logged(|| Recent::load(&dirs));
    assert_eq!(recent, Recent::default());
    assert_eq!(records.len(), 1, "{records:?}");
    assert!(
        records[0].text.starts_with(&format!(
            "the recent files {} are unreadable, ignored: ",
            path.display()
        )),
        "{records:?}"
    );
}
