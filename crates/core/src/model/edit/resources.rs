//! Edits of managed images, galleries, definitions and versions. Deletes do not cascade (the
//! service deletes nothing nested); fields fixed at creation stay; renames carry grant scopes
//! and version sources along; an update keeps the children and the replication status, which
//! belong to the resource and to the service, not to the editor.

use super::super::{
    Gallery, ImageDefinition, ImageVersion, ManagedImage, RegionState, ResourcePath, Workspace,
    fixed,
};
use super::Edit;
use super::error::{EditError, EditErrorKind};
use super::siblings::{
    blocked, definition_mut, delete_blocker, ensure_unique, find, gallery_mut, insert_at, nested,
    remove_grants, rename_scopes, same_name, scope_within,
};

fn fixed_property(path: &ResourcePath, property: &'static str) -> EditError {
    EditError::new(
        path,
        EditErrorKind::Fixed {
            kind: path.kind(),
            property,
        },
    )
}

pub(super) fn add_image(
    ws: &mut Workspace,
    index: Option<usize>,
    image: ManagedImage,
) -> Result<Edit, EditError> {
    let path = ResourcePath::managed_image(&image.name);
    ensure_unique(&ws.managed_images, &image.name, None, &path)?;
    let name = image.name.clone();
    insert_at(&mut ws.managed_images, index, image);
    Ok(Edit::DeleteImage { name })
}

pub(super) fn delete_image(ws: &mut Workspace, name: String) -> Result<Edit, EditError> {
    let path = ResourcePath::managed_image(&name);
    let index = find(&ws.managed_images, &path)?;
    if let Some(reason) = delete_blocker(ws, &path) {
        return Err(blocked(&path, reason));
    }
    let image = ws.managed_images.remove(index);
    Ok(Edit::AddImage {
        index: Some(index),
        image,
    })
}

pub(super) fn update_image(
    ws: &mut Workspace,
    name: String,
    image: ManagedImage,
) -> Result<Edit, EditError> {
    let path = ResourcePath::managed_image(&name);
    let index = find(&ws.managed_images, &path)?;
    ensure_unique(&ws.managed_images, &image.name, Some(index), &path)?;
    let new_name = image.name.clone();
    let old = std::mem::replace(&mut ws.managed_images[index], image);
    if new_name != name {
        let versions = ws
            .galleries
            .iter_mut()
            .flat_map(|g| &mut g.definitions)
            .flat_map(|d| &mut d.versions);
        for version in versions.filter(|v| v.source == name) {
            version.source.clone_from(&new_name);
        }
    }
    Ok(Edit::UpdateImage {
        name: new_name,
        image: old,
    })
}

pub(super) fn add_gallery(
    ws: &mut Workspace,
    index: Option<usize>,
    gallery: Gallery,
) -> Result<Edit, EditError> {
    let path = ResourcePath::gallery(&gallery.name);
    ensure_unique(&ws.galleries, &gallery.name, None, &path)?;
    let name = gallery.name.clone();
    insert_at(&mut ws.galleries, index, gallery);
    Ok(Edit::DeleteGallery {
        name,
        cascade: true,
    })
}

pub(super) fn delete_gallery(
    ws: &mut Workspace,
    name: String,
    cascade: bool,
) -> Result<Edit, EditError> {
    let path = ResourcePath::gallery(&name);
    let index = find(&ws.galleries, &path)?;
    if !cascade && let Some(reason) = delete_blocker(ws, &path) {
        return Err(blocked(&path, reason));
    }
    let grants = remove_grants(ws, |g| scope_within(&g.scope, &path));
    let gallery = ws.galleries.remove(index);
    let mut edits = vec![Edit::AddGallery {
        index: Some(index),
        gallery,
    }];
    edits.extend(grants);
    Ok(Edit::Batch {
        label: format!("Restore gallery {name}"),
        edits,
    })
}

pub(super) fn update_gallery(
    ws: &mut Workspace,
    name: String,
    mut gallery: Gallery,
) -> Result<Edit, EditError> {
    let path = ResourcePath::gallery(&name);
    let index = find(&ws.galleries, &path)?;
    ensure_unique(&ws.galleries, &gallery.name, Some(index), &path)?;
    let current = &mut ws.galleries[index];
    if let Some(property) = fixed::gallery_changes(current, &gallery).first() {
        return Err(fixed_property(&path, property));
    }
    gallery.definitions = std::mem::take(&mut current.definitions);
    let mut old = std::mem::replace(current, gallery);
    old.definitions = Vec::new();
    let new_path = path.with_name(&ws.galleries[index].name);
    rename_scopes(ws, &path, &new_path);
    Ok(Edit::UpdateGallery {
        name: new_path.name().to_owned(),
        gallery: old,
    })
}

pub(super) fn add_definition(
    ws: &mut Workspace,
    gallery: String,
    index: Option<usize>,
    definition: ImageDefinition,
) -> Result<Edit, EditError> {
    let path = ResourcePath::definition(&gallery, &definition.name);
    let g = gallery_mut(ws, &gallery)?;
    ensure_unique(&g.definitions, &definition.name, None, &path)?;
    if let Some(other) = g.definitions.iter().find(|d| {
        same_name(&d.publisher, &definition.publisher)
            && same_name(&d.offer, &definition.offer)
            && same_name(&d.sku, &definition.sku)
    }) {
        let other = other.name.clone();
        return Err(EditError::new(
            &path,
            EditErrorKind::IdentityTaken { other },
        ));
    }
    let name = definition.name.clone();
    insert_at(&mut g.definitions, index, definition);
    Ok(Edit::DeleteDefinition {
        gallery,
        name,
        cascade: true,
    })
}

