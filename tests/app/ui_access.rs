//! Access in the app, driven headless through the labels a screen reader uses: grants through
//! the Add grant dialog, effective access of a group member, refusals when acting as a Reader,
//! and deleting a principal with undo.

use crate::common;

use common::{
    H, click, click_button, click_in_editor, harness_with, hover_button, select, shortcut,
    type_into,
};
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use sig_studio::model::{Grant, ResourcePath, Role as AccessRole};
use sig_studio::sample::sample;
use sig_studio::ui::dialogs::matrix::MatrixView;

fn act_as(h: &mut H, principal: &str) {
    h.get_by_role_and_label(Role::ComboBox, "Acting as").click();
    h.run_steps(4);
    click_button(h, principal);
}

const WIN: &str = "contoso_images/win2022-datacenter";

#[test]
fn granting_a_group_reader_on_a_definition_reaches_its_members() {
    let mut h = harness_with(sample());
    select(
        &mut h,
        ResourcePath::definition("contoso_images", "win2022-datacenter"),
    );
    let grants_before = h.state().doc.ws().grants.len();

    click_in_editor(&mut h, "Add grant…");
    // Another tenant's principal is listed but cannot be picked, with the reason.
    h.get_by_label_contains("in tenant fabrikam; gallery contoso_images belongs to tenant contoso");
    type_into(&mut h, "Search principals", "web");
    click_button(&mut h, "web-team");
    h.get_by_role_and_label(Role::RadioButton, "Reader").click();
    h.run_steps(2);
    click_button(&mut h, "Add grant");

    let ws = h.state().doc.ws();
    assert_eq!(ws.grants.len(), grants_before + 1);
    assert!(ws.grants.contains(&Grant {
        principal: "web-team".to_owned(),
        role: AccessRole::Reader,
        scope: WIN.to_owned(),
    }));
    // The editor's Access section lists it with a Remove button.
    h.get_by_label("Remove Reader of web-team");

    // Check access: carol, a member of web-team, reads the definition through the group.
    click_in_editor(&mut h, "Check access…");
    type_into(&mut h, "Search principals", "carol");
    click_button(&mut h, "carol@contoso.com");
    h.get_by_label(&format!("✔ carol@contoso.com is Reader on {WIN}"));
    h.get_by_label(&format!("carol@contoso.com ← web-team: Reader on {WIN}"));
    // Another resource, found by part of its name: the field offers the matching paths.
    let field = h.get_by_role_and_label(Role::TextInput, "Resource path");
    field.focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, "Resource path")
        .type_text("1.0.9");
    h.run_steps(3);
    h.get_by_label_contains("1.0.9: there is no gallery, image definition or image version here");
    click(&mut h, "contoso_images/ubuntu-2204-base/1.0.9");
    // carol reaches it through nested groups: web-team is a member of app-teams.
    h.get_by_label("✔ carol@contoso.com is Reader on contoso_images/ubuntu-2204-base/1.0.9");
    h.get_by_label_contains("carol@contoso.com ← web-team ← app-teams: Reader");
    // Undo takes the grant back.
    click(&mut h, "Close");
    let ctx = h.ctx.clone();
    h.state_mut()
        .run(sig_studio::ui::actions::UserAction::Undo, &ctx);
    h.run_steps(3);
    assert_eq!(h.state().doc.ws().grants.len(), grants_before);
}

