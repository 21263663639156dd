//! The layout holds still under the pointer and fits the window at both sizes the tester used
//! (issue 24, items 5, 6 and 9).

use crate::common;

use common::{H, SIZES, at_size, click_button};
use egui::Rect;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use sig_studio::model::ResourcePath;
use sig_studio::sample::sample;

const G: &str = "contoso_images";
const WIN: &str = "win2022-datacenter";

fn version_path() -> ResourcePath {
    ResourcePath::version(G, WIN, "2026.9.0")
}

/// Where the pointer would aim next: a tree row and two rows of the region table.
fn anchors(h: &H) -> [Rect; 3] {
    [
        h.get_by_label("2026.8.0").rect(),
        h.get_by_role_and_label(Role::SpinButton, "Replicas in West Central US")
            .rect(),
        h.get_by_role_and_label(Role::SpinButton, "Replicas in East US")
            .rect(),
    ]
}

/// The sample with its 2026.9.0 selected at `size`, the region table's first rows in view.
fn version_at(size: egui::Vec2) -> H {
    let mut h = at_size(sample(), size, Some(version_path()));
    h.get_by_role_and_label(Role::SpinButton, "Replicas in East US")
        .scroll_to_me();
    h.run_steps(4);
    h
}

#[test]
fn acting_as_someone_else_moves_nothing_under_the_pointer() {
    for size in SIZES {
        let mut h = version_at(size);
        let before = anchors(&h);
        h.get_by_role_and_label(Role::ComboBox, "Acting as").click();
        h.run_steps(4);
        click_button(&mut h, "bob@contoso.com");
        h.get_by_label_contains("Acting as bob@contoso.com: Reader on 2026.9.0");
        h.get_by_label_contains("Read only: bob@contoso.com cannot edit image version");
        assert_eq!(anchors(&h), before, "at {size:?}");
        // Another selection keeps the banner one line high.
        click_button(&mut h, "Act as the workspace owner");
        assert_eq!(anchors(&h), before, "back as the owner at {size:?}");
    }
}

#[test]
fn a_cost_change_above_the_region_table_moves_no_row() {
    for size in SIZES {
        let mut h = version_at(size);
        let before = anchors(&h);
        h.get_by_label_contains("No change since this version was opened");
        h.get_by_role_and_label(Role::SpinButton, "Replicas in East US")
            .set_value_accesskit(4.0);
        h.run_steps(4);
        h.get_by_label_contains("Monthly change +2.21 USD/month (from 66.38 USD to 68.59 USD)");
        assert_eq!(anchors(&h), before, "after a replica count at {size:?}");
        // Removing a region adds to the same line, not a line.
        h.get_by_role_and_label(Role::Button, "Remove East US")
            .click();
        h.run_steps(6);
        h.get_by_label_contains("region removed: its replicas are no longer billed");
        let after = anchors_without_east(&h);
        assert_eq!(after, [before[0], before[1]], "after a removal at {size:?}");
    }
}

fn anchors_without_east(h: &H) -> [Rect; 2] {
    [
        h.get_by_label("2026.8.0").rect(),
        h.get_by_role_and_label(Role::SpinButton, "Replicas in West Central US")
            .rect(),
    ]
}

/// The status bar's parts side by side, none over another, inside the window.
fn status_parts(h: &H) -> Vec<(&'static str, Rect)> {
    let mut parts = vec![
        (
            "speed",
            h.get_by_role_and_label(Role::ComboBox, "Simulation speed")
                .rect(),
        ),
        ("jobs", h.get_by_label_contains("replicating ·").rect()),
        (
            "saved",
            h.get_by_label("Replication progress not saved").rect(),
        ),
        (
            "counts",
            h.get_by_label_contains("1 gallery · 7 versions").rect(),
        ),
        (
            "acting",
            h.get_by_role_and_label(Role::ComboBox, "Acting as").rect(),
        ),
    ];
    if let Some(outage) = h.query_by_label_contains("⚠ Outage:") {
        parts.push(("outage", outage.rect()));
    }
    parts
}