pub(super) fn delete_definition(
    ws: &mut Workspace,
    gallery: String,
    name: String,
    cascade: bool,
) -> Result<Edit, EditError> {
    let path = ResourcePath::definition(&gallery, &name);
    let g = gallery_mut(ws, &gallery)?;
    let index = find(&g.definitions, &path)?;
    let versions = &g.definitions[index].versions;
    if !cascade && !versions.is_empty() {
        return Err(blocked(&path, nested(&path, "image versions", versions)));
    }
    let definition = g.definitions.remove(index);
    let grants = remove_grants(ws, |g| scope_within(&g.scope, &path));
    let mut edits = vec![Edit::AddDefinition {
        gallery,
        index: Some(index),
        definition,
    }];
    edits.extend(grants);
    Ok(Edit::Batch {
        label: format!("Restore image definition {path}"),
        edits,
    })
}

pub(super) fn update_definition(
    ws: &mut Workspace,
    gallery: String,
    name: String,
    mut definition: ImageDefinition,
) -> Result<Edit, EditError> {
    let path = ResourcePath::definition(&gallery, &name);
    let g = gallery_mut(ws, &gallery)?;
    let index = find(&g.definitions, &path)?;
    ensure_unique(&g.definitions, &definition.name, Some(index), &path)?;
    let current = &mut g.definitions[index];
    if let Some(property) = fixed::definition_changes(current, &definition).first() {
        return Err(fixed_property(&path, property));
    }
    definition.versions = std::mem::take(&mut current.versions);
    let mut old = std::mem::replace(current, definition);
    old.versions = Vec::new();
    let new_path = path.with_name(&g.definitions[index].name);
    rename_scopes(ws, &path, &new_path);
    Ok(Edit::UpdateDefinition {
        gallery,
        name: new_path.name().to_owned(),
        definition: old,
    })
}

pub(super) fn add_version(
    ws: &mut Workspace,
    gallery: String,
    definition: String,
    index: Option<usize>,
    version: ImageVersion,
) -> Result<Edit, EditError> {
    let path = ResourcePath::version(&gallery, &definition, &version.name);
    let d = definition_mut(ws, &gallery, &definition)?;
    ensure_unique(&d.versions, &version.name, None, &path)?;
    let name = version.name.clone();
    insert_at(&mut d.versions, index, version);
    Ok(Edit::DeleteVersion {
        gallery,
        definition,
        name,
    })
}

pub(super) fn delete_version(
    ws: &mut Workspace,
    gallery: String,
    definition: String,
    name: String,
) -> Result<Edit, EditError> {
    let path = ResourcePath::version(&gallery, &definition, &name);
    let d = definition_mut(ws, &gallery, &definition)?;
    let index = find(&d.versions, &path)?;
    let version = d.versions.remove(index);
    let grants = remove_grants(ws, |g| scope_within(&g.scope, &path));
    let mut edits = vec![Edit::AddVersion {
        gallery,
        definition,
        index: Some(index),
        version,
    }];
    edits.extend(grants);
    Ok(Edit::Batch {
        label: format!("Restore version {path}"),
        edits,
    })
}

pub(super) fn update_version(
    ws: &mut Workspace,
    gallery: String,
    definition: String,
    name: String,
    mut version: ImageVersion,
) -> Result<Edit, EditError> {
    let path = ResourcePath::version(&gallery, &definition, &name);
    let d = definition_mut(ws, &gallery, &definition)?;
    let index = find(&d.versions, &path)?;
    ensure_unique(&d.versions, &version.name, Some(index), &path)?;
    let current = &d.versions[index];
    if let Some(property) = fixed::version_changes(current, &version).first() {
        return Err(fixed_property(&path, property));
    }
    let replicated = current
        .target_regions
        .iter()
        .filter(|t| fixed::holds_replicas(t));
    if let Some(region) = fixed::removed_protected_region(current, &version, replicated) {
        return Err(EditError::new(
            &path,
            EditErrorKind::ProtectedRegion { region },
        ));
    }
    keep_replication_status(current, &mut version);
    let old = std::mem::replace(&mut d.versions[index], version);
    let new_path = path.with_name(&d.versions[index].name);
    rename_scopes(ws, &path, &new_path);
    Ok(Edit::UpdateVersion {
        gallery,
        definition,
        name: new_path.name().to_owned(),
        version: old,
    })
}

/// Replication status belongs to the service (the simulation), not to the editor: regions
/// that stay keep their current status; regions that are new keep the status they come with,
/// which is a fresh one from the editors and the one they had from an undo (undoing a region's
/// removal brings it back as it was). A region whose replica count changes remembers how many
/// replicas it holds, so that the simulation adds or removes the difference.
fn keep_replication_status(current: &ImageVersion, version: &mut ImageVersion) {
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
        if status.state == RegionState::Completed && status.replicas_ready == Some(new_count) {
            // Back to the count it holds (an undo): nothing to add or remove.
            status.replicas_ready = None;
        }
        target.status = status;
    }
}