#[test]
fn acting_as_a_reader_refuses_grants_and_changes_nothing() {
    let mut h = harness_with(sample());
    act_as(&mut h, "bob@contoso.com");
    assert_eq!(
        h.state().doc.ws().settings.acting_as.as_deref(),
        Some("bob@contoso.com")
    );
    let before = h.state().doc.ws().clone();

    select(
        &mut h,
        ResourcePath::definition("contoso_images", "ubuntu-2204-base"),
    );
    // Adding a grant is disabled before the click, with the reason in the tooltip.
    let add = h.get_by_role_and_label(Role::Button, "Add grant…");
    assert!(add.accesskit_node().is_disabled());
    hover_button(&mut h, "Add grant…");
    h.get_by_label_contains(
        "bob@contoso.com cannot grant access on contoso_images/ubuntu-2204-base: needs Owner",
    );

    // Removing a grant asks the same rule before the click: the button is disabled, the
    // reason in its tooltip; the editor itself is read only, saying why.
    let remove = h.get_by_label("Remove Reader of app-teams");
    assert!(remove.accesskit_node().is_disabled());
    hover_button(&mut h, "Remove Reader of app-teams");
    h.get_by_label_contains(
        "bob@contoso.com cannot revoke access on contoso_images/ubuntu-2204-base: needs Owner",
    );
    h.get_by_label_contains(
        "Read only: bob@contoso.com cannot edit image definition contoso_images/ubuntu-2204-base: needs",
    );
    assert_eq!(*h.state().doc.ws(), before);
}

#[test]
fn acting_as_someone_else_is_a_preference_shown_in_a_banner_not_an_undo_step() {
    let mut h = harness_with(sample());
    assert!(h.query_by_label_contains("Acting as bob").is_none());
    act_as(&mut h, "bob@contoso.com");
    let app = h.state();
    assert_eq!(app.doc.undo_depth(), 0, "not an undo step");
    assert!(app.doc.is_dirty(), "kept in the file, so unsaved");
    assert!(app.title().starts_with("● "));

    // The banner names the principal and its role on the selection.
    h.get_by_label("Acting as bob@contoso.com");
    select(
        &mut h,
        ResourcePath::version("contoso_images", "win2022-datacenter", "2026.9.0"),
    );
    h.get_by_label("Acting as bob@contoso.com: Reader on 2026.9.0");
    // What bob may not do is disabled before the click, with the reason.
    assert!(
        h.get_by_role_and_label(Role::Button, "Add gallery…")
            .accesskit_node()
            .is_disabled()
    );
    h.get_by_label_contains("Read only: bob@contoso.com cannot edit image version");

    // Resources bob cannot see are marked; hidden on request, keeping the parents of 2026.9.0.
    assert!(
        !h.query_all_by_label("no access")
            .collect::<Vec<_>>()
            .is_empty()
    );
    assert!(h.query_by_label("ubuntu-2204-base").is_some());
    click(&mut h, "Hide what bob@contoso.com cannot see");
    assert!(h.query_by_label("ubuntu-2204-base").is_none());
    assert!(h.query_all_by_label("2026.9.0").next().is_some());
    assert!(h.query_all_by_label("win2022-datacenter").next().is_some());

    // Undo does not switch back; the banner's button does.
    let ctx = h.ctx.clone();
    h.state_mut()
        .run(sig_studio::ui::actions::UserAction::Undo, &ctx);
    h.run_steps(3);
    assert_eq!(
        h.state().doc.ws().settings.acting_as.as_deref(),
        Some("bob@contoso.com")
    );
    click(&mut h, "Act as the workspace owner");
    assert_eq!(h.state().doc.ws().settings.acting_as, None);
    assert!(h.query_by_label_contains("Acting as bob").is_none());
    assert_eq!(h.state().doc.undo_depth(), 0);
}

#[test]
fn deleting_a_principal_removes_its_grants_and_undo_restores_them() {
    let mut h = harness_with(sample());
    let before = h.state().doc.ws().clone();
    click(&mut h, "Access");
    click(&mut h, "Principals… Ctrl+Shift+P");
    type_into(&mut h, "Search principals", "app-teams");
    click_button(&mut h, "app-teams");
    click(&mut h, "Delete principal app-teams…");
    // It asks first, naming what goes with it; Keep changes nothing.
    h.get_by_label(
        "Delete app-teams? This removes its 1 grant and its membership in 0 groups; the access its 1 member had through it goes too.",
    );
    click_button(&mut h, "Keep");
    assert_eq!(*h.state().doc.ws(), before);
    click(&mut h, "Delete principal app-teams…");
    click_button(&mut h, "Delete");
    let ws = h.state().doc.ws();
    assert!(ws.principals.iter().all(|p| p.name != "app-teams"));
    assert!(ws.grants.iter().all(|g| g.principal != "app-teams"));
    assert_eq!(ws.grants.len(), before.grants.len() - 1);
    click(&mut h, "Close");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(4);
    assert_eq!(*h.state().doc.ws(), before);
}

