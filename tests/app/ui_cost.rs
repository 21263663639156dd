//! The cost view, the what-if in the version editor, the replica planner and the retention
//! dialog, driven headless through their accessible labels (issue 6).

use crate::common;

use common::{H, Setup, click, select};
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use sig_studio::cost::{format_usd, preview_retention, workspace_cost};
use sig_studio::model::{ImageVersion, ResourcePath, RetentionPolicy, Workspace};
use sig_studio::sample::sample;
use sig_studio::ui::Prefs;

const G: &str = "contoso_images";
const WIN: &str = "win2022-datacenter";

fn harness_with(ws: Workspace, name: &str, show_cost: bool) -> H {
    let prefs = Prefs {
        show_cost,
        ..Prefs::default()
    };
    Setup::new(ws)
        .prefs(prefs)
        .dirs(&format!("cost-{name}"))
        .build()
}

fn version(h: &H, name: &str) -> ImageVersion {
    h.state()
        .doc
        .ws()
        .gallery(G)
        .and_then(|g| g.definition(WIN))
        .and_then(|d| d.version(name))
        .cloned()
        .unwrap()
}

fn replicas_in(version: &ImageVersion, region: &str) -> u32 {
    let target = version
        .target_regions
        .iter()
        .find(|t| t.region.name() == region)
        .unwrap();
    version.replica_count(target)
}

#[test]
fn a_replica_count_changes_the_cost_figures() {
    let mut h = harness_with(sample(), "replicas", true);
    select(&mut h, ResourcePath::version(G, WIN, "2026.9.0"));
    h.get_by_label("Storage 82.70 USD/month");
    h.get_by_label("Monthly cost 66.38 USD/month, transfer 16.82 USD once (estimate)");
    assert_eq!(replicas_in(&version(&h, "2026.9.0"), "eastus"), 3);

    h.get_by_label("Replicas in East US")
        .set_value_accesskit(4.0);
    h.run_steps(4);
    assert_eq!(replicas_in(&version(&h, "2026.9.0"), "eastus"), 4);
    // One more replica of 44.25 GB at 0.05 USD per GB-month: +2.21 USD/month.
    h.get_by_label("Monthly cost 68.59 USD/month, transfer 16.82 USD once (estimate)");
    h.get_by_label_contains("Monthly change +2.21 USD/month (from 66.38 USD to 68.59 USD)");
    h.get_by_label("Storage 84.91 USD/month");
    assert!(h.query_by_label("Storage 82.70 USD/month").is_none());
    let total = workspace_cost(h.state().doc.ws()).totals.monthly_usd;
    assert_eq!(format_usd(total), "84.91 USD");
}

#[test]
fn the_cost_view_opens_with_ctrl_k_and_selects_a_version_row() {
    let mut h = harness_with(sample(), "view", false);
    assert!(h.query_by_label("Storage 82.70 USD/month").is_none());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    h.run_steps(4);
    assert!(h.state().prefs.show_cost);
    h.get_by_label("Storage 82.70 USD/month");
    h.get_by_label("Transfer 21.00 USD once, when replicas are first copied");

    click(&mut h, "version");
    click(&mut h, "contoso_images/ubuntu-2204-base/1.0.12");
    assert_eq!(
        h.state().selection,
        Some(ResourcePath::version(G, "ubuntu-2204-base", "1.0.12"))
    );
    // Sorting by a column keeps every row.
    // A header click sorts by its column, largest first; a second click reverses.
    h.get_by_role_and_label(Role::Button, "Replicas").click();
    h.run_steps(3);
    h.get_by_role_and_label(Role::Button, "Replicas ⬇").click();
    h.run_steps(3);
    h.get_by_role_and_label(Role::Button, "Replicas ⬆");
    h.get_by_role_and_label(Role::Button, "USD/month");
    assert_eq!(
        h.query_all_by_label_contains("contoso_images/")
            .filter(|n| n.accesskit_node().role() == Role::Link)
            .count(),
        7,
        "every version is listed"
    );
}

#[test]
fn a_price_edit_is_one_undo_step_and_bad_prices_are_refused() {
    let mut h = harness_with(sample(), "prices", true);
    h.get_by_label("Standard_LRS storage");
    h.get_by_role_and_label(Role::SpinButton, "Standard_LRS storage")
        .set_value_accesskit(0.1);
    h.run_steps(4);
    let prices = &h.state().doc.ws().settings.prices;
    assert_eq!(prices.storage_usd_per_gb_month.standard_lrs, 0.1);
    assert_eq!(h.state().doc.undo_depth(), 1);
    // Everything in the sample is Standard_LRS: twice the price, twice the storage.
    h.get_by_label("Storage 165.40 USD/month");
    h.get_by_label("Prices edited in this workspace (estimates, not quotes)");

    h.get_by_role_and_label(Role::SpinButton, "Transfer between continents")
        .set_value_accesskit(-1.0);
    h.run_steps(4);
    h.get_by_label_contains("the price for transfer between continents is -1");
    assert_eq!(
        h.state()
            .doc
            .ws()
            .settings
            .prices
            .transfer_between_continents_usd_per_gb,
        0.05
    );
    assert_eq!(h.state().doc.undo_depth(), 1);

    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(4);
    assert_eq!(*h.state().doc.ws(), sample());
}

