//! One principal's effective access: roles on every resource, and the grants that give them,
//! kept as numbers and put into words only when asked for.

use std::collections::HashMap;

use super::{
    AccessIndex, Action, Cycle, Membership, NONE, PrincipalReport, Reason, ResourceAccess,
    ResourceId, RoleSet,
};
use crate::model::ResourcePath;

/// A grant reaching a principal, kept as numbers; [`Reason`]s are built from it on demand.
struct Hit {
    grant: u32,
    scope: u32,
    /// Index into the principal's groups of the grant's holder, or `NONE` for a direct grant.
    link: u32,
}

/// One principal's effective roles on every resource, with the grants that give them. The
/// reasons are kept as references and put into words only when asked for.
pub struct PrincipalAccess<'a> {
    index: &'a AccessIndex<'a>,
    principal: u32,
    /// Per resource (by `ResourceId`), the roles held.
    roles: Vec<RoleSet>,
    hits: Vec<Hit>,
    /// Per scope holding hits: their indexes in `hits`, in order.
    hits_on: HashMap<u32, Vec<u32>>,
    ignored: Vec<super::Ignored>,
}

impl<'w> AccessIndex<'w> {
    pub(super) fn access_of(&self, p: u32) -> PrincipalAccess<'_> {
        let mut roles = vec![RoleSet::EMPTY; self.nodes.len()];
        let mut hits = Vec::new();
        let mut ignored = Vec::new();
        for (grant, scope, link, refusal) in self.grants_reaching(p) {
            match refusal {
                Some(why) => ignored.push(self.ignored(self.reason(p, grant, scope, link), why)),
                None => hits.push(Hit {
                    grant: grant as u32,
                    scope,
                    link: link.map_or(NONE, |l| l as u32),
                }),
            }
        }
        let mut hits_on: HashMap<u32, Vec<u32>> = HashMap::new();
        for (i, hit) in hits.iter().enumerate() {
            hits_on.entry(hit.scope).or_default().push(i as u32);
        }
        // One fill per scope, whatever the number of grants on it.
        for (&scope, on) in &hits_on {
            let set = on
                .iter()
                .filter_map(|&i| hits.get(i as usize))
                .filter_map(|h| self.ws.grants.get(h.grant as usize))
                .fold(RoleSet::EMPTY, |mut set, g| {
                    set |= RoleSet::of(g.role);
                    set
                });
            let end = self.nodes.get(scope as usize).map_or(scope, |n| n.end);
            if let Some(cells) = roles.get_mut(scope as usize..end as usize) {
                for cell in cells {
                    *cell |= set;
                }
            }
        }
        PrincipalAccess {
            index: self,
            principal: p,
            roles,
            hits,
            hits_on,
            ignored,
        }
    }
}

impl PrincipalAccess<'_> {
    pub fn name(&self) -> &str {
        self.index.dir.name(self.principal)
    }

    /// The roles held on a resource.
    pub fn roles_at(&self, id: ResourceId) -> RoleSet {
        self.roles.get(id.0 as usize).copied().unwrap_or_default()
    }

    /// The roles held on the resource at `path` (none when there is no such resource).
    pub fn roles_on(&self, path: &ResourcePath) -> RoleSet {
        self.index
            .resource_id(path)
            .map_or(RoleSet::EMPTY, |id| self.roles_at(id))
    }

    /// Whether the principal may do `action` on the resource at `path`.
    pub fn can(&self, action: Action, path: &ResourcePath) -> bool {
        self.roles_on(path).allows(action)
    }

    fn reason_of(&self, hit: &Hit) -> Reason {
        let link = (hit.link != NONE).then_some(hit.link as usize);
        self.index
            .reason(self.principal, hit.grant as usize, hit.scope, link)
    }

    /// The grants that give the principal its roles on a resource: those on it and on the
    /// resources above it (at most three look-ups, however many grants reach the principal).
    pub fn reasons_at(&self, id: ResourceId) -> Vec<Reason> {
        let mut found: Vec<u32> = self
            .index
            .with_ancestors(id.0)
            .filter_map(|scope| self.hits_on.get(&scope))
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found
            .into_iter()
            .filter_map(|i| self.hits.get(i as usize))
            .map(|hit| self.reason_of(hit))
            .collect()
    }

    /// The grants that give the principal its roles on the resource at `path`.
    pub fn reasons_on(&self, path: &ResourcePath) -> Vec<Reason> {
        self.index
            .resource_id(path)
            .map(|id| self.reasons_at(id))
            .unwrap_or_default()
    }

    /// Every grant that reaches the principal and counts.
    pub fn reasons(&self) -> Vec<Reason> {
        self.hits.iter().map(|hit| self.reason_of(hit)).collect()
    }

    /// How many grants reach the principal and count (without putting them into words).
    pub fn reason_count(&self) -> usize {
        self.hits.len()
    }

    /// Grants that reach the principal but give nothing (another tenant), with why.
    pub fn ignored(&self) -> &[super::Ignored] {
        &self.ignored
    }

    /// How many resources the principal may do `action` on.
    pub fn count(&self, action: Action) -> usize {
        self.roles.iter().filter(|r| r.allows(action)).count()
    }

    /// The groups the principal belongs to at any depth, each with its chain (the ends of a
    /// long one).
    pub fn member_of(&self) -> Vec<Membership> {
        let dir = &self.index.dir;
        dir.groups_of(self.principal)
            .iter()
            .enumerate()
            .map(|(i, link)| {
                let chain = dir.chain(self.principal, Some(i));
                Membership {
                    group: dir.name(link.group).to_owned(),
                    chain: chain.names,
                    skipped: chain.skipped,
                }
            })
            .collect()
    }

    /// Membership cycles among the principal's groups.
    pub fn cycles(&self) -> Vec<Cycle> {
        self.index.dir.cycles_of(self.principal)
    }

    /// The full answer: every resource with roles and reasons.
    pub fn report(&self) -> PrincipalReport {
        let index = self.index;
        let principal = index.dir.principal(self.principal);
        let resources = self
            .roles
            .iter()
            .enumerate()
            .filter(|(_, set)| !set.is_empty())
            .map(|(r, set)| {
                let id = ResourceId(r as u32);
                let path = index.path_text(id.0);
                let reasons = self.reasons_at(id);
                ResourceAccess {
                    kind: index.kind(id.0),
                    roles: set.roles(),
                    actions: set.actions_on(index.kind(id.0)),
                    why: reasons.iter().map(|x| x.text_for(&path)).collect(),
                    reasons,
                    path,
                }
            })
            .collect();
        PrincipalReport {
            principal: self.name().to_owned(),
            kind: principal.map(|p| p.kind).unwrap_or_default(),
            tenant: principal.map(|p| p.tenant.clone()).unwrap_or_default(),
            member_of: self.member_of(),
            resources,
            ignored: self.ignored.clone(),
            cycles: self.cycles(),
        }
    }
}
