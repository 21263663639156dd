//! Every change to a workspace is an `Edit`. Applying one returns its inverse, so undo and redo
//! are just more edits. The service's structural rules are enforced here: fields fixed at
//! creation cannot change, deletes do not cascade, sibling names stay unique, and references
//! (grants, group members, version sources) follow renames.

use serde::{Deserialize, Serialize};

use super::{
    Date, Gallery, Grant, ImageDefinition, ImageVersion, ManagedImage, Presence, Principal,
    PrincipalKind, RegionState, ResourcePath, Settings, Tenant, Workspace, fixed,
};

/// The service's text when an end-of-life date is set to today or earlier.
pub const END_OF_LIFE_IN_THE_PAST: &str = "EndOfLifeDate must be set to a future date.";

/// Why a resource that exists in Azure keeps its name (DOMAIN.md 9).
pub fn rename_refusal(path: &ResourcePath) -> String {
    format!(
        "The {} {} exists in Azure, and ARM cannot rename it: a rename is a delete plus a create. Duplicate it with a new name instead (the copy is planned here, and the original stays until you delete it).",
        path.kind(),
        path
    )
}

/// A change to a workspace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Edit {
    AddTenant {
        index: Option<usize>,
        tenant: Tenant,
    },
    DeleteTenant {
        name: String,
    },
    AddPrincipal {
        index: Option<usize>,
        principal: Principal,
    },
    /// Also removes the principal's grants and group memberships.
    DeletePrincipal {
        name: String,
    },
    UpdatePrincipal {
        name: String,
        principal: Principal,
    },
    AddGrant {
        index: Option<usize>,
        grant: Grant,
    },
    DeleteGrant {
        index: usize,
    },
    AddImage {
        index: Option<usize>,
        image: ManagedImage,
    },
    DeleteImage {
        name: String,
    },
    UpdateImage {
        name: String,
        image: ManagedImage,
    },
    /// Adds a gallery as given, children included.
    AddGallery {
        index: Option<usize>,
        gallery: Gallery,
    },
    /// Refuses a gallery with definitions unless `cascade` (used only to undo an add).
    DeleteGallery {
        name: String,
        cascade: bool,
    },
    /// Replaces the gallery's own fields; its definitions stay.
    UpdateGallery {
        name: String,
        gallery: Gallery,
    },
    AddDefinition {
        gallery: String,
        index: Option<usize>,
        definition: ImageDefinition,
    },
    DeleteDefinition {
        gallery: String,
        name: String,
        cascade: bool,
    },
    UpdateDefinition {
        gallery: String,
        name: String,
        definition: ImageDefinition,
    },
    AddVersion {
        gallery: String,
        definition: String,
        index: Option<usize>,
        version: ImageVersion,
    },
    DeleteVersion {
        gallery: String,
        definition: String,
        name: String,
    },
    UpdateVersion {
        gallery: String,
        definition: String,
        name: String,
        version: ImageVersion,
    },
    SetSettings {
        settings: Settings,
    },
    /// Replaces the directory (tenants, principals), the grants, the managed images and the
    /// galleries at once: an import from Azure, merged into a copy of the workspace, applied as
    /// one step. The parts are moved, never copied, and the inverse holds the ones replaced, so
    /// undo and redo each swap them back (one copy of the replaced parts lives in the history).
    ReplaceResources {
        label: String,
        resources: Box<Resources>,
    },
    /// Several edits as one undo step; all or nothing.
    Batch {
        label: String,
        edits: Vec<Edit>,
    },
}

/// The parts of a workspace an import from Azure changes; settings (whom the app acts as,
/// prices, the time model) and the simulation's state are never among them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Resources {
    pub tenants: Vec<Tenant>,
    pub principals: Vec<Principal>,
    pub grants: Vec<Grant>,
    /// What Azure knows of the role assignments behind the grants.
    pub assignments: Vec<super::RoleAssignment>,
    pub managed_images: Vec<ManagedImage>,
    pub galleries: Vec<Gallery>,
}

impl Resources {
    /// Moves the parts out of `ws`, leaving them empty.
    pub fn take(ws: &mut Workspace) -> Self {
        Self {
            tenants: std::mem::take(&mut ws.tenants),
            principals: std::mem::take(&mut ws.principals),
            grants: std::mem::take(&mut ws.grants),
            assignments: std::mem::take(&mut ws.assignments),
            managed_images: std::mem::take(&mut ws.managed_images),
            galleries: std::mem::take(&mut ws.galleries),
        }
    }

