//! Keyboard shortcuts from the action table: a pressed shortcut runs its action on the
//! selection, through the app's runner, which asks the same availability a menu item does.

use egui::KeyboardShortcut;

use crate::ui::actions::UserAction;
use crate::ui::intent::Intent;
use crate::ui::view::ViewCx;

/// The actions whose shortcuts were pressed this frame (consumed from the input), each on the
/// selection. Nothing while a dialog is open: the dialog has the keyboard.
pub fn pressed(ctx: &egui::Context, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
    if cx.dialog_open {
        return;
    }
    let typing = ctx.egui_wants_keyboard_input();
    // Shortcuts with more modifiers first: egui matches Ctrl+N "logically" when Shift is also
    // held, so Ctrl+Shift+N must be consumed before Ctrl+N sees it.
    let mut shortcuts: Vec<(KeyboardShortcut, UserAction)> = UserAction::ALL
        .into_iter()
        .filter(|action| !typing || action.works_while_typing())
        .flat_map(|action| action.shortcuts().into_iter().map(move |s| (s, action)))
        .collect();
    shortcuts.sort_by_key(|(s, _)| {
        std::cmp::Reverse(
            u8::from(s.modifiers.shift) + u8::from(s.modifiers.alt) + u8::from(s.modifiers.command),
        )
    });
    for (shortcut, action) in shortcuts {
        if ctx.input_mut(|i| i.consume_shortcut(&shortcut)) {
            out.push(Intent::run(action, cx.selected()));
        }
    }
}

/// The first shortcut of `action` as the platform writes it ("Ctrl+S"; empty when it has none).
pub fn shortcut_text(ctx: &egui::Context, action: UserAction) -> String {
    action
        .shortcuts()
        .first()
        .map(|s| ctx.format_shortcut(s))
        .unwrap_or_default()
}
