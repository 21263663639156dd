//! Editors of the selected resource. Each works on a draft copy; a change is committed as one
//! edit when a text field loses focus, or at once for buttons, checkboxes and choices.

use egui::{RichText, Ui};

use super::form::{Form, severity_color, severity_icon};
use super::regions::target_regions_ui;
use crate::model::azure::SharingPermission;
use crate::model::{
    Architecture, CaptureKind, Date, DiskType, Edit, Gallery, HyperVGeneration, ImageDefinition,
    ImageVersion, ManagedImage, OsState, OsType, Presence, Problem, Region, ReplicationMode,
    ResourcePath, StorageType, Tags, Workspace, latest,
};

/// A copy of the selected resource's own fields (children left out).
#[derive(Clone, Debug, PartialEq)]
pub enum Draft {
    Gallery(Gallery),
    Definition(ImageDefinition),
    Version(ImageVersion),
    Image(ManagedImage),
}

impl Draft {
    /// Reads the resource at `path`, without its children.
    pub fn load(ws: &Workspace, path: &ResourcePath) -> Option<Self> {
        match path {
            ResourcePath::Gallery(g) => ws
                .gallery(g)
                .map(|g| Self::Gallery(g.without_definitions())),
            ResourcePath::Definition(g, d) => {
                let d = ws.gallery(g)?.definition(d)?;
                Some(Self::Definition(d.without_versions()))
            }
            ResourcePath::Version(g, d, v) => ws
                .gallery(g)?
                .definition(d)?
                .version(v)
                .map(|v| Self::Version(v.clone())),
            ResourcePath::ManagedImage(name) => {
                ws.managed_image(name).map(|m| Self::Image(m.clone()))
            }
            _ => None,
        }
    }

    /// The edit that stores this draft over the resource at `path`.
    pub fn to_edit(&self, path: &ResourcePath) -> Option<Edit> {
        Some(match (self, path) {
            (Self::Gallery(gallery), ResourcePath::Gallery(name)) => Edit::UpdateGallery {
                name: name.clone(),
                gallery: gallery.clone(),
            },
            (Self::Definition(definition), ResourcePath::Definition(g, name)) => {
                Edit::UpdateDefinition {
                    gallery: g.clone(),
                    name: name.clone(),
                    definition: definition.clone(),
                }
            }
            (Self::Version(version), ResourcePath::Version(g, d, name)) => Edit::UpdateVersion {
                gallery: g.clone(),
                definition: d.clone(),
                name: name.clone(),
                version: version.clone(),
            },
            (Self::Image(image), ResourcePath::ManagedImage(name)) => Edit::UpdateImage {
                name: name.clone(),
                image: image.clone(),
            },
            _ => return None,
        })
    }

    /// The resource's path once this draft is stored (its name may have changed).
    pub fn path_after(&self, path: &ResourcePath) -> ResourcePath {
        let name = match self {
            Self::Gallery(g) => &g.name,
            Self::Definition(d) => &d.name,
            Self::Version(v) => &v.name,
            Self::Image(m) => &m.name,
        };
        path.with_name(name)
    }
}

/// What the editor asks the app to do.
pub enum EditorRequest {
    /// Store the draft now.
    Commit,
    /// Open the region picker for the version being edited.
    AddRegions,
    /// Select another resource.
    Select(ResourcePath),
    /// Run an action on the selected resource (e.g. open the replica planner).
    Run(super::actions::Action),
    /// Retry or cancel replication (the service's state, not an edit).
    Replication(super::simulation::ReplicationCommand),
}

pub const OS_TYPES: [(OsType, &str); 2] = [(OsType::Linux, "Linux"), (OsType::Windows, "Windows")];
pub const OS_STATES: [(OsState, &str); 2] = [
    (OsState::Generalized, "Generalized"),
    (OsState::Specialized, "Specialized"),
];
pub const GENERATIONS: [(HyperVGeneration, &str); 2] =
    [(HyperVGeneration::V1, "V1"), (HyperVGeneration::V2, "V2")];
pub const ARCHITECTURES: [(Architecture, &str); 2] =
    [(Architecture::X64, "x64"), (Architecture::Arm64, "Arm64")];
