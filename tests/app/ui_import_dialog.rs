//! File → Import from Azure JSON…: the files are read and merged into a copy of the workspace on
//! a background thread, the summary is read before anything changes, and *Import* applies the
//! whole import as one undo step. Cancel and failures change nothing.

use crate::common;

use common::{H, Setup, click, click_button, finish_file_work, harness_with, shortcut};
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use sig_studio::import::{Input, import};
use sig_studio::model::Workspace;
use sig_studio::sample::sample;
use sig_studio::ui::dialogs::import::ImportDialog;
use sig_studio::ui::tasks::import::ImportTask;

const FIELD: &str = "JSON files to import, one path per line";
const MENU: &str = "Import from Azure JSON…";

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// What the core makes of the files merged into `ws` (as the CLI's `--into` does).
fn merged(ws: &Workspace, files: &[&str]) -> Workspace {
    let inputs: Vec<Input> = files
        .iter()
        .map(|f| Input::read(std::path::Path::new(&fixture(f))).unwrap())
        .collect();
    let mut ws = ws.clone();
    import(&mut ws, &inputs).unwrap();
    ws
}

/// Whether the tree has a row for the resource (a toggle button named after it).
fn in_tree(h: &H, name: &str) -> bool {
    h.query_by_role_and_label(Role::Button, name).is_some()
}

fn dialog(h: &H) -> &ImportDialog {
    h.state()
        .dialog()
        .and_then(|d| d.downcast_ref::<ImportDialog>())
        .expect("the import dialog is open")
}

/// Opens the dialog from the File menu, types the fixtures' paths, reads them and waits for the
/// import on its task.
fn read(h: &mut H, files: &[&str]) {
    click(h, "File");
    click(h, MENU);
    let paths: Vec<String> = files.iter().map(|f| fixture(f)).collect();
    let field = h.get_by_role_and_label(Role::MultilineTextInput, FIELD);
    field.focus();
    field.type_text(&paths.join("\n"));
    h.run_steps(2);
    click_button(h, "Read files");
    finish_file_work(h);
}

const AZ: [&str; 3] = [
    "az-sig-list.json",
    "az-image-definition-list.json",
    "az-image-version-list.json",
];

#[test]
fn the_summary_counts_then_import_is_one_undo_step() {
    let mut h = harness_with(sample());
    assert!(!in_tree(&h, "fabrikam_images"));
    read(&mut h, &AZ);
    // The summary, before anything changed.
    for line in [
        "galleries: 2 added, 0 updated, 0 unchanged",
        "image definitions: 2 added, 0 updated, 0 unchanged",
        "image versions: 4 added, 0 updated, 0 unchanged",
        "principals: 0 added, 0 updated, 0 unchanged",
        "grants: 0 added, 0 updated, 0 unchanged",
        "Read 3 files",
    ] {
        assert!(h.query_by_label(line).is_some(), "{line} missing");
    }
    assert_eq!(
        dialog(&h).summary().map(|s| s.versions.added),
        Some(4),
        "the summary is the core's"
    );
    assert_eq!(*h.state().doc.ws(), sample(), "nothing changed yet");
    assert_eq!(h.state().doc.undo_depth(), 0);

    click_button(&mut h, "Import");
    assert!(h.state().dialog().is_none());
    let expected = merged(&sample(), &AZ);
    assert_eq!(*h.state().doc.ws(), expected);
    assert!(in_tree(&h, "fabrikam_images"), "in the tree");
    assert_eq!(h.state().doc.undo_depth(), 1, "one undo step");
    assert_eq!(
        h.state().doc.undo_label(),
        Some("Import from Azure JSON (3 files)")
    );
    assert!(h.state().doc.is_dirty());
    assert!(
        h.query_by_label_contains("Imported 3 files: 8 added, 0 updated")
            .is_some(),
        "the notice says what changed"
    );

    // Undo takes the planned state back, exactly; redo brings it back. What the files said of
    // Azure stays (undo moves the planned state only), so the document stays unsaved.
    shortcut(&mut h, egui::Modifiers::COMMAND, egui::Key::Z);
    let planned_only = sig_studio::model::Workspace {
        azure: None,
        ..h.state().doc.ws().clone()
    };
    assert_eq!(planned_only, sample());
    assert!(h.state().doc.ws().azure.is_some());
    assert!(h.state().doc.is_dirty());
    assert!(!in_tree(&h, "fabrikam_images"));
    shortcut(&mut h, egui::Modifiers::COMMAND, egui::Key::Y);
    assert_eq!(*h.state().doc.ws(), expected);
    assert!(in_tree(&h, "fabrikam_images"));
}

#[test]
fn replication_progress_while_the_summary_is_read_is_kept() {
    let mut h = harness_with(sample());
    read(&mut h, &AZ);
    let generation = h.state().doc.generation();
    h.state_mut().advance_simulation(300.0);
    h.run_steps(2);
    assert_ne!(
        h.state().doc.generation(),
        generation,
        "the sample replicates"
    );
    let progressed = h.state().doc.ws().clone();
    click_button(&mut h, "Import");
    // The same files, merged into the workspace as it is now: no progress is undone.
    assert_eq!(*h.state().doc.ws(), merged(&progressed, &AZ));
    shortcut(&mut h, egui::Modifiers::COMMAND, egui::Key::Z);
    assert_eq!(h.state().doc.ws().galleries, progressed.galleries);
}

