//! Whether the principal the app acts as may make an edit.
//!
//! `None` acts as the workspace's owner: everything is allowed, so a new user is never locked
//! out. A named principal needs, at the edited resource or above it:
//! - Owner, User Access Administrator or Role Based Access Control Administrator to add or
//!   remove a grant (a role assignment needs `Microsoft.Authorization/roleAssignments/write`);
//!   Compute Gallery Sharing Admin changes a gallery's sharing profile, never role assignments;
//! - Contributor or Owner to edit or delete a resource, and on the parent to create one
//!   (a definition needs it on the gallery, a version on the definition).
//!
//! Galleries themselves, managed images and the directory (tenants and principals) lie outside
//! every gallery scope, so only the workspace owner changes them. Settings (including whom the
//! app acts as) are the app's own and always allowed. Undo and redo restore what an authorized
//! edit changed: callers authorize the edit a user asks for, not its inverse.

use crate::model::{Edit, ResourcePath, Role, Workspace};

use super::groups::Directory;
use super::roles::{Action, RoleSet, role_label, roles_allowing, roles_text};

/// Why an edit is refused to the acting principal: which role is missing where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Refusal {
    /// The acting principal.
    pub actor: String,
    pub action: Action,
    /// The resource the edit is about.
    pub path: String,
    /// The roles that would allow it (empty when only the workspace owner may).
    pub needed: Vec<Role>,
    pub message: String,
}

/// What an edit needs: an action checked at a gallery scope, or the workspace owner.
enum Need {
    Nothing,
    /// `action` on `scope` (or above) for the resource `path`.
    Role {
        action: Action,
        scope: ResourcePath,
        path: ResourcePath,
    },
    Owner {
        action: Action,
        what: String,
        why: &'static str,
    },
}

const DIRECTORY: &str =
    "tenants and principals belong to the directory, which no gallery role covers";
const IMAGES: &str = "managed images lie outside every gallery, so no gallery role covers them";
const GALLERIES: &str = "a gallery is created in the subscription, above every gallery scope";
const IMPORT: &str =
    "an import adds galleries, principals and grants, which no gallery role covers";

fn need(ws: &Workspace, edit: &Edit) -> Need {
    use Action::{Create, Delete, Edit as Change, Grant, Revoke};
    let role = |action, scope: ResourcePath, path: ResourcePath| Need::Role {
        action,
        scope,
        path,
    };
    let same = |action, path: ResourcePath| Need::Role {
        action,
        scope: path.clone(),
        path,
    };
    let owner = |action, what: String, why| Need::Owner { action, what, why };
    match edit {
        Edit::SetSettings { .. } | Edit::Batch { .. } => Need::Nothing,
        Edit::ReplaceResources { .. } => {
            owner(Create, "resources imported from Azure".to_owned(), IMPORT)
        }
        Edit::AddTenant { tenant, .. } => {
            owner(Create, format!("tenant {}", tenant.name), DIRECTORY)
        }
        Edit::DeleteTenant { name } => owner(Delete, format!("tenant {name}"), DIRECTORY),
        Edit::AddPrincipal { principal, .. } => {
            owner(Create, format!("principal {}", principal.name), DIRECTORY)
        }
        Edit::DeletePrincipal { name } => owner(Delete, format!("principal {name}"), DIRECTORY),
        Edit::UpdatePrincipal { name, .. } => owner(Change, format!("principal {name}"), DIRECTORY),
        Edit::AddImage { image, .. } => {
            owner(Create, format!("managed image {}", image.name), IMAGES)
        }
        Edit::DeleteImage { name } => owner(Delete, format!("managed image {name}"), IMAGES),
        Edit::UpdateImage { name, .. } => owner(Change, format!("managed image {name}"), IMAGES),
        Edit::AddGallery { gallery, .. } => {
            owner(Create, format!("gallery {}", gallery.name), GALLERIES)
        }
        Edit::DeleteGallery { name, .. } => same(Delete, ResourcePath::gallery(name)),
        Edit::UpdateGallery { name, .. } => same(Change, ResourcePath::gallery(name)),
        Edit::AddDefinition {
            gallery,
            definition,
            ..
        } => role(
            Create,
            ResourcePath::gallery(gallery),
            ResourcePath::definition(gallery, &definition.name),
        ),
        Edit::DeleteDefinition { gallery, name, .. } => {
            same(Delete, ResourcePath::definition(gallery, name))
        }
        Edit::UpdateDefinition { gallery, name, .. } => {
            same(Change, ResourcePath::definition(gallery, name))
        }
        Edit::AddVersion {
            gallery,
            definition,
            version,
            ..
        } => role(
            Create,
            ResourcePath::definition(gallery, definition),
            ResourcePath::version(gallery, definition, &version.name),
        ),
        Edit::DeleteVersion {
            gallery,
            definition,
            name,
        } => same(Delete, ResourcePath::version(gallery, definition, name)),
        Edit::UpdateVersion {
            gallery,
            definition,
            name,
            ..
        } => same(Change, ResourcePath::version(gallery, definition, name)),
        // A scope that is not a resource path is refused by the edit itself.
        Edit::AddGrant { grant, .. } => match ResourcePath::parse(&grant.scope) {
            Some(scope) => same(Grant, scope),
            None => Need::Nothing,
        },
        Edit::DeleteGrant { index } => match ws
            .grants
            .get(*index)
            .and_then(|g| ResourcePath::parse(&g.scope))
        {
            Some(scope) => same(Revoke, scope),
            None => Need::Nothing,
        },
    }
}

