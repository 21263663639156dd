//! What every add, update and delete does with a resource's siblings: find one by its name,
//! refuse a name a sibling has, insert at a place, and keep grants and blockers in step.

use super::super::{
    Gallery, Grant, ImageDefinition, ImageVersion, ManagedImage, Principal, ResourcePath, Tenant,
    Workspace,
};
use super::Edit;
use super::error::{EditError, EditErrorKind, not_found};

/// A resource among its siblings: a gallery among the subscription's, a version among its
/// definition's.
pub(super) trait Sibling {
    /// The resource in words with its article, as refusals say it ("A gallery").
    const NOUN: &'static str;
    /// Where its name must be unique, as refusals say it (" in the subscription").
    const SCOPE: &'static str = "";
    /// Whether names are unique without letter case (ARM compares resource names so).
    const ANY_CASE: bool;
    /// Whether a rename refused for a taken name says the name asked for.
    const SAYS_NEW_NAME: bool = true;
    fn name(&self) -> &str;
}

macro_rules! sibling {
    ($type:ty, $noun:literal, $scope:literal, any_case: $any_case:literal, says_new_name: $says:literal) => {
        impl Sibling for $type {
            const NOUN: &'static str = $noun;
            const SCOPE: &'static str = $scope;
            const ANY_CASE: bool = $any_case;
            const SAYS_NEW_NAME: bool = $says;
            fn name(&self) -> &str {
                &self.name
            }
        }
    };
}

sibling!(Tenant, "A tenant", "", any_case: false, says_new_name: true);
sibling!(Principal, "A principal", "", any_case: false, says_new_name: false);
sibling!(ManagedImage, "A managed image", "", any_case: true, says_new_name: true);
sibling!(Gallery, "A gallery", " in the subscription", any_case: true, says_new_name: true);
sibling!(ImageDefinition, "An image definition", " in the gallery", any_case: true, says_new_name: true);
sibling!(ImageVersion, "A version", "", any_case: false, says_new_name: true);

/// Whether two names are the same as the service compares them.
pub(super) fn same_name(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// The index of the sibling named exactly as `path` says, or the refusal "not found".
pub(super) fn find<T: Sibling>(list: &[T], path: &ResourcePath) -> Result<usize, EditError> {
    list.iter()
        .position(|x| x.name() == path.name())
        .ok_or_else(|| not_found(path))
}

/// Refuses `name` for the resource at `path` when a sibling other than the one at `except`
/// (the resource itself, when it is renamed) has it.
pub(super) fn ensure_unique<T: Sibling>(
    list: &[T],
    name: &str,
    except: Option<usize>,
    path: &ResourcePath,
) -> Result<(), EditError> {
    let taken = list.iter().enumerate().any(|(i, x)| {
        Some(i) != except
            && if T::ANY_CASE {
                same_name(x.name(), name)
            } else {
                x.name() == name
            }
    });
    if !taken {
        return Ok(());
    }
    let renamed_to = (except.is_some() && T::SAYS_NEW_NAME).then(|| name.to_owned());
    Err(EditError::new(
        path,
        EditErrorKind::NameTaken {
            noun: T::NOUN,
            renamed_to,
            scope: T::SCOPE,
        },
    ))
}

/// Inserts `item` at `index` (the end when `None` or past it); returns where it went.
pub(super) fn insert_at<T>(list: &mut Vec<T>, index: Option<usize>, item: T) -> usize {
    let index = index.unwrap_or(list.len()).min(list.len());
    list.insert(index, item);
    index
}

/// The refusal of an edit something stands in the way of.
pub(super) fn blocked(path: &ResourcePath, reason: String) -> EditError {
    EditError::new(path, EditErrorKind::Blocked { reason })
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
pub(super) fn nested<T: Sibling>(path: &ResourcePath, what: &str, children: &[T]) -> String {
    let names: Vec<String> = children.iter().map(|c| c.name().to_owned()).collect();
    format!(
        "Can not delete resource before nested resources are deleted: the {} still has {} {what} ({}). Delete them first.",
        path.kind(),
        names.len(),
        name_list(&names)
    )
}

/// Why the resource at `path` cannot be deleted yet, in the service's words: nested resources,
/// or versions built from a managed image. `None` when nothing stands in the way. The delete
/// edits refuse with this same text, so a dialog that asks first and the edit never disagree.
pub fn delete_blocker(ws: &Workspace, path: &ResourcePath) -> Option<String> {
    match path {
        ResourcePath::Gallery(_) => {
            let gallery = ws.resolve(path)?.gallery()?;
            (!gallery.definitions.is_empty())
                .then(|| nested(path, "image definitions", &gallery.definitions))
        }
        ResourcePath::Definition(..) => {
            let definition = ws.resolve(path)?.definition()?;
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

/// The gallery named `name`, to change.
pub(super) fn gallery_mut<'a>(
    ws: &'a mut Workspace,
    name: &str,
) -> Result<&'a mut Gallery, EditError> {
    ws.gallery_mut(name)
        .ok_or_else(|| not_found(&ResourcePath::gallery(name)))
}

/// The definition `name` of gallery `gallery`, to change.
pub(super) fn definition_mut<'a>(
    ws: &'a mut Workspace,
    gallery: &str,
    name: &str,
) -> Result<&'a mut ImageDefinition, EditError> {
    gallery_mut(ws, gallery)?
        .definitions
        .iter_mut()
        .find(|d| d.name == name)
        .ok_or_else(|| not_found(&ResourcePath::definition(gallery, name)))
}

/// Whether a grant's scope lies at or below `path`.
pub(super) fn scope_within(scope: &str, path: &ResourcePath) -> bool {
    ResourcePath::parse(scope).is_some_and(|s| s.is_within(path))
}

/// Removes the matching grants; returns the edits that put them back (ascending index order).
pub(super) fn remove_grants(ws: &mut Workspace, matches: impl Fn(&Grant) -> bool) -> Vec<Edit> {
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
pub(super) fn rename_scopes(ws: &mut Workspace, old: &ResourcePath, new: &ResourcePath) {
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
