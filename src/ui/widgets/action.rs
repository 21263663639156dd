//! Menu items and buttons built from the action table: each asks the action's availability
//! for its target, so it is left out, disabled with the reason, or runs the action.

use egui::Ui;

use crate::ui::actions::keys::shortcut_text;
use crate::ui::actions::{Availability, UserAction};
use crate::ui::intent::{Intent, Target};
use crate::ui::view::ViewCx;
use crate::ui::widgets::WhyDisabled;

/// A menu entry for `action` on `target`, with its shortcut; a click runs it and closes the
/// menu.
pub fn menu_item(
    ui: &mut Ui,
    cx: &ViewCx<'_>,
    action: UserAction,
    target: &Target,
    out: &mut Vec<Intent>,
) {
    let availability = action.availability(cx, target);
    if availability == Availability::Hidden {
        return;
    }
    let mut button = egui::Button::new(action.label_for(target));
    let shortcut = shortcut_text(ui.ctx(), action);
    if !shortcut.is_empty() {
        // An empty shortcut text would still leave a trailing space in the spoken label.
        button = button.shortcut_text(shortcut);
    }
    if show(ui, button, action, &availability) {
        out.push(Intent::run(action, target.clone()));
        ui.close();
    }
}

/// A button for `action` on `target` (an editor's Deploy…, Plan replicas…); nothing when the
/// action does not apply to the target.
pub fn action_button(
    ui: &mut Ui,
    cx: &ViewCx<'_>,
    action: UserAction,
    target: &Target,
    out: &mut Vec<Intent>,
) {
    let availability = action.availability(cx, target);
    if availability == Availability::Hidden {
        return;
    }
    if show(
        ui,
        egui::Button::new(action.label_for(target)),
        action,
        &availability,
    ) {
        out.push(Intent::run(action, target.clone()));
    }
}

/// Adds the button, enabled or with the reason it is not on its hover; whether it was clicked.
fn show(ui: &mut Ui, button: egui::Button<'_>, action: UserAction, a: &Availability) -> bool {
    ui.add_enabled(a.is_enabled(), button)
        .on_hover_text(action.tooltip())
        .why_disabled(a.reason().unwrap_or(action.tooltip()))
        .clicked()
}
