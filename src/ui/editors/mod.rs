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

pub use context::{EditorEnv, EditorRequest};
pub use draft::Draft;
pub use settings::SettingsEditor;

use crate::model::{Problem, ResourcePath, Workspace};
use crate::ui::widgets::form::Form;

/// Draws the editor for a draft. Returns what the app should do.
#[expect(clippy::too_many_arguments)]
pub fn editor_ui(
    ui: &mut Ui,
    ws: &Workspace,
    path: &ResourcePath,
    draft: &mut Draft,
    problems: &[Problem],
    focus: &mut Option<&'static str>,
    env: &mut EditorEnv<'_>,
    requests: &mut Vec<EditorRequest>,
) {
    let mut form = Form::new(problems, focus);
    match draft {
        Draft::Gallery(gallery) => {
            gallery::gallery_ui(ui, ws, path, gallery, &mut form, env, requests);
        }
        Draft::Definition(definition) => {
            definition::definition_ui(ui, ws, path, definition, &mut form, env, requests);
        }
        Draft::Version(version) => {
            version::version_ui(ui, ws, path, version, &mut form, env, requests);
        }
        Draft::Image(image) => image::image_ui(ui, ws, path, image, &mut form, env, requests),
    }
    if (form.changed && !form.typing) || form.committed {
        requests.push(EditorRequest::Commit);
    }
}
