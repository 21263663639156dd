//! The app at any window size: the main views rendered at 1000×700 and 1920×1080, with and
//! without the cost panel, keep every column header of the region table reachable inside the
//! window (six columns, or three with two lines a region where the editor is narrow), the status
//! bar's essentials inside it, and the editor a usable width.

use crate::common;

use common::{H, Setup};
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use sig_studio::model::ResourcePath;
use sig_studio::sample::sample;
use sig_studio::ui::Prefs;

const HEADERS: [&str; 5] = ["Region", "Replicas", "Storage", "Latest", "Replication"];
/// Where the editor is narrow (the small window with the cost panel).
const STACKED: [&str; 3] = ["Region · replication", "Replicas", "Storage · latest"];

fn inside(h: &H, rect: egui::Rect, size: egui::Vec2, what: &str) {
    let window = egui::Rect::from_min_size(egui::Pos2::ZERO, size);
    assert!(
        window.contains_rect(rect),
        "{what} at {rect:?} lies outside the {size:?} window"
    );
    let _ = h;
}

fn check(size: egui::Vec2, show_cost: bool, show_activity: bool) {
    let prefs = Prefs {
        show_cost,
        show_activity,
        ..Prefs::default()
    };
    let mut h = Setup::new(sample())
        .prefs(prefs)
        .select(ResourcePath::version(
            "contoso_images",
            "ubuntu-2204-base",
            "1.0.12",
        ))
        .build();
    h.set_size(size);
    h.run_steps(6);
    let what = format!("at {size:?}, cost {show_cost}, activity {show_activity}");

    // The status bar's essentials.
    let saved = h.get_by_label("Saved").rect();
    inside(&h, saved, size, &format!("\"Saved\" {what}"));
    let counts = h.get_by_label_contains("1 gallery · 7 versions").rect();
    inside(&h, counts, size, &format!("the counts {what}"));
    let acting = h.get_by_role_and_label(Role::ComboBox, "Acting as").rect();
    inside(&h, acting, size, &format!("\"Acting as\" {what}"));

    // The editor keeps a usable width.
    let name = h.get_by_role_and_label(Role::TextInput, "Version").rect();
    assert!(
        name.width() >= 200.0,
        "the name field is {} wide {what}",
        name.width()
    );

    // Every column header of the region table can be brought inside the window.
    // (The cost panel's tables share some titles: every one of them is checked.)
    let stacked = h.query_by_label(STACKED[0]).is_some();
    assert_eq!(
        stacked,
        show_cost && size.x < 1200.0,
        "two lines a region only where the editor is narrow {what}"
    );
    let headers: &[&str] = if stacked { &STACKED } else { &HEADERS };
    for header in headers.iter().copied() {
        let count = h.query_all_by_label(header).count();
        assert!(count > 0, "column {header} is shown {what}");
        for i in 0..count {
            if let Some(node) = h.query_all_by_label(header).nth(i) {
                node.scroll_to_me();
            }
            h.run_steps(3);
            if let Some(node) = h.query_all_by_label(header).nth(i) {
                inside(&h, node.rect(), size, &format!("column {header} {what}"));
            }
        }
    }
}

#[test]
fn a_small_window_keeps_the_editor_the_table_and_the_status_bar_usable() {
    for show_cost in [false, true] {
        check(egui::vec2(1000.0, 700.0), show_cost, false);
    }
    check(egui::vec2(1000.0, 700.0), false, true);
}

#[test]
fn a_large_window_shows_everything() {
    check(egui::vec2(1920.0, 1080.0), true, true);
}
