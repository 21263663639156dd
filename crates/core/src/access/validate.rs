//! Access problems a file can hold even though edits refuse them: membership cycles, and grants
//! to a principal of another tenant than the gallery's. Part of `model::validate`.

use crate::model::{Problem, ResourcePath, Severity, Workspace};

use super::groups::Directory;
use super::roles::role_label;

/// Whether a name holds a control character (a line break, an escape sequence…): the service
/// refuses such names, and they would garble every list and report that shows them.
pub fn has_control_character(name: &str) -> bool {
    name.chars().any(char::is_control)
}

fn control_character_problem(path: ResourcePath, what: &str, name: &str) -> Problem {
    Problem {
        message: format!(
            "The {what} name \"{}\" contains a control character (a line break, tab or escape): names may not",
            name.escape_debug()
        ),
        path,
        field: Some("name"),
        region: None,
        severity: Severity::Error,
    }
}

/// Membership cycles, cross-tenant grants and tenant and principal names with control
/// characters, in the style of `model::rules`.
pub fn validate(ws: &Workspace) -> Vec<Problem> {
    let mut problems = Vec::new();
    for tenant in &ws.tenants {
        if has_control_character(&tenant.name) {
            problems.push(control_character_problem(
                ResourcePath::Tenant(tenant.name.clone()),
                "tenant",
                &tenant.name,
            ));
        }
    }
    for principal in &ws.principals {
        if has_control_character(&principal.name) {
            problems.push(control_character_problem(
                ResourcePath::Principal(principal.name.clone()),
                principal.kind.label().to_lowercase().as_str(),
                &principal.name,
            ));
        }
    }
    let dir = Directory::new(&ws.principals);
    for cycle in dir.cycles() {
        let Some(first) = cycle.groups.first() else {
            continue;
        };
        problems.push(Problem {
            path: ResourcePath::Principal(first.clone()),
            field: Some("members"),
            region: None,
            severity: Severity::Error,
            message: format!(
                "Group membership cycle: {} (each is a member of the next); members get every group's grants, but the cycle should be broken",
                cycle.text()
            ),
        });
    }
    // By name, the first of equal names (as `Workspace::gallery` and `principal` find them):
    // one look-up per grant, not a scan.
    let mut galleries = std::collections::HashMap::with_capacity(ws.galleries.len());
    for gallery in &ws.galleries {
        galleries.entry(gallery.name.as_str()).or_insert(gallery);
    }
    let mut principals = std::collections::HashMap::with_capacity(ws.principals.len());
    for principal in &ws.principals {
        principals
            .entry(principal.name.as_str())
            .or_insert(principal);
    }
    for grant in &ws.grants {
        let Some(scope) = ResourcePath::parse(&grant.scope) else {
            continue;
        };
        let gallery = match &scope {
            ResourcePath::Gallery(g)
            | ResourcePath::Definition(g, _)
            | ResourcePath::Version(g, ..) => galleries.get(g.as_str()).copied(),
            _ => None,
        };
        let principal = principals.get(grant.principal.as_str()).copied();
        let (Some(gallery), Some(principal)) = (gallery, principal) else {
            continue;
        };
        if principal.tenant != gallery.tenant {
            problems.push(Problem {
                path: scope,
                field: Some("grants"),
                region: None,
                severity: Severity::Error,
                message: format!(
                    "{} on {} is granted to {} \"{}\" of tenant \"{}\", but gallery \"{}\" belongs to tenant \"{}\": sharing stays within one tenant, so the grant gives nothing",
                    role_label(grant.role),
                    grant.scope,
                    principal.kind.label().to_lowercase(),
                    principal.name,
                    principal.tenant,
                    gallery.name,
                    gallery.tenant
                ),
            });
        }
    }
    problems
}
