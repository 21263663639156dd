//! A plan's steps as ARM requests, before anything is sent: the URLs (API 2025-03-03 for the
//! gallery resources, 2022-04-01 for role assignments), the bodies the ARM export writes (so the
//! two cannot disagree; without the template's `type`, `apiVersion` and `name`), the gallery
//! share actions, and the role assignments. What only Azure knows (a principal's object id, a
//! workspace managed image's ARM id, an assignment's name) is looked up when the step runs and
//! shown as such in a dry run.
//!
//! Every step is checked here: a gallery outside the subscription (and resource group) that was
//! refreshed, without a resource group, or with a name no ARM path can hold stops the apply
//! before its first request.

use serde_json::{Value, json};

use super::Target;
use crate::azure::ids::{Endpoint, check_segment, encode_segment};
use crate::azure::{AUTHORIZATION_API, COMPUTE_API};
use crate::export::assign::{AssignmentScope, Assignments};
use crate::export::{arm, is_object_id, names};
use crate::model::{Gallery, Grant, PrincipalKind, Region, Role, Workspace};
use crate::plan::gallery_ops::{GalleryOp, Share, gallery_ops};
use crate::plan::{Action, Kind, Plan, Step, find};

/// A principal as the workspace knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrincipalRef {
    pub name: String,
    /// Known object id (recorded by an import, or the grant names a GUID).
    pub object_id: Option<String>,
    pub kind: Option<PrincipalKind>,
}

/// A workspace managed image a version is created from: its ARM id is looked up by name in the
/// subscription (the one in the version's region when several have the name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceImage {
    pub name: String,
    pub region: Region,
    pub subscription: String,
}

/// One request of a step (or a few, for what must be looked up first).
#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    /// PUT of a resource's body, answered at once or as a long-running operation. `source`
    /// names a workspace managed image whose ARM id is looked up and written into the body.
    Put {
        url: String,
        body: Value,
        source: Option<SourceImage>,
    },
    Delete {
        url: String,
    },
    /// `POST …/galleries/{g}/share`.
    Share {
        url: String,
        body: Value,
    },
    /// A role assignment at `scope` (an ARM id), under `name` when known (else a name derived
    /// from the scope, principal and role, the same on every run).
    AssignmentPut {
        scope: String,
        name: Option<String>,
        role: Role,
        principal: PrincipalRef,
    },
    /// A role assignment removed: by its name when known, else found at its scope.
    AssignmentDelete {
        scope: String,
        name: Option<String>,
        role: Role,
        principal: PrincipalRef,
    },
}

/// The requests of one step of the plan.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// The step's index in the plan.
    pub index: usize,
    /// Steps of one level (the same action and kind, one after the other in the plan) are
    /// independent of each other.
    pub level: usize,
    pub ops: Vec<Op>,
}

/// A resource's place in Azure.
struct At {
    subscription: String,
    resource_group: String,
    names: Vec<String>,
}

impl At {
    fn id(&self) -> String {
        let mut id = format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Compute/galleries/{}",
            self.subscription, self.resource_group, self.names[0]
        );
        for (i, name) in self.names.iter().enumerate().skip(1) {
            id.push_str(if i == 1 { "/images/" } else { "/versions/" });
            id.push_str(name);
        }
        id
    }

    fn url(&self, arm: &Endpoint, suffix: &str) -> String {
        let mut path = format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Compute/galleries/{}",
            encode_segment(&self.subscription),
            encode_segment(&self.resource_group),
            encode_segment(&self.names[0])
        );
        for (i, name) in self.names.iter().enumerate().skip(1) {
            path.push_str(if i == 1 { "/images/" } else { "/versions/" });
            path.push_str(&encode_segment(name));
        }
        path.push_str(suffix);
        arm.url(&path, &format!("api-version={COMPUTE_API}"))
    }
}

/// Where a gallery (and a definition and version of it) lives, checked against the target.
fn place(g: &Gallery, names: &[&str], target: &Target) -> Result<At, String> {
    let subscription = if g.subscription.is_empty() {
        target.subscription.clone()
    } else {
        g.subscription.clone()
    };
    if !subscription.eq_ignore_ascii_case(&target.subscription) {
        return Err(format!(
            "gallery {} is in subscription {subscription}, but the apply goes to subscription {} (the one Azure as last seen was read from)",
            g.name, target.subscription
        ));
    }
    if g.resource_group.is_empty() {
        return Err(format!(
            "gallery {} has no resource group: set it in the gallery's properties",
            g.name
        ));
    }
    if let Some(rg) = &target.resource_group
        && !rg.eq_ignore_ascii_case(&g.resource_group)
    {
        return Err(format!(
            "gallery {} is in resource group {}, but Azure as last seen was read from resource group {rg} only",
            g.name, g.resource_group
        ));
    }
    for name in std::iter::once(g.resource_group.as_str()).chain(names.iter().copied()) {
        check_segment(name).map_err(|why| format!("{name:?} cannot be sent to ARM: {why}"))?;
    }
    Ok(At {
        subscription,
        resource_group: g.resource_group.clone(),
        names: names.iter().map(|s| (*s).to_owned()).collect(),
    })
}