#[test]
fn a_region_pair_price_is_added_and_a_same_region_pair_refused() {
    let mut h = harness_with(sample(), "pair-price", true);
    let before = workspace_cost(h.state().doc.ws()).totals.egress_usd;
    h.get_by_role_and_label(Role::SpinButton, "Pair price")
        .set_value_accesskit(0.09);
    h.run_steps(2);
    h.get_by_label("Add price override").click_accesskit();
    h.run_steps(4);
    let prices = &h.state().doc.ws().settings.prices;
    assert_eq!(prices.transfer_overrides.len(), 1);
    assert_eq!(prices.transfer_overrides[0].usd_per_gb, 0.09);
    assert_eq!(h.state().doc.undo_depth(), 1);
    // 2026.9.0 (source West Central US) is replicated to North Europe: its egress now costs
    // 0.09 USD/GB instead of the between-continents 0.05.
    let after = workspace_cost(h.state().doc.ws()).totals.egress_usd;
    assert!(after > before, "{after} > {before}");
    h.get_by_role_and_label(
        Role::SpinButton,
        "Transfer between West Central US and North Europe",
    );

    // The same region on both sides is refused with the reason; nothing changes.
    h.get_by_role_and_label(Role::ComboBox, "and")
        .click_accesskit();
    h.run_steps(3);
    h.get_by_label("West Central US (westcentralus)")
        .click_accesskit();
    h.run_steps(3);
    h.get_by_label("Add price override").click_accesskit();
    h.run_steps(4);
    h.get_by_label_contains("a transfer price needs two different regions");
    assert_eq!(h.state().doc.undo_depth(), 1);
}

#[test]
fn the_planner_applies_as_one_undo_step() {
    let before = sample();
    let mut h = harness_with(before.clone(), "planner", false);
    select(&mut h, ResourcePath::version(G, WIN, "2026.9.0"));
    h.get_by_label("Plan replicas…").click_accesskit();
    h.run_steps(12);
    h.get_by_label("VMs in East US").set_value_accesskit(120.0);
    h.run_steps(2);
    h.get_by_label("Scale sets in West Europe")
        .set_value_accesskit(5.0);
    h.run_steps(2);
    h.get_by_label("120 VMs at once, one replica per 20");
    h.get_by_label("5 scale sets at once, one replica each");
    // East US 3 → 6 and West Europe 2 → 5: six more replicas of 44.25 GB.
    h.get_by_label_contains("Monthly cost 79.65 USD/month with this plan");
    assert_eq!(
        *h.state().doc.ws(),
        before,
        "nothing changes before Apply plan"
    );

    click(&mut h, "Apply plan");
    assert!(h.state().dialog().is_none());
    let planned = version(&h, "2026.9.0");
    assert_eq!(replicas_in(&planned, "eastus"), 6);
    assert_eq!(replicas_in(&planned, "westeurope"), 5);
    assert_eq!(replicas_in(&planned, "westus"), 2, "no demand: unchanged");
    assert_eq!(h.state().doc.undo_depth(), 1);

    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(4);
    assert_eq!(*h.state().doc.ws(), before);
}

/// The sample with its preview version 2026.10.0 validated (no longer excluded from latest), so
/// "latest" is the newest version and retention may shrink 2026.9.0.
fn validated_sample() -> Workspace {
    let mut ws = sample();
    ws.galleries[0].definitions[0].versions[3].exclude_from_latest = false;
    ws
}

#[test]
fn retention_never_shrinks_the_version_latest_resolves_to() {
    let mut h = harness_with(sample(), "retention-latest", false);
    select(&mut h, ResourcePath::definition(G, WIN));
    click(&mut h, "Retention policy…");
    // 2026.10.0 is newest but excluded from latest: deployments of latest use 2026.9.0.
    h.get_by_label("Protected");
    h.get_by_label_contains("\"latest\" resolves to it");
    h.get_by_label("0 versions change, saving 0.00 USD/month");
}

#[test]
fn retention_preview_apply_and_undo() {
    let before = validated_sample();
    let mut h = harness_with(before.clone(), "retention", false);
    select(&mut h, ResourcePath::definition(G, WIN));
    click(&mut h, "Retention policy…");
    h.get_by_label("No saved policy: nothing happens until you apply one");
    h.get_by_role_and_label(Role::CheckBox, "Delete beyond")
        .click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::SpinButton, "Delete beyond")
        .set_value_accesskit(3.0);
    h.run_steps(3);

    let policy = RetentionPolicy {
        keep_latest: 1,
        delete_beyond: Some(3),
        delete_published_before: None,
    };
    let preview = preview_retention(&before, G, WIN, &policy).unwrap();
    // Every version is listed with what happens to it.
    h.get_by_label("Shrink to the source region");
    h.get_by_label("Delete");
    assert_eq!(h.query_all_by_label("Keep").count(), 2);
    h.get_by_label_contains("removes South Central US, East US");
    h.get_by_label("2 versions change, saving 61.81 USD/month");
    assert_eq!(format_usd(preview.monthly_saving_usd), "61.81 USD");

    click(&mut h, "Apply");
    assert!(h.state().dialog().is_none());
    assert_eq!(*h.state().doc.ws(), preview.predicted(&before));
    assert!(version(&h, "2026.9.0").target_regions.len() == 1);
    assert_eq!(h.state().doc.undo_depth(), 1);

    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(4);
    assert_eq!(*h.state().doc.ws(), before, "one undo restores everything");
}

