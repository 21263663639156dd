//! "Add version…": the version number, its source and the fields fixed at creation.

use egui::{RichText, Ui};

use crate::model::rules::check_version_name;
use crate::model::{
    Edit, ImageDefinition, ImageVersion, ManagedImage, ResourcePath, TargetRegion, VersionNumber,
};
use crate::ui::dialogs::{
    Dialog, Intent, OpenDialog, ViewCx, buttons, decide, fixed_note, form, labelled_choice,
    labelled_text,
};
use crate::ui::widgets::form::FirstFocus;
use crate::ui::widgets::form::{MODES, STORAGE_TYPES};

pub struct AddVersionDialog {
    pub gallery: String,
    pub definition: String,
    pub version: ImageVersion,
    focus: FirstFocus,
}

impl OpenDialog for AddVersionDialog {
    /// The gallery's and the definition's names.
    type Request = (String, String);

    /// Under the next free version number, published today.
    fn open(
        (gallery, definition): Self::Request,
        cx: &ViewCx<'_>,
        _ctx: &egui::Context,
    ) -> Option<Self> {
        let stored = cx
            .ws
            .gallery(&gallery)
            .and_then(|g| g.definition(&definition));
        let version = ImageVersion {
            name: next_version(stored),
            published: Some(cx.today),
            ..ImageVersion::default()
        };
        Some(Self {
            gallery,
            definition,
            version,
            focus: FirstFocus::default(),
        })
    }
}

/// The next free version number after the highest of `definition` (1.0.0 for none).
pub(in crate::ui) fn next_version(definition: Option<&ImageDefinition>) -> String {
    definition
        .and_then(|d| d.versions.iter().filter_map(ImageVersion::number).max())
        .map_or(VersionNumber::new(1, 0, 0), VersionNumber::next_patch)
        .to_string()
}

impl AddVersionDialog {
    fn form_ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>) -> Option<crate::ui::dialogs::Decision> {
        let ws = cx.ws;
        ui.heading(format!(
            "Add version to {}/{}",
            self.gallery, self.definition
        ));
        let stored = ws
            .gallery(&self.gallery)
            .and_then(|g| g.definition(&self.definition));
        let os = stored.map(|d| d.os_type);
        let name_error = check_version_name(&self.version.name).or_else(|| {
            stored
                .is_some_and(|d| d.versions.iter().any(|v| v.name == self.version.name))
                .then(|| "A version with this name already exists".to_owned())
        });
        let candidates: Vec<&ManagedImage> = ws
            .managed_images
            .iter()
            .filter(|m| Some(m.os_type) == os)
            .collect();
        let source_error = if self.version.source.is_empty() {
            Some(if candidates.is_empty() {
                "No managed image of this OS type in the workspace: add one first".to_owned()
            } else {
                "Pick the managed image to create the version from".to_owned()
            })
        } else {
            None
        };
        form(ui, "add-version-name", |ui| {
            let name = labelled_text(
                ui,
                "Version name",
                &mut self.version.name,
                "Major.Minor.Patch",
                name_error.clone(),
            );
            self.focus.give(&name);
        });
        fixed_note(ui, "image version");
        form(ui, "add-version", |ui| {
            let l = ui.label("Source managed image");
            ui.vertical(|ui| {
                let before = self.version.source.clone();
                egui::ComboBox::from_id_salt("add-version-source")
                    .selected_text(self.version.source.as_str())
                    .width(320.0)
                    .show_ui(ui, |ui| {
                        for image in &candidates {
                            let text = format!(
                                "{} ({}, {} GB)",
                                image.name,
                                image.region.display_name(),
                                image.occupied_gb
                            );
                            ui.selectable_value(&mut self.version.source, image.name.clone(), text);
                        }
                    })
                    .response
                    .labelled_by(l.id);
                if before != self.version.source
                    && let Some(image) = ws.managed_image(&self.version.source)
                {
                    // The source region must be a target: start with it.
                    self.version
                        .target_regions
                        .retain(|t| t.region == image.region);
                    if self.version.target_regions.is_empty() {
                        self.version
                            .target_regions
                            .push(TargetRegion::new(image.region));
                    }
                }
                if let Some(error) = &source_error {
                    ui.label(RichText::new(error).color(ui.visuals().error_fg_color));
                }
            });
            ui.end_row();
            labelled_choice(
                ui,
                "Storage type",
                "add-version-storage",
                &mut self.version.storage_type,
                &STORAGE_TYPES,
            );
            labelled_choice(
                ui,
                "Replication mode",
                "add-version-mode",
                &mut self.version.replication_mode,
                &MODES,
            );
            let l = ui.label("Default replica count");
            ui.add(egui::DragValue::new(&mut self.version.default_replica_count).range(1..=100))
                .labelled_by(l.id);
            ui.end_row();
        });
        ui.weak("The version starts in its source region; add more target regions in its editor.");
        buttons(
            ui,
            "Create version",
            name_error.is_none() && source_error.is_none(),
        )
    }
}

impl Dialog for AddVersionDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        let decision = self.form_ui(ui, cx);
        decide(ui, decision, out, || Intent::Edit {
            edit: Edit::AddVersion {
                gallery: self.gallery.clone(),
                definition: self.definition.clone(),
                index: None,
                version: self.version.clone(),
            },
            select: Some(ResourcePath::version(
                &self.gallery,
                &self.definition,
                &self.version.name,
            )),
            notice: None,
        });
    }
}
