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