    /// Puts these parts into `ws` and keeps the ones they replace.
    fn swap(&mut self, ws: &mut Workspace) {
        std::mem::swap(&mut self.tenants, &mut ws.tenants);
        std::mem::swap(&mut self.principals, &mut ws.principals);
        std::mem::swap(&mut self.grants, &mut ws.grants);
        std::mem::swap(&mut self.assignments, &mut ws.assignments);
        std::mem::swap(&mut self.managed_images, &mut ws.managed_images);
        std::mem::swap(&mut self.galleries, &mut ws.galleries);
    }
}

/// Why an edit was refused, with the path of the resource it is about.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct EditError {
    pub path: String,
    pub message: String,
}

impl EditError {
    pub fn new(path: impl ToString, message: impl Into<String>) -> Self {
        Self {
            path: path.to_string(),
            message: message.into(),
        }
    }
}

fn not_found(path: &ResourcePath) -> EditError {
    EditError::new(path, format!("The {} was not found", path.kind()))
}

fn immutable(path: &ResourcePath, property: &str) -> EditError {
    EditError::new(path, fixed::immutable_message(path, property))
}

fn same_name(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

fn insert_at<T>(list: &mut Vec<T>, index: Option<usize>, item: T) -> usize {
    let index = index.unwrap_or(list.len()).min(list.len());
    list.insert(index, item);
    index
}

impl Edit {
    /// The edit that deletes the resource at `path` (galleries and definitions without
    /// cascading: the service deletes nothing nested).
    pub fn delete(path: &ResourcePath) -> Option<Self> {
        Some(match path.clone() {
            ResourcePath::Gallery(name) => Self::DeleteGallery {
                name,
                cascade: false,
            },
            ResourcePath::Definition(gallery, name) => Self::DeleteDefinition {
                gallery,
                name,
                cascade: false,
            },
            ResourcePath::Version(gallery, definition, name) => Self::DeleteVersion {
                gallery,
                definition,
                name,
            },
            ResourcePath::ManagedImage(name) => Self::DeleteImage { name },
            _ => return None,
        })
    }

    /// A short description for undo menus and notices, e.g. `Delete version contoso/win/1.0.0`.
    pub fn describe(&self) -> String {
        match self {
            Self::AddTenant { tenant, .. } => format!("Add tenant {}", tenant.name),
            Self::DeleteTenant { name } => format!("Delete tenant {name}"),
            Self::AddPrincipal { principal, .. } => format!("Add principal {}", principal.name),
            Self::DeletePrincipal { name } => format!("Delete principal {name}"),
            Self::UpdatePrincipal { name, .. } => format!("Edit principal {name}"),
            Self::AddGrant { grant, .. } => format!(
                "Grant {:?} on {} to {}",
                grant.role, grant.scope, grant.principal
            ),
            Self::DeleteGrant { .. } => "Remove grant".to_owned(),
            Self::AddImage { image, .. } => format!("Add managed image {}", image.name),
            Self::DeleteImage { name } => format!("Delete managed image {name}"),
            Self::UpdateImage { name, .. } => format!("Edit managed image {name}"),
            Self::AddGallery { gallery, .. } => format!("Add gallery {}", gallery.name),
            Self::DeleteGallery { name, .. } => format!("Delete gallery {name}"),
            Self::UpdateGallery { name, .. } => format!("Edit gallery {name}"),
            Self::AddDefinition {
                gallery,
                definition,
                ..
            } => {
                format!("Add image definition {gallery}/{}", definition.name)
            }
            Self::DeleteDefinition { gallery, name, .. } => {
                format!("Delete image definition {gallery}/{name}")
            }
            Self::UpdateDefinition { gallery, name, .. } => {
                format!("Edit image definition {gallery}/{name}")
            }
            Self::AddVersion {
                gallery,
                definition,
                version,
                ..
            } => format!("Add version {gallery}/{definition}/{}", version.name),
            Self::DeleteVersion {
                gallery,
                definition,
                name,
            } => format!("Delete version {gallery}/{definition}/{name}"),
            Self::UpdateVersion {
                gallery,
                definition,
                name,
                ..
            } => format!("Edit version {gallery}/{definition}/{name}"),
            Self::SetSettings { .. } => "Change settings".to_owned(),
            Self::Batch { label, .. } | Self::ReplaceResources { label, .. } => label.clone(),
        }
    }

    /// What the service refuses on the day the edit is made (`today`, given by the caller: the
    /// model reads no clock): an end-of-life date the edit sets (on a new definition or version,
    /// or changed on an existing one) must lie after `today`. Dates the edit leaves as they were
    /// are not checked, so a file holding one that has passed stays editable; validation warns
    /// about it instead. A gallery, definition or version that exists in Azure (imported) keeps
    /// its name: ARM cannot rename it ([`rename_refusal`]). The edits of a batch are each
    /// checked against the workspace as it is before the batch.
    pub fn check_at(&self, ws: &Workspace, today: Date) -> Result<(), EditError> {
        let check = |path: &dyn Fn() -> ResourcePath, new: Option<Date>, old: Option<Date>| {
            match new {
                Some(date) if new != old && date <= today => Err(EditError::new(
                    path(),
                    format!(
                        "{END_OF_LIFE_IN_THE_PAST} The end-of-life date {date} is not after today, {today}"
                    ),
                )),
                _ => Ok(()),
            }
        };
        let definition_and_versions = |gallery: &str, d: &ImageDefinition| {
            check(
                &|| ResourcePath::definition(gallery, &d.name),
                d.end_of_life,
                None,
            )?;
            d.versions.iter().try_for_each(|v| {
                check(
                    &|| ResourcePath::version(gallery, &d.name, &v.name),
                    v.end_of_life,
                    None,
                )
            })
        };
        let existing_definition = |g: &str, d: &str| ws.gallery(g).and_then(|g| g.definition(d));
        // ARM cannot rename what exists in Azure.
        let renamed = |path: ResourcePath, presence: Option<Presence>, new_name: &str| {
            if presence == Some(Presence::InAzure) && path.name() != new_name {
                Err(EditError::new(&path, rename_refusal(&path)))
            } else {
                Ok(())
            }
        };
        match self {
            Self::UpdateGallery { name, gallery } => renamed(
                ResourcePath::gallery(name),
                ws.presence(&ResourcePath::gallery(name)),
                &gallery.name,
            ),
            Self::Batch { edits, .. } => edits.iter().try_for_each(|e| e.check_at(ws, today)),
            Self::AddGallery { gallery, .. } => gallery
                .definitions
                .iter()
                .try_for_each(|d| definition_and_versions(&gallery.name, d)),
            Self::AddDefinition {
                gallery,
                definition,
                ..
            } => definition_and_versions(gallery, definition),
            Self::UpdateDefinition {
                gallery,
                name,
                definition,
            } => {
                let existing = existing_definition(gallery, name);
                renamed(
                    ResourcePath::definition(gallery, name),
                    existing.map(|_| ws.presence_of(gallery, Some(name), None)),
                    &definition.name,
                )?;
                check(
                    &|| ResourcePath::definition(gallery, name),
                    definition.end_of_life,
                    existing.and_then(|d| d.end_of_life),
                )
            }
            Self::AddVersion {
                gallery,
                definition,
                version,
                ..
            } => check(
                &|| ResourcePath::version(gallery, definition, &version.name),
                version.end_of_life,
                None,
            ),
            Self::UpdateVersion {
                gallery,
                definition,
                name,
                version,
            } => {
                let existing =
                    existing_definition(gallery, definition).and_then(|d| d.version(name));
                renamed(
                    ResourcePath::version(gallery, definition, name),
                    existing.map(|_| ws.presence_of(gallery, Some(definition), Some(name))),
                    &version.name,
                )?;
                check(
                    &|| ResourcePath::version(gallery, definition, name),
                    version.end_of_life,
                    existing.and_then(|v| v.end_of_life),
                )
            }
            _ => Ok(()),
        }
    }

    /// Applies an edit a user asks for on `today`: refused as [`Edit::check_at`] says, else as
    /// [`Edit::apply`]. Undo and redo apply inverses with `apply`: they restore what was there.
    pub fn apply_at(self, ws: &mut Workspace, today: Date) -> Result<Edit, EditError> {
        self.check_at(ws, today)?;
        self.apply(ws)
    }

    /// Applies the edit and returns its inverse. On error the workspace is unchanged.
    pub fn apply(self, ws: &mut Workspace) -> Result<Edit, EditError> {
        match self {
            Self::Batch { label, edits } => {
                let mut inverses = Vec::with_capacity(edits.len());
                for edit in edits {
                    match edit.apply(ws) {
                        Ok(inverse) => inverses.push(inverse),
                        Err(err) => {
                            for inverse in inverses.into_iter().rev() {
                                // Inverses of edits that just succeeded always apply.
                                let _ = inverse.apply(ws);
                            }
                            return Err(err);
                        }
                    }
                }
                inverses.reverse();
                Ok(Self::Batch {
                    label,
                    edits: inverses,
                })
            }
            Self::SetSettings { settings } => Ok(Self::SetSettings {
                settings: std::mem::replace(&mut ws.settings, settings),
            }),
            Self::ReplaceResources {
                label,
                mut resources,
            } => {
                resources.swap(ws);
                Ok(Self::ReplaceResources { label, resources })
            }
            Self::AddTenant { index, tenant } => {
                let path = ResourcePath::Tenant(tenant.name.clone());
                if tenant.name.trim().is_empty() {
                    return Err(EditError::new(&path, "A tenant needs a name"));
                }
                if ws.tenants.iter().any(|t| t.name == tenant.name) {
                    return Err(EditError::new(
                        &path,
                        "A tenant with this name already exists",
                    ));
                }
                let name = tenant.name.clone();
                insert_at(&mut ws.tenants, index, tenant);
                Ok(Self::DeleteTenant { name })
            }
            Self::DeleteTenant { name } => {
                let path = ResourcePath::Tenant(name.clone());
                let index = ws
                    .tenants
                    .iter()
                    .position(|t| t.name == name)
                    .ok_or_else(|| not_found(&path))?;
                let users: Vec<String> = ws
                    .galleries
                    .iter()
                    .filter(|g| g.tenant == name)
                    .map(|g| format!("gallery {}", g.name))
                    .chain(
                        ws.principals
                            .iter()
                            .filter(|p| p.tenant == name)
                            .map(|p| format!("principal {}", p.name)),
                    )
                    .collect();
                if !users.is_empty() {
                    return Err(EditError::new(
                        &path,
                        format!("The tenant is still used by {}", users.join(", ")),
                    ));
                }
                let tenant = ws.tenants.remove(index);
                Ok(Self::AddTenant {
                    index: Some(index),
                    tenant,
                })
            }
            Self::AddPrincipal { index, principal } => {
                check_principal(ws, &principal, None)?;
                let name = principal.name.clone();
                insert_at(&mut ws.principals, index, principal);
                Ok(Self::DeletePrincipal { name })
            }
            Self::DeletePrincipal { name } => {
                let path = ResourcePath::Principal(name.clone());
                let index = ws
                    .principals
                    .iter()
                    .position(|p| p.name == name)
                    .ok_or_else(|| not_found(&path))?;
                let mut restore = Vec::new();
                // Memberships in groups, then grants, then the principal: undo re-adds in reverse.
                for group_index in 0..ws.principals.len() {
                    let group = &ws.principals[group_index];
                    if group.members.contains(&name) {
                        let mut updated = group.clone();
                        updated.members.retain(|m| *m != name);
                        restore.push(Self::UpdatePrincipal {
                            name: group.name.clone(),
                            principal: group.clone(),
                        });
                        ws.principals[group_index] = updated;
                    }
                }
                let grants = remove_grants(ws, |g| g.principal == name);
                let principal = ws.principals.remove(index);
                let mut edits = vec![Self::AddPrincipal {
                    index: Some(index),
                    principal,
                }];
                edits.extend(grants);
                edits.extend(restore);
                Ok(Self::Batch {
                    label: format!("Restore principal {name}"),
                    edits,
                })
            }
            Self::UpdatePrincipal { name, principal } => {
                let path = ResourcePath::Principal(name.clone());
                let index = ws
                    .principals
                    .iter()
                    .position(|p| p.name == name)
                    .ok_or_else(|| not_found(&path))?;
                check_principal(ws, &principal, Some(index))?;
                let new_name = principal.name.clone();
                let old = std::mem::replace(&mut ws.principals[index], principal);
                if new_name != name {
                    for grant in &mut ws.grants {
                        if grant.principal == name {
                            grant.principal.clone_from(&new_name);
                        }
                    }
                    for group in &mut ws.principals {
                        for member in &mut group.members {
                            if *member == name {
                                member.clone_from(&new_name);
                            }
                        }
                    }
                }
                Ok(Self::UpdatePrincipal {
                    name: new_name,
                    principal: old,
                })
            }
            Self::AddGrant { index, grant } => {
                check_grant(ws, &grant)?;
                let index = insert_at(&mut ws.grants, index, grant);
                Ok(Self::DeleteGrant { index })
            }
            Self::DeleteGrant { index } => {
                if index >= ws.grants.len() {
                    return Err(EditError::new(
                        "grants",
                        format!("There is no grant number {}", index + 1),
                    ));
                }
                let grant = ws.grants.remove(index);
                Ok(Self::AddGrant {
                    index: Some(index),
                    grant,
                })
            }
            Self::AddImage { index, image } => {
                let path = ResourcePath::managed_image(&image.name);
                if ws
                    .managed_images
                    .iter()
                    .any(|m| same_name(&m.name, &image.name))
                {
                    return Err(EditError::new(
                        &path,
                        "A managed image with this name already exists",
                    ));
                }
                let name = image.name.clone();
                insert_at(&mut ws.managed_images, index, image);
                Ok(Self::DeleteImage { name })
            }
            Self::DeleteImage { name } => {
                let path = ResourcePath::managed_image(&name);
                let index = ws
                    .managed_images
                    .iter()
                    .position(|m| m.name == name)
                    .ok_or_else(|| not_found(&path))?;
                if let Some(reason) = delete_blocker(ws, &path) {
                    return Err(EditError::new(&path, reason));
                }
                let image = ws.managed_images.remove(index);
                Ok(Self::AddImage {
                    index: Some(index),
                    image,
                })
            }
            Self::UpdateImage { name, image } => {
                let path = ResourcePath::managed_image(&name);
                let index = ws
                    .managed_images
                    .iter()
                    .position(|m| m.name == name)
                    .ok_or_else(|| not_found(&path))?;
                if ws
                    .managed_images
                    .iter()
                    .enumerate()
                    .any(|(i, m)| i != index && same_name(&m.name, &image.name))
                {
                    return Err(EditError::new(
                        &path,
                        format!("A managed image named \"{}\" already exists", image.name),
                    ));
                }
                let new_name = image.name.clone();
                let old = std::mem::replace(&mut ws.managed_images[index], image);
                if new_name != name {
                    for gallery in &mut ws.galleries {
                        for definition in &mut gallery.definitions {
                            for version in &mut definition.versions {
                                if version.source == name {
                                    version.source.clone_from(&new_name);
                                }
                            }
                        }
                    }
                }
                Ok(Self::UpdateImage {
                    name: new_name,
                    image: old,
                })
            }
            Self::AddGallery { index, gallery } => {
                let path = ResourcePath::gallery(&gallery.name);
                if ws
                    .galleries
                    .iter()
                    .any(|g| same_name(&g.name, &gallery.name))
                {
                    return Err(EditError::new(
                        &path,
                        "A gallery with this name already exists in the subscription",
                    ));
                }
                let name = gallery.name.clone();
                insert_at(&mut ws.galleries, index, gallery);
                Ok(Self::DeleteGallery {
                    name,
                    cascade: true,
                })
            }
            Self::DeleteGallery { name, cascade } => {
                let path = ResourcePath::gallery(&name);
                let index = ws
                    .galleries
                    .iter()
                    .position(|g| g.name == name)
                    .ok_or_else(|| not_found(&path))?;
                if !cascade && let Some(reason) = delete_blocker(ws, &path) {
                    return Err(EditError::new(&path, reason));
                }
                let mut edits = vec![];
                let grants = remove_grants(ws, |g| scope_within(&g.scope, &path));
                let gallery = ws.galleries.remove(index);
                edits.push(Self::AddGallery {
                    index: Some(index),
                    gallery,
                });
                edits.extend(grants);
                Ok(Self::Batch {
                    label: format!("Restore gallery {name}"),
                    edits,
                })
            }
            Self::UpdateGallery { name, mut gallery } => {
                let path = ResourcePath::gallery(&name);
                let index = ws
                    .galleries
                    .iter()
                    .position(|g| g.name == name)
                    .ok_or_else(|| not_found(&path))?;
                if ws
                    .galleries
                    .iter()
                    .enumerate()
                    .any(|(i, g)| i != index && same_name(&g.name, &gallery.name))
                {
                    return Err(EditError::new(
                        &path,
                        format!(
                            "A gallery named \"{}\" already exists in the subscription",
                            gallery.name
                        ),
                    ));
                }
                let current = &mut ws.galleries[index];
                if let Some(property) = fixed::gallery_changes(current, &gallery).first() {
                    return Err(immutable(&path, property));
                }
                gallery.definitions = std::mem::take(&mut current.definitions);
                let mut old = std::mem::replace(current, gallery);
                old.definitions = Vec::new();
                let new_path = path.with_name(&ws.galleries[index].name);
                rename_scopes(ws, &path, &new_path);
                Ok(Self::UpdateGallery {
                    name: new_path.name().to_owned(),
                    gallery: old,
                })
            }
            Self::AddDefinition {
                gallery,
                index,
                definition,
            } => {
                let path = ResourcePath::definition(&gallery, &definition.name);
                let g = find_gallery(ws, &gallery)?;
                if g.definitions
                    .iter()
                    .any(|d| same_name(&d.name, &definition.name))
                {
                    return Err(EditError::new(
                        &path,
                        "An image definition with this name already exists in the gallery",
                    ));
                }
                if let Some(other) = g.definitions.iter().find(|d| {
                    same_name(&d.publisher, &definition.publisher)
                        && same_name(&d.offer, &definition.offer)
                        && same_name(&d.sku, &definition.sku)
                }) {
                    return Err(EditError::new(
                        &path,
                        format!(
                            "Publisher, offer and sku are already used by image definition \"{}\"; they must be unique in the gallery",
                            other.name
                        ),
                    ));
                }
                let name = definition.name.clone();
                insert_at(&mut g.definitions, index, definition);
                Ok(Self::DeleteDefinition {
                    gallery,
                    name,
                    cascade: true,
                })
            }
            Self::DeleteDefinition {
                gallery,
                name,
                cascade,
            } => {
                let path = ResourcePath::definition(&gallery, &name);
                let g = find_gallery(ws, &gallery)?;
                let index = g
                    .definitions
                    .iter()
                    .position(|d| d.name == name)
                    .ok_or_else(|| not_found(&path))?;
                if !cascade && !g.definitions[index].versions.is_empty() {
                    let reason = nested(&path, "image versions", &g.definitions[index].versions);
                    return Err(EditError::new(&path, reason));
                }
                let definition = g.definitions.remove(index);
                let grants = remove_grants(ws, |g| scope_within(&g.scope, &path));
                let mut edits = vec![Self::AddDefinition {
                    gallery,
                    index: Some(index),
                    definition,
                }];
                edits.extend(grants);
                Ok(Self::Batch {
                    label: format!("Restore image definition {path}"),
                    edits,
                })
            }
            Self::UpdateDefinition {
                gallery,
                name,
                mut definition,
            } => {
                let path = ResourcePath::definition(&gallery, &name);
                let g = find_gallery(ws, &gallery)?;
                let index = g
                    .definitions
                    .iter()
                    .position(|d| d.name == name)
                    .ok_or_else(|| not_found(&path))?;
                if g.definitions
                    .iter()
                    .enumerate()
                    .any(|(i, d)| i != index && same_name(&d.name, &definition.name))
                {
                    return Err(EditError::new(
                        &path,
                        format!(
                            "An image definition named \"{}\" already exists in the gallery",
                            definition.name
                        ),
                    ));
                }
                let current = &mut g.definitions[index];
                if let Some(property) = fixed::definition_changes(current, &definition).first() {
                    return Err(immutable(&path, property));
                }
                definition.versions = std::mem::take(&mut current.versions);
                let mut old = std::mem::replace(current, definition);
                old.versions = Vec::new();
                let new_path = path.with_name(&g.definitions[index].name);
                rename_scopes(ws, &path, &new_path);
                Ok(Self::UpdateDefinition {
                    gallery,
                    name: new_path.name().to_owned(),
                    definition: old,
                })
            }
            Self::AddVersion {
                gallery,
                definition,
                index,
                version,
            } => {
                let path = ResourcePath::version(&gallery, &definition, &version.name);
                let d = find_definition(ws, &gallery, &definition)?;
                if d.versions.iter().any(|v| v.name == version.name) {
                    return Err(EditError::new(
                        &path,
                        "A version with this name already exists",
                    ));
                }
                let name = version.name.clone();
                insert_at(&mut d.versions, index, version);
                Ok(Self::DeleteVersion {
                    gallery,
                    definition,
                    name,
                })
            }
            Self::DeleteVersion {
                gallery,
                definition,
                name,
            } => {
                let path = ResourcePath::version(&gallery, &definition, &name);
                let d = find_definition(ws, &gallery, &definition)?;
                let index = d
                    .versions
                    .iter()
                    .position(|v| v.name == name)
                    .ok_or_else(|| not_found(&path))?;
                let version = d.versions.remove(index);
                let grants = remove_grants(ws, |g| scope_within(&g.scope, &path));
                let mut edits = vec![Self::AddVersion {
                    gallery,
                    definition,
                    index: Some(index),
                    version,
                }];
                edits.extend(grants);
                Ok(Self::Batch {
                    label: format!("Restore version {path}"),
                    edits,
                })
            }
            Self::UpdateVersion {
                gallery,
                definition,
                name,
                version,
            } => {
                let path = ResourcePath::version(&gallery, &definition, &name);
                let d = find_definition(ws, &gallery, &definition)?;
                let index = d
                    .versions
                    .iter()
                    .position(|v| v.name == name)
                    .ok_or_else(|| not_found(&path))?;
                if d.versions
                    .iter()
                    .enumerate()
                    .any(|(i, v)| i != index && v.name == version.name)
                {
                    return Err(EditError::new(
                        &path,
                        format!("A version named \"{}\" already exists", version.name),
                    ));
                }
                let current = &d.versions[index];
                if let Some(property) = fixed::version_changes(current, &version).first() {
                    return Err(immutable(&path, property));
                }
                if let Some(region) = fixed::removed_protected_region(
                    current,
                    &version,
                    current.target_regions.iter().filter(|t| {
                        matches!(
                            t.status.state,
                            RegionState::Completed | RegionState::Replicating
                        )
                    }),
                ) {
                    return Err(EditError::new(
                        &path,
                        fixed::protected_region_message(region),
                    ));
                }
                // Replication status belongs to the service (the simulation), not to the editor:
                // regions that stay keep their current status; regions that are new keep the
                // status they come with, which is a fresh one from the editors and the one they
                // had from an undo (undoing a region's removal brings it back as it was).
                // A region whose replica count changes remembers how many replicas it holds, so
                // that the simulation adds or removes the difference.
                let mut version = version;
                let new_default = version.default_replica_count;
                for target in &mut version.target_regions {
                    let Some(old) = current.target(target.region) else {
                        continue;
                    };
                    let mut status = old.status.clone();
                    let old_count = current.replica_count(old);
                    let new_count = target.replicas.unwrap_or(new_default);
                    if old_count != new_count && status.replicas_ready.is_none() {
                        let ready = status.ready_replicas(old_count);
                        if ready > 0 {
                            status.replicas_ready = Some(ready);
                        }
                    }
                    if status.state == RegionState::Completed
                        && status.replicas_ready == Some(new_count)
                    {
                        // Back to the count it holds (an undo): nothing to add or remove.
                        status.replicas_ready = None;
                    }
                    target.status = status;
                }
                let old = std::mem::replace(&mut d.versions[index], version);
                let new_path = path.with_name(&d.versions[index].name);
                rename_scopes(ws, &path, &new_path);
                Ok(Self::UpdateVersion {
                    gallery,
                    definition,
                    name: new_path.name().to_owned(),
                    version: old,
                })
            }
        }
    }
}

fn name_list(names: &[String]) -> String {
    const SHOWN: usize = 5;
    if names.len() <= SHOWN {
        names.join(", ")
    } else {
        format!(
            "{} and {} more",
            names[..SHOWN].join(", "),
            names.len() - SHOWN
        )
    }
}

/// The service's refusal to delete a resource that still has children.
fn nested<T: Named>(path: &ResourcePath, what: &str, children: &[T]) -> String {
    let names: Vec<String> = children.iter().map(|c| c.name().to_owned()).collect();
    format!(
        "Can not delete resource before nested resources are deleted: the {} still has {} {what} ({}). Delete them first.",
        path.kind(),
        names.len(),
        name_list(&names)
    )
}

/// Resources with a name, for [`nested`].
trait Named {
    fn name(&self) -> &str;
}

impl Named for ImageDefinition {
    fn name(&self) -> &str {
        &self.name
    }
}

impl Named for ImageVersion {
    fn name(&self) -> &str {
        &self.name
    }
}

/// Why the resource at `path` cannot be deleted yet, in the service's words: nested resources,
/// or versions built from a managed image. `None` when nothing stands in the way. The delete
/// edits refuse with this same text, so a dialog that asks first and the edit never disagree.
pub fn delete_blocker(ws: &Workspace, path: &ResourcePath) -> Option<String> {
    match path {
        ResourcePath::Gallery(g) => {
            let gallery = ws.galleries.iter().find(|x| x.name == *g)?;
            (!gallery.definitions.is_empty())
                .then(|| nested(path, "image definitions", &gallery.definitions))
        }
        ResourcePath::Definition(g, d) => {
            let gallery = ws.galleries.iter().find(|x| x.name == *g)?;
            let definition = gallery.definitions.iter().find(|x| x.name == *d)?;
            (!definition.versions.is_empty())
                .then(|| nested(path, "image versions", &definition.versions))
        }
        ResourcePath::ManagedImage(name) => {
            let users: Vec<String> = ws
                .versions()
                .filter(|(_, _, v)| same_name(&v.source, name))
                .map(|(g, d, v)| format!("{}/{}/{}", g.name, d.name, v.name))
                .collect();
            (!users.is_empty()).then(|| {
                format!(
                    "The managed image is the source of {} and cannot be deleted before them",
                    name_list(&users)
                )
            })
        }
        _ => None,
    }
}

fn find_gallery<'a>(ws: &'a mut Workspace, name: &str) -> Result<&'a mut Gallery, EditError> {
    ws.galleries
        .iter_mut()
        .find(|g| g.name == name)
        .ok_or_else(|| not_found(&ResourcePath::gallery(name)))
}

