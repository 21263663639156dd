//! *Hand off to build…* (issue 25): a version's Packer HCL and Image Builder JSON with their
//! notes and the pre-flight of each, as `sig-studio export --format packer|image-builder` and
//! `sig-studio preflight` give them; copied, saved, and a publish that would fail shown.

use crate::common::{self, H, Setup, click, click_button, finish_file_work, select, tempdir};
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use sig_studio::export::handoff;
use sig_studio::model::{ResourcePath, StorageType, Workspace};
use sig_studio::sample::sample;
use sig_studio::ui::actions::UserAction;
use sig_studio::ui::dialogs::handoff::HandoffDialog;

const VERSION: (&str, &str, &str) = ("contoso_images", "ubuntu-2204-base", "1.0.12");

fn version() -> ResourcePath {
    ResourcePath::version(VERSION.0, VERSION.1, VERSION.2)
}

fn dialog(h: &H) -> &HandoffDialog {
    h.state()
        .dialog()
        .and_then(|d| d.downcast_ref::<HandoffDialog>())
        .expect("the hand-off dialog is open")
}

/// The text in the read-only field labelled `label`.
fn shown_text(h: &H, label: &str) -> String {
    h.get_by_role_and_label(Role::MultilineTextInput, label)
        .accesskit_node()
        .value()
        .unwrap_or_default()
        .to_owned()
}

/// The sample with `ws`'s version selected, its hand-off opened from the version's editor.
fn open_from_editor(ws: Workspace) -> H {
    let mut h = Setup::new(ws).build();
    select(&mut h, version());
    common::click_in_editor(&mut h, "Hand off to build…");
    let _ = dialog(&h);
    h
}

fn expected(ws: &Workspace) -> handoff::Prepared {
    let path = version().to_string();
    handoff::prepare(ws, &path, &handoff::Options::default(), common::today()).unwrap()
}

#[test]
fn the_editor_opens_both_texts_with_each_tools_preflight() {
    let mut h = open_from_editor(sample());
    let want = expected(&sample());
    // Packer first: the text as the command line writes it, its notes and its pre-flight.
    assert_eq!(shown_text(&h, "Packer HCL"), want.packer.text);
    assert!(
        want.packer
            .text
            .contains("shared_image_gallery_destination")
    );
    h.get_by_label_contains("Pre-flight: nothing would make the publish fail");
    h.get_by_label_contains("Publish timeout written: ");
    h.get_by_label_contains("is planned, not known in Azure: deploy it before the build");
    // Image Builder: its JSON, its build timeout, and the warning its pre-flight has.
    click(&mut h, "Azure Image Builder");
    assert_eq!(
        shown_text(&h, "Image Builder JSON"),
        want.image_builder.text
    );
    assert!(want.image_builder.text.contains("SharedImage"));
    h.get_by_label_contains("Build timeout written: ");
    h.get_by_label_contains("Pre-flight: 1 warning");
    h.get_by_label_contains("build tool: galleryImageId holds {subscription-id}");
    // The generation given, the pre-flight no longer says it did not check it.
    h.get_by_label_contains("Hyper-V generation is not known");
    h.get_by_role_and_label(Role::ComboBox, "Base image's Hyper-V generation")
        .click();
    h.run_steps(2);
    click(&mut h, "V2");
    assert!(
        h.query_by_label_contains("Hyper-V generation is not known")
            .is_none()
    );
    click_button(&mut h, "Close");
    assert!(h.state().dialog().is_none());
}

#[test]
fn a_text_is_copied_and_saved_with_the_safe_write_of_exports() {
    let dir = tempdir("handoff-save");
    let file = dir.join("work.ron");
    sig_studio::workspace::save(&file, &sample()).unwrap();
    let mut h = common::open_file(&file);
    select(&mut h, version());
    let ctx = h.ctx.clone();
    h.state_mut().run(UserAction::HandOff, &ctx);
    h.run_steps(8);
    let want = expected(&sample());
    // Copy: the clipboard gets the text, and the dialog says so.
    h.get_by_label("Copy").click();
    h.step();
    let copied = h
        .output()
        .platform_output
        .commands
        .iter()
        .any(|c| matches!(c, egui::OutputCommand::CopyText(text) if *text == want.packer.text));
    assert!(copied, "the Packer HCL went to the clipboard");
    h.run_steps(2);
    h.get_by_label("The Packer HCL is on the clipboard");
    // Save: beside the workspace's file by default.
    let default = dir.join("ubuntu-2204-base-1.0.12.pkr.hcl");
    assert_eq!(dialog(&h).packer_path, default.display().to_string());
    click_button(&mut h, "Save");
    assert_eq!(std::fs::read_to_string(&default).unwrap(), want.packer.text);
    h.get_by_label_contains("Packer HCL written to");
    // Never over the workspace's own file.
    let field = h.get_by_role_and_label(Role::TextInput, "Save to path");
    field.focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, "Save to path")
        .type_text(&file.display().to_string());
    h.run_steps(2);
    click_button(&mut h, "Save");
    h.get_by_label_contains("is the workspace's own file: choose another name");
    finish_file_work(&mut h);
    assert_eq!(
        sig_studio::workspace::load(&file).unwrap(),
        sample(),
        "the workspace's file is untouched"
    );
}

#[test]
fn a_version_that_would_fail_to_publish_shows_why() {
    let mut ws = sample();
    // Zone-redundant storage in every region, one of which has no availability zones.
    let no_zones = {
        let g = ws.gallery_mut(VERSION.0).unwrap();
        let d = g
            .definitions
            .iter_mut()
            .find(|d| d.name == VERSION.1)
            .unwrap();
        let v = d.versions.iter_mut().find(|v| v.name == VERSION.2).unwrap();
        v.storage_type = StorageType::Standard_ZRS;
        v.target_regions
            .iter()
            .find(|t| !t.region.offers_zrs())
            .map(|t| t.region)
            .expect("a region without zones")
    };
    let mut h = open_from_editor(ws);
    h.get_by_label_contains("Pre-flight: the publish would fail (");
    h.get_by_label_contains(&format!(
        "zone-redundant storage ({}): ",
        no_zones.display_name()
    ));
    let quoted = "The service: “ZRS storage account type is not supported in this region.”";
    assert!(h.get_all_by_label_contains(quoted).next().is_some());
    click(&mut h, "Azure Image Builder");
    h.get_by_label_contains("Pre-flight: the publish would fail (");
}

#[test]
fn only_a_version_is_handed_off() {
    let mut h = common::harness_with(sample());
    let ctx = h.ctx.clone();
    h.state_mut().run(UserAction::HandOff, &ctx);
    h.run_steps(4);
    assert!(h.state().dialog().is_none());
    h.get_by_label_contains("Hand off to build refused: Select an image version first");
    // A definition's menu (Edit) leaves it out; a version's has it.
    select(&mut h, ResourcePath::definition(VERSION.0, VERSION.1));
    click(&mut h, "Edit");
    assert!(
        h.get_all_by_label("Deploy…").count() >= 2,
        "the menu is open"
    );
    assert!(h.query_by_label("Hand off to build…").is_none());
    h.key_press(egui::Key::Escape);
    h.run_steps(4);
    select(&mut h, version());
    click(&mut h, "Edit");
    h.get_all_by_label("Hand off to build…")
        .next()
        .unwrap()
        .click();
    h.run_steps(8);
    let _ = dialog(&h);
}
