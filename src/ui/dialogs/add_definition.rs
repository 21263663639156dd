//! "Add image definition…": the name and the fields the service fixes at creation. The
//! generation and security type start from the workspace's defaults for new definitions
//! (Azure's current ones unless the workspace keeps the former), and the dialog says why.

use egui::{RichText, Ui};

use crate::model::rules::{
    MAX_OFFER_LEN, MAX_PUBLISHER_LEN, MAX_SKU_LEN, check_definition_name, check_identifier,
};
use crate::model::{
    DefinitionDefaults, Edit, HyperVGeneration, ImageDefinition, ResourcePath, SecurityType,
    Settings, Workspace,
};
use crate::ui::dialogs::{
    Dialog, Intent, OpenDialog, ViewCx, buttons, decide, fixed_note, form, labelled_choice,
    labelled_text,
};
use crate::ui::widgets::form::FirstFocus;
use crate::ui::widgets::form::{ARCHITECTURES, GENERATIONS, OS_STATES, OS_TYPES, SECURITY_TYPES};

pub struct AddDefinitionDialog {
    pub gallery: String,
    pub definition: ImageDefinition,
    /// The workspace's defaults for new definitions, switched from this dialog.
    settings_change: Option<DefinitionDefaults>,
    focus: FirstFocus,
}

impl OpenDialog for AddDefinitionDialog {
    /// The gallery's name.
    type Request = String;

    /// Starts from the workspace's defaults for new definitions.
    fn open(gallery: String, cx: &ViewCx<'_>, _ctx: &egui::Context) -> Option<Self> {
        Some(Self {
            gallery,
            definition: ImageDefinition::with_defaults(cx.ws.settings.new_definitions),
            settings_change: None,
            focus: FirstFocus::default(),
        })
    }
}

impl AddDefinitionDialog {
    fn form_ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>) -> Option<crate::ui::dialogs::Decision> {
        let ws = cx.ws;
        ui.heading(format!("Add image definition to {}", self.gallery));
        let [name_error, publisher_error, offer_error, sku_error] =
            errors(ws, &self.gallery, &self.definition);
        let ready = name_error.is_none()
            && publisher_error.is_none()
            && offer_error.is_none()
            && sku_error.is_none();
        form(ui, "add-definition-name", |ui| {
            let name = labelled_text(
                ui,
                "Definition name",
                &mut self.definition.name,
                "e.g. ubuntu-2204-base",
                name_error,
            );
            self.focus.give(&name);
        });
        fixed_note(ui, "image definition");
        form(ui, "add-definition", |ui| {
            labelled_text(
                ui,
                "Publisher",
                &mut self.definition.publisher,
                "e.g. Contoso",
                publisher_error,
            );
            labelled_text(
                ui,
                "Offer",
                &mut self.definition.offer,
                "e.g. UbuntuServer",
                offer_error,
            );
            labelled_text(
                ui,
                "SKU",
                &mut self.definition.sku,
                "e.g. 22.04-lts-gen2",
                sku_error,
            );
            labelled_choice(
                ui,
                "OS type",
                "add-def-os",
                &mut self.definition.os_type,
                &OS_TYPES,
            );
            labelled_choice(
                ui,
                "OS state",
                "add-def-state",
                &mut self.definition.os_state,
                &OS_STATES,
            );
            labelled_choice(
                ui,
                "Hyper-V generation",
                "add-def-gen",
                &mut self.definition.generation,
                &GENERATIONS,
            );
            labelled_choice(
                ui,
                "Architecture",
                "add-def-arch",
                &mut self.definition.architecture,
                &ARCHITECTURES,
            );
            let mut security = match self.definition.security_type() {
                Some(Ok(security)) => security,
                _ => SecurityType::Standard,
            };
            let before = security;
            labelled_choice(
                ui,
                "Security type",
                "add-def-security",
                &mut security,
                &SECURITY_TYPES,
            );
            if security != before {
                let feature = (security != SecurityType::Standard).then_some(security);
                self.definition.set_security_type(feature);
            }
        });
        let problem = security_problem(&self.definition);
        if let Some(problem) = &problem {
            ui.label(RichText::new(problem).color(ui.visuals().error_fg_color));
        }
        defaults_note(ui, cx, &mut self.settings_change);
        buttons(ui, "Create image definition", ready && problem.is_none())
    }
}

