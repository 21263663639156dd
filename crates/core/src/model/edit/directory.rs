//! Edits of the directory and of access: tenants, principals and grants. A principal's rename
//! carries its grants and group memberships along; its delete removes them, and undo puts
//! them back.

use super::super::{Grant, Principal, PrincipalKind, ResourcePath, Tenant, Workspace};
use super::Edit;
use super::error::{CrossTenant, EditError, EditErrorKind, not_found};
use super::siblings::{blocked, ensure_unique, find, insert_at, remove_grants};

pub(super) fn add_tenant(
    ws: &mut Workspace,
    index: Option<usize>,
    tenant: Tenant,
) -> Result<Edit, EditError> {
    let path = ResourcePath::Tenant(tenant.name.clone());
    if tenant.name.trim().is_empty() {
        return Err(EditError::new(
            &path,
            EditErrorKind::NameMissing { kind: path.kind() },
        ));
    }
    ensure_unique(&ws.tenants, &tenant.name, None, &path)?;
    let name = tenant.name.clone();
    insert_at(&mut ws.tenants, index, tenant);
    Ok(Edit::DeleteTenant { name })
}

pub(super) fn delete_tenant(ws: &mut Workspace, name: String) -> Result<Edit, EditError> {
    let path = ResourcePath::Tenant(name.clone());
    let index = find(&ws.tenants, &path)?;
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
        let reason = format!("The tenant is still used by {}", users.join(", "));
        return Err(blocked(&path, reason));
    }
    let tenant = ws.tenants.remove(index);
    Ok(Edit::AddTenant {
        index: Some(index),
        tenant,
    })
}

pub(super) fn add_principal(
    ws: &mut Workspace,
    index: Option<usize>,
    principal: Principal,
) -> Result<Edit, EditError> {
    check_principal(ws, &principal, None)?;
    let name = principal.name.clone();
    insert_at(&mut ws.principals, index, principal);
    Ok(Edit::DeletePrincipal { name })
}

pub(super) fn delete_principal(ws: &mut Workspace, name: String) -> Result<Edit, EditError> {
    let path = ResourcePath::Principal(name.clone());
    let index = find(&ws.principals, &path)?;
    let mut restore = Vec::new();
    // Memberships in groups, then grants, then the principal: undo re-adds in reverse.
    for group in &mut ws.principals {
        if group.members.contains(&name) {
            restore.push(Edit::UpdatePrincipal {
                name: group.name.clone(),
                principal: group.clone(),
            });
            group.members.retain(|m| *m != name);
        }
    }
    let grants = remove_grants(ws, |g| g.principal == name);
    let principal = ws.principals.remove(index);
    let mut edits = vec![Edit::AddPrincipal {
        index: Some(index),
        principal,
    }];
    edits.extend(grants);
    edits.extend(restore);
    Ok(Edit::Batch {
        label: format!("Restore principal {name}"),
        edits,
    })
}

pub(super) fn update_principal(
    ws: &mut Workspace,
    name: String,
    principal: Principal,
) -> Result<Edit, EditError> {
    let path = ResourcePath::Principal(name.clone());
    let index = find(&ws.principals, &path)?;
    check_principal(ws, &principal, Some(index))?;
    let new_name = principal.name.clone();
    let old = std::mem::replace(&mut ws.principals[index], principal);
    if new_name != name {
        for grant in &mut ws.grants {
            if grant.principal == name {
                grant.principal.clone_from(&new_name);
            }
        }
        for member in ws.principals.iter_mut().flat_map(|g| &mut g.members) {
            if *member == name {
                member.clone_from(&new_name);
            }
        }
    }
    Ok(Edit::UpdatePrincipal {
        name: new_name,
        principal: old,
    })
}

pub(super) fn add_grant(
    ws: &mut Workspace,
    index: Option<usize>,
    grant: Grant,
) -> Result<Edit, EditError> {
    check_grant(ws, &grant)?;
    let index = insert_at(&mut ws.grants, index, grant);
    Ok(Edit::DeleteGrant { index })
}

pub(super) fn delete_grant(ws: &mut Workspace, index: usize) -> Result<Edit, EditError> {
    if index >= ws.grants.len() {
        return Err(EditError::new(
            "grants",
            EditErrorKind::NoSuchGrant { number: index + 1 },
        ));
    }
    let grant = ws.grants.remove(index);
    Ok(Edit::AddGrant {
        index: Some(index),
        grant,
    })
}

/// Checks a principal about to be added, or to replace the one at `replacing`.
fn check_principal(
    ws: &Workspace,
    principal: &Principal,
    replacing: Option<usize>,
) -> Result<(), EditError> {
    let path = ResourcePath::Principal(principal.name.clone());
    let refuse = |kind| Err(EditError::new(&path, kind));
    if principal.name.trim().is_empty() {
        return refuse(EditErrorKind::NameMissing { kind: path.kind() });
    }
    ensure_unique(&ws.principals, &principal.name, replacing, &path)?;
    if !ws.tenants.iter().any(|t| t.name == principal.tenant) {
        return refuse(EditErrorKind::UnknownTenant {
            tenant: principal.tenant.clone(),
        });
    }
    if principal.kind != PrincipalKind::Group && !principal.members.is_empty() {
        return refuse(EditErrorKind::MembersOfNonGroup);
    }
    // The principal's current name counts as itself too: a rename makes members follow it.
    let old_name = replacing
        .and_then(|i| ws.principals.get(i))
        .map(|p| p.name.as_str());
    for member in &principal.members {
        if *member == principal.name || Some(member.as_str()) == old_name {
            return refuse(EditErrorKind::MemberOfItself);
        }
        if ws.principal(member).is_none() {
            return refuse(EditErrorKind::UnknownMember {
                member: member.clone(),
            });
        }
    }
    Ok(())
}

/// Checks a grant about to be added: a scope that exists, a principal of the gallery's tenant,
/// not held already.
fn check_grant(ws: &Workspace, grant: &Grant) -> Result<(), EditError> {
    let Some(scope) = ResourcePath::parse(&grant.scope) else {
        return Err(EditError::new(&grant.scope, EditErrorKind::NotAScope));
    };
    let refuse = |kind| Err(EditError::new(&scope, kind));
    let Some(gallery_name) = scope.gallery_name() else {
        return refuse(EditErrorKind::NotGrantable);
    };
    let gallery = ws
        .gallery(gallery_name)
        .ok_or_else(|| not_found(&ResourcePath::gallery(gallery_name)))?;
    if ws.resolve(&scope).is_none() {
        return Err(not_found(&scope));
    }
    let Some(principal) = ws.principal(&grant.principal) else {
        return refuse(EditErrorKind::UnknownPrincipal {
            principal: grant.principal.clone(),
        });
    };
    if principal.tenant != gallery.tenant {
        return refuse(EditErrorKind::OtherTenant(Box::new(CrossTenant {
            principal_kind: principal.kind.label().to_lowercase(),
            principal: principal.name.clone(),
            principal_tenant: principal.tenant.clone(),
            gallery: gallery.name.clone(),
            gallery_tenant: gallery.tenant.clone(),
        })));
    }
    if ws
        .grants
        .iter()
        .any(|g| g.principal == grant.principal && g.role == grant.role && g.scope == grant.scope)
    {
        return refuse(EditErrorKind::GrantHeld {
            principal: grant.principal.clone(),
            role: grant.role,
        });
    }
    Ok(())
}