pub const STORAGE_TYPES: [(StorageType, &str); 4] = [
    (StorageType::Standard_LRS, "Standard_LRS"),
    (StorageType::Standard_ZRS, "Standard_ZRS"),
    (StorageType::Premium_LRS, "Premium_LRS"),
    (StorageType::PremiumV2_LRS, "PremiumV2_LRS"),
];
pub const MODES: [(ReplicationMode, &str); 2] = [
    (ReplicationMode::Full, "Full"),
    (ReplicationMode::Shallow, "Shallow"),
];
pub const CAPTURES: [(CaptureKind, &str); 2] = [
    (CaptureKind::WholeVm, "Whole VM (OS and data disks)"),
    (CaptureKind::OsDiskOnly, "OS disk only"),
];

fn label_of<T: PartialEq>(options: &[(T, &'static str)], value: &T) -> &'static str {
    options
        .iter()
        .find(|(v, _)| v == value)
        .map_or("", |(_, l)| l)
}

/// Whether a resource carries anything of Azure (imported, or API 2025-03-03 fields set): only
/// then do the editors show the Azure rows, so that planned resources keep their short form.
fn gallery_has_azure_details(gallery: &Gallery) -> bool {
    gallery.presence != Presence::Planned
        || !gallery.subscription.is_empty()
        || !gallery.resource_group.is_empty()
        || !gallery.tags.is_empty()
        || gallery.soft_delete
        || !gallery.sharing.is_default()
}

fn definition_has_azure_details(definition: &ImageDefinition) -> bool {
    definition.presence != Presence::Planned
        || !definition.features.is_empty()
        || definition.purchase_plan.is_some()
        || definition.allow_update_image.is_some()
        || !definition.tags.is_empty()
}

fn version_has_azure_details(version: &ImageVersion) -> bool {
    version.presence != Presence::Planned
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
            Presence::Planned => "Planned in this workspace; not imported from Azure",
            Presence::InAzure => {
                "Imported from Azure: it exists there. ARM cannot rename it; a rename is a delete plus a create"
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

fn heading(ui: &mut Ui, kind: &str, path: &ResourcePath) {
    ui.horizontal(|ui| {
        ui.heading(path.name());
        ui.weak(kind);
    });
    ui.weak(path.to_string());
    ui.add_space(6.0);
}

/// Problems of the resource that no field shows (e.g. quota, grants).
fn other_problems(ui: &mut Ui, problems: &[Problem], shown: &[&str]) {
    for problem in problems
        .iter()
        .filter(|p| p.field.is_none_or(|f| !shown.contains(&f)))
    {
        ui.label(
            RichText::new(format!(
                "{} {}",
                severity_icon(problem.severity),
                problem.message
            ))
            .color(severity_color(ui, problem.severity)),
        );
    }
}

/// Draws the editor for a draft. Returns what the app should do.
#[expect(clippy::too_many_arguments)]
pub fn editor_ui(
    ui: &mut Ui,
    ws: &Workspace,
    path: &ResourcePath,
    draft: &mut Draft,
    problems: &[Problem],
    focus: &mut Option<&'static str>,
    today: Date,
    live: &super::simulation::Live<'_>,
    requests: &mut Vec<EditorRequest>,
) {
    let mut form = Form::new(problems, focus);
    match draft {
        Draft::Gallery(gallery) => gallery_ui(ui, ws, path, gallery, &mut form, requests),
        Draft::Definition(definition) => {
            definition_ui(ui, ws, path, definition, &mut form, today, requests)
        }
        Draft::Version(version) => {
            version_ui(ui, ws, path, version, &mut form, today, live, requests);
        }
        Draft::Image(image) => image_ui(ui, ws, path, image, &mut form, requests),
    }
    if (form.changed && !form.typing) || form.committed {
        requests.push(EditorRequest::Commit);
    }
}

fn grid(ui: &mut Ui, id: &str, add: impl FnOnce(&mut Ui)) {
    egui::Grid::new(id)
        .num_columns(2)
        .spacing([16.0, 8.0])
        .min_col_width(150.0)
        .striped(false)
        .show(ui, add);
}

fn gallery_ui(
    ui: &mut Ui,
    ws: &Workspace,
    path: &ResourcePath,
    gallery: &mut Gallery,
    form: &mut Form<'_>,
    requests: &mut Vec<EditorRequest>,
) {
    heading(ui, "gallery", path);
    grid(ui, "gallery-form", |ui| {
        form.text(
            ui,
            "Name",
            "name",
            &mut gallery.name,
            "letters, digits, _ and .",
        );
        form.fixed(
            ui,
            "Region",
            "region",
            gallery.region.display_name(),
            "gallery",
        );
        let tenants: Vec<String> = ws.tenants.iter().map(|t| t.name.clone()).collect();
        form.row(ui, "Tenant", Some("tenant"), |ui, id| {
            let mut changed = false;
            let mut response = egui::ComboBox::from_id_salt("gallery-tenant")
                .selected_text(gallery.tenant.as_str())
                .show_ui(ui, |ui| {
                    for tenant in &tenants {
                        if ui
                            .selectable_label(gallery.tenant == *tenant, tenant.as_str())
                            .clicked()
                            && gallery.tenant != *tenant
                        {
                            gallery.tenant.clone_from(tenant);
                            changed = true;
                        }
                    }
                })
                .response
                .labelled_by(id);
            if changed {
                response.mark_changed();
            }
            response
        });
        form.multiline(
            ui,
            "Description",
            "description",
            &mut gallery.description,
            "What this gallery holds",
        );
        if gallery_has_azure_details(gallery) {
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
            azure_rows(
                form,
                ui,
                gallery.presence,
                &gallery.tags,
                Some(gallery.arm_id()),
            );
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
    });
    other_problems(
        ui,
        form.problems,
        &[
            "name",
            "region",
            "tenant",
            "description",
            "subscription",
            "resource_group",
            "presence",
            "tags",
            "soft_delete",
            "sharing",
        ],
    );
    ui.add_space(8.0);
    if let Some(stored) = ws.gallery(path.name()) {
        ui.label(format!(
            "{} image definitions, {} image versions",
            stored.definitions.len(),
            stored
                .definitions
                .iter()
                .map(|d| d.versions.len())
                .sum::<usize>()
        ));
        for definition in &stored.definitions {
            if ui.link(&definition.name).clicked() {
                requests.push(EditorRequest::Select(ResourcePath::definition(
                    &stored.name,
                    &definition.name,
                )));
            }
        }
    }
    retention_button_ui(ui, ws, path, requests);
}

fn definition_ui(
    ui: &mut Ui,
    ws: &Workspace,
    path: &ResourcePath,
    definition: &mut ImageDefinition,
    form: &mut Form<'_>,
    today: Date,
    requests: &mut Vec<EditorRequest>,
) {
    heading(ui, "image definition", path);
    grid(ui, "definition-form", |ui| {
        form.text(
            ui,
            "Name",
            "name",
            &mut definition.name,
            "letters, digits, -, _ and .",
        );
        form.fixed(
            ui,
            "Publisher",
            "publisher",
            &definition.publisher,
            "image definition",
        );
        form.fixed(ui, "Offer", "offer", &definition.offer, "image definition");
        form.fixed(ui, "SKU", "sku", &definition.sku, "image definition");
        form.fixed(
            ui,
            "OS type",
            "os_type",
            label_of(&OS_TYPES, &definition.os_type),
            "image definition",
        );
        form.fixed(
            ui,
            "OS state",
            "os_state",
            label_of(&OS_STATES, &definition.os_state),
            "image definition",
        );
        form.fixed(
            ui,
            "Hyper-V generation",
            "generation",
            label_of(&GENERATIONS, &definition.generation),
            "image definition",
        );
        form.choice(
            ui,
            "Architecture",
            "architecture",
            &mut definition.architecture,
            &ARCHITECTURES,
        );
        form.multiline(
            ui,
            "Description",
            "description",
            &mut definition.description,
            "",
        );
        form.multiline(
            ui,
            "Release notes",
            "release_notes",
            &mut definition.release_notes,
            "What changed in each version",
        );
        form.text(
            ui,
            "Release notes URI",
            "release_note_uri",
            &mut definition.release_note_uri,
            "https://…",
        );
        form.text(ui, "EULA", "eula", &mut definition.eula, "");
        form.text(
            ui,
            "Privacy statement URI",
            "privacy_uri",
            &mut definition.privacy_uri,
            "https://…",
        );
        form.optional_number(
            ui,
            "Recommended vCPUs, minimum",
            "vcpus",
            &mut definition.vcpus_min,
            1,
            " vCPUs",
        );
        form.optional_number(
            ui,
            "Recommended vCPUs, maximum",
            "vcpus",
            &mut definition.vcpus_max,
            16,
            " vCPUs",
        );
        form.optional_number(
            ui,
            "Recommended memory, minimum",
            "memory_gb",
            &mut definition.memory_gb_min,
            1,
            " GB",
        );
        form.optional_number(
            ui,
            "Recommended memory, maximum",
            "memory_gb",
            &mut definition.memory_gb_max,
            32,
            " GB",
        );
        form.optional_date(
            ui,
            "End of life",
            "end_of_life",
            &mut definition.end_of_life,
            today,
        );
        form.row(
            ui,
            "Disallowed disk types",
            Some("disallowed_disk_types"),
            |ui, id| {
                ui.horizontal_wrapped(|ui| {
                    let mut response = ui.weak("").labelled_by(id);
                    for disk in DiskType::ALL {
                        let mut on = definition.disallowed_disk_types.contains(&disk);
                        if ui.checkbox(&mut on, format!("{disk:?}")).changed() {
                            if on {
                                definition.disallowed_disk_types.push(disk);
                                definition.disallowed_disk_types.sort();
                            } else {
                                definition.disallowed_disk_types.retain(|d| *d != disk);
                            }
                            response.mark_changed();
                        }
                    }
                    response
                })
                .inner
            },
        );
        if definition_has_azure_details(definition) {
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
            azure_rows(form, ui, definition.presence, &definition.tags, None);
        }
    });
    other_problems(
        ui,
        form.problems,
        &[
            "features",
            "purchase_plan",
            "allow_update_image",
            "presence",
            "tags",
            "name",
            "publisher",
            "offer",
            "sku",
            "os_type",
            "os_state",
            "generation",
            "architecture",
            "description",
            "release_notes",
            "release_note_uri",
            "eula",
            "privacy_uri",
            "vcpus",
            "memory_gb",
            "end_of_life",
            "disallowed_disk_types",
        ],
    );
    ui.add_space(8.0);
    if let ResourcePath::Definition(g, d) = path
        && let Some(stored) = ws.gallery(g).and_then(|g| g.definition(d))
    {
        let latest_name = latest::latest(stored, None).map(|v| v.name.as_str());
        ui.horizontal(|ui| {
            ui.label(format!(
                "{} versions; latest: {}",
                stored.versions.len(),
                latest_name.unwrap_or("none")
            ));
            super::regions::deploy_button(ui, requests);
        });
    }
    retention_button_ui(ui, ws, path, requests);
}

/// The policy in force and a button opening the retention dialog (definitions and galleries).
fn retention_button_ui(
    ui: &mut Ui,
    ws: &Workspace,
    path: &ResourcePath,
    requests: &mut Vec<EditorRequest>,
) {
    let text = match path {
        ResourcePath::Definition(g, d) => ws
            .gallery(g)
            .and_then(|g| Some((g, g.definition(d)?)))
            .and_then(|(g, d)| crate::model::retention::effective(g, d))
            .map(|(policy, source)| match source {
                crate::model::retention::PolicySource::Definition => {
                    format!("Retention: {}", policy.describe())
                }
                crate::model::retention::PolicySource::GalleryDefault => {
                    format!("Retention: {} (gallery default)", policy.describe())
                }
            }),
        ResourcePath::Gallery(g) => ws
            .gallery(g)
            .and_then(|g| g.default_retention.as_ref())
            .map(|policy| format!("Default retention: {}", policy.describe())),
        _ => None,
    };
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        let none = match path {
            ResourcePath::Gallery(_) => "No default retention policy",
            _ => "No retention policy",
        };
        ui.label(text.unwrap_or_else(|| none.to_owned()));
        if ui
            .button(super::actions::Action::RetentionPolicy.label())
            .on_hover_text(super::actions::Action::RetentionPolicy.tooltip())
            .clicked()
        {
            requests.push(EditorRequest::Run(super::actions::Action::RetentionPolicy));
        }
    });
}

#[expect(clippy::too_many_arguments)]
fn version_ui(
    ui: &mut Ui,
    ws: &Workspace,
    path: &ResourcePath,
    version: &mut ImageVersion,
    form: &mut Form<'_>,
    today: Date,
    live: &super::simulation::Live<'_>,
    requests: &mut Vec<EditorRequest>,
) {
    heading(ui, "image version", path);
    let source = ws.managed_image(&version.source);
    let stored_definition = match path {
        ResourcePath::Version(g, d, _) => ws.gallery(g).and_then(|g| g.definition(d)),
        _ => None,
    };
    if let Some(definition) = stored_definition {
        let is_latest = latest::latest(definition, None).is_some_and(|l| l.name == version.name);
        ui.horizontal(|ui| {
            let stored = live.version.unwrap_or(&*version);
            ui.label(format!("Replication: {}", stored.aggregate_state().label()));
            if is_latest {
                ui.label(RichText::new("latest").strong());
            }
            super::regions::version_replication_buttons(ui, path, stored, requests);
        });
    }
    grid(ui, "version-form", |ui| {
        form.text(
            ui,
            "Version",
            "name",
            &mut version.name,
            "Major.Minor.Patch, e.g. 1.0.0",
        );
        let source_text = match source {
            Some(image) => format!(
                "{} ({}, {} GB occupied, {})",
                image.name,
                image.region.display_name(),
                image.occupied_gb,
                label_of(&CAPTURES, &image.capture)
            ),
            None => match &version.azure_source {
                Some(azure) if version.source.is_empty() => match azure.size_gb() {
                    Some(gb) => format!("{azure} ({gb} GB in Azure)"),
                    None => format!("{azure} (size unknown: the payload gave none)"),
                },
                _ => format!("{} (not in this workspace)", version.source),
            },
        };
        form.fixed(
            ui,
            "Source managed image",
            "source",
            &source_text,
            "image version",
        );
        form.fixed(
            ui,
            "Storage type",
            "storage_type",
            version.storage_type.label(),
            "image version",
        );
        form.fixed(
            ui,
            "Replication mode",
            "replication_mode",
            label_of(&MODES, &version.replication_mode),
            "image version",
        );
        form.optional_date(ui, "Published", "published", &mut version.published, today);
        form.optional_date(
            ui,
            "End of life",
            "end_of_life",
            &mut version.end_of_life,
            today,
        );
        form.checkbox(
            ui,
            "Exclude from latest",
            "exclude_from_latest",
            &mut version.exclude_from_latest,
            "Never picked as \"latest\" (regions may override)",
        );
        form.number(
            ui,
            "Default replica count",
            "default_replica_count",
            &mut version.default_replica_count,
            1..=100,
            " replicas",
        );
        form.checkbox(
            ui,
            "Replicated regions",
            "allow_deletion_of_replicated_locations",
            &mut version.allow_deletion_of_replicated_locations,
            "Allow removing regions that hold replicas",
        );
        form.checkbox(
            ui,
            "Retention",
            "retention_exempt",
            &mut version.retention_exempt,
            "Never remove this version in retention",
        );
        if version_has_azure_details(version) {
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
            azure_rows(form, ui, version.presence, &version.tags, None);
        }
    });
    other_problems(
        ui,
        form.problems,
        &[
            "name",
            "source",
            "storage_type",
            "replication_mode",
            "published",
            "end_of_life",
            "exclude_from_latest",
            "default_replica_count",
            "allow_deletion_of_replicated_locations",
            "retention_exempt",
            "block_deletion_before_end_of_life",
            "storage_account_strategy",
            "presence",
            "tags",
            "target_regions",
        ],
    );
    ui.add_space(10.0);
    ui.heading("Target regions");
    // The cost of the draft, before it is stored (the what-if). Drawn above the table from the
    // draft as it was before this frame's edits; a repaint follows any edit.
    let before_edits = version.clone();
    ui.horizontal(|ui| {
        ui.vertical(|ui| super::cost_view::version_cost_ui(ui, ws, path, version));
        if ui
            .button(super::actions::Action::PlanReplicas.label())
            .on_hover_text(super::actions::Action::PlanReplicas.tooltip())
            .clicked()
        {
            requests.push(EditorRequest::Run(super::actions::Action::PlanReplicas));
        }
    });
    let source_region = source
        .map(|m| m.region)
        .or_else(|| version.azure_source.as_ref().and_then(|a| a.region));
    if target_regions_ui(
        ui,
        version,
        source_region,
        form,
        ws.settings.replica_warning_above,
        (path, live),
        requests,
    ) {
        requests.push(EditorRequest::AddRegions);
    }
    if *version != before_edits {
        ui.ctx().request_repaint();
    }
}

fn image_ui(
    ui: &mut Ui,
    ws: &Workspace,
    path: &ResourcePath,
    image: &mut ManagedImage,
    form: &mut Form<'_>,
    requests: &mut Vec<EditorRequest>,
) {
    heading(ui, "managed image", path);
    grid(ui, "image-form", |ui| {
        form.text(ui, "Name", "name", &mut image.name, "");
        form.row(ui, "Region", Some("region"), |ui, id| {
            region_combo(ui, "image-region", &mut image.region).labelled_by(id)
        });
        form.choice(ui, "OS type", "os_type", &mut image.os_type, &OS_TYPES);
        form.choice(
            ui,
            "Captured from",
            "capture",
            &mut image.capture,
            &CAPTURES,
        );
        form.number(
            ui,
            "OS disk size",
            "os_disk_gb",
            &mut image.os_disk_gb,
            1..=32_768,
            " GB",
        );
        form.float(ui, "Occupied", "occupied_gb", &mut image.occupied_gb, " GB");
        form.row(ui, "Data disks", Some("data_disks"), |ui, id| {
            ui.vertical(|ui| {
                let mut response = ui
                    .weak(format!("{} data disks", image.data_disks.len()))
                    .labelled_by(id);
                let mut remove = None;
                for (i, disk) in image.data_disks.iter_mut().enumerate() {
                    ui.horizontal(|ui| {
                        let lun = ui.label("LUN");
                        if ui
                            .add(egui::DragValue::new(&mut disk.lun).range(0..=63))
                            .labelled_by(lun.id)
                            .changed()
                        {
                            response.mark_changed();
                        }
                        let size = ui.label("Size");
                        if ui
                            .add(
                                egui::DragValue::new(&mut disk.size_gb)
                                    .range(1..=32_768)
                                    .suffix(" GB"),
                            )
                            .labelled_by(size.id)
                            .changed()
                        {
                            response.mark_changed();
                        }
                        if ui
                            .button("Remove")
                            .on_hover_text("Remove this data disk")
                            .clicked()
                        {
                            remove = Some(i);
                        }
                    });
                }
                if let Some(i) = remove {
                    image.data_disks.remove(i);
                    response.mark_changed();
                }
                if image.capture == CaptureKind::WholeVm && ui.button("Add data disk").clicked() {
                    let lun = image
                        .data_disks
                        .iter()
                        .map(|d| d.lun + 1)
                        .max()
                        .unwrap_or(0);
                    image
                        .data_disks
                        .push(crate::model::DataDisk { lun, size_gb: 64 });
                    response.mark_changed();
                }
                response
            })
            .inner
        });
    });
    other_problems(
        ui,
        form.problems,
        &[
            "name",
            "region",
            "os_type",
            "capture",
            "os_disk_gb",
            "occupied_gb",
            "data_disks",
        ],
    );
    ui.add_space(8.0);
    let users: Vec<(String, String, String)> = ws
        .versions()
        .filter(|(_, _, v)| v.source == path.name())
        .map(|(g, d, v)| (g.name.clone(), d.name.clone(), v.name.clone()))
        .collect();
    ui.label(format!("Source of {} image versions", users.len()));
    for (g, d, v) in users {
        if ui.link(format!("{g}/{d}/{v}")).clicked() {
            requests.push(EditorRequest::Select(ResourcePath::version(&g, &d, &v)));
        }
    }
}

/// A combo box of every catalog region, grouped by continent.
pub fn region_combo(ui: &mut Ui, id: &str, region: &mut Region) -> egui::Response {
    let mut changed = false;
    let mut response = egui::ComboBox::from_id_salt(id)
        .selected_text(region.display_name())
        .height(400.0)
        .show_ui(ui, |ui| {
            for continent in crate::model::region::Continent::ALL {
                ui.label(RichText::new(continent.label()).strong());
                for r in Region::all().filter(|r| r.continent() == continent) {
                    if ui
                        .selectable_label(
                            *region == r,
                            format!("{} ({})", r.display_name(), r.name()),
                        )
                        .clicked()
                        && *region != r
                    {
                        *region = r;
                        changed = true;
                    }
                }
            }
        })
        .response;
    if changed {
        response.mark_changed();
    }
    response
}
