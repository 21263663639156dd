//! Where the app shows the service's own rules and texts, driven headless through the labels a
//! screen reader uses: the role table in Add grant and acting as, regions open only on request in
//! the picker, Standard_ZRS where a region has no zones, an end-of-life date set in the past, and
//! "latest" when every version is excluded.

use crate::common;

use common::{H, click, click_button, click_in_editor, hover_button};
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use sig_studio::model::{Date, Grant, ResourcePath, Role as AccessRole, StorageType, Workspace};
use sig_studio::sample::sample;
use sig_studio::ui::{Prefs, SigStudioApp, Startup};

const G: &str = "contoso_images";
const WIN: &str = "win2022-datacenter";
const UBUNTU: &str = "ubuntu-2204-base";

fn harness_with(ws: Workspace, today: &str) -> H {
    let mut app = SigStudioApp::new(
        Startup::Workspace(ws, None),
        None,
        Prefs::default(),
        today.parse::<Date>().unwrap(),
    )
    .without_native_dialogs();
    app.set_today(today.parse::<Date>().unwrap());
    let mut harness = common::harness(app, 1.0);
    harness.run_steps(3);
    harness
}

fn type_into(h: &mut H, label: &str, text: &str) {
    let field = h.get_by_role_and_label(Role::TextInput, label);
    field.focus();
    field.type_text(text);
    h.run_steps(2);
}

fn select(h: &mut H, path: ResourcePath) {
    h.state_mut().select_path(path);
    h.run_steps(4);
}

fn act_as(h: &mut H, principal: &str) {
    h.get_by_role_and_label(Role::ComboBox, "Acting as").click();
    h.run_steps(4);
    click_button(h, principal);
}

#[test]
fn granting_follows_the_role_table_not_the_sharing_admin() {
    // bob holds Compute Gallery Sharing Admin on the gallery: Azure gives that role only
    // Microsoft.Compute/galleries/share/action, so it may not create role assignments.
    let mut ws = sample();
    ws.grants.push(Grant {
        principal: "bob@contoso.com".into(),
        role: AccessRole::ComputeGallerySharingAdmin,
        scope: G.into(),
    });
    ws.grants.push(Grant {
        principal: "carol@contoso.com".into(),
        role: AccessRole::UserAccessAdministrator,
        scope: format!("{G}/{WIN}"),
    });
    let mut h = harness_with(ws, "2026-12-01");
    select(&mut h, ResourcePath::definition(G, WIN));
    click_in_editor(&mut h, "Add grant…");
    // The dialog offers every role of the table.
    for role in [
        "Reader",
        "Contributor",
        "Owner",
        "User Access Administrator",
        "Role Based Access Control Administrator",
        "Compute Gallery Sharing Admin",
    ] {
        h.get_by_role_and_label(Role::RadioButton, role);
    }
    click(&mut h, "Cancel");
    // Acting as bob, Add grant is disabled before the click, with the reason in its tooltip.
    act_as(&mut h, "bob@contoso.com");
    let add = h.get_by_role_and_label(Role::Button, "Add grant…");
    assert!(add.accesskit_node().is_disabled());
    hover_button(&mut h, "Add grant…");
    h.get_by_label_contains(
        "bob@contoso.com cannot grant access on contoso_images/win2022-datacenter: needs Owner, User Access Administrator or Role Based Access Control Administrator on it or on contoso_images (holds Compute Gallery Sharing Admin)",
    );

    // carol, User Access Administrator on the definition, may grant there.
    act_as(&mut h, "carol@contoso.com");
    let before = h.state().doc.ws().grants.len();
    click_in_editor(&mut h, "Add grant…");
    type_into(&mut h, "Search principals", "web");
    click_button(&mut h, "web-team");
    h.get_by_role_and_label(Role::RadioButton, "Reader").click();
    h.run_steps(2);
    click_button(&mut h, "Add grant");
    assert_eq!(h.state().doc.ws().grants.len(), before + 1);

    // Check access says what the roles allow, from the same table.
    click_in_editor(&mut h, "Check access…");
    type_into(&mut h, "Search principals", "bob");
    click_button(&mut h, "bob@contoso.com");
    let field = h.get_by_role_and_label(Role::TextInput, "Resource path");
    field.focus();
    h.run_steps(1);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, "Resource path")
        .type_text(G);
    h.run_steps(3);
    h.get_by_label(&format!(
        "✔ bob@contoso.com is Compute Gallery Sharing Admin on {G}"
    ));
    h.get_by_label("Allows: share");
}

