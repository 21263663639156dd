//! Azure as last seen after a run: what each step that succeeded changed in Azure, laid over what
//! was seen before, so that the plan from it holds only what is left (applying again continues
//! rather than repeats). A version written takes the planned version with the replication
//! state Azure last gave for the regions it had; a region it did not have is Queued (Azure
//! starts copying to it once the version's operation is accepted) until Azure is read again,
//! which the live connection's poll does for whatever is queued or replicating. Role assignments written are recorded with their Azure names.

use super::{StepState, StepStatus};
use crate::export::assign::{AssignmentScope, Assignments};
use crate::model::{
    AzureSeen, Gallery, Grant, ImageDefinition, Principal, RegionState, ReplicaStatus,
    RoleAssignment, Workspace,
};
use crate::plan::{Action, Kind, Plan, Step, find};

fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Azure as last seen in `ws` with the steps of `plan` that `steps` says are done, and the
/// workspace's role assignment records with the ones written.
pub fn record(
    ws: &Workspace,
    plan: &Plan,
    steps: &[StepStatus],
) -> (AzureSeen, Vec<RoleAssignment>) {
    let (origin, mut galleries, mut principals, mut grants, mut references) = match &ws.azure {
        Some(seen) => seen.as_ref().clone().into_parts(),
        None => Default::default(),
    };
    let mut assignments = ws.assignments.clone();
    let lookup = Assignments::new(ws);
    for (step, status) in plan.steps.iter().zip(steps) {
        if status.state != StepState::Done {
            continue;
        }
        match (step.kind, &step.grant) {
            (Kind::RoleAssignment, Some(grant)) => {
                let key = |g: &Grant| {
                    g.role == grant.role
                        && same(&g.principal, &grant.principal)
                        && same(&g.scope, &grant.scope)
                };
                grants.retain(|g| !key(g));
                assignments.retain(|a| !a.describes(grant));
                if step.action == Action::Delete {
                    continue;
                }
                grants.push(grant.clone());
                if let Some(p) = ws.principal(&grant.principal)
                    && !principals.iter().any(|x| same(&x.name, &p.name))
                {
                    principals.push(Principal {
                        members: Vec::new(),
                        ..p.clone()
                    });
                }
                if let Some((name, principal_id)) = &status.assignment {
                    let arm_scope = match lookup.item(grant).map(|i| i.scope) {
                        Some(AssignmentScope::Above(id)) => id.to_owned(),
                        _ => String::new(),
                    };
                    assignments.push(RoleAssignment {
                        principal: grant.principal.clone(),
                        role: grant.role,
                        scope: grant.scope.clone(),
                        name: name.clone(),
                        principal_id: principal_id.clone(),
                        arm_scope,
                    });
                }
            }
            (Kind::RoleAssignment, None) => {}
            (_, _) if step.action == Action::Delete => remove(&mut galleries, &step.path),
            _ => upsert(&mut galleries, &mut references, ws, step),
        }
    }
    (
        AzureSeen::new(origin, galleries, principals, grants, references),
        assignments,
    )
}

fn remove(galleries: &mut Vec<Gallery>, path: &str) {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        [g] => galleries.retain(|x| !same(&x.name, g)),
        [g, d, rest @ ..] => {
            let Some(gallery) = galleries.iter_mut().find(|x| same(&x.name, g)) else {
                return;
            };
            match rest {
                [] => gallery.definitions.retain(|x| !same(&x.name, d)),
                [v] => {
                    if let Some(def) = gallery.definitions.iter_mut().find(|x| same(&x.name, d)) {
                        def.versions.retain(|x| !same(&x.name, v));
                    }
                }
                _ => {}
            }
        }
        _ => {}
    }
}

/// The seen gallery of `planned` (added, known by reference, when Azure as last seen lacks it).
fn seen_gallery<'s>(
    galleries: &'s mut Vec<Gallery>,
    references: &mut Vec<String>,
    planned: &Gallery,
) -> &'s mut Gallery {
    let at = match galleries.iter().position(|x| same(&x.name, &planned.name)) {
        Some(at) => at,
        None => {
            galleries.push(planned.without_definitions());
            references.push(planned.name.clone());
            galleries.len() - 1
        }
    };
    &mut galleries[at]
}

fn seen_definition<'s>(
    gallery: &'s mut Gallery,
    references: &mut Vec<String>,
    planned: &ImageDefinition,
) -> &'s mut ImageDefinition {
    let at = match gallery
        .definitions
        .iter()
        .position(|x| same(&x.name, &planned.name))
    {
        Some(at) => at,
        None => {
            gallery.definitions.push(planned.without_versions());
            references.push(format!("{}/{}", gallery.name, planned.name));
            gallery.definitions.len() - 1
        }
    };
    &mut gallery.definitions[at]
}

fn upsert(galleries: &mut Vec<Gallery>, references: &mut Vec<String>, ws: &Workspace, step: &Step) {
    let (Some(g), d, v) = find(ws, &step.path) else {
        return;
    };
    let gallery = seen_gallery(galleries, references, g);
    match (step.kind, d, v) {
        (Kind::Gallery, _, _) => {
            let definitions = std::mem::take(&mut gallery.definitions);
            *gallery = g.without_definitions();
            gallery.definitions = definitions;
            references.retain(|r| !same(r, &g.name));
        }
        (Kind::Definition, Some(d), _) => {
            let definition = seen_definition(gallery, references, d);
            let versions = std::mem::take(&mut definition.versions);
            *definition = d.without_versions();
            definition.versions = versions;
            let path = format!("{}/{}", g.name, d.name);
            references.retain(|r| !same(r, &path));
        }
        (Kind::Version, Some(d), Some(v)) => {
            let definition = seen_definition(gallery, references, d);
            let mut version = v.clone();
            let old = definition
                .versions
                .iter()
                .position(|x| same(&x.name, &v.name));
            for t in &mut version.target_regions {
                t.status = old
                    .and_then(|at| definition.versions[at].target(t.region))
                    .map(|o| o.status.clone())
                    .unwrap_or_else(|| ReplicaStatus {
                        state: RegionState::Queued,
                        ..ReplicaStatus::default()
                    });
            }
            match old {
                Some(at) => definition.versions[at] = version,
                None => definition.versions.push(version),
            }
        }
        _ => {}
    }
}
