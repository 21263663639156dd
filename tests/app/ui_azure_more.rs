//! More of the window's connection to Azure: a refresh conflict resolved keeping mine and
//! taking Azure's (and cancelled), the token in no file the app writes, the first start's word
//! that the app works offline.

use std::path::Path;

use crate::common;

use common::{H, click, click_button, tempdir};
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use sig_studio::model::ResourcePath;
use sig_studio::ui::dialogs::azure_changes::AzureChangesDialog;
use sig_studio::ui::tasks::files::AppDirs;
use sig_studio::ui::{Prefs, SigStudioApp, Startup};

use crate::shared::mock_arm::{self, MockArm, TOKEN_PREFIX};
use crate::ui_azure::{TestClock, connect, empty_app, finish_azure};

const G: &str = "contosoGallery";
const D: &str = "ubuntu-base";
const CONFLICT: &str = "image definition contosoGallery/ubuntu-base";

/// No file under `dir` but the fake az (which hands the tokens out) holds a token.
pub fn no_token_in(dir: &Path) {
    let mut files = 0;
    let mut stack = vec![dir.to_owned()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy();
            if name == "az" || name == "az-calls" {
                continue;
            }
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            assert!(
                !text.contains(TOKEN_PREFIX),
                "{} holds a token",
                path.display()
            );
            files += 1;
        }
    }
    assert!(files > 0, "no file was written under {}", dir.display());
}

fn description(h: &H, azure: bool) -> String {
    let ws = h.state().doc.ws();
    if azure {
        let seen = ws.azure.as_ref().unwrap();
        let g = seen.galleries().iter().find(|g| g.name == G).unwrap();
        g.definition(D).unwrap().description.clone()
    } else {
        ws.gallery(G)
            .unwrap()
            .definition(D)
            .unwrap()
            .description
            .clone()
    }
}

/// Types a new description for the definition in its editor (committed when the field lets
/// go of the keyboard).
fn describe(h: &mut H, text: &str) {
    h.state_mut().select_path(ResourcePath::definition(G, D));
    h.run_steps(4);
    let field = h.get_by_role_and_label(Role::MultilineTextInput, "Description");
    field.focus();
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::MultilineTextInput, "Description")
        .type_text(text);
    h.run_steps(2);
    h.key_press(egui::Key::Escape);
    h.run_steps(4);
    assert_eq!(description(h, false), text);
}

/// Azure changes the definition's description; F5 shows the conflict.
fn conflicting_refresh(h: &mut H, mock: &MockArm, theirs: &str) {
    let theirs = theirs.to_owned();
    mock.change(move |c| c.galleries[0].definitions[0].description = theirs);
    common::shortcut(h, egui::Modifiers::NONE, egui::Key::F5);
    finish_azure(h);
    assert!(
        h.state()
            .dialog()
            .is_some_and(|d| d.is::<AzureChangesDialog>())
    );
    h.get_by_label_contains(&format!("{CONFLICT}: Azure changed it; you changed it"));
    let apply = h.get_by_role_and_label(Role::Button, "Apply");
    assert!(apply.accesskit_node().is_disabled(), "a conflict is left");
}

#[test]
fn a_refresh_conflict_is_resolved_keeping_mine_or_taking_azures() {
    let mock = MockArm::start(mock_arm::small());
    let dir = tempdir("azure-conflict");
    let clock = TestClock::default();
    let mut h = empty_app(&mock, &dir, &clock);
    connect(&mut h);
    describe(&mut h, "Mine");

    // Cancel: nothing changes, not even Azure as last seen.
    conflicting_refresh(&mut h, &mock, "Ubuntu LTS");
    // Beside Azure's changes, the planned edits.
    h.get_by_label("Update image definition contosoGallery/ubuntu-base");
    let seen = h.state().doc.ws().azure.clone();
    click_button(&mut h, "Cancel");
    assert_eq!(description(&h, false), "Mine");
    assert_eq!(h.state().doc.ws().azure, seen);

    // Keep mine: the plan keeps it, Azure as last seen takes Azure's.
    conflicting_refresh(&mut h, &mock, "Ubuntu LTS");
    click(&mut h, &format!("Keep mine: {CONFLICT}"));
    click_button(&mut h, "Apply");
    assert!(h.state().dialog().is_none());
    assert_eq!(description(&h, false), "Mine");
    assert_eq!(description(&h, true), "Ubuntu LTS");

    // Take Azure's: the plan takes it, as one undo step that Undo takes back.
    describe(&mut h, "Mine again");
    conflicting_refresh(&mut h, &mock, "Ubuntu 24.04");
    let undo = h.state().doc.undo_depth();
    click(&mut h, &format!("Take Azure's: {CONFLICT}"));
    click_button(&mut h, "Apply");
    assert_eq!(description(&h, false), "Ubuntu 24.04");
    assert_eq!(description(&h, true), "Ubuntu 24.04");
    assert_eq!(h.state().doc.undo_depth(), undo + 1);
    common::shortcut(&mut h, egui::Modifiers::COMMAND, egui::Key::Z);
    assert_eq!(description(&h, false), "Mine again");
    assert_eq!(
        description(&h, true),
        "Ubuntu 24.04",
        "undo leaves Azure as seen"
    );
}

