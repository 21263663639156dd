//! Fields commit as text fields do: a number typed into an editor is stored once, on Enter or
//! when the field is left, never per keystroke (issue 24, item 4).

use crate::common;

use common::{H, SIZES, at_size};
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use sig_studio::model::{ImageVersion, RegionState, ResourcePath};
use sig_studio::sample::sample;

const G: &str = "contoso_images";
const WIN: &str = "win2022-datacenter";

fn version(h: &H) -> ImageVersion {
    let ws = h.state().doc.ws();
    ws.gallery(G)
        .and_then(|g| g.definition(WIN))
        .and_then(|d| d.version("2026.9.0"))
        .cloned()
        .unwrap()
}

/// East US's replica count and whether a replication job runs there.
fn east_us(h: &H) -> (u32, bool) {
    let v = version(h);
    let t = v
        .target_regions
        .iter()
        .find(|t| t.region.name() == "eastus")
        .unwrap();
    let job = t.status.state != RegionState::Completed || t.status.replicas_ready.is_some();
    (v.replica_count(t), job)
}

/// Clicks a number field (it becomes a text field with its digits selected) and types `text`.
fn type_number(h: &mut H, label: &str, text: &str) {
    let field = h.get_by_role_and_label(Role::SpinButton, label);
    field.scroll_to_me();
    h.run_steps(2);
    h.get_by_role_and_label(Role::SpinButton, label).click();
    h.run_steps(2);
    for c in text.chars() {
        h.get_by_role_and_label(Role::SpinButton, label)
            .type_text(&c.to_string());
        h.run_steps(1);
    }
    h.run_steps(2);
}

#[test]
fn a_replica_count_typed_over_another_is_one_edit_on_enter() {
    for size in SIZES {
        let path = ResourcePath::version(G, WIN, "2026.9.0");
        let mut h = at_size(sample(), size, Some(path));
        let depth = h.state().doc.undo_depth();
        assert_eq!(east_us(&h), (3, false));
        type_number(&mut h, "Replicas in East US", "15");
        // Nothing is stored while typing: no undo step, no replication job for "1".
        assert_eq!(east_us(&h), (3, false), "while typing at {size:?}");
        assert_eq!(h.state().doc.undo_depth(), depth);
        h.key_press(egui::Key::Enter);
        h.run_steps(4);
        assert_eq!(
            east_us(&h),
            (15, true),
            "Enter stores the count at {size:?}"
        );
        assert_eq!(h.state().doc.undo_depth(), depth + 1, "one undo step");
    }
}

#[test]
fn a_default_replica_count_is_stored_when_the_field_is_left() {
    for size in SIZES {
        let path = ResourcePath::version(G, WIN, "2026.9.0");
        let mut h = at_size(sample(), size, Some(path));
        let depth = h.state().doc.undo_depth();
        type_number(&mut h, "Default replica count", "12");
        assert_eq!(version(&h).default_replica_count, 2);
        assert_eq!(h.state().doc.undo_depth(), depth);
        h.key_press(egui::Key::Tab);
        h.run_steps(4);
        assert_eq!(
            version(&h).default_replica_count,
            12,
            "leaving the field stores it"
        );
        assert_eq!(h.state().doc.undo_depth(), depth + 1);
    }
}
