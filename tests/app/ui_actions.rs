//! The action table, the dialog stack and actions with their target, driven through the labels
//! a screen reader uses: a background error opens over the dialog being filled in and gives it
//! back as it was; a disabled menu item and a refused shortcut give the same reason; a context
//! menu acts on its row, whatever is selected.

use crate::common;

use common::{H, click, click_button, harness, harness_with, select, shortcut, type_into};
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use sig_studio::model::ResourcePath;
use sig_studio::sample::sample;
use sig_studio::ui::actions::UserAction;
use sig_studio::ui::dialogs::add_gallery::AddGalleryDialog;
use sig_studio::ui::dialogs::confirm_delete::ConfirmDeleteDialog;
use sig_studio::ui::dialogs::message::MessageDialog;
use sig_studio::ui::{DialogRequest, Prefs, SigStudioApp, Startup};

const G: &str = "contoso_images";
const WIN: &str = "win2022-datacenter";

fn act_as(h: &mut H, principal: &str) {
    h.get_by_role_and_label(Role::ComboBox, "Acting as").click();
    h.run_steps(4);
    click_button(h, principal);
}

/// A menu item by its text (its spoken label goes on with the shortcut: "Delete… Delete").
fn menu_item<'a>(h: &'a H, text: &'a str) -> egui_kittest::Node<'a> {
    h.get_by(move |node| {
        node.role() == Role::Button && node.label().is_some_and(|l| l.starts_with(text))
    })
}

/// The text of the one label containing `part`.
fn label_text(h: &H, part: &str) -> String {
    let node = h.get_by_label_contains(part);
    let node = node.accesskit_node();
    node.label().or_else(|| node.value()).unwrap_or_default()
}

#[test]
fn a_failed_save_opens_over_the_dialog_being_filled_in_and_gives_it_back_as_it_was() {
    let dir = common::tempdir("stacked-error");
    // The document's file lies in a folder that does not exist: saving it fails.
    let file = dir.join("gone").join("work.ron");
    let app = SigStudioApp::new(
        Startup::Workspace(sample(), Some(file.clone())),
        None,
        Prefs::default(),
        common::today(),
    )
    .without_native_dialogs();
    let mut h = harness(app, 1.0);
    h.run_steps(3);
    // Something selected: the welcome page (with its own Add gallery…) gives way to the editor.
    select(&mut h, ResourcePath::gallery(G));
    click(&mut h, "Add gallery…");
    type_into(&mut h, "Gallery name", "typed_before_the_error");

    // A save started before the dialog opened (as Ctrl+S would have) finishes while it is
    // open, and fails.
    let ctx = h.ctx.clone();
    h.state_mut().run(UserAction::Save, &ctx);
    h.run_steps(1);
    h.state().wait_for_file_work();
    h.run_steps(6);
    let open: Vec<&str> = h
        .state()
        .dialogs()
        .map(|d| {
            if d.is::<AddGalleryDialog>() {
                "add gallery"
            } else if d.is::<MessageDialog>() {
                "message"
            } else {
                "another"
            }
        })
        .collect();
    assert_eq!(open, ["add gallery", "message"], "the error opens on top");
    h.get_by_label("Could not save");

    // OK gives the form back with what was typed in it, still working.
    click_button(&mut h, "OK");
    let dialog = h
        .state()
        .dialog()
        .and_then(|d| d.downcast_ref::<AddGalleryDialog>())
        .expect("the form is back");
    assert_eq!(dialog.gallery.name, "typed_before_the_error");
    assert_eq!(
        h.get_by_role_and_label(Role::TextInput, "Gallery name")
            .value()
            .as_deref(),
        Some("typed_before_the_error")
    );
    click_button(&mut h, "Create gallery");
    assert!(h.state().dialog().is_none());
    assert!(
        h.state()
            .doc
            .ws()
            .gallery("typed_before_the_error")
            .is_some()
    );
    assert!(!file.exists(), "nothing was written");
}