fn find_definition<'a>(
    ws: &'a mut Workspace,
    gallery: &str,
    name: &str,
) -> Result<&'a mut ImageDefinition, EditError> {
    find_gallery(ws, gallery)?
        .definitions
        .iter_mut()
        .find(|d| d.name == name)
        .ok_or_else(|| not_found(&ResourcePath::definition(gallery, name)))
}

fn scope_within(scope: &str, path: &ResourcePath) -> bool {
    ResourcePath::parse(scope).is_some_and(|s| s.is_within(path))
}

/// Removes the matching grants; returns the edits that put them back (ascending index order).
fn remove_grants(ws: &mut Workspace, matches: impl Fn(&Grant) -> bool) -> Vec<Edit> {
    let mut restore = Vec::new();
    let mut original = 0;
    ws.grants.retain(|grant| {
        let keep = !matches(grant);
        if !keep {
            restore.push(Edit::AddGrant {
                index: Some(original),
                grant: grant.clone(),
            });
        }
        original += 1;
        keep
    });
    restore
}

/// Rewrites grant scopes at or below `old` to lie below `new` after a rename.
fn rename_scopes(ws: &mut Workspace, old: &ResourcePath, new: &ResourcePath) {
    if old == new {
        return;
    }
    let old_text = old.to_string();
    let new_text = new.to_string();
    for grant in &mut ws.grants {
        if grant.scope == old_text {
            grant.scope.clone_from(&new_text);
        } else if let Some(rest) = grant.scope.strip_prefix(&old_text)
            && rest.starts_with('/')
        {
            grant.scope = format!("{new_text}{rest}");
        }
    }
}

