//! File → Review changes…: the plan from Azure as last seen to the planned state, grouped by
//! gallery, refused steps marked with the service's reason, written as an az script; a save
//! deploys nothing, so the edits are still there to review after it (and after reopening).

use crate::common;

use common::{H, click, click_button, finish_file_work, shortcut, tempdir};
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use sig_studio::model::{AzureSeen, Origin, ResourcePath, Workspace};
use sig_studio::plan;
use sig_studio::sample::sample;
use sig_studio::ui::dialogs::review::ReviewDialog;
use sig_studio::workspace::save;

const G: &str = "contoso_images";

/// The sample with Azure as last seen holding exactly what it plans (as after a pull).
fn in_azure() -> Workspace {
    let mut ws = sample();
    ws.azure = Some(std::sync::Arc::new(AzureSeen::snapshot(
        &ws,
        Origin::default(),
    )));
    ws
}

/// The app with `ws` open from a file in a fresh folder.
fn open(ws: &Workspace, name: &str) -> (H, std::path::PathBuf) {
    let dir = tempdir(&format!("review-{name}"));
    let file = dir.join("ws.ron");
    save(&file, ws).unwrap();
    (common::open_file(&file), dir)
}

fn delete_version(h: &mut H, d: &str, v: &str) {
    h.state_mut().select_path(ResourcePath::version(G, d, v));
    h.run_steps(3);
    shortcut(h, egui::Modifiers::NONE, egui::Key::Delete);
    click(h, "Delete");
    h.run_steps(3);
}

fn open_review(h: &mut H) {
    click(h, "File");
    click(h, "Review changes…");
    assert!(h.state().dialog().is_some_and(|d| d.is::<ReviewDialog>()));
}

fn shown_plan(h: &H) -> plan::Plan {
    h.state()
        .dialog()
        .and_then(|d| d.downcast_ref::<ReviewDialog>())
        .and_then(|d| d.plan().cloned())
        .expect("the review dialog shows a plan")
}

#[test]
fn an_edit_shows_as_a_step_and_is_written_as_an_az_script() {
    let (mut h, dir) = open(&in_azure(), "edit");
    delete_version(&mut h, "ubuntu-2204-base", "1.0.8");
    open_review(&mut h);
    h.get_by_label_contains("0 to create, 0 to update, 1 to delete");
    h.get_by_label_contains("Gallery contoso_images: 1 step");
    h.get_by_label_contains("1. delete image version contoso_images/ubuntu-2204-base/1.0.8");
    let shown = shown_plan(&h);
    let expected = plan::plan(&in_azure(), h.state().doc.ws(), common::today());
    assert_eq!(shown, expected);
    click_button(&mut h, "Export as az script…");
    let target = dir.join("plan.sh");
    let field = h.get_by_role_and_label(Role::TextInput, "Plan script path");
    field.focus();
    h.run_steps(2);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, "Plan script path")
        .type_text(&target.display().to_string());
    h.run_steps(2);
    click_button(&mut h, "Write az script");
    assert!(h.state().dialog().is_none());
    let script = std::fs::read_to_string(&target).unwrap();
    assert_eq!(
        script,
        plan::to_script(&expected, &in_azure(), h.state().doc.ws())
    );
    assert!(script.contains("az sig image-version delete"));
}

#[test]
fn a_refused_step_is_marked_with_the_services_reason() {
    let mut ws = sample();
    let v = ws.galleries[0].definitions[0]
        .versions
        .iter_mut()
        .find(|v| v.name == "2026.10.0")
        .unwrap();
    // The block is Azure's: the version as Azure last reported it has it.
    v.block_deletion_before_end_of_life = true;
    ws.azure = Some(std::sync::Arc::new(AzureSeen::snapshot(
        &ws,
        Origin::default(),
    )));
    let (mut h, _) = open(&ws, "refused");
    delete_version(&mut h, "win2022-datacenter", "2026.10.0");
    open_review(&mut h);
    h.get_by_label_contains("1 refused");
    h.get_by_label("Refused");
    h.get_by_label_contains("before its end-of-life date 2027-04-30 is not allowed");
    h.get_by_label_contains("1 step the service would refuse");
}

