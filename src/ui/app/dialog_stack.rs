//! The open dialogs, one over another: a dialog opened while another is open (an error while a
//! form is filled in) shows over it, and closing it gives the one below back as it was, with
//! what was typed in it. Each is an egui modal: only the top one takes input, and Escape or a
//! click outside dismisses only the top one.

use crate::ui::dialogs::Dialog;
use crate::ui::intent::Intent;
use crate::ui::view::ViewCx;

/// The width of a dialog that does not ask for a size.
const DIALOG_WIDTH: f32 = 560.0;

#[derive(Default)]
pub(in crate::ui) struct DialogStack {
    /// The bottom one first.
    dialogs: Vec<Open>,
    /// The number the next dialog's modal is named by.
    next: u64,
}

/// An open dialog and the modal it is drawn in (named once, so that closing a dialog below
/// leaves the state of those above alone). A modal shown for the first time goes over every
/// other.
struct Open {
    dialog: Box<dyn Dialog>,
    id: egui::Id,
    /// Where it was drawn last frame (tests check that it holds still).
    rect: Option<egui::Rect>,
}

impl DialogStack {
    pub(in crate::ui) fn push(&mut self, dialog: Box<dyn Dialog>) {
        self.next += 1;
        self.dialogs.push(Open {
            dialog,
            id: egui::Id::unique(("sig-studio-dialog", self.next)),
            rect: None,
        });
    }

    pub(in crate::ui) fn is_open(&self) -> bool {
        !self.dialogs.is_empty()
    }

    pub(in crate::ui) fn top(&self) -> Option<&dyn Dialog> {
        self.dialogs.last().map(|open| open.dialog.as_ref())
    }

    /// Where the top dialog was drawn last frame.
    pub(in crate::ui) fn top_rect(&self) -> Option<egui::Rect> {
        self.dialogs.last().and_then(|open| open.rect)
    }

    pub(in crate::ui) fn iter(&self) -> impl Iterator<Item = &dyn Dialog> {
        self.dialogs.iter().map(|open| open.dialog.as_ref())
    }

    /// Closes the dialogs of type `T` (their work ended elsewhere: a connect whose read the
    /// app took), leaving the others as they are.
    pub(in crate::ui) fn close_all<T: Dialog>(&mut self) {
        self.dialogs.retain(|open| !open.dialog.as_ref().is::<T>());
    }

    /// Closes every dialog (the document they were about was replaced).
    pub(in crate::ui) fn clear(&mut self) {
        self.dialogs.clear();
    }

    /// Draws every dialog, the bottom one first, each in its own modal; removes those that
    /// closed (a button called `ui.close()`) or were dismissed.
    pub(in crate::ui) fn ui(
        &mut self,
        ctx: &egui::Context,
        cx: &ViewCx<'_>,
        out: &mut Vec<Intent>,
    ) {
        // Every dialog hangs from the same place near the top of the window: one that changes
        // height grows downwards instead of re-centring under the pointer.
        let room = ctx.content_rect().size() - egui::vec2(48.0, 96.0);
        let mut closed = Vec::new();
        for (depth, Open { dialog, id, rect }) in self.dialogs.iter_mut().enumerate() {
            let id = *id;
            let area = egui::Modal::default_area(id).anchor(egui::Align2::CENTER_TOP, [0.0, 48.0]);
            let size = dialog
                .size()
                .map(|s| s.min(room).max(egui::vec2(320.0, 200.0)));
            let response = egui::Modal::new(id).area(area).show(ctx, |ui| {
                match size {
                    Some(size) => {
                        ui.set_min_size(size);
                        ui.set_max_size(size);
                    }
                    // One width whatever a line says (a format's note, an error): a dialog
                    // that narrowed would re-centre its buttons away from the pointer.
                    None => ui.set_width(DIALOG_WIDTH.min(room.x)),
                }
                dialog.ui(ui, cx, out);
            });
            *rect = Some(response.response.rect);
            if response.response.should_close() {
                closed.push(depth);
            } else if dialog.dismissable() && response.should_close() {
                dialog.dismissed(out);
                closed.push(depth);
            }
        }
        for depth in closed.into_iter().rev() {
            self.dialogs.remove(depth);
        }
    }
}