fn check_principal(
    ws: &Workspace,
    principal: &Principal,
    replacing: Option<usize>,
) -> Result<(), EditError> {
    let path = ResourcePath::Principal(principal.name.clone());
    if principal.name.trim().is_empty() {
        return Err(EditError::new(&path, "A principal needs a name"));
    }
    if ws
        .principals
        .iter()
        .enumerate()
        .any(|(i, p)| Some(i) != replacing && p.name == principal.name)
    {
        return Err(EditError::new(
            &path,
            "A principal with this name already exists",
        ));
    }
    if !ws.tenants.iter().any(|t| t.name == principal.tenant) {
        return Err(EditError::new(
            &path,
            format!(
                "The tenant \"{}\" is not defined in this workspace",
                principal.tenant
            ),
        ));
    }
    if principal.kind != PrincipalKind::Group && !principal.members.is_empty() {
        return Err(EditError::new(&path, "Only groups have members"));
    }
    // The principal's current name counts as itself too: a rename makes members follow it.
    let old_name = replacing
        .and_then(|i| ws.principals.get(i))
        .map(|p| p.name.as_str());
    for member in &principal.members {
        if *member == principal.name || Some(member.as_str()) == old_name {
            return Err(EditError::new(
                &path,
                "A group cannot be a member of itself",
            ));
        }
        if !ws.principals.iter().any(|p| p.name == *member) {
            return Err(EditError::new(
                &path,
                format!("The member \"{member}\" is not a principal of this workspace"),
            ));
        }
    }
    Ok(())
}