#[test]
fn a_group_member_added_in_the_principals_dialog_and_a_cycle_is_warned() {
    let mut h = harness_with(sample());
    click(&mut h, "Access");
    click(&mut h, "Principals… Ctrl+Shift+P");
    type_into(&mut h, "Search principals", "web-team");
    click_button(&mut h, "web-team");
    type_into(&mut h, "Find a member to add", "app-teams");
    click(&mut h, "Add member app-teams");
    let web = h
        .state()
        .doc
        .ws()
        .principals
        .iter()
        .find(|p| p.name == "web-team")
        .cloned()
        .unwrap();
    assert!(web.members.contains(&"app-teams".to_owned()));
    // app-teams contains web-team, which now contains app-teams.
    assert!(
        h.query_by_label_contains("⚠ web-team ← app-teams ← web-team")
            .or_else(|| h.query_by_label_contains("⚠ app-teams ← web-team ← app-teams"))
            .is_some()
    );
}

#[test]
fn the_matrix_shows_effective_roles_and_lays_out_only_visible_cells() {
    let mut h = harness_with(sample());
    click(&mut h, "Access");
    click(&mut h, "Access matrix… Ctrl+Shift+M");
    h.get_by_label_contains("principals ×");
    // carol reaches ubuntu-2204-base through web-team ← app-teams: Reader there.
    assert!(h.query_all_by_label("Reader").count() >= 3);
    // Hovering a cell shows why.
    // bob's version grant first, then carol's row starting at the ubuntu definition.
    for _ in 0..2 {
        // Twice: the first hover may land while the dialog still settles its size.
        h.get_all_by_label("Reader").nth(1).unwrap().hover();
        h.run_steps(60);
    }
    h.get_by_label(
        "carol@contoso.com ← web-team ← app-teams: Reader on contoso_images/ubuntu-2204-base",
    );
    click(&mut h, "Close");

    // 1,000 principals × 10,000 versions: only what fits the window is laid out (its frame
    // time is measured in benches/frame.rs).
    let mut ws = sig_studio::sample::synthetic(10_000);
    sig_studio::sample::with_access(&mut ws, 1_000, 5_000);
    let mut h = harness_with(ws);
    // Opened with its shortcut this time.
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::M,
    );
    h.run_steps(12);
    h.run_steps(10);
    let Some(view) = h
        .state()
        .dialog()
        .and_then(|d| d.downcast_ref::<MatrixView>())
    else {
        panic!("the matrix is not open");
    };
    assert!(view.drawn_cells > 50, "{} cells", view.drawn_cells);
    assert!(view.drawn_cells < 1_000, "{} cells", view.drawn_cells);
}

#[test]
fn group_chains_read_with_the_cli_arrow_and_the_font_has_it() {
    let h = harness_with(sample());
    // Proportional text (the app's labels) can draw "←": the chains need no ASCII stand-in.
    let drawn = h.ctx.fonts_mut(|f| {
        f.has_glyphs(
            &egui::FontId::proportional(14.0),
            "carol@contoso.com ← web-team",
        )
    });
    assert!(drawn, "the app's fonts draw the arrow");
}

