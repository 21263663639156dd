//! *Review changes → Apply to Azure…* (issue 21), driven through the labels a screen reader
//! uses against the mock ARM server and a fake az: Azure read again, the plan confirmed with
//! its delete named, each step finishing, a new region's bar following Azure's polls to
//! Completed, the file saved with what was done; conflicts stop it before anything is sent;
//! only the workspace owner may apply.

use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use sig_studio::model::{Edit, Region, ResourcePath, TargetRegion};
use sig_studio::ui::dialogs::apply_to_azure::ApplyDialog;

use crate::common::{self, H, click, click_button, finish_file_work, tempdir};
use crate::shared::mock_arm::{self, Fault, MockArm};
use crate::ui_azure::{TestClock, connect, empty_app, finish_azure};

const G: &str = "contosoGallery";

/// Connected to the mock, the workspace saved; then a region added to win2022's version and
/// ubuntu-base/1.0.0 deleted.
fn connected_and_edited(mock: &MockArm, name: &str) -> (H, std::path::PathBuf) {
    let dir = tempdir(name);
    let clock = TestClock::default();
    let mut h = empty_app(mock, &dir, &clock);
    connect(&mut h);
    let doc = &mut h.state_mut().doc;
    let mut version = doc
        .ws()
        .gallery(G)
        .unwrap()
        .definition("win2022")
        .unwrap()
        .versions[0]
        .clone();
    version
        .target_regions
        .push(TargetRegion::new(Region::parse("westeurope").unwrap()));
    doc.apply(Edit::UpdateVersion {
        gallery: G.into(),
        definition: "win2022".into(),
        name: version.name.clone(),
        version,
    })
    .unwrap();
    doc.apply(Edit::delete(&ResourcePath::version(G, "ubuntu-base", "1.0.0")).unwrap())
        .unwrap();
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    finish_file_work(&mut h);
    (h, dir)
}

fn apply_dialog(h: &H) -> Option<&ApplyDialog> {
    h.state()
        .dialog()
        .and_then(|d| d.downcast_ref::<ApplyDialog>())
}

/// Review changes, then its Apply to Azure…: Azure is read again.
fn open_apply(h: &mut H) {
    click(h, "File");
    click(h, "Review changes…");
    click_button(h, "Apply to Azure…");
    assert!(apply_dialog(h).is_some(), "the apply window opened");
    finish_azure(h);
}

fn bar(h: &H, region: &str) -> Option<String> {
    h.query_all_by_role(Role::ProgressIndicator)
        .filter_map(|node| node.accesskit_node().label())
        .find(|label| label.starts_with(region))
}

#[test]
fn review_apply_see_each_step_finish_and_a_new_regions_bar_complete() {
    let mock = MockArm::start(mock_arm::small());
    let (mut h, dir) = connected_and_edited(&mock, "apply-window");
    let reads = mock.requests().len();
    open_apply(&mut h);
    assert!(mock.requests().len() > reads, "Azure was read again");
    assert!(apply_dialog(&h).is_some_and(ApplyDialog::confirming));
    // The delete is named and must be acknowledged before anything is sent.
    h.get_by_label("It deletes 1 resource:");
    h.get_by_label("  - image version contosoGallery/ubuntu-base/1.0.0");
    let apply = h.get_by_role_and_label(Role::Button, "Apply 2 steps");
    assert!(apply.accesskit_node().is_disabled());
    click(&mut h, "Delete what is listed above in Azure");
    click_button(&mut h, "Apply 2 steps");
    finish_azure(&mut h);
    finish_file_work(&mut h);
    h.get_by_label("1. delete image version contosoGallery/ubuntu-base/1.0.0: done");
    h.get_by_label("2. update image version contosoGallery/win2022/2026.1.0: done");
    h.get_by_label_contains("Applied: 2 done.");
    // Azure holds it; the file records it (saved, nothing left to plan).
    let ids: Vec<String> = mock.resources().into_iter().map(|(id, _)| id).collect();
    assert!(
        !ids.iter()
            .any(|id| id.ends_with("/ubuntu-base/versions/1.0.0"))
    );
    let saved = sig_studio::workspace::load(&dir.join("ws.ron")).unwrap();
    assert!(sig_studio::plan::from_azure(&saved, common::today()).is_empty());
    assert_eq!(
        std::fs::read_dir(&dir)
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".apply-"))
            .count(),
        1,
        "one apply log next to the file"
    );
    // The new region's bar follows Azure's polls until it completes.
    let mut seen = Vec::new();
    for _ in 0..4 {
        seen.extend(bar(&h, "West Europe"));
        if bar(&h, "West Europe").is_some_and(|b| b.contains("Completed")) {
            break;
        }
        let ctx = h.ctx.clone();
        h.state_mut().poll_azure_now(&ctx);
        finish_azure(&mut h);
    }
    assert_eq!(
        seen.last().map(String::as_str),
        Some("West Europe: Completed 100 %"),
        "{seen:?}"
    );
    assert!(seen.iter().any(|b| b.contains("Replicating")), "{seen:?}");
    h.get_by_label("Replication settled.");
    click_button(&mut h, "Close");
    assert!(h.state().dialog().is_none());
    crate::ui_azure_more::no_token_in(&dir);
}

