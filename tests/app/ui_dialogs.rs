//! Dialogs hold still under the pointer at both window sizes (issue 24, items 6, 7 and 9):
//! neither a line that appears nor a choice made moves or resizes them, and their parts do not
//! overlap.

use crate::common;

use common::{H, SIZES, at_size, click, sample_in_azure};
use egui::Rect;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use sig_studio::model::ResourcePath;
use sig_studio::sample::sample;
use sig_studio::ui::dialogs::DialogRequest;
use sig_studio::ui::dialogs::deploy::DeployDialog;

const G: &str = "contoso_images";
const WIN: &str = "win2022-datacenter";

fn version_path() -> ResourcePath {
    ResourcePath::version(G, WIN, "2026.9.0")
}

fn open(h: &mut H, request: DialogRequest) -> Rect {
    h.state_mut().open_dialog(request);
    h.run_steps(8);
    h.state().dialog_rect().expect("a dialog is drawn")
}

fn dialog_rect(h: &H) -> Rect {
    h.state().dialog_rect().expect("the dialog is still open")
}

fn assert_inside(outer: Rect, inner: Rect, what: &str) {
    assert!(
        outer.expand(0.5).contains_rect(inner),
        "{what} at {inner:?} lies outside {outer:?}"
    );
}

#[test]
fn review_changes_holds_still_and_lists_one_line_per_change() {
    for size in SIZES {
        let mut h = at_size(sample_in_azure(), size, Some(version_path()));
        click(&mut h, "Exclude from latest");
        let rect = open(&mut h, DialogRequest::ReviewChanges(()));
        // One checkbox is one line: no region repeats the version's setting, let alone twice.
        h.get_by_label_contains("publishingProfile.excludeFromLatest");
        assert_eq!(
            h.query_all_by_label_contains("targetRegions[").count(),
            0,
            "at {size:?}"
        );
        click(&mut h, "Export as az script…");
        assert_eq!(dialog_rect(&h), rect, "choosing to export at {size:?}");
        let field = h.get_by_role_and_label(Role::TextInput, "Plan script path");
        field.focus();
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        h.run_steps(1);
        h.get_by_role_and_label(Role::TextInput, "Plan script path")
            .type_text("/no/such/folder/plan.sh");
        h.run_steps(4);
        h.get_by_label("That folder does not exist");
        assert_eq!(dialog_rect(&h), rect, "an error line at {size:?}");
        assert_inside(
            Rect::from_min_size(egui::Pos2::ZERO, size),
            rect,
            "the review dialog",
        );
    }
}

#[test]
fn a_long_change_line_is_wrapped_whole() {
    for size in SIZES {
        // Planned with a long description that Azure, as last seen, does not have.
        let mut ws = sample_in_azure();
        let long = "A description long enough to need more than one line in any window: ".repeat(4);
        ws.galleries[0].definitions[0].description = long;
        let mut h = at_size(ws, size, None);
        let rect = open(&mut h, DialogRequest::ReviewChanges(()));
        let line = h.get_by_label_contains("description").rect();
        assert_inside(rect, line, "the description line");
        let row = h.get_by_label("Review changes").rect().height();
        assert!(
            line.height() > 2.0 * row,
            "the line is wrapped, not cut, at {size:?}: {line:?}"
        );
    }
}

#[test]
fn export_holds_still_when_its_format_and_path_change() {
    for size in SIZES {
        let mut h = at_size(sample(), size, None);
        let rect = open(&mut h, DialogRequest::Export(()));
        let button = h.get_by_role_and_label(Role::Button, "Cancel").rect();
        click(&mut h, "az CLI script (bash)");
        assert_eq!(dialog_rect(&h), rect, "another format at {size:?}");
        let field = h.get_by_role_and_label(Role::TextInput, "Export to path");
        field.focus();
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        h.run_steps(1);
        h.get_by_role_and_label(Role::TextInput, "Export to path")
            .type_text("/no/such/folder/x.sh");
        h.run_steps(4);
        h.get_by_label("That folder does not exist");
        assert_eq!(dialog_rect(&h), rect, "an error line at {size:?}");
        let after = h.get_by_role_and_label(Role::Button, "Cancel").rect();
        assert_eq!(after, button, "Cancel stays under the pointer at {size:?}");
    }
}

#[test]
fn the_deploy_dialog_lists_fourteen_regions_without_covering_its_choices() {
    for size in SIZES {
        let mut h = at_size(sample(), size, Some(version_path()));
        let rect = open(&mut h, DialogRequest::Deploy(version_path()));
        let choices = [
            h.get_by_role_and_label(Role::RadioButton, "VMs").rect(),
            h.get_by_role_and_label(Role::RadioButton, "Scale sets")
                .rect(),
            h.get_by_role_and_label(Role::SpinButton, "Count").rect(),
        ];
        let regions: Vec<Rect> = h
            .query_all_by_label_contains(": replicated")
            .map(|n| n.rect())
            .collect();
        assert!(!regions.is_empty());
        // The list of regions has a height of its own (150 points) between its label and
        // the other choices; the regions in view end above them (those scrolled away are
        // clipped by the list).
        let first = regions[0].top();
        let top = choices
            .iter()
            .map(|c| c.top())
            .fold(f32::INFINITY, f32::min);
        assert!(top >= first + 150.0, "the choices at {top} at {size:?}");
        assert!(regions.len() >= 6);
        for region in &regions[..6] {
            assert!(
                region.top() >= first && region.bottom() <= top,
                "a region at {region:?} covers a choice below {top} at {size:?}"
            );
        }
        for choice in choices {
            assert_inside(rect, choice, "a choice");
        }
        // A region chosen lower in the list moves nothing.
        h.get_by_label("North Europe: replicated").scroll_to_me();
        h.run_steps(4);
        click(&mut h, "North Europe: replicated");
        assert_eq!(
            h.state()
                .dialog()
                .and_then(|d| d.downcast_ref::<DeployDialog>())
                .and_then(|d| d.region)
                .map(|r| r.name()),
            Some("northeurope")
        );
        assert_eq!(dialog_rect(&h), rect, "after a choice at {size:?}");
    }
}

