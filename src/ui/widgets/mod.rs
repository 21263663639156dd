//! Reusable pieces the panels, editors and dialogs are built from.

pub mod action;
pub mod clock_words;
pub mod form;
pub mod job_button;
pub mod region_picker;

/// The width `text` takes on one line in the button font (to leave room for a button beside
/// a label that is cut to what remains).
pub fn text_width(ui: &egui::Ui, text: &str) -> f32 {
    let font = egui::TextStyle::Button.resolve(ui.style());
    ui.painter()
        .layout_no_wrap(text.to_owned(), font, egui::Color32::PLACEHOLDER)
        .size()
        .x
}

/// Why a control is disabled, on hover: the one way the app says it, so that it never shows
/// from behind a dialog. egui keeps a tooltip open while the pointer stays on its widget, even
/// once a modal covers the widget (a shortcut opened the dialog): a reason drawn over the
/// dialog. Behind a dialog the reason waits until the dialog closes.
pub trait WhyDisabled {
    fn why_disabled(self, text: impl Into<egui::WidgetText>) -> Self;
}

impl WhyDisabled for egui::Response {
    fn why_disabled(self, text: impl Into<egui::WidgetText>) -> Self {
        let layer = self.layer_id;
        if self.ctx.memory(|m| m.is_above_modal_layer(layer)) {
            #[allow(clippy::disallowed_methods)] // The one place allowed to call it.
            self.on_disabled_hover_text(text)
        } else {
            self
        }
    }
}
