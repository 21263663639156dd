//! File → Export…: the dialog writes an ARM template or an az script of the chosen scope,
//! through a command applied after the frame; a path that cannot be written says why.

use crate::common;

use common::{H, click, click_button, harness_with, tempdir};
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use sig_studio::export::{Scope, arm, az};
use sig_studio::sample::sample;
use sig_studio::ui::dialogs::export::ExportDialog;
use sig_studio::ui::dialogs::message::MessageDialog;

fn open_export(h: &mut H) {
    click(h, "File");
    click(h, "Export…");
    assert!(h.state().dialog().is_some_and(|d| d.is::<ExportDialog>()));
}

fn set_path(h: &mut H, path: &std::path::Path) {
    let field = h.get_by_role_and_label(Role::TextInput, "Export to path");
    field.focus();
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, "Export to path")
        .type_text(&path.display().to_string());
    h.run_steps(2);
}

#[test]
fn exports_the_template_of_the_workspace() {
    let dir = tempdir("export-arm");
    let mut h = harness_with(sample());
    open_export(&mut h);
    let target = dir.join("sample.json");
    set_path(&mut h, &target);
    click_button(&mut h, "Export");
    assert!(h.state().dialog().is_none());
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        arm::to_string(&sample(), &Scope::default()).unwrap()
    );
}

#[test]
fn exports_an_az_script_of_one_definition() {
    let dir = tempdir("export-az");
    let mut h = harness_with(sample());
    open_export(&mut h);
    click(&mut h, "az CLI script (bash)");
    click(&mut h, "Scope");
    click(&mut h, "contoso_images/ubuntu-2204-base");
    let target = dir.join("ubuntu.sh");
    set_path(&mut h, &target);
    click_button(&mut h, "Export");
    assert!(h.state().dialog().is_none());
    let scope = Scope::parse("contoso_images/ubuntu-2204-base").unwrap();
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        az::to_string(&sample(), &scope).unwrap()
    );
}

#[test]
fn a_path_that_cannot_be_written_says_why() {
    let dir = tempdir("export-fail");
    let mut h = harness_with(sample());
    open_export(&mut h);
    // The folder itself: it exists, but it is no file to write.
    set_path(&mut h, &dir);
    click_button(&mut h, "Export");
    assert!(h.state().dialog().is_some_and(|d| d.is::<MessageDialog>()));
    assert!(h.query_by_label_contains("Could not export").is_some());
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "nothing written"
    );
}
