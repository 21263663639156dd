//! Imported resources in the app: placeholders marked in the tree and the editor, Azure fields
//! shown read-only with their reason.

use crate::common;

use common::{H, Setup};
use egui_kittest::kittest::Queryable;
use sig_studio::import::{Input, import};
use sig_studio::model::{ResourcePath, Workspace};

fn imported(files: &[&str]) -> Workspace {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/import/");
    let inputs: Vec<Input> = files
        .iter()
        .map(|f| Input::read(std::path::Path::new(&format!("{dir}{f}"))).unwrap())
        .collect();
    let mut ws = Workspace::default();
    import(&mut ws, &inputs).unwrap();
    ws
}

fn harness_with(ws: Workspace, name: &str) -> H {
    Setup::new(ws).dirs(&format!("import-{name}")).build()
}

#[test]
fn placeholders_are_marked_in_the_tree_and_the_editor() {
    let mut harness = harness_with(imported(&["rest-version-list.json"]), "placeholder");
    // The placeholder gallery's row and its placeholder definition's row say so.
    let in_tree = harness
        .query_all_by_label("known only by reference")
        .count();
    assert!(in_tree >= 1, "the tree marks placeholders");
    harness
        .state_mut()
        .select_path(ResourcePath::gallery("contoso_lab"));
    harness.run_steps(6);
    assert!(harness.query_by_label("In Azure").is_some());
    // The editor's "In Azure" row adds one.
    assert_eq!(
        harness
            .query_all_by_label("known only by reference")
            .count(),
        in_tree + 1
    );
}

#[test]
fn an_imported_gallery_shows_its_azure_fields() {
    let mut harness = harness_with(imported(&["az-sig-list.json"]), "gallery");
    harness
        .state_mut()
        .select_path(ResourcePath::gallery("fabrikam_images"));
    harness.run_steps(6);
    for label in [
        "Subscription",
        "Resource group",
        "ARM id",
        "Tags",
        "Sharing",
        "Soft delete",
    ] {
        assert!(harness.query_by_label(label).is_some(), "{label} missing");
    }
    assert!(
        harness
            .query_by_label("env=prod; costcenter=4711")
            .is_none()
    );
    assert!(
        harness
            .query_by_label("costcenter=4711; env=prod")
            .is_some()
    );
    assert!(harness.query_by_label("exists in Azure").is_some());
}
