//! The Azure rows of the editors: where a resource stands with Azure (planned, imported, known
//! only by reference), its ARM id, tags and the API 2025-03-03 fields. Shown only for resources
//! that carry any of it, so planned resources keep their short form.

use egui::Ui;

use crate::model::azure::SharingPermission;
use crate::model::{Gallery, ImageDefinition, ImageVersion, Presence, Tags};
use crate::ui::widgets::form::Form;

/// The fields these rows show, for the editors' lists of fields with a place on screen.
pub const GALLERY_FIELDS: [&str; 6] = [
    "subscription",
    "resource_group",
    "presence",
    "tags",
    "soft_delete",
    "sharing",
];
pub const DEFINITION_FIELDS: [&str; 5] = [
    "features",
    "purchase_plan",
    "allow_update_image",
    "presence",
    "tags",
];
pub const VERSION_FIELDS: [&str; 4] = [
    "block_deletion_before_end_of_life",
    "storage_account_strategy",
    "presence",
    "tags",
];

/// Whether a resource carries anything of Azure (imported, or API 2025-03-03 fields set): only
/// then do the editors show the Azure rows, so that planned resources keep their short form.
fn gallery_has_azure_details(gallery: &Gallery, presence: Presence) -> bool {
    presence != Presence::Planned
        || !gallery.subscription.is_empty()
        || !gallery.resource_group.is_empty()
        || !gallery.tags.is_empty()
        || gallery.soft_delete
        || !gallery.sharing.is_default()
}

fn definition_has_azure_details(definition: &ImageDefinition, presence: Presence) -> bool {
    presence != Presence::Planned
        || !definition.features.is_empty()
        || definition.purchase_plan.is_some()
        || definition.allow_update_image.is_some()
        || !definition.tags.is_empty()
}

fn version_has_azure_details(version: &ImageVersion, presence: Presence) -> bool {
    presence != Presence::Planned
        || version.azure_source.is_some()
        || version.storage_account_strategy.is_some()
        || version.block_deletion_before_end_of_life
        || !version.tags.is_empty()
}