#[test]
fn the_token_is_in_no_file_the_app_writes() {
    let mock = MockArm::start(mock_arm::small());
    let dir = tempdir("azure-token");
    let clock = TestClock::default();
    let mut h = empty_app(&mock, &dir, &clock);
    connect(&mut h);
    common::shortcut(&mut h, egui::Modifiers::NONE, egui::Key::F5);
    finish_azure(&mut h);
    // Every request carried a token, so the app held one.
    assert!(mock.requests().iter().all(|r| {
        r.authorization
            .as_deref()
            .is_some_and(|a| a.starts_with(&format!("Bearer {TOKEN_PREFIX}")))
    }));
    // A recovery copy of the open workspace, as the app writes it, and the saved file.
    let data = dir.join("app").join("recovery-check");
    std::fs::create_dir_all(&data).unwrap();
    sig_studio::workspace::recovery::write(&data, h.state().doc.ws(), None).unwrap();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    common::finish_file_work(&mut h);
    assert!(!h.state().doc.is_dirty());
    no_token_in(&dir);
}

#[test]
fn the_first_start_says_the_app_works_offline_once() {
    let dir = tempdir("azure-first-start");
    let start = || {
        let app = SigStudioApp::new(
            Startup::Restore,
            Some(AppDirs::under(&dir)),
            Prefs::default(),
            common::today(),
        )
        .without_native_dialogs();
        let mut h = common::harness(app, 1.0);
        h.run_steps(4);
        h
    };
    let words = "works offline, on workspace files, until you connect to Azure";
    let h = start();
    h.get_by_label_contains(words);
    h.get_by_label("Offline");
    drop(h);
    let h = start();
    assert!(h.query_by_label_contains(words).is_none());
}

/// With every frame due (an interval of zero), polls come by themselves, but never while the
/// window is minimised, and none once nothing replicates.
#[test]
fn polls_come_when_due_never_while_minimised_and_stop_when_nothing_replicates() {
    let mock = MockArm::start(mock_arm::small());
    let dir = tempdir("azure-poll-schedule");
    let clock = TestClock::default();
    let mut h = empty_app(&mock, &dir, &clock);
    let minimise = |h: &mut H, minimised: bool| {
        let viewport = h.input_mut().viewports.entry(egui::ViewportId::ROOT);
        viewport.or_default().minimized = Some(minimised);
    };
    minimise(&mut h, true);
    h.state_mut()
        .set_azure_setup(sig_studio::ui::tasks::azure::AzureSetup {
            poll_interval: std::time::Duration::ZERO,
            ..crate::ui_azure::setup(dir.join("az"), &clock)
        });
    connect(&mut h);
    let read = mock.requests().len();
    h.run_steps(10);
    assert_eq!(mock.requests().len(), read, "no poll while minimised");

    minimise(&mut h, false);
    let mut polls = 0;
    while h.state().doc.ws().azure.as_ref().is_some_and(|seen| {
        !sig_studio::azure::poll::replicating(seen, mock_arm::SUBSCRIPTION).is_empty()
    }) {
        assert!(polls < 10, "the version never completed");
        h.run_steps(1);
        h.state().wait_for_azure();
        h.run_steps(1);
        polls += 1;
    }
    let polled = mock.requests().len();
    assert_eq!(polled - read, 3, "40 % + 3 × 20 points: three polls");
    h.run_steps(10);
    assert_eq!(
        mock.requests().len(),
        polled,
        "nothing replicates: nothing is polled"
    );
}
