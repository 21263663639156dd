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
use crate::shared::mock_arm::{self, MockArm};
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
    h.render().unwrap().save("/tmp/apply_confirm.png").unwrap();
    let apply = h.get_by_role_and_label(Role::Button, "Apply 2 steps");
    assert!(apply.accesskit_node().is_disabled());
    click(&mut h, "Delete what is listed above in Azure");
    click_button(&mut h, "Apply 2 steps");
    finish_azure(&mut h);
    finish_file_work(&mut h);
    h.get_by_label("1. delete image version contosoGallery/ubuntu-base/1.0.0: done");
    h.get_by_label("2. update image version contosoGallery/win2022/2026.1.0: done");
    h.get_by_label_contains("Applied: 2 done.");
    h.render().unwrap().save("/tmp/apply_run.png").unwrap();
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
    h.render().unwrap().save("/tmp/apply_done.png").unwrap();
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
    h.render().unwrap().save("/tmp/apply_conflict.png").unwrap();
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
