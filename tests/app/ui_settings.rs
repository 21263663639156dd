//! The workspace settings page, driven through the labels a screen reader uses: the region
//! policy the region picker applies is shown and edited there (each change one undo step), and
//! the picker's greyed-out regions say which policy excludes them and where to change it.

use crate::common;

use common::{H, click, click_button, harness_with, select, shortcut};
use egui::accesskit::{Role, Toggled};
use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use sig_studio::model::{DefinitionDefaults, Region, RegionPolicy, ResourcePath};
use sig_studio::sample::sample;

fn policy(h: &H) -> Option<RegionPolicy> {
    h.state().doc.ws().settings.region_policy.clone()
}

fn undo(h: &mut H) {
    shortcut(h, Modifiers::COMMAND, Key::Z);
}

fn checked(h: &H, label: &str) -> bool {
    h.get_by_role_and_label(Role::CheckBox, label)
        .accesskit_node()
        .toggled()
        == Some(Toggled::True)
}

#[test]
fn the_region_policy_is_shown_and_edited_in_the_workspace_settings() {
    let mut h = harness_with(sample());
    let japan = Region::parse("japaneast").unwrap();
    let preview = policy(&h).expect("the sample has the preview's policy");
    assert!(!preview.allows_replica(japan));

    // The picker greys Japan East out, saying which policy excludes it and where to change it.
    select(
        &mut h,
        ResourcePath::version("contoso_images", "win2022-datacenter", "2026.10.0"),
    );
    click(&mut h, "Add regions…");
    let japan_row = "Japan East (japaneast, Japan)";
    assert!(
        h.get_by_role_and_label(Role::CheckBox, japan_row)
            .accesskit_node()
            .is_disabled()
    );
    h.get_by_role_and_label(Role::CheckBox, japan_row)
        .scroll_to_me();
    h.run_steps(4);
    h.get_by_role_and_label(Role::CheckBox, japan_row).hover();
    h.run_steps(6);
    h.get_by_label_contains(
        "The workspace's region policy does not allow replicas in Japan East: versions may be replicated only to its 13 listed target regions and to the 1 region galleries may be created in. Change it under Region policy in the workspace settings (Edit → Workspace settings, Ctrl+,)",
    );
    click_button(&mut h, "Cancel");

    // Ctrl+, opens the settings, which show the policy.
    shortcut(&mut h, Modifiers::COMMAND, Key::Comma);
    assert_eq!(h.state().selection, Some(ResourcePath::Settings));
    h.get_by_label(
        "Galleries may be created in 1 region; versions may be replicated to 13 listed regions and to the gallery regions",
    );
    assert!(checked(&h, "Restrict regions with a region policy"));
    assert!(!checked(&h, "Replicas in Japan East"));
    assert!(checked(&h, "Replicas in East US"));
    // A gallery region always takes replicas: its box is ticked and cannot be cleared.
    assert!(checked(&h, "Replicas in West Central US"));
    assert!(
        h.get_by_role_and_label(Role::CheckBox, "Replicas in West Central US")
            .accesskit_node()
            .is_disabled()
    );

    // Allowing Japan East is one undo step, and the picker follows.
    h.get_by_role_and_label(Role::CheckBox, "Replicas in Japan East")
        .click_accesskit();
    h.run_steps(4);
    assert!(policy(&h).unwrap().allows_replica(japan));
    assert!(checked(&h, "Replicas in Japan East"));
    assert_eq!(h.state().doc.undo_depth(), 1);
    h.get_by_label_contains("Replicas allowed in Japan East");
    select(
        &mut h,
        ResourcePath::version("contoso_images", "win2022-datacenter", "2026.10.0"),
    );
    click(&mut h, "Add regions…");
    assert!(
        !h.get_by_role_and_label(Role::CheckBox, japan_row)
            .accesskit_node()
            .is_disabled()
    );
    click_button(&mut h, "Cancel");
    undo(&mut h);
    assert_eq!(policy(&h), Some(preview.clone()));

    // Turning the policy off, and back on by undo.
    shortcut(&mut h, Modifiers::COMMAND, Key::Comma);
    h.get_by_role_and_label(Role::CheckBox, "Restrict regions with a region policy")
        .click();
    h.run_steps(4);
    assert_eq!(policy(&h), None);
    h.get_by_label(
        "No region policy: galleries may be created and versions replicated in every region",
    );
    assert!(h.query_by_label("Replicas in Japan East").is_none());
    undo(&mut h);
    assert_eq!(policy(&h), Some(preview));
}

#[test]
fn other_settings_are_edited_there_or_say_where_they_change() {
    let mut h = harness_with(sample());
    shortcut(&mut h, Modifiers::COMMAND, Key::Comma);
    assert_eq!(
        h.state().doc.ws().settings.new_definitions,
        DefinitionDefaults::TrustedLaunchSupported
    );
    h.get_by_role_and_label(Role::RadioButton, "Generation V1, Standard")
        .click_accesskit();
    h.run_steps(4);
    assert_eq!(
        h.state().doc.ws().settings.new_definitions,
        DefinitionDefaults::Classic
    );
    assert_eq!(h.state().doc.undo_depth(), 1);
    // Numbers: each edit is one undo step.
    h.get_by_role_and_label(Role::SpinButton, "Warn above")
        .set_value_accesskit(60.0);
    h.run_steps(4);
    let settings = &h.state().doc.ws().settings;
    assert_eq!(settings.replica_warning_above, 60);
    assert_eq!(h.state().doc.undo_depth(), 2);
    // The time model, editable nowhere else, is listed with its units.
    h.get_by_role_and_label(Role::SpinButton, "Across continents")
        .set_value_accesskit(5.0);
    h.run_steps(4);
    let settings = &h.state().doc.ws().settings;
    assert_eq!(settings.time_model.cross_continent_mb_per_sec, 5.0);
    assert_eq!(settings.replica_warning_above, 60);
    assert_eq!(h.state().doc.undo_depth(), 3);
    h.get_by_label_contains("Changed the workspace settings");
    undo(&mut h);
    let settings = &h.state().doc.ws().settings;
    assert_eq!(settings.time_model.cross_continent_mb_per_sec, 10.0);
    assert_eq!(settings.replica_warning_above, 60);
    h.get_by_label_contains("change it with Acting as in the status bar");
    h.get_by_label_contains("edit them in the cost view");
    // Delete does nothing to the settings.
    shortcut(&mut h, Modifiers::NONE, Key::Delete);
    assert!(h.state().dialog().is_none());
}