#[test]
fn a_save_deploys_nothing_so_the_edit_is_still_to_review_after_it_and_after_reopening() {
    let (mut h, dir) = open(&in_azure(), "saved");
    delete_version(&mut h, "ubuntu-2204-base", "1.0.8");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    finish_file_work(&mut h);
    assert!(!h.state().doc.is_dirty());
    open_review(&mut h);
    h.get_by_label_contains("1. delete image version contoso_images/ubuntu-2204-base/1.0.8");
    assert_eq!(shown_plan(&h).steps.len(), 1);
    click_button(&mut h, "Close");
    assert!(h.state().dialog().is_none());
    // Reopened from the file: Azure as last seen came along.
    let mut h = common::open_file(&dir.join("ws.ron"));
    open_review(&mut h);
    h.get_by_label_contains("1. delete image version contoso_images/ubuntu-2204-base/1.0.8");
    assert_eq!(shown_plan(&h).steps.len(), 1);
}

#[test]
fn without_azure_as_last_seen_everything_planned_is_a_create() {
    let (mut h, _) = open(&sample(), "never-seen");
    open_review(&mut h);
    h.get_by_label_contains("Azure was never seen");
    let plan = shown_plan(&h);
    assert!(plan.count(plan::Action::Create) > 0);
    assert_eq!(plan.count(plan::Action::Delete), 0);
}

#[test]
fn an_import_adds_to_azure_as_last_seen_and_keeps_the_edits_made_before_it() {
    let (mut h, _) = open(&in_azure(), "import");
    delete_version(&mut h, "ubuntu-2204-base", "1.0.8");
    click(&mut h, "File");
    click(&mut h, "Import from Azure JSON…");
    let paths: Vec<String> = [
        "az-sig-list.json",
        "az-image-definition-list.json",
        "az-image-version-list.json",
    ]
    .iter()
    .map(|f| format!("{}/tests/fixtures/import/{f}", env!("CARGO_MANIFEST_DIR")))
    .collect();
    let field = h.get_by_role_and_label(
        Role::MultilineTextInput,
        "JSON files to import, one path per line",
    );
    field.focus();
    field.type_text(&paths.join("\n"));
    h.run_steps(2);
    click_button(&mut h, "Read files");
    finish_file_work(&mut h);
    click_button(&mut h, "Import");
    h.run_steps(3);
    assert!(h.state().doc.ws().gallery("fabrikam_images").is_some());
    // What the import brought is in Azure already: only the earlier delete is left to deploy.
    open_review(&mut h);
    let plan = shown_plan(&h);
    assert_eq!(plan.steps.len(), 1, "{}", plan::to_text(&plan, "a", "b"));
    h.get_by_label_contains("1. delete image version contoso_images/ubuntu-2204-base/1.0.8");
}

#[test]
fn two_galleries_azure_takes_for_one_are_named_instead_of_a_plan() {
    let mut ws = in_azure();
    let mut twin = ws.galleries[0].without_definitions();
    twin.name = G.to_uppercase();
    ws.galleries.push(twin);
    let (mut h, _dir) = open(&ws, "case-clash");
    open_review(&mut h);
    h.run_steps(2);
    let dialog = h
        .state()
        .dialog()
        .and_then(|d| d.downcast_ref::<ReviewDialog>())
        .expect("review is open");
    assert!(dialog.plan().is_none(), "no plan is made");
    h.get_by_label_contains("No plan can be made: the galleries");
    h.get_by_label_contains("are one resource to Azure");
    click_button(&mut h, "Close");
    assert!(h.state().dialog().is_none());
}
