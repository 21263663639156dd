//! The small things a tester listed (issue 24 item 10), each as the tester met it.

use crate::common;

use common::{
    Setup, click, click_button, finish_file_work, hover_button, select, shortcut, tempdir,
    type_into,
};
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use sig_studio::model::{Region, RegionState, ResourcePath, TargetRegion, Workspace};
use sig_studio::sample::sample;
use sig_studio::ui::DialogRequest;

const G: &str = "contoso_images";
const WIN: &str = "win2022-datacenter";
const UBUNTU: &str = "ubuntu-2204-base";

fn unfinished() -> Workspace {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/examples/unfinished.ron"
    ))
    .unwrap();
    sig_studio::workspace::from_ron_str(&text).unwrap()
}

/// In the Problems panel the whole row selects (not only the path), and a notice never covers
/// a row: it is in the status bar, not a toast above it.
#[test]
fn a_problem_row_is_one_click_target_and_notices_cover_none() {
    let mut h = Setup::new(unfinished()).build();
    let problem = h.state_mut().problems()[0].clone();
    // The message, not the path: the row takes the click.
    h.get_by_label(&problem.message).click();
    h.run_steps(4);
    assert_eq!(h.state().selection, Some(problem.path.clone()));

    // An edit with a notice (and Undo) while the rows are shown: a version duplicated.
    let ws = h.state().doc.ws().clone();
    let (g, d, v) = ws.versions().next().unwrap();
    select(&mut h, ResourcePath::version(&g.name, &d.name, &v.name));
    shortcut(&mut h, egui::Modifiers::COMMAND, egui::Key::D);
    assert!(h.state().doc.has_user_changes());
    let undo = h.get_by_role_and_label(Role::Button, "Undo").rect();
    let rows: Vec<egui::Rect> = h
        .state_mut()
        .problems()
        .to_vec()
        .iter()
        .filter_map(|p| {
            h.query_all_by_label(&format!("Select {}", p.path))
                .next()
                .map(|n| n.rect())
        })
        .collect();
    assert!(!rows.is_empty());
    for row in rows {
        assert!(!row.intersects(undo), "{row:?} under the notice's {undo:?}");
    }
}

/// A version that targets every region: the picker says so before its disabled rows.
#[test]
fn the_region_picker_says_first_when_nothing_can_be_added() {
    let mut ws = sample();
    let version = &mut ws.galleries[0].definitions[1].versions[0];
    let path = ResourcePath::version(G, UBUNTU, &version.name);
    let all: Vec<Region> = Region::all().collect();
    for region in &all {
        if version.target(*region).is_none() {
            version.target_regions.push(TargetRegion::new(*region));
        }
    }
    let mut h = Setup::new(ws).select(path.clone()).build();
    h.state_mut().open_dialog(DialogRequest::AddRegions(path));
    h.run_steps(4);
    h.get_by_label(&format!(
        "No region can be added: the version already targets all {} regions.",
        all.len()
    ));
}

/// Opening Azure's JSON as a workspace points to the import rather than a RON parser's message.
#[test]
fn opening_a_json_file_as_a_workspace_points_to_the_import() {
    let dir = tempdir("tester-json");
    let file = dir.join("gallery.json");
    std::fs::write(
        &file,
        r#"{"name": "g", "type": "Microsoft.Compute/galleries", "location": "eastus"}"#,
    )
    .unwrap();
    let mut h = Setup::new(sample()).build();
    shortcut(
        &mut h,
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::O,
    );
    type_into(&mut h, "Workspace file path", &file.display().to_string());
    click(&mut h, "Open");
    finish_file_work(&mut h);
    h.get_by_label_contains(&format!(
        "{}: this file is JSON, not a SIG Studio workspace. To bring Azure's JSON in",
        file.display()
    ));
    h.get_by_label_contains("use File › Import from Azure JSON… in the app");
    assert_eq!(
        h.state().doc.ws().galleries[0].name,
        G,
        "the workspace stays"
    );
    // The message offers the import of that very file: its summary, then one undo step.
    click_button(&mut h, "Import this file…");
    finish_file_work(&mut h);
    h.get_by_label("galleries: 1 added, 0 updated, 0 unchanged");
    assert!(h.state().doc.ws().gallery("g").is_none(), "nothing yet");
    click_button(&mut h, "Import");
    assert!(h.state().doc.ws().gallery("g").is_some(), "imported");
    assert_eq!(
        h.state().doc.ws().galleries[0].name,
        G,
        "into the workspace"
    );
}