/// Why the security type cannot go with the generation, if it cannot (the model's rule).
fn security_problem(definition: &ImageDefinition) -> Option<String> {
    match definition.security_type() {
        Some(Ok(security))
            if security.needs_v2() && definition.generation == HyperVGeneration::V1 =>
        {
            Some(format!(
                "Security type {} needs Hyper-V generation V2",
                security.name()
            ))
        }
        _ => None,
    }
}

/// Says why a new definition starts as it does, and lets the workspace switch its defaults.
fn defaults_note(ui: &mut Ui, cx: &ViewCx<'_>, change: &mut Option<DefinitionDefaults>) {
    let defaults = cx.ws.settings.new_definitions;
    ui.weak(defaults.reason());
    let (text, other) = match defaults {
        DefinitionDefaults::TrustedLaunchSupported => (
            "Use the former defaults (V1, Standard) in this workspace",
            DefinitionDefaults::Classic,
        ),
        DefinitionDefaults::Classic => (
            "Use Azure's current defaults (V2, TrustedLaunchSupported) in this workspace",
            DefinitionDefaults::TrustedLaunchSupported,
        ),
    };
    if ui.link(text).clicked() {
        *change = Some(other);
    }
}

impl Dialog for AddDefinitionDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &ViewCx<'_>, out: &mut Vec<Intent>) {
        let decision = self.form_ui(ui, cx);
        if let Some(defaults) = self.settings_change.take() {
            // The workspace's setting changes (one undo step); this draft starts over from it.
            let settings = Settings {
                new_definitions: defaults,
                ..cx.ws.settings.clone()
            };
            out.push(Intent::Edit {
                edit: Edit::SetSettings { settings },
                select: None,
                notice: Some("Changed the defaults of new image definitions".to_owned()),
            });
            let fresh = ImageDefinition::with_defaults(defaults);
            self.definition.generation = fresh.generation;
            self.definition.features = fresh.features;
        }
        decide(ui, decision, out, || Intent::Edit {
            edit: Edit::AddDefinition {
                gallery: self.gallery.clone(),
                index: None,
                definition: self.definition.clone(),
            },
            select: Some(ResourcePath::definition(
                &self.gallery,
                &self.definition.name,
            )),
            notice: None,
        });
    }
}

/// What is wrong with the name, publisher, offer and sku of a new definition in `gallery`.
fn errors(ws: &Workspace, gallery: &str, definition: &ImageDefinition) -> [Option<String>; 4] {
    let siblings = ws
        .gallery(gallery)
        .map(|g| g.definitions.as_slice())
        .unwrap_or_default();
    let name_error = check_definition_name(&definition.name).or_else(|| {
        siblings
            .iter()
            .any(|d| d.name.eq_ignore_ascii_case(&definition.name))
            .then(|| "An image definition with this name already exists in the gallery".to_owned())
    });
    let triple_error = siblings
        .iter()
        .find(|d| {
            d.publisher.eq_ignore_ascii_case(&definition.publisher)
                && d.offer.eq_ignore_ascii_case(&definition.offer)
                && d.sku.eq_ignore_ascii_case(&definition.sku)
        })
        .map(|d| {
            format!(
                "Publisher, offer and sku are already used by \"{}\"",
                d.name
            )
        });
    let publisher_error = check_identifier("publisher", &definition.publisher, MAX_PUBLISHER_LEN);
    let offer_error = check_identifier("offer", &definition.offer, MAX_OFFER_LEN);
    let sku_error = check_identifier("sku", &definition.sku, MAX_SKU_LEN).or(triple_error);
    [name_error, publisher_error, offer_error, sku_error]
}