#[test]
fn the_region_picker_marks_regions_open_only_on_request() {
    // Without the sample's preview region policy, every region can be picked.
    let mut ws = sample();
    ws.settings.region_policy = None;
    let mut h = harness_with(ws, "2026-12-01");
    select(&mut h, ResourcePath::version(G, WIN, "2026.8.0"));
    click(&mut h, "Add regions…");
    type_into(&mut h, "Search regions", "australia");
    // Microsoft's regions list marks Australia Central 2 "access restricted".
    let restricted =
        h.get_by_label("Australia Central 2 (australiacentral2, Australia) · on request");
    assert!(!restricted.accesskit_node().is_disabled());
    h.get_by_label("Australia East (australiaeast, Australia)");
    // Regions opened recently are offered.
    let search = h.get_by_role_and_label(Role::TextInput, "Search regions");
    search.focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, "Search regions")
        .type_text("austria");
    h.run_steps(3);
    h.get_by_label("Austria East (austriaeast, Austria)");
    assert!(h.query_by_label_contains("Jio India").is_none());
}

#[test]
fn standard_zrs_in_a_region_without_zones_is_an_error_with_the_services_text() {
    let mut h = harness_with(sample(), "2026-12-01");
    let version = ResourcePath::version(G, WIN, "2026.9.0");
    select(&mut h, version.clone());
    h.get_by_role_and_label(Role::ComboBox, "Storage type in West US")
        .click_accesskit();
    h.run_steps(4);
    click_button(&mut h, "Standard_ZRS");
    let stored = h
        .state()
        .doc
        .ws()
        .gallery(G)
        .and_then(|g| g.definition(WIN))
        .and_then(|d| d.version("2026.9.0"))
        .and_then(|v| {
            v.target_regions
                .iter()
                .find(|t| t.region.name() == "westus")
        })
        .and_then(|t| t.storage_type);
    assert_eq!(stored, Some(StorageType::Standard_ZRS));
    // The problems panel names the region with the service's text.
    h.get_by_label_contains("West US: ZRS storage account type is not supported in this region.");
}

#[test]
fn an_end_of_life_date_set_in_the_past_is_refused_at_edit_time() {
    // The definition's end of life, 2031-10-14, has passed on 2031-10-20: the file keeps it
    // with a warning, and moving it to another past day is refused with the service's text.
    let mut h = harness_with(sample(), "2031-10-20");
    select(&mut h, ResourcePath::definition(G, WIN));
    assert!(
        h.get_all_by_label_contains("The end-of-life date 2031-10-14 has passed")
            .next()
            .is_some()
    );
    let before = h.state().doc.ws().clone();
    h.get_by_label("2031-10-14 📆").click_accesskit();
    h.run_steps(6);
    click_button(&mut h, "<");
    click_button(&mut h, "Save");
    h.get_by_label("The change was refused");
    h.get_by_label_contains("EndOfLifeDate must be set to a future date.");
    h.get_by_label_contains("The end-of-life date 2031-10-13 is not after today, 2031-10-20");
    click(&mut h, "OK");
    assert_eq!(*h.state().doc.ws(), before, "nothing changed");
}

#[test]
fn deploying_latest_when_every_version_is_excluded_says_what_the_service_says() {
    let mut ws = sample();
    for v in &mut ws.galleries[0].definitions[1].versions {
        v.exclude_from_latest = true;
    }
    assert_eq!(ws.galleries[0].definitions[1].name, UBUNTU);
    let mut h = harness_with(ws, "2026-12-01");
    select(&mut h, ResourcePath::definition(G, UBUNTU));
    click_in_editor(&mut h, "Deploy…");
    h.get_by_label("East US: replicated").click();
    h.run_steps(6);
    h.get_by_label_contains(
        "⛔ Refused: There is no latest image version exists for \"contoso_images/ubuntu-2204-base\"",
    );
}

/// Microsoft's docs: new definitions now default to generation V2 with security type
/// TrustedLaunchSupported. The Add image definition dialog offers that default, says why, and
/// lets a team keep the former one (V1, Standard) as a workspace setting.
#[test]
fn a_new_definition_starts_as_v2_trusted_launch_supported_and_says_why() {
    use sig_studio::model::{DefinitionDefaults, HyperVGeneration, SecurityType};
    let mut h = harness_with(sample(), "2026-11-26");
    select(&mut h, ResourcePath::gallery(G));
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::N,
    );
    h.run_steps(12);
    h.get_by_label_contains("Microsoft's docs say the service now defaults to these");
    let security = h.get_by_role_and_label(Role::ComboBox, "Security type");
    assert_eq!(
        security.accesskit_node().value().as_deref(),
        Some("TrustedLaunchSupported")
    );
    type_into(&mut h, "Definition name", "rhel9");
    type_into(&mut h, "Publisher", "Contoso");
    type_into(&mut h, "Offer", "RHEL");
    type_into(&mut h, "SKU", "9-gen2");
    click(&mut h, "Create image definition");
    let created = h
        .state()
        .doc
        .ws()
        .gallery(G)
        .and_then(|g| g.definition("rhel9"))
        .cloned()
        .expect("created");
    assert_eq!(created.generation, HyperVGeneration::V2);
    assert_eq!(
        created.security_type(),
        Some(Ok(SecurityType::TrustedLaunchSupported))
    );

    // A team that needs the former defaults keeps them in the workspace.
    select(&mut h, ResourcePath::gallery(G));
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::N,
    );
    h.run_steps(12);
    click(
        &mut h,
        "Use the former defaults (V1, Standard) in this workspace",
    );
    assert_eq!(
        h.state().doc.ws().settings.new_definitions,
        DefinitionDefaults::Classic
    );
    h.get_by_label_contains("this workspace keeps the service's former defaults");
    let security = h.get_by_role_and_label(Role::ComboBox, "Security type");
    assert_eq!(
        security.accesskit_node().value().as_deref(),
        Some("Standard")
    );
    let generation = h.get_by_role_and_label(Role::ComboBox, "Hyper-V generation");
    assert_eq!(generation.accesskit_node().value().as_deref(), Some("V1"));
}