#[test]
fn check_access_with_deploy_prints_each_reason_once() {
    let mut h = harness_with(sample());
    let version = ResourcePath::version("contoso_images", "win2022-datacenter", "2026.9.0");
    h.state_mut()
        .open_dialog(sig_studio::ui::DialogRequest::CheckAccess((
            Some("bob@contoso.com".to_owned()),
            Some(version),
        )));
    h.run_steps(6);
    let grant = "bob@contoso.com: Reader on contoso_images/win2022-datacenter/2026.9.0";
    assert_eq!(h.query_all_by_label(grant).count(), 1);
    click(&mut h, "Can deploy now in");
    assert_eq!(
        h.query_all_by_label_contains("deploy contoso_images/win2022-datacenter/2026.9.0 in")
            .count(),
        1
    );
    // The deploy answer gives the same grant as its reason: still one line.
    assert_eq!(h.query_all_by_label(grant).count(), 1);
}

#[test]
fn matrix_cells_are_toned_by_their_strongest_role() {
    use sig_studio::access::RoleSet;
    use sig_studio::ui::dialogs::matrix::{Tone, cell_tone};
    let mut set = RoleSet::of(AccessRole::Reader);
    assert_eq!(cell_tone(set), Some(Tone::Reader));
    set.insert(AccessRole::Contributor);
    assert_eq!(cell_tone(set), Some(Tone::Contributor));
    set.insert(AccessRole::UserAccessAdministrator);
    assert_eq!(cell_tone(set), Some(Tone::Admin));
    assert_eq!(cell_tone(RoleSet::EMPTY), None);
}

#[test]
fn acting_as_a_reader_keyboard_shortcuts_are_refused_with_the_reason_and_buttons_disabled() {
    let mut h = harness_with(sample());
    act_as(&mut h, "bob@contoso.com");
    let version = ResourcePath::version("contoso_images", "win2022-datacenter", "2026.9.0");
    select(&mut h, version);
    let before = h.state().doc.ws().clone();

    // Delete and Ctrl+Shift+N ask the rule that disables their menu items: no dialog opens,
    // a toast says why.
    shortcut(&mut h, egui::Modifiers::NONE, egui::Key::Delete);
    assert!(h.state().dialog().is_none(), "Delete opened a dialog");
    h.get_by_label_contains(
        "Delete refused: bob@contoso.com cannot delete image version contoso_images/win2022-datacenter/2026.9.0: needs",
    );
    shortcut(
        &mut h,
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::N,
    );
    assert!(h.state().dialog().is_none(), "Ctrl+Shift+N opened a dialog");
    h.get_by_label_contains("Add refused: bob@contoso.com cannot create image version");
    shortcut(&mut h, egui::Modifiers::COMMAND, egui::Key::D);
    assert!(h.state().dialog().is_none());
    assert_eq!(*h.state().doc.ws(), before);

    // In the read-only editor, Plan replicas… (an edit) is disabled with the reason; Deploy…
    // (a Reader may deploy) is not.
    let plan = h.get_by_role_and_label(Role::Button, "Plan replicas…");
    assert!(plan.accesskit_node().is_disabled());
    hover_button(&mut h, "Plan replicas…");
    h.get_by_label(
        "bob@contoso.com cannot edit image version contoso_images/win2022-datacenter/2026.9.0: needs Contributor or Owner on it, on contoso_images/win2022-datacenter or on contoso_images (holds Reader)",
    );
    let deploy = h.get_by_role_and_label(Role::Button, "Deploy…");
    assert!(!deploy.accesskit_node().is_disabled());

    // On a definition bob cannot see, Deploy… is disabled too, saying why.
    select(
        &mut h,
        ResourcePath::definition("contoso_images", "ubuntu-2204-base"),
    );
    let deploy = h.get_by_role_and_label(Role::Button, "Deploy…");
    assert!(deploy.accesskit_node().is_disabled());
    hover_button(&mut h, "Deploy…");
    h.get_by_label_contains(
        "bob@contoso.com cannot deploy image definition contoso_images/ubuntu-2204-base: needs",
    );
    let retention = h.get_by_role_and_label(Role::Button, "Retention policy…");
    assert!(retention.accesskit_node().is_disabled());
}
