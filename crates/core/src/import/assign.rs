//! Role assignments (`az role assignment list -o json`, or REST role assignment bodies) →
//! principals and grants on the galleries, definitions and versions in their scope.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::convert::Merge;
use super::json::{Cx, Obj, join};
use crate::access::roles::{ROLES, role_label, role_named};
use crate::model::azure::ArmId;
use crate::model::{Grant, Principal, PrincipalKind, Role, RoleAssignment, Workspace};

fn role_by_name(name: &str) -> Option<Role> {
    ROLES
        .into_iter()
        .find(|r| role_label(*r).eq_ignore_ascii_case(name.trim()))
}

/// The role of a role definition id: bare GUID, full id
/// (`/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{role}`: the role is
/// the last GUID, never the subscription's), or inside a template expression.
fn role_by_id(id: &str) -> Option<Role> {
    role_named(crate::export::last_guid_in(id).unwrap_or(id))
}

/// What role assignments look up, once per assignment: principals by name and existing grants
/// (any case), and galleries' tenants. Built at the first assignment (every resource of the
/// import is merged by then), kept up to date as principals and grants are added: scanning the
/// lists instead costs the square of an import of 100,000 assignments.
#[derive(Default)]
pub(crate) struct Assigner {
    built: bool,
    /// Lower-case principal name → the first principal of that name.
    principals: HashMap<String, usize>,
    /// (role, lower-case principal, lower-case scope) of every grant.
    grants: HashSet<(Role, String, String)>,
    /// Gallery name → its tenant (the first gallery of that name).
    tenants: HashMap<String, String>,
    /// (role, lower-case principal, lower-case scope) → the records of `ws.assignments` that
    /// describe that grant and are kept.
    assignments: HashMap<(Role, String, String), Vec<usize>>,
    /// Records of `ws.assignments` replaced by a later one, removed by [`Self::finish`].
    replaced: Vec<usize>,
}

impl Assigner {
    fn build(&mut self, ws: &Workspace) {
        if std::mem::replace(&mut self.built, true) {
            return;
        }
        for (i, p) in ws.principals.iter().enumerate() {
            self.principals
                .entry(p.name.to_ascii_lowercase())
                .or_insert(i);
        }
        self.grants = ws.grants.iter().map(grant_key).collect();
        for g in &ws.galleries {
            self.tenants
                .entry(g.name.clone())
                .or_insert_with(|| g.tenant.clone());
        }
        for (i, a) in ws.assignments.iter().enumerate() {
            self.assignments
                .entry(assignment_key(a))
                .or_default()
                .push(i);
        }
    }

    /// Records what Azure knows of the assignment behind a grant: it replaces every earlier
    /// record of that grant (they are removed by [`Self::finish`], so the records stay in the
    /// order a removal and an append each time would leave them).
    fn record(&mut self, ws: &mut Workspace, record: RoleAssignment) {
        let kept = self.assignments.entry(assignment_key(&record)).or_default();
        self.replaced.append(kept);
        kept.push(ws.assignments.len());
        ws.assignments.push(record);
    }

    /// Removes the records replaced during the import.
    pub(crate) fn finish(mut self, ws: &mut Workspace) {
        if self.replaced.is_empty() {
            return;
        }
        self.replaced.sort_unstable();
        let mut replaced = self.replaced.into_iter().peekable();
        let mut i = 0;
        ws.assignments.retain(|_| {
            let drop = replaced.next_if_eq(&i).is_some();
            i += 1;
            !drop
        });
    }
}

fn assignment_key(a: &RoleAssignment) -> (Role, String, String) {
    (
        a.role,
        a.principal.to_ascii_lowercase(),
        a.scope.to_ascii_lowercase(),
    )
}

fn grant_key(grant: &Grant) -> (Role, String, String) {
    (
        grant.role,
        grant.principal.to_ascii_lowercase(),
        grant.scope.to_ascii_lowercase(),
    )
}

