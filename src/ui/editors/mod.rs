//! Editors of the selected resource. Each works on a draft copy ([`Draft`]); a change is
//! committed as one edit when a text field loses focus, or at once for buttons, checkboxes and
//! choices. One file per kind of resource; `context.rs` holds what they share.

pub mod access;
mod azure;
pub mod context;
mod definition;
mod draft;
mod gallery;
mod image;
pub mod region_policy;
pub mod regions;
mod settings;
mod version;
pub mod what_if;

use egui::Ui;

pub use draft::Draft;
pub use settings::SettingsEditor;

use crate::model::ResourcePath;
use crate::ui::intent::Intent;
use crate::ui::view::ViewCx;
use crate::ui::widgets::form::Form;

/// What the version editor keeps between frames besides its draft.
#[derive(Default)]
pub struct VersionState {
    /// The what-if: its baseline and last result.
    pub what_if: what_if::WhatIf,
    /// The name of the version "latest" resolves to in its definition as stored.
    pub latest: Option<String>,
}

/// Draws the editor for a draft of the resource at `path`; returns whether the draft should be
/// stored now (a field was left, a choice made).
pub fn editor_ui(
    ui: &mut Ui,
    cx: &ViewCx<'_>,
    path: &ResourcePath,
    draft: &mut Draft,
    form: &mut Form<'_>,
    version_state: &mut VersionState,
    out: &mut Vec<Intent>,
) -> bool {
    match draft {
        Draft::Gallery(gallery) => gallery::gallery_ui(ui, cx, path, gallery, form, out),
        Draft::Definition(definition) => {
            definition::definition_ui(ui, cx, path, definition, form, out);
        }
        Draft::Version(version) => {
            version::version_ui(ui, cx, path, version, form, version_state, out);
        }
        Draft::Image(image) => image::image_ui(ui, cx, path, image, form, out),
    }
    (form.changed && !form.typing) || form.committed
}