#[test]
fn a_conflict_with_azure_stops_the_apply_before_anything_is_sent() {
    let mock = MockArm::start(mock_arm::small());
    let (mut h, _dir) = connected_and_edited(&mock, "apply-window-conflict");
    mock.change(|c| {
        c.galleries[0].definitions[0]
            .versions
            .retain(|v| v.name != "1.0.1")
    });
    let doc = &mut h.state_mut().doc;
    let mut def = doc
        .ws()
        .gallery(G)
        .unwrap()
        .definition("ubuntu-base")
        .unwrap()
        .clone();
    def.versions.clear();
    def.description = "mine".into();
    doc.apply(Edit::UpdateDefinition {
        gallery: G.into(),
        name: "ubuntu-base".into(),
        definition: def,
    })
    .unwrap();
    mock.change(|c| c.galleries[0].definitions[0].description = "theirs".into());
    h.run_steps(2);
    open_apply(&mut h);
    h.get_by_label_contains(
        "Azure changed what the plan touches since it was last seen: nothing was sent.",
    );
    h.get_by_label_contains(
        "image definition contosoGallery/ubuntu-base: Azure changed it; you changed it",
    );
    assert!(mock.requests().iter().all(|r| r.method == "GET"));
    click_button(&mut h, "Resolve in Azure changes…");
    assert!(
        h.state()
            .dialog()
            .is_some_and(|d| d.is::<sig_studio::ui::dialogs::azure_changes::AzureChangesDialog>())
    );
}