/// Rests the pointer on the field labelled `label` until its tooltip shows.
fn hover_field(h: &mut H, role: Role, label: &str) {
    h.get_by_role_and_label(role, label).hover();
    h.run_steps(6);
}

#[test]
fn a_tooltip_behind_a_dialog_never_draws_over_it() {
    for size in SIZES {
        for (role, label, tip) in [
            (
                Role::TextInput,
                "Storage type",
                "Fixed when the image version was created",
            ),
            (Role::Button, "Plan replicas…", "Recommend replica counts"),
        ] {
            let mut h = at_size(sample(), size, Some(version_path()));
            hover_field(&mut h, role, label);
            assert!(
                h.query_by_label_contains(tip).is_some(),
                "the tooltip of {label} shows before the dialog opens at {size:?}"
            );
            // A dialog opens without a click (a shortcut, a background result).
            open(&mut h, DialogRequest::Deploy(version_path()));
            assert!(
                h.query_by_label_contains(tip).is_none(),
                "the tooltip of {label} behind the dialog is gone at {size:?}"
            );
            // Resting or moving inside the field's rectangle does not bring it back.
            hover_field(&mut h, role, label);
            assert!(h.query_by_label_contains(tip).is_none(), "at {size:?}");
        }
    }
}

#[test]
fn the_access_matrix_uses_the_window_and_reopens_at_its_start() {
    for size in SIZES {
        // 40 versions: far more columns than any window shows.
        let mut ws = sig_studio::sample::synthetic(40);
        sig_studio::sample::with_access(&mut ws, 12, 30);
        let gallery = ws.galleries[0].name.clone();
        let mut h = at_size(ws.clone(), size, None);
        let rect = open(&mut h, DialogRequest::AccessMatrix(()));
        assert!(
            rect.width() >= size.x - 100.0,
            "a wide matrix takes the window's width: {rect:?} at {size:?}"
        );
        // The first column (the gallery) is laid out only while it is in view.
        let first_column = |h: &H| -> Option<Rect> {
            h.get_by_role(Role::Dialog)
                .query_all_by_label(&gallery)
                .map(|n| n.rect())
                .next()
        };
        let first = first_column(&h).expect("the first column in view");
        // Scroll to the far right, close, open again: it starts at the left.
        scroll_right(&mut h, rect);
        assert_eq!(first_column(&h), None, "scrolled sideways at {size:?}");
        click(&mut h, "Close");
        let again = open(&mut h, DialogRequest::AccessMatrix(()));
        assert_eq!(again, rect);
        assert_eq!(
            first_column(&h),
            Some(first),
            "the matrix reopens at its start at {size:?}"
        );
        // The next session: its first dialog has the id this one's first had, and eframe
        // gives it egui's memory back, scroll offsets included.
        let scrolled = {
            let mut h = at_size(ws.clone(), size, None);
            open(&mut h, DialogRequest::AccessMatrix(()));
            scroll_right(&mut h, rect);
            h.ctx.memory(|m| m.clone())
        };
        let mut next = at_size(ws.clone(), size, None);
        next.ctx.memory_mut(|m| *m = scrolled);
        open(&mut next, DialogRequest::AccessMatrix(()));
        assert_eq!(
            first_column(&next),
            Some(first),
            "the next session at {size:?}"
        );
    }
}

/// Scrolls the dialog at `rect` far to the right with the wheel.
fn scroll_right(h: &mut H, rect: Rect) {
    h.event(egui::Event::PointerMoved(rect.center()));
    for _ in 0..30 {
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(-400.0, 0.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        h.run_steps(1);
    }
    h.run_steps(4);
}

#[test]
fn the_save_path_field_keeps_the_keyboard_after_an_error() {
    for size in SIZES {
        let mut h = at_size(sample(), size, None);
        open(&mut h, DialogRequest::SavePath(None));
        let field = |h: &H| {
            h.get_by_role_and_label(Role::TextInput, "Save to path")
                .is_focused()
        };
        assert!(field(&h), "the field has the keyboard when it opens");
        h.get_by_role_and_label(Role::TextInput, "Save to path")
            .type_text("/no/such/folder/ws.ron");
        h.run_steps(2);
        h.key_press(egui::Key::Enter);
        h.run_steps(4);
        h.get_by_label("That folder does not exist");
        assert!(
            field(&h),
            "Enter on an error leaves the field focused at {size:?}"
        );
        // Typing goes on in the field: the path is corrected without a click.
        for _ in 0.."folder/ws.ron".len() {
            h.key_press(egui::Key::Backspace);
            h.run_steps(1);
        }
        h.run_steps(2);
        assert!(field(&h));
        let text = h
            .state()
            .dialog()
            .and_then(|d| d.downcast_ref::<sig_studio::ui::dialogs::save_path::SavePathDialog>())
            .map(|d| d.text.clone());
        assert_eq!(text.as_deref(), Some("/no/such/"), "at {size:?}");
    }
}
