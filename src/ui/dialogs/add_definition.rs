//! "Add image definition…": the name and the fields the service fixes at creation.

use egui::Ui;

use super::super::form::FirstFocus;
use super::super::form::{ARCHITECTURES, GENERATIONS, OS_STATES, OS_TYPES};
use super::{
    Command, Dialog, DialogCx, buttons, decide, fixed_note, form, labelled_choice, labelled_text,
};
use crate::model::rules::{
    MAX_OFFER_LEN, MAX_PUBLISHER_LEN, MAX_SKU_LEN, check_definition_name, check_identifier,
};
use crate::model::{Edit, ImageDefinition, ResourcePath};

pub struct AddDefinitionDialog {
    pub gallery: String,
    pub definition: ImageDefinition,
    focus: FirstFocus,
}

impl AddDefinitionDialog {
    pub fn new(gallery: String, definition: ImageDefinition) -> Self {
        Self {
            gallery,
            definition,
            focus: FirstFocus::default(),
        }
    }

    fn form_ui(&mut self, ui: &mut Ui, cx: &DialogCx<'_>) -> Option<super::Decision> {
        let ws = cx.ws;
        ui.heading(format!("Add image definition to {}", self.gallery));
        let siblings = ws
            .gallery(&self.gallery)
            .map(|g| g.definitions.as_slice())
            .unwrap_or_default();
        let name_error = check_definition_name(&self.definition.name).or_else(|| {
            siblings
                .iter()
                .any(|d| d.name.eq_ignore_ascii_case(&self.definition.name))
                .then(|| {
                    "An image definition with this name already exists in the gallery".to_owned()
                })
        });
        let triple_error = siblings
            .iter()
            .find(|d| {
                d.publisher.eq_ignore_ascii_case(&self.definition.publisher)
                    && d.offer.eq_ignore_ascii_case(&self.definition.offer)
                    && d.sku.eq_ignore_ascii_case(&self.definition.sku)
            })
            .map(|d| {
                format!(
                    "Publisher, offer and sku are already used by \"{}\"",
                    d.name
                )
            });
        let publisher_error =
            check_identifier("publisher", &self.definition.publisher, MAX_PUBLISHER_LEN);
        let offer_error = check_identifier("offer", &self.definition.offer, MAX_OFFER_LEN);
        let sku_error = check_identifier("sku", &self.definition.sku, MAX_SKU_LEN).or(triple_error);
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
        });
        buttons(ui, "Create image definition", ready)
    }
}

impl Dialog for AddDefinitionDialog {
    fn ui(&mut self, ui: &mut Ui, cx: &DialogCx<'_>, out: &mut Vec<Command>) -> bool {
        let decision = self.form_ui(ui, cx);
        decide(decision, out, || Command::Apply {
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
        })
    }
}