#[test]
fn only_the_workspace_owner_may_apply_and_offline_it_says_to_connect() {
    let mock = MockArm::start(mock_arm::small());
    let dir = tempdir("apply-window-who");
    let clock = TestClock::default();
    let mut h = empty_app(&mock, &dir, &clock);
    click(&mut h, "File");
    let item = h.get_by(|n| {
        n.role() == Role::Button && n.label().is_some_and(|l| l.starts_with("Apply to Azure…"))
    });
    assert!(item.accesskit_node().is_disabled(), "offline");
    common::shortcut(&mut h, egui::Modifiers::NONE, egui::Key::Escape);
    connect(&mut h);
    let settings = sig_studio::model::Settings {
        acting_as: Some("alice@contoso.com".into()),
        ..h.state().doc.ws().settings.clone()
    };
    h.state_mut()
        .doc
        .apply(Edit::SetSettings { settings })
        .unwrap();
    h.run_steps(4);
    click(&mut h, "File");
    let item = h.get_by(|n| {
        n.role() == Role::Button && n.label().is_some_and(|l| l.starts_with("Apply to Azure…"))
    });
    assert!(
        item.accesskit_node().is_disabled(),
        "not the workspace owner"
    );
    common::shortcut(&mut h, egui::Modifiers::NONE, egui::Key::Escape);
    assert!(h.state().azure().is_connected());
    assert_eq!(
        h.state().doc.ws().settings.acting_as.as_deref(),
        Some("alice@contoso.com")
    );
    // Review changes shows the plan, but its Apply to Azure… is disabled for alice.
    h.state_mut()
        .doc
        .apply(Edit::delete(&ResourcePath::version(G, "ubuntu-base", "1.0.0")).unwrap())
        .unwrap();
    h.run_steps(2);
    click(&mut h, "File");
    click(&mut h, "Review changes…");
    let button = h.get_by_role_and_label(Role::Button, "Apply to Azure…");
    assert!(
        button.accesskit_node().is_disabled(),
        "not the workspace owner"
    );
    click_button(&mut h, "Close");
    // Run anyway (as a shortcut would): refused, with the rule's reason.
    let ctx = h.ctx.clone();
    h.state_mut()
        .run(sig_studio::ui::actions::UserAction::ApplyToAzure, &ctx);
    h.run_steps(12);
    assert!(h.state().dialog().is_none());
    let notice = h.get_by_label_contains("Apply to Azure refused: alice@contoso.com cannot");
    let notice = notice.accesskit_node();
    let text = notice
        .label()
        .or_else(|| notice.value())
        .unwrap_or_default();
    assert!(text.contains("only the workspace owner may"), "{text}");
}

/// labGallery's description edited too (a third step, a gallery's PUT), saved.
fn describe_lab_gallery(h: &mut H) {
    let doc = &mut h.state_mut().doc;
    let mut gallery = doc.ws().gallery("labGallery").unwrap().clone();
    gallery.description = "Lab images, reviewed".into();
    doc.apply(Edit::UpdateGallery {
        name: "labGallery".into(),
        gallery,
    })
    .unwrap();
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    finish_file_work(h);
}

/// The labels of the step list, in order.
fn step_lines(h: &H) -> Vec<String> {
    let mut lines: Vec<String> = h
        .query_all_by_role(Role::Label)
        .filter_map(|n| n.accesskit_node().label().or(n.accesskit_node().value()))
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit()) && l.contains(". "))
        .collect();
    lines.dedup();
    lines
}

#[test]
fn a_failure_in_the_middle_shows_what_was_done_what_failed_and_what_was_not_started() {
    let mut config = mock_arm::small();
    config.faults.push(Fault {
        status: 400,
        code: "InvalidParameter".into(),
        message: "The gallery description is not valid (injected by the test).".into(),
        ..Fault::server_error("PUT", "/galleries/labGallery?")
    });
    let mock = MockArm::start(config);
    let (mut h, dir) = connected_and_edited(&mock, "apply-window-failure");
    describe_lab_gallery(&mut h);
    open_apply(&mut h);
    click(&mut h, "Delete what is listed above in Azure");
    click_button(&mut h, "Apply 3 steps");
    finish_azure(&mut h);
    finish_file_work(&mut h);
    assert_eq!(
        step_lines(&h),
        [
            "1. delete image version contosoGallery/ubuntu-base/1.0.0: done",
            "2. update gallery labGallery: failed",
            "3. update image version contosoGallery/win2022/2026.1.0: not started",
        ]
    );
    h.get_by_label_contains("Stopped at a failure: 1 done, 1 failed, 1 not started.");
    // Saved before Azure's numbers moved on: nothing of the user's is unsaved.
    finish_azure(&mut h);
    assert!(h.query_by_label("Unsaved changes").is_none());
    h.get_by_label_contains("InvalidParameter: The gallery description is not valid");
    h.get_by_label("The steps not started are still planned: apply again to carry them out.");
    let log = h.get_by_label_contains("Apply log: ");
    let log = log.accesskit_node();
    let log = log.label().or_else(|| log.value()).unwrap_or_default();
    let log = std::path::PathBuf::from(log.trim_start_matches("Apply log: "));
    assert!(log.starts_with(&dir), "{}", log.display());
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("InvalidParameter"),
        "the log keeps Azure's answer"
    );
    // The file records what was done: only the failed and the unstarted steps are left.
    let saved = sig_studio::workspace::load(&dir.join("ws.ron")).unwrap();
    let left = sig_studio::plan::from_azure(&saved, common::today());
    assert_eq!(left.steps.len(), 2, "{}", left.summary());
    // Applying again carries out what is left, and Azure then holds the plan.
    click_button(&mut h, "Close");
    open_apply(&mut h);
    click_button(&mut h, "Apply 2 steps");
    finish_azure(&mut h);
    finish_file_work(&mut h);
    h.get_by_label_contains("Applied: 2 done.");
    let saved = sig_studio::workspace::load(&dir.join("ws.ron")).unwrap();
    assert!(sig_studio::plan::from_azure(&saved, common::today()).is_empty());
    let lab = mock
        .resources()
        .into_iter()
        .find(|(id, _)| id.ends_with("/galleries/labgallery"))
        .unwrap();
    assert_eq!(lab.1["properties"]["description"], "Lab images, reviewed");
}

