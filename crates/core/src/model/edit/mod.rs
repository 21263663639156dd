//! Every change to a workspace is an `Edit`. Applying one returns its inverse, so undo and redo
//! are just more edits. The service's structural rules are enforced here: fields fixed at
//! creation cannot change, deletes do not cascade, sibling names stay unique, and references
//! (grants, group members, version sources) follow renames.

//!
//! One function per edit, in `directory` (tenants, principals, grants) and `resources`
//! (images, galleries, definitions, versions), over the shared sibling helpers of `siblings`
//! (find, ensure a name is free, insert); `check` holds the refusals that depend on the day;
//! `error` the typed refusals.

mod check;
mod directory;
mod error;
mod resources;
mod siblings;

use serde::{Deserialize, Serialize};

pub use error::{END_OF_LIFE_IN_THE_PAST, EditError, EditErrorKind, rename_refusal};
pub use siblings::delete_blocker;

use super::{
    Gallery, Grant, ImageDefinition, ImageVersion, ManagedImage, Principal, ResourcePath, Settings,
    Tenant, Workspace,
};

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

    /// Applies an edit a user asks for on `today`: refused as [`Edit::check_at`] says, else as
    /// [`Edit::apply`]. Undo and redo apply inverses with `apply`: they restore what was there.
    pub fn apply_at(self, ws: &mut Workspace, today: super::Date) -> Result<Edit, EditError> {
        self.check_at(ws, today)?;
        self.apply(ws)
    }

    /// Applies the edit and returns its inverse. On error the workspace is unchanged.
    pub fn apply(self, ws: &mut Workspace) -> Result<Edit, EditError> {
        use directory::*;
        use resources::*;
        match self {
            Self::Batch { label, edits } => apply_batch(ws, label, edits),
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
            Self::AddTenant { index, tenant } => add_tenant(ws, index, tenant),
            Self::DeleteTenant { name } => delete_tenant(ws, name),
            Self::AddPrincipal { index, principal } => add_principal(ws, index, principal),
            Self::DeletePrincipal { name } => delete_principal(ws, name),
            Self::UpdatePrincipal { name, principal } => update_principal(ws, name, principal),
            Self::AddGrant { index, grant } => add_grant(ws, index, grant),
            Self::DeleteGrant { index } => delete_grant(ws, index),
            Self::AddImage { index, image } => add_image(ws, index, image),
            Self::DeleteImage { name } => delete_image(ws, name),
            Self::UpdateImage { name, image } => update_image(ws, name, image),
            Self::AddGallery { index, gallery } => add_gallery(ws, index, gallery),
            Self::DeleteGallery { name, cascade } => delete_gallery(ws, name, cascade),
            Self::UpdateGallery { name, gallery } => update_gallery(ws, name, gallery),
            Self::AddDefinition {
                gallery,
                index,
                definition,
            } => add_definition(ws, gallery, index, definition),
            Self::DeleteDefinition {
                gallery,
                name,
                cascade,
            } => delete_definition(ws, gallery, name, cascade),
            Self::UpdateDefinition {
                gallery,
                name,
                definition,
            } => update_definition(ws, gallery, name, definition),
            Self::AddVersion {
                gallery,
                definition,
                index,
                version,
            } => add_version(ws, gallery, definition, index, version),
            Self::DeleteVersion {
                gallery,
                definition,
                name,
            } => delete_version(ws, gallery, definition, name),
            Self::UpdateVersion {
                gallery,
                definition,
                name,
                version,
            } => update_version(ws, gallery, definition, name, version),
        }
    }
}

/// Applies the edits in order, all or nothing; the inverse undoes them in reverse order.
fn apply_batch(ws: &mut Workspace, label: String, edits: Vec<Edit>) -> Result<Edit, EditError> {
    let mut inverses = Vec::with_capacity(edits.len());
    for edit in edits {
        match edit.apply(ws) {
            Ok(inverse) => inverses.push(inverse),
            Err(err) => {
                for inverse in inverses.into_iter().rev() {
                    // Inverses of edits that just succeeded always apply.
                    if let Err(undo) = inverse.apply(ws) {
                        log::error!("a refused batch could not be undone in full: {undo}");
                    }
                }
                return Err(err);
            }
        }
    }
    inverses.reverse();
    Ok(Edit::Batch {
        label,
        edits: inverses,
    })
}