fn check_grant(ws: &Workspace, grant: &Grant) -> Result<(), EditError> {
    let Some(scope) = ResourcePath::parse(&grant.scope) else {
        return Err(EditError::new(
            &grant.scope,
            "The scope is not a gallery, definition or version path",
        ));
    };
    let gallery_name = match &scope {
        ResourcePath::Gallery(g)
        | ResourcePath::Definition(g, _)
        | ResourcePath::Version(g, _, _) => g,
        _ => {
            return Err(EditError::new(
                &scope,
                "Access is granted on galleries, image definitions and image versions only",
            ));
        }
    };
    let gallery = ws
        .gallery(gallery_name)
        .ok_or_else(|| not_found(&ResourcePath::gallery(gallery_name)))?;
    let exists = match &scope {
        ResourcePath::Definition(_, d) => gallery.definition(d).is_some(),
        ResourcePath::Version(_, d, v) => {
            gallery.definition(d).and_then(|d| d.version(v)).is_some()
        }
        _ => true,
    };
    if !exists {
        return Err(not_found(&scope));
    }
    let Some(principal) = ws.principal(&grant.principal) else {
        return Err(EditError::new(
            &scope,
            format!(
                "The principal \"{}\" is not in this workspace",
                grant.principal
            ),
        ));
    };
    if principal.tenant != gallery.tenant {
        return Err(EditError::new(
            &scope,
            format!(
                "Cannot share with {} \"{}\" of tenant \"{}\": gallery \"{}\" belongs to tenant \"{}\", and sharing stays within one tenant",
                principal.kind.label().to_lowercase(),
                principal.name,
                principal.tenant,
                gallery.name,
                gallery.tenant
            ),
        ));
    }
    if ws
        .grants
        .iter()
        .any(|g| g.principal == grant.principal && g.role == grant.role && g.scope == grant.scope)
    {
        return Err(EditError::new(
            &scope,
            format!(
                "\"{}\" already holds {:?} here",
                grant.principal, grant.role
            ),
        ));
    }
    Ok(())
}