#[test]
fn the_status_bar_items_never_collide() {
    for size in SIZES {
        let mut h = at_size(sample(), size, Some(version_path()));
        // Every region in an outage: failed jobs, a long outage line, unsaved progress.
        h.state_mut().doc.service_change(|ws| {
            for region in [
                "eastus",
                "westeurope",
                "northeurope",
                "southeastasia",
                "canadacentral",
            ] {
                sig_studio::replication::set_outage(ws, region.parse().unwrap(), true);
            }
            ((), true)
        });
        h.state_mut().advance_simulation(3600.0);
        h.run_steps(6);
        let parts = status_parts(&h);
        let window = Rect::from_min_size(egui::Pos2::ZERO, size);
        for (i, (a, ra)) in parts.iter().enumerate() {
            assert!(window.contains_rect(*ra), "{a} at {ra:?} outside {size:?}");
            for (b, rb) in &parts[i + 1..] {
                assert!(
                    !ra.shrink(0.5).intersects(rb.shrink(0.5)),
                    "{a} at {ra:?} collides with {b} at {rb:?} at {size:?}"
                );
            }
        }
        assert!(parts.iter().any(|(name, _)| *name == "outage"));
    }
}

/// Where the cost panel starts: the left edge of its heading.
fn cost_left(h: &H) -> f32 {
    h.get_by_role_and_label(Role::Label, "Cost").rect().left()
}

#[test]
fn the_side_panels_take_their_width_back_when_the_window_grows() {
    let prefs = sig_studio::ui::Prefs {
        show_cost: true,
        ..Default::default()
    };
    let setup = || {
        common::Setup::new(sample())
            .prefs(prefs.clone())
            .select(version_path())
    };
    let [large, small] = SIZES;
    let mut h = setup().build();
    h.set_size(large);
    h.run_steps(6);
    let wide = cost_left(&h);
    // The tree's width shows in where its search's clear button is.
    let field = |h: &H| h.get_by_role_and_label(Role::Button, "Clear search").rect();
    let editor = field(&h);
    let mut h = setup().build();
    h.set_size(small);
    h.run_steps(6);
    assert!(
        cost_left(&h) < small.x - 200.0,
        "the panel shows in the small window"
    );
    h.set_size(large);
    h.run_steps(6);
    assert_eq!(
        cost_left(&h),
        wide,
        "the panel's width once the window grew"
    );
    assert_eq!(field(&h), editor, "the tree's width once the window grew");
}

/// Beside the tree and the cost panel in the small window, the region table puts each region on
/// two lines: every control of a row shows whole left of the cost panel, none behind a sideways
/// scroll. Without the cost panel the six columns fit.
#[test]
fn the_region_table_fits_beside_the_cost_panel() {
    let prefs = sig_studio::ui::Prefs {
        show_cost: true,
        ..Default::default()
    };
    let mut h = common::Setup::new(sample())
        .prefs(prefs)
        .select(version_path())
        .build();
    h.set_size(SIZES[1]);
    h.run_steps(8);
    h.get_by_role_and_label(Role::SpinButton, "Replicas in East US")
        .scroll_to_me();
    h.run_steps(4);
    h.get_by_label("Region · replication");
    assert!(h.query_by_label("Replication").is_none(), "stacked");
    let edge = cost_left(&h);
    let editor_left = h.get_by_label("Target regions").rect().left();
    for (role, label) in [
        (Role::SpinButton, "Replicas in East US"),
        (Role::ComboBox, "Storage type in East US"),
        (Role::ComboBox, "Latest in East US"),
        (Role::Button, "Remove East US"),
    ] {
        let rect = h.get_by_role_and_label(role, label).rect();
        assert!(
            rect.left() >= editor_left && rect.right() <= edge,
            "{label} at {rect:?}, the cost panel from {edge}"
        );
    }
    let region = h.get_by_label("East US").rect();
    let state = h
        .get_all_by_label("✔ Completed")
        .map(|n| n.rect())
        .find(|r| (r.top() - region.bottom()).abs() < 20.0)
        .expect("East US's replication under its name");
    assert!(state.right() <= edge);

    let mut wide = common::Setup::new(sample()).select(version_path()).build();
    wide.set_size(SIZES[1]);
    wide.run_steps(8);
    wide.get_by_label("Replication");
    assert!(wide.query_by_label("Region · replication").is_none());
}