#[test]
fn cancel_changes_nothing() {
    let mut h = harness_with(sample());
    read(&mut h, &AZ);
    assert!(dialog(&h).summary().is_some());
    click_button(&mut h, "Cancel");
    assert!(h.state().dialog().is_none());
    assert_eq!(*h.state().doc.ws(), sample());
    assert_eq!(h.state().doc.undo_depth(), 0);
    assert!(!h.state().doc.is_dirty());
}

#[test]
fn a_file_that_is_not_json_says_where_and_changes_nothing() {
    let mut h = harness_with(sample());
    read(&mut h, &["az-sig-list.json", "not-json.json"]);
    let error = dialog(&h).error().expect("the import failed").to_owned();
    assert!(
        error.ends_with("not-json.json:4:18: not JSON: expected value"),
        "{error}"
    );
    assert!(
        h.query_by_label_contains("not-json.json:4:18: not JSON")
            .is_some()
    );
    assert!(h.query_by_role_and_label(Role::Button, "Import").is_none());
    // Back to the paths as typed, to correct them.
    click_button(&mut h, "Choose other files");
    assert!(dialog(&h).error().is_none());
    let field = h.get_by_role_and_label(Role::MultilineTextInput, FIELD);
    assert!(
        field
            .value()
            .is_some_and(|v| v.ends_with("import/not-json.json")),
        "{:?}",
        field.value()
    );
    click_button(&mut h, "Cancel");
    assert!(h.state().dialog().is_none());
    assert_eq!(*h.state().doc.ws(), sample());
    assert_eq!(h.state().doc.undo_depth(), 0);
}

#[test]
fn warnings_are_listed_with_their_json_path() {
    let mut h = harness_with(sample());
    read(&mut h, &["rest-version-list.json"]);
    assert!(
        h.query_by_label_contains(
            "rest-version-list.json: value[3].properties.storageProfile.osDiskImage.hostCaching: \"ReadOnlyy\" is not a host caching mode"
        )
        .is_some()
    );
    // Its parents are placeholders, said so before accepting.
    assert!(
        h.query_by_label("galleries: 1 added, 0 updated, 0 unchanged (1 known only by reference)")
            .is_some()
    );
    assert!(
        h.query_by_label("contoso_lab, contoso_lab/centos-lab")
            .is_some()
    );
    click_button(&mut h, "Import");
    assert_eq!(
        *h.state().doc.ws(),
        merged(&sample(), &["rest-version-list.json"])
    );
}

#[test]
fn nothing_importable_says_so_and_cannot_be_accepted() {
    let mut h = harness_with(sample());
    read(&mut h, &["other-type.json"]);
    assert!(
        h.query_by_label_contains("Nothing in these files could be imported")
            .is_some()
    );
    let accept = h.get_by_role_and_label(Role::Button, "Import");
    assert!(accept.accesskit_node().is_disabled());
    assert!(
        h.query_by_label_contains("Microsoft.Compute/virtualMachines")
            .is_some()
    );
}

#[test]
fn a_missing_path_is_said_and_cannot_be_read() {
    let mut h = harness_with(sample());
    click(&mut h, "File");
    click(&mut h, MENU);
    let field = h.get_by_role_and_label(Role::MultilineTextInput, FIELD);
    field.focus();
    field.type_text("/nonexistent/galleries.json");
    h.run_steps(2);
    assert!(
        h.query_by_label("No file at /nonexistent/galleries.json")
            .is_some()
    );
    let read = h.get_by_role_and_label(Role::Button, "Read files");
    assert!(read.accesskit_node().is_disabled());
}

#[test]
fn only_the_workspace_owner_imports() {
    let mut ws = sample();
    ws.settings.acting_as = Some("alice@contoso.com".to_owned());
    let mut h = Setup::new(ws).build();
    click(&mut h, "File");
    let item = h.get_by_role_and_label(Role::Button, MENU);
    assert!(item.accesskit_node().is_disabled());
}

#[test]
fn the_task_reports_each_step() {
    let files = ["az-sig-list.json", "az-image-definition-list.json"];
    let paths = files.iter().map(|f| fixture(f).into()).collect();
    let mut task = ImportTask::spawn(paths, Default::default(), &egui::Context::default());
    task.wait();
    // The last step it reported before finishing: merging what both files held.
    assert_eq!(
        task.status().text,
        "Merging 4 resources and role assignments…"
    );
    let imported = task.poll().expect("finished").expect("imported");
    assert_eq!(imported.summary.galleries.added, 2);
    assert_eq!(imported.ws, merged(&Workspace::default(), &files));
}

#[test]
fn a_file_that_cannot_be_read_is_named() {
    let missing = std::env::temp_dir().join("sig-studio-no-such-file.json");
    let mut task = ImportTask::spawn(
        vec![missing.clone()],
        Default::default(),
        &egui::Context::default(),
    );
    task.wait();
    let Some(Err(err)) = task.poll() else {
        panic!("a missing file cannot be imported");
    };
    let err = err.to_string();
    assert!(
        err.starts_with(&format!("{}: ", missing.display())),
        "{err}"
    );
}
