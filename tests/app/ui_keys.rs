//! The keyboard and the selection, driven headless through the labels a screen reader uses:
//! every dialog takes the first keystrokes in its first field, Enter answers the default button,
//! F2 renames in place in the tree, a rename keeps the node open, undoing a delete selects what
//! came back, a tree row answers a click across its width, and another selection starts the
//! editor at its top.

use crate::common;

use common::{H, click, harness_with, select, shortcut};
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use sig_studio::model::ResourcePath;
use sig_studio::sample::sample;
use sig_studio::ui::Dialog;
use sig_studio::ui::DialogRequest;
use sig_studio::ui::actions::UserAction;
use sig_studio::ui::dialogs::add_definition::AddDefinitionDialog;
use sig_studio::ui::dialogs::add_gallery::AddGalleryDialog;
use sig_studio::ui::dialogs::add_grant::AddGrantDialog;
use sig_studio::ui::dialogs::add_image::AddImageDialog;
use sig_studio::ui::dialogs::add_regions::AddRegionsDialog;
use sig_studio::ui::dialogs::add_version::AddVersionDialog;
use sig_studio::ui::dialogs::check_access::CheckAccessDialog;

const G: &str = "contoso_images";
const WIN: &str = "win2022-datacenter";

fn run(h: &mut H, action: UserAction) {
    let ctx = h.ctx.clone();
    h.state_mut().run(action, &ctx);
    h.run_steps(6);
}

/// Types as a user would right after the dialog opened, without clicking into it first.
fn type_now(h: &mut H, text: &str) {
    h.event(egui::Event::Text(text.to_owned()));
    h.run_steps(3);
}

fn dialog<T: Dialog>(h: &H) -> &T {
    h.state()
        .dialog()
        .and_then(|d| d.downcast_ref::<T>())
        .expect("the dialog is open")
}

#[test]
fn every_dialog_takes_the_first_keystrokes_in_its_first_field() {
    let mut h = harness_with(sample());
    run(&mut h, UserAction::AddChild);
    type_now(&mut h, "qz");
    assert_eq!(dialog::<AddGalleryDialog>(&h).gallery.name, "qz");
    shortcut(&mut h, Modifiers::NONE, Key::Escape);

    select(&mut h, ResourcePath::gallery(G));
    run(&mut h, UserAction::AddChild);
    type_now(&mut h, "qz");
    assert_eq!(dialog::<AddDefinitionDialog>(&h).definition.name, "qz");
    shortcut(&mut h, Modifiers::NONE, Key::Escape);

    select(&mut h, ResourcePath::definition(G, WIN));
    run(&mut h, UserAction::AddChild);
    type_now(&mut h, "7");
    assert!(dialog::<AddVersionDialog>(&h).version.name.contains('7'));
    shortcut(&mut h, Modifiers::NONE, Key::Escape);

    select(&mut h, ResourcePath::managed_image("win2022-dc-2026-07"));
    run(&mut h, UserAction::AddChild);
    type_now(&mut h, "qz");
    assert_eq!(dialog::<AddImageDialog>(&h).image.name, "qz");
    shortcut(&mut h, Modifiers::NONE, Key::Escape);

    select(&mut h, ResourcePath::version(G, WIN, "2026.9.0"));
    click(&mut h, "Add regions…");
    type_now(&mut h, "euro");
    assert_eq!(dialog::<AddRegionsDialog>(&h).picker.search, "euro");
    shortcut(&mut h, Modifiers::NONE, Key::Escape);

    h.state_mut()
        .open_dialog(DialogRequest::AddGrant(ResourcePath::definition(G, WIN)));
    h.run_steps(4);
    type_now(&mut h, "web");
    assert_eq!(dialog::<AddGrantDialog>(&h).search, "web");
    shortcut(&mut h, Modifiers::NONE, Key::Escape);

    run(&mut h, UserAction::CheckAccess);
    type_now(&mut h, "carol");
    assert_eq!(dialog::<CheckAccessDialog>(&h).search, "carol");
}