fn principal_kind(text: &str) -> Option<PrincipalKind> {
    PrincipalKind::parse(text)
}

/// One assignment; `false` when it was skipped (with a warning).
pub(crate) fn assignment(
    merge: &mut Merge<'_>,
    assigner: &mut Assigner,
    cx: &mut Cx<'_>,
    mut obj: Obj,
) -> bool {
    assigner.build(merge.ws);
    // The REST shape keeps everything under `properties`; the az CLI flattens it.
    if let Some(Value::Object(props)) = obj.map.remove("properties") {
        for (k, v) in props {
            obj.map.entry(k).or_insert(v);
        }
    }
    let path = obj.path.clone();
    let assignment_name = obj
        .str(cx, "name")
        .filter(|n| crate::export::is_object_id(n));
    let principal_id = obj
        .map
        .get("principalId")
        .and_then(Value::as_str)
        .filter(|id| crate::export::is_object_id(id))
        .map(str::to_owned);
    let Some(role) = role(cx, &mut obj, &path) else {
        return false;
    };
    let name = obj
        .str(cx, "principalName")
        .filter(|n| !n.is_empty())
        .or_else(|| obj.str(cx, "principalId"));
    let Some(name) = name else {
        cx.warn(&path, "the assignment names no principal: skipped");
        return false;
    };
    let kind = principal_type(cx, &mut obj, &path);
    let Some((scope_text, scopes)) = scopes(merge, cx, &mut obj, &path) else {
        return false;
    };
    let principal_name = principal(merge, assigner, name, kind, &scopes[0]);
    // The scope the assignment lives at, when it is above the galleries it covers.
    let above = ArmId::parse(&scope_text)
        .is_none_or(|id| id.gallery_path().is_none())
        .then(|| scope_text.trim_end_matches('/').to_owned());
    let ids = Ids {
        assignment_name,
        principal_id,
        above,
    };
    grant(merge, assigner, &principal_name, role, scopes, &ids);
    true
}

/// The assignment's role, by name or by role definition id; `None` (with a warning) when it is
/// not one SIG Studio models.
fn role(cx: &mut Cx<'_>, obj: &mut Obj, path: &str) -> Option<Role> {
    let role_name = obj.str(cx, "roleDefinitionName");
    let role_id = obj.str(cx, "roleDefinitionId");
    let role = match (&role_name, &role_id) {
        (Some(name), _) => role_by_name(name),
        (None, Some(id)) => role_by_id(id),
        (None, None) => None,
    };
    let Some(role) = role else {
        let what = role_name
            .or(role_id)
            .map_or_else(|| "no role".to_owned(), |r| format!("\"{r}\""));
        let known: Vec<&str> = ROLES.iter().map(|r| role_label(*r)).collect();
        cx.warn(
            &join(path, "roleDefinitionName"),
            format!(
                "{what} is not a role SIG Studio models ({}): the assignment is skipped",
                known.join(", ")
            ),
        );
        return None;
    };
    Some(role)
}

/// The principal's kind from `principalType`: a foreign group is a group, anything else
/// unknown a user (with a warning).
fn principal_type(cx: &mut Cx<'_>, obj: &mut Obj, path: &str) -> PrincipalKind {
    let kind_text = obj.str(cx, "principalType").unwrap_or_default();
    principal_kind(&kind_text).unwrap_or_else(|| {
        if kind_text.eq_ignore_ascii_case("ForeignGroup") {
            PrincipalKind::Group
        } else {
            if !kind_text.is_empty() {
                cx.warn(
                    &join(path, "principalType"),
                    format!("\"{kind_text}\" is not a principal type (User, ServicePrincipal or Group): taken as a user"),
                );
            }
            PrincipalKind::User
        }
    })
}

