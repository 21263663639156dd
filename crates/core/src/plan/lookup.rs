//! Finding resources by their ARM identity: names compared ignoring ASCII case, galleries by
//! subscription, resource group and name.

use std::collections::HashMap;

use crate::model::{Gallery, Grant, ImageDefinition, ImageVersion, Workspace};

/// A gallery's identity in Azure: subscription, resource group and name, ignoring case.
pub(super) fn gallery_key(g: &Gallery) -> (String, String, String) {
    (
        g.subscription.to_ascii_lowercase(),
        g.resource_group.to_ascii_lowercase(),
        g.name.to_ascii_lowercase(),
    )
}

pub(super) fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

pub(super) fn definition_in<'a>(g: &'a Gallery, name: &str) -> Option<&'a ImageDefinition> {
    g.definitions.iter().find(|d| same(&d.name, name))
}

/// A definition's versions by lowercase name: found in constant time among thousands.
pub(super) fn versions_by_name(d: &ImageDefinition) -> HashMap<String, &ImageVersion> {
    d.versions
        .iter()
        .map(|v| (v.name.to_ascii_lowercase(), v))
        .collect()
}

pub(super) fn grant_key(g: &Grant) -> (String, crate::model::Role, String) {
    (
        g.principal.to_ascii_lowercase(),
        g.role,
        g.scope.to_ascii_lowercase(),
    )
}

/// The gallery, definition and version a plan path names in a workspace.
pub(crate) fn find<'w>(
    ws: &'w Workspace,
    path: &str,
) -> (
    Option<&'w Gallery>,
    Option<&'w ImageDefinition>,
    Option<&'w ImageVersion>,
) {
    let mut parts = path.split('/');
    let g = parts
        .next()
        .and_then(|name| ws.galleries.iter().find(|g| g.name == name));
    let d = parts
        .next()
        .and_then(|name| g.and_then(|g| g.definitions.iter().find(|d| d.name == name)));
    let v = parts
        .next()
        .and_then(|name| d.and_then(|d| d.versions.iter().find(|v| v.name == name)));
    (g, d, v)
}

/// `g/d` of `g/d/v`, `g` of `g/d`.
pub(super) fn parent_of(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(parent, _)| parent)
}