/// The notice after an undo says what was undone.
#[test]
fn undo_says_what_was_undone() {
    let mut h = Setup::new(sample()).build();
    select(&mut h, ResourcePath::version(G, UBUNTU, "1.0.8"));
    shortcut(&mut h, egui::Modifiers::COMMAND, egui::Key::D);
    let label = h.state().doc.undo_label().unwrap().to_owned();
    assert_eq!(label, "Add version contoso_images/ubuntu-2204-base/1.0.13");
    shortcut(&mut h, egui::Modifiers::COMMAND, egui::Key::Z);
    h.get_by_label(&format!("Undid: {label}"));
}

/// A region holding replicas of a version that protects them: Remove is disabled, with the
/// service's reason on hover, instead of a refusal after the click.
#[test]
fn remove_refused_by_the_versions_protection_is_disabled_with_the_reason() {
    let mut ws = sample();
    let version = ws.galleries[0].definitions[0]
        .versions
        .iter_mut()
        .find(|v| v.name == "2026.9.0")
        .unwrap();
    version.allow_deletion_of_replicated_locations = false;
    assert_eq!(
        version
            .target("eastus".parse().unwrap())
            .unwrap()
            .status
            .state,
        RegionState::Completed
    );
    let path = ResourcePath::version(G, WIN, "2026.9.0");
    let mut h = Setup::new(ws).select(path).build();
    let remove = h.get_by_role_and_label(Role::Button, "Remove East US");
    assert!(remove.accesskit_node().is_disabled());
    hover_button(&mut h, "Remove East US");
    h.get_by_label_contains("Removing the replicated region");
    h.get_by_label_contains("allowDeletionOfReplicatedLocations is false");
}

/// An inline field error names every character the name may not hold (in the dialog's normal
/// text size).
#[test]
fn a_name_error_names_every_bad_character() {
    let mut h = Setup::new(sample()).build();
    h.state_mut().open_dialog(DialogRequest::AddGallery(()));
    h.run_steps(4);
    type_into(&mut h, "Gallery name", "my gallery-1!");
    h.get_by_label_contains("\"my gallery-1!\" contains ' ', '-' and '!':");
}

/// Tree search: a line when nothing matches, a clear button, Escape clears, and the group
/// headers count what matches.
#[test]
fn tree_search_says_no_matches_clears_and_counts_matches() {
    let mut h = Setup::new(sample()).build();
    type_into(&mut h, "Search", "zzz");
    h.get_by_label("No matches for \"zzz\"");
    h.get_by_role_and_label(Role::Button, "Clear search")
        .click();
    h.run_steps(3);
    assert!(h.query_by_label_contains("No matches").is_none());
    h.get_by_label("Managed images (7)");

    type_into(&mut h, "Search", "ubuntu");
    h.get_by_label("Managed images (3 of 7)");
    h.get_by_label("Galleries (1 of 1)");
    h.get_by_role_and_label(Role::TextInput, "Search").focus();
    h.run_steps(1);
    h.key_press(egui::Key::Escape);
    h.run_steps(3);
    h.get_by_label("Managed images (7)");
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "Search")
            .accesskit_node()
            .value()
            .as_deref(),
        Some("")
    );
}

/// At 1000×700 the region table keeps its Remove column in the window and Plan replicas…
/// whole (it was off-screen and cut to "Pla"); the time left is labelled simulated, with the
/// speed.
#[test]
fn the_region_table_fits_a_small_window_and_labels_simulated_time() {
    let path = ResourcePath::version(G, UBUNTU, "1.0.12");
    let mut h = common::at_size(sample(), common::SIZES[1], Some(path));
    h.run_steps(4);
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, common::SIZES[1]);
    for label in ["Remove South Central US", "Plan replicas…", "Add regions…"] {
        let node = h.get_by_label(label);
        node.scroll_to_me();
        h.run_steps(2);
        let rect = h.get_by_label(label).rect();
        assert!(window.contains_rect(rect), "{label} at {rect:?}");
        assert!(rect.width() > 40.0, "{label} is whole: {rect:?}");
    }
    let mut h = common::at_size(
        sample(),
        common::SIZES[0],
        Some(ResourcePath::version(G, UBUNTU, "1.0.12")),
    );
    h.run_steps(4);
    h.get_by_label("simulated: 4 min left at 60×");
}
