//! Every dialog of the app, one struct per file, all of the one [`Dialog`] shape: drawn with a
//! [`DialogCx`] that lends what it may read, answering with [`Command`]s and whether it stays
//! open. The helpers below give the creation dialogs one look.

pub mod about;
pub mod add_definition;
pub mod add_gallery;
pub mod add_grant;
pub mod add_image;
pub mod add_regions;
pub mod add_version;
pub mod changed_on_disk;
pub mod check_access;
pub mod confirm_delete;
pub mod deploy;
pub mod duplicate;
pub mod export;
pub mod import;
pub mod matrix;
pub mod message;
pub mod open_path;
pub mod planner;
pub mod principals;
pub mod recovery;
pub mod retention;
pub mod review;
pub mod save_path;
pub mod shortcuts;
pub mod unsaved;

use egui::{RichText, Ui};

pub use crate::ui::command::{Command, Dialog, DialogCx};

/// The user's answer to a creation dialog.
enum Decision {
    Create,
    Cancel,
}

/// A labelled text field of a form, its error under it; returns the field's response.
fn labelled_text(
    ui: &mut Ui,
    label: &str,
    value: &mut String,
    hint: &str,
    error: Option<String>,
) -> egui::Response {
    let l = ui.label(label);
    let response = ui
        .vertical(|ui| {
            let response = ui
                .add(
                    egui::TextEdit::singleline(value)
                        .hint_text(hint)
                        .desired_width(320.0),
                )
                .labelled_by(l.id);
            if let Some(error) = error {
                ui.label(
                    RichText::new(error)
                        .color(ui.visuals().error_fg_color)
                        .small(),
                );
            }
            response
        })
        .inner;
    ui.end_row();
    response
}

fn labelled_choice<T: PartialEq + Copy>(
    ui: &mut Ui,
    label: &str,
    id: &str,
    value: &mut T,
    options: &[(T, &str)],
) {
    let l = ui.label(label);
    let current = options
        .iter()
        .find(|(v, _)| v == value)
        .map_or("", |(_, t)| *t);
    egui::ComboBox::from_id_salt(id)
        .selected_text(current)
        .show_ui(ui, |ui| {
            for (option, text) in options {
                ui.selectable_value(value, *option, *text);
            }
        })
        .response
        .labelled_by(l.id);
    ui.end_row();
}

fn buttons(ui: &mut Ui, create_label: &str, ready: bool) -> Option<Decision> {
    ui.separator();
    let mut decision = None;
    ui.horizontal(|ui| {
        if ui
            .add_enabled(ready, egui::Button::new(create_label))
            .on_disabled_hover_text("Fix the fields marked in red first")
            .clicked()
        {
            decision = Some(Decision::Create);
        }
        if ui.button("Cancel").clicked() {
            decision = Some(Decision::Cancel);
        }
    });
    if ready && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
        decision = Some(Decision::Create);
    }
    decision
}

fn form(ui: &mut Ui, id: &str, add: impl FnOnce(&mut Ui)) {
    egui::Grid::new(id)
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, add);
}

fn fixed_note(ui: &mut Ui, what: &str) {
    ui.weak(format!(
        "The fields below are fixed once the {what} exists: the service refuses to change them later."
    ));
}

/// A creation dialog's answer as a command: `Create` pushes `create()`; returns whether the
/// dialog stays open.
fn decide(
    decision: Option<Decision>,
    out: &mut Vec<Command>,
    create: impl FnOnce() -> Command,
) -> bool {
    match decision {
        Some(Decision::Create) => {
            out.push(create());
            false
        }
        Some(Decision::Cancel) => false,
        None => true,
    }
}