/// A body as REST takes it: the template's own keys removed.
fn rest_body(mut body: Value) -> Value {
    if let Value::Object(map) = &mut body {
        for key in ["type", "apiVersion", "name", "dependsOn"] {
            map.remove(key);
        }
    }
    body
}

fn share_body(share: &Share) -> Value {
    let mut body = json!({ "operationType": share.operation_type() });
    if let Share::Add {
        subscriptions,
        tenants,
    }
    | Share::Remove {
        subscriptions,
        tenants,
    } = share
    {
        let mut groups = Vec::new();
        if !subscriptions.is_empty() {
            groups.push(json!({"type": "Subscriptions", "ids": subscriptions}));
        }
        if !tenants.is_empty() {
            groups.push(json!({"type": "AADTenants", "ids": tenants}));
        }
        body["groups"] = json!(groups);
    }
    body
}

/// The plan's steps carried out (refused ones left out) as requests, in the plan's order.
pub fn prepare(
    plan: &Plan,
    before: &Workspace,
    after: &Workspace,
    arm: &Endpoint,
    target: &Target,
) -> Result<Vec<Prepared>, Vec<String>> {
    // Two resources Azure takes for one: the plan kept one of them, so nothing is sent.
    if let Some(why) = crate::plan::name_clash(after) {
        return Err(vec![why]);
    }
    let mut out = Vec::new();
    let mut problems = Vec::new();
    // The role assignments by grant, looked up by hash (a scan per grant costs the square of a
    // plan with many assignments).
    let lookups = [Assignments::new(before), Assignments::new(after)];
    let mut level = 0;
    let mut last: Option<(bool, Kind)> = None;
    for (index, step) in plan.steps.iter().enumerate() {
        if step.refused.is_some() {
            continue;
        }
        let key = (step.action == Action::Delete, step.kind);
        if last.is_some_and(|k| k != key) {
            level += 1;
        }
        last = Some(key);
        match ops(step, (before, after), &lookups, arm, target) {
            Ok(ops) => out.push(Prepared { index, level, ops }),
            Err(why) => problems.push(format!(
                "step {} ({} {}): {why}",
                index + 1,
                step.action.label(),
                step.what()
            )),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn ops<'w>(
    step: &'w Step,
    (before, after): (&'w Workspace, &'w Workspace),
    lookups: &[Assignments<'w>; 2],
    arm: &Endpoint,
    target: &Target,
) -> Result<Vec<Op>, String> {
    if let Some(grant) = &step.grant {
        return assignment(step, grant, (before, after), lookups, target);
    }
    let ws = if step.action == Action::Delete {
        before
    } else {
        after
    };
    let (Some(g), d, v) = find(ws, &step.path) else {
        return Err(format!("{} is not in the workspace", step.path));
    };
    let names: Vec<&str> = step.path.split('/').collect();
    let at = place(g, &names, target)?;
    let url = at.url(arm, "");
    match (step.kind, step.action) {
        (Kind::Gallery, _) => {
            let old = find(before, &step.path).0;
            let new = find(after, &step.path).0;
            Ok(gallery_ops(step, old, new)
                .into_iter()
                .map(|op| match op {
                    GalleryOp::Put => Op::Put {
                        url: url.clone(),
                        body: rest_body(arm::gallery_body(g)),
                        source: None,
                    },
                    GalleryOp::Delete => Op::Delete { url: url.clone() },
                    GalleryOp::Share(share) => Op::Share {
                        url: at.url(arm, "/share"),
                        body: share_body(&share),
                    },
                })
                .collect())
        }
        (_, Action::Delete) => Ok(vec![Op::Delete { url }]),
        (Kind::Definition, _) => {
            let d = d.ok_or_else(|| format!("{} is not in the workspace", step.path))?;
            Ok(vec![Op::Put {
                url,
                body: rest_body(arm::definition_body(g, d)),
                source: None,
            }])
        }
        _ => {
            let (Some(d), Some(v)) = (d, v) else {
                return Err(format!("{} is not in the workspace", step.path));
            };
            let mut body = rest_body(arm::version_body(after, g, d, v));
            let mut source = (!v.source.is_empty()).then(|| v.source.clone());
            if step.action == Action::Update
                && let (Some(og), Some(od), Some(ov)) = find(before, &step.path)
            {
                // The source cannot change: Azure's own, as last seen, is sent again.
                let old = arm::version_body(before, og, od, ov);
                body["properties"]["storageProfile"] = old["properties"]["storageProfile"].clone();
                source = (!ov.source.is_empty()).then(|| ov.source.clone());
            }
            let region = crate::export::body::version_location(after, g, v);
            Ok(vec![Op::Put {
                url,
                body,
                source: source.map(|name| SourceImage {
                    name,
                    region,
                    subscription: at.subscription.clone(),
                }),
            }])
        }
    }
}

fn assignment<'w>(
    step: &Step,
    grant: &'w Grant,
    (before, after): (&'w Workspace, &'w Workspace),
    lookups: &[Assignments<'w>; 2],
    target: &Target,
) -> Result<Vec<Op>, String> {
    let (ws, lookup) = if step.action == Action::Delete {
        (before, &lookups[0])
    } else {
        (after, &lookups[1])
    };
    let item = lookup
        .item(grant)
        .ok_or_else(|| format!("the scope {} is not in the workspace", grant.scope))?;
    let scope = match &item.scope {
        AssignmentScope::Resource { gallery, path } => place(gallery, path, target)?.id(),
        AssignmentScope::Above(id) => {
            if !id.to_ascii_lowercase().starts_with(&format!(
                "/subscriptions/{}",
                target.subscription.to_lowercase()
            )) {
                return Err(format!(
                    "the assignment lives at {id}, outside subscription {}",
                    target.subscription
                ));
            }
            (*id).to_owned()
        }
    };
    let object_id = item.object_id().map(str::to_owned).or_else(|| {
        // Another assignment of the same principal may have recorded its object id.
        [after, before]
            .iter()
            .flat_map(|w| &w.assignments)
            .find(|a| {
                a.principal.eq_ignore_ascii_case(&grant.principal) && is_object_id(&a.principal_id)
            })
            .map(|a| a.principal_id.clone())
    });
    let principal = PrincipalRef {
        name: grant.principal.clone(),
        object_id,
        kind: ws.principal(&grant.principal).map(|p| p.kind),
    };
    let name = item.name().map(str::to_owned);
    Ok(vec![if step.action == Action::Delete {
        Op::AssignmentDelete {
            scope,
            name,
            role: grant.role,
            principal,
        }
    } else {
        Op::AssignmentPut {
            scope,
            name,
            role: grant.role,
            principal,
        }
    }])
}

/// The URL of a role assignment.
pub fn assignment_url(arm: &Endpoint, scope: &str, name: &str) -> String {
    let path: Vec<String> = scope
        .split('/')
        .map(|s| {
            if s.is_empty() {
                String::new()
            } else {
                encode_segment(s)
            }
        })
        .collect();
    arm.url(
        &format!(
            "{}/providers/Microsoft.Authorization/roleAssignments/{}",
            path.join("/"),
            encode_segment(name)
        ),
        &format!("api-version={AUTHORIZATION_API}"),
    )
}

/// A role assignment's body.
pub fn assignment_body(
    scope: &str,
    role: Role,
    object_id: &str,
    kind: Option<PrincipalKind>,
) -> Value {
    let subscription = scope
        .split('/')
        .skip_while(|s| !s.eq_ignore_ascii_case("subscriptions"))
        .nth(1)
        .unwrap_or_default();
    let mut props = json!({
        "roleDefinitionId": format!(
            "/subscriptions/{subscription}/providers/Microsoft.Authorization/roleDefinitions/{}",
            crate::access::roles::role_definition_id(role)
        ),
        "principalId": object_id,
    });
    if let Some(kind) = kind {
        props["principalType"] = json!(names::name(&names::PRINCIPAL_TYPES, kind));
    }
    json!({ "properties": props })
}

/// A role assignment's name derived from its scope, principal and role: a GUID (version 4's
/// layout, from two FNV-1a hashes), the same on every run, so that applying again after a
/// failure sends the same assignment rather than a second one.
pub fn assignment_name(scope: &str, object_id: &str, role: Role) -> String {
    let text = format!(
        "{}|{}|{}",
        scope.to_ascii_lowercase(),
        object_id.to_ascii_lowercase(),
        crate::access::roles::role_definition_id(role)
    );
    let hash = |seed: u64| {
        text.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    let (a, b) = (hash(0xcbf2_9ce4_8422_2325), hash(0x6c62_272e_07bb_0142));
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&a.to_be_bytes());
    bytes[8..].copy_from_slice(&b.to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_assignment_name_is_a_guid_and_the_same_each_time() {
        let scope = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g";
        let a = assignment_name(scope, "11111111-0000-0000-0000-000000000001", Role::Reader);
        assert!(is_object_id(&a), "{a}");
        assert_eq!(
            a,
            assignment_name(
                &scope.to_uppercase(),
                "11111111-0000-0000-0000-000000000001",
                Role::Reader
            )
        );
        assert_ne!(
            a,
            assignment_name(
                scope,
                "11111111-0000-0000-0000-000000000001",
                Role::Contributor
            )
        );
    }
}