/// The roles `actor` holds on `path` through its grants and groups (grants of another tenant
/// than the gallery's give nothing).
fn roles_held(ws: &Workspace, dir: &Directory<'_>, actor: u32, path: &ResourcePath) -> RoleSet {
    let mut holders = vec![false; ws.principals.len()];
    for (holder, _) in dir.holders(actor) {
        if let Some(h) = holders.get_mut(holder as usize) {
            *h = true;
        }
    }
    let tenant = path
        .gallery_name()
        .and_then(|g| ws.gallery(g))
        .map(|g| g.tenant.as_str());
    let same_tenant = |id: u32| {
        dir.principal(id)
            .is_some_and(|p| Some(p.tenant.as_str()) == tenant)
    };
    if !same_tenant(actor) {
        return RoleSet::EMPTY;
    }
    let mut held = RoleSet::EMPTY;
    for grant in &ws.grants {
        let Some(holder) = dir.id(&grant.principal) else {
            continue;
        };
        if !holders.get(holder as usize).copied().unwrap_or(false) || !same_tenant(holder) {
            continue;
        }
        if ResourcePath::parse(&grant.scope).is_some_and(|scope| path.is_within(&scope)) {
            held.insert(grant.role);
        }
    }
    held
}

/// `on it, on g/d or on g` (or `on g/d or on g` when the scope is not the edited resource).
fn scopes_text(path: &ResourcePath, scopes: &[String]) -> String {
    let items: Vec<String> = scopes
        .iter()
        .map(|s| {
            if *s == path.to_string() {
                "on it".to_owned()
            } else {
                format!("on {s}")
            }
        })
        .collect();
    match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn subject(action: Action, path: &ResourcePath) -> String {
    match action {
        Action::Grant | Action::Revoke => format!("{} {path}", action.verb()),
        _ => format!("{} {} {path}", action.verb(), path.kind()),
    }
}

/// Whether `actor` (the principal the app acts as; `None` for the workspace owner) may make
/// `edit` on `ws`. A refusal names the missing role and where it is needed.
pub fn authorize(ws: &Workspace, actor: Option<&str>, edit: &Edit) -> Result<(), Refusal> {
    let Some(actor) = actor else {
        return Ok(());
    };
    let dir = Directory::new(&ws.principals);
    check(ws, &dir, actor, edit)
}

fn check(ws: &Workspace, dir: &Directory<'_>, actor: &str, edit: &Edit) -> Result<(), Refusal> {
    if let Edit::Batch { edits, .. } = edit {
        return edits.iter().try_for_each(|e| check(ws, dir, actor, e));
    }
    let refusal = |action, path: String, needed, message| Refusal {
        actor: actor.to_owned(),
        action,
        path,
        needed,
        message,
    };
    match need(ws, edit) {
        Need::Nothing => Ok(()),
        Need::Owner { action, what, why } => Err(refusal(
            action,
            what.clone(),
            Vec::new(),
            format!(
                "{actor} cannot {} {what}: only the workspace owner may ({why})",
                action.verb()
            ),
        )),
        Need::Role {
            action,
            scope,
            path,
        } => role_check(ws, dir, actor, action, &scope, &path),
    }
}

/// Whether `actor` (`None`: the workspace owner) may take `action` on the gallery, definition
/// or version at `path` without changing it (deploying from it): the rule [`authorize`]
/// applies to edits, asked of an action.
pub fn authorize_action(
    ws: &Workspace,
    actor: Option<&str>,
    action: Action,
    path: &ResourcePath,
) -> Result<(), Refusal> {
    let Some(actor) = actor else {
        return Ok(());
    };
    let dir = Directory::new(&ws.principals);
    role_check(ws, &dir, actor, action, path, path)
}

/// `action` on `scope` (or above) for the resource `path`, refused with the missing roles.
fn role_check(
    ws: &Workspace,
    dir: &Directory<'_>,
    actor: &str,
    action: Action,
    scope: &ResourcePath,
    path: &ResourcePath,
) -> Result<(), Refusal> {
    let refusal = |action, path: String, needed, message| Refusal {
        actor: actor.to_owned(),
        action,
        path,
        needed,
        message,
    };
    let needed = roles_allowing(action);
    let mut scopes = Vec::new();
    let mut at = Some(scope.clone());
    while let Some(p) = at {
        at = p.parent();
        scopes.push(p.to_string());
    }
    let Some(id) = dir.id(actor) else {
        let message = format!(
            "\"{actor}\" is not a principal of this workspace, so acting as it allows nothing; act as the workspace owner or as one of its principals"
        );
        return Err(refusal(action, path.to_string(), needed, message));
    };
    let held = roles_held(ws, dir, id, scope);
    if held.allows(action) {
        return Ok(());
    }
    let mut message = format!(
        "{actor} cannot {}: needs {} {}",
        subject(action, path),
        roles_text(&needed),
        scopes_text(path, &scopes)
    );
    if !held.is_empty() {
        let labels: Vec<&str> = held.roles().into_iter().map(role_label).collect();
        message.push_str(&format!(" (holds {})", labels.join(" and ")));
    }
    Err(refusal(action, path.to_string(), needed, message))
}

/// Why a principal of `principal_tenant` cannot be granted a role on a resource of `gallery`,
/// which belongs to `gallery_tenant`, if it cannot: grants stay inside the gallery's tenant.
pub fn tenant_refusal(
    principal_tenant: &str,
    gallery: &str,
    gallery_tenant: &str,
) -> Option<String> {
    (principal_tenant != gallery_tenant).then(|| {
        format!(
            "in tenant {principal_tenant}; gallery {gallery} belongs to tenant {gallery_tenant}"
        )
    })
}