/// Tags as one line, `name=value; name=value`.
fn tags_text(tags: &Tags) -> String {
    if tags.is_empty() {
        return "none".to_owned();
    }
    tags.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// A value shown but not edited here, with the reason on hover.
fn read_only(
    form: &mut Form<'_>,
    ui: &mut Ui,
    label: &str,
    field: &'static str,
    value: &str,
    why: &str,
) {
    form.row(ui, label, Some(field), |ui, id| {
        ui.label(value).labelled_by(id).on_hover_text(why)
    });
}

/// Where the resource stands with Azure, and its derived ARM id.
fn azure_rows(
    form: &mut Form<'_>,
    ui: &mut Ui,
    presence: Presence,
    tags: &Tags,
    arm_id: Option<String>,
) {
    read_only(
        form,
        ui,
        "In Azure",
        "presence",
        presence.label(),
        match presence {
            Presence::Planned => "Planned in this workspace; not in Azure as last seen",
            Presence::InAzure => {
                "In Azure as last seen (read or imported): it exists there. ARM cannot rename it; a rename is a delete plus a create"
            }
            Presence::Reference => {
                "Known only by reference: a child's id named it. Import its own payload (az sig show …) to fill in its properties"
            }
        },
    );
    if let Some(id) = arm_id {
        read_only(
            form,
            ui,
            "ARM id",
            "arm_id",
            &id,
            "Derived from the gallery's subscription, resource group and the names",
        );
    }
    read_only(
        form,
        ui,
        "Tags",
        "tags",
        &tags_text(tags),
        "Azure tags, as imported; edit them in Azure and import again",
    );
}

/// A gallery's Azure rows: subscription, resource group, presence, ARM id, tags, soft delete
/// and sharing.
pub fn gallery_rows(form: &mut Form<'_>, ui: &mut Ui, gallery: &mut Gallery, presence: Presence) {
    if !gallery_has_azure_details(gallery, presence) {
        return;
    }
    let unknown = |s: &str| {
        if s.is_empty() {
            "not known".to_owned()
        } else {
            s.to_owned()
        }
    };
    form.fixed(
        ui,
        "Subscription",
        "subscription",
        &unknown(&gallery.subscription),
        "gallery",
    );
    form.fixed(
        ui,
        "Resource group",
        "resource_group",
        &unknown(&gallery.resource_group),
        "gallery",
    );
    azure_rows(form, ui, presence, &gallery.tags, Some(gallery.arm_id()));
    form.checkbox(
        ui,
        "Soft delete",
        "soft_delete",
        &mut gallery.soft_delete,
        "Keep deleted versions restorable",
    );
    let sharing = &gallery.sharing;
    let sharing_text = match sharing.permission {
        SharingPermission::Private => "Private (role assignments only)".to_owned(),
        SharingPermission::Groups => format!(
            "Groups: {} subscription(s), {} tenant(s): {}",
            sharing.subscriptions.len(),
            sharing.tenants.len(),
            sharing
                .subscriptions
                .iter()
                .chain(&sharing.tenants)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ),
        SharingPermission::Community => {
            let info = sharing.community.clone().unwrap_or_default();
            format!(
                "Community: prefix {}, contact {}, {}",
                info.public_name_prefix, info.publisher_contact, info.publisher_uri
            )
        }
    };
    read_only(
        form,
        ui,
        "Sharing",
        "sharing",
        &sharing_text,
        "The gallery's sharing profile, as imported (Azure changes it through its share action)",
    );
}

/// A definition's Azure rows: features, purchase plan, allowUpdateImage, presence and tags.
pub fn definition_rows(
    form: &mut Form<'_>,
    ui: &mut Ui,
    definition: &ImageDefinition,
    presence: Presence,
) {
    if !definition_has_azure_details(definition, presence) {
        return;
    }
    let features = if definition.features.is_empty() {
        "none".to_owned()
    } else {
        definition
            .features
            .iter()
            .map(|f| {
                let from = if f.starts_at_version.is_empty() {
                    String::new()
                } else {
                    format!(" (from {})", f.starts_at_version)
                };
                format!("{}={}{from}", f.name, f.value)
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    read_only(
        form,
        ui,
        "Features",
        "features",
        &features,
        "Name/value pairs such as SecurityType; the security type of VMs created from the definition",
    );
    let plan = definition.purchase_plan.as_ref().map_or_else(
        || "none".to_owned(),
        |p| format!("{} / {} / {}", p.publisher, p.product, p.name),
    );
    form.fixed(
        ui,
        "Purchase plan",
        "purchase_plan",
        &plan,
        "image definition",
    );
    let allow = match definition.allow_update_image {
        None => "not set",
        Some(true) => "yes",
        Some(false) => "no",
    };
    read_only(
        form,
        ui,
        "Allow image update",
        "allow_update_image",
        allow,
        "allowUpdateImage, as imported",
    );
    azure_rows(form, ui, presence, &definition.tags, None);
}

/// A version's Azure rows: deletion safety, storage account strategy, presence and tags.
pub fn version_rows(
    form: &mut Form<'_>,
    ui: &mut Ui,
    version: &mut ImageVersion,
    presence: Presence,
) {
    if !version_has_azure_details(version, presence) {
        return;
    }
    form.checkbox(
        ui,
        "Deletion",
        "block_deletion_before_end_of_life",
        &mut version.block_deletion_before_end_of_life,
        "Block deletion before the end-of-life date",
    );
    let strategy = version
        .storage_account_strategy
        .map_or("none", |s| s.name());
    form.fixed(
        ui,
        "Storage account strategy",
        "storage_account_strategy",
        strategy,
        "image version",
    );
    azure_rows(form, ui, presence, &version.tags, None);
}