#[test]
fn enter_deletes_and_undo_selects_what_came_back() {
    let mut h = harness_with(sample());
    let path = ResourcePath::version(G, WIN, "2026.10.0");
    select(&mut h, path.clone());
    shortcut(&mut h, Modifiers::NONE, Key::Delete);
    h.get_by_label("Delete image version?");
    shortcut(&mut h, Modifiers::NONE, Key::Enter);
    assert!(h.state().dialog().is_none(), "Enter answered Delete");
    let ws = h.state().doc.ws();
    assert!(
        ws.gallery(G)
            .and_then(|g| g.definition(WIN))
            .and_then(|d| d.version("2026.10.0"))
            .is_none()
    );
    // The parent is selected after the delete; undo brings the version back, selected.
    select(&mut h, ResourcePath::gallery(G));
    shortcut(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(h.state().selection.as_ref(), Some(&path));
}

#[test]
fn f2_renames_in_place_with_the_name_selected_and_the_node_stays_open() {
    let mut h = harness_with(sample());
    let definition = ResourcePath::definition(G, WIN);
    select(&mut h, definition.clone());
    let versions_shown = h.query_all_by_label("2026.9.0").count();
    assert!(versions_shown > 0, "the definition is expanded");
    shortcut(&mut h, Modifiers::NONE, Key::F2);
    let field = h.get_by_role_and_label(Role::TextInput, "New name");
    assert!(field.is_focused(), "F2 gives the name field the keyboard");
    // The whole name is selected: typing replaces it.
    type_now(&mut h, "win2025-datacenter");
    shortcut(&mut h, Modifiers::NONE, Key::Enter);
    let renamed = ResourcePath::definition(G, "win2025-datacenter");
    assert!(
        h.state()
            .doc
            .ws()
            .gallery(G)
            .and_then(|g| g.definition("win2025-datacenter"))
            .is_some()
    );
    assert_eq!(h.state().selection.as_ref(), Some(&renamed));
    // Still expanded: its versions are listed as before.
    assert_eq!(h.query_all_by_label("2026.9.0").count(), versions_shown);

    // Escape cancels a rename.
    shortcut(&mut h, Modifiers::NONE, Key::F2);
    type_now(&mut h, "other");
    shortcut(&mut h, Modifiers::NONE, Key::Escape);
    assert!(h.query_by_label("New name").is_none());
    assert!(
        h.state()
            .doc
            .ws()
            .gallery(G)
            .and_then(|g| g.definition("win2025-datacenter"))
            .is_some()
    );
}

#[test]
fn a_tree_row_answers_a_click_across_its_width() {
    let mut h = harness_with(sample());
    let row = h
        .get_by_role_and_label(Role::Button, "ubuntu-2204-base")
        .rect();
    let tree = h.get_by_role_and_label(Role::TextInput, "Search").rect();
    // Right of the name, near the panel's right edge.
    let pos = egui::pos2(tree.right() - 4.0, row.center().y);
    h.hover_at(pos);
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    h.run_steps(4);
    assert_eq!(
        h.state().selection.as_ref(),
        Some(&ResourcePath::definition(G, "ubuntu-2204-base"))
    );
}

#[test]
fn another_selection_starts_the_editor_at_its_top() {
    let mut h = harness_with(sample());
    let version = ResourcePath::version(G, WIN, "2026.9.0");
    select(&mut h, version.clone());
    let top = h.get_by_label(&version.to_string()).rect().top();
    h.get_by_role_and_label(Role::Button, "Check access…")
        .scroll_to_me();
    h.run_steps(4);
    assert!(
        h.query_by_label(&version.to_string())
            .is_none_or(|n| n.rect().top() < top - 1.0),
        "the editor scrolled down"
    );
    select(&mut h, ResourcePath::definition(G, WIN));
    select(&mut h, version.clone());
    assert_eq!(h.get_by_label(&version.to_string()).rect().top(), top);
}

#[test]
fn counts_agree_with_their_nouns() {
    let mut ws = sample();
    ws.settings.region_policy = None;
    let mut h = harness_with(ws);
    // The sample has one gallery: the status bar and the welcome page say so.
    h.get_by_label_contains("1 gallery · 7 versions · ");
    h.get_by_label("1 gallery · 7 image versions · 7 managed images");
    select(&mut h, ResourcePath::version(G, WIN, "2026.9.0"));
    click(&mut h, "Add regions…");
    common::type_into(&mut h, "Search regions", "norway");
    click(&mut h, "Norway East (norwayeast, Norway)");
    click(&mut h, "Add 1 region");
    h.get_by_label_contains("Added 1 target region to 2026.9.0");
}

/// Hovers the first widget labelled `text` and returns how many tooltips it added.
fn tooltips_on_hover(h: &mut H, text: &str) -> usize {
    let before = h.query_all_by_label(text).count();
    h.query_all_by_label(text)
        .next()
        .expect("the text is shown")
        .hover();
    h.run_steps(8);
    h.query_all_by_label(text).count() - before
}

#[test]
fn a_cut_reason_shows_in_full_in_one_tooltip() {
    let mut h = harness_with(sample());
    select(&mut h, ResourcePath::version(G, WIN, "2026.9.0"));
    run(&mut h, UserAction::PlanReplicas);
    // The planner's Why column: its text on hover, once.
    assert_eq!(tooltips_on_hover(&mut h, "no demand given: unchanged"), 1);
}

/// Where a widget is on screen.
fn top_of(h: &H, role: Role, label: &str) -> f32 {
    h.get_by_role_and_label(role, label).rect().top()
}

/// The top of a dialog's heading.
fn heading_top(h: &H, heading: &str) -> f32 {
    h.get_by_label(heading).rect().top()
}

#[test]
fn dialogs_hang_from_one_top_and_keep_their_place_while_their_content_changes() {
    let mut ws = sample();
    ws.settings.region_policy = None;
    let mut h = harness_with(ws);

    // Add target regions: a search that leaves one region moves neither the field nor the
    // buttons.
    select(&mut h, ResourcePath::version(G, WIN, "2026.9.0"));
    click(&mut h, "Add regions…");
    let top = heading_top(&h, "Add target regions");
    let (search, cancel) = (
        top_of(&h, Role::TextInput, "Search regions"),
        top_of(&h, Role::Button, "Cancel"),
    );
    common::type_into(&mut h, "Search regions", "norway east");
    h.run_steps(6);
    assert_eq!(top_of(&h, Role::TextInput, "Search regions"), search);
    assert_eq!(top_of(&h, Role::Button, "Cancel"), cancel);
    shortcut(&mut h, Modifiers::NONE, Key::Escape);

    // Principals: filtering keeps the Close button in place; its top is the same as the
    // other dialogs' (anchored at the top, not centred on a height that changes).
    run(&mut h, UserAction::Principals);
    assert_eq!(heading_top(&h, "Principals"), top);
    let close = top_of(&h, Role::Button, "Close");
    common::type_into(&mut h, "Search principals", "carol");
    h.run_steps(6);
    assert_eq!(top_of(&h, Role::Button, "Close"), close);
    shortcut(&mut h, Modifiers::NONE, Key::Escape);

    run(&mut h, UserAction::Deploy);
    // (The editor has a Deploy button too: one of the two labels is the dialog's heading.)
    assert!(
        h.query_all_by_label("Deploy")
            .any(|n| n.rect().top() == top)
    );
    shortcut(&mut h, Modifiers::NONE, Key::Escape);

    // The matrix keeps its size while the pointer moves over its cells.
    run(&mut h, UserAction::AccessMatrix);
    assert_eq!(heading_top(&h, "Access matrix"), top);
    let close = top_of(&h, Role::Button, "Close");
    for x in [500.0, 700.0, 900.0] {
        h.hover_at(egui::pos2(x, 400.0));
        h.run_steps(8);
        assert_eq!(top_of(&h, Role::Button, "Close"), close);
    }
}
