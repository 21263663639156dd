//! The directory and access: tenant and principal names, group members, and grants whose
//! principal and scope exist.

use std::collections::{HashMap, HashSet};

use super::super::{PrincipalKind, ResourcePath, Workspace};
use super::{Report, Severity};

pub(super) fn validate_tenants_and_principals(ws: &Workspace, report: &mut Report<'_>) {
    let mut tenants = HashSet::new();
    for tenant in &ws.tenants {
        if tenant.name.is_empty() || !tenants.insert(tenant.name.as_str()) {
            report.push(
                || ResourcePath::Tenant(tenant.name.clone()),
                Some("name"),
                Severity::Error,
                format!(
                    "Tenant names must be non-empty and unique (\"{}\")",
                    tenant.name
                ),
            );
        }
    }
    let names: HashMap<&str, PrincipalKind> = ws
        .principals
        .iter()
        .map(|p| (p.name.as_str(), p.kind))
        .collect();
    let mut seen = HashSet::new();
    for principal in &ws.principals {
        let path = || ResourcePath::Principal(principal.name.clone());
        if principal.name.is_empty() {
            report.push(
                path,
                Some("name"),
                Severity::Error,
                "A principal has no name".to_owned(),
            );
        } else if !seen.insert(principal.name.as_str()) {
            report.push(
                path,
                Some("name"),
                Severity::Error,
                "Another principal has the same name".to_owned(),
            );
        }
        if !ws.tenants.iter().any(|t| t.name == principal.tenant) {
            report.push(
                path,
                Some("tenant"),
                Severity::Error,
                format!(
                    "The tenant \"{}\" is not defined in this workspace",
                    principal.tenant
                ),
            );
        }
        if principal.kind != PrincipalKind::Group && !principal.members.is_empty() {
            report.push(
                path,
                Some("members"),
                Severity::Error,
                "Only groups have members".to_owned(),
            );
        }
        for member in &principal.members {
            if !names.contains_key(member.as_str()) {
                report.push(
                    path,
                    Some("members"),
                    Severity::Error,
                    format!("The member \"{member}\" is not a principal of this workspace"),
                );
            }
        }
    }
}

pub(super) fn validate_grants(ws: &Workspace, report: &mut Report<'_>) {
    // One look-up per grant, not a scan of the principals and galleries.
    let lookup = crate::access::Lookup::new(ws);
    for grant in &ws.grants {
        let scope = ResourcePath::parse(&grant.scope);
        let path = || {
            scope
                .clone()
                .unwrap_or_else(|| ResourcePath::gallery(&grant.scope))
        };
        if lookup.principal(&grant.principal).is_none() {
            report.push(
                path,
                Some("grants"),
                Severity::Error,
                format!(
                    "A grant names principal \"{}\", which is not in this workspace",
                    grant.principal
                ),
            );
        }
        // Grants are on galleries, definitions and versions only.
        if !scope.as_ref().is_some_and(|s| lookup.contains(s)) {
            report.push(
                path,
                Some("grants"),
                Severity::Error,
                format!(
                    "A grant to \"{}\" has scope \"{}\", which is not a gallery, image definition or image version of this workspace",
                    grant.principal, grant.scope
                ),
            );
        }
    }
}