#[test]
fn cancel_stops_before_the_next_step_and_the_window_stays_responsive() {
    let mock = MockArm::start(mock_arm::small());
    let (mut h, _dir) = connected_and_edited(&mock, "apply-window-cancel");
    describe_lab_gallery(&mut h);
    open_apply(&mut h);
    // The first step's request is held: the run is under way, the window still draws.
    mock.change(|c| c.hold = Some("/versions/1.0.0?".into()));
    click(&mut h, "Delete what is listed above in Azure");
    click_button(&mut h, "Apply 3 steps");
    for _ in 0..50 {
        h.run_steps(1);
        if mock.in_flight() > 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(mock.in_flight(), 1, "the delete is held");
    h.run_steps(2);
    h.get_by_label_contains("Applying: 0 of 3 steps done");
    h.get_by_label("1. delete image version contosoGallery/ubuntu-base/1.0.0: running");
    click_button(&mut h, "Cancel");
    h.run_steps(2);
    let stopping = h.get_by_role_and_label(Role::Button, "Stopping after the steps in flight…");
    assert!(stopping.accesskit_node().is_disabled());
    mock.release();
    finish_azure(&mut h);
    finish_file_work(&mut h);
    assert_eq!(
        step_lines(&h),
        [
            "1. delete image version contosoGallery/ubuntu-base/1.0.0: done",
            "2. update gallery labGallery: not started",
            "3. update image version contosoGallery/win2022/2026.1.0: not started",
        ]
    );
    h.get_by_label_contains("Stopped (cancelled): 1 done, 2 not started.");
    assert!(
        mock.requests()
            .iter()
            .all(|r| r.method == "GET" || r.target.contains("/versions/1.0.0?")),
        "nothing after the step in flight was sent"
    );
}

#[test]
fn an_apply_log_that_cannot_be_created_sends_nothing_and_says_why() {
    let mock = MockArm::start(mock_arm::small());
    let (mut h, dir) = connected_and_edited(&mock, "apply-window-no-log");
    open_apply(&mut h);
    click(&mut h, "Delete what is listed above in Azure");
    // The workspace's folder went away: the log cannot be written next to the file.
    std::fs::remove_dir_all(&dir).unwrap();
    click_button(&mut h, "Apply 2 steps");
    h.run_steps(4);
    h.get_by_label_contains("The apply log cannot be created in");
    h.get_by_label_contains("Nothing was sent.");
    click_button(&mut h, "OK");
    h.get_by_label("The apply did not start: nothing was sent.");
    assert!(mock.requests().iter().all(|r| r.method == "GET"));
    click_button(&mut h, "Close");
    assert!(h.state().dialog().is_none());
}