/// The assignment's scope as written, and the workspace paths it covers (at least one); `None`
/// (with a warning) when it covers none.
fn scopes(
    merge: &Merge<'_>,
    cx: &mut Cx<'_>,
    obj: &mut Obj,
    path: &str,
) -> Option<(String, Vec<String>)> {
    let Some(scope_text) = obj.str(cx, "scope") else {
        cx.warn(path, "the assignment has no scope: skipped");
        return None;
    };
    let Some(scopes) = ArmId::parse(&scope_text)
        .or_else(|| (scope_text.trim() == "/").then(ArmId::default))
        .and_then(|scope| merge.scope_paths(&scope))
    else {
        cx.warn(
            &join(path, "scope"),
            format!("\"{scope_text}\" is neither a gallery, definition or version in the input or the workspace, nor a resource group or subscription holding one: skipped"),
        );
        return None;
    };
    if scopes.is_empty() {
        cx.warn(
            &join(path, "scope"),
            format!("no gallery of the input or the workspace is in \"{scope_text}\": skipped"),
        );
        return None;
    }
    Some((scope_text, scopes))
}

/// The principal: found by name (any case), else added in the first scope's tenant. Returns
/// its name as the workspace spells it.
fn principal(
    merge: &mut Merge<'_>,
    assigner: &mut Assigner,
    name: String,
    kind: PrincipalKind,
    first_scope: &str,
) -> String {
    let gallery = first_scope.split('/').next().unwrap_or_default();
    let tenant = match assigner.tenants.get(gallery) {
        Some(tenant) if !tenant.is_empty() => tenant.clone(),
        _ => merge.tenant_of(first_scope),
    };
    let ws = &mut *merge.ws;
    let known = assigner.principals.get(&name.to_ascii_lowercase()).copied();
    match known.and_then(|i| ws.principals.get_mut(i)) {
        Some(existing) => {
            let first = merge.seen_principals.insert(existing.name.to_lowercase());
            if existing.kind != kind {
                existing.kind = kind;
                merge.principals.updated += 1;
            } else if first {
                merge.principals.unchanged += 1;
            }
            existing.name.clone()
        }
        None => {
            merge.seen_principals.insert(name.to_lowercase());
            assigner
                .principals
                .insert(name.to_ascii_lowercase(), ws.principals.len());
            ws.principals.push(Principal {
                name: name.clone(),
                kind,
                tenant,
                members: Vec::new(),
            });
            merge.principals.added += 1;
            name
        }
    }
}

/// What Azure names an assignment by: its own name and its principal's object id (when they
/// are ids), and the scope it lives at when that is above the galleries it covers.
struct Ids {
    assignment_name: Option<String>,
    principal_id: Option<String>,
    above: Option<String>,
}

/// The grants of an assignment, one per scope it covers, with a record of the assignment
/// behind each when Azure's names for it are known.
fn grant(
    merge: &mut Merge<'_>,
    assigner: &mut Assigner,
    principal_name: &str,
    role: Role,
    scopes: Vec<String>,
    ids: &Ids,
) {
    let ws = &mut *merge.ws;
    let Ids {
        assignment_name,
        principal_id,
        above,
    } = ids;
    for scope in scopes {
        let grant = Grant {
            principal: principal_name.to_owned(),
            role,
            scope,
        };
        merge.touched.grants.push(grant.clone());
        if assignment_name.is_some() || principal_id.is_some() || above.is_some() {
            let record = RoleAssignment {
                principal: principal_name.to_owned(),
                role,
                scope: grant.scope.clone(),
                name: assignment_name.clone().unwrap_or_default(),
                principal_id: principal_id.clone().unwrap_or_default(),
                arm_scope: above.clone().unwrap_or_default(),
            };
            assigner.record(ws, record);
        }
        if assigner.grants.insert(grant_key(&grant)) {
            ws.grants.push(grant);
            merge.grants.added += 1;
        } else {
            merge.grants.unchanged += 1;
        }
    }
}
