//! The refusals that depend on the day an edit is made and on what exists in Azure: an
//! end-of-life date set in the past, a rename of a resource ARM cannot rename.

use super::super::{Date, ImageDefinition, ResourcePath, Workspace};
use super::Edit;
use super::error::{EditError, EditErrorKind, rename_refusal};

/// Refuses an end-of-life date `new` set on the resource at `path` when it differs from the
/// date it had (`old`) and is not after `today`.
fn date(
    path: impl FnOnce() -> ResourcePath,
    new: Option<Date>,
    old: Option<Date>,
    today: Date,
) -> Result<(), EditError> {
    match new {
        Some(date) if new != old && date <= today => Err(EditError::new(
            path(),
            EditErrorKind::DatePassed { date, today },
        )),
        _ => Ok(()),
    }
}

/// Refuses a new definition's date and its versions' dates that are not after `today`.
fn definition_and_versions(
    gallery: &str,
    d: &ImageDefinition,
    today: Date,
) -> Result<(), EditError> {
    date(
        || ResourcePath::definition(gallery, &d.name),
        d.end_of_life,
        None,
        today,
    )?;
    d.versions.iter().try_for_each(|v| {
        date(
            || ResourcePath::version(gallery, &d.name, &v.name),
            v.end_of_life,
            None,
            today,
        )
    })
}

/// Refuses a new name for the resource at `path` when it exists in Azure, read in full or known
/// by reference (a definition named only by its versions' ids exists there too): ARM cannot
/// rename it.
fn renamed(ws: &Workspace, path: &ResourcePath, new_name: &str) -> Result<(), EditError> {
    if ws.presence(path).is_some_and(|p| !p.is_planned()) && path.name() != new_name {
        Err(EditError::new(
            path,
            EditErrorKind::ExistsInAzure {
                text: rename_refusal(path),
            },
        ))
    } else {
        Ok(())
    }
}

impl Edit {
    /// What the service refuses on the day the edit is made (`today`, given by the caller: the
    /// model reads no clock): an end-of-life date the edit sets (on a new definition or version,
    /// or changed on an existing one) must lie after `today`. Dates the edit leaves as they were
    /// are not checked, so a file holding one that has passed stays editable; validation warns
    /// about it instead. A gallery, definition or version that exists in Azure (imported) keeps
    /// its name: ARM cannot rename it ([`rename_refusal`]). The edits of a batch are each
    /// checked against the workspace as it is before the batch.
    pub fn check_at(&self, ws: &Workspace, today: Date) -> Result<(), EditError> {
        match self {
            Self::UpdateGallery { name, gallery } => {
                renamed(ws, &ResourcePath::gallery(name), &gallery.name)
            }
            Self::Batch { edits, .. } => edits.iter().try_for_each(|e| e.check_at(ws, today)),
            Self::AddGallery { gallery, .. } => gallery
                .definitions
                .iter()
                .try_for_each(|d| definition_and_versions(&gallery.name, d, today)),
            Self::AddDefinition {
                gallery,
                definition,
                ..
            } => definition_and_versions(gallery, definition, today),
            Self::UpdateDefinition {
                gallery,
                name,
                definition,
            } => {
                let path = ResourcePath::definition(gallery, name);
                renamed(ws, &path, &definition.name)?;
                let old = ws.resolve(&path).and_then(|r| r.definition());
                let old = old.and_then(|d| d.end_of_life);
                date(|| path, definition.end_of_life, old, today)
            }
            Self::AddVersion {
                gallery,
                definition,
                version,
                ..
            } => date(
                || ResourcePath::version(gallery, definition, &version.name),
                version.end_of_life,
                None,
                today,
            ),
            Self::UpdateVersion {
                gallery,
                definition,
                name,
                version,
            } => {
                let path = ResourcePath::version(gallery, definition, name);
                renamed(ws, &path, &version.name)?;
                let old = ws.resolve(&path).and_then(|r| r.version());
                let old = old.and_then(|v| v.end_of_life);
                date(|| path, version.end_of_life, old, today)
            }
            _ => Ok(()),
        }
    }
}