#[test]
fn a_retention_policy_is_saved_on_the_definition_and_exemption_is_honoured() {
    let mut h = harness_with(sample(), "retention-save", false);
    select(&mut h, ResourcePath::version(G, WIN, "2026.9.0"));
    h.get_by_role_and_label(Role::CheckBox, "Retention")
        .click_accesskit();
    h.run_steps(3);
    assert!(version(&h, "2026.9.0").retention_exempt);

    select(&mut h, ResourcePath::definition(G, WIN));
    click(&mut h, "Retention policy…");
    h.get_by_role_and_label(Role::SpinButton, "Keep latest")
        .set_value_accesskit(2.0);
    h.run_steps(3);
    // 2026.9.0 is among the latest two now; 2026.8.0 and 2026.7.0 are already in one region.
    h.get_by_label("0 versions change, saving 0.00 USD/month");
    click(&mut h, "Save as the definition's policy");
    let definition = h
        .state()
        .doc
        .ws()
        .gallery(G)
        .unwrap()
        .definition(WIN)
        .unwrap();
    assert_eq!(
        definition.retention,
        Some(RetentionPolicy {
            keep_latest: 2,
            ..RetentionPolicy::default()
        })
    );
    h.get_by_label("Saved policy: keep latest 2");

    // Keep latest 1: the exempt version is protected instead of shrunk.
    h.get_by_role_and_label(Role::SpinButton, "Keep latest")
        .set_value_accesskit(1.0);
    h.run_steps(3);
    h.get_by_label("Protected");
    h.get_by_label_contains("the user excluded it from retention");
    assert!(h.get_by_label("Apply").accesskit_node().is_disabled());
}

#[test]
fn a_gallery_default_policy_previews_every_definition_and_undoes_in_one_step() {
    let before = validated_sample();
    let mut h = harness_with(before.clone(), "retention-gallery", false);
    select(&mut h, ResourcePath::gallery(G));
    click(&mut h, "Retention policy…");
    h.get_by_label("No saved default policy");
    // Both definitions are listed, each version under its definition.
    h.get_by_label("win2022-datacenter/2026.9.0");
    h.get_by_label("ubuntu-2204-base/1.0.8");
    let policy = RetentionPolicy::default();
    let saving: f64 = ["win2022-datacenter", "ubuntu-2204-base"]
        .iter()
        .map(|d| {
            preview_retention(&before, G, d, &policy)
                .unwrap()
                .monthly_saving_usd
        })
        .sum();
    h.get_by_label_contains(&format!("saving {}/month", format_usd(saving)));
    click(&mut h, "Save as the gallery's default policy");
    assert_eq!(
        h.state().doc.ws().gallery(G).unwrap().default_retention,
        Some(policy)
    );
    click(&mut h, "Apply");
    assert_eq!(h.state().doc.undo_depth(), 2);
    assert_ne!(h.state().doc.ws().gallery(G), before.gallery(G));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(4);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(4);
    assert_eq!(*h.state().doc.ws(), before);
}

#[test]
fn the_breakdown_and_the_charts_fit_the_cost_panel_without_a_clipped_last_column() {
    // The README's window size, the cost panel at its default width.
    let mut h = harness_with(sample(), "fit", true);
    select(&mut h, ResourcePath::version(G, WIN, "2026.9.0"));
    let window = h.ctx.content_rect();
    let panel_left = h.get_by_label("Cost").rect().left();
    for header in [
        "Gallery",
        "Replicas",
        "Snapshot GB",
        "USD/month ⬇",
        "Transfer GB",
        "Transfer USD",
    ] {
        let rect = h.get_by_role_and_label(Role::Button, header).rect();
        assert!(
            rect.left() >= panel_left && rect.right() <= window.right(),
            "column {header} at {rect:?} is not inside the panel (from {panel_left}) and the {window:?} window"
        );
    }
    // The last column's values too: the total transfer of the gallery.
    let total = h.get_by_label("21.00 USD").rect();
    assert!(total.right() <= window.right(), "21.00 USD at {total:?}");
    for chart in [
        "Monthly storage cost per gallery:",
        "Monthly storage cost per region:",
    ] {
        let rect = h
            .query_all_by_label_contains(chart)
            .find(|n| n.accesskit_node().role() == Role::Image)
            .unwrap()
            .rect();
        assert!(
            rect.right() <= window.right(),
            "{chart} reaches {} past the window's {}",
            rect.right(),
            window.right()
        );
    }
}