#[test]
fn a_disabled_menu_item_and_a_refused_shortcut_give_the_same_reason() {
    let mut h = harness_with(sample());
    act_as(&mut h, "bob@contoso.com");
    let version = ResourcePath::version(G, WIN, "2026.9.0");
    select(&mut h, version.clone());

    // Edit, Delete…: disabled; its hover says why.
    click(&mut h, "Edit");
    let item = menu_item(&h, "Delete…");
    assert!(item.accesskit_node().is_disabled());
    item.hover();
    h.run_steps(6);
    let reason = label_text(&h, "bob@contoso.com cannot delete");
    assert!(reason.contains(&version.to_string()), "{reason}");
    shortcut(&mut h, egui::Modifiers::NONE, egui::Key::Escape);

    // The Delete key asks the same question and gives the same answer, word for word.
    shortcut(&mut h, egui::Modifiers::NONE, egui::Key::Delete);
    assert!(h.state().dialog().is_none());
    let notice = label_text(&h, "Delete refused:");
    assert_eq!(notice, format!("Delete refused: {reason}"));

    // A reason that is no refusal: nothing to redo, in the menu and for Ctrl+Y alike.
    click(&mut h, "Edit");
    let redo = menu_item(&h, "Redo");
    assert!(redo.accesskit_node().is_disabled());
    redo.hover();
    h.run_steps(6);
    let reason = label_text(&h, "nothing to redo");
    shortcut(&mut h, egui::Modifiers::NONE, egui::Key::Escape);
    shortcut(&mut h, egui::Modifiers::COMMAND, egui::Key::Y);
    assert_eq!(
        label_text(&h, "Redo refused:"),
        format!("Redo refused: {reason}")
    );
}

#[test]
fn a_context_menu_acts_on_its_row_whatever_is_selected() {
    let mut h = harness_with(sample());
    let selected = ResourcePath::version(G, "ubuntu-2204-base", "1.0.8");
    select(&mut h, selected.clone());
    let row = ResourcePath::version(G, WIN, "2026.9.0");
    h.state_mut().select_path(row.clone());
    h.run_steps(4);
    select(&mut h, selected.clone());

    // Right-click the other row: its menu's Delete… asks about that row.
    h.get_by_label("2026.9.0").click_secondary();
    h.run_steps(6);
    menu_item(&h, "Delete…").click();
    h.run_steps(12);
    let dialog = h
        .state()
        .dialog()
        .and_then(|d| d.downcast_ref::<ConfirmDeleteDialog>())
        .expect("Delete… asks first");
    assert_eq!(dialog.path, row);
    assert_eq!(h.state().selection.as_ref(), Some(&selected));
    click_button(&mut h, "Delete");
    let ws = h.state().doc.ws();
    let win = ws.gallery(G).and_then(|g| g.definition(WIN)).unwrap();
    assert!(
        win.version("2026.9.0").is_none(),
        "the row's version is gone"
    );
    let ubuntu = ws.gallery(G).and_then(|g| g.definition("ubuntu-2204-base"));
    assert!(ubuntu.unwrap().version("1.0.8").is_some());

    // Acting as a Reader, the row's own refusal shows in its menu (not the selection's).
    act_as(&mut h, "bob@contoso.com");
    select(&mut h, selected.clone());
    h.get_by_label("2026.8.0").click_secondary();
    h.run_steps(6);
    let delete = menu_item(&h, "Delete…");
    assert!(delete.accesskit_node().is_disabled());
    delete.hover();
    h.run_steps(6);
    let reason = label_text(&h, "bob@contoso.com cannot delete");
    assert!(
        reason.contains(&format!("{G}/{WIN}/2026.8.0")),
        "the menu's row: {reason}"
    );
}

#[test]
fn two_dialogs_one_over_the_other_leave_the_window_idle() {
    let mut app = SigStudioApp::new(
        Startup::Workspace(sample(), None),
        None,
        Prefs::default(),
        common::today(),
    )
    .without_native_dialogs();
    while app.advance_simulation(600.0).is_running() {}
    app.open_dialog(DialogRequest::Principals(()));
    app.open_dialog(DialogRequest::Message(MessageDialog::new(
        "Over it",
        "A second dialog",
    )));
    let mut h = harness(app, 1.0);
    h.run_steps(10);
    assert_eq!(h.state().dialogs().count(), 2);
    h.get_by_label("A second dialog");
    // Nothing changes: no frame asks for another one.
    h.step();
    assert!(!h.ctx.has_requested_repaint());
}