/// ARM cannot rename a gallery, definition or version (DOMAIN.md 9): for one that exists in
/// Azure the name is read-only with the reason, F2 offers a copy under a new name, and the
/// original stays.
#[test]
fn a_resource_in_azure_is_duplicated_with_a_new_name_not_renamed() {
    use sig_studio::model::Presence;
    let mut ws = sample();
    let name = ws.galleries[0].definitions[1].versions[0].name.clone();
    crate::shared::mark_in_azure(
        &mut ws,
        &ResourcePath::version(G, UBUNTU, &name),
        Presence::InAzure,
    );
    let mut h = harness_with(ws, "2026-11-26");
    let path = ResourcePath::version(G, UBUNTU, &name);
    select(&mut h, path.clone());
    // No name field to type into: the name is read-only, with a way out.
    assert!(
        h.query_by_role_and_label(Role::TextInput, "Version")
            .is_none()
    );
    h.get_by_label("Duplicate with a new name…");
    h.key_press(egui::Key::F2);
    h.run_steps(12);
    h.get_by_label_contains("ARM cannot rename it: a rename is a delete plus a create");
    let field = h.get_by_role_and_label(Role::TextInput, "New name");
    assert_eq!(
        field.accesskit_node().value().as_deref(),
        Some("1.0.13"),
        "the proposal is the next version number, a name the copy can take"
    );
    assert!(!h.get_by_label("Duplicate").accesskit_node().is_disabled());
    let field = h.get_by_role_and_label(Role::TextInput, "New name");
    field.focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_role_and_label(Role::TextInput, "New name")
        .type_text("1.0.20");
    h.run_steps(2);
    click_button(&mut h, "Duplicate");
    let ws = h.state().doc.ws();
    let definition = ws.gallery(G).and_then(|g| g.definition(UBUNTU)).unwrap();
    definition.version("1.0.20").expect("the copy exists");
    assert!(definition.version(&name).is_some());
    assert_eq!(
        ws.presence_of(G, Some(UBUNTU), Some("1.0.20")),
        Presence::Planned
    );
    assert_eq!(
        ws.presence(&ResourcePath::version(G, UBUNTU, &name)),
        Some(Presence::InAzure),
        "the original stays as it is"
    );
    assert_eq!(
        h.state().selection,
        Some(ResourcePath::version(G, UBUNTU, "1.0.20"))
    );
}

/// F2 on a definition in Azure with versions (issue 24 item 2: the rename was accepted with a
/// toast and the plan deleted every version): the dialog says first what a rename would delete,
/// naming the versions and the one "latest" resolves to, and proposes a name the copy can take.
#[test]
fn renaming_a_definition_in_azure_names_what_it_would_delete() {
    use sig_studio::model::Presence;
    let mut ws = sample();
    let versions: Vec<String> = ws.galleries[0].definitions[1]
        .versions
        .iter()
        .map(|v| v.name.clone())
        .collect();
    // As after importing the versions az lists (the definition is known by their ids).
    for v in &versions {
        crate::shared::mark_in_azure(
            &mut ws,
            &ResourcePath::version(G, UBUNTU, v),
            Presence::InAzure,
        );
    }
    assert_eq!(
        ws.presence(&ResourcePath::definition(G, UBUNTU)),
        Some(Presence::Reference)
    );
    let before = ws.clone();
    let mut h = harness_with(ws, "2026-11-26");
    common::select(&mut h, ResourcePath::definition(G, UBUNTU));
    h.get_by_label("Duplicate with a new name…");
    h.key_press(egui::Key::F2);
    h.run_steps(12);
    h.get_by_label(
        "A rename would delete the definition ubuntu-2204-base in Azure with its 3 versions \
         (1.0.8, 1.0.9, 1.0.12), including 1.0.12, which \"latest\" resolves to.",
    );
    let field = h.get_by_role_and_label(Role::TextInput, "New name");
    assert_eq!(
        field.accesskit_node().value().as_deref(),
        Some("ubuntu-2204-base-2")
    );
    click(&mut h, "Cancel");
    assert_eq!(*h.state().doc.ws(), before, "nothing was renamed");
}
