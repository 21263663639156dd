//! The app's Save when the file changed on disk behind its back (issue 13, point 6): it says
//! so, offers Reload / Save as another file / Overwrite / Cancel, and never overwrites silently.

use crate::common;

use common::{H, click, finish_file_work, tempdir};
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use sig_studio::model::{ResourcePath, Workspace};
use sig_studio::sample::sample;
use sig_studio::ui::dialogs::changed_on_disk::ChangedOnDiskDialog;
use sig_studio::ui::dialogs::save_path::SavePathDialog;
use sig_studio::workspace::{backup_path, load, save, to_ron_string};

fn theirs() -> Workspace {
    let mut ws = sample();
    ws.galleries[0].description = "changed by someone else".to_owned();
    ws
}

/// The app with `ws.ron` open and one unsaved edit; then someone else rewrites the file and
/// the user presses Ctrl+S.
fn changed_behind_its_back(name: &str) -> (H, std::path::PathBuf) {
    let dir = tempdir(&format!("files-{name}"));
    let file = dir.join("ws.ron");
    save(&file, &sample()).unwrap();
    let mut h = common::open_file(&file);
    assert_eq!(h.state().doc.path.as_deref(), Some(file.as_path()));
    h.state_mut().select_path(ResourcePath::version(
        "contoso_images",
        "ubuntu-2204-base",
        "1.0.8",
    ));
    h.run_steps(3);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::D);
    h.run_steps(12);
    assert!(h.state().doc.is_dirty(), "Ctrl+D duplicated the version");
    // A `git pull`, another window: the file changes on disk.
    std::fs::write(&file, to_ron_string(&theirs())).unwrap();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    finish_file_work(&mut h);
    assert!(
        h.state()
            .dialog()
            .is_some_and(|d| d.is::<ChangedOnDiskDialog>()),
        "Save asks instead of overwriting"
    );
    h.get_by_label("Changed on disk");
    assert_eq!(load(&file).unwrap(), theirs(), "nothing was written");
    assert!(h.state().doc.is_dirty());
    (h, file)
}

#[test]
fn cancel_then_save_as_another_file() {
    let (mut h, file) = changed_behind_its_back("save-as");
    click(&mut h, "Cancel");
    assert!(h.state().dialog().is_none());
    assert!(h.state().doc.is_dirty(), "the changes are still here");
    assert_eq!(load(&file).unwrap(), theirs());

    // Asked again on the next Save; Escape cancels too.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    finish_file_work(&mut h);
    assert!(
        h.state()
            .dialog()
            .is_some_and(|d| d.is::<ChangedOnDiskDialog>())
    );
    h.key_press(egui::Key::Escape);
    h.run_steps(12);
    assert!(h.state().dialog().is_none(), "Escape closes the question");
    assert_eq!(load(&file).unwrap(), theirs());
    assert!(h.state().doc.is_dirty());

    // Asked again; this time saved as another file.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    finish_file_work(&mut h);
    assert!(
        h.state()
            .dialog()
            .is_some_and(|d| d.is::<ChangedOnDiskDialog>())
    );
    click(&mut h, "Save as another file…");
    assert!(h.state().dialog().is_some_and(|d| d.is::<SavePathDialog>()));
    let other = file.with_file_name("mine.ron");
    let field = h.get_by_role_and_label(Role::TextInput, "Save to path");
    field.focus();
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, "Save to path")
        .type_text(&other.display().to_string());
    h.run_steps(2);
    click(&mut h, "Save");
    finish_file_work(&mut h);
    assert!(!h.state().doc.is_dirty());
    assert_eq!(load(&other).unwrap(), *h.state().doc.ws());
    assert_eq!(load(&file).unwrap(), theirs(), "theirs is untouched");
    assert_eq!(h.state().doc.path.as_deref(), Some(other.as_path()));
}

#[test]
fn overwrite_writes_mine_and_keeps_theirs_as_bak() {
    let (mut h, file) = changed_behind_its_back("overwrite");
    click(&mut h, "Overwrite");
    finish_file_work(&mut h);
    assert!(!h.state().doc.is_dirty());
    assert!(h.state().dialog().is_none());
    assert_eq!(load(&file).unwrap(), *h.state().doc.ws());
    assert_eq!(load(&backup_path(&file)).unwrap(), theirs());
    // The next save of an unchanged file asks nothing.
    h.state_mut().select_path(ResourcePath::version(
        "contoso_images",
        "ubuntu-2204-base",
        "1.0.8",
    ));
    h.run_steps(3);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::D);
    h.run_steps(12);
    assert!(h.state().doc.is_dirty());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    finish_file_work(&mut h);
    assert!(h.state().dialog().is_none());
    assert_eq!(load(&file).unwrap(), *h.state().doc.ws());
}

#[test]
fn reload_from_disk_takes_theirs() {
    let (mut h, file) = changed_behind_its_back("reload");
    click(&mut h, "Reload from disk");
    finish_file_work(&mut h);
    assert_eq!(*h.state().doc.ws(), theirs());
    assert!(!h.state().doc.is_dirty());
    assert_eq!(load(&file).unwrap(), theirs());
    assert!(h.state().dialog().is_none());
}
