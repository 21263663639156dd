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
