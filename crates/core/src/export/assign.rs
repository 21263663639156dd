//! Role assignments as the export writes them: one per assignment Azure holds (a grant listed
//! twice, or one resource-group assignment the workspace spells as a grant per gallery, is one
//! assignment), with its Azure name and object id when the import saw them, and the scope it
//! really lives at.

use std::collections::{HashMap, HashSet};

use super::{Selection, is_object_id};
use crate::model::{Gallery, Grant, Role, RoleAssignment, Workspace};

/// Where an assignment lives.
#[derive(Clone, Debug)]
pub enum AssignmentScope<'w> {
    /// A gallery, definition or version: the grant's own path, in its gallery.
    Resource {
        gallery: &'w Gallery,
        path: Vec<&'w str>,
    },
    /// An ARM id above the galleries (a resource group or subscription).
    Above(&'w str),
}

/// One role assignment to write.
pub struct AssignmentItem<'w> {
    pub grant: &'w Grant,
    pub record: Option<&'w RoleAssignment>,
    pub scope: AssignmentScope<'w>,
}

impl<'w> AssignmentItem<'w> {
    /// The assignment's Azure name, when known.
    pub fn name(&self) -> Option<&'w str> {
        self.record
            .map(|r| r.name.as_str())
            .filter(|n| is_object_id(n))
    }

    /// The principal's object id, when known (recorded, or the grant names a GUID).
    pub fn object_id(&self) -> Option<&'w str> {
        self.record
            .map(|r| r.principal_id.as_str())
            .filter(|id| is_object_id(id))
            .or_else(|| {
                is_object_id(&self.grant.principal).then_some(self.grant.principal.as_str())
            })
    }
}

/// What [`Assignments::item`] looks up once per grant, by hash: the workspace's records of
/// role assignments by grant and its galleries by name. Scanning both lists per grant costs the
/// square of a workspace with 100,000 assignments.
pub struct Assignments<'w> {
    /// (role, lower-case principal, lower-case scope) → the first record describing that grant
    /// (as [`Workspace::assignment_of`] finds it).
    records: HashMap<(Role, String, String), &'w RoleAssignment>,
    /// Gallery name → the first gallery of that name (as [`Workspace::gallery`] finds it).
    galleries: HashMap<&'w str, &'w Gallery>,
}

impl<'w> Assignments<'w> {
    pub fn new(ws: &'w Workspace) -> Self {
        let mut records = HashMap::with_capacity(ws.assignments.len());
        for a in &ws.assignments {
            records
                .entry(key(a.role, &a.principal, &a.scope))
                .or_insert(a);
        }
        let mut galleries = HashMap::with_capacity(ws.galleries.len());
        for g in &ws.galleries {
            galleries.entry(g.name.as_str()).or_insert(g);
        }
        Self { records, galleries }
    }

    /// The gallery named `name` (as [`Workspace::gallery`] finds it).
    pub fn gallery(&self, name: &str) -> Option<&'w Gallery> {
        self.galleries.get(name).copied()
    }

    /// The assignment behind one grant; `None` when its gallery is not in the workspace.
    pub fn item(&self, grant: &'w Grant) -> Option<AssignmentItem<'w>> {
        let record = self
            .records
            .get(&key(grant.role, &grant.principal, &grant.scope))
            .copied();
        let gallery = *self.galleries.get(grant.scope.split('/').next()?)?;
        let scope = match record
            .map(|r| r.arm_scope.as_str())
            .filter(|s| !s.is_empty())
        {
            Some(above) => AssignmentScope::Above(above),
            None => AssignmentScope::Resource {
                gallery,
                path: grant.scope.split('/').collect(),
            },
        };
        Some(AssignmentItem {
            grant,
            record,
            scope,
        })
    }
}

fn key(role: Role, principal: &str, scope: &str) -> (Role, String, String) {
    (
        role,
        principal.to_ascii_lowercase(),
        scope.to_ascii_lowercase(),
    )
}

/// The assignments of a selection's grants, each once.
pub fn items<'w>(selection: &Selection<'w>) -> Vec<AssignmentItem<'w>> {
    let assignments = Assignments::new(selection.ws);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for grant in &selection.grants {
        let Some(item) = assignments.item(grant) else {
            continue;
        };
        let key = match item.name() {
            Some(name) => name.to_ascii_lowercase(),
            None => format!(
                "{}|{:?}|{}|{}",
                grant.principal.to_ascii_lowercase(),
                grant.role,
                grant.scope.to_ascii_lowercase(),
                match &item.scope {
                    AssignmentScope::Above(s) => s.to_ascii_lowercase(),
                    AssignmentScope::Resource { gallery, .. } => gallery.arm_id().to_lowercase(),
                }
            ),
        };
        if seen.insert(key) {
            out.push(item);
        }
    }
    out
}
